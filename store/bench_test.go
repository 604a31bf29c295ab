package store

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
)

// BenchmarkTurnVsRawInsert measures what persisting one interview turn
// costs next to what SQLite itself charges for one row, on three databases
// opened with the store's DSN (WAL, synchronous NORMAL, immediate
// transactions):
//
//   - raw-1B: an INSERT of a one-byte row in its own transaction, the floor;
//   - raw-row: an INSERT of a row carrying the same bytes as the turn (the
//     answer and its evaluation) into a plain table, in its own transaction:
//     what the turn's own data costs;
//   - turn: Store.CommitStep of an answer turn.
//
// The three run interleaved in one loop, so whatever else the machine does
// during the run weighs on them alike, and the benchmark prints each one's
// mean and the turn's ratio to both. ns/op is the sum of the three.
func BenchmarkTurnVsRawInsert(b *testing.B) {
	ctx := context.Background()
	rawTable := func() *Store {
		s := openTest(b, &clock{t0})
		if _, err := s.db.ExecContext(ctx, `CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		return s
	}
	rawInsert := func(s *Store, v string) {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bench_raw (v) VALUES (?)`, v); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	floor, sized := rawTable(), rawTable()

	clk := &clock{t0}
	s := openTest(b, clk)
	u := ensureUser(b, s, "slack", "T1", "U1")
	// A realistic answer turn: ~600 bytes of answer and an evaluation with
	// six verdicts, in a three-question session.
	start := sampleState()
	start.Questions[0].Evaluations = nil
	sess := &Session{UserID: u.ID, Platform: u.Platform, Team: u.Team, Channel: "C1", State: start}
	if err := s.CreateSession(ctx, sess, interview.Turn{Kind: interview.TurnStart}); err != nil {
		b.Fatal(err)
	}
	step := interview.Step{Turn: answerTurn("cache-invalidation", 6.5)}
	ev, _ := json.Marshal(step.Turn.Evaluation)
	payload := step.Turn.Answer + string(ev)

	var floorTime, sizedTime, turnTime time.Duration
	for b.Loop() {
		t1 := time.Now()
		rawInsert(floor, "x")
		t2 := time.Now()
		rawInsert(sized, payload)
		t3 := time.Now()
		clk.Advance(time.Second)
		if err := s.CommitStep(ctx, sess, step, time.UTC, time.UTC); err != nil {
			b.Fatal(err)
		}
		turnTime += time.Since(t3)
		floorTime += t2.Sub(t1)
		sizedTime += t3.Sub(t2)
	}
	n := float64(b.N)
	b.ReportMetric(floorTime.Seconds()*1e6/n, "raw-1B-us")
	b.ReportMetric(sizedTime.Seconds()*1e6/n, "raw-row-us")
	b.ReportMetric(turnTime.Seconds()*1e6/n, "turn-us")
	b.ReportMetric(float64(turnTime)/float64(floorTime), "turn/raw-1B")
	b.ReportMetric(float64(turnTime)/float64(sizedTime), "turn/raw-row")
	b.ReportMetric(float64(count(b, s, "SELECT CAST(AVG(length(answer) + length(evaluation) + length(state)) AS INTEGER) FROM turns WHERE kind = 'answer'")), "turn-bytes")
	// A benchmark that silently stored nothing would look fast.
	if n := count(b, s, "SELECT COUNT(*) FROM turns WHERE session_id = ?", sess.ID); n != sess.Seq || n < 2 {
		b.Fatalf("%d turns stored, session counts %d", n, sess.Seq)
	}
}
