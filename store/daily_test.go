package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
)

func TestScheduleRoundTrip(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	s := openTest(t, clk)
	ch := Channel{Platform: "slack", Team: "T1", ID: "C1"}
	if _, err := s.Schedule(ctx, ch); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Schedule before saving = %v, want ErrNotFound", err)
	}
	want := Schedule{Channel: ch, At: "09:30", TZ: "Europe/Berlin", Days: []time.Weekday{time.Monday, time.Wednesday, time.Friday},
		Topics: []string{"caching", "queues"}, Level: "mid", Reveal: 8 * time.Hour, Enabled: true}
	if err := s.SaveSchedule(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Schedule(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Schedule = %+v, want %+v", got, want)
	}
	// Saving again replaces the schedule (one per channel), and a disabled
	// one is not listed for the scheduler.
	want.At, want.Topics, want.Enabled = "10:00", nil, false
	if err := s.SaveSchedule(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, err = s.Schedule(ctx, ch); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Schedule after replace = %+v, %v; want %+v", got, err, want)
	}
	other := Schedule{Channel: Channel{"slack", "T1", "C2"}, At: "08:00", TZ: "UTC", Days: []time.Weekday{time.Sunday, time.Saturday}, Reveal: time.Hour, Enabled: true}
	if err := s.SaveSchedule(ctx, other); err != nil {
		t.Fatal(err)
	}
	all, err := s.Schedules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || !reflect.DeepEqual(all[0], other) {
		t.Errorf("Schedules = %+v, want only %+v", all, other)
	}
}

