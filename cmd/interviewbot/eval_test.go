package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeSet(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "set.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEvalReportsAndWritesPredictions(t *testing.T) {
	set := writeSet(t,
		`{"id":"s1","question":"what does idempotency mean, and which http methods are idempotent","answer":"Idempotent means repeating the request leaves the same state as doing it once. GET, PUT and DELETE are idempotent; POST is not, so clients send an idempotency key and the server stores the first response under that key to replay it on a retry.","grade":8,"kind":"good"}`,
		`{"id":"s2","question_id":"rest-idempotency","answer":"something about http","grade":1,"kind":"vague"}`,
		`{"id":"s3","question_id":"rest-no-such-thing","answer":"x","grade":1}`,
		`{broken`,
	)
	pred := filepath.Join(t.TempDir(), "pred.jsonl")
	r := run(t, runOpts{env: map[string]string{"INTERVIEWBOT_GRADER": "rubric"}}, "eval", "--set", set, "--predictions", pred, "--json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r)
	}
	var rep struct {
		Grader    string  `json:"grader"`
		Items     int     `json:"items"`
		Pairwise  float64 `json:"pairwise_accuracy"`
		Unmatched []struct {
			Line int    `json:"line"`
			ID   string `json:"id"`
		} `json:"unmatched"`
		BadLines []struct {
			Line int `json:"line"`
		} `json:"bad_lines"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if !strings.HasPrefix(rep.Grader, "rubric/") || rep.Items != 2 || rep.Pairwise != 1 {
		t.Errorf("report %+v", rep)
	}
	if len(rep.Unmatched) != 1 || rep.Unmatched[0].Line != 3 || len(rep.BadLines) != 1 || rep.BadLines[0].Line != 4 {
		t.Errorf("unmatched %+v bad %+v", rep.Unmatched, rep.BadLines)
	}
	data, err := os.ReadFile(pred)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"id":"s1","question_id":"rest-idempotency","score":`) {
		t.Errorf("predictions:\n%s", data)
	}
}

func TestEvalCheckFailsOnMissedTargets(t *testing.T) {
	// An off-topic answer graded above 1 would be a violation, but the
	// rubric scores it 0; a reversed order is what fails here.
	set := writeSet(t,
		`{"id":"a","question_id":"rest-idempotency","answer":"no idea","grade":9,"kind":"good"}`,
		`{"id":"b","question_id":"rest-idempotency","answer":"Idempotent means repeating a request has the same effect as sending it once; GET, PUT and DELETE are idempotent and POST is not, so the server keeps an idempotency key with the saved response.","grade":1,"kind":"vague"}`,
	)
	r := run(t, runOpts{env: map[string]string{"INTERVIEWBOT_GRADER": "rubric"}}, "eval", "--set", set, "--check")
	if r.code != exitError || !strings.Contains(r.stderr, "target(s) missed") || !strings.Contains(r.stderr, "pairwise ordering") {
		t.Fatalf("exit %d\n%s", r.code, r)
	}
	if !strings.Contains(r.stdout, "graded by rubric/") {
		t.Errorf("text report does not name the grader\n%s", r.stdout)
	}
	if r := run(t, runOpts{}, "eval"); r.code != exitUsage {
		t.Errorf("eval without --set: exit %d", r.code)
	}
	if r := run(t, runOpts{}, "eval", "--set", "/no/such/file"); r.code != exitError || !strings.Contains(r.stderr, "cannot read the set") {
		t.Errorf("missing set: exit %d\n%s", r.code, r)
	}
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	if r := run(t, runOpts{stdin: "/mock quick\nsomething about caching\nend\n"}, "--db", db); r.code != 0 {
		t.Fatalf("console: %s", r)
	}
	copyPath := filepath.Join(dir, "copy.db")
	r := run(t, runOpts{}, "--db", db, "backup", copyPath)
	if r.code != 0 || !strings.Contains(r.stdout, "Backed up") {
		t.Fatalf("backup: %s", r)
	}
	// The copy is a working database: the console reads the interview from it.
	r = run(t, runOpts{stdin: "/streak\n"}, "--db", copyPath)
	if r.code != 0 || !strings.Contains(r.stdout, "from 1 graded answer") {
		t.Errorf("console on the copy: %s", r)
	}
	if r := run(t, runOpts{}, "--db", db, "backup", copyPath); r.code != exitError || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("backup over a file: %s", r)
	}
	if r := run(t, runOpts{}, "--db", db, "backup"); r.code != exitUsage {
		t.Errorf("backup without a file: exit %d", r.code)
	}
	if r := run(t, runOpts{env: map[string]string{"INTERVIEWBOT_RETENTION_DAYS": "soon"}}, "--db", db); r.code != exitError || !strings.Contains(r.stderr, "INTERVIEWBOT_RETENTION_DAYS") {
		t.Errorf("bad retention: %s", r)
	}
}
