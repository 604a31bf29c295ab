package interview

import (
	"fmt"
	"math"
	"strings"

	"github.com/interviewbot/interviewbot/questions"
)

// Scorecard is the end-of-interview report.
type Scorecard struct {
	Overall    int // 0–100
	Summary    string
	Dimensions []DimensionScore
	Questions  []QuestionCard
	Graders    []string
	Answered   int
	Asked      int
	Duration   string
}

// DimensionScore is one dimension's 0–100 score; Rated is false when no
// answered question measured it.
type DimensionScore struct {
	Dimension questions.Dimension
	Score     int
	Rated     bool
}

// QuestionCard is the scorecard's section for one question.
type QuestionCard struct {
	ID             string
	Title          string
	Topic          string
	Level          questions.Level
	Score          float64 // 0–10
	Skipped        bool
	FollowUps      int
	Hints          int
	Covered        []CoveredPoint
	Missed         []string
	Misconceptions []MisconceptionNote
	Outline        []string
	PractiseNext   string
}

// CoveredPoint is a key point the answer made, with the words that showed it.
type CoveredPoint struct {
	Text    string
	Quote   string
	Partial bool
	Hinted  bool
}

// MisconceptionNote names a wrong claim and corrects it.
type MisconceptionNote struct {
	Claim      string
	Correction string
	Quote      string
}

// Scorecard builds the report for what the session reached: questions that
// were answered or skipped; a question never reached is left out.
func (e *Engine) Scorecard(st State) Scorecard {
	sc := Scorecard{Graders: st.Graders}
	if !st.EndedAt.IsZero() {
		sc.Duration = st.EndedAt.Sub(st.StartedAt).Round(1e9).String()
	}
	earned := map[questions.Dimension]float64{}
	possible := map[questions.Dimension]float64{}
	var clarity, coverage float64
	clarityN := 0
	total := 0.0
	for i, qs := range st.Questions {
		if !qs.Answered() && !qs.Skipped && !(qs.Done && i < st.Current) {
			continue
		}
		q, ok := e.Bank.Get(qs.QuestionID)
		if !ok {
			continue
		}
		sc.Asked++
		card := QuestionCard{ID: q.ID, Title: q.Title, Topic: q.Topic, Level: q.Level, Score: qs.Score,
			Skipped: !qs.Answered(), FollowUps: len(qs.AskedFollowUps), Hints: len(qs.Hinted), Outline: q.Outline}
		total += qs.Score
		if qs.Answered() {
			sc.Answered++
		}
		merged, mis := Merge(q, qs.Evaluations...)
		hinted := hintedSet(qs.Hinted)
		made := 0.0
		for _, v := range merged {
			kp, _ := q.KeyPoint(v.KeyPoint)
			credit := max(0, v.Verdict.credit())
			if hinted[kp.ID] {
				credit = math.Min(credit, hintedCredit)
			}
			earned[kp.Dimension] += kp.Weight * credit
			possible[kp.Dimension] += kp.Weight
			made += kp.Weight * credit
			switch v.Verdict {
			case Present, Partial:
				card.Covered = append(card.Covered, CoveredPoint{Text: kp.Text, Quote: v.Evidence, Partial: v.Verdict == Partial, Hinted: hinted[kp.ID]})
			default:
				card.Missed = append(card.Missed, kp.Text)
			}
		}
		for _, m := range mis {
			if def, ok := q.Misconception(m.ID); ok {
				card.Misconceptions = append(card.Misconceptions, MisconceptionNote{Claim: def.Claim, Correction: def.Correction, Quote: m.Evidence})
			}
		}
		for _, ev := range qs.Evaluations {
			clarity += ev.Clarity
			clarityN++
		}
		if w := q.TotalWeight(); w > 0 {
			coverage += made / w
		}
		card.PractiseNext = e.practiseNext(q, qs.Score, merged)
		sc.Questions = append(sc.Questions, card)
	}
	if sc.Asked > 0 {
		sc.Overall = int(math.Round(total / float64(sc.Asked) * 10))
		coverage /= float64(sc.Asked)
	}
	// Communication is rarely a key point of its own; it is read from how the
	// answers were put: explained prose over bare lists, scaled by how much of
	// substance they said, so a fluent empty answer does not rate well.
	var commFromStyle float64
	commRated := clarityN > 0
	if clarityN > 0 {
		commFromStyle = clarity / float64(clarityN) * (0.3 + 0.7*coverage)
	}
	for _, d := range questions.Dimensions {
		ds := DimensionScore{Dimension: d}
		switch {
		case d == questions.Communication && commRated:
			v := commFromStyle
			if possible[d] > 0 {
				v = (v + earned[d]/possible[d]) / 2
			}
			ds.Score, ds.Rated = int(math.Round(v*100)), true
		case possible[d] > 0 && d != questions.Communication:
			ds.Score, ds.Rated = int(math.Round(earned[d]/possible[d]*100)), true
		}
		sc.Dimensions = append(sc.Dimensions, ds)
	}
	sc.Summary = summarize(sc)
	return sc
}

// summarize writes the end-of-interview feedback from the structured record
// (dimension scores and missed key points), never from the transcript, so
// it says the same thing whichever grader produced the verdicts.
func summarize(sc Scorecard) string {
	if sc.Answered == 0 {
		return ""
	}
	var best, worst *DimensionScore
	for i := range sc.Dimensions {
		d := &sc.Dimensions[i]
		if !d.Rated || d.Dimension == questions.Communication {
			continue
		}
		if best == nil || d.Score > best.Score {
			best = d
		}
		if worst == nil || d.Score < worst.Score {
			worst = d
		}
	}
	var parts []string
	if best != nil && best.Score >= 50 {
		parts = append(parts, fmt.Sprintf("Strongest on %s (%d).", strings.ToLower(best.Dimension.Label()), best.Score))
	}
	if worst != nil && worst != best && worst.Score < 70 {
		parts = append(parts, fmt.Sprintf("Most room on %s (%d).", strings.ToLower(worst.Dimension.Label()), worst.Score))
	}
	for _, q := range sc.Questions {
		if len(q.Misconceptions) > 0 {
			parts = append(parts, "Fix first: "+strings.TrimSuffix(q.Misconceptions[0].Correction, ".")+".")
			break
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "A solid round; the follow-ups are where the next points are.")
	}
	return strings.Join(parts, " ")
}

// practiseNext names what to work on after this question: the same topic
// with the heaviest gap while the score is low, the next level once it is
// good.
func (e *Engine) practiseNext(q *questions.Question, score float64, merged []PointVerdict) string {
	if score >= 8 {
		if next := nextLevel(q.Level); next != "" && len(e.Bank.Filter(q.Topic, next)) > 0 {
			return fmt.Sprintf("%s at %s level: /mock %s %s", q.Topic, next, q.Topic, next)
		}
		return fmt.Sprintf("another topic; %s looks solid", q.Topic)
	}
	gaps := missing(q, merged)
	var worst *questions.KeyPoint
	for i := range q.KeyPoints {
		kp := &q.KeyPoints[i]
		if gaps[kp.ID] > 0 && (worst == nil || gaps[kp.ID] > gaps[worst.ID]) {
			worst = kp
		}
	}
	s := fmt.Sprintf("%s (/mock %s %s)", q.Topic, q.Topic, q.Level)
	if worst != nil {
		s += ", especially: " + strings.TrimSuffix(worst.Text, ".")
	}
	return s
}

func nextLevel(l questions.Level) questions.Level {
	switch l {
	case questions.Junior:
		return questions.Mid
	case questions.Mid:
		return questions.Senior
	}
	return ""
}
