package store

import (
	"context"
	"time"
)

// ClaimEvent records a platform event id as handled. It reports true the
// first time an id is claimed and false when the id was already claimed
// within ttl, so a redelivered event is processed once. Claims older than
// ttl are purged on the way.
func (s *Store) ClaimEvent(ctx context.Context, platform, eventID string, now time.Time, ttl time.Duration) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, dbError("begin", err)
	}
	defer tx.Rollback()
	cutoff := formatTime(now.Add(-ttl))
	// Purge a bounded batch each time so one claim never pays for a
	// large backlog.
	if _, err := tx.ExecContext(ctx, `
		DELETE FROM seen_events WHERE (platform, event_id) IN
			(SELECT platform, event_id FROM seen_events WHERE seen_at < ? LIMIT 100)`, cutoff); err != nil {
		return false, dbError("purge events", err)
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO seen_events (platform, event_id, seen_at) VALUES (?, ?, ?)
		ON CONFLICT (platform, event_id) DO UPDATE SET seen_at = excluded.seen_at
			WHERE seen_events.seen_at < ?`,
		platform, eventID, formatTime(now), cutoff)
	if err != nil {
		return false, dbError("claim event", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, dbError("claim event", err)
	}
	if err := tx.Commit(); err != nil {
		return false, dbError("commit", err)
	}
	return n == 1, nil
}

// CheckWritable takes the write lock and rolls back, so a readiness probe
// learns whether a write would succeed now (not locked, not read-only).
func (s *Store) CheckWritable(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO seen_events (platform, event_id, seen_at) VALUES ('health', 'probe', '')
		ON CONFLICT (platform, event_id) DO UPDATE SET seen_at = excluded.seen_at`)
	return err
}

// CountOpenSessions is how many interviews are open, for the metrics.
func (s *Store) CountOpenSessions(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE status = 'open'`).Scan(&n); err != nil {
		return 0, err
	}
	return n, nil
}
