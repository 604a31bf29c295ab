package interview

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interviewbot/interviewbot/internal/text"
	"github.com/interviewbot/interviewbot/questions"
)

// Phase is where a session stands.
type Phase string

// The phases of a session. Intro is folded into the first question's reply.
const (
	PhaseQuestion Phase = "question" // waiting for the answer to a main question
	PhaseFollowUp Phase = "followup" // waiting for the answer to a follow-up
	PhaseDone     Phase = "done"
)

// QuestionState is what a session remembers about one question. It holds
// evaluations but not answer text, which the store keeps with each turn.
type QuestionState struct {
	QuestionID     string       `json:"question_id"`
	Evaluations    []Evaluation `json:"evaluations,omitempty"`
	AskedFollowUps []int        `json:"asked_follow_ups,omitempty"`
	Hinted         []string     `json:"hinted,omitempty"`
	Skipped        bool         `json:"skipped,omitempty"`
	Done           bool         `json:"done,omitempty"`
	Score          float64      `json:"score"`
}

// Answered reports whether the question got at least one graded answer.
func (qs QuestionState) Answered() bool { return len(qs.Evaluations) > 0 }

// State is the whole of a session's progress: enough to resume it after a
// restart. The store keeps the state a session started with and rebuilds
// the rest by applying its turns (see Apply).
type State struct {
	Topic     string             `json:"topic"`
	Level     string             `json:"level"`
	Questions []QuestionState    `json:"questions"`
	Current   int                `json:"current"`
	Phase     Phase              `json:"phase"`
	FollowUp  *SuggestedFollowUp `json:"follow_up,omitempty"` // the follow-up being asked
	Graders   []string           `json:"graders,omitempty"`
	StartedAt time.Time          `json:"started_at"`
	EndedAt   time.Time          `json:"ended_at,omitzero"`
}

// ReplyKind tells a renderer what a reply is.
type ReplyKind string

// The kinds of reply the engine produces.
const (
	ReplyIntro     ReplyKind = "intro"
	ReplyQuestion  ReplyKind = "question"
	ReplyFollowUp  ReplyKind = "followup"
	ReplyHint      ReplyKind = "hint"
	ReplyNotice    ReplyKind = "notice"
	ReplyScorecard ReplyKind = "scorecard"
)

// Reply is one thing the interviewer says. Platform adapters render it.
type Reply struct {
	Kind         ReplyKind
	Text         string
	Title        string // question title, for question replies
	Number       int    // 1-based question number
	Total        int
	Stage        bool // the question is a stage of a design interview
	FollowUpKind questions.FollowUpKind
	Scorecard    *Scorecard
}

// TurnKind names what a persisted turn records.
type TurnKind string

// The turn kinds.
const (
	TurnStart  TurnKind = "start"
	TurnAnswer TurnKind = "answer"
	TurnHint   TurnKind = "hint"
	TurnSkip   TurnKind = "skip"
	TurnEnd    TurnKind = "end"
)

// Turn is what one step adds to the record. The caller commits it before
// showing any reply. A turn holds everything the step changed, so a session's
// start state and its turns, applied in order with State.Apply, rebuild the
// state exactly: the record needs no copy of the state with every turn.
type Turn struct {
	Kind       TurnKind
	QuestionID string
	// Prompt is what the candidate was answering; for a hint turn, the id of
	// the key point hinted.
	Prompt     string
	Answer     string
	Evaluation *Evaluation
	Score      float64 // the question's score after the turn, for answer and hint turns
	Grader     string
	// FollowUp is the follow-up asked after this answer; nil when the
	// interview moved on instead.
	FollowUp *SuggestedFollowUp
	At       time.Time // when the turn happened; a finishing turn's is the end time
}

// Result is a finished question, for points and streaks.
type Result struct {
	QuestionID string
	Topic      string
	Level      string
	Score      float64
	Points     int
	Answered   bool
	Grader     string
}

// Step is the outcome of one input: what to store, then what to say.
type Step struct {
	Turn      *Turn // nil when nothing changed (repeat, an empty line)
	Completed []Result
	Finished  bool
	Replies   []Reply
}

// Engine runs interviews over a bank with an evaluator.
type Engine struct {
	Bank      *questions.Bank
	Evaluator Evaluator
	Now       func() time.Time
	// MaxFollowUps per question; a strong answer still gets the first.
	MaxFollowUps int
}

// NewEngine returns an engine with the defaults: two follow-ups at most.
func NewEngine(bank *questions.Bank, ev Evaluator, now func() time.Time) *Engine {
	return &Engine{Bank: bank, Evaluator: ev, Now: now, MaxFollowUps: 2}
}

// secondFollowUpBelow: a second follow-up is asked only while the question's
// score is below this and there is still a gap to probe.
const secondFollowUpBelow = 7.0

