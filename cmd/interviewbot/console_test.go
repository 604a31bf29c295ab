package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// consoleScript is a whole short session: start an interview, answer the
// first question, end it, then ask for the streak and the board.
const consoleScript = "/mock caching\n" +
	"With cache-aside the application checks the cache first, and on a miss it reads the database and stores the result in the cache. Every key gets a TTL so stale data expires.\n" +
	"end\n" +
	"/streak\n" +
	"/leaderboard\n"

func TestConsoleSessionInProcess(t *testing.T) {
	db := filepath.Join(t.TempDir(), "console.db")
	r := run(t, runOpts{stdin: consoleScript}, "--db", db, "--user", "alice")
	if r.code != exitOK {
		t.Fatalf("exit code %d\n%s", r.code, r)
	}
	out := r.stdout
	steps := []string{
		"interviewbot console: you are alice.",
		"Mock interview: caching, 3 questions.",
		"Question 1 of 3 · ",
		// The engine always pushes once on a first answer.
		"== Follow-up (",
		"Scorecard:",
		"Streak: 1 day",
		"Leaderboard, all time",
		"1. alice: ",
		"End of input.",
	}
	// Each piece must appear after the previous one: the conversation is in
	// order, not just somewhere in the output.
	rest := out
	for _, s := range steps {
		i := strings.Index(rest, s)
		if i < 0 {
			t.Fatalf("output lacks %q after the earlier steps\n%s", s, r)
		}
		rest = rest[i+len(s):]
	}
	// Scripts and logs read the console's output, so without a terminal it
	// must be plain text.
	if strings.Contains(out, "\x1b[") {
		t.Errorf("non-terminal output contains an ANSI escape\n%s", r)
	}
	if r.stderr != "" {
		t.Errorf("stderr is not empty\n%s", r)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("the database was not created at --db: %v", err)
	}
}

// TestConsoleColourOnTerminal is the control for the ANSI check above: the
// same script on a terminal does colour, so the check can catch a leak.
func TestConsoleColourOnTerminal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "console.db")
	r := run(t, runOpts{stdin: consoleScript, terminal: true}, "--db", db, "--user", "alice")
	if r.code != exitOK {
		t.Fatalf("exit code %d\n%s", r.code, r)
	}
	if !strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("terminal output has no ANSI escape, so the plain-text check proves nothing\n%s", r)
	}
}

// The user name and the database path come from the environment when no flag
// is given; main.go is the only place that reads it.
func TestConsoleReadsEnvironment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "env.db")
	env := map[string]string{"USER": "carol", "INTERVIEWBOT_DB": db}
	r := run(t, runOpts{env: env, stdin: "/streak\n"})
	if r.code != exitOK {
		t.Fatalf("exit code %d\n%s", r.code, r)
	}
	if !strings.Contains(r.stdout, "you are carol.") {
		t.Errorf("USER was not used as the name\n%s", r)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("INTERVIEWBOT_DB was not used: %v", err)
	}
	// The flag beats the environment.
	db2 := filepath.Join(t.TempDir(), "flag.db")
	r = run(t, runOpts{env: env, stdin: ""}, "--db", db2, "--user", "dave")
	if r.code != exitOK || !strings.Contains(r.stdout, "you are dave.") {
		t.Fatalf("--user did not override USER\n%s", r)
	}
	if _, err := os.Stat(db2); err != nil {
		t.Errorf("--db did not override INTERVIEWBOT_DB: %v", err)
	}
}

// A platform token with no platform support must stop the program rather
// than silently run the console in a deployment that expects Slack.
func TestPlatformTokenRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tok.db")
	r := run(t, runOpts{env: map[string]string{"SLACK_BOT_TOKEN": "xoxb-secret-value"}, stdin: "/streak\n"}, "--db", db)
	if r.code != exitError {
		t.Fatalf("exit code %d, want 1\n%s", r.code, r)
	}
	// Slack is half configured: the error names the missing variable.
	if !strings.Contains(r.stderr, "SLACK_APP_TOKEN") {
		t.Errorf("stderr does not name the missing variable\n%s", r)
	}
	if strings.Contains(r.stderr+r.stdout, "xoxb-secret-value") {
		t.Errorf("the token value was printed\n%s", r)
	}
	if strings.Contains(r.stdout, "interviewbot console:") {
		t.Errorf("the console started\n%s", r)
	}
}

func TestDatabaseErrorsExit1BeforeStart(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	// Longer than SQLite's 100-byte header, so the driver reads it and
	// rejects it as not a database rather than treating it as empty.
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not a sqlite database\n", 20)), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no", "such", "dir", "x.db")
	tests := []struct {
		name, db string
		want     []string
	}{
		{"missing directory", missing, []string{missing, "does not exist"}},
		{"garbage file", garbage, []string{garbage, "not a SQLite database"}},
		{"directory", dir, []string{dir, "is a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, runOpts{stdin: "/mock caching\n"}, "--db", tt.db, "--user", "erin")
			if r.code != exitError {
				t.Fatalf("exit code %d, want 1\n%s", r.code, r)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q\n%s", w, r)
				}
			}
			// Users see a sentence, not a driver error.
			if strings.Contains(r.stderr, "SQLITE_") || strings.Contains(r.stderr, "(26)") {
				t.Errorf("stderr shows a raw driver error\n%s", r)
			}
			if strings.Contains(r.stdout, "interviewbot console:") {
				t.Errorf("the console banner was printed before the database failed\n%s", r)
			}
		})
	}
	// The failed open must leave the garbage file as it was: it may be
	// someone's data under the wrong name.
	b, err := os.ReadFile(garbage)
	if err != nil || !strings.HasPrefix(string(b), "this is not a sqlite database") {
		t.Errorf("the garbage file was changed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); err == nil {
		t.Errorf("the missing directory was created")
	}
}
