package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/interviewbot/interviewbot/interview"
)

// Channel names a chat channel on a platform.
type Channel struct {
	Platform string
	Team     string
	ID       string
}

// Schedule is a channel's daily question settings.
type Schedule struct {
	Channel
	At      string // HH:MM local time
	TZ      string // IANA zone
	Days    []time.Weekday
	Topics  []string
	Level   string
	Reveal  time.Duration
	Enabled bool
}

var weekdayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func formatDays(ds []time.Weekday) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = weekdayNames[d]
	}
	return strings.Join(names, ",")
}

func parseDays(s string) []time.Weekday {
	var out []time.Weekday
	for _, n := range strings.Split(s, ",") {
		for i, w := range weekdayNames {
			if n == w {
				out = append(out, time.Weekday(i))
			}
		}
	}
	return out
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// SaveSchedule creates or replaces a channel's schedule.
func (s *Store) SaveSchedule(ctx context.Context, sc Schedule) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO daily_schedules (platform, team, channel, at, tz, days, topics, level, reveal_seconds, enabled, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, team, channel) DO UPDATE SET at = excluded.at, tz = excluded.tz, days = excluded.days,
			topics = excluded.topics, level = excluded.level, reveal_seconds = excluded.reveal_seconds,
			enabled = excluded.enabled, updated_at = excluded.updated_at`,
		sc.Platform, sc.Team, sc.ID, sc.At, sc.TZ, formatDays(sc.Days), strings.Join(sc.Topics, ","), sc.Level,
		int64(sc.Reveal/time.Second), sc.Enabled, formatTime(s.now()))
	if err != nil {
		return dbError("save schedule", err)
	}
	return nil
}

const scheduleColumns = `platform, team, channel, at, tz, days, topics, level, reveal_seconds, enabled`

func scanSchedule(scan func(...any) error) (Schedule, error) {
	var sc Schedule
	var days, topics string
	var reveal int64
	if err := scan(&sc.Platform, &sc.Team, &sc.ID, &sc.At, &sc.TZ, &days, &topics, &sc.Level, &reveal, &sc.Enabled); err != nil {
		return sc, err
	}
	sc.Days, sc.Topics, sc.Reveal = parseDays(days), splitList(topics), time.Duration(reveal)*time.Second
	return sc, nil
}

// Schedule returns a channel's schedule, or ErrNotFound.
func (s *Store) Schedule(ctx context.Context, ch Channel) (Schedule, error) {
	sc, err := scanSchedule(s.db.QueryRowContext(ctx, `SELECT `+scheduleColumns+` FROM daily_schedules WHERE platform = ? AND team = ? AND channel = ?`,
		ch.Platform, ch.Team, ch.ID).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return sc, ErrNotFound
	}
	if err != nil {
		return sc, dbError("schedule", err)
	}
	return sc, nil
}

// Schedules lists the enabled schedules.
func (s *Store) Schedules(ctx context.Context) ([]Schedule, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+scheduleColumns+` FROM daily_schedules WHERE enabled = 1 ORDER BY platform, team, channel`)
	if err != nil {
		return nil, dbError("schedules", err)
	}
	defer rows.Close()
	var out []Schedule
	for rows.Next() {
		sc, err := scanSchedule(rows.Scan)
		if err != nil {
			return nil, dbError("schedules", err)
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// AddSkip marks a local date on which the channel gets no daily question.
func (s *Store) AddSkip(ctx context.Context, ch Channel, day string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO daily_skips (platform, team, channel, day) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		ch.Platform, ch.Team, ch.ID, day)
	if err != nil {
		return dbError("add skip", err)
	}
	return nil
}

// Skips returns a channel's skipped dates.
func (s *Store) Skips(ctx context.Context, ch Channel) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT day FROM daily_skips WHERE platform = ? AND team = ? AND channel = ?`, ch.Platform, ch.Team, ch.ID)
	if err != nil {
		return nil, dbError("skips", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, dbError("skips", err)
		}
		out[d] = true
	}
	return out, rows.Err()
}

// Post is a daily question's post in a channel on a local date.
type Post struct {
	ID         int64
	Channel    Channel
	Day        string
	QuestionID string
	ClaimedAt  time.Time
	Sent       bool
	MessageRef string
	RevealAt   time.Time
	Revealed   bool
}

const postColumns = `id, platform, team, channel, day, question_id, claimed_at, sent_at IS NOT NULL, message_ref, reveal_at, revealed_at IS NOT NULL`

func scanPost(scan func(...any) error) (Post, error) {
	var p Post
	var claimed, reveal string
	err := scan(&p.ID, &p.Channel.Platform, &p.Channel.Team, &p.Channel.ID, &p.Day, &p.QuestionID, &claimed, &p.Sent, &p.MessageRef, &reveal, &p.Revealed)
	p.ClaimedAt, p.RevealAt = parseTime(claimed), parseTime(reveal)
	return p, err
}

