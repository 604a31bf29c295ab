package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The board benchmarks run on a generated database of 1,000,000 graded
// answers by 5,000 users of one team over two years, built once per process.
const (
	benchUsers   = 5000
	benchAnswers = 1_000_000
)

var (
	benchOnce  sync.Once
	benchPath  string
	benchErr   error
	benchStart = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC) // a Monday
	benchDays  = 728
)

func benchDB(b *testing.B) *Store {
	b.Helper()
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "interviewbot-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchPath = filepath.Join(dir, "board.db")
		benchErr = generate(benchPath)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	st, err := Open(context.Background(), benchPath, Options{Now: func() time.Time { return benchStart.AddDate(0, 0, benchDays) }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func generate(path string) error {
	ctx := context.Background()
	st, err := Open(ctx, path, Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for u := 1; u <= benchUsers; u++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, platform, team, external_id, name, created_at) VALUES (?, 'slack', 'T1', ?, ?, '2025-01-01T00:00:00Z')`,
			u, fmt.Sprintf("U%05d", u), fmt.Sprintf("user%05d", u)); err != nil {
			return err
		}
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO results (user_id, platform, team, channel, question_id, topic, level, score, points, answered, grader, local_date, graded_at)
		VALUES (?, 'slack', 'T1', 'C1', ?, 'caching', 'mid', ?, ?, 1, 'rubric/1', ?, ?)`)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range benchAnswers {
		at := benchStart.Add(time.Duration(rng.Int64N(int64(benchDays) * int64(24*time.Hour))))
		score := float64(rng.IntN(101)) / 10
		if _, err := ins.ExecContext(ctx, 1+rng.IntN(benchUsers), fmt.Sprintf("q-%d", i%300), score, int(score*1.5+0.5),
			at.Format(time.DateOnly), at.Format(timeFormat)); err != nil {
			return err
		}
	}
	// The running totals the store keeps with each result, built in bulk
	// (boards in UTC).
	for _, ch := range []string{"''", "channel"} {
		for _, period := range []string{"'all'", "'w:' || date(graded_at, '-6 days', 'weekday 1')", "'m:' || strftime('%Y-%m', graded_at)"} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO board_totals (platform, team, channel, period, user_id, points, answers, score_sum)
				SELECT platform, team, `+ch+`, `+period+`, user_id, SUM(points), COUNT(*), SUM(score) FROM results GROUP BY 1, 2, 3, 4, 5`); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// BenchmarkWeeklyTeamBoard: the weekly board of a 5,000-person team over a
// million answers. Target: at most 5 ms.
func BenchmarkWeeklyTeamBoard(b *testing.B) {
	st := benchDB(b)
	ctx := context.Background()
	q := BoardQuery{Platform: "slack", Team: "T1", Period: PeriodWeek, At: benchStart.AddDate(0, 0, benchDays-3), MinAnswers: 3, Limit: 10}
	var rows []LeaderRow
	for b.Loop() {
		var err error
		if rows, err = st.Board(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	if len(rows) == 0 {
		b.Fatal("empty board")
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/board")
}

// BenchmarkUserStreakDays: loading one user's practised days, the store's
// share of /streak (the calendar walk is measured in package bot). Target
// for the whole streak: at most 1 ms.
func BenchmarkUserStreakDays(b *testing.B) {
	st := benchDB(b)
	ctx := context.Background()
	n := 0
	for b.Loop() {
		days, err := st.PractisedDays(ctx, int64(1+n%benchUsers))
		if err != nil || len(days) == 0 {
			b.Fatal(err, len(days))
		}
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/user")
}
