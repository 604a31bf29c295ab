package console

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/interview/rubric"
	"github.com/interviewbot/interviewbot/questions"
	"github.com/interviewbot/interviewbot/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden; run go test -update to accept.\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func sampleScorecard() interview.Scorecard {
	return interview.Scorecard{
		Overall: 62, Answered: 2, Asked: 3, Graders: []string{"rubric/1"},
		Summary: "Strongest on correctness (80). Most room on trade-offs (40).",
		Dimensions: []interview.DimensionScore{
			{Dimension: questions.Correctness, Score: 80, Rated: true},
			{Dimension: questions.Depth, Score: 55, Rated: true},
			{Dimension: questions.Tradeoffs, Score: 40, Rated: true},
			{Dimension: questions.Scaling, Score: 70, Rated: true},
			{Dimension: questions.Communication},
		},
		Questions: []interview.QuestionCard{
			{
				ID: "caching-herd", Title: "Thundering herd", Topic: "caching", Level: questions.Senior, Score: 7.5,
				Covered: []interview.CoveredPoint{
					{Text: "Request coalescing lets one caller refill a hot key while the others wait.", Quote: "only one request rebuilds the key, the rest wait on it"},
					{Text: "Jittered TTLs stop keys from expiring together.", Quote: "add jitter", Partial: true},
				},
				Missed:         []string{"Serving stale data while refreshing in the background keeps latency flat."},
				Misconceptions: []interview.MisconceptionNote{{Claim: "A longer TTL fixes it.", Correction: "A longer TTL only moves the stampede; the key still expires at one instant.", Quote: "just raise the TTL"}},
				Outline:        []string{"Name the failure: many misses at once hit the database.", "Coalesce, jitter, serve stale; trade freshness for stability."},
				PractiseNext:   "caching (/mock caching senior), especially: serving stale data while refreshing",
			},
			{ID: "rest-idem", Title: "Idempotency", Topic: "rest", Level: questions.Mid, Score: 5, FollowUps: 1},
			{ID: "db-acid", Title: "ACID", Topic: "databases", Level: questions.Junior, Skipped: true},
		},
	}
}

func TestScorecardRenderingGolden(t *testing.T) {
	got := Render(bot.RenderScorecard(sampleScorecard()), false)
	if strings.Contains(got, "\x1b[") {
		t.Error("plain rendering contains ANSI codes")
	}
	golden(t, "scorecard.golden", got)
	colored := Render(bot.RenderScorecard(sampleScorecard()), true)
	if !strings.Contains(colored, "\x1b[") {
		t.Error("interactive rendering has no colour")
	}
}

func TestWrapKeepsWordsAndIndent(t *testing.T) {
	long := strings.Repeat("word ", 40)
	got := wrap(long, 30, "  - ")
	for _, line := range strings.Split(got, "\n") {
		if len(line) > 30 {
			t.Errorf("line longer than width: %q", line)
		}
		if !strings.HasPrefix(line, "  - ") && !strings.HasPrefix(line, "    ") {
			t.Errorf("continuation not indented: %q", line)
		}
	}
	if strings.Count(got, "word") != 40 {
		t.Errorf("words lost in wrapping")
	}
}

// newConsole runs a console over a fresh database with the built-in bank and
// the rubric grader, as the binary does.
func newConsole(t *testing.T, dbPath string, input string) (*Console, *bytes.Buffer) {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC) }
	st, err := store.Open(context.Background(), dbPath, store.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bank, err := questions.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	app := bot.NewApp(bot.Config{Store: st, Bank: bank, Evaluator: rubric.New(), Now: now, Location: time.UTC, Seed: 7})
	var out bytes.Buffer
	return &Console{App: app, In: strings.NewReader(input), Out: &out, User: "ana"}, &out
}

func TestScriptedSession(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	script := strings.Join([]string{
		"/mock caching quick",
		"Cache-aside means the app reads the cache first and on a miss loads from the database \\",
		"and then fills the cache with a TTL, so the next read is a hit.",
		"hint",
		"repeat",
		"end",
		"/streak",
		"/leaderboard",
		"/nonsense",
		"/mock astrology",
		"just chatting",
		"/help",
	}, "\n")
	c, out := newConsole(t, db, script)
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Question 1 of 1",
		"Follow-up (",
		"Hint:",
		"Scorecard:",
		"Streak: 1 day",
		"1. ana:",
		"Unknown command /nonsense",
		"Unknown topic or level \"astrology\"",
		"Topics: ",
		"You are not in an interview",
		"/mock [topic] [level]",
		"End of input",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b[") {
		t.Error("non-interactive output has ANSI codes")
	}
}

