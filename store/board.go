package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Periods of a board.
const (
	PeriodAll   = "all"
	PeriodWeek  = "week"
	PeriodMonth = "month"
)

// PeriodKey names the period of a board that contains t, in t's zone:
// weeks start on Monday.
func PeriodKey(period string, t time.Time) string {
	switch period {
	case PeriodWeek:
		day := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, t.Location())
		return "w:" + day.AddDate(0, 0, -((int(day.Weekday())+6)%7)).Format(time.DateOnly)
	case PeriodMonth:
		return "m:" + t.Format("2006-01")
	}
	return PeriodAll
}

// scored is one graded answer's contribution to the boards.
type scored struct {
	userID                  int64
	platform, team, channel string
	points                  int
	score                   float64
}

// addToBoards adds (sign 1) or removes (sign -1) an answer from every board
// it counts on: the team and the channel, for all time, its week and its
// month in the board zone loc at time at.
func addToBoards(ctx context.Context, tx *txn, r scored, at time.Time, loc *time.Location, sign int) error {
	local := at.In(loc)
	for _, ch := range []string{"", r.channel} {
		for _, period := range []string{PeriodAll, PeriodWeek, PeriodMonth} {
			_, err := tx.ExecContext(ctx, `
				INSERT INTO board_totals (platform, team, channel, period, user_id, points, answers, score_sum)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (platform, team, channel, period, user_id) DO UPDATE SET
					points = points + excluded.points, answers = answers + excluded.answers, score_sum = score_sum + excluded.score_sum`,
				r.platform, r.team, ch, PeriodKey(period, local), r.userID, sign*r.points, sign, float64(sign)*r.score)
			if err != nil {
				return dbError("board totals", err)
			}
		}
	}
	return nil
}

// BoardQuery selects a leaderboard.
type BoardQuery struct {
	Platform, Team string
	Channel        string // "" for the whole team
	Period         string // PeriodAll, PeriodWeek or PeriodMonth
	// At is any instant in the period, in the board's zone.
	At time.Time
	// MinAnswers keeps users with fewer graded answers in the period off the
	// board, so one lucky answer does not top a weekly board.
	MinAnswers int
	Limit      int
}

// Board ranks users by points in a period. Users who opted out are left
// off; ties share a rank. It reads the running totals in index order, so
// its cost does not grow with the number of answers.
func (s *Store) Board(ctx context.Context, q BoardQuery) ([]LeaderRow, error) {
	if q.Limit <= 0 {
		q.Limit = 10
	}
	hidden, err := s.optedOut(ctx, q.Platform, q.Team)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT b.user_id, u.name, b.points, b.answers, b.score_sum / b.answers
		FROM board_totals b JOIN users u ON u.id = b.user_id
		WHERE b.platform = ? AND b.team = ? AND b.channel = ? AND b.period = ? AND b.answers >= ?
		ORDER BY b.points DESC, b.score_sum DESC, u.name LIMIT ?`,
		q.Platform, q.Team, q.Channel, PeriodKey(q.Period, q.At), max(q.MinAnswers, 1), q.Limit+len(hidden))
	if err != nil {
		return nil, dbError("leaderboard", err)
	}
	defer rows.Close()
	var out []LeaderRow
	for rows.Next() {
		var r LeaderRow
		if err := rows.Scan(&r.UserID, &r.Name, &r.Points, &r.Answered, &r.Average); err != nil {
			return nil, dbError("leaderboard", err)
		}
		if hidden[r.UserID] || len(out) == q.Limit {
			continue
		}
		r.Rank = len(out) + 1
		if n := len(out); n > 0 && out[n-1].Points == r.Points {
			r.Rank = out[n-1].Rank
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Leaderboard is the team's all-time board.
func (s *Store) Leaderboard(ctx context.Context, platform, team string, limit int) ([]LeaderRow, error) {
	return s.Board(ctx, BoardQuery{Platform: platform, Team: team, Period: PeriodAll, Limit: limit})
}

// previousResult reads a daily answer's current result, so a resubmission
// can take the old one off the boards.
func previousResult(ctx context.Context, tx *txn, postID, userID int64) (pts int, score float64, at time.Time, ok bool, err error) {
	var graded string
	err = tx.QueryRowContext(ctx, `SELECT points, score, graded_at FROM results WHERE post_id = ? AND user_id = ?`, postID, userID).Scan(&pts, &score, &graded)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, time.Time{}, false, nil
	}
	return pts, score, parseTime(graded), err == nil, err
}
