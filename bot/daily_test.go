package bot

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/store"
)

// wordEvaluator makes every key point present when the answer says
// "STRONG" and absent otherwise, so board tests do not depend on which
// question the day drew.
type wordEvaluator struct{}

func (wordEvaluator) Name() string { return "word/1" }

func (wordEvaluator) Evaluate(_ context.Context, req interview.Request) (interview.Evaluation, error) {
	v := interview.Absent
	if strings.Contains(req.Answer, "STRONG") {
		v = interview.Present
	}
	ev := interview.Evaluation{QuestionID: req.Question.ID, Grader: "word/1"}
	for _, kp := range req.Question.KeyPoints {
		ev.Verdicts = append(ev.Verdicts, interview.PointVerdict{KeyPoint: kp.ID, Verdict: v, Evidence: req.Answer})
	}
	return ev, nil
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func sched(zone, at string, days ...time.Weekday) store.Schedule {
	if len(days) == 0 {
		days = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	return store.Schedule{At: at, TZ: zone, Days: days, Reveal: 8 * time.Hour, Enabled: true}
}

func TestNextPost(t *testing.T) {
	everyDay := []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	cases := []struct {
		name   string
		sc     store.Schedule
		skips  map[string]bool
		posted bool
		now    string // RFC 3339
		want   string // RFC 3339 in the schedule's zone
	}{
		{"before spring-forward in Berlin", sched("Europe/Berlin", "09:30", everyDay...), nil, false, "2026-03-28T12:00:00Z", "2026-03-28T09:30:00+01:00"},
		{"posted: next day crosses spring-forward", sched("Europe/Berlin", "09:30", everyDay...), nil, true, "2026-03-28T12:00:00Z", "2026-03-29T09:30:00+02:00"},
		{"after fall-back in Berlin", sched("Europe/Berlin", "09:30", everyDay...), nil, true, "2026-10-24T12:00:00Z", "2026-10-25T09:30:00+01:00"},
		{"New York spring-forward", sched("America/New_York", "09:30", everyDay...), nil, true, "2026-03-07T20:00:00Z", "2026-03-08T09:30:00-04:00"},
		{"New York fall-back", sched("America/New_York", "09:30", everyDay...), nil, true, "2026-10-31T20:00:00Z", "2026-11-01T09:30:00-05:00"},
		{"30-minute offset zone", sched("Asia/Kolkata", "09:00", everyDay...), nil, true, "2026-06-01T10:00:00Z", "2026-06-02T09:00:00+05:30"},
		{"leap day", sched("UTC", "08:00", everyDay...), nil, true, "2028-02-28T10:00:00Z", "2028-02-29T08:00:00Z"},
		{"weekend skipped to Monday", sched("Europe/Berlin", "09:30"), nil, true, "2026-06-05T10:00:00Z", "2026-06-08T09:30:00+02:00"},
		{"holiday skipped", sched("Europe/Berlin", "09:30"), map[string]bool{"2026-12-24": true}, true, "2026-12-23T10:00:00Z", "2026-12-25T09:30:00+01:00"},
		{"missed tick: today's post is still due, late", sched("Europe/Berlin", "09:30"), nil, false, "2026-06-03T07:50:00Z", "2026-06-03T09:30:00+02:00"},
		{"local date decides, not UTC date", sched("Asia/Kolkata", "09:00", everyDay...), nil, false, "2026-06-01T20:00:00Z", "2026-06-02T09:00:00+05:30"},
	}
	for _, c := range cases {
		now, _ := time.Parse(time.RFC3339, c.now)
		want, _ := time.Parse(time.RFC3339, c.want)
		got, err := NextPost(c.sc, c.skips, c.posted, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: NextPost = %v, %v; want %v", c.name, got, err, want)
		}
		if err == nil && got.In(mustZone(t, c.sc.TZ)).Format("15:04") != c.sc.At {
			t.Errorf("%s: local time %s, want %s", c.name, got.In(mustZone(t, c.sc.TZ)).Format("15:04"), c.sc.At)
		}
	}
}

func TestParseSchedule(t *testing.T) {
	b := testBank(t)
	base := DefaultSchedule(store.Channel{Platform: "p", Team: "t", ID: "c"}, "UTC")
	sc, err := ParseSchedule(base, strings.Fields("time=07:05 tz=Asia/Kolkata days=mon,wed,fri topics=caching,rest level=senior reveal=90m"), b)
	if err != nil {
		t.Fatal(err)
	}
	if sc.At != "07:05" || sc.TZ != "Asia/Kolkata" || len(sc.Days) != 3 || sc.Days[1] != time.Wednesday ||
		strings.Join(sc.Topics, ",") != "caching,rest" || sc.Level != "senior" || sc.Reveal != 90*time.Minute {
		t.Errorf("parsed %+v", sc)
	}
	if sc, _ := ParseSchedule(base, []string{"days=fri-mon"}, b); len(sc.Days) != 4 {
		t.Errorf("wrapping range fri-mon = %v", sc.Days)
	}
	for arg, field := range map[string]string{
		"time=9h": "time=", "tz=Mars/Olympus": "tz=", "days=someday": "days=", "topics=astrology": "topics:",
		"level=guru": "level=", "reveal=1s": "reveal=", "colour=blue": "unknown field", "time": "key=value",
	} {
		_, err := ParseSchedule(base, []string{arg}, b)
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %v, want one naming %q", arg, err, field)
		}
	}
}

// recordingPoster is the platform edge for scheduler tests: it records
// posts and can fail on demand.
type recordingPoster struct {
	mu      sync.Mutex
	posts   []string
	replies []string
	fail    bool
}

func (p *recordingPoster) Post(_ context.Context, ch store.Channel, msg Message) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail {
		return "", errors.New("platform answered 429")
	}
	p.posts = append(p.posts, ch.ID+": "+msg.Text)
	return "ref-" + ch.ID, nil
}

