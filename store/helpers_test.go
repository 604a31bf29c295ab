package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/questions"
)

// clock is the injected time source: tests move it by hand so every stored
// timestamp and local date is known in advance, with no wall clock involved.
// The store calls Now on the caller's goroutine, so no locking is needed.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Set(t time.Time)         { c.t = t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// t0 is an ordinary weekday noon in UTC, far from any date boundary, so
// tests that do not care about zones get the same date everywhere.
var t0 = time.Date(2025, 3, 12, 12, 0, 0, 0, time.UTC) // a Wednesday

// openTest opens a fresh store in its own temporary directory, closed when
// the test ends.
func openTest(t testing.TB, clk *clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), Options{Now: clk.Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func ensureUser(t testing.TB, s *Store, platform, team, ext string) User {
	t.Helper()
	u, err := s.EnsureUser(context.Background(), Identity{Platform: platform, Team: team, ExternalID: ext, Name: "name-" + ext})
	if err != nil {
		t.Fatalf("EnsureUser(%s/%s/%s): %v", platform, team, ext, err)
	}
	return u
}

// sampleEvaluation is what a grader returns for a decent answer: six
// verdicts with evidence, one misconception and a follow-up, so the stored
// JSON exercises every nested type of the contract.
func sampleEvaluation(qid string) interview.Evaluation {
	ev := interview.Evaluation{
		QuestionID:     qid,
		Misconceptions: []interview.FoundMisconception{{ID: "ttl-is-consistency", Evidence: "a TTL keeps the cache consistent"}},
		FollowUp:       &interview.SuggestedFollowUp{Kind: questions.Scale, Text: "Traffic goes 10x in ten minutes: what breaks first?", Index: 1, Probes: []string{"stampede"}},
		Feedback:       "Solid on invalidation, thin on stampedes.",
		Clarity:        0.7,
		Grader:         "rubric/3",
		Flags:          []string{"repaired"},
	}
	verdicts := []interview.Verdict{interview.Present, interview.Present, interview.Partial, interview.Absent, interview.Contradicted, interview.Partial}
	for i, v := range verdicts {
		pv := interview.PointVerdict{KeyPoint: "kp" + string(rune('a'+i)), Verdict: v}
		if v != interview.Absent {
			pv.Evidence = "evidence quoted from the answer for point " + string(rune('a'+i))
		}
		ev.Verdicts = append(ev.Verdicts, pv)
	}
	return ev
}

// sampleState is a three-question session part-way through its first
// question, waiting on a follow-up.
func sampleState() interview.State {
	ev := sampleEvaluation("cache-invalidation")
	return interview.State{
		Topic: "caching",
		Level: "mid",
		Questions: []interview.QuestionState{
			{QuestionID: "cache-invalidation", Evaluations: []interview.Evaluation{ev}, AskedFollowUps: []int{1}, Hinted: []string{"kpd"}, Score: 6.5},
			{QuestionID: "cache-stampede"},
			{QuestionID: "write-through", Skipped: true, Done: true},
		},
		Current:   0,
		Phase:     interview.PhaseFollowUp,
		FollowUp:  ev.FollowUp,
		Graders:   []string{"rubric/3"},
		StartedAt: time.Date(2025, 3, 12, 11, 58, 0, 0, time.UTC),
	}
}

// sampleAnswer is about 600 bytes, the size of a typical typed answer.
var sampleAnswer = strings.Repeat("I would put a read-through cache in front of the database, invalidate on write and add jitter to TTLs. ", 6)

func answerTurn(qid string, score float64) *interview.Turn {
	ev := sampleEvaluation(qid)
	return &interview.Turn{Kind: interview.TurnAnswer, QuestionID: qid, Prompt: "How do you keep a cache consistent?", Answer: sampleAnswer, Evaluation: &ev, Score: score, Grader: ev.Grader}
}

// play commits a turn the way the engine does: applied to the session's
// state (which is what a restart must rebuild), then stored.
func play(t testing.TB, s *Store, sess *Session, turn *interview.Turn) {
	t.Helper()
	turn.At = s.now()
	if _, err := sess.State.Apply(*turn); err != nil {
		t.Fatalf("apply %s turn: %v", turn.Kind, err)
	}
	if err := s.CommitStep(context.Background(), sess, interview.Step{Turn: turn}, time.UTC, time.UTC); err != nil {
		t.Fatalf("CommitStep: %v", err)
	}
}

// askAgain makes an answer turn ask a follow-up, so the interview stays on
// its question.
func askAgain(turn *interview.Turn) *interview.Turn {
	turn.FollowUp = &interview.SuggestedFollowUp{Kind: questions.Failure, Text: "The primary dies mid-write: what do readers see?", Index: 2, Probes: []string{"kpd"}}
	return turn
}

// newSession creates an open session for u in channel with a start turn.
func newSession(t testing.TB, s *Store, u User, channel string) *Session {
	t.Helper()
	sess := &Session{UserID: u.ID, Platform: u.Platform, Team: u.Team, Channel: channel, State: sampleState()}
	if err := s.CreateSession(context.Background(), sess, interview.Turn{Kind: interview.TurnStart}); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return sess
}

// result is one graded (or skipped) question to put on the record.
type result struct {
	qid      string
	topic    string
	score    float64
	points   int
	answered bool
}

// record puts results on the record the way the bot does: a session whose
// one step completes them and finishes it, committed at the clock's time.
func record(t testing.TB, s *Store, u User, channel string, loc, boardLoc *time.Location, rs ...result) *Session {
	t.Helper()
	sess := newSession(t, s, u, channel)
	step := interview.Step{Turn: &interview.Turn{Kind: interview.TurnEnd}, Finished: true}
	for _, r := range rs {
		topic := r.topic
		if topic == "" {
			topic = "caching"
		}
		step.Completed = append(step.Completed, interview.Result{QuestionID: r.qid, Topic: topic, Level: "mid", Score: r.score, Points: r.points, Answered: r.answered, Grader: "rubric/3"})
	}
	if err := s.CommitStep(context.Background(), sess, step, loc, boardLoc); err != nil {
		t.Fatalf("CommitStep: %v", err)
	}
	return sess
}

// wantError checks that err is an *interview.Error with code and a message
// containing every fragment: the message is what a person reads, so its
// content is part of the contract.
func wantError(t *testing.T, err error, code interview.Code, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want %s error", code)
	}
	var ie *interview.Error
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T) is not an *interview.Error", err, err)
	}
	if got := interview.ErrorCode(err); got != code {
		t.Errorf("code = %q, want %q (error: %v)", got, code, err)
	}
	for _, f := range fragments {
		if !strings.Contains(ie.Message, f) {
			t.Errorf("message %q does not contain %q", ie.Message, f)
		}
	}
}

func count(t testing.TB, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