// ClaimLease is how long a claim whose send has not been confirmed is held
// before another attempt (in this process or another) may take it over.
const ClaimLease = 2 * time.Minute

// ClaimPost claims the (channel, day) post. It returns the post and whether
// this caller now holds the claim and must send it: true for a new claim,
// or for an unsent claim whose lease ran out (a send that failed or a
// process that died); false when the post exists and is sent or is being
// sent elsewhere. The unique row makes this safe across processes.
func (s *Store) ClaimPost(ctx context.Context, p Post) (Post, bool, error) {
	now := s.now()
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO daily_posts (platform, team, channel, day, question_id, claimed_at, reveal_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, team, channel, day) DO NOTHING`,
		p.Channel.Platform, p.Channel.Team, p.Channel.ID, p.Day, p.QuestionID, formatTime(now), formatTime(p.RevealAt))
	if err != nil {
		return p, false, dbError("claim post", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		got, err := s.PostOn(ctx, p.Channel, p.Day)
		return got, err == nil, err
	}
	res, err = s.db.ExecContext(ctx, `
		UPDATE daily_posts SET claimed_at = ? WHERE platform = ? AND team = ? AND channel = ? AND day = ?
		AND sent_at IS NULL AND claimed_at < ?`,
		formatTime(now), p.Channel.Platform, p.Channel.Team, p.Channel.ID, p.Day, formatTime(now.Add(-ClaimLease)))
	if err != nil {
		return p, false, dbError("retake claim", err)
	}
	got, err := s.PostOn(ctx, p.Channel, p.Day)
	n, _ := res.RowsAffected()
	return got, err == nil && n == 1, err
}

// MarkSent records that a claimed post went out.
func (s *Store) MarkSent(ctx context.Context, id int64, ref string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE daily_posts SET sent_at = ?, message_ref = ? WHERE id = ?`, formatTime(s.now()), ref, id); err != nil {
		return dbError("mark sent", err)
	}
	return nil
}

