package bot

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrBusy is returned by Dispatcher.Submit when too much work is queued;
// adapters tell the user to try again rather than queue without bound.
var ErrBusy = errors.New("too much work queued")

// ErrClosed is returned by Dispatcher.Submit after Close.
var ErrClosed = errors.New("dispatcher closed")

// Dispatcher runs platform work after the event is acknowledged: in order
// for one key (a conversation or thread), at most Workers jobs at once
// overall, and never blocking the caller, so acknowledgement latency does
// not depend on how slow grading is.
type Dispatcher struct {
	// OnPanic, when set, is told about a job that panicked; the dispatcher
	// recovers so one bad event cannot stop the bot.
	OnPanic func(key string, v any)

	ctx    context.Context
	cancel context.CancelFunc
	sem    chan struct{}
	limit  int

	mu      sync.Mutex
	queues  map[string][]func(context.Context)
	pending int
	closed  bool
	wg      sync.WaitGroup
}

// NewDispatcher returns a dispatcher running at most workers jobs at once
// and holding at most maxQueued jobs not yet finished.
func NewDispatcher(workers, maxQueued int) *Dispatcher {
	if workers < 1 {
		workers = 1
	}
	if maxQueued < workers {
		maxQueued = workers
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Dispatcher{ctx: ctx, cancel: cancel, sem: make(chan struct{}, workers), limit: maxQueued, queues: map[string][]func(context.Context){}}
}

// Submit queues job behind earlier jobs with the same key. It returns at
// once; the job runs later with a context that ends when Close gives up.
func (d *Dispatcher) Submit(key string, job func(context.Context)) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return ErrClosed
	}
	if d.pending >= d.limit {
		return ErrBusy
	}
	d.pending++
	q, running := d.queues[key]
	d.queues[key] = append(q, job)
	if !running {
		d.wg.Add(1)
		go d.drain(key)
	}
	return nil
}

// drain runs one key's jobs in order until its queue is empty.
func (d *Dispatcher) drain(key string) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		q := d.queues[key]
		if len(q) == 0 {
			delete(d.queues, key)
			d.mu.Unlock()
			return
		}
		job := q[0]
		q[0] = nil
		d.queues[key] = q[1:]
		d.mu.Unlock()

		d.sem <- struct{}{}
		func() {
			defer func() {
				<-d.sem
				if v := recover(); v != nil && d.OnPanic != nil {
					d.OnPanic(key, v)
				}
			}()
			job(d.ctx)
		}()
		d.mu.Lock()
		d.pending--
		d.mu.Unlock()
	}
}

// Pending is the number of jobs queued or running.
func (d *Dispatcher) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pending
}

// Close stops taking jobs and waits for queued ones to finish, or for ctx
// to end, when it cancels the jobs' context and returns ctx's error.
func (d *Dispatcher) Close(ctx context.Context) error {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	done := make(chan struct{})
	go func() {
		d.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		d.cancel()
		return nil
	case <-ctx.Done():
		d.cancel()
		<-done
		return ctx.Err()
	}
}

// Linger returns a context for work already under way: it is not cancelled
// when ctx is (a shutdown signal), only grace later, so a turn in flight
// can still be graded and committed before the process exits.
func Linger(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	work, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(grace, cancel)
		context.AfterFunc(work, func() { t.Stop() })
	})
	return work, func() {
		stop()
		cancel()
	}
}