func (p *recordingPoster) Reply(_ context.Context, ch store.Channel, ref string, msg Message) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail {
		return errors.New("platform answered 503")
	}
	p.replies = append(p.replies, ref+": "+msg.Text)
	return nil
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t, _ = time.Parse(time.RFC3339, s)
}

// twoProcesses opens two apps on one database file, as two bot processes
// sharing a database would.
func twoProcesses(t *testing.T) (*App, *App, *recordingPoster, *testClock) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "daily.db")
	clock := &testClock{}
	clock.Set("2026-06-01T06:00:00Z")
	poster := &recordingPoster{}
	var apps []*App
	for range 2 {
		st, err := store.Open(context.Background(), path, store.Options{Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		app := NewApp(Config{Store: st, Bank: testBank(t), Evaluator: wordEvaluator{}, Now: clock.Now, Location: time.UTC, Seed: 5})
		app.Poster = poster
		apps = append(apps, app)
	}
	return apps[0], apps[1], poster, clock
}

var admin = Who{Platform: "slack", Team: "T1", Channel: "C1", User: "U1", Name: "ana", Admin: true}

func TestDailyPostsOncePerDayAcrossProcessesAndRestarts(t *testing.T) {
	a, b, poster, clock := twoProcesses(t)
	ctx := context.Background()
	a.HandleCommand(ctx, admin, Command{Name: "daily", Args: []string{"setup"}, Raw: "setup time=09:30 tz=Europe/Berlin days=mon-fri topics=caching level=mid reveal=8h"})
	// 07:20 UTC is 09:20 in Berlin: not yet.
	clock.Set("2026-06-01T07:20:00Z")
	Scheduler{a}.Tick(ctx)
	if len(poster.posts) != 0 {
		t.Fatalf("posted early: %v", poster.posts)
	}
	// Down at 09:30, back at 09:50: both processes tick; one post, late.
	clock.Set("2026-06-01T07:50:00Z")
	var wg sync.WaitGroup
	for _, app := range []*App{a, b, a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); Scheduler{app}.Tick(ctx) }()
	}
	wg.Wait()
	if len(poster.posts) != 1 || !strings.Contains(poster.posts[0], "Daily question") {
		t.Fatalf("posts = %v, want exactly one", poster.posts)
	}
	// Back the next day after the time: posts that day's, not a second for yesterday.
	clock.Set("2026-06-02T09:00:00Z")
	Scheduler{b}.Tick(ctx)
	Scheduler{a}.Tick(ctx)
	if len(poster.posts) != 2 {
		t.Errorf("posts = %d, want 2 after the second day", len(poster.posts))
	}
	if strings.SplitN(poster.posts[0], "\n", 2)[0] == strings.SplitN(poster.posts[1], "\n", 2)[0] {
		t.Errorf("the same question was posted twice in a row: %q", poster.posts[0])
	}
}

