package store

import (
	"context"
	"strings"
	"testing"
)

func (p *pool) cachedCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.stmts)
}

// Statements are compiled once and reused; those first met inside a
// transaction are compiled after it ends; pragmas and broken SQL run as they
// are, with the driver's error.
func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	base := s.db.cachedCount()
	const q = `SELECT COUNT(*) FROM users WHERE platform = ?`
	for range 3 {
		var n int
		if err := s.db.QueryRowContext(ctx, q, "slack").Scan(&n); err != nil || n != 0 {
			t.Fatalf("count: %d %v", n, err)
		}
	}
	if got := s.db.cachedCount(); got != base+1 || s.db.cached(q) == nil {
		t.Errorf("after one query run three times: %d statements cached, want %d", got, base+1)
	}

	const ins = `INSERT INTO users (platform, team, external_id, name, created_at) VALUES (?, ?, ?, ?, ?)`
	for i, ext := range []string{"U1", "U2"} {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, ins, "slack", "T1", ext, ext, formatTime(t0)); err != nil {
			t.Fatal(err)
		}
		if i == 0 && s.db.cached(ins) != nil {
			t.Error("a statement was prepared while its transaction held the connection")
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if s.db.cached(ins) == nil {
			t.Errorf("round %d: the transaction's statement was not prepared after it ended", i)
		}
	}
	var n int
	if err := s.db.QueryRowContext(ctx, q, "slack").Scan(&n); err != nil || n != 2 {
		t.Errorf("rows through cached statements: %d %v", n, err)
	}

	if _, err := s.db.ExecContext(ctx, `PRAGMA user_version`); err != nil {
		t.Fatal(err)
	}
	if s.db.cached(`PRAGMA user_version`) != nil {
		t.Error("a pragma was cached")
	}
	if _, err := s.db.QueryContext(ctx, `SELECT nope FROM users`); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("broken SQL: %v, want the driver's error", err)
	}
	if s.db.cached(`SELECT nope FROM users`) != nil {
		t.Error("broken SQL was cached")
	}
}
