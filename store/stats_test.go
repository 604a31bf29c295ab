package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/questions"
)

// days returns n consecutive dates starting at from (YYYY-MM-DD).
func days(t *testing.T, from string, n int) []string {
	t.Helper()
	d, err := time.Parse(time.DateOnly, from)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.AddDate(0, 0, i).Format(time.DateOnly)
	}
	return out
}

func concat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestStreakFromDays(t *testing.T) {
	for _, c := range []struct {
		name          string
		days          []string
		today         string
		current, best int
	}{
		{"empty", nil, "2025-03-12", 0, 0},
		{"single today", []string{"2025-03-12"}, "2025-03-12", 1, 1},
		// Today is not over: a streak practised up to yesterday is alive.
		{"single yesterday", []string{"2025-03-11"}, "2025-03-12", 1, 1},
		{"single two days ago", []string{"2025-03-10"}, "2025-03-12", 0, 1},
		{"run ended two days ago", days(t, "2025-03-01", 10), "2025-03-12", 0, 10},
		{"run ended three days ago", days(t, "2025-03-05", 5), "2025-03-12", 0, 5},
		{"long run to today", days(t, "2025-01-01", 71), "2025-03-12", 71, 71},
		{"long run to yesterday", days(t, "2025-01-01", 70), "2025-03-12", 70, 70},
		{"current shorter than best", concat(days(t, "2025-03-01", 5), days(t, "2025-03-10", 3)), "2025-03-12", 3, 5},
		{"current longer than best", concat(days(t, "2025-02-01", 2), days(t, "2025-03-05", 8)), "2025-03-12", 8, 8},
		{"broken by one day", []string{"2025-03-09", "2025-03-10", "2025-03-12"}, "2025-03-12", 1, 2},
		{"month boundary", []string{"2025-02-27", "2025-02-28", "2025-03-01"}, "2025-03-01", 3, 3},
		{"leap day", []string{"2024-02-28", "2024-02-29", "2024-03-01"}, "2024-03-02", 3, 3},
		// In a leap year 28 February and 1 March are not consecutive.
		{"missed leap day", []string{"2024-02-28", "2024-03-01"}, "2024-03-01", 1, 1},
		{"year boundary", []string{"2024-12-30", "2024-12-31", "2025-01-01"}, "2025-01-02", 3, 3},
		// Dates are calendar days: the night clocks change in a zone is
		// still one day apart from the next.
		{"across US DST start", []string{"2025-03-08", "2025-03-09", "2025-03-10"}, "2025-03-10", 3, 3},
		{"across EU DST end", []string{"2025-10-25", "2025-10-26", "2025-10-27"}, "2025-10-27", 3, 3},
		// A damaged row must not break the whole streak: it is skipped.
		{"bad dates skipped", []string{"2025-03-10", "garbage", "2025-03-11", "2025-3-12", ""}, "2025-03-12", 2, 2},
		{"only bad dates", []string{"nope", "2025-13-01"}, "2025-03-12", 0, 0},
		// Without a valid today the current streak cannot be known, but
		// the best is history and still stands.
		{"bad today", days(t, "2025-03-01", 4), "today", 0, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			cur, best := StreakFromDays(c.days, c.today)
			if cur != c.current || best != c.best {
				t.Errorf("StreakFromDays(%v, %s) = %d, %d; want %d, %d", c.days, c.today, cur, best, c.current, c.best)
			}
		})
	}
}

// Streak end to end: results committed at instants near local midnight in
// Los Angeles, across the night daylight time starts, must be counted on the
// user's dates. Counted in UTC the same instants give a different streak.
func TestStreakEndToEnd(t *testing.T) {
	ctx := context.Background()
	clk := &clock{}
	s := openTest(t, clk)
	la := mustLoad(t, "America/Los_Angeles")
	u := ensureUser(t, s, "slack", "T1", "U1")
	other := ensureUser(t, s, "slack", "T1", "U2")

	ok := func(q string, pts int) result { return result{qid: q, score: 7, points: pts, answered: true} }
	for _, a := range []struct {
		at time.Time
		rs []result
	}{
		{time.Date(2025, 3, 9, 4, 0, 0, 0, time.UTC), []result{ok("q1", 10)}},                // 8th, 20:00 PST
		{time.Date(2025, 3, 10, 6, 30, 0, 0, time.UTC), []result{ok("q2", 10)}},              // 9th, 23:30 PDT
		{time.Date(2025, 3, 10, 19, 0, 0, 0, time.UTC), []result{ok("q3", 10), ok("q4", 5)}}, // 10th, twice
		// Only a skipped question on the 11th: not practice, the run breaks.
		{time.Date(2025, 3, 11, 19, 0, 0, 0, time.UTC), []result{{qid: "q5", points: 0, answered: false}}},
		{time.Date(2025, 3, 12, 7, 15, 0, 0, time.UTC), []result{ok("q6", 10)}}, // 12th, 00:15 PDT
		{time.Date(2025, 3, 13, 16, 0, 0, 0, time.UTC), []result{ok("q7", 10)}}, // 13th
	} {
		clk.Set(a.at)
		record(t, s, u, "C1", la, la, a.rs...)
	}
	// Someone else's practice on the 11th must not bridge the gap.
	clk.Set(time.Date(2025, 3, 11, 19, 0, 0, 0, time.UTC))
	record(t, s, other, "C1", la, la, ok("q1", 10))

	for _, c := range []struct {
		today string
		want  Streak
	}{
		{"2025-03-13", Streak{Current: 2, Best: 3, LastDay: "2025-03-13", Today: true, Points: 55, Answered: 6}},
		{"2025-03-14", Streak{Current: 2, Best: 3, LastDay: "2025-03-13", Today: false, Points: 55, Answered: 6}},
		{"2025-03-20", Streak{Current: 0, Best: 3, LastDay: "2025-03-13", Today: false, Points: 55, Answered: 6}},
	} {
		got, err := s.Streak(ctx, u.ID, c.today)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("Streak(today %s) = %+v, want %+v", c.today, got, c.want)
		}
	}

	days, err := s.PractisedDays(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2025-03-08", "2025-03-09", "2025-03-10", "2025-03-12", "2025-03-13"}; !reflect.DeepEqual(days, want) {
		t.Errorf("PractisedDays = %v, want %v", days, want)
	}

	none := ensureUser(t, s, "slack", "T1", "U3")
	got, err := s.Streak(ctx, none.ID, "2025-03-13")
	if err != nil {
		t.Fatal(err)
	}
	if got != (Streak{}) {
		t.Errorf("Streak of a user with no practice = %+v, want zero", got)
	}
}