func TestFailedSendIsRetriedNotDuplicated(t *testing.T) {
	a, b, poster, clock := twoProcesses(t)
	ctx := context.Background()
	a.HandleCommand(ctx, admin, Command{Name: "daily", Args: []string{"setup"}, Raw: "setup time=09:00 tz=UTC days=daily"})
	clock.Set("2026-06-01T09:00:00Z")
	poster.fail = true
	if _, err := (Scheduler{a}).Tick(ctx); err == nil {
		t.Error("a failed send should be reported")
	}
	poster.fail = false
	// Within the claim's lease nobody retries: the first sender may still be at it.
	clock.Set("2026-06-01T09:01:00Z")
	Scheduler{b}.Tick(ctx)
	if len(poster.posts) != 0 {
		t.Fatalf("retried inside the lease: %v", poster.posts)
	}
	clock.Set("2026-06-01T09:03:00Z")
	Scheduler{b}.Tick(ctx)
	Scheduler{a}.Tick(ctx)
	if len(poster.posts) != 1 {
		t.Errorf("posts after retry = %d, want 1", len(poster.posts))
	}
}

func TestDailyAnswerRecapAndMondaySummary(t *testing.T) {
	a, b, poster, clock := twoProcesses(t)
	ctx := context.Background()
	a.HandleCommand(ctx, admin, Command{Name: "daily", Args: []string{"setup"}, Raw: "setup time=09:00 tz=UTC days=daily topics=caching reveal=2h"})
	clock.Set("2026-06-01T09:00:00Z") // a Monday
	Scheduler{a}.Tick(ctx)
	if len(poster.posts) != 1 {
		t.Fatalf("posts = %q, want the question only: a Monday after a silent week gets no summary", poster.posts)
	}
	bo := Who{Platform: "slack", Team: "T1", Channel: "C1", User: "U2", Name: "bo"}
	strong := "STRONG answer"
	first := allText(a.DailyAnswer(ctx, bo, "a weak first try", false))
	second := allText(a.DailyAnswer(ctx, bo, strong, true))
	if !strings.Contains(first, "/10") || !strings.Contains(second, "/10") {
		t.Fatalf("feedback: %q / %q", first, second)
	}
	a.DailyAnswer(ctx, admin, "Caching is when you keep data somewhere.", false)
	clock.Set("2026-06-01T11:05:00Z")
	Scheduler{a}.Tick(ctx)
	Scheduler{b}.Tick(ctx)
	Scheduler{a}.Tick(ctx)
	if len(poster.replies) != 1 {
		t.Fatalf("recaps = %d, want exactly 1", len(poster.replies))
	}
	if !strings.Contains(poster.replies[0], "2 answered") {
		t.Errorf("recap = %q; a resubmission must replace, not add", poster.replies[0])
	}
	if msg := allText(a.DailyAnswer(ctx, bo, strong, true)); !strings.Contains(msg, "revealed") {
		t.Errorf("answer after the reveal: %q", msg)
	}
	// The next Monday summarises the week with answers, once.
	clock.Set("2026-06-08T09:10:00Z")
	Scheduler{a}.Tick(ctx)
	Scheduler{b}.Tick(ctx)
	summaries := 0
	for _, p := range poster.posts {
		if strings.Contains(p, "Leaderboard, last week") {
			summaries++
			if !strings.Contains(p, "2 people answered 2 questions") {
				t.Errorf("summary = %q", p)
			}
		}
	}
	if summaries != 1 {
		t.Errorf("Monday summaries = %d, want 1", summaries)
	}

}

