package bot

import (
	"log/slog"
	"sync"
	"time"
)

// AdapterWork is the part of a chat adapter's configuration about running
// work: logging, the clock, how many jobs run at once, how long handled
// event ids are remembered and how long work may finish at shutdown. Both
// platform adapters embed it, so their defaults cannot drift apart.
type AdapterWork struct {
	Log *slog.Logger
	// Now is the clock of signature checks and event claims.
	Now func() time.Time
	// Workers bounds the jobs running at once (default 8); MaxQueued the
	// jobs waiting (default 2000). With rubric grading on a small machine,
	// fewer workers than cores keep acknowledgements off the graders' time
	// slices (see the ack-latency figures in the README).
	Workers, MaxQueued int
	// EventTTL is how long a handled event id is remembered, so a
	// redelivery within it is dropped, also across a restart (default 48 h).
	EventTTL time.Duration
	// Grace is how long work in flight may finish after shutdown starts
	// (default 20 s).
	Grace time.Duration
}

// WithDefaults fills what is unset.
func (w AdapterWork) WithDefaults() AdapterWork {
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.Workers <= 0 {
		// Most of a job's time is spent waiting on the platform's API or an
		// LLM, so workers outnumber cores.
		w.Workers = 8
	}
	if w.MaxQueued <= 0 {
		w.MaxQueued = 2000
	}
	if w.EventTTL <= 0 {
		w.EventTTL = 48 * time.Hour
	}
	if w.Grace <= 0 {
		w.Grace = 20 * time.Second
	}
	return w
}

// NewDispatcher is the dispatcher these settings describe, logging panics
// of its jobs.
func (w AdapterWork) NewDispatcher(platform string) *Dispatcher {
	d := NewDispatcher(w.Workers, w.MaxQueued)
	log := w.Log
	d.OnPanic = func(key string, v any) { log.Error(platform+" job panicked", "key", key, "panic", v) }
	return d
}

// FirstTime remembers keys, answering true only the first time it sees
// one: an adapter tells someone a thread is not theirs once, not on every
// message.
type FirstTime struct {
	mu   sync.Mutex
	seen map[string]bool
}

// First records key and reports whether it is new.
func (f *FirstTime) First(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	if f.seen[key] {
		return false
	}
	f.seen[key] = true
	return true
}