func TestSkips(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	ch := Channel{"slack", "T1", "C1"}
	for _, d := range []string{"2025-12-25", "2025-12-26", "2025-12-25"} { // a repeat is no error
		if err := s.AddSkip(ctx, ch, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddSkip(ctx, Channel{"slack", "T1", "C2"}, "2025-01-01"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Skips(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]bool{"2025-12-25": true, "2025-12-26": true}; !reflect.DeepEqual(got, want) {
		t.Errorf("Skips = %v, want %v", got, want)
	}
}

// ClaimPost is what makes a daily post exactly-once across processes: the
// first claim wins; a second is refused while the first may still be
// sending; an unsent claim is taken over once its lease has run out; a sent
// post is never claimed again.
func TestClaimPost(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	s := openTest(t, clk)
	ch := Channel{"slack", "T1", "C1"}
	p := Post{Channel: ch, Day: "2025-03-12", QuestionID: "q1", RevealAt: t0.Add(8 * time.Hour)}

	got, mine, err := s.ClaimPost(ctx, p)
	if err != nil || !mine {
		t.Fatalf("first claim = %v, %v; want ours", mine, err)
	}
	if got.ID == 0 || got.QuestionID != "q1" || got.Sent || !got.ClaimedAt.Equal(t0) || !got.RevealAt.Equal(p.RevealAt) {
		t.Errorf("claimed post = %+v", got)
	}
	id := got.ID

	for _, c := range []struct {
		name  string
		after time.Duration // since the first claim
		mine  bool
	}{
		{"at once", 0, false},
		{"within the lease", ClaimLease - time.Second, false},
		// The lease is strict: exactly at its end the claim still holds.
		{"at the lease's end", ClaimLease, false},
		{"after the lease", ClaimLease + time.Second, true},
		// The takeover renewed the claim, so a third attempt waits again.
		{"right after a takeover", ClaimLease + 2*time.Second, false},
	} {
		clk.Set(t0.Add(c.after))
		got, mine, err := s.ClaimPost(ctx, Post{Channel: ch, Day: "2025-03-12", QuestionID: "q2", RevealAt: t0})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if mine != c.mine {
			t.Errorf("%s: claim is ours = %v, want %v", c.name, mine, c.mine)
		}
		// A later claim never changes which question was posted.
		if got.ID != id || got.QuestionID != "q1" {
			t.Errorf("%s: post = %+v, want id %d with q1", c.name, got, id)
		}
	}

	if err := s.MarkSent(ctx, id, "1700000000.000200"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * ClaimLease)
	got, mine, err = s.ClaimPost(ctx, p)
	if err != nil || mine {
		t.Errorf("claim of a sent post = %v, %v; want refused", mine, err)
	}
	if !got.Sent || got.MessageRef != "1700000000.000200" {
		t.Errorf("sent post = %+v", got)
	}

	// Another day, or another channel the same day, is a new post.
	if _, mine, err := s.ClaimPost(ctx, Post{Channel: ch, Day: "2025-03-13", QuestionID: "q3", RevealAt: t0}); err != nil || !mine {
		t.Errorf("next day's claim = %v, %v", mine, err)
	}
	if _, mine, err := s.ClaimPost(ctx, Post{Channel: Channel{"slack", "T1", "C2"}, Day: "2025-03-12", QuestionID: "q1", RevealAt: t0}); err != nil || !mine {
		t.Errorf("other channel's claim = %v, %v", mine, err)
	}
}

func TestRevealAndLatest(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	s := openTest(t, clk)
	ch := Channel{"slack", "T1", "C1"}
	if _, err := s.LatestPost(ctx, ch); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LatestPost with none = %v, want ErrNotFound", err)
	}
	post := func(day, q string, reveal time.Time, sent bool) Post {
		p, mine, err := s.ClaimPost(ctx, Post{Channel: ch, Day: day, QuestionID: q, RevealAt: reveal})
		if err != nil || !mine {
			t.Fatalf("claim %s: %v %v", day, mine, err)
		}
		if sent {
			if err := s.MarkSent(ctx, p.ID, "ref-"+day); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	mon := post("2025-03-10", "q1", t0.Add(-48*time.Hour), true)
	tue := post("2025-03-11", "q2", t0.Add(-24*time.Hour), true)
	post("2025-03-12", "q3", t0.Add(-time.Hour), false)  // claimed, never sent
	post("2025-03-13", "q4", t0.Add(24*time.Hour), true) // sent, reveal not due

	due, err := s.PostsToReveal(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 || due[0].ID != mon.ID || due[1].ID != tue.ID {
		t.Fatalf("PostsToReveal = %+v, want Monday's then Tuesday's", due)
	}
	// A recap is posted once: the second MarkRevealed reports false.
	if ok, err := s.MarkRevealed(ctx, mon.ID); err != nil || !ok {
		t.Errorf("first MarkRevealed = %v, %v", ok, err)
	}
	if ok, err := s.MarkRevealed(ctx, mon.ID); err != nil || ok {
		t.Errorf("second MarkRevealed = %v, %v; want false", ok, err)
	}
	if due, err = s.PostsToReveal(ctx, t0); err != nil || len(due) != 1 || due[0].ID != tue.ID {
		t.Errorf("PostsToReveal after revealing Monday = %+v, %v", due, err)
	}

	latest, err := s.LatestPost(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if latest.Day != "2025-03-13" || latest.MessageRef != "ref-2025-03-13" {
		t.Errorf("LatestPost = %+v, want the 13th's sent post", latest)
	}
	// A post whose message is on screen before its sending is recorded
	// counts as the latest once its button is pressed, and only then.
	wed := post("2025-03-14", "q5", t0.Add(48*time.Hour), false)
	if shown, err := s.LatestPostShown(ctx, ch, wed.ID); err != nil || shown.ID != wed.ID {
		t.Errorf("LatestPostShown(the 14th) = %+v, %v; want the 14th's claimed post", shown, err)
	}
	if shown, err := s.LatestPostShown(ctx, ch, mon.ID); err != nil || shown.Day != "2025-03-13" {
		t.Errorf("LatestPostShown(an older post) = %+v, %v; want the 13th's", shown, err)
	}
	if latest, err := s.LatestPost(ctx, ch); err != nil || latest.Day != "2025-03-13" {
		t.Errorf("LatestPost with an unsent claim for the 14th = %+v, %v; want the 13th's", latest, err)
	}
	used, err := s.UsedQuestions(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1}; !reflect.DeepEqual(used, want) {
		t.Errorf("UsedQuestions = %v, want %v", used, want)
	}
}

// A daily answer can be resubmitted; the user keeps one result per post,
// and the boards must follow the replacement, including when the first
// answer counted in a week that has since ended.
func TestSaveDailyAnswerResubmission(t *testing.T) {
	ctx := context.Background()
	sunday := time.Date(2025, 3, 16, 22, 0, 0, 0, time.UTC)
	clk := &clock{sunday}
	s := openTest(t, clk)
	ch := Channel{"slack", "T1", "C1"}
	u := ensureUser(t, s, "slack", "T1", "U1")
	post, _, err := s.ClaimPost(ctx, Post{Channel: ch, Day: "2025-03-16", QuestionID: "q1", RevealAt: sunday.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	save := func(score float64, pts int) {
		t.Helper()
		a := DailyAnswer{PostID: post.ID, UserID: u.ID, Answer: fmt.Sprintf("an answer worth %v", score), Evaluation: sampleEvaluation("q1"), Score: score, Share: true}
		r := interview.Result{QuestionID: "q1", Topic: "caching", Level: "mid", Score: score, Points: pts, Answered: true, Grader: "rubric/3"}
		if err := s.SaveDailyAnswer(ctx, post, a, r, time.UTC, time.UTC); err != nil {
			t.Fatal(err)
		}
	}
	weekBoard := func(at time.Time) string {
		t.Helper()
		rows, err := s.Board(ctx, BoardQuery{Platform: "slack", Team: "T1", Channel: "C1", Period: PeriodWeek, At: at})
		if err != nil {
			t.Fatal(err)
		}
		return boardString(rows)
	}

	save(4, 6)
	clk.Set(sunday.Add(4 * time.Hour)) // Monday: a new week
	save(9, 14)

	if got := weekBoard(sunday); got != "" {
		t.Errorf("last week's board still shows the replaced answer: %q", got)
	}
	if got := weekBoard(clk.Now()); got != "1.name-U1:14 " {
		t.Errorf("this week's board = %q, want only the new answer", got)
	}
	all, err := s.Leaderboard(ctx, "slack", "T1", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Points != 14 || all[0].Answered != 1 || all[0].Average != 9 {
		t.Errorf("all-time board = %+v, want one answer of 14 points", all)
	}
	tot, err := s.Totals(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tot.Points != 14 || tot.Answered != 1 {
		t.Errorf("Totals = %+v, want 14 points from one answer", tot)
	}
	if days, err := s.PractisedDays(ctx, u.ID); err != nil || !reflect.DeepEqual(days, []string{"2025-03-17"}) {
		t.Errorf("PractisedDays = %v, %v; want the resubmission's day", days, err)
	}

	other := ensureUser(t, s, "slack", "T1", "U2")
	if err := s.SaveDailyAnswer(ctx, post, DailyAnswer{PostID: post.ID, UserID: other.ID, Answer: "short", Score: 5},
		interview.Result{QuestionID: "q1", Topic: "caching", Score: 5, Points: 5, Answered: true, Grader: "rubric/3"}, time.UTC, time.UTC); err != nil {
		t.Fatal(err)
	}
	answers, err := s.DailyAnswers(ctx, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 2 || answers[0].UserID != u.ID || answers[0].Score != 9 || !answers[0].Share || answers[0].UserName != "name-U1" ||
		answers[1].UserID != other.ID || answers[1].Share {
		t.Errorf("DailyAnswers = %+v, want U1 (9, shared) then U2", answers)
	}
}