func TestLeaderboardThresholdOptOutAndImprovement(t *testing.T) {
	a, _, _, clock := twoProcesses(t)
	ctx := context.Background()
	a.HandleCommand(ctx, admin, Command{Name: "daily", Args: []string{"setup"}, Raw: "setup time=09:00 tz=UTC days=daily topics=caching reveal=20h"})
	users := []Who{admin, {Platform: "slack", Team: "T1", Channel: "C1", User: "U2", Name: "bo"}}
	weak, strong := "Caching keeps a copy of data.", "STRONG answer"
	// Last week: both weak. This week: bo strong three times, ana once.
	day := func(d int) string { return time.Date(2026, 6, d, 9, 0, 0, 0, time.UTC).Format(time.RFC3339) }
	for d := 1; d <= 3; d++ {
		clock.Set(day(d))
		Scheduler{a}.Tick(ctx)
		for _, u := range users {
			a.DailyAnswer(ctx, u, weak, false)
		}
	}
	for d := 8; d <= 10; d++ {
		clock.Set(day(d))
		Scheduler{a}.Tick(ctx)
		a.DailyAnswer(ctx, users[1], strong, false)
		if d == 8 {
			a.DailyAnswer(ctx, users[0], weak, false)
		}
	}
	board := allText(a.HandleCommand(ctx, admin, Command{Name: "leaderboard", Args: []string{"week"}}))
	if !strings.Contains(board, "bo:") || strings.Contains(board, "ana:") {
		t.Errorf("week board should list bo (3 answers) and not ana (1):\n%s", board)
	}
	if !strings.Contains(board, "Improved most: bo") {
		t.Errorf("no improvement line:\n%s", board)
	}
	all := allText(a.HandleCommand(ctx, admin, Command{Name: "leaderboard", Args: []string{"all"}}))
	if !strings.Contains(all, "ana:") {
		t.Errorf("all-time board has no threshold:\n%s", all)
	}
	a.HandleCommand(ctx, users[1], Command{Name: "leaderboard", Args: []string{"optout"}})
	if board := allText(a.HandleCommand(ctx, admin, Command{Name: "leaderboard", Args: []string{"all"}})); strings.Contains(board, "bo:") {
		t.Errorf("opted-out user still listed:\n%s", board)
	}
	a.HandleCommand(ctx, users[1], Command{Name: "leaderboard", Args: []string{"optin"}})
	if board := allText(a.HandleCommand(ctx, admin, Command{Name: "leaderboard", Args: []string{"all"}})); !strings.Contains(board, "bo:") {
		t.Errorf("opted-in user missing:\n%s", board)
	}
}

