package interview

import (
	"slices"

	"github.com/interviewbot/interviewbot/questions"
)

// missing maps each key point not fully made to how much of its weight is
// still open; a contradiction counts more than silence, since it most needs
// a probe.
func missing(q *questions.Question, verdicts []PointVerdict) map[string]float64 {
	out := map[string]float64{}
	for _, v := range verdicts {
		kp, _ := q.KeyPoint(v.KeyPoint)
		switch v.Verdict {
		case Absent, "":
			out[v.KeyPoint] = kp.Weight
		case Partial:
			out[v.KeyPoint] = kp.Weight * 0.6
		case Contradicted:
			out[v.KeyPoint] = kp.Weight * 1.5
		}
	}
	return out
}

// SuggestFollowUp picks the authored follow-up aimed at the heaviest missed
// key point, skipping those already asked. When nothing is missing it still
// pushes, on scale or failure, as a real interviewer does with a strong answer.
func SuggestFollowUp(q *questions.Question, verdicts []PointVerdict, asked []int) *SuggestedFollowUp {
	gaps := missing(q, verdicts)
	best, bestScore := -1, 0.0
	for i, fu := range q.FollowUps {
		if slices.Contains(asked, i) {
			continue
		}
		// The heaviest missed point decides; the total probed breaks ties,
		// so one follow-up can cover two gaps.
		top, sum := 0.0, 0.0
		for _, id := range fu.Probes {
			top = max(top, gaps[id])
			sum += gaps[id]
		}
		if score := top*10 + sum; score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		best = firstOfKind(q, asked, questions.Scale, questions.Failure)
	}
	if best < 0 {
		return nil
	}
	fu := q.FollowUps[best]
	return &SuggestedFollowUp{Kind: fu.Kind, Text: fu.Text, Index: best, Probes: fu.Probes}
}

func firstOfKind(q *questions.Question, asked []int, kinds ...questions.FollowUpKind) int {
	for _, kind := range kinds {
		for i, fu := range q.FollowUps {
			if fu.Kind == kind && !slices.Contains(asked, i) {
				return i
			}
		}
	}
	return -1
}

// probesGap reports whether a follow-up tests a key point still missing.
func probesGap(q *questions.Question, verdicts []PointVerdict, fu *SuggestedFollowUp) bool {
	gaps := missing(q, verdicts)
	return slices.ContainsFunc(fu.Probes, func(id string) bool { return gaps[id] > 0 })
}
