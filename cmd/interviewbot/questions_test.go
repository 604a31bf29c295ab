package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/questions"
)

func builtin(t *testing.T) *questions.Bank {
	t.Helper()
	bank, err := questions.Builtin()
	if err != nil {
		t.Fatalf("built-in bank: %v", err)
	}
	if bank.Len() == 0 {
		t.Fatal("built-in bank is empty")
	}
	return bank
}

func TestQuestionsList(t *testing.T) {
	bank := builtin(t)
	r := run(t, runOpts{}, "questions", "list")
	if r.code != exitOK {
		t.Fatalf("exit code %d\n%s", r.code, r)
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if got, want := lines[len(lines)-1], fmt.Sprintf("%d questions", bank.Len()); got != want {
		t.Errorf("last line %q, want %q", got, want)
	}
	// One row per question, each starting with its id, so the rows can be
	// cut and pasted into `questions show` and `grade --question`.
	if got := len(lines) - 1; got != bank.Len() {
		t.Errorf("%d rows, want %d", got, bank.Len())
	}
	for _, q := range bank.All() {
		if !slices.ContainsFunc(lines, func(l string) bool {
			f := strings.Fields(l)
			return len(f) > 0 && f[0] == q.ID && strings.Contains(l, q.Title)
		}) {
			t.Errorf("no row for %s (%s)", q.ID, q.Title)
		}
	}
}

func TestQuestionsListFilter(t *testing.T) {
	bank := builtin(t)
	r := run(t, runOpts{}, "questions", "list", "--topic", "caching")
	if r.code != exitOK {
		t.Fatalf("exit code %d\n%s", r.code, r)
	}
	want := len(bank.Filter("caching", ""))
	if want == 0 || want == bank.Len() {
		t.Fatalf("the filter test needs a topic that is part of the bank; caching has %d of %d", want, bank.Len())
	}
	if !strings.HasSuffix(r.stdout, fmt.Sprintf("\n%d questions\n", want)) {
		t.Errorf("want %d questions\n%s", want, r)
	}
	r = run(t, runOpts{}, "questions", "list", "--topic", "cachng")
	if r.code != exitError || !strings.Contains(r.stderr, `unknown topic "cachng"`) || !strings.Contains(r.stderr, "caching") {
		t.Errorf("an unknown topic should exit 1 naming the topics\n%s", r)
	}
}

func TestQuestionsListJSON(t *testing.T) {
	bank := builtin(t)
	r := run(t, runOpts{}, "questions", "list", "--json")
	if r.code != exitOK {
		t.Fatalf("exit code %d\n%s", r.code, r)
	}
	var items []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, r)
	}
	if len(items) != bank.Len() {
		t.Fatalf("%d items, want %d", len(items), bank.Len())
	}
	for i, it := range items {
		for _, k := range []string{"id", "topic", "level", "title", "source_title", "kind"} {
			v, ok := it[k].(string)
			// Only seed entries carry a source title; the field is always there.
			if !ok || (v == "" && k != "source_title") {
				t.Errorf("item %d (%v) has no string %q", i, it["id"], k)
			}
		}
		q, ok := bank.Get(fmt.Sprint(it["id"]))
		if !ok {
			t.Errorf("item %d: unknown id %v", i, it["id"])
			continue
		}
		if it["topic"] != q.Topic || it["level"] != string(q.Level) || it["title"] != q.Title || it["source_title"] != q.SourceTitle {
			t.Errorf("item %v does not match the bank: %v", q.ID, it)
		}
		if it["kind"] != string(q.Kind) {
			t.Errorf("item %v kind %v, want %s", q.ID, it["kind"], q.Kind)
		}
		stages, _ := it["stages"].([]any)
		if len(stages) != len(q.Stages) {
			t.Errorf("item %v lists %d stages, want %d", q.ID, len(stages), len(q.Stages))
		}
	}
}

