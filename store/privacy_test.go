package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
)

// privacyFixture gives two users of one team interviews, a daily answer,
// board totals and LLM usage.
func privacyFixture(t *testing.T) (*Store, *clock, User, User) {
	t.Helper()
	clk := &clock{t: t0}
	s := openTest(t, clk)
	ctx := context.Background()
	ana := ensureUser(t, s, "slack", "T1", "U1")
	bo := ensureUser(t, s, "slack", "T1", "U2")
	for _, u := range []User{ana, bo} {
		sess := newSession(t, s, u, "C1")
		step := interview.Step{Turn: answerTurn("q1", 7), Completed: []interview.Result{{QuestionID: "q1", Topic: "caching", Level: "mid", Score: 7, Points: 7, Answered: true, Grader: "rubric/3"}}, Finished: true}
		if err := s.CommitStep(ctx, sess, step, time.UTC, time.UTC); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordUsage(ctx, "slack:T1", u.ExternalID, "m", 100, 10, 0, clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	post, _, err := s.ClaimPost(ctx, Post{Channel: Channel{Platform: "slack", Team: "T1", ID: "C1"}, Day: "2025-03-12", QuestionID: "q2", RevealAt: t0.Add(8 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []User{ana, bo} {
		if err := s.SaveDailyAnswer(ctx, post, DailyAnswer{PostID: post.ID, UserID: u.ID, Answer: "daily words of " + u.ExternalID, Evaluation: sampleEvaluation("q2"), Score: 6, Share: true},
			interview.Result{QuestionID: "q2", Topic: "caching", Level: "mid", Score: 6, Points: 6, Answered: true, Grader: "rubric/3"}, time.UTC, time.UTC); err != nil {
			t.Fatal(err)
		}
	}
	return s, clk, ana, bo
}

func TestExportUserHoldsEverythingAboutThem(t *testing.T) {
	s, _, ana, bo := privacyFixture(t)
	exp, err := s.ExportUser(context.Background(), ana.ID)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(exp)
	if err != nil {
		t.Fatal(err)
	}
	for table, min := range map[string]int{"users": 1, "sessions": 1, "turns": 2, "results": 2, "daily_answers": 1, "board_totals": 1, "llm_usage": 1} {
		if len(exp[table]) < min {
			t.Errorf("export has %d %s rows, want at least %d", len(exp[table]), table, min)
		}
	}
	text := string(data)
	if !strings.Contains(text, "daily words of U1") || !strings.Contains(text, "read-through cache") {
		t.Error("export lacks the user's answer text")
	}
	if strings.Contains(text, "daily words of U2") || strings.Contains(text, fmt.Sprintf(`"user_id":%d`, bo.ID)) {
		t.Error("export holds another user's data")
	}
	// JSON columns are embedded as JSON, not as escaped strings.
	if !strings.Contains(text, `"evaluation":{`) {
		t.Errorf("evaluation not embedded as JSON")
	}
	if _, err := s.ExportUser(context.Background(), 9999); err != ErrNotFound {
		t.Errorf("export of a missing user: %v", err)
	}
}

// userColumns finds every column in the schema that can name a user.
func userColumns(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string][]string{}
	for _, tb := range tables {
		cols, err := s.db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, tb)
		if err != nil {
			t.Fatal(err)
		}
		for cols.Next() {
			var c string
			cols.Scan(&c)
			switch c {
			case "user_id", "user", "external_id":
				out[tb] = append(out[tb], c)
			}
		}
		cols.Close()
	}
	return out
}

func TestDeleteUserLeavesNoTraceAndBoardsAddUp(t *testing.T) {
	s, _, ana, bo := privacyFixture(t)
	ctx := context.Background()
	if err := s.DeleteUser(ctx, ana.ID); err != nil {
		t.Fatal(err)
	}
	cols := userColumns(t, s)
	if len(cols) < 5 {
		t.Fatalf("found only %v user columns; the schema scan is broken", cols)
	}
	for table, cs := range cols {
		for _, c := range cs {
			var n int
			var err error
			switch c {
			case "user_id":
				err = s.db.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s WHERE user_id = ?", table), ana.ID).Scan(&n)
			default:
				err = s.db.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s WHERE %s = ?", table, c), ana.ExternalID).Scan(&n)
			}
			if err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%s.%s still references the deleted user (%d rows)", table, c, n)
			}
		}
	}
	if n := count(t, s, `SELECT count(*) FROM turns WHERE session_id NOT IN (SELECT id FROM sessions)`); n != 0 {
		t.Errorf("%d orphaned turns", n)
	}
	// The other user is untouched and every board still sums its results.
	if n := count(t, s, `SELECT count(*) FROM results WHERE user_id = ?`, bo.ID); n != 2 {
		t.Errorf("other user's results: %d, want 2", n)
	}
	var board, results int
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(sum(points),0) FROM board_totals WHERE team = 'T1' AND channel = '' AND period = 'all'`).Scan(&board); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(sum(points),0) FROM results WHERE team = 'T1'`).Scan(&results); err != nil {
		t.Fatal(err)
	}
	if board != results || board == 0 {
		t.Errorf("team board %d points, results %d", board, results)
	}
	if err := s.DeleteUser(ctx, ana.ID); err != ErrNotFound {
		t.Errorf("second delete: %v", err)
	}
}

func TestPurgeAnswerTextKeepsScores(t *testing.T) {
	s, clk, ana, _ := privacyFixture(t)
	ctx := context.Background()
	// An open interview, answered now, must keep its state to resume.
	open := newSession(t, s, ana, "C2")
	play(t, s, open, answerTurn("cache-invalidation", 5))
	n, err := s.PurgeAnswerText(ctx, clk.Now().Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 { // two closed sessions of a start and an answer turn, two daily answers
		t.Errorf("purged %d rows, want 6", n)
	}
	if c := count(t, s, `SELECT count(*) FROM turns t JOIN sessions s ON s.id = t.session_id WHERE s.status = 'closed' AND t.answer != ''`); c != 0 {
		t.Errorf("%d closed answers keep their text", c)
	}
	if c := count(t, s, `SELECT count(*) FROM daily_answers WHERE answer != ''`); c != 0 {
		t.Errorf("%d daily answers keep their text", c)
	}
	if c := count(t, s, `SELECT count(*) FROM turns WHERE session_id = ? AND answer != ''`, open.ID); c != 1 {
		t.Errorf("open interview lost its answer")
	}
	if c := count(t, s, `SELECT count(*) FROM results`); c != 4 {
		t.Errorf("results: %d, want 4", c)
	}
	if got, err := s.OpenSession(ctx, ana.ID, "slack", "T1", "C2"); err != nil || !reflect.DeepEqual(got.State, open.State) {
		t.Errorf("open interview does not resume as it was after a purge: %v", err)
	}
	if n, err := s.PurgeAnswerText(ctx, clk.Now().Add(time.Second)); err != nil || n != 0 {
		t.Errorf("second purge: %d, %v", n, err)
	}
}

// A backup taken while writers run opens, passes integrity_check and holds
// every turn committed before it began.
func TestBackupUnderConcurrentWrites(t *testing.T) {
	clk := &clock{t: t0}
	s := openTest(t, clk)
	ctx := context.Background()
	u := ensureUser(t, s, "slack", "T1", "U1")
	for range 20 {
		record(t, s, u, "C1", time.UTC, time.UTC, result{qid: "q1", score: 6, points: 6, answered: true})
	}
	before := count(t, s, `SELECT count(*) FROM turns`)
	var stop atomic.Bool
	var wg sync.WaitGroup
	var writes atomic.Int32
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			sess := &Session{UserID: u.ID, Platform: "slack", Team: "T1", Channel: fmt.Sprint("W", writes.Load()), State: sampleState()}
			if err := s.CreateSession(ctx, sess, interview.Turn{Kind: interview.TurnStart}); err != nil {
				t.Error(err)
				return
			}
			writes.Add(1)
		}
	}()
	for writes.Load() < 3 {
		time.Sleep(time.Millisecond)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	err := s.Backup(ctx, path)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	var got int
	if err := db.QueryRow(`SELECT count(*) FROM turns`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got < before {
		t.Errorf("backup holds %d turns, %d were committed before it began", got, before)
	}
	// The copy is a database this binary opens.
	db.Close()
	b, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	b.Close()
	if err := s.Backup(ctx, path); interview.ErrorCode(err) != interview.Invalid {
		t.Errorf("backup over an existing file: %v", err)
	}
}
