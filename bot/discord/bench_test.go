package discord

import (
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/bot/discord/discordfake"
)

// BenchmarkAckLatency dispatches slash commands and interview answers at
// 1,000 events a second (half each) while the answers are graded, and
// reports the time from an INTERACTION_CREATE leaving the fake gateway to
// the bot's acknowledgement reaching the fake REST API (p50, p99). Discord
// allows 3,000 ms.
func BenchmarkAckLatency(b *testing.B) {
	for _, w := range []int{8, max(1, runtime.GOMAXPROCS(0)-1)} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) { benchAck(b, w) })
	}
}

func benchAck(b *testing.B, workers int) {
	fake := newFake(b)
	st := openStore(b, filepath.Join(b.TempDir(), "bench.db"))
	h := start(b, fake, st, func(c *Config) { c.Workers = workers })
	const sessions = 20
	members := make([]discordfake.Member, sessions)
	for i := range members {
		members[i] = discordfake.Member{ID: fmt.Sprintf("2000000000000%05d", i), Name: fmt.Sprintf("User %d", i)}
		h.must(fake.Command(guild, channel, members[i], "mock", discordfake.Opt("topic", "caching"), discordfake.Opt("questions", 5)))
	}
	owner := map[string]int{}
	fake.WaitFor(b, "every interview open", func(calls []discordfake.Call) bool {
		for _, c := range calls {
			if c.Route == rThread && c.Status < 300 {
				name, _ := c.Body["name"].(string)
				var n int
				fmt.Sscanf(name[strings.LastIndex(name, " ")+1:], "%d", &n)
				owner[c.ID] = n
			}
		}
		return len(owner) == sessions
	})
	threads := make([]string, sessions)
	for th, n := range owner {
		threads[n] = th
	}
	var ids []string
	tick := time.NewTicker(time.Millisecond) // 1,000 events a second
	defer tick.Stop()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		<-tick.C
		k := i % sessions
		if i%2 == 0 {
			ids = append(ids, h.must(fake.Command(guild, channel, members[k], "leaderboard", discordfake.Opt("period", "week"))))
		} else {
			h.must(fake.Message(guild, threads[k], members[k], cachingAnswer))
		}
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	fake.WaitFor(b, "every acknowledgement", func(calls []discordfake.Call) bool {
		n := 0
		for _, c := range calls {
			if c.Route == rCallback && want[c.Interaction] {
				n++
			}
		}
		return n >= len(ids)
	})
	b.StopTimer()
	lat := fake.AckLatencies()
	slices.Sort(lat)
	if len(lat) == 0 {
		b.Fatal("no acknowledgements measured")
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(h.ad.disp.Pending()), "queued-at-end")
}