func TestQuestionsShow(t *testing.T) {
	bank := builtin(t)
	for _, q := range bank.All() {
		r := run(t, runOpts{}, "questions", "show", q.ID)
		if r.code != exitOK {
			t.Fatalf("%s: exit code %d\n%s", q.ID, r.code, r)
		}
		out := normalize(r.stdout)
		if !strings.Contains(out, normalize(q.Prompt)) {
			t.Errorf("%s: the prompt is missing\n%s", q.ID, r)
		}
		if !strings.Contains(r.stdout, "Key points:") {
			t.Errorf("%s: no key points section\n%s", q.ID, r)
		}
		for _, kp := range q.KeyPoints {
			if !strings.Contains(out, kp.ID) || !strings.Contains(out, normalize(kp.Text)) {
				t.Errorf("%s: key point %s is missing\n%s", q.ID, kp.ID, r)
			}
		}
	}
}

func TestQuestionsShowUnknown(t *testing.T) {
	r := run(t, runOpts{}, "questions", "show", "caching-aside")
	if r.code != exitUsage {
		t.Fatalf("exit code %d, want 2\n%s", r.code, r)
	}
	// The suggestion is what makes the error useful: a real id to paste.
	if !strings.Contains(r.stderr, "closest") || !strings.Contains(r.stderr, "caching-aside-vs-write-through") {
		t.Errorf("stderr does not suggest the closest id\n%s", r)
	}
	if r.stdout != "" {
		t.Errorf("stdout is not empty\n%s", r)
	}
}

func TestQuestionsLintBuiltin(t *testing.T) {
	r := run(t, runOpts{}, "questions", "lint")
	if r.code != exitOK {
		t.Fatalf("the built-in bank does not lint clean: exit %d\n%s", r.code, r)
	}
	bank := builtin(t)
	want := fmt.Sprintf("built-in bank: %d questions, 0 errors", bank.Len())
	if !strings.Contains(r.stdout, want) {
		t.Errorf("stdout lacks %q\n%s", want, r)
	}
}

// brokenYAML has a key indented one space less than its siblings.
const brokenYAML = `topic: caching
questions:
  - id: caching-broken
    level: mid
   title: Indented wrong
`

// goodQuestion is a question that passes every check; the tests below break
// copies of it in one place each. %s marks id, level and the failure
// follow-up's probes.
const goodQuestion = `  - id: %s
    level: %s
    title: Retries and idempotency
    prompt: |
      A consumer handles payment events from a queue. How do you make retries safe?
    key_points:
      - id: idempotency-key
        text: Each message carries an idempotency key the consumer records before acting.
        weight: 3
        dimension: correctness
        phrases: [idempotency key, dedupe table]
      - id: at-least-once
        text: Queues deliver at least once, so duplicates must be expected.
        weight: 2
        dimension: correctness
        phrases: [at least once delivery, duplicate delivery]
      - id: backoff
        text: Retries back off exponentially with jitter.
        weight: 2
        dimension: scaling
        phrases: [exponential backoff, jitter]
      - id: dead-letter
        text: Poison messages go to a dead-letter queue after a few attempts.
        weight: 2
        dimension: depth
        phrases: [dead letter queue, poison message]
    misconceptions:
      - id: exactly-once
        claim: The broker guarantees exactly-once delivery.
        phrases: [exactly once delivery]
        correction: Brokers deliver at least once; the consumer deduplicates.
    follow_ups:
      - kind: scale
        text: %s
        probes: [backoff, dead-letter]
      - kind: failure
        text: The consumer crashes after charging the card but before acking. What now?
        probes: [%s]
    outline:
      - Expect duplicates and deduplicate with a key.
      - Back off with jitter and park poison messages.
`

const goodScaleText = "The queue backs up to ten million messages. What happens to retries?"

func pack(questions ...string) string {
	return "topic: queues\nquestions:\n" + strings.Join(questions, "")
}

func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// lineOf returns the 1-based line of the nth (1-based) line containing s, so
// expected positions follow the fixture instead of being counted by hand.
func lineOf(t *testing.T, body, s string, nth int) int {
	t.Helper()
	seen := 0
	for i, l := range strings.Split(body, "\n") {
		if strings.Contains(l, s) {
			seen++
			if seen == nth {
				return i + 1
			}
		}
	}
	t.Fatalf("fixture has no line %d containing %q", nth, s)
	return 0
}

func TestQuestionsLintControlPackIsClean(t *testing.T) {
	// Without this, the broken-pack test could pass on problems the fixture
	// has by accident rather than the ones put there on purpose.
	dir := t.TempDir()
	writeFile(t, dir, "queues.yaml", pack(fmt.Sprintf(goodQuestion, "queues-retries", "mid", goodScaleText, "idempotency-key, at-least-once")))
	r := run(t, runOpts{}, "questions", "lint", dir)
	if r.code != exitOK || !strings.Contains(r.stdout, "1 questions, 0 errors, 0 warnings") {
		t.Fatalf("the control pack is not clean: exit %d\n%s", r.code, r)
	}
}