// ClaimReveal takes the right to send a post's recap: it succeeds when the
// recap has not gone out and nobody holds a claim younger than ClaimLease, so
// a recap whose send failed (or whose process died) is retried by the next
// tick after the lease, and two processes never send it at once.
func (s *Store) ClaimReveal(ctx context.Context, id int64) (bool, error) {
	now := s.now()
	res, err := s.db.ExecContext(ctx, `UPDATE daily_posts SET reveal_claimed_at = ?
		WHERE id = ? AND revealed_at IS NULL AND (reveal_claimed_at IS NULL OR reveal_claimed_at < ?)`,
		formatTime(now), id, formatTime(now.Add(-ClaimLease)))
	if err != nil {
		return false, dbError("claim reveal", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// MarkRevealed records that a post's recap went out.
func (s *Store) MarkRevealed(ctx context.Context, id int64) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE daily_posts SET revealed_at = ? WHERE id = ? AND revealed_at IS NULL`, formatTime(s.now()), id)
	if err != nil {
		return false, dbError("mark revealed", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// PostOn returns the channel's post for a local date, or ErrNotFound.
func (s *Store) PostOn(ctx context.Context, ch Channel, day string) (Post, error) {
	p, err := scanPost(s.db.QueryRowContext(ctx, `SELECT `+postColumns+` FROM daily_posts WHERE platform = ? AND team = ? AND channel = ? AND day = ?`,
		ch.Platform, ch.Team, ch.ID, day).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, dbError("post", err)
	}
	return p, nil
}

// LatestPost returns the channel's most recent sent question post.
func (s *Store) LatestPost(ctx context.Context, ch Channel) (Post, error) {
	// Post ids start at 1, so no post is shown as 0.
	return s.LatestPostShown(ctx, ch, 0)
}

// LatestPostShown is LatestPost counting the post shown as sent too: a
// button pressed on it proves its message reached the channel, which can
// happen before the sending is recorded (the platform shows the message
// before its API call returns).
func (s *Store) LatestPostShown(ctx context.Context, ch Channel, shown int64) (Post, error) {
	p, err := scanPost(s.db.QueryRowContext(ctx, `SELECT `+postColumns+` FROM daily_posts
		WHERE platform = ? AND team = ? AND channel = ? AND question_id != '' AND (sent_at IS NOT NULL OR id = ?) ORDER BY day DESC LIMIT 1`,
		ch.Platform, ch.Team, ch.ID, shown).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, dbError("latest post", err)
	}
	return p, nil
}

// PostsToReveal lists sent, unrevealed question posts whose reveal time has come.
func (s *Store) PostsToReveal(ctx context.Context, now time.Time) ([]Post, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+postColumns+` FROM daily_posts
		WHERE sent_at IS NOT NULL AND revealed_at IS NULL AND question_id != '' AND reveal_at <= ? ORDER BY reveal_at`, formatTime(now))
	if err != nil {
		return nil, dbError("posts to reveal", err)
	}
	defer rows.Close()
	var out []Post
	for rows.Next() {
		p, err := scanPost(rows.Scan)
		if err != nil {
			return nil, dbError("posts to reveal", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// UsedQuestions returns how often each question was posted in a channel.
func (s *Store) UsedQuestions(ctx context.Context, ch Channel) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT question_id, COUNT(*) FROM daily_posts WHERE platform = ? AND team = ? AND channel = ? AND question_id != '' GROUP BY question_id`,
		ch.Platform, ch.Team, ch.ID)
	if err != nil {
		return nil, dbError("used questions", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, dbError("used questions", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// DailyAnswer is one user's graded answer to a daily post.
type DailyAnswer struct {
	PostID     int64
	UserID     int64
	UserName   string
	Answer     string
	Evaluation interview.Evaluation
	Score      float64
	Share      bool
}

// SaveDailyAnswer stores a user's answer and its result in one transaction;
// a resubmission replaces both, so each user has one graded answer per post.
func (s *Store) SaveDailyAnswer(ctx context.Context, post Post, a DailyAnswer, r interview.Result, loc, boardLoc *time.Location) error {
	ev, err := jsonString(a.Evaluation)
	if err != nil {
		return dbError("encode evaluation", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin", err)
	}
	defer tx.Rollback()
	now := s.now()
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO daily_answers (post_id, user_id, answer, evaluation, score, share, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (post_id, user_id) DO UPDATE SET answer = excluded.answer, evaluation = excluded.evaluation,
			score = excluded.score, share = excluded.share, answered_at = excluded.answered_at`,
		post.ID, a.UserID, a.Answer, ev, a.Score, a.Share, formatTime(now)); err != nil {
		return dbError("save daily answer", err)
	}
	board := scored{a.UserID, post.Channel.Platform, post.Channel.Team, post.Channel.ID, r.Points, r.Score}
	if oldPts, oldScore, oldAt, ok, err := previousResult(ctx, tx, post.ID, a.UserID); err != nil {
		return dbError("previous daily result", err)
	} else if ok {
		old := board
		old.points, old.score = oldPts, oldScore
		if err := addToBoards(ctx, tx, old, oldAt, boardLoc, -1); err != nil {
			return err
		}
	}
	if err := addToBoards(ctx, tx, board, now, boardLoc, 1); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO results (user_id, post_id, platform, team, channel, question_id, topic, level, score, points, answered, grader, local_date, graded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
		ON CONFLICT (post_id, user_id) DO UPDATE SET score = excluded.score, points = excluded.points, grader = excluded.grader,
			local_date = excluded.local_date, graded_at = excluded.graded_at`,
		a.UserID, post.ID, post.Channel.Platform, post.Channel.Team, post.Channel.ID, r.QuestionID, r.Topic, r.Level,
		r.Score, r.Points, r.Grader, now.In(loc).Format(time.DateOnly), formatTime(now)); err != nil {
		return dbError("save daily result", err)
	}
	if err := tx.Commit(); err != nil {
		return dbError("commit", err)
	}
	return nil
}

// DailyAnswers returns a post's answers, best first.
func (s *Store) DailyAnswers(ctx context.Context, postID int64) ([]DailyAnswer, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.user_id, u.name, a.answer, a.score, a.share FROM daily_answers a JOIN users u ON u.id = a.user_id
		WHERE a.post_id = ? ORDER BY a.score DESC, a.answered_at`, postID)
	if err != nil {
		return nil, dbError("daily answers", err)
	}
	defer rows.Close()
	var out []DailyAnswer
	for rows.Next() {
		a := DailyAnswer{PostID: postID}
		if err := rows.Scan(&a.UserID, &a.UserName, &a.Answer, &a.Score, &a.Share); err != nil {
			return nil, dbError("daily answers", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PractisedDays returns the distinct local dates on which the user had
// graded practice, oldest first.
func (s *Store) PractisedDays(ctx context.Context, userID int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT local_date FROM results WHERE user_id = ? AND answered = 1 ORDER BY local_date`, userID)
	if err != nil {
		return nil, dbError("practised days", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, dbError("practised days", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SetBoardOptOut hides (or shows again) a user on leaderboards.
func (s *Store) SetBoardOptOut(ctx context.Context, userID int64, out bool) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE users SET board_optout = ? WHERE id = ?`, out, userID); err != nil {
		return dbError("board opt-out", err)
	}
	return nil
}
