// Package store owns persistence: a SQLite database (modernc.org/sqlite, no
// cgo) with embedded migrations, holding users, interview sessions, their
// turns, and the per-question results that points, streaks and leaderboards
// are computed from. It is the only package that imports the driver.
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/interviewbot/interviewbot/internal/telemetry"
	"github.com/interviewbot/interviewbot/interview"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Options tune how the database is opened.
type Options struct {
	// BusyTimeout is how long a statement waits for another process's lock.
	BusyTimeout time.Duration
	Now         func() time.Time
}

// DefaultOptions are used for zero fields.
var DefaultOptions = Options{BusyTimeout: 5 * time.Second, Now: time.Now}

// Store is an open database.
type Store struct {
	db   *pool
	path string
	now  func() time.Time
}

// Open opens (creating if needed) the database at path and brings its schema
// up to date. Every failure is an *interview.Error whose message names the
// path and what to do.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = DefaultOptions.BusyTimeout
	}
	if opts.Now == nil {
		opts.Now = DefaultOptions.Now
	}
	if err := checkPath(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path, opts.BusyTimeout))
	if err != nil {
		return nil, openError(path, err)
	}
	// One connection: SQLite allows one writer, and a single connection makes
	// that explicit instead of surfacing as "database is locked" under load.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: newPool(db), path: path, now: opts.Now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// The hottest write is prepared before the first transaction needs it.
	if _, err := s.db.prepare(ctx, insertTurnSQL); err != nil {
		db.Close()
		return nil, dbError("prepare", err)
	}
	return s, nil
}

// dsn builds the driver's data source name. Pragmas go in the _pragma=
// form so they apply to every connection the pool opens.
func dsn(path string, busy time.Duration) string {
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	q := []string{
		"_pragma=busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")",
		"_pragma=journal_mode(WAL)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
		"_txlock=immediate",
	}
	return "file:" + escaped + "?" + strings.Join(q, "&")
}

func checkPath(path string) error {
	if strings.TrimSpace(path) == "" {
		return interview.Errorf(interview.Invalid, "no database path given; set --db or INTERVIEWBOT_DB")
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return interview.Errorf(interview.Invalid, "database path %s is a directory; give a file path such as %s", path, filepath.Join(path, "interviewbot.db"))
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return interview.Errorf(interview.Invalid, "cannot create database %s: directory %s does not exist", path, dir)
	case err != nil:
		return interview.Wrap(err, interview.Unavailable, fmt.Sprintf("cannot open database %s: %s", path, rootCause(err)))
	case !fi.IsDir():
		return interview.Errorf(interview.Invalid, "cannot create database %s: %s is not a directory", path, dir)
	}
	return nil
}

func rootCause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// openError turns a driver error at open time into a message a person can act on.
func openError(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return interview.Wrap(err, interview.Invalid, fmt.Sprintf("database %s is not a SQLite database or is corrupt; move it aside (or restore a backup) and start again", path))
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return interview.Wrap(err, interview.Unavailable, fmt.Sprintf("database %s is locked by another process; is another interviewbot using it?", path))
		case sqlite3.SQLITE_CANTOPEN:
			return interview.Wrap(err, interview.Unavailable, fmt.Sprintf("cannot open database %s: check that the file and its directory exist and are writable", path))
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
			return interview.Wrap(err, interview.Unavailable, fmt.Sprintf("database %s is not writable: check the file's and directory's permissions", path))
		case sqlite3.SQLITE_FULL:
			return interview.Wrap(err, interview.Unavailable, fmt.Sprintf("cannot write database %s: the disk is full", path))
		}
	}
	if errors.Is(err, fs.ErrPermission) {
		return interview.Wrap(err, interview.Unavailable, fmt.Sprintf("database %s is not writable: permission denied", path))
	}
	return interview.Wrap(err, interview.Unavailable, fmt.Sprintf("cannot open database %s", path))
}

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationsFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		n, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		body, err := fs.ReadFile(migrationsFS, "migrations/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations must be numbered 1..n without gaps; %s is out of place", m.name)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema this binary writes.
func SchemaVersion() int {
	ms, _ := loadMigrations()
	return len(ms)
}

// migrate applies the migrations the database lacks, each in its own
// transaction with the version bump, and refuses a database newer than the
// binary. It always takes the write lock, so a database another process holds
// is reported here, before anything starts.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return interview.Wrap(err, interview.Internal, "the binary's database migrations are broken")
	}
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return openError(s.path, err)
	}
	if version > len(ms) {
		return interview.Errorf(interview.Invalid, "database %s has schema version %d, newer than this interviewbot understands (%d); upgrade interviewbot or use another --db", s.path, version, len(ms))
	}
	// Probe the write lock even when nothing is to migrate.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return openError(s.path, err)
	}
	if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS _lock_probe (x INTEGER); DROP TABLE _lock_probe"); err != nil {
		tx.Rollback()
		return openError(s.path, err)
	}
	if err := tx.Rollback(); err != nil {
		return openError(s.path, err)
	}
	for _, m := range ms[version:] {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return openError(s.path, err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return openError(s.path, fmt.Errorf("migration %s: %w", m.name, err))
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return openError(s.path, err)
		}
		if err := tx.Commit(); err != nil {
			return openError(s.path, err)
		}
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	return s.db.Close()
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// timeFormat is fixed-width so that stored times, compared as text in SQL,
// order the same way as the instants they name (RFC3339Nano drops trailing
// zeros, which breaks that within a second).
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// parseTime reads both the fixed-width form and older rows written with
// trimmed fractions.
func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// dbError wraps an unexpected database error for the log, with a message
// users may see.
func dbError(op string, err error) error {
	telemetry.DBError()
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return interview.Wrap(fmt.Errorf("%s: %w", op, err), interview.Unavailable, "The database is busy; please try again in a moment.")
		case sqlite3.SQLITE_FULL:
			return interview.Wrap(fmt.Errorf("%s: %w", op, err), interview.Unavailable, "The database disk is full; nothing new can be saved.")
		case sqlite3.SQLITE_CONSTRAINT:
			// Only a duplicate key means "already there"; a failed CHECK or
			// NOT NULL is a bug, reported as one below.
			switch se.Code() {
			case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
				return interview.Wrap(fmt.Errorf("%s: %w", op, err), interview.Conflict, "That was already recorded.")
			}
		}
	}
	return interview.Wrap(fmt.Errorf("%s: %w", op, err), interview.Internal, "Could not save to the database; your last message was not recorded. Please try again.")
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
