package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
)

// The tables every migration together must leave behind; a migration that
// drops or renames one breaks the code that reads it.
var wantTables = []string{"users", "sessions", "turns", "results", "llm_usage", "daily_schedules", "daily_skips", "daily_posts", "daily_answers", "board_totals"}

func TestOpenCreatesSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fresh.db")
	s, err := Open(ctx, path, Options{Now: (&clock{t0}).Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file not created: %v", err)
	}
	if got := count(t, s, "PRAGMA user_version"); got != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", got, SchemaVersion())
	}
	for _, table := range wantTables {
		if n := count(t, s, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table); n != 1 {
			t.Errorf("table %s missing after Open", table)
		}
	}
	// The lock probe is created and dropped inside a rolled-back
	// transaction; it must never be left in a user's database.
	if n := count(t, s, "SELECT COUNT(*) FROM sqlite_schema WHERE name = '_lock_probe'"); n != 0 {
		t.Error("_lock_probe table left behind")
	}
}

// SchemaVersion is what the binary writes; counting the files on disk
// independently of loadMigrations catches a migration the embed pattern
// misses or a numbering mistake that loadMigrations would reject.
func TestSchemaVersionCountsMigrationFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 || SchemaVersion() != len(files) {
		t.Fatalf("SchemaVersion() = %d, %d migration files", SchemaVersion(), len(files))
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatalf("loadMigrations: %v", err)
	}
	for i, m := range ms {
		if m.version != i+1 || m.sql == "" {
			t.Errorf("migration %d: version %d, %d bytes", i, m.version, len(m.sql))
		}
	}
}

func TestOpenIsIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "again.db")
	clk := &clock{t0}
	s, err := Open(ctx, path, Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	u := ensureUser(t, s, "slack", "T1", "U1")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopening must neither re-run a migration (it would fail on CREATE
	// TABLE) nor lose data.
	for i := range 3 {
		s, err = Open(ctx, path, Options{Now: clk.Now})
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		if got := count(t, s, "PRAGMA user_version"); got != SchemaVersion() {
			t.Errorf("reopen %d: user_version = %d, want %d", i, got, SchemaVersion())
		}
		again := ensureUser(t, s, "slack", "T1", "U1")
		if again.ID != u.ID {
			t.Errorf("reopen %d: user id %d, want %d", i, again.ID, u.ID)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM users"); n != 1 {
			t.Errorf("reopen %d: %d users, want 1", i, n)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// The DSN pragmas must be in force on the connection the store uses, not
// merely requested: a typo in the _pragma form is silently ignored by the
// driver.
func TestOpenPragmas(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "pragmas.db"), Options{BusyTimeout: 1234 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	if fk := count(t, s, "PRAGMA foreign_keys"); fk != 1 {
		t.Errorf("foreign_keys = %d, want 1", fk)
	}
	if bt := count(t, s, "PRAGMA busy_timeout"); bt != 1234 {
		t.Errorf("busy_timeout = %d, want 1234 (from Options.BusyTimeout)", bt)
	}
	if sync := count(t, s, "PRAGMA synchronous"); sync != 1 {
		t.Errorf("synchronous = %d, want 1 (NORMAL)", sync)
	}
}

// Zero options fall back to DefaultOptions rather than to SQLite's
// busy_timeout of 0, which would fail at once under the lightest contention.
func TestOpenDefaultBusyTimeout(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "default.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if bt := count(t, s, "PRAGMA busy_timeout"); int64(bt) != DefaultOptions.BusyTimeout.Milliseconds() {
		t.Errorf("busy_timeout = %d, want %d", bt, DefaultOptions.BusyTimeout.Milliseconds())
	}
}

// Foreign keys are declared in the schema; this shows they are enforced,
// which is what the foreign_keys pragma is for.
func TestForeignKeysEnforced(t *testing.T) {
	s := openTest(t, &clock{t0})
	sess := &Session{UserID: 999, Platform: "slack", Team: "T1", Channel: "C1", State: sampleState()}
	err := s.CreateSession(context.Background(), sess, interview.Turn{Kind: interview.TurnStart})
	if err == nil {
		t.Fatal("CreateSession for a user that does not exist succeeded")
	}
	if n := count(t, s, "SELECT COUNT(*) FROM sessions"); n != 0 {
		t.Errorf("%d sessions stored after a failed create", n)
	}
}

// Paths with characters that mean something in a URI (query, fragment,
// escape) must still name the file the user gave, not a truncated one.
func TestOpenPathWithURICharacters(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "my?db#1%20.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ensureUser(t, s, "slack", "T1", "U1")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("database not at %q: %v; directory holds %q", path, err, names)
	}
}

// An older database is brought forward: migration 3 rebuilds results and
// must carry the rows of schema 1 across, filling the new columns from the
// session each result belongs to.
func TestOpenMigratesOldDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	old, err := sql.Open("sqlite", dsn(path, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		ms[0].sql,
		"PRAGMA user_version = 1",
		`INSERT INTO users (id, platform, team, external_id, name, created_at) VALUES (1, 'slack', 'T1', 'U1', 'ada', '2024-01-01T00:00:00Z')`,
		`INSERT INTO sessions (id, user_id, platform, team, channel, status, created_at) VALUES (7, 1, 'slack', 'T1', 'C9', 'closed', '2024-01-01T00:00:00Z')`,
		`INSERT INTO results (user_id, session_id, question_id, topic, score, points, answered, grader, local_date, graded_at)
			VALUES (1, 7, 'q1', 'caching', 8, 12, 1, 'rubric/1', '2024-01-01', '2024-01-01T00:00:00Z')`,
	} {
		if _, err := old.ExecContext(ctx, q); err != nil {
			t.Fatalf("building schema 1: %v", err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open of a schema 1 database: %v", err)
	}
	defer s.Close()
	if got := count(t, s, "PRAGMA user_version"); got != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", got, SchemaVersion())
	}
	var platform, team, channel string
	var points int
	if err := s.db.QueryRowContext(ctx, `SELECT platform, team, channel, points FROM results WHERE question_id = 'q1'`).Scan(&platform, &team, &channel, &points); err != nil {
		t.Fatalf("result of schema 1 lost: %v", err)
	}
	if platform != "slack" || team != "T1" || channel != "C9" || points != 12 {
		t.Errorf("migrated result = %s/%s/%s %d points, want slack/T1/C9 12", platform, team, channel, points)
	}
	days, err := s.PractisedDays(ctx, 1)
	if err != nil || len(days) != 1 || days[0] != "2024-01-01" {
		t.Errorf("PractisedDays after migration = %v, %v", days, err)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()

	t.Run("empty path", func(t *testing.T) {
		_, err := Open(ctx, "  ", Options{})
		wantError(t, err, interview.Invalid, "no database path")
	})

	t.Run("directory does not exist", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "missing")
		path := filepath.Join(dir, "bot.db")
		_, err := Open(ctx, path, Options{})
		wantError(t, err, interview.Invalid, path, dir, "does not exist")
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Open created the missing directory: %v", err)
		}
	})

	t.Run("path is a directory", func(t *testing.T) {
		path := t.TempDir()
		_, err := Open(ctx, path, Options{})
		wantError(t, err, interview.Invalid, path, "is a directory", filepath.Join(path, "interviewbot.db"))
	})

	t.Run("parent is a file", func(t *testing.T) {
		parent := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(parent, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(parent, "bot.db")
		_, err := Open(ctx, path, Options{})
		wantError(t, err, interview.Invalid, path, "is not a directory")
	})

	t.Run("not a database", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.db")
		garbage := bytes.Repeat([]byte("these are someone's notes, not a database\n"), 200)
		if err := os.WriteFile(path, garbage, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Open(ctx, path, Options{})
		wantError(t, err, interview.Invalid, path, "not a SQLite database or is corrupt")
		// Whatever the error, the user's file must be left as it was.
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, garbage) {
			t.Errorf("Open changed the file it could not read (err %v)", err)
		}
	})

	t.Run("newer schema", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "future.db")
		newer := SchemaVersion() + 1
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", newer)); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		_, err = Open(ctx, path, Options{})
		wantError(t, err, interview.Invalid, path, "schema version "+strconv.Itoa(newer), "("+strconv.Itoa(SchemaVersion())+")", "upgrade interviewbot")
		// Refusing must not write: an older binary may not touch a newer
		// database, not even to run its own migrations into it.
		db, err = sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var v, tables int
		if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_schema").Scan(&tables); err != nil {
			t.Fatal(err)
		}
		if v != newer || tables != 0 {
			t.Errorf("after refusing: user_version %d (want %d), %d schema objects (want 0)", v, newer, tables)
		}
	})

	t.Run("locked by another process", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "locked.db")
		s, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		// Another process is stood in for by a second, independent pool on
		// the same file holding a write transaction open.
		other, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		conn, err := other.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(ctx, "ROLLBACK")
		if _, err := conn.ExecContext(ctx, `INSERT INTO users (platform, team, external_id, name, created_at) VALUES ('slack', 'T1', 'U1', 'x', 'now')`); err != nil {
			t.Fatal(err)
		}
		// A short busy timeout keeps the test quick; its length is not
		// asserted, only that Open gives up with the right message.
		_, err = Open(ctx, path, Options{BusyTimeout: 50 * time.Millisecond})
		wantError(t, err, interview.Unavailable, path, "locked by another process")
	})

	t.Run("unwritable directory", func(t *testing.T) {
		// Root bypasses permission bits, so the directory would be
		// writable and the test would prove nothing.
		if os.Geteuid() == 0 {
			t.Skip("running as root: permissions are not enforced")
		}
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		path := filepath.Join(dir, "bot.db")
		_, err := Open(ctx, path, Options{})
		wantError(t, err, interview.Unavailable, path, "writable")
	})
}
