package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/interviewbot/interviewbot/interview"
)

// Identity names a person on a platform: the neutral identity the bot layer
// passes down.
type Identity struct {
	Platform   string
	Team       string
	ExternalID string
	Name       string
}

// User is a stored person.
type User struct {
	ID int64
	Identity
	TZ string // IANA zone the user chose; "" means the channel's or the host's
}

// EnsureUser returns the user for an identity, creating it on first sight and
// keeping the display name current.
func (s *Store) EnsureUser(ctx context.Context, id Identity) (User, error) {
	if id.Name == "" {
		id.Name = id.ExternalID
	}
	row := s.db.QueryRowContext(ctx, `
		INSERT INTO users (platform, team, external_id, name, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (platform, team, external_id) DO UPDATE SET name = excluded.name
		RETURNING id, tz`, id.Platform, id.Team, id.ExternalID, id.Name, formatTime(s.now()))
	u := User{Identity: id}
	if err := row.Scan(&u.ID, &u.TZ); err != nil {
		return User{}, dbError("ensure user", err)
	}
	return u, nil
}

// SetUserTZ stores the user's time zone.
func (s *Store) SetUserTZ(ctx context.Context, userID int64, tz string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE users SET tz = ? WHERE id = ?`, tz, userID); err != nil {
		return dbError("set tz", err)
	}
	return nil
}

// Session is a stored interview with its latest state (loaded for open
// interviews only).
type Session struct {
	ID        int64
	UserID    int64
	Platform  string
	Team      string
	Channel   string
	Thread    string
	Open      bool
	State     interview.State
	Seq       int // number of turns stored
	CreatedAt time.Time
}

// ErrNotFound is returned when there is no such row.
var ErrNotFound = interview.Errorf(interview.NotFound, "not found")

// CreateSession stores a new open session with its first turn. It fails with
// a Conflict error when the user already has an open session in the channel.
func (s *Store) CreateSession(ctx context.Context, sess *Session, first interview.Turn) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin", err)
	}
	defer tx.Rollback()
	now := s.now()
	res, err := tx.ExecContext(ctx, `
		INSERT INTO sessions (user_id, platform, team, channel, thread, topic, level, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
		sess.UserID, sess.Platform, sess.Team, sess.Channel, sess.Thread, sess.State.Topic, sess.State.Level, formatTime(now))
	if err != nil {
		return dbError("create session", err)
	}
	if sess.ID, err = res.LastInsertId(); err != nil {
		return dbError("create session", err)
	}
	sess.Open, sess.CreatedAt, sess.Seq = true, now, 0
	if err := insertTurn(ctx, tx, sess, first, now); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return dbError("commit", err)
	}
	return nil
}

