package store

import (
	"context"
	"testing"
	"time"
)

func TestClaimEventOncePerTTL(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/ib.db"
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	ttl := time.Hour
	claim := func(s *Store, platform, id string, at time.Time) bool {
		t.Helper()
		ok, err := s.ClaimEvent(ctx, platform, id, at, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim(s, "slack", "Ev1", t0) {
		t.Fatal("first claim refused")
	}
	if claim(s, "slack", "Ev1", t0.Add(time.Minute)) {
		t.Fatal("redelivery within the TTL claimed again")
	}
	if !claim(s, "discord", "Ev1", t0.Add(time.Minute)) {
		t.Fatal("same id on another platform refused")
	}
	// A restart keeps the claims.
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if claim(s, "slack", "Ev1", t0.Add(2*time.Minute)) {
		t.Fatal("redelivery after a restart claimed again")
	}
	// Past the TTL the id is new again, and old rows are purged.
	if !claim(s, "slack", "Ev1", t0.Add(2*time.Hour)) {
		t.Fatal("claim after the TTL refused")
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM seen_events WHERE seen_at < ?`, formatTime(t0.Add(time.Hour))).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d expired claims left after a purge", n)
	}
}

func TestTimeFormatOrdersAsText(t *testing.T) {
	a := time.Date(2026, 1, 1, 0, 0, 0, 500_000_000, time.UTC)
	b := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Nanosecond * 123)
	if !(formatTime(b) < formatTime(a)) {
		t.Fatalf("%s should sort before %s", formatTime(b), formatTime(a))
	}
	if !parseTime(formatTime(a)).Equal(a) || !parseTime("2026-01-01T00:00:00.5Z").Equal(a) {
		t.Fatal("parseTime does not read both forms")
	}
}
