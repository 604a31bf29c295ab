package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/interviewbot/interviewbot/interview"
)

// userTables are the queries that find every row about one user, by table.
// Every table with user data is listed here; the privacy test checks that
// a deleted user leaves no row behind in any of them.
var userTables = []struct {
	table string
	where string // selects the user's rows; ? is the user id
}{
	{"users", "id = ?"},
	{"sessions", "user_id = ?"},
	{"turns", "session_id IN (SELECT id FROM sessions WHERE user_id = ?)"},
	{"results", "user_id = ?"},
	{"daily_answers", "user_id = ?"},
	{"board_totals", "user_id = ?"},
	// LLM usage is keyed by the platform's ids, not the user row.
	{"llm_usage", "(team, user) IN (SELECT platform || ':' || team, external_id FROM users WHERE id = ?)"},
}

// jsonColumns hold JSON text; the export embeds them as JSON rather than as
// strings.
var jsonColumns = map[string]bool{"state": true, "evaluation": true}

// ExportUser returns every row stored about a user, table by table, as
// JSON-ready maps.
func (s *Store) ExportUser(ctx context.Context, userID int64) (map[string][]map[string]any, error) {
	out := map[string][]map[string]any{}
	for _, t := range userTables {
		rows, err := s.db.QueryContext(ctx, fmt.Sprintf("SELECT * FROM %s WHERE %s ORDER BY rowid", t.table, t.where), userID)
		if err != nil {
			return nil, dbError("export "+t.table, err)
		}
		list, err := scanMaps(rows)
		if err != nil {
			return nil, dbError("export "+t.table, err)
		}
		out[t.table] = list
	}
	if len(out["users"]) == 0 {
		return nil, ErrNotFound
	}
	return out, nil
}

func scanMaps(rows *sql.Rows) ([]map[string]any, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			v := vals[i]
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			if str, ok := v.(string); ok && jsonColumns[c] && json.Valid([]byte(str)) {
				v = json.RawMessage(str)
			}
			m[c] = v
		}
		list = append(list, m)
	}
	return list, rows.Err()
}

// DeleteUser removes every row about a user in one transaction. Boards stay
// consistent because their totals are per user and go with the user.
func (s *Store) DeleteUser(ctx context.Context, userID int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin", err)
	}
	defer tx.Rollback()
	// Children first, so the delete does not depend on cascades being on;
	// users last, since the other queries find rows through it.
	for i := len(userTables) - 1; i >= 0; i-- {
		t := userTables[i]
		if t.table == "users" {
			continue
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE %s", t.table, t.where), userID); err != nil {
			return dbError("delete "+t.table, err)
		}
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, userID)
	if err != nil {
		return dbError("delete user", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	if err := tx.Commit(); err != nil {
		return dbError("commit", err)
	}
	return nil
}

// PurgeAnswerText blanks the text of answers given before cutoff, with the
// evaluations that quote them, keeping scores, results and boards. Open
// interviews keep their state so they can resume. It returns how many rows
// (turns and daily answers) it changed.
func (s *Store) PurgeAnswerText(ctx context.Context, cutoff time.Time) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, dbError("begin", err)
	}
	defer tx.Rollback()
	at := formatTime(cutoff)
	res, err := tx.ExecContext(ctx, `
		UPDATE turns SET answer = '', evaluation = NULL, state = CASE WHEN state = '' THEN '' ELSE '{}' END
		WHERE created_at < ?
		  AND (answer != '' OR evaluation IS NOT NULL OR state NOT IN ('', '{}'))
		  AND session_id IN (SELECT id FROM sessions WHERE status = 'closed')`, at)
	if err != nil {
		return 0, dbError("purge turns", err)
	}
	turns, _ := res.RowsAffected()
	res, err = tx.ExecContext(ctx, `
		UPDATE daily_answers SET answer = '', evaluation = '{}'
		WHERE answered_at < ? AND (answer != '' OR evaluation != '{}')`, at)
	if err != nil {
		return 0, dbError("purge daily answers", err)
	}
	daily, _ := res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, dbError("commit", err)
	}
	return turns + daily, nil
}

// Backup writes a consistent copy of the database to path while it is in
// use (VACUUM INTO reads one snapshot). The path must not exist yet.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return interview.Errorf(interview.Invalid, "%s already exists; a backup never overwrites a file", path)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return interview.Wrap(fmt.Errorf("vacuum into %s: %w", path, err), interview.Internal,
			fmt.Sprintf("Could not write the backup to %s: check the directory exists and is writable.", path))
	}
	return nil
}

// FindUser returns the user for an identity without creating one, so
// asking what is stored about you stores nothing.
func (s *Store) FindUser(ctx context.Context, id Identity) (User, error) {
	u := User{Identity: id}
	err := s.db.QueryRowContext(ctx, `SELECT id, name, tz FROM users WHERE platform = ? AND team = ? AND external_id = ?`,
		id.Platform, id.Team, id.ExternalID).Scan(&u.ID, &u.Name, &u.TZ)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, dbError("find user", err)
	}
	return u, nil
}
