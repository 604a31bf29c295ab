package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestPeriodKey(t *testing.T) {
	la := mustLoad(t, "America/Los_Angeles")
	akl := mustLoad(t, "Pacific/Auckland")
	for _, c := range []struct {
		period string
		at     time.Time
		want   string
	}{
		{PeriodAll, t0, "all"},
		{"", t0, "all"},
		{"fortnight", t0, "all"}, // unknown periods fall back to all time
		{PeriodWeek, time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC), "w:2025-03-10"},   // Monday starts a week
		{PeriodWeek, time.Date(2025, 3, 12, 12, 0, 0, 0, time.UTC), "w:2025-03-10"},  // Wednesday
		{PeriodWeek, time.Date(2025, 3, 16, 23, 59, 0, 0, time.UTC), "w:2025-03-10"}, // Sunday ends it
		{PeriodWeek, time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC), "w:2024-12-30"},   // across the new year
		{PeriodWeek, time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC), "w:2025-02-24"},   // across a month
		// The week is the zone's: late Sunday in Los Angeles, the night
		// daylight time starts, is already Monday in UTC.
		{PeriodWeek, time.Date(2025, 3, 9, 23, 30, 0, 0, la), "w:2025-03-03"},
		{PeriodWeek, time.Date(2025, 3, 10, 0, 10, 0, 0, la), "w:2025-03-10"},
		{PeriodWeek, time.Date(2025, 4, 6, 2, 30, 0, 0, akl), "w:2025-03-31"}, // the hour NZ daylight time ends
		{PeriodMonth, time.Date(2025, 3, 31, 23, 59, 0, 0, time.UTC), "m:2025-03"},
		{PeriodMonth, time.Date(2025, 3, 1, 0, 30, 0, 0, akl), "m:2025-03"}, // still February in UTC
		{PeriodMonth, time.Date(2024, 12, 31, 23, 0, 0, 0, la), "m:2024-12"},
	} {
		if got := PeriodKey(c.period, c.at); got != c.want {
			t.Errorf("PeriodKey(%q, %v) = %q, want %q", c.period, c.at, got, c.want)
		}
	}
}

// boardFixture puts a small team's history on the record, all scored in
// UTC boards:
//
//	slack/T1:  ada  C1  this week 2 answers x 10 pts (scores 7+7); last week 30 pts
//	           bob  C2  this week 1 answer 20 pts (score 9)
//	           cy   C1  last month 40 pts
//	           dee  C1  this week one skipped question (answered = false)
//	           gus  C1  this week 45 pts, opted out of boards
//	           hal  C1  this week 1 pt
//	slack/T2:  eve  C1  this week 100 pts
//	discord/T1: fay C1  this week 100 pts
func boardFixture(t *testing.T) *Store {
	t.Helper()
	clk := &clock{}
	s := openTest(t, clk)
	u := func(platform, team, name string) User { return ensureUser(t, s, platform, team, name) }
	at := func(tm time.Time, user User, channel string, rs ...result) {
		clk.Set(tm)
		record(t, s, user, channel, time.UTC, time.UTC, rs...)
	}
	ada, bob, cy, dee, gus, hal := u("slack", "T1", "ada"), u("slack", "T1", "bob"), u("slack", "T1", "cy"), u("slack", "T1", "dee"), u("slack", "T1", "gus"), u("slack", "T1", "hal")
	eve, fay := u("slack", "T2", "eve"), u("discord", "T1", "fay")

	thisWeek, lastWeek, lastMonth := t0, t0.AddDate(0, 0, -7), time.Date(2025, 2, 20, 12, 0, 0, 0, time.UTC)
	at(thisWeek, ada, "C1", result{qid: "q1", score: 7, points: 10, answered: true}, result{qid: "q2", score: 7, points: 10, answered: true})
	at(lastWeek, ada, "C1", result{qid: "q3", score: 10, points: 30, answered: true})
	at(thisWeek, bob, "C2", result{qid: "q1", score: 9, points: 20, answered: true})
	at(lastMonth, cy, "C1", result{qid: "q1", score: 9, points: 40, answered: true})
	at(thisWeek, dee, "C1", result{qid: "q1", score: 3, points: 5, answered: false})
	at(thisWeek, gus, "C1", result{qid: "q1", score: 9, points: 45, answered: true})
	at(thisWeek, hal, "C1", result{qid: "q1", score: 1, points: 1, answered: true})
	at(thisWeek, eve, "C1", result{qid: "q1", score: 10, points: 100, answered: true})
	at(thisWeek, fay, "C1", result{qid: "q1", score: 10, points: 100, answered: true})
	if err := s.SetBoardOptOut(context.Background(), gus.ID, true); err != nil {
		t.Fatal(err)
	}
	return s
}

