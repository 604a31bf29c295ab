package store

import (
	"context"
	"time"
)

// RecordUsage stores the tokens of one LLM call.
func (s *Store) RecordUsage(ctx context.Context, team, user, model string, prompt, completion, cached int, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO llm_usage (team, user, model, prompt_tokens, completion_tokens, cached_tokens, day, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		team, user, model, prompt, completion, cached, at.UTC().Format(time.DateOnly), formatTime(at))
	if err != nil {
		return dbError("record usage", err)
	}
	return nil
}

// TokensOn returns the prompt and completion tokens a team spent on a UTC day.
func (s *Store) TokensOn(ctx context.Context, team, day string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) FROM llm_usage WHERE team = ? AND day = ?`, team, day).Scan(&n)
	if err != nil {
		return 0, dbError("tokens on", err)
	}
	return n, nil
}

// UsageRow is one team's tokens on one day.
type UsageRow struct {
	Day        string
	Team       string
	Calls      int
	Prompt     int
	Completion int
	Cached     int
}

// Usage reports tokens per team and day since a UTC date (YYYY-MM-DD; ""
// for all), newest day first.
func (s *Store) Usage(ctx context.Context, since string) ([]UsageRow, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT day, team, COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens)
		FROM llm_usage WHERE day >= ? GROUP BY day, team ORDER BY day DESC, team`, since)
	if err != nil {
		return nil, dbError("usage", err)
	}
	defer rows.Close()
	var out []UsageRow
	for rows.Next() {
		var r UsageRow
		if err := rows.Scan(&r.Day, &r.Team, &r.Calls, &r.Prompt, &r.Completion, &r.Cached); err != nil {
			return nil, dbError("usage", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
