package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/interview/rubric"
	"github.com/interviewbot/interviewbot/questions"
)

// gradeOut mirrors the JSON contract of `grade --json`. Misconceptions and
// follow_up stay raw so the test can tell null from an empty array.
type gradeOut struct {
	QuestionID     string                   `json:"question_id"`
	Score          *float64                 `json:"score"`
	Verdicts       []interview.PointVerdict `json:"verdicts"`
	Misconceptions json.RawMessage          `json:"misconceptions"`
	FollowUp       json.RawMessage          `json:"follow_up"`
	Flag           string                   `json:"flag"`
	Notices        []string                 `json:"notices"`
	Grader         string                   `json:"grader"`
}

// strongAnswer states every key point in the question's own words, so the
// grader has something to credit on every question of the bank.
func strongAnswer(q *questions.Question) string {
	var b strings.Builder
	for _, kp := range q.KeyPoints {
		b.WriteString(kp.Text)
		b.WriteString(" ")
	}
	return b.String()
}

func writeAnswer(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "answer.txt")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkGrade checks the contract every grade must keep whatever the answer.
func checkGrade(t *testing.T, q *questions.Question, r runResult) gradeOut {
	t.Helper()
	if r.code != exitOK {
		t.Fatalf("%s: exit code %d\n%s", q.ID, r.code, r)
	}
	var g gradeOut
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatalf("%s: stdout is not a JSON object: %v\n%s", q.ID, err, r)
	}
	if err := json.Unmarshal([]byte(r.stdout), &g); err != nil {
		t.Fatalf("%s: stdout does not decode: %v\n%s", q.ID, err, r)
	}
	if g.QuestionID != q.ID {
		t.Errorf("%s: question_id %q", q.ID, g.QuestionID)
	}
	if g.Score == nil || *g.Score < 0 || *g.Score > 10 {
		t.Errorf("%s: score %v not in [0,10]", q.ID, g.Score)
	}
	// One verdict per key point, in any order, each a known verdict.
	var ids []string
	for _, v := range g.Verdicts {
		ids = append(ids, v.KeyPoint)
		switch v.Verdict {
		case interview.Absent, interview.Partial, interview.Present, interview.Contradicted:
		default:
			t.Errorf("%s: key point %s has verdict %q", q.ID, v.KeyPoint, v.Verdict)
		}
		if v.Verdict == interview.Absent && v.Evidence != "" {
			t.Errorf("%s: absent key point %s quotes %q", q.ID, v.KeyPoint, v.Evidence)
		}
	}
	var want []string
	for _, kp := range q.KeyPoints {
		want = append(want, kp.ID)
	}
	slices.Sort(ids)
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("%s: verdicts for %v, want one per key point %v", q.ID, ids, want)
	}
	// Consumers iterate misconceptions; null would break them.
	if m := bytes.TrimSpace(g.Misconceptions); len(m) == 0 || m[0] != '[' {
		t.Errorf("%s: misconceptions is %s, want an array", q.ID, g.Misconceptions)
	}
	if _, ok := raw["follow_up"]; !ok {
		t.Errorf("%s: follow_up is missing; it must be present, null or an object", q.ID)
	}
	if fu := bytes.TrimSpace(g.FollowUp); string(fu) == "null" {
		// Only an answer that was not graded on its content (empty, a
		// request to skip, off topic) has nothing to follow up on.
		if g.Flag == "" {
			t.Errorf("%s: follow_up is null for an unflagged answer", q.ID)
		}
	} else {
		var f struct{ Kind, Text string }
		if err := json.Unmarshal(fu, &f); err != nil {
			t.Errorf("%s: follow_up %s: %v", q.ID, fu, err)
		}
		if !slices.Contains(questions.FollowUpKinds, questions.FollowUpKind(f.Kind)) || f.Text == "" {
			t.Errorf("%s: follow_up %s lacks a known kind and a text", q.ID, fu)
		}
	}
	if g.Grader != rubric.Version || !strings.HasPrefix(g.Grader, "rubric/") {
		t.Errorf("%s: grader %q, want %q", q.ID, g.Grader, rubric.Version)
	}
	return g
}