// SetThread records the platform thread a session lives in, once the
// adapter has created it.
func (s *Store) SetThread(ctx context.Context, sessionID int64, thread string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET thread = ? WHERE id = ?`, thread, sessionID); err != nil {
		return dbError("set thread", err)
	}
	return nil
}

const insertTurnSQL = `
	INSERT INTO turns (session_id, seq, kind, question_id, prompt, answer, evaluation, score, grader, follow_up, state, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// insertTurn stores one turn. Only a session's first turn carries the state
// (what the interview was started with); every later turn records what it
// changed, and loading applies them in order (see loadState).
func insertTurn(ctx context.Context, tx *txn, sess *Session, t interview.Turn, now time.Time) error {
	var state string
	if sess.Seq == 0 {
		b, err := json.Marshal(sess.State)
		if err != nil {
			return dbError("encode state", err)
		}
		state = string(b)
	}
	var evaluation, score, followUp any
	if t.Evaluation != nil {
		b, err := json.Marshal(t.Evaluation)
		if err != nil {
			return dbError("encode evaluation", err)
		}
		evaluation = string(b)
	}
	if t.Kind == interview.TurnAnswer || t.Kind == interview.TurnHint {
		score = t.Score
	}
	if t.FollowUp != nil {
		b, err := json.Marshal(t.FollowUp)
		if err != nil {
			return dbError("encode follow-up", err)
		}
		followUp = string(b)
	}
	_, err := tx.ExecContext(ctx, insertTurnSQL,
		sess.ID, sess.Seq+1, string(t.Kind), t.QuestionID, t.Prompt, t.Answer, evaluation, score, t.Grader, followUp, state, formatTime(now))
	if err != nil {
		return dbError("insert turn", err)
	}
	sess.Seq++
	return nil
}

// CommitStep stores one step of a session in a single transaction: the turn
// with the new state, the results of questions it finished (dated by the
// user's local day), and the session's closing when it finished. Replies must
// be sent only after it returns nil.
// loc is the user's zone, for the local day; boardLoc is the board's zone,
// for the week and month the points count in.
func (s *Store) CommitStep(ctx context.Context, sess *Session, step interview.Step, loc, boardLoc *time.Location) (err error) {
	if step.Turn == nil {
		return nil
	}
	// insertTurn takes the next seq; when anything after it fails the
	// transaction rolls back, and so must the in-memory count.
	seq := sess.Seq
	defer func() {
		if err != nil {
			sess.Seq = seq
		}
	}()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin", err)
	}
	defer tx.Rollback()
	now := s.now()
	if err := insertTurn(ctx, tx, sess, *step.Turn, now); err != nil {
		return err
	}
	localDate := now.In(loc).Format(time.DateOnly)
	for _, r := range step.Completed {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO results (user_id, session_id, platform, team, channel, question_id, topic, level, score, points, answered, grader, local_date, graded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (session_id, question_id) DO NOTHING`,
			sess.UserID, sess.ID, sess.Platform, sess.Team, sess.Channel, r.QuestionID, r.Topic, r.Level, r.Score, r.Points, r.Answered, r.Grader, localDate, formatTime(now))
		if err != nil {
			return dbError("insert result", err)
		}
		// A result already recorded (the insert did nothing) is already on
		// the boards; counting it again would make them disagree with results.
		n, err := res.RowsAffected()
		if err != nil {
			return dbError("insert result", err)
		}
		if n == 1 && r.Answered {
			if err := addToBoards(ctx, tx, scored{sess.UserID, sess.Platform, sess.Team, sess.Channel, r.Points, r.Score}, now, boardLoc, 1); err != nil {
				return err
			}
		}
	}
	if step.Finished {
		sc := 0
		for _, r := range step.Replies {
			if r.Scorecard != nil {
				sc = r.Scorecard.Overall
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET status = 'closed', closed_at = ?, overall = ? WHERE id = ?`, formatTime(now), sc, sess.ID); err != nil {
			return dbError("close session", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return dbError("commit", err)
	}
	if step.Finished {
		sess.Open = false
	}
	return nil
}

const sessionColumns = `s.id, s.user_id, s.platform, s.team, s.channel, s.thread, s.status, s.created_at,
	(SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id)`

func (s *Store) scanSession(ctx context.Context, row *sql.Row) (*Session, error) {
	var sess Session
	var status, created string
	err := row.Scan(&sess.ID, &sess.UserID, &sess.Platform, &sess.Team, &sess.Channel, &sess.Thread, &status, &created, &sess.Seq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, dbError("load session", err)
	}
	sess.Open = status == "open"
	sess.CreatedAt = parseTime(created)
	if !sess.Open {
		// A finished interview is never resumed: its state is not loaded.
		return &sess, nil
	}
	if sess.State, err = s.loadState(ctx, sess.ID); err != nil {
		return nil, err
	}
	return &sess, nil
}

// storedTurn is one turn row as loading reads it.
type storedTurn struct {
	seq                  int
	kind, questionID     string
	prompt, state, at    string
	evaluation, followUp sql.NullString
	score                sql.NullFloat64
}

// loadState rebuilds a session's state: the latest turn that carries a
// state (the first turn; every turn, in databases written before turns
// stopped carrying one), with every later turn applied in order.
func (s *Store) loadState(ctx context.Context, sessionID int64) (interview.State, error) {
	// Replaying needs a turn's prompt only for a hint (the point hinted);
	// other turns' prompts are question text, read on every message for
	// nothing.
	rows, err := s.db.QueryContext(ctx, `SELECT seq, kind, question_id, CASE WHEN kind = 'hint' THEN prompt ELSE '' END, evaluation, score, follow_up, state, created_at
		FROM turns WHERE session_id = ? ORDER BY seq`, sessionID)
	if err != nil {
		return interview.State{}, dbError("load turns", err)
	}
	defer rows.Close()
	var turns []storedTurn
	base := -1 // index in turns of the latest one with a state
	for rows.Next() {
		var t storedTurn
		if err := rows.Scan(&t.seq, &t.kind, &t.questionID, &t.prompt, &t.evaluation, &t.score, &t.followUp, &t.state, &t.at); err != nil {
			return interview.State{}, dbError("load turns", err)
		}
		if t.state != "" {
			base = len(turns)
		}
		turns = append(turns, t)
	}
	if err := rows.Err(); err != nil {
		return interview.State{}, dbError("load turns", err)
	}
	st, err := replay(turns, base)
	if err != nil {
		return interview.State{}, interview.Wrap(fmt.Errorf("session %d state: %w", sessionID, err), interview.Internal, "This interview's saved state is damaged; type end to close it or start a new one.")
	}
	return st, nil
}

// replay decodes turns[base]'s state and applies the turns after it.
func replay(turns []storedTurn, base int) (interview.State, error) {
	if base < 0 {
		return interview.State{}, errors.New("no turn holds a state")
	}
	var before []turnEvaluation
	for _, t := range turns[:base+1] {
		if t.evaluation.Valid {
			before = append(before, turnEvaluation{t.questionID, t.evaluation.String})
		}
	}
	st, err := decodeState([]byte(turns[base].state), before)
	if err != nil {
		return interview.State{}, err
	}
	for _, row := range turns[base+1:] {
		t := interview.Turn{Kind: interview.TurnKind(row.kind), QuestionID: row.questionID, Prompt: row.prompt, Score: row.score.Float64, At: parseTime(row.at)}
		if row.evaluation.Valid {
			t.Evaluation = new(interview.Evaluation)
			if err := json.Unmarshal([]byte(row.evaluation.String), t.Evaluation); err != nil {
				return interview.State{}, fmt.Errorf("turn %d evaluation: %w", row.seq, err)
			}
		}
		if row.followUp.Valid {
			t.FollowUp = new(interview.SuggestedFollowUp)
			if err := json.Unmarshal([]byte(row.followUp.String), t.FollowUp); err != nil {
				return interview.State{}, fmt.Errorf("turn %d follow-up: %w", row.seq, err)
			}
		}
		if _, err := st.Apply(t); err != nil {
			return interview.State{}, fmt.Errorf("turn %d: %w", row.seq, err)
		}
	}
	return st, nil
}

// storedState is how states were saved while every turn carried one: each
// question's evaluations left out and counted, since its answer turns hold
// them. Loading still reads it for interviews left open across the upgrade.
type storedState struct {
	interview.State
	Questions []storedQuestion `json:"questions"`
}

// storedQuestion counts the evaluations it leaves out, so loading can give
// each question back exactly its own answers' evaluations.
type storedQuestion struct {
	interview.QuestionState
	Evaluated int `json:"evaluated,omitempty"`
}

// decodeState reads a saved state: a question saved with its evaluations
// keeps them; one saved with a count is dealt that many of the evaluations
// stored (in order) by the answer turns up to the state's.
func decodeState(data []byte, stored []turnEvaluation) (interview.State, error) {
	var saved storedState
	if err := json.Unmarshal(data, &saved); err != nil {
		return interview.State{}, err
	}
	byQuestion := map[string][]string{} // each question's evaluations, oldest first, not yet dealt
	for _, te := range stored {
		byQuestion[te.questionID] = append(byQuestion[te.questionID], te.raw)
	}
	st := saved.State
	st.Questions = make([]interview.QuestionState, len(saved.Questions))
	for i, q := range saved.Questions {
		st.Questions[i] = q.QuestionState
		if q.Evaluated == 0 {
			continue
		}
		mine := byQuestion[q.QuestionID]
		if len(mine) < q.Evaluated {
			return interview.State{}, fmt.Errorf("question %s: %d of %d evaluations stored", q.QuestionID, len(mine), q.Evaluated)
		}
		for _, raw := range mine[:q.Evaluated] {
			var ev interview.Evaluation
			if err := json.Unmarshal([]byte(raw), &ev); err != nil {
				return interview.State{}, fmt.Errorf("question %s evaluation: %w", q.QuestionID, err)
			}
			st.Questions[i].Evaluations = append(st.Questions[i].Evaluations, ev)
		}
		byQuestion[q.QuestionID] = mine[q.Evaluated:]
	}
	return st, nil
}

// turnEvaluation is one answer turn's evaluation, still encoded, with the
// question it graded.
type turnEvaluation struct {
	questionID string
	raw        string
}

// OpenSession returns the user's open session in a channel, or ErrNotFound.
func (s *Store) OpenSession(ctx context.Context, userID int64, platform, team, channel string) (*Session, error) {
	return s.scanSession(ctx, s.db.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions s
		WHERE s.user_id = ? AND s.platform = ? AND s.team = ? AND s.channel = ? AND s.status = 'open'`,
		userID, platform, team, channel))
}

// ThreadSession is who owns the interview in a platform thread, without its
// state: what an adapter checks before handing a message to the engine.
type ThreadSession struct {
	ID     int64
	UserID int64
	Open   bool
}

// SessionInThread returns the owner and status of the latest interview in a
// platform thread, or ErrNotFound. It reads one row; SessionByThread loads
// the whole state.
func (s *Store) SessionInThread(ctx context.Context, platform, team, channel, thread string) (ThreadSession, error) {
	var ts ThreadSession
	var status string
	err := s.db.QueryRowContext(ctx, `SELECT id, user_id, status FROM sessions
		WHERE platform = ? AND team = ? AND channel = ? AND thread = ? ORDER BY id DESC LIMIT 1`,
		platform, team, channel, thread).Scan(&ts.ID, &ts.UserID, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return ts, ErrNotFound
	}
	if err != nil {
		return ts, dbError("find thread session", err)
	}
	ts.Open = status == "open"
	return ts, nil
}

// SessionByThread returns the session that lives in a platform thread.
func (s *Store) SessionByThread(ctx context.Context, platform, team, channel, thread string) (*Session, error) {
	return s.scanSession(ctx, s.db.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions s
		WHERE s.platform = ? AND s.team = ? AND s.channel = ? AND s.thread = ? ORDER BY s.id DESC LIMIT 1`,
		platform, team, channel, thread))
}

// OpenSessions lists every open session, for resuming after a restart.
func (s *Store) OpenSessions(ctx context.Context) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM sessions WHERE status = 'open' ORDER BY id`)
	if err != nil {
		return nil, dbError("list open sessions", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, dbError("list open sessions", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// TurnRecord is a stored turn, for transcripts and tests.
type TurnRecord struct {
	Seq        int
	Kind       string
	QuestionID string
	Prompt     string
	Answer     string
	Score      sql.NullFloat64
	Grader     string
}

// Turns returns a session's turns in order.
func (s *Store) Turns(ctx context.Context, sessionID int64) ([]TurnRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, kind, question_id, prompt, answer, score, grader FROM turns WHERE session_id = ? ORDER BY seq`, sessionID)
	if err != nil {
		return nil, dbError("list turns", err)
	}
	defer rows.Close()
	var out []TurnRecord
	for rows.Next() {
		var t TurnRecord
		if err := rows.Scan(&t.Seq, &t.Kind, &t.QuestionID, &t.Prompt, &t.Answer, &t.Score, &t.Grader); err != nil {
			return nil, dbError("list turns", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
