package store

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
)

func TestEnsureUser(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	s := openTest(t, clk)

	first, err := s.EnsureUser(ctx, Identity{Platform: "slack", Team: "T1", ExternalID: "U1", Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == 0 || first.Name != "Ada" || first.TZ != "" {
		t.Fatalf("first sight = %+v", first)
	}

	// A renamed person is the same user: the name follows, the id and the
	// creation time do not move.
	clk.Advance(48 * time.Hour)
	renamed, err := s.EnsureUser(ctx, Identity{Platform: "slack", Team: "T1", ExternalID: "U1", Name: "Ada L."})
	if err != nil {
		t.Fatal(err)
	}
	if renamed.ID != first.ID || renamed.Name != "Ada L." {
		t.Errorf("renamed = %+v, want id %d and name Ada L.", renamed, first.ID)
	}
	var name, created string
	if err := s.db.QueryRowContext(ctx, `SELECT name, created_at FROM users WHERE id = ?`, first.ID).Scan(&name, &created); err != nil {
		t.Fatal(err)
	}
	if name != "Ada L." || created != formatTime(t0) {
		t.Errorf("stored name %q created %q, want Ada L. created %q", name, created, formatTime(t0))
	}

	// The same external id in another team or on another platform is
	// another person.
	for _, id := range []Identity{
		{Platform: "slack", Team: "T2", ExternalID: "U1", Name: "Ada"},
		{Platform: "discord", Team: "T1", ExternalID: "U1", Name: "Ada"},
	} {
		other, err := s.EnsureUser(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if other.ID == first.ID {
			t.Errorf("%+v shares user id %d with slack/T1/U1", id, other.ID)
		}
	}

	// A person with no display name is shown by their id, never blank.
	anon, err := s.EnsureUser(ctx, Identity{Platform: "slack", Team: "T1", ExternalID: "U9"})
	if err != nil {
		t.Fatal(err)
	}
	if anon.Name != "U9" {
		t.Errorf("nameless user named %q, want U9", anon.Name)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM users"); n != 4 {
		t.Errorf("%d users stored, want 4", n)
	}
}

func TestSetUserTZ(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	u := ensureUser(t, s, "slack", "T1", "U1")
	ensureUser(t, s, "slack", "T1", "U2")
	if err := s.SetUserTZ(ctx, u.ID, "Pacific/Auckland"); err != nil {
		t.Fatal(err)
	}
	// EnsureUser is how the bot reads a user back, so the zone must come
	// with it, and a rename must not reset it.
	if got := ensureUser(t, s, "slack", "T1", "U1"); got.TZ != "Pacific/Auckland" {
		t.Errorf("TZ = %q, want Pacific/Auckland", got.TZ)
	}
	if got := ensureUser(t, s, "slack", "T1", "U2"); got.TZ != "" {
		t.Errorf("another user's TZ = %q, want empty", got.TZ)
	}
	if err := s.SetUserTZ(ctx, u.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := ensureUser(t, s, "slack", "T1", "U1"); got.TZ != "" {
		t.Errorf("TZ after clearing = %q", got.TZ)
	}
}

func TestCreateAndOpenSessionRoundTrip(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	s := openTest(t, clk)
	u := ensureUser(t, s, "slack", "T1", "U1")

	want := sampleState()
	sess := &Session{UserID: u.ID, Platform: "slack", Team: "T1", Channel: "C1", State: want}
	if err := s.CreateSession(ctx, sess, interview.Turn{Kind: interview.TurnStart}); err != nil {
		t.Fatal(err)
	}
	if sess.ID == 0 || !sess.Open || sess.Seq != 1 || !sess.CreatedAt.Equal(t0) {
		t.Errorf("after create: id %d open %v seq %d created %v", sess.ID, sess.Open, sess.Seq, sess.CreatedAt)
	}

	got, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1")
	if err != nil {
		t.Fatal(err)
	}
	// The state is all a restart has to resume from: every field, nested
	// evaluations and the follow-up included, must survive the JSON.
	if !reflect.DeepEqual(got.State, want) {
		t.Errorf("state did not round-trip:\n got %+v\nwant %+v", got.State, want)
	}
	if got.ID != sess.ID || got.UserID != u.ID || got.Platform != "slack" || got.Team != "T1" || got.Channel != "C1" || !got.Open || got.Seq != 1 || !got.CreatedAt.Equal(t0) {
		t.Errorf("loaded session = %+v", got)
	}

	// Seq counts the turns stored, so it grows by one per committed step
	// and agrees with what OpenSession recounts from the table.
	for i := range 2 {
		clk.Advance(time.Minute)
		play(t, s, sess, askAgain(answerTurn("cache-invalidation", float64(7+i))))
	}
	if sess.Seq != 3 {
		t.Errorf("in-memory Seq = %d, want 3", sess.Seq)
	}
	got, err = s.OpenSession(ctx, u.ID, "slack", "T1", "C1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Seq != 3 {
		t.Errorf("loaded Seq = %d, want 3", got.Seq)
	}
	// The state loaded is the one the turns led to, not the first's.
	if got.State.Questions[0].Score != 8 || !reflect.DeepEqual(got.State, sess.State) {
		t.Errorf("loaded state:\n got %+v\nwant %+v", got.State, sess.State)
	}
	turns, err := s.Turns(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range turns {
		if tr.Seq != i+1 {
			t.Errorf("turn %d has seq %d", i, tr.Seq)
		}
	}
}

func TestOpenSessionNotFound(t *testing.T) {
	s := openTest(t, &clock{t0})
	u := ensureUser(t, s, "slack", "T1", "U1")
	newSession(t, s, u, "C1")
	// Each key column matters: another channel, team, platform or user has
	// no open session.
	for _, c := range []struct {
		user                    int64
		platform, team, channel string
	}{
		{u.ID, "slack", "T1", "C2"},
		{u.ID, "slack", "T2", "C1"},
		{u.ID, "discord", "T1", "C1"},
		{u.ID + 1, "slack", "T1", "C1"},
	} {
		_, err := s.OpenSession(context.Background(), c.user, c.platform, c.team, c.channel)
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("OpenSession(%+v) = %v, want ErrNotFound", c, err)
		}
	}
}

func TestSecondOpenSessionConflicts(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	s := openTest(t, clk)
	u := ensureUser(t, s, "slack", "T1", "U1")
	first := newSession(t, s, u, "C1")

	dup := &Session{UserID: u.ID, Platform: "slack", Team: "T1", Channel: "C1", State: sampleState()}
	err := s.CreateSession(ctx, dup, interview.Turn{Kind: interview.TurnStart})
	wantError(t, err, interview.Conflict)
	// The failed create rolls back whole: no orphan turn, the first
	// session still the open one.
	if n := count(t, s, "SELECT COUNT(*) FROM turns"); n != 1 {
		t.Errorf("%d turns after a refused create, want 1", n)
	}
	got, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1")
	if err != nil || got.ID != first.ID {
		t.Errorf("open session = %v, %v; want id %d", got, err, first.ID)
	}

	// The rule is one open session per channel, not one ever: another
	// channel is fine, and so is a new one once the first is closed.
	newSession(t, s, u, "C2")
	if err := s.CommitStep(ctx, first, interview.Step{Turn: &interview.Turn{Kind: interview.TurnEnd}, Finished: true}, time.UTC, time.UTC); err != nil {
		t.Fatal(err)
	}
	next := newSession(t, s, u, "C1")
	if next.ID == first.ID {
		t.Error("new session reused the closed one's id")
	}
}

func TestSessionByThread(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	u := ensureUser(t, s, "slack", "T1", "U1")
	sess := newSession(t, s, u, "C1")

	if _, err := s.SessionByThread(ctx, "slack", "T1", "C1", "1700000000.000100"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("before SetThread: %v, want ErrNotFound", err)
	}
	if err := s.SetThread(ctx, sess.ID, "1700000000.000100"); err != nil {
		t.Fatal(err)
	}
	got, err := s.SessionByThread(ctx, "slack", "T1", "C1", "1700000000.000100")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != sess.ID || got.Thread != "1700000000.000100" || got.UserID != u.ID {
		t.Errorf("SessionByThread = %+v", got)
	}
	// Thread ids are only unique within a channel.
	if _, err := s.SessionByThread(ctx, "slack", "T1", "C2", "1700000000.000100"); !errors.Is(err, ErrNotFound) {
		t.Errorf("thread in another channel: %v, want ErrNotFound", err)
	}

	// A finished interview is still found by its thread, closed, so the bot
	// can say it is over instead of treating a reply as a stranger's.
	if err := s.CommitStep(ctx, sess, interview.Step{Turn: &interview.Turn{Kind: interview.TurnEnd}, Finished: true}, time.UTC, time.UTC); err != nil {
		t.Fatal(err)
	}
	got, err = s.SessionByThread(ctx, "slack", "T1", "C1", "1700000000.000100")
	if err != nil {
		t.Fatal(err)
	}
	if got.Open {
		t.Error("closed session loaded as open")
	}
}

// SessionInThread answers who owns a thread's interview and whether it is
// open, from the session row alone.
func TestSessionInThread(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	u := ensureUser(t, s, "slack", "T1", "U1")
	sess := newSession(t, s, u, "C1")
	if _, err := s.SessionInThread(ctx, "slack", "T1", "C1", "th1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("before SetThread: %v, want ErrNotFound", err)
	}
	if err := s.SetThread(ctx, sess.ID, "th1"); err != nil {
		t.Fatal(err)
	}
	got, err := s.SessionInThread(ctx, "slack", "T1", "C1", "th1")
	if err != nil || got != (ThreadSession{ID: sess.ID, UserID: u.ID, Open: true}) {
		t.Fatalf("open: %+v %v", got, err)
	}
	if _, err := s.SessionInThread(ctx, "slack", "T1", "C2", "th1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("thread in another channel: %v, want ErrNotFound", err)
	}
	if err := s.CommitStep(ctx, sess, interview.Step{Turn: &interview.Turn{Kind: interview.TurnEnd}, Finished: true}, time.UTC, time.UTC); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SessionInThread(ctx, "slack", "T1", "C1", "th1"); err != nil || got.Open || got.UserID != u.ID {
		t.Errorf("closed: %+v %v", got, err)
	}
}

// A damaged state row must surface as a user-safe Internal error, not a
// JSON message or a zero State the engine would run on.
func TestDamagedStateIsReported(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	u := ensureUser(t, s, "slack", "T1", "U1")
	sess := newSession(t, s, u, "C1")
	if _, err := s.db.ExecContext(ctx, `UPDATE turns SET state = '{"questions": [' WHERE session_id = ?`, sess.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1")
	wantError(t, err, interview.Internal, "damaged")
}

func TestOpenSessions(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	a := ensureUser(t, s, "slack", "T1", "U1")
	b := ensureUser(t, s, "discord", "G1", "U2")
	s1 := newSession(t, s, a, "C1")
	s2 := newSession(t, s, b, "C1")
	s3 := newSession(t, s, a, "C2")
	if err := s.CommitStep(ctx, s2, interview.Step{Turn: &interview.Turn{Kind: interview.TurnEnd}, Finished: true}, time.UTC, time.UTC); err != nil {
		t.Fatal(err)
	}
	ids, err := s.OpenSessions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{s1.ID, s3.ID}; !reflect.DeepEqual(ids, want) {
		t.Errorf("OpenSessions = %v, want %v", ids, want)
	}
}

func TestCommitStepStoresTurn(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	s := openTest(t, clk)
	u := ensureUser(t, s, "slack", "T1", "U1")
	sess := newSession(t, s, u, "C1")

	steps := []*interview.Turn{
		answerTurn("cache-invalidation", 6.5),
		{Kind: interview.TurnHint, QuestionID: "cache-invalidation", Prompt: "kpd", Score: 5.2},
		// A skip has no evaluation; even a stray score must not be stored
		// as if it had been graded.
		{Kind: interview.TurnSkip, QuestionID: "cache-stampede", Prompt: "What is a stampede?", Score: 3},
	}
	for _, turn := range steps {
		clk.Advance(time.Minute)
		if err := s.CommitStep(ctx, sess, interview.Step{Turn: turn}, time.UTC, time.UTC); err != nil {
			t.Fatal(err)
		}
	}
	turns, err := s.Turns(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(turns) != 4 {
		t.Fatalf("%d turns, want 4: %+v", len(turns), turns)
	}
	if st := turns[0]; st.Kind != "start" || st.Score.Valid {
		t.Errorf("start turn = %+v, want kind start and no score", st)
	}
	ans := turns[1]
	if ans.Seq != 2 || ans.Kind != "answer" || ans.QuestionID != "cache-invalidation" || ans.Answer != sampleAnswer ||
		ans.Prompt != "How do you keep a cache consistent?" || !ans.Score.Valid || ans.Score.Float64 != 6.5 || ans.Grader != "rubric/3" {
		t.Errorf("answer turn = %+v", ans)
	}
	// A hint lowers what the question can earn: its score is kept.
	if h := turns[2]; h.Kind != "hint" || h.Prompt != "kpd" || h.Score.Float64 != 5.2 {
		t.Errorf("hint turn = %+v", h)
	}
	if sk := turns[3]; sk.Kind != "skip" || sk.Score.Valid || sk.Answer != "" {
		t.Errorf("skip turn = %+v, want no score", sk)
	}
	// The evaluation is kept whole for re-grading and audits.
	var evJSON string
	if err := s.db.QueryRowContext(ctx, `SELECT evaluation FROM turns WHERE session_id = ? AND seq = 2`, sess.ID).Scan(&evJSON); err != nil {
		t.Fatal(err)
	}
	if n := len(evJSON); n < 200 {
		t.Errorf("stored evaluation is %d bytes: %s", n, evJSON)
	}
	var created string
	if err := s.db.QueryRowContext(ctx, `SELECT created_at FROM turns WHERE session_id = ? AND seq = 4`, sess.ID).Scan(&created); err != nil {
		t.Fatal(err)
	}
	if want := formatTime(t0.Add(3 * time.Minute)); created != want {
		t.Errorf("turn created_at %q, want the injected clock's %q", created, want)
	}
}

func TestCommitStepNilTurnWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	u := ensureUser(t, s, "slack", "T1", "U1")
	sess := newSession(t, s, u, "C1")
	// Turn == nil means nothing changed (repeat, an empty line); even if a
	// buggy caller sets the other fields, the store must not half-record.
	step := interview.Step{
		Completed: []interview.Result{{QuestionID: "q1", Topic: "caching", Score: 9, Points: 14, Answered: true, Grader: "rubric/3"}},
		Finished:  true,
	}
	if err := s.CommitStep(ctx, sess, step, time.UTC, time.UTC); err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]int{"turns": 1, "results": 0, "board_totals": 0} {
		if n := count(t, s, "SELECT COUNT(*) FROM "+table); n != want {
			t.Errorf("%s has %d rows, want %d", table, n, want)
		}
	}
	if sess.Seq != 1 || !sess.Open {
		t.Errorf("session changed: seq %d open %v", sess.Seq, sess.Open)
	}
	if _, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1"); err != nil {
		t.Errorf("session no longer open: %v", err)
	}
}

// The local date of a result is the user's day, not UTC's: an answer just
// after midnight in Auckland belongs to the Auckland date, which is the next
// UTC date; one just before midnight in Los Angeles to the previous one.
func TestCommitStepResultLocalDate(t *testing.T) {
	for _, c := range []struct {
		zone string
		at   time.Time
		want string
	}{
		{"UTC", time.Date(2025, 3, 10, 23, 59, 0, 0, time.UTC), "2025-03-10"},
		{"Pacific/Auckland", time.Date(2025, 3, 10, 11, 30, 0, 0, time.UTC), "2025-03-11"},   // 00:30 NZDT
		{"Pacific/Auckland", time.Date(2025, 3, 10, 10, 30, 0, 0, time.UTC), "2025-03-10"},   // 23:30 NZDT
		{"America/Los_Angeles", time.Date(2025, 3, 11, 6, 30, 0, 0, time.UTC), "2025-03-10"}, // 23:30 PDT
		{"America/Los_Angeles", time.Date(2025, 3, 11, 7, 30, 0, 0, time.UTC), "2025-03-11"}, // 00:30 PDT
		// The night US daylight time starts: 07:30 UTC is 23:30 PST on the 8th.
		{"America/Los_Angeles", time.Date(2025, 3, 9, 7, 30, 0, 0, time.UTC), "2025-03-08"},
	} {
		t.Run(c.zone+" "+c.at.Format(time.RFC3339), func(t *testing.T) {
			ctx := context.Background()
			clk := &clock{c.at}
			s := openTest(t, clk)
			u := ensureUser(t, s, "slack", "T1", "U1")
			record(t, s, u, "C1", mustLoad(t, c.zone), time.UTC, result{qid: "q1", score: 8, points: 12, answered: true})
			var date, graded string
			if err := s.db.QueryRowContext(ctx, `SELECT local_date, graded_at FROM results`).Scan(&date, &graded); err != nil {
				t.Fatal(err)
			}
			if date != c.want {
				t.Errorf("local_date = %s, want %s", date, c.want)
			}
			// graded_at stays an instant in UTC whatever the user's zone.
			if graded != formatTime(c.at) {
				t.Errorf("graded_at = %s, want %s", graded, formatTime(c.at))
			}
		})
	}
}

func TestCommitStepResults(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	s := openTest(t, clk)
	u := ensureUser(t, s, "slack", "T1", "U1")
	sess := newSession(t, s, u, "C1")
	step := interview.Step{
		Turn: answerTurn("q1", 8),
		Completed: []interview.Result{
			{QuestionID: "q1", Topic: "caching", Level: "senior", Score: 8, Points: 16, Answered: true, Grader: "rubric/3"},
			{QuestionID: "q2", Topic: "queues", Level: "senior", Score: 0, Points: 0, Answered: false},
		},
	}
	if err := s.CommitStep(ctx, sess, step, time.UTC, time.UTC); err != nil {
		t.Fatal(err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT user_id, session_id, platform, team, channel, question_id, topic, level, score, points, answered, grader FROM results ORDER BY question_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type row struct {
		user, session           int64
		platform, team, channel string
		qid, topic, level       string
		score                   float64
		points                  int
		answered                bool
		grader                  string
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.user, &r.session, &r.platform, &r.team, &r.channel, &r.qid, &r.topic, &r.level, &r.score, &r.points, &r.answered, &r.grader); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []row{
		{u.ID, sess.ID, "slack", "T1", "C1", "q1", "caching", "senior", 8, 16, true, "rubric/3"},
		{u.ID, sess.ID, "slack", "T1", "C1", "q2", "queues", "senior", 0, 0, false, ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("results:\n got %+v\nwant %+v", got, want)
	}
	// Only the answered result counts on boards: team and channel, for all
	// time, the week and the month.
	if n := count(t, s, "SELECT COUNT(*) FROM board_totals WHERE user_id = ? AND points = 16 AND answers = 1", u.ID); n != 6 {
		t.Errorf("%d board rows for the answer, want 6", n)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM board_totals"); n != 6 {
		t.Errorf("%d board rows, want 6: a skipped question must not count", n)
	}
	if !sess.Open {
		t.Error("a step that did not finish closed the session")
	}
}

func TestCommitStepFinishedClosesSession(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	s := openTest(t, clk)
	u := ensureUser(t, s, "slack", "T1", "U1")
	sess := newSession(t, s, u, "C1")
	other := newSession(t, s, u, "C2")

	clk.Advance(30 * time.Minute)
	step := interview.Step{
		Turn:     &interview.Turn{Kind: interview.TurnEnd},
		Finished: true,
		Replies:  []interview.Reply{{Kind: interview.ReplyNotice, Text: "Done."}, {Kind: interview.ReplyScorecard, Scorecard: &interview.Scorecard{Overall: 72}}},
	}
	if err := s.CommitStep(ctx, sess, step, time.UTC, time.UTC); err != nil {
		t.Fatal(err)
	}
	if sess.Open {
		t.Error("in-memory session still open")
	}
	if _, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("OpenSession after finish = %v, want ErrNotFound", err)
	}
	ids, err := s.OpenSessions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ids, []int64{other.ID}) {
		t.Errorf("OpenSessions = %v, want only %d", ids, other.ID)
	}
	var status, closed string
	var overall int
	if err := s.db.QueryRowContext(ctx, `SELECT status, closed_at, overall FROM sessions WHERE id = ?`, sess.ID).Scan(&status, &closed, &overall); err != nil {
		t.Fatal(err)
	}
	if status != "closed" || closed != formatTime(t0.Add(30*time.Minute)) || overall != 72 {
		t.Errorf("closed row: status %s closed_at %s overall %d", status, closed, overall)
	}
	// The closing turn is stored with the rest.
	if turns, err := s.Turns(ctx, sess.ID); err != nil || len(turns) != 2 || turns[1].Kind != "end" {
		t.Errorf("turns = %+v, %v", turns, err)
	}
}

// A question's result is recorded once per session; if the same result is
// committed again (a retried step), the points must not be counted twice on
// the boards while the results table, which Totals and streaks read, keeps
// one row.
func TestCommitStepDuplicateResultCountsOnce(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	u := ensureUser(t, s, "slack", "T1", "U1")
	sess := newSession(t, s, u, "C1")
	res := interview.Result{QuestionID: "q1", Topic: "caching", Level: "mid", Score: 8, Points: 12, Answered: true, Grader: "rubric/3"}
	for range 2 {
		if err := s.CommitStep(ctx, sess, interview.Step{Turn: answerTurn("q1", 8), Completed: []interview.Result{res}}, time.UTC, time.UTC); err != nil {
			t.Fatal(err)
		}
	}
	tot, err := s.Totals(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.Leaderboard(ctx, "slack", "T1", 10)
	if err != nil {
		t.Fatal(err)
	}
	if tot.Points != 12 || tot.Answered != 1 {
		t.Errorf("Totals = %+v, want 12 points from 1 answer", tot)
	}
	if len(rows) != 1 || rows[0].Points != tot.Points || rows[0].Answered != tot.Answered {
		t.Errorf("board %+v disagrees with totals %+v", rows, tot)
	}
}

// When a step fails after its turn was inserted, the transaction rolls
// back, so the in-memory Seq must roll back too: a caller that keeps the
// session and commits again would otherwise leave a gap, and a later reload
// (Seq recounted from the table) would collide with the seq written after
// the gap.
func TestCommitStepFailureKeepsSeq(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	u := ensureUser(t, s, "slack", "T1", "U1")
	sess := newSession(t, s, u, "C1")
	// A trigger stands in for any failure after the turn insert (a full
	// disk, a constraint): the results insert aborts.
	if _, err := s.db.ExecContext(ctx, `CREATE TRIGGER fail_results BEFORE INSERT ON results BEGIN SELECT RAISE(ABORT, 'injected'); END`); err != nil {
		t.Fatal(err)
	}
	step := interview.Step{Turn: answerTurn("q1", 8), Completed: []interview.Result{{QuestionID: "q1", Topic: "caching", Score: 8, Points: 12, Answered: true}}}
	if err := s.CommitStep(ctx, sess, step, time.UTC, time.UTC); err == nil {
		t.Fatal("CommitStep succeeded despite the failing results insert")
	}
	if sess.Seq != 1 {
		t.Errorf("Seq = %d after a rolled-back step, want 1", sess.Seq)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM turns"); n != 1 {
		t.Errorf("%d turns after a failed step, want 1 (the turn must roll back with the results)", n)
	}
	if _, err := s.db.ExecContext(ctx, `DROP TRIGGER fail_results`); err != nil {
		t.Fatal(err)
	}
	// The retry on the same in-memory session lands as turn 2.
	if err := s.CommitStep(ctx, sess, step, time.UTC, time.UTC); err != nil {
		t.Fatal(err)
	}
	turns, err := s.Turns(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(turns) != 2 || turns[1].Seq != 2 {
		t.Errorf("turns after retry = %+v, want seqs 1, 2", turns)
	}
}

// A finished step that fails must leave the in-memory session open, as the
// database is.
func TestCommitStepFailureKeepsSessionOpen(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	u := ensureUser(t, s, "slack", "T1", "U1")
	sess := newSession(t, s, u, "C1")
	if _, err := s.db.ExecContext(ctx, `CREATE TRIGGER fail_close BEFORE UPDATE OF status ON sessions BEGIN SELECT RAISE(ABORT, 'injected'); END`); err != nil {
		t.Fatal(err)
	}
	err := s.CommitStep(ctx, sess, interview.Step{Turn: &interview.Turn{Kind: interview.TurnEnd}, Finished: true}, time.UTC, time.UTC)
	if err == nil {
		t.Fatal("CommitStep succeeded despite the failing close")
	}
	// Users see the safe message, never the SQL.
	if msg := interview.UserMessage(err); msg == "" || strings.Contains(msg, "injected") || strings.Contains(msg, "UPDATE") {
		t.Errorf("user message %q leaks the database error", msg)
	}
	if !sess.Open || sess.Seq != 1 {
		t.Errorf("after failed close: open %v seq %d, want open and seq 1", sess.Open, sess.Seq)
	}
	if _, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1"); err != nil {
		t.Errorf("session not open in the database: %v", err)
	}
}

// Only the first turn stores a state; every later turn records what it
// changed, and loading applies them to rebuild exactly the state the live
// session had: follow-ups, hints, a skip, and the same question twice (whose
// evaluations must not swap).
func TestStateIsRebuiltFromTurns(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	s := openTest(t, clk)
	u := ensureUser(t, s, "slack", "T1", "U1")
	start := interview.State{Topic: "caching", Level: "mid", Phase: interview.PhaseQuestion, StartedAt: t0, Questions: []interview.QuestionState{
		{QuestionID: "cache-invalidation"}, {QuestionID: "cache-stampede"}, {QuestionID: "cache-invalidation"},
	}}
	sess := &Session{UserID: u.ID, Platform: "slack", Team: "T1", Channel: "C1", State: start}
	if err := s.CreateSession(ctx, sess, interview.Turn{Kind: interview.TurnStart}); err != nil {
		t.Fatal(err)
	}
	answer := func(qid, feedback string, score float64) *interview.Turn {
		turn := answerTurn(qid, score)
		turn.Evaluation.Feedback = feedback
		return turn
	}
	for _, turn := range []*interview.Turn{
		askAgain(answer("cache-invalidation", "first", 4)),
		{Kind: interview.TurnHint, QuestionID: "cache-invalidation", Prompt: "kpd", Score: 3.6},
		answer("cache-invalidation", "first follow-up", 5.5),
		{Kind: interview.TurnSkip, QuestionID: "cache-stampede", Prompt: "What is a stampede?"},
		askAgain(answer("cache-invalidation", "third", 7)),
	} {
		clk.Advance(time.Minute)
		play(t, s, sess, turn)
	}
	if sess.State.Current != 2 || sess.State.Phase != interview.PhaseFollowUp || !sess.State.Questions[1].Skipped {
		t.Fatalf("the turns did not lead where the test means: %+v", sess.State)
	}
	if n := count(t, s, `SELECT count(*) FROM turns WHERE session_id = ? AND seq > 1 AND state != ''`, sess.ID); n != 0 {
		t.Errorf("%d turns after the first stored a state", n)
	}
	got, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.State, sess.State) {
		t.Errorf("state did not survive:\n got %+v\nwant %+v", got.State, sess.State)
	}

	// Going on from the loaded session, and loading again, agrees too.
	clk.Advance(time.Minute)
	play(t, s, got, &interview.Turn{Kind: interview.TurnHint, QuestionID: "cache-invalidation", Prompt: "kpb", Score: 6.1})
	again, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.State, got.State) || again.Seq != 7 {
		t.Errorf("state after resuming did not survive (seq %d):\n got %+v\nwant %+v", again.Seq, again.State, got.State)
	}
}

// oldSession stores an open session the way earlier versions did: one turn
// whose state is the whole session, saved as state (JSON text).
func oldSession(t *testing.T, s *Store, u User, evaluation any, state string) int64 {
	t.Helper()
	ctx := context.Background()
	res, err := s.db.ExecContext(ctx, `INSERT INTO sessions (user_id, platform, team, channel, status, created_at) VALUES (?, 'slack', 'T1', 'C1', 'open', ?)`, u.ID, formatTime(t0))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO turns (session_id, seq, kind, question_id, evaluation, state, created_at) VALUES (?, 1, 'answer', 'cache-invalidation', ?, ?, ?)`, id, evaluation, state, formatTime(t0)); err != nil {
		t.Fatal(err)
	}
	return id
}

// Databases written while every turn carried a state load from the latest
// one, whether it held its evaluations inside or counted them (leaving them
// to the answer turns); the interview then goes on in the current form.
func TestStateSavedByEarlierVersionsStillLoads(t *testing.T) {
	want := sampleState()
	ev, _ := json.Marshal(want.Questions[0].Evaluations[0])
	whole, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	lean := strings.Replace(string(whole), `"question_id":"cache-invalidation","evaluations":[`+string(ev)+`]`, `"question_id":"cache-invalidation","evaluated":1`, 1)
	if lean == string(whole) {
		t.Fatal("could not build the counted form")
	}
	for name, state := range map[string]string{"inside": string(whole), "counted": lean} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := openTest(t, &clock{t0})
			u := ensureUser(t, s, "slack", "T1", "U1")
			id := oldSession(t, s, u, string(ev), state)
			got, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.State, want) {
				t.Fatalf("old state:\n got %+v\nwant %+v", got.State, want)
			}
			play(t, s, got, answerTurn("cache-invalidation", 6))
			if n := count(t, s, `SELECT count(*) FROM turns WHERE session_id = ? AND seq = 2 AND state != ''`, id); n != 0 {
				t.Errorf("the turn after the upgrade stored a state")
			}
			again, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(again.State, got.State) {
				t.Errorf("after the upgrade:\n got %+v\nwant %+v", again.State, got.State)
			}
		})
	}
}

// A record that cannot rebuild its state is damaged: the user is told so
// plainly, nothing panics.
func TestStateMissingItsEvaluationsIsReportedDamaged(t *testing.T) {
	ctx := context.Background()
	t.Run("answer turn", func(t *testing.T) {
		s := openTest(t, &clock{t0})
		u := ensureUser(t, s, "slack", "T1", "U1")
		sess := &Session{UserID: u.ID, Platform: "slack", Team: "T1", Channel: "C1", State: interview.State{Phase: interview.PhaseQuestion, Questions: []interview.QuestionState{{QuestionID: "cache-invalidation"}}}}
		if err := s.CreateSession(ctx, sess, interview.Turn{Kind: interview.TurnStart}); err != nil {
			t.Fatal(err)
		}
		play(t, s, sess, askAgain(answerTurn("cache-invalidation", 6)))
		if _, err := s.db.ExecContext(ctx, `UPDATE turns SET evaluation = NULL WHERE session_id = ?`, sess.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1")
		wantError(t, err, interview.Internal, "saved state is damaged")
	})
	t.Run("counted state", func(t *testing.T) {
		s := openTest(t, &clock{t0})
		u := ensureUser(t, s, "slack", "T1", "U1")
		oldSession(t, s, u, nil, `{"phase":"question","questions":[{"question_id":"cache-invalidation","evaluated":1}]}`)
		_, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1")
		wantError(t, err, interview.Internal, "saved state is damaged")
	})
	t.Run("turn for another question", func(t *testing.T) {
		s := openTest(t, &clock{t0})
		u := ensureUser(t, s, "slack", "T1", "U1")
		sess := newSession(t, s, u, "C1")
		if err := s.CommitStep(ctx, sess, interview.Step{Turn: answerTurn("write-through", 6)}, time.UTC, time.UTC); err != nil {
			t.Fatal(err)
		}
		_, err := s.OpenSession(ctx, u.ID, "slack", "T1", "C1")
		wantError(t, err, interview.Internal, "saved state is damaged")
	})
}
