package slack

import (
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/bot/slack/slackfake"
)

// openInterviews starts n interviews, one per user, and returns their
// threads.
func openInterviews(b *testing.B, h *harness, n int) []string {
	b.Helper()
	var threads []string
	for i := range n {
		user := fmt.Sprintf("U%05d", i)
		h.fake.AddUser(slackfake.User{ID: user, Name: "User " + user})
		h.seq++
		if _, err := h.fake.Send(slackfake.Envelope{Type: "slash_commands", Payload: slackfake.SlashCommand(team, channel, user, "/mock", "caching", fmt.Sprintf("trig-open-%d", i))}); err != nil {
			b.Fatal(err)
		}
	}
	// Each parent message names its user; collect the threads once every
	// first question is out.
	err := h.fake.WaitCalls(h.ctx, "first questions", func(calls []slackfake.Call) bool {
		parents := map[string]bool{}
		asked := 0
		for _, c := range calls {
			if c.Method == "chat.postMessage" && strings.HasPrefix(c.Args["text"], "Mock interview for") {
				parents[c.TS] = true
			}
			if c.Method == "chat.postMessage" && parents[c.Args["thread_ts"]] && strings.Contains(c.Args["text"], "Question 1 of") {
				asked++
			}
		}
		if asked < n {
			return false
		}
		threads = threads[:0]
		for ts := range parents {
			threads = append(threads, ts)
		}
		return true
	})
	if err != nil {
		b.Fatal(err)
	}
	slices.Sort(threads)
	return threads
}

// BenchmarkAckLatency sends slash commands and thread answers at 1,000
// envelopes a second while the answers are graded, and reports the time
// from the envelope leaving the fake to its ack arriving back (p50, p99).
// It runs with the default 8 workers and with one worker per core less
// than the machine has, which keeps graders from holding every core.
func BenchmarkAckLatency(b *testing.B) {
	for _, w := range []int{8, max(1, runtime.GOMAXPROCS(0)-1)} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) { benchAck(b, w) })
	}
}

func benchAck(b *testing.B, workers int) {
	fake := slackfake.New(b, "xoxb-bench", "xapp-bench")
	st := openStore(b, filepath.Join(b.TempDir(), "bench.db"))
	h := startSocket(b, fake, st, func(c *Config) { c.Workers = workers })
	if err := fake.WaitConnected(h.ctx, 1); err != nil {
		b.Fatal(err)
	}
	const sessions = 50
	threads := openInterviews(b, h, sessions)
	fake.Forget()
	var ids []string
	tick := time.NewTicker(time.Millisecond) // 1,000 envelopes a second
	defer tick.Stop()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		<-tick.C
		k := i % sessions
		user := fmt.Sprintf("U%05d", k)
		var env slackfake.Envelope
		if i%2 == 0 {
			env = slackfake.Envelope{Type: "slash_commands", Payload: slackfake.SlashCommand(team, channel, user, "/leaderboard", "week", fmt.Sprintf("trig-b%d", i))}
		} else {
			env = slackfake.Envelope{Type: "events_api", Payload: slackfake.Message(fmt.Sprintf("EvB%d", i), team, channel, "channel", user,
				cachingAnswer, fmt.Sprintf("1700001000.%06d", i), threads[k])}
		}
		id, err := fake.Send(env)
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	var lat []time.Duration
	for _, id := range ids {
		a, err := fake.WaitAck(h.ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, a.At.Sub(a.Sent))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(h.ad.disp.Pending()), "queued-at-end")
}

// BenchmarkMemoryPerInterview reports the heap the bot holds for each open
// interview (the fake's own records are dropped before measuring).
func BenchmarkMemoryPerInterview(b *testing.B) {
	fake := slackfake.New(b, "xoxb-bench", "xapp-bench")
	st := openStore(b, filepath.Join(b.TempDir(), "mem.db"))
	h := startSocket(b, fake, st)
	if err := fake.WaitConnected(h.ctx, 1); err != nil {
		b.Fatal(err)
	}
	openInterviews(b, h, 5) // warm caches, statements and pools
	fake.Forget()
	const n = 200
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	// The figure does not scale with b.N: one pass of n interviews is it.
	for i := range n {
		user := fmt.Sprintf("UM%05d", i)
		fake.AddUser(slackfake.User{ID: user, Name: user})
		if _, err := fake.Send(slackfake.Envelope{Type: "slash_commands", Payload: slackfake.SlashCommand(team, channel, user, "/mock", "caching", fmt.Sprintf("trig-m-%d", i))}); err != nil {
			b.Fatal(err)
		}
	}
	err := fake.WaitCalls(h.ctx, "interviews open", func(calls []slackfake.Call) bool {
		asked := 0
		for _, c := range calls {
			if c.Method == "chat.postMessage" && strings.Contains(c.Args["text"], "Question 1 of") {
				asked++
			}
		}
		return asked >= n
	})
	if err != nil {
		b.Fatal(err)
	}
	fake.Forget()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/n, "B/interview")
}
