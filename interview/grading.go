// Package interview owns the mock-interview engine: the grading contract both
// evaluators implement, the shared code that turns verdicts into scores, the
// session state machine with its follow-up choice, and the scorecard.
package interview

import (
	"context"
	"math"

	"github.com/interviewbot/interviewbot/questions"
)

// Verdict is what an evaluator found for one key point in one answer.
type Verdict string

// The verdicts, from worst to best as scored.
const (
	Contradicted Verdict = "contradicted"
	Absent       Verdict = "absent"
	Partial      Verdict = "partial"
	Present      Verdict = "present"
)

// credit is how much of a key point's weight a verdict earns. A contradiction
// costs more than silence: a confident wrong claim must score below saying
// nothing about the point.
func (v Verdict) credit() float64 {
	switch v {
	case Present:
		return 1
	case Partial:
		return 0.4
	case Contradicted:
		return -0.5
	}
	return 0
}

// rank orders verdicts for merging several answers to one question.
func (v Verdict) rank() int {
	switch v {
	case Present:
		return 3
	case Partial:
		return 2
	case Contradicted:
		return 1
	}
	return 0
}

// PointVerdict is the verdict on one key point, with the words of the answer
// that showed it (empty when absent).
type PointVerdict struct {
	KeyPoint string  `json:"key_point"`
	Verdict  Verdict `json:"verdict"`
	Evidence string  `json:"evidence"`
}

// FoundMisconception is a misconception an answer stated.
type FoundMisconception struct {
	ID       string `json:"id"`
	Evidence string `json:"evidence"`
}

// SuggestedFollowUp is the follow-up an evaluator would ask next.
type SuggestedFollowUp struct {
	Kind   questions.FollowUpKind `json:"kind"`
	Text   string                 `json:"text"`
	Index  int                    `json:"index"` // into Question.FollowUps; -1 when written by the evaluator
	Probes []string               `json:"probes,omitempty"`
}

// Flag marks an answer that could not be graded on its content.
type Flag string

// The flags; an unflagged answer has Flag "".
const (
	FlagEmpty     Flag = "empty"
	FlagSkip      Flag = "skip"
	FlagOffTopic  Flag = "offtopic"
	FlagGibberish Flag = "gibberish"
)

// Evaluation is the grading contract: what an evaluator returns for one
// answer to one question. It holds no score; Score computes that from the
// verdicts so every engine is scored the same way.
type Evaluation struct {
	QuestionID     string               `json:"question_id"`
	Verdicts       []PointVerdict       `json:"verdicts"`
	Misconceptions []FoundMisconception `json:"misconceptions"`
	FollowUp       *SuggestedFollowUp   `json:"follow_up,omitempty"`
	Feedback       string               `json:"feedback,omitempty"`
	Flag           Flag                 `json:"flag,omitempty"`
	Notices        []string             `json:"notices,omitempty"`
	// Clarity is 0..1: how much of the answer is explained prose rather than
	// a bare list. It feeds the communication dimension.
	Clarity float64 `json:"clarity"`
	Grader  string  `json:"grader"`
	// Flags record what happened on the way, for audits and re-grading:
	// "injection-stripped", "score-capped", "repaired", "fallback".
	Flags []string `json:"flags,omitempty"`
}

// Actor is who an answer comes from, for per-team accounting by graders
// that cost money. It travels in the context.
type Actor struct {
	Team string
	User string
}

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or the zero Actor.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// Request is one answer to grade.
type Request struct {
	Question *questions.Question
	Answer   string
	// AskedFollowUps are indexes of follow-ups already asked on this question,
	// so the suggestion is a new one.
	AskedFollowUps []int
}

// Evaluator grades answers. Implementations must be safe for concurrent use.
type Evaluator interface {
	Evaluate(ctx context.Context, req Request) (Evaluation, error)
	// Name is the grader and its version, e.g. "rubric/1"; stored with every score.
	Name() string
}

// MaxAnswerBytes is how much of an answer is graded; the rest is ignored
// with a notice.
const MaxAnswerBytes = 8000

// misconceptionPenalty is the share of the full score each stated
// misconception costs, up to maxMisconceptionPenalty.
const (
	misconceptionPenalty    = 0.15
	maxMisconceptionPenalty = 0.3
	// hintedCredit caps a key point the candidate was given as a hint.
	hintedCredit = 0.4
)

// Score turns verdicts into a 0–10 score, rounded to one decimal. hinted names
// key points revealed by a hint, whose credit is capped.
func Score(q *questions.Question, verdicts []PointVerdict, misconceptions []FoundMisconception, hinted map[string]bool) float64 {
	total := q.TotalWeight()
	if total <= 0 {
		return 0
	}
	byID := make(map[string]Verdict, len(verdicts))
	for _, v := range verdicts {
		byID[v.KeyPoint] = v.Verdict
	}
	var earned float64
	for _, kp := range q.KeyPoints {
		c := byID[kp.ID].credit()
		if hinted[kp.ID] {
			c = math.Min(c, hintedCredit)
		}
		earned += kp.Weight * c
	}
	frac := earned/total - math.Min(float64(len(misconceptions))*misconceptionPenalty, maxMisconceptionPenalty)
	frac = math.Max(0, math.Min(1, frac))
	return math.Round(frac*100) / 10
}

// Merge combines the verdicts of several answers to one question (a main
// answer and its follow-ups): each key point keeps its best verdict, and a
// contradiction stands only if the point was never made.
func Merge(q *questions.Question, evals ...Evaluation) ([]PointVerdict, []FoundMisconception) {
	best := map[string]PointVerdict{}
	for _, e := range evals {
		for _, v := range e.Verdicts {
			if cur, ok := best[v.KeyPoint]; !ok || v.Verdict.rank() > cur.Verdict.rank() {
				best[v.KeyPoint] = v
			}
		}
	}
	out := make([]PointVerdict, 0, len(q.KeyPoints))
	for _, kp := range q.KeyPoints {
		v, ok := best[kp.ID]
		if !ok {
			v = PointVerdict{KeyPoint: kp.ID, Verdict: Absent}
		}
		out = append(out, v)
	}
	var mis []FoundMisconception
	seen := map[string]bool{}
	for _, e := range evals {
		for _, m := range e.Misconceptions {
			if !seen[m.ID] {
				seen[m.ID] = true
				mis = append(mis, m)
			}
		}
	}
	return out, mis
}

// Points is what a graded answer adds to boards: its 0–10 score weighted by
// the question's level (junior 1×, mid 1.5×, senior 2×), so harder questions
// are worth attempting even at a lower score.
func Points(score float64, level questions.Level) int {
	w := 1.0
	switch level {
	case questions.Mid:
		w = 1.5
	case questions.Senior:
		w = 2
	}
	return int(math.Round(score * w))
}