func TestStreakCommandUsesTheChannelWorkweekAndUserZone(t *testing.T) {
	a, _, _, clock := twoProcesses(t)
	ctx := context.Background()
	a.HandleCommand(ctx, admin, Command{Name: "daily", Args: []string{"setup"}, Raw: "setup time=09:00 tz=UTC days=mon-fri topics=caching reveal=20h"})
	a.HandleCommand(ctx, admin, Command{Name: "streak", Args: []string{"tz", "asia/kolkata"}, Raw: "tz Asia/Kolkata"})
	// Fri 5 June and Mon 8 June, answered at 09:00 UTC (14:30 in Kolkata).
	for _, d := range []string{"2026-06-05T09:00:00Z", "2026-06-08T09:00:00Z"} {
		clock.Set(d)
		Scheduler{a}.Tick(ctx)
		a.DailyAnswer(ctx, admin, "STRONG answer", false)
	}
	got := allText(a.HandleCommand(ctx, admin, Command{Name: "streak"}))
	if !strings.Contains(got, "Streak: 2 days") {
		t.Errorf("the weekend should not break a mon-fri streak:\n%s", got)
	}
	// 20:00 UTC on Monday is already Tuesday 01:30 in Kolkata: still alive.
	clock.Set("2026-06-08T20:00:00Z")
	if got := allText(a.HandleCommand(ctx, admin, Command{Name: "streak"})); !strings.Contains(got, "Streak: 2 days") || !strings.Contains(got, "keep it going") {
		t.Errorf("next local morning:\n%s", got)
	}
	if got := allText(a.HandleCommand(ctx, admin, Command{Name: "streak", Args: []string{"tz", "mars/base"}, Raw: "tz Mars/Base"})); !strings.Contains(got, "not an IANA time zone") {
		t.Errorf("bad zone: %q", got)
	}
}

func TestDailyAdminCommandsNeedAnAdmin(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	member := admin
	member.Admin = false
	for _, raw := range []string{"setup time=09:00 tz=UTC", "off", "skip 2026-12-24", "now"} {
		args := strings.Fields(raw)
		got := allText(a.HandleCommand(ctx, member, Command{Name: "daily", Args: args, Raw: raw}))
		if !strings.Contains(got, "Only an admin can use /daily "+args[0]) {
			t.Errorf("/daily %s by a member: %q", raw, got)
		}
	}
	if _, err := a.Store.Schedule(ctx, member.channel()); err == nil {
		t.Fatal("a member's /daily setup saved a schedule")
	}
	if got := allText(a.HandleCommand(ctx, member, Command{Name: "daily", Args: []string{"status"}, Raw: "status"})); strings.Contains(got, "Only an admin") {
		t.Errorf("/daily status refused to a member: %q", got)
	}
	if got := allText(a.HandleCommand(ctx, admin, Command{Name: "daily", Args: []string{"setup"}, Raw: "setup time=09:00 tz=UTC"})); strings.Contains(got, "Only an admin") {
		t.Errorf("admin refused: %q", got)
	}
	if _, err := a.Store.Schedule(ctx, admin.channel()); err != nil {
		t.Fatalf("admin's setup not saved: %v", err)
	}
}

// ownedPoster serves only the channels of one team, as a Discord shard
// serves only its servers.
type ownedPoster struct {
	*recordingPoster
	team string
}

func (p ownedPoster) OwnsChannel(ch store.Channel) bool { return ch.Team == p.team }

// Two processes share a database but own different teams: each posts and
// reveals only its own channels, so neither claims (and strands) the
// other's daily question or recap.
func TestSchedulerLeavesOtherOwnersChannels(t *testing.T) {
	a, b, _, clock := twoProcesses(t)
	ctx := context.Background()
	mine, theirs := &recordingPoster{}, &recordingPoster{}
	a.Poster = Posters{"slack": ownedPoster{mine, "T1"}}
	b.Poster = Posters{"slack": ownedPoster{theirs, "T2"}}
	a.HandleCommand(ctx, admin, Command{Name: "daily", Args: []string{"setup"}, Raw: "setup time=09:00 tz=UTC days=daily reveal=2h"})
	clock.Set("2026-06-01T09:05:00Z")
	Scheduler{b}.Tick(ctx) // the non-owner ticks first
	if len(theirs.posts) != 0 {
		t.Fatalf("the non-owner posted: %v", theirs.posts)
	}
	Scheduler{a}.Tick(ctx)
	if len(mine.posts) != 1 {
		t.Fatalf("the owner posted %v, want one post", mine.posts)
	}
	clock.Set("2026-06-01T11:10:00Z")
	Scheduler{b}.Tick(ctx)
	Scheduler{a}.Tick(ctx)
	if len(theirs.replies) != 0 || len(mine.replies) != 1 {
		t.Fatalf("recaps: owner %v, non-owner %v", mine.replies, theirs.replies)
	}
}