// boardString renders rows compactly so a table case can state the whole
// expected board, order and ranks included, in one line.
func boardString(rows []LeaderRow) string {
	out := ""
	for _, r := range rows {
		out += fmt.Sprintf("%d.%s:%d ", r.Rank, r.Name, r.Points)
	}
	return out
}

func TestBoard(t *testing.T) {
	s := boardFixture(t)
	T1 := BoardQuery{Platform: "slack", Team: "T1", At: t0}
	q := func(mod func(*BoardQuery)) BoardQuery { c := T1; mod(&c); return c }
	for _, c := range []struct {
		name  string
		query BoardQuery
		want  string
	}{
		// Opted-out gus and skipping dee are absent everywhere; eve (other
		// team) and fay (other platform) too.
		{"all time", q(func(b *BoardQuery) { b.Period = PeriodAll }), "1.name-ada:50 2.name-cy:40 3.name-bob:20 4.name-hal:1 "},
		// Ties share a rank, and the next rank skips (1, 1, 3). Among the
		// tied, the higher score total comes first.
		{"this week", q(func(b *BoardQuery) { b.Period = PeriodWeek }), "1.name-ada:20 1.name-bob:20 3.name-hal:1 "},
		{"last week", q(func(b *BoardQuery) { b.Period = PeriodWeek; b.At = t0.AddDate(0, 0, -7) }), "1.name-ada:30 "},
		{"week with nothing", q(func(b *BoardQuery) { b.Period = PeriodWeek; b.At = t0.AddDate(0, 0, 7) }), ""},
		{"this month", q(func(b *BoardQuery) { b.Period = PeriodMonth }), "1.name-ada:50 2.name-bob:20 3.name-hal:1 "},
		{"last month", q(func(b *BoardQuery) { b.Period = PeriodMonth; b.At = time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC) }), "1.name-cy:40 "},
		{"channel C1 week", q(func(b *BoardQuery) { b.Period = PeriodWeek; b.Channel = "C1" }), "1.name-ada:20 2.name-hal:1 "},
		{"channel C2 week", q(func(b *BoardQuery) { b.Period = PeriodWeek; b.Channel = "C2" }), "1.name-bob:20 "},
		{"min answers", q(func(b *BoardQuery) { b.Period = PeriodWeek; b.MinAnswers = 2 }), "1.name-ada:20 "},
		{"limit", q(func(b *BoardQuery) { b.Period = PeriodWeek; b.Limit = 1 }), "1.name-ada:20 "},
		// gus (45) would be second; hidden, he must not use up a place.
		{"limit with opted-out", q(func(b *BoardQuery) { b.Period = PeriodAll; b.Limit = 3 }), "1.name-ada:50 2.name-cy:40 3.name-bob:20 "},
		{"other team", BoardQuery{Platform: "slack", Team: "T2", Period: PeriodAll, At: t0}, "1.name-eve:100 "},
		{"other platform", BoardQuery{Platform: "discord", Team: "T1", Period: PeriodWeek, At: t0}, "1.name-fay:100 "},
		{"unknown team", BoardQuery{Platform: "slack", Team: "T9", Period: PeriodAll, At: t0}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, err := s.Board(context.Background(), c.query)
			if err != nil {
				t.Fatal(err)
			}
			if got := boardString(rows); got != c.want {
				t.Errorf("board = %q, want %q", got, c.want)
			}
		})
	}
}

