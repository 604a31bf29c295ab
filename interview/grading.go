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
	// a bare list. It feeds the communication dimension and caps the score
	// of a bare list.
	Clarity float64 `json:"clarity"`
	// Relevance is 0..1: how much a short answer uses the question's
	// concepts. It lifts an on-topic answer that makes no key point above
	// one that is off-topic.
	Relevance float64 `json:"relevance,omitempty"`
	// Digression is 0..1: the share of the answer's substance in words the
	// question never uses. An answer mostly about something else (package
	// versioning asked about API versioning) is off-topic even where a few
	// of its words touch a key point.
	Digression float64 `json:"digression,omitempty"`
	// Words is how many words of the answer were graded. The share of
	// foreign words says more about a long answer than a short one, whose
	// few words may all be generic (see longAnswerWords).
	Words int `json:"words,omitempty"`
	// General marks a short answer that stays general on purpose ("it
	// depends on your use case", "find the right balance") and makes at
	// most a couple of points: it reads as vague but relevant, and earns no
	// more than relevanceFloor whatever its words touched.
	General bool `json:"general,omitempty"`
	// Elaboration is 0..1: how far the answer goes beyond naming its
	// points, measured by the prose it spends on the question's concepts.
	// It multiplies the share of key-point weight earned by up to
	// 1+elaborationGain; graders that leave it 0 are scored on coverage.
	Elaboration float64 `json:"elaboration,omitempty"`
	Grader      string  `json:"grader"`
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

// Scoring constants, chosen against the labelled development set in
// testdata/eval and documented in the README with the figures they reach.
const (
	// scoreCurve bends the share of weighted key points into a 0–10 score
	// the way interviewers grade: covering half the points of a question is
	// a solid answer (about 6.6), not a failing one.
	scoreCurve = 0.6
	// misconceptionPoints is what each stated misconception costs, for at
	// most two: a confident wrong claim sinks an otherwise thin answer. At
	// 3 a wrong answer whose words touched half the key points kept 2–3,
	// level with the vague answer people grade above it; at 3.5 it falls
	// below, and an excellent answer with one slip keeps about 5.5.
	misconceptionPoints = 3.5
	maxMisconceptions   = 2
	// listCap bounds an answer that is mostly a bare list of terms: it shows
	// recall, not understanding.
	listCap = 2.5
	// relevanceFloor is what a short, on-topic answer that makes no key
	// point earns, so "vague but about the right thing" scores above
	// off-topic or wrong.
	relevanceFloor = 2.0
	// hintedCredit caps a key point the candidate was given as a hint.
	hintedCredit = 0.4
	// An answer whose Digression is above maxDigression is about something
	// else, and scores offTopicCap whatever its words touched: people grade
	// it 0, like an answer that touches nothing.
	maxDigression = 0.65
	// A long answer needs less to read as about something else: an answer
	// to a neighbouring question is a fluent explanation, and at
	// longAnswerWords or more words a share above maxLongDigression is
	// one. Short vague and keyword answers are full of generic words, so
	// the lower line would send them to 0: it did on two fresh sets, each
	// read once, where 6 of 348 answers graded 2 or 3 fell to 0.
	maxLongDigression = 0.60
	longAnswerWords   = 75
	offTopicCap       = 0.0
	// misconceptionFloor is what a confident wrong answer keeps however
	// much its claims cost: it engages with the question, so it ranks above
	// an answer about something else and far below a vague one.
	misconceptionFloor = 0.3
	// stageShare is the share of a design stage's key-point weight at which
	// an answer to the whole design gets full credit for the stage.
	stageShare = 0.5
	// elaborationGain is how much a fully elaborated answer (Evaluation.
	// Elaboration 1) multiplies its share of key-point weight: an answer
	// that makes no point gains nothing.
	elaborationGain = 0.3
	// maxStagesOffCore is how many stages a whole-design answer may touch
	// without touching any of substanceStages before it reads as an answer
	// about a different system.
	maxStagesOffCore = 2
	// undevelopedMax is the most an answer that does not develop its
	// points can score: making every point in a line each is a solid
	// mid-level answer, and the rest of the scale, up to 10 at full
	// Elaboration, is for the reasons, consequences and failure cases a
	// strong answer adds. Without it, good answers graded 7 or 8 scored 10
	// beside the excellent ones, and every fresh labelled set ordered
	// them worse (MAE 0.02-0.07 higher, pairwise ordering up to 0.008
	// lower).
	undevelopedMax = 7.5
	// developedFloor is what a fully developed answer (Elaboration 1: 200
	// words or more of explaining prose in the question's concepts) that
	// states no misconception scores at least, in proportion to its
	// Elaboration. Such an answer in plain words ("the poke url says ok
	// while the app is broken") makes points no phrase lists, and scored
	// 2-4 where people graded it 7 or 8; the bank finds a stated belief in
	// about 95 % of labelled wrong answers, so a long explanation it finds
	// none in is far more often right than wrong. Over the labelled sets it
	// lifts 13 good answers and one off-topic answer the off-topic checks
	// missed (0.1 to 1.3). A floor of 8 lifted 33 good or excellent answers
	// but that off-topic one to 1.8, and would give an unlisted wrong
	// essay 8: 6 is the safer line.
	developedFloor = 6.0
)

// substanceStages are the design stages that hold what the system is: its
// algorithm or data model, and where that data lives.
var substanceStages = []string{"core", "storage"}

