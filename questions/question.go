// Package questions owns the question model, the YAML bank embedded in the
// binary, the loader and validator that read it (and teams' own packs), and
// the lookups the interview engine uses to pick questions.
package questions

import (
	"slices"
	"strings"
)

// Level is how senior the expected answer is.
type Level string

// The levels, from least to most senior.
const (
	Junior Level = "junior"
	Mid    Level = "mid"
	Senior Level = "senior"
)

// Levels lists every level in order.
var Levels = []Level{Junior, Mid, Senior}

// Dimension is what a key point tells about the candidate; the scorecard
// reports one score per dimension.
type Dimension string

// The dimensions a key point can measure.
const (
	Correctness   Dimension = "correctness"
	Depth         Dimension = "depth"
	Tradeoffs     Dimension = "tradeoffs"
	Scaling       Dimension = "scaling" // scaling and failure thinking
	Communication Dimension = "communication"
)

// Dimensions lists every dimension in scorecard order.
var Dimensions = []Dimension{Correctness, Depth, Tradeoffs, Scaling, Communication}

// Label is the dimension's name as people read it.
func (d Dimension) Label() string {
	switch d {
	case Tradeoffs:
		return "Trade-offs"
	case Scaling:
		return "Scaling & failure"
	}
	return strings.ToUpper(string(d[:1])) + string(d[1:])
}

// FollowUpKind names what a follow-up pushes on.
type FollowUpKind string

// The follow-up kinds an interviewer uses.
const (
	Scale    FollowUpKind = "scale"
	Failure  FollowUpKind = "failure"
	Race     FollowUpKind = "race"
	Tradeoff FollowUpKind = "tradeoff"
	Probe    FollowUpKind = "probe"
)

// FollowUpKinds lists every kind.
var FollowUpKinds = []FollowUpKind{Scale, Failure, Race, Tradeoff, Probe}

// Kind tells a plain question from a staged design interview.
type Kind string

// The kinds of bank entry.
const (
	KindQuestion Kind = "question"
	KindDesign   Kind = "design"
)

// DesignStages are the stages every design interview walks, in order.
var DesignStages = []struct{ ID, Title string }{
	{"scope", "Scope and requirements"},
	{"core", "Core algorithm and data model"},
	{"storage", "Storage"},
	{"placement", "Where it runs"},
	{"failure", "Failure behaviour"},
	{"limits", "Scaling limits"},
}

// Question is one bank entry. A design entry has Stages instead of a rubric
// of its own; each stage is a Question with Parent set, graded like any
// other, so a design interview is the run of its stages.
type Question struct {
	ID             string
	Kind           Kind
	Topic          string
	Level          Level
	Title          string
	SourceTitle    string
	Tags           []string
	Prompt         string
	KeyPoints      []KeyPoint
	Misconceptions []Misconception
	FollowUps      []FollowUp
	Outline        []string

	Stages []*Question // design entries only
	Parent *Question   // stage questions only
	Stage  string      // stage id, for stage questions

	// Where the entry was read from, for messages about it.
	File string
	Line int
}

// KeyPoint is one checkable claim a good answer makes.
type KeyPoint struct {
	ID          string
	Text        string
	Weight      float64
	Dimension   Dimension
	Phrases     []string // evidence for full credit
	Partial     []string // weaker evidence for partial credit
	NeedsReason bool     // full credit only with a stated reason
	Hint        string
	Line        int
	// Stage is the design stage the point belongs to when a whole design is
	// graded as one question (see Whole); "" otherwise.
	Stage string
}

// Misconception is a confident wrong claim and its correction.
type Misconception struct {
	ID         string
	Claim      string
	Phrases    []string
	Correction string
	Line       int
}

// FollowUp is an authored follow-up question.
type FollowUp struct {
	Kind   FollowUpKind
	Text   string
	Probes []string // key point ids
	Line   int
}

// Interview returns the questions an interview on this entry asks: the
// stages of a design, or the question itself.
func (q *Question) Interview() []*Question {
	if q.Kind == KindDesign {
		return q.Stages
	}
	return []*Question{q}
}

// KeyPoint returns the key point with the given id.
func (q *Question) KeyPoint(id string) (KeyPoint, bool) {
	i := slices.IndexFunc(q.KeyPoints, func(k KeyPoint) bool { return k.ID == id })
	if i < 0 {
		return KeyPoint{}, false
	}
	return q.KeyPoints[i], true
}

// Misconception returns the misconception with the given id.
func (q *Question) Misconception(id string) (Misconception, bool) {
	i := slices.IndexFunc(q.Misconceptions, func(m Misconception) bool { return m.ID == id })
	if i < 0 {
		return Misconception{}, false
	}
	return q.Misconceptions[i], true
}

// TotalWeight is the sum of the key points' weights.
func (q *Question) TotalWeight() float64 {
	var w float64
	for _, k := range q.KeyPoints {
		w += k.Weight
	}
	return w
}

// Whole returns a design entry as one question whose key points,
// misconceptions and follow-ups are those of all its stages (ids prefixed
// with the stage), for grading an answer that covers the whole design at
// once. Other questions are returned as they are.
func (q *Question) Whole() *Question {
	if q.Kind != KindDesign {
		return q
	}
	w := *q
	w.Kind = KindQuestion
	w.Stages = nil
	w.KeyPoints, w.Misconceptions, w.FollowUps = nil, nil, nil
	for _, st := range q.Stages {
		prefix := st.Stage + "/"
		for _, kp := range st.KeyPoints {
			kp.ID = prefix + kp.ID
			kp.Stage = st.Stage
			w.KeyPoints = append(w.KeyPoints, kp)
		}
		for _, m := range st.Misconceptions {
			m.ID = prefix + m.ID
			w.Misconceptions = append(w.Misconceptions, m)
		}
		for _, f := range st.FollowUps {
			probes := make([]string, len(f.Probes))
			for i, p := range f.Probes {
				probes[i] = prefix + p
			}
			f.Probes = probes
			w.FollowUps = append(w.FollowUps, f)
		}
	}
	return &w
}