// Start opens a session over the chosen questions.
func (e *Engine) Start(qs []*questions.Question, topic, level string) (State, Step) {
	st := State{Topic: topic, Level: level, Phase: PhaseQuestion, StartedAt: e.Now().UTC()}
	for _, q := range qs {
		st.Questions = append(st.Questions, QuestionState{QuestionID: q.ID})
	}
	desc := topic
	if desc == "" {
		desc = "mixed topics"
	}
	if level != "" {
		desc += ", " + level
	}
	intro := fmt.Sprintf("Mock interview: %s, %d question%s. Answer as you would out loud; I will push on what you leave out. Type hint, skip, repeat or end at any time.", desc, len(qs), plural(len(qs)))
	if d := designOf(qs); d != nil {
		intro = fmt.Sprintf("System design interview: %s, in %d stages, from scope to scaling limits. Answer each stage as you would at the whiteboard; I will push before we move on. Type hint, skip, repeat or end at any time.", d.Title, len(qs))
	}
	step := Step{Turn: &Turn{Kind: TurnStart}, Replies: []Reply{{Kind: ReplyIntro, Text: intro}}}
	step.Replies = append(step.Replies, e.Prompt(st)...)
	return st, step
}

// designOf returns the design whose stages qs are, or nil.
func designOf(qs []*questions.Question) *questions.Question {
	if len(qs) == 0 || qs[0].Parent == nil {
		return nil
	}
	for _, q := range qs {
		if q.Parent != qs[0].Parent {
			return nil
		}
	}
	return qs[0].Parent
}

// Prompt is what the candidate is being asked now: the current question or
// follow-up, or the scorecard of a finished session. It serves repeat and
// resuming after a restart.
func (e *Engine) Prompt(st State) []Reply {
	if st.Phase == PhaseDone {
		sc := e.Scorecard(st)
		return []Reply{{Kind: ReplyScorecard, Scorecard: &sc}}
	}
	q := e.question(st)
	if q == nil {
		return []Reply{{Kind: ReplyNotice, Text: "This interview refers to a question that is no longer in the bank; type end to close it."}}
	}
	if st.Phase == PhaseFollowUp && st.FollowUp != nil {
		return []Reply{{Kind: ReplyFollowUp, Text: st.FollowUp.Text, FollowUpKind: st.FollowUp.Kind, Title: q.Title, Number: st.Current + 1, Total: len(st.Questions), Stage: q.Parent != nil}}
	}
	return []Reply{{Kind: ReplyQuestion, Text: q.Prompt, Title: q.Title, Number: st.Current + 1, Total: len(st.Questions), Stage: q.Parent != nil}}
}

func (e *Engine) question(st State) *questions.Question {
	if st.Current >= len(st.Questions) {
		return nil
	}
	q, _ := e.Bank.Get(st.Questions[st.Current].QuestionID)
	return q
}

// Control words a candidate types inside an interview.
const (
	CmdHint   = "hint"
	CmdSkip   = "skip"
	CmdRepeat = "repeat"
	CmdEnd    = "end"
)

// ControlWord returns the control word a line is, or "".
func ControlWord(line string) string {
	w := strings.ToLower(strings.TrimSpace(line))
	w = strings.TrimPrefix(w, "/")
	w = strings.TrimRight(w, ".!")
	switch w {
	case CmdHint, CmdSkip, CmdRepeat, CmdEnd:
		return w
	case "stop", "quit interview", "finish":
		return CmdEnd
	}
	return ""
}

// ErrSessionDone is returned for input to a finished session.
var ErrSessionDone = errors.New("interview: session is finished")

// Handle applies one line of input to the session, updating st in place.
// The returned step's Turn must be committed before its replies are shown.
func (e *Engine) Handle(ctx context.Context, st *State, input string) (Step, error) {
	if st.Phase == PhaseDone {
		return Step{}, ErrSessionDone
	}
	q := e.question(*st)
	if q == nil {
		return e.finish(st, TurnEnd), nil
	}
	switch ControlWord(input) {
	case CmdRepeat:
		return Step{Replies: e.Prompt(*st)}, nil
	case CmdEnd:
		return e.finish(st, TurnEnd), nil
	case CmdSkip:
		return e.skip(st, q, ""), nil
	case CmdHint:
		return e.hint(st, q), nil
	}
	return e.answer(ctx, st, q, input)
}

func (e *Engine) currentPrompt(st State, q *questions.Question) string {
	if st.Phase == PhaseFollowUp && st.FollowUp != nil {
		return st.FollowUp.Text
	}
	return q.Prompt
}

