package interview

import (
	"fmt"
	"slices"
	"time"
)

// Apply changes the state by what one turn records and returns the indexes
// of the questions the turn finished. The engine applies every turn it
// makes, and a restart applies the stored turns to the stored start state,
// so the state a restart rebuilds is the one the live session had.
//
// A turn that does not fit the state (an answer to a question the session
// is not on, say, from a damaged record) is refused with an error and leaves
// the state as it was.
func (st *State) Apply(t Turn) ([]int, error) {
	if err := st.fits(t); err != nil {
		return nil, err
	}
	switch t.Kind {
	case TurnStart:
		return nil, nil
	case TurnAnswer:
		qs := &st.Questions[st.Current]
		qs.Evaluations = append(qs.Evaluations, *t.Evaluation)
		qs.Score = t.Score
		if g := t.Evaluation.Grader; g != "" && !slices.Contains(st.Graders, g) {
			st.Graders = append(st.Graders, g)
		}
		if t.FollowUp != nil {
			qs.AskedFollowUps = append(qs.AskedFollowUps, t.FollowUp.Index)
			st.Phase, st.FollowUp = PhaseFollowUp, t.FollowUp
			return nil, nil
		}
		return st.advance(t.At), nil
	case TurnHint:
		qs := &st.Questions[st.Current]
		qs.Hinted = append(qs.Hinted, t.Prompt)
		qs.Score = t.Score
		return nil, nil
	case TurnSkip:
		qs := &st.Questions[st.Current]
		if !qs.Answered() {
			qs.Skipped = true
		}
		return st.advance(t.At), nil
	case TurnEnd:
		// Ending early counts the current question only if it was answered.
		var done []int
		if st.Current < len(st.Questions) {
			if qs := &st.Questions[st.Current]; !qs.Done && qs.Answered() {
				qs.Done = true
				done = append(done, st.Current)
			}
		}
		st.end(t.At)
		return done, nil
	}
	return nil, fmt.Errorf("unknown turn kind %q", t.Kind)
}

// fits checks that a turn can follow the state.
func (st *State) fits(t Turn) error {
	switch t.Kind {
	case TurnStart:
		return nil
	case TurnEnd:
		if st.Phase == PhaseDone {
			return fmt.Errorf("end turn after the interview ended")
		}
		return nil
	case TurnAnswer, TurnHint, TurnSkip:
	default:
		return fmt.Errorf("unknown turn kind %q", t.Kind)
	}
	if st.Phase == PhaseDone {
		return fmt.Errorf("%s turn after the interview ended", t.Kind)
	}
	if st.Current < 0 || st.Current >= len(st.Questions) {
		return fmt.Errorf("%s turn with no current question (%d of %d)", t.Kind, st.Current, len(st.Questions))
	}
	if id := st.Questions[st.Current].QuestionID; t.QuestionID != id {
		return fmt.Errorf("%s turn for question %q while the interview is on %q", t.Kind, t.QuestionID, id)
	}
	if t.Kind == TurnAnswer && t.Evaluation == nil {
		return fmt.Errorf("answer turn without its evaluation")
	}
	return nil
}

// advance finishes the current question and moves to the next, or ends the
// interview after the last. It returns the finished question's index.
func (st *State) advance(at time.Time) []int {
	done := st.Current
	st.Questions[done].Done = true
	st.FollowUp = nil
	if st.Current+1 >= len(st.Questions) {
		st.end(at)
	} else {
		st.Current++
		st.Phase = PhaseQuestion
	}
	return []int{done}
}

func (st *State) end(at time.Time) {
	st.Phase = PhaseDone
	st.FollowUp = nil
	st.EndedAt = at
}