func TestQuestionsLintBrokenPack(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a-broken.yaml", brokenYAML)
	bad := pack(
		fmt.Sprintf(goodQuestion, "queues-retries", "principal", goodScaleText, "idempotency-key, at-least-once, idempotency-keys"),
		fmt.Sprintf(goodQuestion, "queues-retries", "mid", goodScaleText, "idempotency-key, at-least-once"),
	)
	writeFile(t, dir, "b-bad.yaml", bad)

	r := run(t, runOpts{}, "questions", "lint", dir)
	if r.code != exitError {
		t.Fatalf("exit code %d, want 1\n%s", r.code, r)
	}
	brokenFile := filepath.Join(dir, "a-broken.yaml")
	badFile := filepath.Join(dir, "b-bad.yaml")

	// The YAML parser reports the line of the enclosing block rather than the
	// mis-indented key, so only require a line inside the file that is at or
	// before the bad one.
	re := regexp.MustCompile(regexp.QuoteMeta(brokenFile) + `:(\d+): error: not valid YAML`)
	m := re.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Errorf("no YAML error with file:line for %s\n%s", brokenFile, r)
	} else if n, _ := strconv.Atoi(m[1]); n < 1 || n > lineOf(t, brokenYAML, "title: Indented wrong", 1) {
		t.Errorf("YAML error at line %d, outside 1..the bad line\n%s", n, r)
	}

	want := []string{
		fmt.Sprintf("%s:%d: error: unknown level %q", badFile, lineOf(t, bad, "level: principal", 1), "principal"),
		// A follow-up problem is placed at the follow-up's entry.
		fmt.Sprintf("%s:%d: error: follow-up probes unknown key point %q", badFile, lineOf(t, bad, "- kind: failure", 1), "idempotency-keys"),
		// The second definition is the one reported, pointing at the first.
		fmt.Sprintf("%s:%d: error: duplicate question id %q", badFile, lineOf(t, bad, "- id: queues-retries", 2), "queues-retries"),
	}
	for _, w := range want {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("output lacks %q\n%s", w, r)
		}
	}
	if !strings.Contains(r.stdout, fmt.Sprintf("already defined at b-bad.yaml:%d", lineOf(t, bad, "- id: queues-retries", 1))) {
		t.Errorf("the duplicate does not point at the first definition\n%s", r)
	}
	// Exactly the three planted errors in b-bad.yaml, plus the YAML one: a
	// linter that repeats or invents problems trains people to ignore it.
	if !strings.Contains(r.stdout, ": 2 questions, 4 errors, 0 warnings") {
		t.Errorf("summary does not count 4 errors and no warnings\n%s", r)
	}
}

func TestQuestionsLintWarningsOnly(t *testing.T) {
	dir := t.TempDir()
	// A follow-up that is not phrased as a question is worth a warning only.
	body := pack(fmt.Sprintf(goodQuestion, "queues-retries", "mid", "Tell me what happens to retries when the queue backs up.", "idempotency-key, at-least-once"))
	writeFile(t, dir, "queues.yaml", body)
	r := run(t, runOpts{}, "questions", "lint", dir)
	if r.code != exitOK {
		t.Fatalf("exit code %d, want 0 for warnings only\n%s", r.code, r)
	}
	want := fmt.Sprintf("%s:%d: warning: follow-up is not phrased as a question", filepath.Join(dir, "queues.yaml"), lineOf(t, body, "- kind: scale", 1))
	if !strings.Contains(r.stdout, want) {
		t.Errorf("output lacks %q\n%s", want, r)
	}
	if !strings.Contains(r.stdout, "1 questions, 0 errors, 1 warnings") {
		t.Errorf("summary is wrong\n%s", r)
	}
}

func TestQuestionsLintNotADirectory(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	r := run(t, runOpts{}, "questions", "lint", missing)
	if r.code != exitError || !strings.Contains(r.stderr, missing+" is not a directory") {
		t.Errorf("want exit 1 naming the path\n%s", r)
	}
}
