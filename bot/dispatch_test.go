package bot

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestDispatcherKeepsOrderPerKeyAndBoundsConcurrency(t *testing.T) {
	d := NewDispatcher(3, 1000)
	var running, peak atomic.Int32
	var mu sync.Mutex
	seen := map[string][]int{}
	for i := range 40 {
		key := fmt.Sprintf("k%d", i%5)
		if err := d.Submit(key, func(context.Context) {
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			mu.Lock()
			seen[key] = append(seen[key], i)
			mu.Unlock()
			running.Add(-1)
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > 3 {
		t.Fatalf("%d jobs ran at once, limit 3", p)
	}
	total := 0
	for key, order := range seen {
		total += len(order)
		for j := 1; j < len(order); j++ {
			if order[j] < order[j-1] {
				t.Fatalf("key %s ran out of order: %v", key, order)
			}
		}
	}
	if total != 40 {
		t.Fatalf("%d jobs ran, want 40", total)
	}
	if err := d.Submit("k", func(context.Context) {}); err != ErrClosed {
		t.Fatalf("submit after close: %v", err)
	}
}

func TestDispatcherRefusesWhenFullAndSurvivesPanics(t *testing.T) {
	d := NewDispatcher(1, 2)
	var panics atomic.Int32
	d.OnPanic = func(string, any) { panics.Add(1) }
	release := make(chan struct{})
	if err := d.Submit("a", func(context.Context) { <-release; panic("boom") }); err != nil {
		t.Fatal(err)
	}
	if err := d.Submit("b", func(context.Context) {}); err != nil {
		t.Fatal(err)
	}
	if err := d.Submit("c", func(context.Context) {}); err != ErrBusy {
		t.Fatalf("third job with limit 2: %v, want ErrBusy", err)
	}
	close(release)
	if err := d.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if panics.Load() != 1 {
		t.Fatalf("panics reported: %d", panics.Load())
	}
	if d.Pending() != 0 {
		t.Fatalf("pending after close: %d", d.Pending())
	}
}

func TestDispatcherCloseGivesUpAtDeadline(t *testing.T) {
	d := NewDispatcher(1, 10)
	started := make(chan struct{})
	if err := d.Submit("a", func(ctx context.Context) { close(started); <-ctx.Done() }); err != nil {
		t.Fatal(err)
	}
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := d.Close(ctx); err != context.Canceled {
		t.Fatalf("close: %v", err)
	}
}

func TestLingerOutlivesCancelByGrace(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	work, done := Linger(parent, 50*time.Millisecond)
	defer done()
	cancel()
	if work.Err() != nil {
		t.Fatal("work context ended with its parent")
	}
	select {
	case <-work.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("work context outlived its grace period")
	}
	// Finished work releases its timer; the context ends with done.
	w2, done2 := Linger(context.Background(), time.Hour)
	done2()
	if w2.Err() == nil {
		t.Fatal("done did not end the work context")
	}
}
