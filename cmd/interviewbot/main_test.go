package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview/rubric"
	"github.com/interviewbot/interviewbot/store"
)

// fixedNow is the clock of every in-process run, so question order (seeded
// from the clock) and local days are the same on every run.
var fixedNow = time.Date(2025, time.March, 12, 12, 0, 0, 0, time.UTC)

// runResult is what one in-process run of the program produced.
type runResult struct {
	code           int
	stdout, stderr string
}

// runOpts are the process edges a test may set; zero values give an empty
// environment, empty stdin and a non-terminal stdout.
type runOpts struct {
	env      map[string]string
	stdin    string
	terminal bool
}

// run runs the whole program in-process through Main.Run, as main() does,
// but with buffers and a map for the environment so the host's variables
// (USER, SLACK_BOT_TOKEN, INTERVIEWBOT_DB) cannot leak into the test.
func run(t *testing.T, o runOpts, args ...string) runResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	m := &Main{
		Stdin:            strings.NewReader(o.stdin),
		Stdout:           &stdout,
		Stderr:           &stderr,
		Getenv:           func(k string) string { return o.env[k] },
		Now:              func() time.Time { return fixedNow },
		StdoutIsTerminal: o.terminal,
	}
	code := m.Run(t.Context(), args)
	return runResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// String makes failure messages show the whole run.
func (r runResult) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s\n--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// normalize folds every run of whitespace to one space, so checks on text the
// console wrapped at 78 columns do not depend on where the line breaks fell.
func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestUsageErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "usage.db")
	tests := []struct {
		name string
		args []string
		// stderr must contain each of these: the reason, then the usage text
		// that tells the user what to type instead.
		want []string
	}{
		{"unknown command", []string{"--db", db, "frobnicate"}, []string{`unknown command "frobnicate"`, "Usage:"}},
		{"unknown global flag", []string{"--nope"}, []string{"flag provided but not defined: -nope", "Usage:"}},
		{"run with arguments", []string{"--db", db, "run", "extra"}, []string{"run takes no arguments", "Usage:"}},
		{"unknown questions list flag", []string{"questions", "list", "--nope"}, []string{"interviewbot questions list:", "-nope", "Usage:"}},
		{"unknown grade flag", []string{"grade", "--nope"}, []string{"interviewbot grade:", "-nope", "Usage:"}},
		{"unknown version flag", []string{"version", "--nope"}, []string{"interviewbot version:", "-nope", "Usage:"}},
		{"questions without subcommand", []string{"questions"}, []string{"missing subcommand", "interviewbot questions list"}},
		{"questions unknown subcommand", []string{"questions", "frob"}, []string{`unknown subcommand "frob"`, "interviewbot questions list"}},
		{"questions list extra argument", []string{"questions", "list", "extra"}, []string{`unexpected argument "extra"`}},
		{"questions show without id", []string{"questions", "show"}, []string{"give one question id"}},
		{"questions lint two dirs", []string{"questions", "lint", dir, dir}, []string{"at most one directory"}},
		{"grade without flags", []string{"grade"}, []string{"--question and --answer-file are required", "interviewbot grade --question"}},
		{"grade without answer file", []string{"grade", "--question", "caching-aside-vs-write-through"}, []string{"--question and --answer-file are required"}},
		{"grade without question", []string{"grade", "--answer-file", "-"}, []string{"--question and --answer-file are required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, runOpts{}, tt.args...)
			if r.code != exitUsage {
				t.Fatalf("exit code %d, want %d\n%s", r.code, exitUsage, r)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q\n%s", w, r)
				}
			}
			// A usage error must not start the console or touch a database.
			if strings.Contains(r.stdout, "interviewbot console:") {
				t.Errorf("the console started on a usage error\n%s", r)
			}
		})
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("a usage error created the database %s", db)
	}
}

func TestHelpExits0(t *testing.T) {
	tests := []struct {
		args []string
		want string // a line only that command's usage has
	}{
		{[]string{"--help"}, "interviewbot questions lint [DIR]"},
		{[]string{"-h"}, "interviewbot questions lint [DIR]"},
		{[]string{"help"}, "interviewbot questions lint [DIR]"},
		{[]string{"questions", "--help"}, "interviewbot questions list [--json] [--topic T] [--level L]"},
		{[]string{"questions", "list", "--help"}, "interviewbot questions list [--json] [--topic T] [--level L]"},
		{[]string{"grade", "--help"}, "--answer-file - reads standard input"},
		{[]string{"version", "--help"}, "interviewbot version"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := run(t, runOpts{}, tt.args...)
			if r.code != exitOK {
				t.Fatalf("exit code %d, want 0\n%s", r.code, r)
			}
			// Help that was asked for goes to stdout, so `| less` works.
			if !strings.Contains(r.stdout, tt.want) {
				t.Errorf("stdout lacks %q\n%s", tt.want, r)
			}
			if r.stderr != "" {
				t.Errorf("help wrote to stderr\n%s", r)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	r := run(t, runOpts{}, "version")
	if r.code != exitOK {
		t.Fatalf("exit code %d\n%s", r.code, r)
	}
	if !strings.HasPrefix(r.stdout, "interviewbot ") {
		t.Errorf("stdout does not start with the program name\n%s", r)
	}
	// Stored scores name their grader, so the version must say which grader
	// and schema this binary writes, for re-grading and support.
	want := fmt.Sprintf("grader %s, schema %d", rubric.Version, store.SchemaVersion())
	if !strings.Contains(r.stdout, want) {
		t.Errorf("stdout lacks %q\n%s", want, r)
	}
	if !strings.HasPrefix(rubric.Version, "rubric/") {
		t.Errorf("rubric.Version = %q, want rubric/N", rubric.Version)
	}
}
