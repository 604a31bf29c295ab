package interview_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/interview"
)

// Random interviews through the engine: after every step, the start state
// with the turns so far applied (each through JSON, as the store keeps it)
// must be the live state. This is what a restart relies on.
func TestTurnsRebuildTheLiveState(t *testing.T) {
	inputs := []string{
		"present:a,b,c", "present:a partial:b", "partial:c", "wrong:m1", "present:b wrong:m1",
		"nothing useful", "pass please", "hint", "hint", "skip", "repeat", "", "end",
	}
	e, qs := newEngine(scripted{})
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 7))
		start, step := e.Start(qs[:1+rng.IntN(len(qs))], "alpha", "")
		// The stored start state is a copy: the engine changes the live
		// one in place.
		live, start := start, roundTrip(t, start)
		var turns []interview.Turn
		record := func(step interview.Step) {
			if step.Turn == nil {
				return
			}
			b, err := json.Marshal(step.Turn)
			if err != nil {
				t.Fatal(err)
			}
			var stored interview.Turn
			if err := json.Unmarshal(b, &stored); err != nil {
				t.Fatal(err)
			}
			turns = append(turns, stored)
		}
		record(step)
		for n := 0; live.Phase != interview.PhaseDone && n < 30; n++ {
			in := inputs[rng.IntN(len(inputs))]
			step := handle(t, e, &live, in)
			record(step)

			rebuilt := roundTrip(t, start)
			var done []int
			for i, turn := range turns {
				got, err := rebuilt.Apply(turn)
				if err != nil {
					t.Fatalf("seed %d: turn %d (%s) does not apply: %v", seed, i, turn.Kind, err)
				}
				if i == len(turns)-1 {
					done = got
				}
			}
			if !reflect.DeepEqual(rebuilt, live) {
				t.Fatalf("seed %d after %q: rebuilt state differs\n got %+v\nwant %+v", seed, in, rebuilt, live)
			}
			if step.Turn != nil && len(done) != len(step.Completed) {
				t.Errorf("seed %d after %q: the turn finished %d questions, the step reports %d", seed, in, len(done), len(step.Completed))
			}
		}
	}
}

func roundTrip(t *testing.T, st interview.State) interview.State {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var out interview.State
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// A turn that does not fit the state is refused and changes nothing, so a
// damaged record is reported instead of running on a wrong state.
func TestApplyRefusesTurnsThatDoNotFit(t *testing.T) {
	e, qs := newEngine(scripted{})
	st, _ := e.Start(qs[:2], "alpha", "")
	ev := interview.Evaluation{QuestionID: "t-one", Grader: "scripted/1"}
	for name, turn := range map[string]interview.Turn{
		"other question": {Kind: interview.TurnAnswer, QuestionID: "t-two", Evaluation: &ev},
		"no evaluation":  {Kind: interview.TurnAnswer, QuestionID: "t-one"},
		"unknown kind":   {Kind: "shrug", QuestionID: "t-one"},
		"hint on other":  {Kind: interview.TurnHint, QuestionID: "t-three", Prompt: "a"},
	} {
		before := roundTrip(t, st)
		if _, err := st.Apply(turn); err == nil {
			t.Errorf("%s: applied", name)
		}
		if !reflect.DeepEqual(st, before) {
			t.Errorf("%s: a refused turn changed the state", name)
		}
	}
	if _, err := st.Apply(interview.Turn{Kind: interview.TurnEnd}); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []interview.TurnKind{interview.TurnEnd, interview.TurnSkip} {
		if _, err := st.Apply(interview.Turn{Kind: kind, QuestionID: "t-one"}); err == nil || !strings.Contains(err.Error(), "ended") {
			t.Errorf("%s after the end: %v", kind, err)
		}
	}
}