func (e *Engine) answer(ctx context.Context, st *State, q *questions.Question, input string) (Step, error) {
	answer := text.Clean(input)
	if strings.TrimSpace(answer) == "" {
		return Step{Replies: []Reply{{Kind: ReplyNotice, Text: "Type your answer, or hint, skip, repeat or end."}}}, nil
	}
	qs := st.Questions[st.Current]
	ev, err := e.Evaluator.Evaluate(ctx, Request{Question: q, Answer: answer, AskedFollowUps: qs.AskedFollowUps})
	if err != nil {
		return Step{}, fmt.Errorf("evaluate %s: %w", q.ID, err)
	}
	prompt := e.currentPrompt(*st, q)
	if ev.Flag == FlagSkip {
		return e.skip(st, q, ev.Feedback), nil
	}
	// Whether to push again is read from the question as it stands with
	// this answer counted; Apply then records both.
	qs.Evaluations = append(slices.Clip(qs.Evaluations), ev)
	qs.Score = ScoreEvaluations(q, hintedSet(qs.Hinted), qs.Evaluations...)
	merged, _ := Merge(q, qs.Evaluations...)
	next := e.nextFollowUp(q, &qs, merged, ev)
	turn := &Turn{Kind: TurnAnswer, QuestionID: q.ID, Prompt: prompt, Answer: answer, Evaluation: &ev, Score: qs.Score, Grader: ev.Grader, FollowUp: next, At: e.Now().UTC()}

	var notices []Reply
	for _, n := range ev.Notices {
		notices = append(notices, Reply{Kind: ReplyNotice, Text: n})
	}
	if ev.Flag != "" && ev.Feedback != "" {
		notices = append(notices, Reply{Kind: ReplyNotice, Text: ev.Feedback})
	}
	step := e.apply(st, turn)
	step.Replies = append(notices, step.Replies...)
	return step, nil
}

// nextFollowUp decides whether to push once more on this question. The first
// follow-up is always asked (strong answers get scale or failure); a second
// only while the answer still has a gap worth probing.
func (e *Engine) nextFollowUp(q *questions.Question, qs *QuestionState, merged []PointVerdict, ev Evaluation) *SuggestedFollowUp {
	asked := len(qs.AskedFollowUps)
	if asked >= e.MaxFollowUps || (asked > 0 && qs.Score >= secondFollowUpBelow) {
		return nil
	}
	// The evaluator judged only this answer; what is still missing is read
	// from all the answers to the question together.
	fu := ev.FollowUp
	if fu == nil || (fu.Index >= 0 && slices.Contains(qs.AskedFollowUps, fu.Index)) || (asked > 0 && !probesGap(q, merged, fu)) {
		fu = SuggestFollowUp(q, merged, qs.AskedFollowUps)
	}
	if fu == nil || (asked > 0 && !probesGap(q, merged, fu)) {
		return nil
	}
	return fu
}

func hintedSet(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// apply applies a turn the engine decided on and says what comes next: the
// follow-up or next question, or the scorecard when the interview ended.
func (e *Engine) apply(st *State, turn *Turn) Step {
	// A turn the engine built always fits the state it was built from.
	done, _ := st.Apply(*turn)
	step := Step{Turn: turn, Finished: st.Phase == PhaseDone, Replies: e.Prompt(*st)}
	for _, i := range done {
		step.Completed = append(step.Completed, e.result(*st, i))
	}
	return step
}

// result is the record of finished question i, for points and streaks.
func (e *Engine) result(st State, i int) Result {
	qs := st.Questions[i]
	r := Result{QuestionID: qs.QuestionID, Score: qs.Score, Answered: qs.Answered()}
	if q, ok := e.Bank.Get(qs.QuestionID); ok {
		r.Topic, r.Level = q.Topic, string(q.Level)
		r.Points = Points(qs.Score, q.Level)
	}
	if n := len(qs.Evaluations); n > 0 {
		r.Grader = qs.Evaluations[n-1].Grader
	}
	return r
}

func (e *Engine) skip(st *State, q *questions.Question, why string) Step {
	step := e.apply(st, &Turn{Kind: TurnSkip, QuestionID: q.ID, Prompt: q.Prompt, At: e.Now().UTC()})
	if why != "" {
		step.Replies = append([]Reply{{Kind: ReplyNotice, Text: why}}, step.Replies...)
	}
	return step
}

func (e *Engine) hint(st *State, q *questions.Question) Step {
	qs := &st.Questions[st.Current]
	merged, _ := Merge(q, qs.Evaluations...)
	gaps := missing(q, merged)
	var pick *questions.KeyPoint
	for i := range q.KeyPoints {
		kp := &q.KeyPoints[i]
		if gaps[kp.ID] <= 0 || slices.Contains(qs.Hinted, kp.ID) {
			continue
		}
		if pick == nil || kp.Weight > pick.Weight {
			pick = kp
		}
	}
	if pick == nil {
		return Step{Replies: []Reply{{Kind: ReplyHint, Text: "No hint left: you have touched every key point. Go deeper on one, or type skip."}}}
	}
	hinted := append(slices.Clip(qs.Hinted), pick.ID)
	turn := &Turn{Kind: TurnHint, QuestionID: q.ID, Prompt: pick.ID, Score: ScoreEvaluations(q, hintedSet(hinted), qs.Evaluations...), At: e.Now().UTC()}
	st.Apply(*turn)
	text := pick.Hint
	if text == "" {
		text = "Think about this: " + pick.Text
	}
	return Step{Turn: turn, Replies: []Reply{{Kind: ReplyHint, Text: text + " (A hinted point earns at most partial credit.)"}}}
}

// finish ends the session early: the current question counts if answered.
func (e *Engine) finish(st *State, kind TurnKind) Step {
	return e.apply(st, &Turn{Kind: kind, At: e.Now().UTC()})
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