func TestEndOfInputLeavesInterviewOpenAndResumes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	c, out := newConsole(t, db, "/mock databases\nACID means atomicity, consistency, isolation and durability of transactions.\n")
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	first := out.String()
	i := strings.LastIndex(first, "== Follow-up (")
	if i < 0 {
		t.Fatalf("no follow-up before end of input:\n%s", first)
	}
	followUp := strings.TrimSpace(first[i:strings.Index(first, "End of input")])
	c.App.Store.Close()

	c2, out2 := newConsole(t, db, "")
	if err := c2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	second := out2.String()
	if !strings.Contains(second, "Resuming your interview") || !strings.Contains(second, followUp) {
		t.Errorf("restart did not resume at the follow-up %q:\n%s", followUp, second)
	}
}

func TestOverlongLineIsCutWithNotice(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	huge := "/mock caching quick\n" + strings.Repeat("cache aside ", MaxLineBytes/6) + "\nend\n"
	c, out := newConsole(t, db, huge)
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "longer than 1048576 bytes") {
		t.Errorf("no notice for an overlong line")
	}
	if !strings.Contains(got, "only the first 8000 were graded") {
		t.Errorf("no grading notice for a long answer")
	}
	if !strings.Contains(got, "Scorecard:") {
		t.Errorf("session did not continue after the long line")
	}
}

func TestReadLinesContinuation(t *testing.T) {
	ch := make(chan inputLine)
	go readLines(strings.NewReader("one \\\ntwo\r\nthree\nlast without newline \\"), ch)
	var got []string
	for l := range ch {
		got = append(got, l.text)
	}
	want := []string{"one \ntwo", "three", "last without newline \\"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines = %q, want %q", got, want)
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/mock caching mid", "/", "//", "/leaderboard week", "/\xff", "/mock\x00x", "hello"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		cmd, err := bot.ParseCommand(line)
		if err == nil && (cmd.Name == "" || strings.ContainsAny(cmd.Name, " /")) {
			t.Fatalf("bad command parsed from %q: %+v", line, cmd)
		}
		if err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
	})
}

func TestConsoleDailyQuestionFlow(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	script := strings.Join([]string{
		"/daily setup time=09:00 tz=UTC days=daily topics=caching level=junior reveal=1h",
		"/daily status",
		"/daily now",
		"/daily answer share",
		"In cache-aside the application checks the cache first and on a miss \\",
		"reads the database and fills the cache itself, so the cache only holds what was asked for.",
		"/daily now",
		"/streak",
		"/stats",
		"/daily setup days=someday",
	}, "\n")
	c, out := newConsole(t, db, script)
	c.FilesDir = t.TempDir()
	c.App.Poster = c
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{
		"Daily question set: 09:00 UTC",
		"Next post:",
		"[#console]",
		"== Daily question · ",
		"== Daily answer: ",
		"Your answer may be shown in the recap",
		"already posted",
		"Streak: 1 day",
		"Saved " + c.FilesDir,
		"days=someday is not a list of days",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q\n%s", want, got)
		}
	}
	entries, _ := os.ReadDir(c.FilesDir)
	if len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".png") {
		t.Errorf("stats picture not written: %v", entries)
	}
}

func TestStagedDesignInterviewEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	lines := []string{"/mock design leaderboard"}
	// Answer every stage once; follow-ups are skipped with skip, which moves
	// on to the next stage.
	for range 6 {
		lines = append(lines, "We keep scores in a sorted set keyed by player, because ranking needs ordered reads, and shard when one set gets too hot.", "skip")
	}
	c, out := newConsole(t, db, strings.Join(lines, "\n"))
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "System design interview:") {
		t.Fatalf("no design intro:\n%s", got)
	}
	for i, stage := range []string{"Scope", "Core", "Storage", "Where it runs", "Failure", "Scaling limits"} {
		head := fmt.Sprintf("Stage %d of 6", i+1)
		if !strings.Contains(got, head) {
			t.Errorf("missing %q (%s)", head, stage)
		}
	}
	if !strings.Contains(got, "Scorecard:") || strings.Count(got, "Q6 · ") != 1 {
		t.Errorf("no scorecard with a section per stage:\n%s", got)
	}
}
