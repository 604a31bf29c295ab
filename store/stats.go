package store

import (
	"context"
	"time"

	"github.com/interviewbot/interviewbot/questions"
)

// Attempts returns every graded answer of the user, oldest first: the
// history question selection and review scheduling are computed from.
func (s *Store) Attempts(ctx context.Context, userID int64) ([]questions.Attempt, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT question_id, score, graded_at FROM results WHERE user_id = ? AND answered = 1 ORDER BY graded_at, id`, userID)
	if err != nil {
		return nil, dbError("attempts", err)
	}
	defer rows.Close()
	var out []questions.Attempt
	for rows.Next() {
		var a questions.Attempt
		var at string
		if err := rows.Scan(&a.QuestionID, &a.Score, &at); err != nil {
			return nil, dbError("attempts", err)
		}
		a.At = parseTime(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AnsweredQuestions returns the ids of questions the user has answered, so
// selection can avoid repeats.
func (s *Store) AnsweredQuestions(ctx context.Context, userID int64) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT question_id FROM results WHERE user_id = ? AND answered = 1`, userID)
	if err != nil {
		return nil, dbError("answered questions", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, dbError("answered questions", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// Totals returns a user's points and number of graded answers.
func (s *Store) Totals(ctx context.Context, userID int64) (Streak, error) {
	var st Streak
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(points), 0), COUNT(*) FROM results WHERE user_id = ? AND answered = 1`, userID).Scan(&st.Points, &st.Answered); err != nil {
		return st, dbError("totals", err)
	}
	return st, nil
}

// Streak is a run of consecutive local days with graded practice.
type Streak struct {
	Current  int
	Best     int
	LastDay  string // YYYY-MM-DD, "" when never
	Today    bool   // practised today
	Points   int
	Answered int
}

// Streak computes the user's streak as of today (a local date). A streak is
// still current when the last practice was yesterday: today is not over.
func (s *Store) Streak(ctx context.Context, userID int64, today string) (Streak, error) {
	var st Streak
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(points), 0), COUNT(*) FROM results WHERE user_id = ? AND answered = 1`, userID).Scan(&st.Points, &st.Answered); err != nil {
		return st, dbError("streak", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT local_date FROM results WHERE user_id = ? AND answered = 1 ORDER BY local_date`, userID)
	if err != nil {
		return st, dbError("streak", err)
	}
	defer rows.Close()
	var days []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return st, dbError("streak", err)
		}
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		return st, dbError("streak", err)
	}
	st.Current, st.Best = StreakFromDays(days, today)
	if n := len(days); n > 0 {
		st.LastDay = days[n-1]
		st.Today = days[n-1] == today
	}
	return st, nil
}

// StreakFromDays computes the current and best run of consecutive dates in
// sorted, distinct YYYY-MM-DD days, as of today.
func StreakFromDays(days []string, today string) (current, best int) {
	run := 0
	var prev time.Time
	for _, d := range days {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			continue
		}
		if !prev.IsZero() && t.Equal(prev.AddDate(0, 0, 1)) {
			run++
		} else {
			run = 1
		}
		best = max(best, run)
		prev = t
	}
	now, err := time.Parse(time.DateOnly, today)
	if err != nil || prev.IsZero() {
		return 0, best
	}
	if prev.Equal(now) || prev.Equal(now.AddDate(0, 0, -1)) {
		current = run
	}
	return current, best
}

// LeaderRow is one line of a leaderboard.
type LeaderRow struct {
	Rank     int
	UserID   int64
	Name     string
	Points   int
	Answered int
	Average  float64
}

// BoardQuery selects a leaderboard.
type BoardQuery struct {
	Platform, Team string
	Channel        string // "" for the whole team
	Since, Until   time.Time
	// MinAnswers keeps users with fewer graded answers in the period off the
	// board, so one lucky answer does not top a weekly board.
	MinAnswers int
	Limit      int
}

// Board ranks users by points earned in [Since, Until) (zero Until means
// now). Users who opted out are left off. Ties share a rank.
func (s *Store) Board(ctx context.Context, q BoardQuery) ([]LeaderRow, error) {
	until := q.Until
	if until.IsZero() {
		until = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if q.Limit <= 0 {
		q.Limit = 10
	}
	channelClause, args := "", []any{q.Platform, q.Team, formatTime(q.Since), formatTime(until)}
	if q.Channel != "" {
		channelClause = " AND r.channel = ?"
		args = append(args, q.Channel)
	}
	args = append(args, max(q.MinAnswers, 1), q.Limit)
	rows, err := s.db.QueryContext(ctx, `
		SELECT u.id, u.name, SUM(r.points), COUNT(*), AVG(r.score)
		FROM results r JOIN users u ON u.id = r.user_id
		WHERE r.platform = ? AND r.team = ? AND r.answered = 1 AND r.graded_at >= ? AND r.graded_at < ?`+channelClause+`
			AND u.board_optout = 0
		GROUP BY u.id HAVING COUNT(*) >= ?
		ORDER BY SUM(r.points) DESC, AVG(r.score) DESC, u.name LIMIT ?`, args...)
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
		r.Rank = len(out) + 1
		if n := len(out); n > 0 && out[n-1].Points == r.Points {
			r.Rank = out[n-1].Rank
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Leaderboard ranks a team's users by points earned since a time (zero
// means all time).
func (s *Store) Leaderboard(ctx context.Context, platform, team string, since time.Time, limit int) ([]LeaderRow, error) {
	return s.Board(ctx, BoardQuery{Platform: platform, Team: team, Since: since, Limit: limit})
}
