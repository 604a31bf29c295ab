package questions

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// The built-in bank must load with no errors and no warnings: users see it
// first, and it is the example teams copy.
func TestBuiltinBankIsClean(t *testing.T) {
	qs, problems := LoadBuiltinWithProblems()
	for _, p := range problems {
		t.Errorf("%s", p)
	}
	if len(qs) < 29 {
		t.Errorf("bank has %d questions, want at least the 29 seed entries", len(qs))
	}
	b, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range b.All() {
		if entry.Kind == KindDesign && len(entry.Stages) != len(DesignStages) {
			t.Errorf("%s: %d stages", entry.ID, len(entry.Stages))
		}
		for _, q := range entry.Interview() {
			lo := 4
			if q.Parent != nil {
				lo = 3 // a stage covers less ground than a question
			}
			if len(q.KeyPoints) < lo || len(q.KeyPoints) > 8 {
				t.Errorf("%s: %d key points", q.ID, len(q.KeyPoints))
			}
			if (q.Parent == nil && len(q.Misconceptions) == 0) || len(q.FollowUps) < 3 || len(q.Outline) == 0 {
				t.Errorf("%s: incomplete entry", q.ID)
			}
			if strings.Contains(q.Prompt, "\n") && !strings.Contains(q.Prompt, "\n\n") {
				t.Errorf("%s: prompt kept single line breaks: %q", q.ID, q.Prompt)
			}
		}
	}
}

func TestEverySeedQuestionIsInTheBank(t *testing.T) {
	f, err := os.Open("testdata/seed-titles.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	bySource := map[string]*Question{}
	for _, q := range b.All() {
		if q.SourceTitle != "" {
			if prev, dup := bySource[q.SourceTitle]; dup {
				t.Errorf("source title used twice: %s and %s", prev.ID, q.ID)
			}
			bySource[q.SourceTitle] = q
		}
	}
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		title := sc.Text()
		if title == "" {
			continue
		}
		n++
		if bySource[title] == nil {
			t.Errorf("no question has source_title %q", title)
		}
	}
	if n != 29 {
		t.Errorf("read %d seed titles, want 29", n)
	}
}

func TestLintReportsEveryProblemWithFileAndLine(t *testing.T) {
	qs, problems := LoadFS(os.DirFS("testdata"), "broken")
	if !problems.HasErrors() {
		t.Fatal("broken pack loaded without errors")
	}
	want := []struct{ file, fragment string }{
		{"broken/bad-yaml.yaml", "not valid YAML"},
		{"broken/bad-fields.yaml", `unknown level "expert"`},
		{"broken/bad-fields.yaml", `weight "seven"`},
		{"broken/bad-fields.yaml", `phrase "the of" has no content words`},
		{"broken/bad-fields.yaml", `unknown key point "c"`},
		{"broken/bad-fields.yaml", `unknown field "promt"`},
		{"broken/bad-fields.yaml", `duplicate question id "broken-two"`},
	}
	for _, w := range want {
		found := false
		for _, p := range problems {
			if p.File == w.file && strings.Contains(p.Message, w.fragment) && p.Line > 0 {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem in %s mentioning %q; got:\n%v", w.file, w.fragment, problems)
		}
	}
	for _, p := range problems {
		if strings.Contains(p.Message, "promt") && !strings.Contains(p.Hint, `"prompt"`) {
			t.Errorf("typo without a suggestion: %s", p)
		}
	}
	if len(qs) == 0 {
		t.Error("linting should still return the parsed questions")
	}
}

func TestWarningsAloneDoNotFail(t *testing.T) {
	_, problems := LoadFS(os.DirFS("testdata"), "warn-only")
	if problems.HasErrors() {
		t.Fatalf("warn-only pack has errors: %v", problems)
	}
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, w := range []string{"1 key points", "no misconceptions", "no scale follow-up", "no failure follow-up", "not phrased as a question"} {
		if !strings.Contains(all, w) {
			t.Errorf("missing warning %q in:\n%s", w, all)
		}
	}
}

func TestClosest(t *testing.T) {
	b, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	got := b.Closest("rest-idempotence", 3)
	if len(got) != 3 || got[0] != "rest-idempotency" {
		t.Errorf("Closest = %v", got)
	}
	if got := b.Closest("caching", 2); len(got) != 2 || !strings.HasPrefix(got[0], "caching-") {
		t.Errorf("Closest(caching) = %v", got)
	}
}

func TestReflow(t *testing.T) {
	if got := reflow("one\ntwo  three\n\nnext\npara\n"); got != "one two three\n\nnext para" {
		t.Errorf("reflow = %q", got)
	}
}

// The bank's promised breadth: at least 120 questions over at least 8
// topics, every topic at every level, and at least 8 staged designs.
func TestBankBreadth(t *testing.T) {
	b, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	levels := map[string]map[Level]int{}
	designs := 0
	for _, q := range b.All() {
		if levels[q.Topic] == nil {
			levels[q.Topic] = map[Level]int{}
		}
		levels[q.Topic][q.Level]++
		if q.Kind == KindDesign {
			designs++
		}
	}
	if n := b.Len(); n < 120 {
		t.Errorf("bank has %d questions, want at least 120", n)
	}
	if len(levels) < 8 || designs < 8 {
		t.Errorf("%d topics and %d designs, want at least 8 of each", len(levels), designs)
	}
	for topic, byLevel := range levels {
		for _, l := range []Level{Junior, Mid, Senior} {
			if byLevel[l] == 0 {
				t.Errorf("topic %s has no %s question", topic, l)
			}
		}
	}
}
