package bot

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/interview/rubric"
	"github.com/interviewbot/interviewbot/questions"
	"github.com/interviewbot/interviewbot/store"
)

func TestParseCommand(t *testing.T) {
	cases := []struct {
		in      string
		name    string
		args    []string
		wantErr string
	}{
		{"/mock", "mock", nil, ""},
		{"  /MOCK Caching  SENIOR ", "mock", []string{"caching", "senior"}, ""},
		{"/leaderboard week", "leaderboard", []string{"week"}, ""},
		{"/", "", nil, "needs a name"},
		{"mock", "", nil, "start with a slash"},
		{"/mo!ck", "", nil, "is not a command"},
		{"/123", "", nil, "is not a command"},
	}
	for _, c := range cases {
		got, err := ParseCommand(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("ParseCommand(%q) error = %v, want %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || got.Name != c.name || strings.Join(got.Args, " ") != strings.Join(c.args, " ") {
			t.Errorf("ParseCommand(%q) = %+v, %v", c.in, got, err)
		}
	}
}

func testBank(t *testing.T) *questions.Bank {
	t.Helper()
	b, err := questions.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseMockArgs(t *testing.T) {
	b := testBank(t)
	cases := []struct {
		args    string
		want    MockArgs
		wantErr string
	}{
		{"", MockArgs{Count: 3}, ""},
		{"caching", MockArgs{Topic: "caching", Count: 3}, ""},
		{"senior caching quick", MockArgs{Topic: "caching", Level: questions.Senior, Count: 1}, ""},
		{"rest 5", MockArgs{Topic: "rest", Count: 5}, ""},
		{"rest 9", MockArgs{}, "1 to 5 questions"},
		{"astrology", MockArgs{}, "Topics: auth, caching"},
		{"caching rest", MockArgs{}, "one topic"},
		{"mid senior", MockArgs{}, "one level"},
	}
	for _, c := range cases {
		got, err := ParseMockArgs(b, strings.Fields(c.args), 3)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(interview.UserMessage(err), c.wantErr) {
				t.Errorf("ParseMockArgs(%q) error = %v, want %q", c.args, err, c.wantErr)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseMockArgs(%q) = %+v, %v; want %+v", c.args, got, err, c.want)
		}
	}
}

func TestPeriodStart(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// Sunday 29 March 2026, the day clocks go forward in Berlin.
	now := time.Date(2026, 3, 29, 23, 30, 0, 0, berlin)
	week, _, err := periodStart("week", now)
	if err != nil || !week.Equal(time.Date(2026, 3, 23, 0, 0, 0, 0, berlin)) {
		t.Errorf("week start = %v, %v", week, err)
	}
	month, _, _ := periodStart("month", now)
	if !month.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, berlin)) {
		t.Errorf("month start = %v", month)
	}
	if all, _, _ := periodStart("all", now); !all.IsZero() {
		t.Errorf("all-time start = %v", all)
	}
	if _, _, err := periodStart("fortnight", now); err == nil || !strings.Contains(interview.UserMessage(err), "week, month or all") {
		t.Errorf("bad period error = %v", err)
	}
}

func newTestApp(t *testing.T) *App {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC) }
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"), store.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return NewApp(Config{Store: st, Bank: testBank(t), Evaluator: rubric.New(), Now: now, Location: time.UTC, Seed: 3})
}

// allText is everything a message shows: its summary and every block.
func allText(msgs []Message) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Text + "\n")
		for _, blk := range m.Blocks {
			b.WriteString(blk.Text + "\n")
			for _, it := range blk.Items {
				b.WriteString(it + "\n")
			}
			for _, f := range blk.Fields {
				b.WriteString(f.Label + ": " + f.Value + "\n")
			}
		}
	}
	return b.String()
}

func TestThreadRepliesFromOthersAreNotGraded(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	owner := Who{Platform: "test", Team: "T1", Channel: "C1", Thread: "th-1", User: "U1", Name: "una"}
	app.HandleCommand(ctx, owner, Command{Name: "mock", Args: []string{"caching", "quick"}})
	other := owner
	other.User, other.Name = "U2", "dos"
	msgs, err := app.HandleReply(ctx, other, "I think cache aside reads the cache first.")
	if err != nil || !strings.Contains(allText(msgs), "belongs to someone else") {
		t.Fatalf("other user's reply: %v %q", err, allText(msgs))
	}
	msgs, err = app.HandleReply(ctx, owner, "end")
	if err != nil || !strings.Contains(allText(msgs), "Scorecard") && !strings.Contains(allText(msgs), "closed") {
		t.Fatalf("owner's end: %v %q", err, allText(msgs))
	}
	if _, err := app.HandleReply(ctx, owner, "more"); !errors.Is(err, ErrNoInterview) {
		t.Errorf("reply to a closed interview: %v", err)
	}
}

func TestSecondMockResumesTheOpenOne(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	w := Who{Platform: "test", Team: "T1", Channel: "C1", User: "U1", Name: "una"}
	first := allText(app.HandleCommand(ctx, w, Command{Name: "mock", Args: []string{"rest"}}))
	second := allText(app.HandleCommand(ctx, w, Command{Name: "mock", Args: []string{"caching"}}))
	if !strings.Contains(second, "already have an interview in progress") {
		t.Fatalf("second /mock: %q", second)
	}
	// The same question is shown again.
	q := first[strings.Index(first, "Question 1 of 3"):]
	if !strings.Contains(second, strings.SplitN(q, "\n", 2)[0]) {
		t.Errorf("second /mock did not repeat the open question:\n%s\n---\n%s", first, second)
	}
}

func TestUnknownCommandSuggests(t *testing.T) {
	app := newTestApp(t)
	w := Who{Platform: "test", Team: "T1", Channel: "C1", User: "U1"}
	got := allText(app.HandleCommand(context.Background(), w, Command{Name: "mokc"}))
	if !strings.Contains(got, "Did you mean /mock?") || !strings.Contains(got, "/help") {
		t.Errorf("unknown command reply = %q", got)
	}
}
