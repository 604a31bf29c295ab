package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/questions"
	"github.com/interviewbot/interviewbot/store"
)

// The kill tests need a real process: SIGKILL cannot be simulated in-process,
// and "persist first, then reply" is only proven if the process dies with no
// chance to flush or clean up.

var (
	binDir  string
	binOnce sync.Once
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "interviewbot-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binary builds the command once per test run, and only when a test needs
// it, so the in-process tests stay fast. The test's working directory is this
// package's directory, so "." is the main package.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		p := filepath.Join(binDir, "interviewbot")
		out, err := exec.Command("go", "build", "-o", p, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		binPath = p
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// testContext bounds every wait on a child: the test's own deadline when it
// has one (with room to report), else a generous limit. It bounds waiting;
// it asserts nothing about speed.
func testContext(t *testing.T) context.Context {
	limit := time.Now().Add(2 * time.Minute)
	if d, ok := t.Deadline(); ok && d.Add(-10*time.Second).Before(limit) {
		limit = d.Add(-10 * time.Second)
	}
	ctx, cancel := context.WithDeadline(t.Context(), limit)
	t.Cleanup(cancel)
	return ctx
}

// watchBuffer collects a child's output and wakes waiters on each write.
type watchBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newWatchBuffer() *watchBuffer { return &watchBuffer{changed: make(chan struct{}, 1)} }

func (w *watchBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.buf.Write(p)
	w.mu.Unlock()
	select {
	case w.changed <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (w *watchBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// child is one running interviewbot process.
type child struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *watchBuffer
	stderr *watchBuffer
	done   chan struct{} // closed once Wait returned and all output is in
}

// childEnv is the host environment without anything that would change what
// the program does: a platform token would refuse the console, and the
// database and user come from flags.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_BOT_TOKEN", "INTERVIEWBOT_DB", "USER":
			continue
		}
		env = append(env, kv)
	}
	return env
}

func startChild(ctx context.Context, t *testing.T, db, user string) *child {
	t.Helper()
	return startChildWith(ctx, t, nil, "--db", db, "--user", user)
}

// startChildWith starts the binary with args and extra environment.
func startChildWith(ctx context.Context, t *testing.T, env []string, args ...string) *child {
	t.Helper()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = append(childEnv(), env...)
	c := &child{t: t, cmd: cmd, stdout: newWatchBuffer(), stderr: newWatchBuffer(), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = c.stdout, c.stderr
	var err error
	if c.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		cmd.Wait() // the exit status is read from cmd.ProcessState
		close(c.done)
	}()
	// A failed test must not leave a process behind.
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

func (c *child) send(line string) {
	c.t.Helper()
	if _, err := io.WriteString(c.stdin, line+"\n"); err != nil {
		c.t.Fatalf("write %q to the child: %v\n%s", line, err, c)
	}
}

func (c *child) String() string {
	return fmt.Sprintf("--- child stdout:\n%s\n--- child stderr:\n%s", c.stdout, c.stderr)
}

// waitFor blocks until cond holds on the output so far, and returns that
// output. It fails the test if the child exits first or ctx ends.
func (c *child) waitFor(ctx context.Context, what string, cond func(out string) bool) string {
	c.t.Helper()
	for {
		if out := c.stdout.String(); cond(out) {
			return out
		}
		select {
		case <-c.stdout.changed:
		case <-c.done:
			// Every write happened before done closed; look once more.
			if out := c.stdout.String(); cond(out) {
				return out
			}
			c.t.Fatalf("waiting for %s: the child exited (%v)\n%s", what, c.cmd.ProcessState, c)
		case <-ctx.Done():
			c.t.Fatalf("waiting for %s: not seen before the test's deadline\n%s", what, c)
		}
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (c *child) kill(ctx context.Context) {
	c.t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		c.t.Fatalf("kill: %v", err)
	}
	select {
	case <-c.done:
	case <-ctx.Done():
		c.t.Fatalf("the killed child did not go away\n%s", c)
	}
	// -1 means a signal ended it, so the kill, not an exit of its own, is
	// what the restart recovers from.
	if code := c.cmd.ProcessState.ExitCode(); code != -1 {
		c.t.Fatalf("the child exited with %d before it was killed\n%s", code, c)
	}
}

// finish closes stdin and waits for the normal end-of-input exit.
func (c *child) finish(ctx context.Context) {
	c.t.Helper()
	c.stdin.Close()
	c.waitFor(ctx, "the end-of-input message", func(out string) bool { return strings.Contains(out, "End of input.") })
	select {
	case <-c.done:
	case <-ctx.Done():
		c.t.Fatalf("the child did not exit after end of input\n%s", c)
	}
	if code := c.cmd.ProcessState.ExitCode(); code != 0 {
		c.t.Fatalf("exit code %d after end of input\n%s", code, c)
	}
	if strings.Contains(c.stderr.String(), "panic") {
		c.t.Fatalf("the child panicked\n%s", c)
	}
}

var questionHeader = regexp.MustCompile(`== Question 1 of 3 · (.+) ==\n`)

// firstQuestion waits for the first question of a /mock caching interview
// and finds it in the bank by its title; the child seeds question order from
// the real clock, so the test cannot know it in advance.
func firstQuestion(ctx context.Context, t *testing.T, c *child) *questions.Question {
	t.Helper()
	out := c.waitFor(ctx, "the first question", questionHeader.MatchString)
	title := questionHeader.FindStringSubmatch(out)[1]
	for _, q := range builtin(t).Filter("caching", "") {
		if q.Title == title {
			return q
		}
	}
	t.Fatalf("question title %q is not a caching question in the bank\n%s", title, c)
	return nil
}

// followUpAfter waits for a follow-up after byte mark of the output and
// returns the authored follow-up it asked, matched on its full text so the
// wait ends only once the whole prompt has arrived.
func followUpAfter(ctx context.Context, t *testing.T, c *child, q *questions.Question, mark int) questions.FollowUp {
	t.Helper()
	var got questions.FollowUp
	c.waitFor(ctx, "a follow-up", func(out string) bool {
		i := strings.Index(out[mark:], "== Follow-up (")
		if i < 0 {
			return false
		}
		rest := normalize(out[mark+i:])
		for _, fu := range q.FollowUps {
			if strings.HasPrefix(rest, "== Follow-up ("+string(fu.Kind)+") ==") && strings.Contains(rest, normalize(fu.Text)) {
				got = fu
				return true
			}
		}
		return false
	})
	return got
}

// sessionTurns opens the database the way the program does and returns the
// console session with its turns, checking they are numbered without gaps.
func sessionTurns(ctx context.Context, t *testing.T, db string) (*store.Session, []store.TurnRecord) {
	t.Helper()
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatalf("the database does not open after the kill: %v", err)
	}
	defer st.Close()
	// Console sessions have no thread, so the empty thread finds the latest.
	sess, err := st.SessionByThread(ctx, "console", "local", "console", "")
	if err != nil {
		t.Fatalf("no console session in the database: %v", err)
	}
	turns, err := st.Turns(ctx, sess.ID)
	if err != nil {
		t.Fatalf("turns: %v", err)
	}
	// Turns are numbered 1..n with no gap: a torn write would show here.
	for i, tr := range turns {
		if tr.Seq != i+1 {
			t.Fatalf("turn %d has seq %d: %+v", i, tr.Seq, turns)
		}
	}
	if sess.Seq != len(turns) {
		t.Fatalf("session counts %d turns, %d stored", sess.Seq, len(turns))
	}
	return sess, turns
}

func countAnswers(turns []store.TurnRecord, answer string) int {
	n := 0
	for _, tr := range turns {
		if tr.Kind == string(interview.TurnAnswer) && tr.Answer == answer {
			n++
		}
	}
	return n
}

// keyPointAnswer states every key point of q on one line: an answer the
// grader credits (TestGradeEveryQuestion checks that for the whole bank), so
// the scorecard will quote it.
func keyPointAnswer(q *questions.Question) string {
	return strings.Join(strings.Fields(strongAnswer(q)), " ")
}

// TestKillWhileWaitingResumes kills the process while it waits for the
// answer to a follow-up. The answer before the kill must survive, once, and a
// new process must ask the same follow-up again.
func TestKillWhileWaitingResumes(t *testing.T) {
	ctx := testContext(t)
	db := filepath.Join(t.TempDir(), "kill.db")

	c1 := startChild(ctx, t, db, "kim")
	c1.send("/mock caching")
	q := firstQuestion(ctx, t, c1)
	answer := keyPointAnswer(q)
	mark := len(c1.stdout.String())
	c1.send(answer)
	fu := followUpAfter(ctx, t, c1, q, mark)
	// The follow-up is on screen and the process sits reading stdin.
	c1.kill(ctx)

	// Before restarting, the answer is in the database: it was committed
	// before the follow-up was shown.
	sess, turns := sessionTurns(ctx, t, db)
	if n := countAnswers(turns, answer); n != 1 {
		t.Fatalf("the answer is stored %d times after the kill, want 1: %+v", n, turns)
	}
	if !sess.Open || sess.State.Phase != interview.PhaseFollowUp || sess.State.FollowUp == nil || sess.State.FollowUp.Text != fu.Text {
		t.Fatalf("stored state is not waiting on the follow-up that was shown: open=%v phase=%q follow-up=%+v", sess.Open, sess.State.Phase, sess.State.FollowUp)
	}

	c2 := startChild(ctx, t, db, "kim")
	// Wait for either prompt a resume could show, so a wrong one fails now
	// rather than at the deadline.
	resumed := func(out string) string {
		i := strings.Index(out, "Resuming your interview where you left it: question 1 of 3.")
		if i < 0 {
			return ""
		}
		return normalize(out[i:])
	}
	wantFollowUp := "== Follow-up (" + string(fu.Kind) + ") == " + followUpLeadFor(fu.Kind) + " " + normalize(fu.Text)
	c2.waitFor(ctx, "the resumed prompt", func(out string) bool {
		r := resumed(out)
		return strings.Contains(r, wantFollowUp) || strings.Contains(r, normalize(q.Prompt))
	})
	if r := resumed(c2.stdout.String()); !strings.Contains(r, wantFollowUp) || strings.Contains(r, "== Question 1 of 3") {
		t.Fatalf("the restart did not resume at the follow-up asked before the kill:\n%s\n%s", wantFollowUp, c2)
	}

	mark = len(c2.stdout.String())
	c2.send("I would watch the hit rate and the database load while it happens, and add capacity where it runs out.")
	c2.send("end")
	out := c2.waitFor(ctx, "the scorecard", func(out string) bool {
		return strings.Contains(out[mark:], "Scorecard:") && strings.Contains(out[mark:], "questions answered")
	})
	card := normalize(out[mark+strings.Index(out[mark:], "Scorecard:"):])
	if !strings.Contains(card, "Q1 · "+q.Title) {
		t.Fatalf("the scorecard lacks the first question %q\n%s", q.Title, c2)
	}
	// A quote in the scorecard that only the pre-kill answer contains proves
	// that answer's grading survived the kill, not just the question.
	quoted := false
	for _, m := range regexp.MustCompile(`“([^”]+)”`).FindAllStringSubmatch(card, -1) {
		if strings.Contains(answer, m[1]) {
			quoted = true
		}
	}
	if !quoted {
		t.Errorf("the scorecard quotes nothing from the answer given before the kill\nanswer: %s\n%s", answer, c2)
	}
	c2.finish(ctx)

	sess, turns = sessionTurns(ctx, t, db)
	if n := countAnswers(turns, answer); n != 1 {
		t.Errorf("the pre-kill answer is stored %d times, want exactly 1: %+v", n, turns)
	}
	if sess.Open {
		t.Errorf("the session is still open after end")
	}
	if turns[0].Kind != string(interview.TurnStart) || turns[len(turns)-1].Kind != string(interview.TurnEnd) {
		t.Errorf("turns do not run from start to end: %+v", turns)
	}
}

// TestKillRacingAnAnswer kills the process around the moment it handles an
// answer, so the kill may land before, during or after the commit. Whatever
// happened, the database must open, hold the answer zero or one times, and a
// restart must resume at the prompt the stored state says.
func TestKillRacingAnAnswer(t *testing.T) {
	modes := []struct {
		name string
		// wait decides how long to let the child run after the answer is
		// sent; it bounds nothing and asserts nothing about time.
		wait func(ctx context.Context, c *child, mark int)
	}{
		{"right after the write", func(context.Context, *child, int) {}},
		{"at the first byte of the reply", func(ctx context.Context, c *child, mark int) {
			c.waitFor(ctx, "any reply", func(out string) bool { return len(out) > mark })
		}},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			ctx := testContext(t)
			db := filepath.Join(t.TempDir(), "race.db")

			c1 := startChild(ctx, t, db, "ravi")
			c1.send("/mock caching")
			q := firstQuestion(ctx, t, c1)
			answer := keyPointAnswer(q)
			mark := len(c1.stdout.String())
			c1.send(answer)
			mode.wait(ctx, c1, mark)
			c1.kill(ctx)

			sess, turns := sessionTurns(ctx, t, db)
			if !sess.Open {
				t.Fatalf("the session was closed by a kill")
			}
			st := sess.State
			var wantPrompt string
			switch n := countAnswers(turns, answer); n {
			case 0:
				t.Logf("killed before the commit: the answer is not stored")
				if st.Phase != interview.PhaseQuestion || st.Current != 0 || st.Questions[0].Answered() {
					t.Fatalf("no answer stored, but the state moved on: %+v", st)
				}
				wantPrompt = "== Question 1 of 3 · " + q.Title + " =="
			case 1:
				t.Logf("killed after the commit: the answer is stored")
				if st.Phase != interview.PhaseFollowUp || st.FollowUp == nil || len(st.Questions[0].Evaluations) != 1 {
					t.Fatalf("the answer is stored but the state does not wait on its follow-up: %+v", st)
				}
				wantPrompt = "== Follow-up (" + string(st.FollowUp.Kind) + ") == " + normalize(followUpLeadFor(st.FollowUp.Kind)) + " " + normalize(st.FollowUp.Text)
			default:
				t.Fatalf("the answer is stored %d times: %+v", n, turns)
			}

			// With stdin closed at once the child resumes, prints its prompt
			// and exits, so the whole output is there to check.
			c2 := startChild(ctx, t, db, "ravi")
			c2.finish(ctx)
			out := c2.stdout.String()
			i := strings.Index(out, "Resuming your interview where you left it: question 1 of 3.")
			if i < 0 || !strings.Contains(normalize(out[i:]), normalize(wantPrompt)) {
				t.Fatalf("the restart did not resume at the stored prompt:\n%s\n%s", wantPrompt, c2)
			}

			// Resuming and leaving adds nothing to the record.
			_, after := sessionTurns(ctx, t, db)
			if len(after) != len(turns) {
				t.Errorf("a resume with no input changed the turns: %d before, %d after", len(turns), len(after))
			}
		})
	}
}

// followUpLeadFor is the sentence the console puts before a follow-up of a
// kind; the resumed prompt must read exactly as it did the first time.
func followUpLeadFor(k questions.FollowUpKind) string {
	return map[questions.FollowUpKind]string{
		questions.Scale:    "Let's push on scale.",
		questions.Failure:  "Now something breaks.",
		questions.Race:     "Two things happen at once.",
		questions.Tradeoff: "Why this and not the alternative?",
		questions.Probe:    "Let's go deeper.",
	}[k]
}
