package questions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writePack(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readmeExample returns the YAML block of questions/README.md that starts
// with "# example pack".
func readmeExample(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, block := range strings.Split(string(data), "```yaml\n")[1:] {
		body, _, _ := strings.Cut(block, "```")
		if strings.HasPrefix(body, "# example pack") {
			return body
		}
	}
	t.Fatal("README.md has no example pack block")
	return ""
}

func TestReadmeExamplePackLintsClean(t *testing.T) {
	dir := writePack(t, map[string]string{"payments.yaml": readmeExample(t)})
	pack, problems := LoadPackDir(dir)
	for _, p := range problems {
		t.Errorf("%s", p)
	}
	if len(pack.Questions) != 1 || pack.Questions[0].Topic != "payments" {
		t.Errorf("example pack loaded %d questions", len(pack.Questions))
	}
}

func TestPackAddsTopicsAndSwitchesBuiltinOff(t *testing.T) {
	dir := writePack(t, map[string]string{
		"payments.yaml": readmeExample(t),
		"off.yaml":      "disable_topics: [auth]\n",
	})
	bank, problems := LoadBank(dir)
	if bank == nil {
		t.Fatalf("pack refused: %v", problems)
	}
	if !bank.HasTopic("payments") || bank.HasTopic("auth") || !bank.HasTopic("caching") {
		t.Errorf("topics = %v", bank.Topics())
	}
	if _, ok := bank.Get("payments-webhook-retries"); !ok {
		t.Error("pack question not in the bank")
	}
	builtin, _ := Builtin()
	if bank.Len() != builtin.Len()-len(builtin.Filter("auth", ""))+1 {
		t.Errorf("bank has %d entries", bank.Len())
	}
}

func TestBrokenPackIsRefusedWhole(t *testing.T) {
	good := readmeExample(t)
	clash := strings.Replace(good, "payments-webhook-retries", "rest-idempotency", 1)
	cases := map[string]map[string]string{
		"id clashes with built-in":   {"a.yaml": clash},
		"unknown topic switched off": {"a.yaml": good, "off.yaml": "disable_topics: [astrology]\n"},
		"one broken file":            {"a.yaml": good, "b.yaml": "topic: x\nquestions:\n  - id: [\n"},
	}
	for name, files := range cases {
		bank, problems := LoadBank(writePack(t, files))
		if bank != nil || !problems.HasErrors() {
			t.Errorf("%s: pack accepted", name)
			continue
		}
		for _, p := range problems {
			if p.Severity == Error && (p.File == "" || !strings.Contains(p.File, string(os.PathSeparator))) {
				t.Errorf("%s: problem not placed in a pack file: %s", name, p)
			}
		}
	}
	if bank, problems := LoadBank(filepath.Join(t.TempDir(), "missing")); bank != nil || !strings.Contains(problems.Error(), "does not exist") {
		t.Errorf("missing directory: %v", problems)
	}
}

func TestNoNearDuplicatesInBank(t *testing.T) {
	b, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range SimilarPairs(b.All(), DuplicateThreshold) {
		t.Errorf("%s and %s ask much the same thing (%.2f overlap)", p.A.ID, p.B.ID, p.Similarity)
	}
}

func TestNearDuplicateIsCaught(t *testing.T) {
	b, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	// The same idea asked again with a new title and prompt: the key points
	// give it away.
	orig, _ := b.Get("caching-thundering-herd")
	twin := *orig
	twin.ID, twin.Title = "caching-stampede", "Cache stampede on a hot key"
	twin.Prompt = "A popular key times out and every server asks the database at the same moment. What do you do?"
	pairs := SimilarPairs([]*Question{orig, &twin}, DuplicateThreshold)
	if len(pairs) != 1 {
		t.Errorf("a reworded copy was not caught")
	}
}