// Score computes a 0–10 score from verdicts and misconceptions, counting
// hints; graders never set scores themselves. It knows nothing of how the
// answer was written; ScoreEvaluations adds that.
func Score(q *questions.Question, verdicts []PointVerdict, misconceptions []FoundMisconception, hinted map[string]bool) float64 {
	return score(q, verdicts, misconceptions, hinted, 1, 0, false, false, 0, false)
}

// ScoreEvaluations scores a question from every evaluation of its answers
// (a main answer and its follow-ups): the best verdict per key point, the
// misconceptions never corrected, and the best-written and most on-topic
// of the answers.
func ScoreEvaluations(q *questions.Question, hinted map[string]bool, evals ...Evaluation) float64 {
	merged, mis := Merge(q, evals...)
	clarity, relevance := 0.0, 0.0
	// One specific answer in the thread lifts the cap on general ones, and
	// one on-topic answer the off-topic cap.
	general, digressed := len(evals) > 0, len(evals) > 0
	elaboration := 0.0
	for _, e := range evals {
		elaboration = math.Max(elaboration, e.Elaboration)
		general = general && e.General
		clarity = math.Max(clarity, e.Clarity)
		relevance = math.Max(relevance, e.Relevance)
		digressed = digressed && e.digressed()
	}
	return score(q, merged, mis, hinted, clarity, relevance, digressed && !general, general, elaboration, true)
}

// score computes the score; written is false when nothing is known of how
// the answer was written (Score), so its depth neither lifts nor caps it.
func score(q *questions.Question, verdicts []PointVerdict, misconceptions []FoundMisconception, hinted map[string]bool, clarity, relevance float64, elsewhere, general bool, elaboration float64, written bool) float64 {
	total := q.TotalWeight()
	if total <= 0 {
		return 0
	}
	byID := make(map[string]Verdict, len(verdicts))
	for _, v := range verdicts {
		byID[v.KeyPoint] = v.Verdict
	}
	// Earned and total weight per design stage; a question that is not a
	// whole design is one group.
	type share struct{ earned, total float64 }
	var groups []string
	byGroup := map[string]*share{}
	for _, kp := range q.KeyPoints {
		c := byID[kp.ID].credit()
		if hinted[kp.ID] {
			c = math.Min(c, hintedCredit)
		}
		g := byGroup[kp.Stage]
		if g == nil {
			g = &share{}
			byGroup[kp.Stage] = g
			groups = append(groups, kp.Stage)
		}
		g.earned += kp.Weight * c
		g.total += kp.Weight
	}
	var frac float64
	offCore := false
	if len(groups) == 1 {
		frac = byGroup[groups[0]].earned / total
	} else {
		// A whole design answered in one message is judged the way an
		// interviewer hears one end to end: stage by stage, each stage
		// counting alike and full once the answer makes stageShare of its
		// weight. Nobody says every point of every stage in one message, and
		// without this a strong design answer scored as a weak one.
		touched := 0
		for _, g := range groups {
			if s := byGroup[g]; s.total > 0 {
				frac += math.Min(1, s.earned/(s.total*stageShare)) / float64(len(groups))
				if s.earned > 0 {
					touched++
				}
			}
		}
		// An answer that makes no point of the design's substance, its
		// algorithm or data model and where that data lives, and touches at
		// most two other stages is about a neighbouring system (the
		// client's retries, the load balancer's redundancy, how API keys
		// are issued) that shares a few of this design's words. One that
		// touches no stage at all is vague, not about anything else.
		offCore = touched >= 1 && touched <= maxStagesOffCore
		for _, st := range substanceStages {
			if g := byGroup[st]; g == nil || g.earned > 0 {
				offCore = false
			}
		}
	}
	// Interviewers grade depth as well as coverage: the same points made
	// with their reasons, examples and consequences score higher than made
	// in a line each. In every labelled set, answers past 150 words were
	// graded a point or more above what their coverage alone gave.
	frac = math.Max(0, math.Min(1, frac*(1+elaborationGain*elaboration)))
	s := 10 * math.Pow(frac, scoreCurve)
	if written {
		s = math.Min(s, undevelopedMax+(10-undevelopedMax)*elaboration)
	}
	if n := len(misconceptions); n > 0 {
		s -= misconceptionPoints * float64(min(n, maxMisconceptions))
		return math.Round(math.Max(misconceptionFloor, s)*10) / 10
	}
	if clarity < 0.5 {
		s = math.Min(s, listCap)
	}
	if general {
		s = math.Min(s, relevanceFloor)
	}
	s = math.Max(s, relevanceFloor*math.Max(0, math.Min(1, relevance)))
	if written && !general && clarity >= 0.5 {
		s = math.Max(s, developedFloor*elaboration)
	}
	// The floor is for vague answers about the question; an answer about
	// something else does not earn it by sharing the question's words. A
	// general answer that names a stage in passing ("count the requests
	// and block past a limit, somewhere central") is the vague one.
	if elsewhere || (offCore && !general) {
		s = math.Min(s, offTopicCap)
	}
	return math.Round(s*10) / 10
}

// digressed reports an answer mostly in words the question never uses:
// above maxDigression, or above maxLongDigression for a long answer.
func (e Evaluation) digressed() bool {
	if e.Words >= longAnswerWords {
		return e.Digression > maxLongDigression
	}
	return e.Digression > maxDigression
}

// AboutSomethingElse reports whether the evaluation reads as an answer to
// a different question, which scores as off-topic. A general answer is
// exempt: a short hedged answer is vague, and its few words say little
// about what it is about.
func (e Evaluation) AboutSomethingElse() bool {
	return e.digressed() && !e.General
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