// A form or button belongs to one daily post: answering it once a newer
// question is out must say so and record nothing, and a form for a revealed
// or missing question does not open.
func TestDailyAnswerBelongsToItsPost(t *testing.T) {
	a, _, _, clock := twoProcesses(t)
	ctx := context.Background()
	ch := store.Channel{Platform: "slack", Team: "T1", ID: "C1"}
	if q, _, notes := a.DailyForm(ctx, ch, ""); q != nil || len(notes) == 0 || !strings.Contains(notes[0].Text, "no daily question") {
		t.Errorf("form before any question: %v %+v", q, notes)
	}
	a.HandleCommand(ctx, admin, Command{Name: "daily", Args: []string{"setup"}, Raw: "setup time=09:00 tz=UTC days=daily topics=caching reveal=2h"})
	clock.Set("2026-06-01T09:00:00Z")
	Scheduler{a}.Tick(ctx)
	q, first, notes := a.DailyForm(ctx, ch, "")
	if q == nil || first == "" || len(notes) != 0 {
		t.Fatalf("form for today's question: %v %q %+v", q, first, notes)
	}
	clock.Set("2026-06-02T09:00:00Z")
	Scheduler{a}.Tick(ctx)
	if q, _, notes := a.DailyForm(ctx, ch, first); q != nil || len(notes) == 0 || !strings.Contains(notes[0].Text, "has closed") {
		t.Errorf("form for yesterday's button: %v %+v", q, notes)
	}
	bo := Who{Platform: "slack", Team: "T1", Channel: "C1", User: "U2", Name: "bo"}
	if msg := allText(a.DailyAnswerTo(ctx, bo, first, "STRONG answer", false)); !strings.Contains(msg, "has closed") {
		t.Errorf("answer to yesterday's form: %q", msg)
	}
	latest, err := a.Store.LatestPost(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(latest.ID) == first {
		t.Fatal("the second day's question was not posted")
	}
	for _, id := range []int64{latest.ID, mustAtoi(t, first)} {
		if answers, err := a.Store.DailyAnswers(ctx, id); err != nil || len(answers) != 0 {
			t.Errorf("post %d holds %d answers (%v); the late answer must not be recorded", id, len(answers), err)
		}
	}
	if msg := allText(a.DailyAnswerTo(ctx, bo, fmt.Sprint(latest.ID), "STRONG answer", false)); !strings.Contains(msg, "/10") {
		t.Errorf("answer to today's form: %q", msg)
	}
	clock.Set("2026-06-02T11:05:00Z")
	Scheduler{a}.Tick(ctx)
	if q, _, notes := a.DailyForm(ctx, ch, fmt.Sprint(latest.ID)); q != nil || len(notes) == 0 || !strings.Contains(notes[0].Text, "revealed") {
		t.Errorf("form after the reveal: %v %+v", q, notes)
	}
}

// The platform shows a daily post before the call that sent it returns, so
// its button can be pressed before the post is recorded as sent; the form
// opens and the answer counts all the same.
func TestDailyButtonPressedBeforeTheSendIsRecorded(t *testing.T) {
	a, _, _, _ := twoProcesses(t)
	ctx := context.Background()
	ch := store.Channel{Platform: "slack", Team: "T1", ID: "C1"}
	post, mine, err := a.Store.ClaimPost(ctx, store.Post{Channel: ch, Day: "2026-06-01", QuestionID: "caching-thundering-herd", RevealAt: time.Date(2026, 6, 1, 11, 0, 0, 0, time.UTC)})
	if err != nil || !mine {
		t.Fatalf("claim: %v %v", mine, err)
	}
	if q, _, notes := a.DailyForm(ctx, ch, ""); q != nil || len(notes) == 0 || !strings.Contains(notes[0].Text, "no daily question") {
		t.Errorf("form without a button, before the send is recorded: %v %+v", q, notes)
	}
	q, id, notes := a.DailyForm(ctx, ch, fmt.Sprint(post.ID))
	if q == nil || id != fmt.Sprint(post.ID) || len(notes) != 0 {
		t.Fatalf("form from the post's button: %v %q %+v", q, id, notes)
	}
	bo := Who{Platform: "slack", Team: "T1", Channel: "C1", User: "U2", Name: "bo"}
	if msg := allText(a.DailyAnswerTo(ctx, bo, id, "STRONG answer", false)); !strings.Contains(msg, "/10") {
		t.Errorf("answer from the form: %q", msg)
	}
	if answers, err := a.Store.DailyAnswers(ctx, post.ID); err != nil || len(answers) != 1 {
		t.Errorf("post holds %d answers (%v), want 1", len(answers), err)
	}
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A recap the platform refuses is retried once the claim's lease lapses,
// sent once in all, and given up after the retry window so a channel the bot
// cannot post in does not keep answers open forever.
func TestRecapIsRetriedAfterAFailedSend(t *testing.T) {
	a, b, poster, clock := twoProcesses(t)
	ctx := context.Background()
	a.HandleCommand(ctx, admin, Command{Name: "daily", Args: []string{"setup"}, Raw: "setup time=09:00 tz=UTC days=daily topics=caching reveal=2h"})
	clock.Set("2026-06-01T09:00:00Z")
	Scheduler{a}.Tick(ctx)
	a.DailyAnswer(ctx, Who{Platform: "slack", Team: "T1", Channel: "C1", User: "U2", Name: "bo"}, "STRONG answer", false)

	poster.mu.Lock()
	poster.fail = true
	poster.mu.Unlock()
	clock.Set("2026-06-01T11:00:00Z")
	if _, err := (Scheduler{a}).Tick(ctx); err == nil || !strings.Contains(err.Error(), "recap") {
		t.Errorf("a failed recap is not reported: %v", err)
	}
	poster.mu.Lock()
	poster.fail = false
	poster.mu.Unlock()
	clock.Set("2026-06-01T11:01:00Z") // inside the first attempt's lease
	Scheduler{b}.Tick(ctx)
	if len(poster.replies) != 0 {
		t.Fatalf("recap sent while another attempt held the claim: %v", poster.replies)
	}
	clock.Set("2026-06-01T11:03:00Z")
	Scheduler{b}.Tick(ctx)
	Scheduler{a}.Tick(ctx)
	clock.Set("2026-06-01T11:10:00Z")
	Scheduler{a}.Tick(ctx)
	if len(poster.replies) != 1 || !strings.Contains(poster.replies[0], "1 answered") {
		t.Fatalf("recaps after the platform came back: %q, want exactly one", poster.replies)
	}

	// The next day's recap fails for longer than the retry window.
	clock.Set("2026-06-02T09:00:00Z")
	Scheduler{a}.Tick(ctx)
	poster.mu.Lock()
	poster.fail = true
	poster.mu.Unlock()
	for _, at := range []string{"2026-06-02T11:00:00Z", "2026-06-02T14:00:00Z", "2026-06-02T17:30:00Z"} {
		clock.Set(at)
		Scheduler{a}.Tick(ctx)
	}
	latest, err := a.Store.LatestPost(ctx, store.Channel{Platform: "slack", Team: "T1", ID: "C1"})
	if err != nil || latest.Day != "2026-06-02" || !latest.Revealed {
		t.Errorf("a recap failing past the retry window still holds its question open: %+v %v", latest, err)
	}
}