func TestBoardDetails(t *testing.T) {
	ctx := context.Background()
	s := boardFixture(t)
	rows, err := s.Board(ctx, BoardQuery{Platform: "slack", Team: "T1", Period: PeriodWeek, At: t0})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("rows = %+v", rows)
	}
	// Answered counts graded answers and Average is their mean score.
	if r := rows[0]; r.Answered != 2 || r.Average != 7 || r.UserID == 0 {
		t.Errorf("ada's row = %+v, want 2 answers averaging 7", r)
	}
	if r := rows[1]; r.Answered != 1 || r.Average != 9 {
		t.Errorf("bob's row = %+v, want 1 answer averaging 9", r)
	}

	// Leaderboard is the all-time team board.
	all, err := s.Leaderboard(ctx, "slack", "T1", 2)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := boardString(all), "1.name-ada:50 2.name-cy:40 "; got != want {
		t.Errorf("Leaderboard = %q, want %q", got, want)
	}

	// Opting back in shows the user again.
	gus := ensureUser(t, s, "slack", "T1", "gus")
	if err := s.SetBoardOptOut(ctx, gus.ID, false); err != nil {
		t.Fatal(err)
	}
	all, err = s.Leaderboard(ctx, "slack", "T1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := boardString(all), "1.name-ada:50 2.name-gus:45 3.name-cy:40 4.name-bob:20 5.name-hal:1 "; got != want {
		t.Errorf("Leaderboard after opting back in = %q, want %q", got, want)
	}
}

// Limit 0 means the default of ten, not an empty board.
func TestBoardDefaultLimit(t *testing.T) {
	clk := &clock{t0}
	s := openTest(t, clk)
	for i := range 12 {
		u := ensureUser(t, s, "slack", "T1", fmt.Sprintf("u%02d", i))
		record(t, s, u, "C1", time.UTC, time.UTC, result{qid: "q1", score: 5, points: 100 - i, answered: true})
	}
	rows, err := s.Board(context.Background(), BoardQuery{Platform: "slack", Team: "T1", Period: PeriodAll, At: t0})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 10 || rows[0].Points != 100 || rows[9].Points != 91 || rows[9].Rank != 10 {
		t.Errorf("default board = %q", boardString(rows))
	}
}

// Points count in the board zone's week, which need not be the user's or
// UTC's: Sunday 20:00 UTC is Monday morning in Auckland.
func TestBoardZone(t *testing.T) {
	ctx := context.Background()
	akl := mustLoad(t, "Pacific/Auckland")
	at := time.Date(2025, 3, 9, 20, 0, 0, 0, time.UTC) // Mon 10 March 09:00 NZDT
	for _, c := range []struct {
		name      string
		boardLoc  *time.Location
		week      string // the Monday whose board shows the answer
		emptyWeek string
	}{
		{"auckland board", akl, "2025-03-10", "2025-03-03"},
		{"utc board", time.UTC, "2025-03-03", "2025-03-10"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := openTest(t, &clock{at})
			u := ensureUser(t, s, "slack", "T1", "U1")
			record(t, s, u, "C1", akl, c.boardLoc, result{qid: "q1", score: 8, points: 12, answered: true})
			for week, want := range map[string]int{c.week: 1, c.emptyWeek: 0} {
				monday, err := time.ParseInLocation(time.DateOnly, week, c.boardLoc)
				if err != nil {
					t.Fatal(err)
				}
				rows, err := s.Board(ctx, BoardQuery{Platform: "slack", Team: "T1", Period: PeriodWeek, At: monday.Add(36 * time.Hour)})
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != want {
					t.Errorf("week of %s: %d rows, want %d", week, len(rows), want)
				}
			}
		})
	}
}
