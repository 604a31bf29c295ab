package bot

import (
	"testing"
	"time"
)

func days(start string, n int, skip ...int) []string {
	t, _ := time.Parse(time.DateOnly, start)
	skipped := map[int]bool{}
	for _, s := range skip {
		skipped[s] = true
	}
	var out []string
	for i := range n {
		if !skipped[i] {
			out = append(out, t.AddDate(0, 0, i).Format(time.DateOnly))
		}
	}
	return out
}

func weekdays() Calendar {
	var c Calendar
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
		c.Workdays[d] = true
	}
	return c
}

func TestComputeStreak(t *testing.T) {
	// 2026-03-02 is a Monday.
	cases := []struct {
		name                      string
		practised                 []string
		cal                       Calendar
		today                     string
		current, longest, freezes int
	}{
		{"nothing", nil, Calendar{}, "2026-03-10", 0, 0, 0},
		{"today only", []string{"2026-03-10"}, Calendar{}, "2026-03-10", 1, 1, 0},
		{"yesterday keeps it alive", []string{"2026-03-09"}, Calendar{}, "2026-03-10", 1, 1, 0},
		{"a missed day breaks it", []string{"2026-03-07", "2026-03-08"}, Calendar{}, "2026-03-10", 0, 2, 0},
		{"weekend does not break a workweek streak", []string{"2026-03-05", "2026-03-06", "2026-03-09"}, weekdays(), "2026-03-09", 3, 3, 0},
		{"weekend practice does not extend it", []string{"2026-03-06", "2026-03-07", "2026-03-09"}, weekdays(), "2026-03-09", 2, 2, 0},
		{"holiday neither breaks nor extends", []string{"2026-03-02", "2026-03-04"}, Calendar{Holidays: map[string]bool{"2026-03-03": true}}, "2026-03-04", 2, 2, 0},
		{"seven days earn a freeze", days("2026-03-01", 7), Calendar{}, "2026-03-07", 7, 7, 1},
		{"a freeze covers one missed day", days("2026-03-01", 9, 7), Calendar{}, "2026-03-09", 8, 8, 0},
		{"two misses need two freezes", days("2026-03-01", 17, 7, 15), Calendar{}, "2026-03-17", 15, 15, 0},
		{"at most two freezes held", days("2026-03-01", 28), Calendar{}, "2026-03-28", 28, 28, 2},
		{"freezes run out", days("2026-03-01", 10, 7, 8), Calendar{}, "2026-03-10", 1, 7, 0},
		{"leap day counts", []string{"2028-02-28", "2028-02-29", "2028-03-01"}, Calendar{}, "2028-03-01", 3, 3, 0},
		{"future dates ignored", []string{"2026-03-10", "2026-03-11"}, Calendar{}, "2026-03-10", 1, 1, 0},
	}
	for _, c := range cases {
		r := ComputeStreak(c.practised, c.cal, c.today)
		if r.Current != c.current || r.Longest != c.longest || r.Freezes != c.freezes {
			t.Errorf("%s: current %d longest %d freezes %d; want %d %d %d", c.name, r.Current, r.Longest, r.Freezes, c.current, c.longest, c.freezes)
		}
		if len(r.LastWeeks) != 28 {
			t.Errorf("%s: grid has %d days", c.name, len(r.LastWeeks))
		}
	}
}

func TestStreakGridMarks(t *testing.T) {
	r := ComputeStreak(days("2026-03-01", 9, 7), Calendar{}, "2026-03-10")
	last := r.LastWeeks[len(r.LastWeeks)-1]
	if last.State != DayOpen || last.Day.Format(time.DateOnly) != "2026-03-10" {
		t.Errorf("today = %+v", last)
	}
	if got := r.LastWeeks[len(r.LastWeeks)-3].State; got != DayFrozen {
		t.Errorf("2026-03-08 = %s, want frozen", got)
	}
	if got := r.LastWeeks[0].State; got != DayBefore {
		t.Errorf("first grid day = %s, want before", got)
	}
}

func BenchmarkComputeStreakFiveYears(b *testing.B) {
	practised := days("2021-01-01", 5*365)
	b.ReportAllocs()
	for b.Loop() {
		ComputeStreak(practised, weekdays(), "2025-12-30")
	}
}
