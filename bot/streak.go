package bot

import (
	"time"
)

// Calendar says which local days count for a streak: a channel's workweek
// minus its skipped holidays. The zero Calendar counts every day.
type Calendar struct {
	Workdays [7]bool // by time.Weekday; all false means every day counts
	Holidays map[string]bool
}

// DayState is what one day of the streak grid shows.
type DayState string

// The states of a day.
const (
	DayPractised DayState = "practised"
	DayFrozen    DayState = "frozen" // missed, covered by a freeze
	DayMissed    DayState = "missed" // missed, streak broken
	DayOff       DayState = "off"    // outside the workweek or a holiday
	DayOpen      DayState = "open"   // today, not practised yet
	DayBefore    DayState = "before" // before the first practice
)

// StreakReport is everything /streak shows.
type StreakReport struct {
	Current   int
	Longest   int
	Freezes   int
	Today     bool
	LastWeeks []DayMark // the last 28 days, oldest first
}

// DayMark is one day of the grid.
type DayMark struct {
	Day   time.Time
	State DayState
}

// Freeze rules: one freeze is earned for every 7 days of a run, at most
// maxFreezes held; a freeze covers a missed counting day automatically.
const (
	freezeEvery = 7
	maxFreezes  = 2
	gridDays    = 28
)

// dayNumber is a date's count of days since 1970-01-01; dates here are
// parsed as UTC midnights, so the division is exact.
func dayNumber(t time.Time) int { return int(t.Unix() / 86400) }

// ComputeStreak replays a user's practised local dates (sorted, distinct,
// YYYY-MM-DD) up to today against a calendar. It walks each day once with
// integer day numbers, so it costs time in proportion to days, not to
// answers. Days that do not count neither break nor extend a run, and today
// is never a miss: it is not over.
func ComputeStreak(practised []string, cal Calendar, today string) StreakReport {
	var r StreakReport
	endT, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return r
	}
	end := dayNumber(endT)
	did := make(map[int]bool, len(practised))
	first := -1
	for _, d := range practised {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			continue
		}
		n := dayNumber(t)
		if n > end {
			continue
		}
		did[n] = true
		if first < 0 || n < first {
			first = n
		}
	}
	holidays := make(map[int]bool, len(cal.Holidays))
	for h := range cal.Holidays {
		if t, err := time.Parse(time.DateOnly, h); err == nil {
			holidays[dayNumber(t)] = true
		}
	}
	anyWorkday := false
	for _, w := range cal.Workdays {
		anyWorkday = anyWorkday || w
	}
	counts := func(n int) bool {
		// 1970-01-01 was a Thursday.
		return !holidays[n] && (!anyWorkday || cal.Workdays[(n+4)%7])
	}
	gridStart := end - (gridDays - 1)
	mark := func(n int, st DayState) {
		if n >= gridStart {
			r.LastWeeks = append(r.LastWeeks, DayMark{endT.AddDate(0, 0, n-end), st})
		}
	}
	for n := gridStart; n <= end && (first < 0 || n < first); n++ {
		mark(n, DayBefore)
	}
	if first < 0 {
		return r
	}
	run := 0
	for n := first; n <= end; n++ {
		var state DayState
		switch {
		case !counts(n):
			state = DayOff
		case did[n]:
			state = DayPractised
			run++
			r.Longest = max(r.Longest, run)
			if run%freezeEvery == 0 && r.Freezes < maxFreezes {
				r.Freezes++
			}
		case n == end:
			state = DayOpen
		case r.Freezes > 0:
			state = DayFrozen
			r.Freezes--
		default:
			state = DayMissed
			run = 0
		}
		mark(n, state)
	}
	r.Current = run
	r.Today = did[end]
	return r
}
