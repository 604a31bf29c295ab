package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// maxCachedStatements bounds the statement cache. The store's queries are a
// fixed set of constants, far fewer than this; the bound only keeps a future
// query built from data from growing the cache without end.
const maxCachedStatements = 256

// pool is the connection pool with a cache of prepared statements. The driver
// compiles every statement it is given, and compiling cost more CPU than
// running most of the store's queries: under load, a third of the bot's CPU
// went to parsing the same SQL again. Statements are prepared once, on first
// use, and reused for the life of the store.
type pool struct {
	*sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	// pending holds statements first met inside a transaction: the one
	// connection is busy then, so they are prepared after it ends.
	pending map[string]bool
}

func newPool(db *sql.DB) *pool {
	return &pool{DB: db, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// cacheable is true for the data statements; pragmas, schema changes and
// VACUUM run as they are.
func cacheable(query string) bool {
	q := strings.TrimSpace(query)
	if len(q) < 6 {
		return false
	}
	switch strings.ToUpper(q[:6]) {
	case "SELECT", "INSERT", "UPDATE", "DELETE":
		return true
	}
	return strings.EqualFold(q[:4], "WITH")
}

// cached returns the prepared statement for query, or nil when it is not
// cached (and need not be).
func (p *pool) cached(query string) *sql.Stmt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stmts[query]
}

// stmt returns query's prepared statement, preparing it on first use; nil
// means run the query unprepared (not cacheable, cache full, or a query the
// driver refuses, whose error the unprepared run reports).
func (p *pool) stmt(ctx context.Context, query string) *sql.Stmt {
	if st := p.cached(query); st != nil || !cacheable(query) {
		return st
	}
	st, _ := p.prepare(ctx, query)
	return st
}

// prepare compiles query and caches it; it returns nil and no error when
// the cache is full.
func (p *pool) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := p.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if prev, ok := p.stmts[query]; ok {
		st.Close()
		return prev, nil
	}
	if len(p.stmts) >= maxCachedStatements {
		st.Close()
		return nil, nil
	}
	p.stmts[query] = st
	return st, nil
}

// ExecContext runs a statement through the cache.
func (p *pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.DB.ExecContext(ctx, query, args...)
}

// QueryContext runs a query through the cache.
func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a one-row query through the cache.
func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, query, args...)
}

// BeginTx starts a transaction whose statements use the cache too.
func (p *pool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*txn, error) {
	t, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &txn{Tx: t, pool: p}, nil
}

// preparePending prepares the statements transactions met uncached.
func (p *pool) preparePending() {
	p.mu.Lock()
	queries := make([]string, 0, len(p.pending))
	for q := range p.pending {
		queries = append(queries, q)
	}
	clear(p.pending)
	p.mu.Unlock()
	for _, q := range queries {
		p.stmt(context.Background(), q)
	}
}

// Close closes the cached statements and the pool.
func (p *pool) Close() error {
	p.mu.Lock()
	for _, st := range p.stmts {
		st.Close()
	}
	clear(p.stmts)
	p.mu.Unlock()
	return p.DB.Close()
}

// txn is a transaction on the pool's one connection. A cached statement runs
// on it directly; one not cached yet runs unprepared and is prepared for next
// time once the transaction ends (preparing now would wait for the very
// connection the transaction holds).
type txn struct {
	*sql.Tx
	pool *pool
}

func (t *txn) prepared(ctx context.Context, query string) *sql.Stmt {
	st := t.pool.cached(query)
	if st == nil {
		if cacheable(query) {
			t.pool.mu.Lock()
			if len(t.pool.pending) < maxCachedStatements {
				t.pool.pending[query] = true
			}
			t.pool.mu.Unlock()
		}
		return nil
	}
	return t.Tx.StmtContext(ctx, st)
}

// ExecContext runs a statement in the transaction through the cache.
func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs a query in the transaction through the cache.
func (t *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a one-row query in the transaction through the cache.
func (t *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

// Commit commits, then prepares what the transaction met uncached.
func (t *txn) Commit() error {
	err := t.Tx.Commit()
	t.pool.preparePending()
	return err
}

// Rollback rolls back, then prepares what the transaction met uncached.
func (t *txn) Rollback() error {
	err := t.Tx.Rollback()
	if err == nil {
		t.pool.preparePending()
	}
	return err
}
