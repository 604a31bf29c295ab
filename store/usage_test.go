package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// Budgets are per UTC day whatever the caller's zone, so a call late in the
// evening in Los Angeles counts on the next UTC day.
func TestUsage(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, &clock{t0})
	la := mustLoad(t, "America/Los_Angeles")
	for _, c := range []struct {
		team, user      string
		p, comp, cached int
		at              time.Time
	}{
		{"slack:T1", "U1", 100, 50, 10, time.Date(2025, 3, 11, 23, 0, 0, 0, time.UTC)},
		{"slack:T1", "U2", 200, 80, 0, time.Date(2025, 3, 11, 18, 0, 0, 0, la)}, // 01:00 UTC on the 12th
		{"slack:T1", "U1", 300, 20, 5, time.Date(2025, 3, 12, 9, 0, 0, 0, time.UTC)},
		{"slack:T2", "U9", 1000, 1000, 0, time.Date(2025, 3, 12, 9, 0, 0, 0, time.UTC)},
	} {
		if err := s.RecordUsage(ctx, c.team, c.user, "gpt-4o-mini", c.p, c.comp, c.cached, c.at); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		team, day string
		want      int
	}{
		{"slack:T1", "2025-03-11", 150},
		{"slack:T1", "2025-03-12", 600}, // cached tokens are part of the prompt, not added again
		{"slack:T2", "2025-03-12", 2000},
		{"slack:T2", "2025-03-11", 0},
	} {
		got, err := s.TokensOn(ctx, c.team, c.day)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("TokensOn(%s, %s) = %d, want %d", c.team, c.day, got, c.want)
		}
	}
	rows, err := s.Usage(ctx, "2025-03-12")
	if err != nil {
		t.Fatal(err)
	}
	want := []UsageRow{
		{Day: "2025-03-12", Team: "slack:T1", Calls: 2, Prompt: 500, Completion: 100, Cached: 5},
		{Day: "2025-03-12", Team: "slack:T2", Calls: 1, Prompt: 1000, Completion: 1000},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("Usage since the 12th = %+v, want %+v", rows, want)
	}
	rows, err = s.Usage(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[2].Day != "2025-03-11" {
		t.Errorf("Usage of all days = %+v, want newest day first, 3 rows", rows)
	}
}