func TestGradeEveryQuestion(t *testing.T) {
	bank := builtin(t)
	var all []*questions.Question
	for _, entry := range bank.All() {
		// A design is graded stage by stage, and as a whole: an answer that
		// takes it from the top (checked with the whole's key points).
		all = append(all, entry.Interview()...)
		if entry.Kind == questions.KindDesign {
			all = append(all, entry.Whole())
		}
	}
	for _, q := range all {
		t.Run(q.ID, func(t *testing.T) {
			r := run(t, runOpts{}, "grade", "--question", q.ID, "--answer-file", writeAnswer(t, strongAnswer(q)), "--json")
			g := checkGrade(t, q, r)
			// An answer made of the key points is on topic: if it scored 0
			// or was flagged, the contract checks above ran on nothing.
			if g.Flag != "" || *g.Score == 0 {
				t.Errorf("the key points' own text was flagged %q / scored %v\n%s", g.Flag, *g.Score, r)
			}
			if string(g.FollowUp) == "null" {
				t.Errorf("no follow-up for a graded answer\n%s", r)
			}

			// An empty answer is flagged, not an error, and still keeps the
			// shape: every key point absent, misconceptions [].
			r = run(t, runOpts{}, "grade", "--question", q.ID, "--answer-file", writeAnswer(t, ""), "--json")
			g = checkGrade(t, q, r)
			if g.Flag != string(interview.FlagEmpty) || *g.Score != 0 {
				t.Errorf("empty answer: flag %q score %v\n%s", g.Flag, *g.Score, r)
			}
		})
	}
}

func TestGradeAnswerFromStdin(t *testing.T) {
	bank := builtin(t)
	q := bank.All()[0]
	answer := strongAnswer(q)
	fromFile := run(t, runOpts{}, "grade", "--question", q.ID, "--answer-file", writeAnswer(t, answer), "--json")
	fromStdin := run(t, runOpts{stdin: answer}, "grade", "--question", q.ID, "--answer-file", "-", "--json")
	g := checkGrade(t, q, fromStdin)
	// An unread stdin would grade as empty; equal output proves the same
	// text arrived both ways.
	if g.Flag != "" {
		t.Errorf("stdin answer flagged %q: was stdin read?\n%s", g.Flag, fromStdin)
	}
	if fromStdin.stdout != fromFile.stdout {
		t.Errorf("stdin and file gave different grades\nfile:\n%s\nstdin:\n%s", fromFile.stdout, fromStdin.stdout)
	}
}

func TestGradeTextOutput(t *testing.T) {
	bank := builtin(t)
	q := bank.All()[0]
	r := run(t, runOpts{}, "grade", "--question", q.ID, "--answer-file", writeAnswer(t, strongAnswer(q)))
	if r.code != exitOK {
		t.Fatalf("exit code %d\n%s", r.code, r)
	}
	if !strings.HasPrefix(r.stdout, q.ID+": ") || !strings.Contains(r.stdout, "/10 (graded by "+rubric.Version+")") {
		t.Errorf("first line does not give id, score and grader\n%s", r)
	}
	if !strings.Contains(r.stdout, "Follow-up (") {
		t.Errorf("no follow-up line\n%s", r)
	}
}

func TestGradeUnknownQuestion(t *testing.T) {
	r := run(t, runOpts{stdin: "anything"}, "grade", "--question", "caching-aside", "--answer-file", "-", "--json")
	if r.code != exitUsage {
		t.Fatalf("exit code %d, want 2\n%s", r.code, r)
	}
	if !strings.Contains(r.stderr, `no question "caching-aside"`) || !strings.Contains(r.stderr, "closest: ") || !strings.Contains(r.stderr, "caching-aside-vs-write-through") {
		t.Errorf("stderr does not suggest the closest ids\n%s", r)
	}
	if r.stdout != "" {
		t.Errorf("stdout is not empty, so a script could read it as a grade\n%s", r)
	}
}

func TestGradeMissingAnswerFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.txt")
	r := run(t, runOpts{}, "grade", "--question", "caching-aside-vs-write-through", "--answer-file", missing)
	if r.code != exitError {
		t.Fatalf("exit code %d, want 1\n%s", r.code, r)
	}
	if !strings.Contains(r.stderr, "cannot read answer file "+missing) {
		t.Errorf("stderr does not name the file\n%s", r)
	}
}

func TestGradeHugeAnswerIsTruncated(t *testing.T) {
	bank := builtin(t)
	q := bank.All()[0]
	// 1 MB: far over what the grader reads, well under the file cap, so the
	// notice comes from the grader and the command must not fail.
	unit := strongAnswer(q) + "\n"
	answer := strings.Repeat(unit, (1<<20)/len(unit)+1)
	r := run(t, runOpts{}, "grade", "--question", q.ID, "--answer-file", writeAnswer(t, answer), "--json")
	g := checkGrade(t, q, r)
	if !slices.ContainsFunc(g.Notices, func(n string) bool {
		return strings.Contains(n, "longer than") && strings.Contains(n, "only the first")
	}) {
		t.Errorf("no truncation notice in %q", g.Notices)
	}
	if *g.Score == 0 {
		t.Errorf("the graded prefix scored 0")
	}
	// The text form shows the notice as well.
	r = run(t, runOpts{}, "grade", "--question", q.ID, "--answer-file", writeAnswer(t, answer))
	if r.code != exitOK || !strings.Contains(r.stdout, "note: Your answer was longer than") {
		t.Errorf("text output lacks the truncation note\n%s", r)
	}
}

func TestGradeInvalidUTF8(t *testing.T) {
	bank := builtin(t)
	q := bank.All()[0]
	answer := "\xff\xfe" + strongAnswer(q) + "\xc3\x28 trailing \x80 bytes"
	r := run(t, runOpts{}, "grade", "--question", q.ID, "--answer-file", writeAnswer(t, answer), "--json")
	g := checkGrade(t, q, r)
	for _, v := range g.Verdicts {
		if !utf8.ValidString(v.Evidence) {
			t.Errorf("evidence for %s is not valid UTF-8: %q", v.KeyPoint, v.Evidence)
		}
	}
	if *g.Score == 0 {
		t.Errorf("bad bytes around a good answer scored 0\n%s", r)
	}
	// Text output must be printable too.
	r = run(t, runOpts{}, "grade", "--question", q.ID, "--answer-file", writeAnswer(t, answer))
	if r.code != exitOK || !utf8.ValidString(r.stdout) {
		t.Errorf("text output failed or is not valid UTF-8\n%s", r)
	}
}

// "LB" expands to two tokens that share one byte span; the grader sliced the
// text between them backwards and panicked, which took the console (and any
// bot) down on an ordinary answer.
func TestGradeAbbreviationExpandingToTwoWords(t *testing.T) {
	bank := builtin(t)
	q, ok := bank.Get("scaling-load-balancer")
	if !ok {
		t.Fatal("scaling-load-balancer is not in the bank")
	}
	for _, answer := range []string{
		"The LB spreads load.",
		"Put two LBs, behind DNS, so the LB is not a single point of failure.",
		"LB",
	} {
		r := run(t, runOpts{stdin: answer}, "grade", "--question", q.ID, "--answer-file", "-", "--json")
		checkGrade(t, q, r)
	}
}

func TestConsoleSurvivesAbbreviation(t *testing.T) {
	db := filepath.Join(t.TempDir(), "lb.db")
	r := run(t, runOpts{stdin: "/mock scaling\nThe LB spreads load across healthy backends.\nend\n/streak\n"}, "--db", db, "--user", "frank")
	if r.code != exitOK || !strings.Contains(r.stdout, "Streak: 1 day") {
		t.Fatalf("the console did not grade an answer with LB in it\n%s", r)
	}
}
