package store

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
)

// BenchmarkTurnVsRawInsert measures what persisting one interview turn
// costs next to the floor SQLite sets: a one-row INSERT in its own
// transaction on the same connection, with the same DSN pragmas (WAL,
// synchronous NORMAL, immediate transactions). The gap is the price of
// the state JSON, the evaluation JSON and the extra statements; comparing
// the two sub-benchmarks' ns/op shows it on any machine, where an absolute
// number would not.
func BenchmarkTurnVsRawInsert(b *testing.B) {
	ctx := context.Background()

	b.Run("raw-insert", func(b *testing.B) {
		s := openTest(b, &clock{t0})
		if _, err := s.db.ExecContext(ctx, `CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			tx, err := s.db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO bench_raw (v) VALUES (?)`, "x"); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	})

	// The same insert carrying as many bytes as a turn row (answer,
	// evaluation and session state), so the comparison isolates what the
	// store adds (encoding, the (session, seq) index) from the row's size.
	b.Run("raw-insert-turn-sized", func(b *testing.B) {
		s := openTest(b, &clock{t0})
		if _, err := s.db.ExecContext(ctx, `CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		ev, _ := json.Marshal(sampleEvaluation("cache-invalidation"))
		state, err := encodeState(sampleState(), map[string]int{"cache-invalidation": 1})
		if err != nil {
			b.Fatal(err)
		}
		payload := sampleAnswer + string(ev) + string(state)
		for b.Loop() {
			tx, err := s.db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO bench_raw (v) VALUES (?)`, payload); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(payload)), "bytes/row")
	})

	b.Run("commit-turn", func(b *testing.B) {
		clk := &clock{t0}
		s := openTest(b, clk)
		u := ensureUser(b, s, "slack", "T1", "U1")
		// A realistic answer turn: ~600 bytes of answer, an evaluation with
		// six verdicts, and the state of a three-question session that holds
		// every evaluation made so far, as the engine's does.
		start := sampleState()
		start.Questions[0].Evaluations = nil
		sess := &Session{UserID: u.ID, Platform: u.Platform, Team: u.Team, Channel: "C1", State: start}
		if err := s.CreateSession(ctx, sess, interview.Turn{Kind: interview.TurnStart}); err != nil {
			b.Fatal(err)
		}
		step := interview.Step{Turn: answerTurn("cache-invalidation", 6.5)}
		for b.Loop() {
			clk.Advance(time.Second)
			q := &sess.State.Questions[0]
			q.Evaluations = append(q.Evaluations, *step.Turn.Evaluation)
			if err := s.CommitStep(ctx, sess, step, time.UTC, time.UTC); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(count(b, s, "SELECT CAST(AVG(length(answer) + length(evaluation) + length(state)) AS INTEGER) FROM turns WHERE kind = 'answer'")), "bytes/row")
		// A benchmark that silently stored nothing would look fast.
		if n := count(b, s, "SELECT COUNT(*) FROM turns WHERE session_id = ?", sess.ID); n != sess.Seq || n < 2 {
			b.Fatalf("%d turns stored, session counts %d", n, sess.Seq)
		}
	})
}