func TestAnsweredQuestions(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	s := openTest(t, clk)
	u := ensureUser(t, s, "slack", "T1", "U1")
	other := ensureUser(t, s, "slack", "T1", "U2")
	record(t, s, u, "C1", time.UTC, time.UTC,
		result{qid: "q1", score: 6, points: 9, answered: true},
		result{qid: "q2", answered: false}, // skipped: selection may ask it again
	)
	clk.Advance(time.Hour)
	record(t, s, u, "C1", time.UTC, time.UTC,
		result{qid: "q3", score: 2, points: 3, answered: true},
		result{qid: "q1", score: 9, points: 14, answered: true}, // asked again in a later session
	)
	record(t, s, other, "C1", time.UTC, time.UTC, result{qid: "q9", score: 5, points: 8, answered: true})

	got, err := s.AnsweredQuestions(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]bool{"q1": true, "q3": true}; !reflect.DeepEqual(got, want) {
		t.Errorf("AnsweredQuestions = %v, want %v", got, want)
	}
	fresh := ensureUser(t, s, "slack", "T1", "U3")
	if got, err := s.AnsweredQuestions(ctx, fresh.ID); err != nil || len(got) != 0 || got == nil {
		t.Errorf("AnsweredQuestions of a new user = %#v, %v; want an empty, non-nil map", got, err)
	}

	// Attempts feed spaced repetition: answered only, oldest first, with
	// the injected time of grading.
	atts, err := s.Attempts(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []questions.Attempt{
		{QuestionID: "q1", Score: 6, At: t0},
		{QuestionID: "q3", Score: 2, At: t0.Add(time.Hour)},
		{QuestionID: "q1", Score: 9, At: t0.Add(time.Hour)},
	}
	if len(atts) != len(want) {
		t.Fatalf("Attempts = %+v, want %+v", atts, want)
	}
	for i := range want {
		if atts[i].QuestionID != want[i].QuestionID || atts[i].Score != want[i].Score || !atts[i].At.Equal(want[i].At) {
			t.Errorf("attempt %d = %+v, want %+v", i, atts[i], want[i])
		}
	}

	tot, err := s.Totals(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tot.Points != 26 || tot.Answered != 3 {
		t.Errorf("Totals = %+v, want 26 points from 3 answers", tot)
	}
}

func TestActivityAndTopics(t *testing.T) {
	ctx := context.Background()
	clk := &clock{time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	s := openTest(t, clk)
	u := ensureUser(t, s, "slack", "T1", "U1")
	record(t, s, u, "C1", time.UTC, time.UTC, result{qid: "q1", topic: "caching", score: 4, points: 6, answered: true})
	clk.Set(time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))
	record(t, s, u, "C1", time.UTC, time.UTC,
		result{qid: "q2", topic: "caching", score: 8, points: 12, answered: true},
		result{qid: "q3", topic: "queues", score: 6, points: 9, answered: true},
		result{qid: "q4", topic: "queues", answered: false},
	)
	clk.Set(time.Date(2025, 3, 11, 12, 0, 0, 0, time.UTC))
	record(t, s, u, "C1", time.UTC, time.UTC, result{qid: "q5", topic: "api", score: 10, points: 15, answered: true})

	act, err := s.ActivityByDay(ctx, u.ID, "2025-03-05")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"2025-03-10": 2, "2025-03-11": 1}; !reflect.DeepEqual(act, want) {
		t.Errorf("ActivityByDay = %v, want %v", act, want)
	}

	topics, err := s.ScoresByTopic(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []TopicScore{{"api", 10, 1}, {"caching", 6, 2}, {"queues", 6, 1}}
	if !reflect.DeepEqual(topics, want) {
		t.Errorf("ScoresByTopic = %+v, want %+v", topics, want)
	}
}
