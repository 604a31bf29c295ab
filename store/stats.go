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

// optedOut returns the team's users hidden from boards.
func (s *Store) optedOut(ctx context.Context, platform, team string) (map[int64]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM users WHERE platform = ? AND team = ? AND board_optout = 1`, platform, team)
	if err != nil {
		return nil, dbError("opted out", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, dbError("opted out", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// ActivityByDay counts the user's graded answers per local date since a
// date (YYYY-MM-DD).
func (s *Store) ActivityByDay(ctx context.Context, userID int64, since string) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT local_date, COUNT(*) FROM results WHERE user_id = ? AND answered = 1 AND local_date >= ? GROUP BY local_date`, userID, since)
	if err != nil {
		return nil, dbError("activity", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var d string
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			return nil, dbError("activity", err)
		}
		out[d] = n
	}
	return out, rows.Err()
}

// TopicScore is a user's average score on one topic.
type TopicScore struct {
	Topic   string
	Average float64
	Count   int
}

// ScoresByTopic returns the user's average score per topic, by topic name.
func (s *Store) ScoresByTopic(ctx context.Context, userID int64) ([]TopicScore, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT topic, AVG(score), COUNT(*) FROM results WHERE user_id = ? AND answered = 1 GROUP BY topic ORDER BY topic`, userID)
	if err != nil {
		return nil, dbError("scores by topic", err)
	}
	defer rows.Close()
	var out []TopicScore
	for rows.Next() {
		var t TopicScore
		if err := rows.Scan(&t.Topic, &t.Average, &t.Count); err != nil {
			return nil, dbError("scores by topic", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
