package interview_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/questions"
)

// scripted is an evaluator whose verdicts are named in the answer:
// "present:a,b partial:c wrong:m1" — so the tests state exactly what was
// found and check only the engine's rules.
type scripted struct{ err error }

func (s scripted) Name() string { return "scripted/1" }

func (s scripted) Evaluate(_ context.Context, req interview.Request) (interview.Evaluation, error) {
	if s.err != nil {
		return interview.Evaluation{}, s.err
	}
	// Scripted answers are fully developed, so depth never caps them.
	ev := interview.Evaluation{QuestionID: req.Question.ID, Grader: s.Name(), Clarity: 1, Elaboration: 1}
	found := map[string]interview.Verdict{}
	for _, field := range strings.Fields(req.Answer) {
		kind, ids, ok := strings.Cut(field, ":")
		if !ok {
			continue
		}
		for _, id := range strings.Split(ids, ",") {
			switch kind {
			case "present":
				found[id] = interview.Present
			case "partial":
				found[id] = interview.Partial
			case "wrong":
				ev.Misconceptions = append(ev.Misconceptions, interview.FoundMisconception{ID: id, Evidence: field})
			}
		}
	}
	if req.Answer == "pass please" {
		ev.Flag = interview.FlagSkip
		ev.Feedback = "moving on"
	}
	for _, kp := range req.Question.KeyPoints {
		v := found[kp.ID]
		if v == "" {
			v = interview.Absent
		}
		ev.Verdicts = append(ev.Verdicts, interview.PointVerdict{KeyPoint: kp.ID, Verdict: v, Evidence: "quote " + kp.ID})
	}
	ev.FollowUp = interview.SuggestFollowUp(req.Question, ev.Verdicts, req.AskedFollowUps)
	return ev, nil
}

func testQuestion(id, topic string) *questions.Question {
	return &questions.Question{
		ID: id, Topic: topic, Level: questions.Mid, Title: "Title " + id, Prompt: "Prompt " + id,
		KeyPoints: []questions.KeyPoint{
			{ID: "a", Text: "Point A.", Weight: 3, Dimension: questions.Correctness, Hint: "Think about A."},
			{ID: "b", Text: "Point B.", Weight: 2, Dimension: questions.Tradeoffs},
			{ID: "c", Text: "Point C.", Weight: 1, Dimension: questions.Scaling},
		},
		Misconceptions: []questions.Misconception{{ID: "m1", Claim: "Wrong.", Correction: "Right."}},
		FollowUps: []questions.FollowUp{
			{Kind: questions.Probe, Text: "Probe A?", Probes: []string{"a"}},
			{Kind: questions.Tradeoff, Text: "Why B?", Probes: []string{"b"}},
			{Kind: questions.Scale, Text: "Scale C?", Probes: []string{"c"}},
			{Kind: questions.Failure, Text: "Fail C?", Probes: []string{"c"}},
		},
		Outline: []string{"A", "B", "C"},
	}
}

func newEngine(ev interview.Evaluator) (*interview.Engine, []*questions.Question) {
	qs := []*questions.Question{testQuestion("t-one", "alpha"), testQuestion("t-two", "alpha"), testQuestion("t-three", "beta")}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	return interview.NewEngine(questions.NewBank(qs), ev, func() time.Time { return now }), qs
}

func handle(t *testing.T, e *interview.Engine, st *interview.State, in string) interview.Step {
	t.Helper()
	step, err := e.Handle(context.Background(), st, in)
	if err != nil {
		t.Fatalf("Handle(%q): %v", in, err)
	}
	return step
}

func kinds(rs []interview.Reply) []interview.ReplyKind {
	var out []interview.ReplyKind
	for _, r := range rs {
		out = append(out, r.Kind)
	}
	return out
}

func last(rs []interview.Reply) interview.Reply { return rs[len(rs)-1] }

func TestStartAsksFirstQuestion(t *testing.T) {
	e, qs := newEngine(scripted{})
	st, step := e.Start(qs, "alpha", "mid")
	if step.Turn == nil || step.Turn.Kind != interview.TurnStart {
		t.Fatalf("start turn = %+v", step.Turn)
	}
	if got := kinds(step.Replies); len(got) != 2 || got[0] != interview.ReplyIntro || got[1] != interview.ReplyQuestion {
		t.Fatalf("replies = %v", got)
	}
	if r := last(step.Replies); r.Text != "Prompt t-one" || r.Number != 1 || r.Total != 3 {
		t.Errorf("question reply = %+v", r)
	}
	if st.Phase != interview.PhaseQuestion || st.Current != 0 || len(st.Questions) != 3 {
		t.Errorf("state = %+v", st)
	}
}

func TestStrongAnswerStillGetsScaleOrFailureFollowUp(t *testing.T) {
	e, qs := newEngine(scripted{})
	st, _ := e.Start(qs, "", "")
	step := handle(t, e, &st, "present:a,b,c")
	r := last(step.Replies)
	if r.Kind != interview.ReplyFollowUp || r.FollowUpKind != questions.Scale {
		t.Fatalf("after a complete answer got %+v, want a scale follow-up", r)
	}
	if step.Turn == nil || step.Turn.Kind != interview.TurnAnswer || step.Turn.Score != 10 {
		t.Errorf("turn = %+v", step.Turn)
	}
	// Its answer leaves the score high: no second follow-up, next question.
	step = handle(t, e, &st, "present:c")
	if r := last(step.Replies); r.Kind != interview.ReplyQuestion || r.Number != 2 {
		t.Fatalf("after follow-up got %+v, want question 2", r)
	}
	if len(step.Completed) != 1 || step.Completed[0].Points != 15 || step.Completed[0].Topic != "alpha" || step.Completed[0].Level != "mid" {
		t.Errorf("completed = %+v", step.Completed)
	}
}

func TestWeakAnswerGetsTwoFollowUpsAtMost(t *testing.T) {
	e, qs := newEngine(scripted{})
	st, _ := e.Start(qs, "", "")
	step := handle(t, e, &st, "nothing useful")
	if r := last(step.Replies); r.Kind != interview.ReplyFollowUp || r.Text != "Probe A?" {
		t.Fatalf("first follow-up = %+v, want the one probing the heaviest gap (a)", r)
	}
	step = handle(t, e, &st, "still nothing")
	if r := last(step.Replies); r.Kind != interview.ReplyFollowUp || r.Text != "Why B?" {
		t.Fatalf("second follow-up = %+v, want the next heaviest gap (b)", r)
	}
	step = handle(t, e, &st, "nope")
	if r := last(step.Replies); r.Kind != interview.ReplyQuestion || r.Number != 2 {
		t.Fatalf("after two follow-ups got %+v, want question 2", r)
	}
}

func TestFollowUpAnswersCountTowardTheQuestion(t *testing.T) {
	e, qs := newEngine(scripted{})
	st, _ := e.Start(qs, "", "")
	handle(t, e, &st, "present:b,c")
	step := handle(t, e, &st, "present:a")
	if got := st.Questions[0].Score; got != 10 {
		t.Errorf("merged score = %v, want 10 (a from the follow-up, b and c from the answer)", got)
	}
	if len(step.Completed) != 1 || step.Completed[0].Score != 10 {
		t.Errorf("completed = %+v", step.Completed)
	}
}

func TestHintCapsTheHintedPoint(t *testing.T) {
	e, qs := newEngine(scripted{})
	st, _ := e.Start(qs, "", "")
	step := handle(t, e, &st, "hint")
	if r := last(step.Replies); r.Kind != interview.ReplyHint || !strings.Contains(r.Text, "Think about A.") {
		t.Fatalf("hint = %+v, want the heaviest missed point's hint", r)
	}
	if step.Turn == nil || step.Turn.Kind != interview.TurnHint {
		t.Errorf("hint not recorded: %+v", step.Turn)
	}
	handle(t, e, &st, "present:a,b,c")
	// a (weight 3 of 6) is capped at 0.4: (1.2 + 2 + 1) / 6 = 0.7, times
	// 1.3 for a fully developed answer, and 10 × 0.91^0.6 = 9.4.
	if got := st.Questions[0].Score; got != 9.4 {
		t.Errorf("score after hint = %v, want 9.4", got)
	}
}

func TestSkipRepeatAndEnd(t *testing.T) {
	e, qs := newEngine(scripted{})
	st, _ := e.Start(qs, "", "")
	step := handle(t, e, &st, "repeat")
	if step.Turn != nil || last(step.Replies).Text != "Prompt t-one" {
		t.Errorf("repeat = %+v", step)
	}
	step = handle(t, e, &st, "skip")
	if step.Turn == nil || step.Turn.Kind != interview.TurnSkip || last(step.Replies).Number != 2 {
		t.Fatalf("skip = %+v", step)
	}
	if len(step.Completed) != 1 || step.Completed[0].Answered {
		t.Errorf("skipped question result = %+v", step.Completed)
	}
	handle(t, e, &st, "present:a")
	step = handle(t, e, &st, "END")
	if !step.Finished || st.Phase != interview.PhaseDone {
		t.Fatalf("end did not finish: %+v", step)
	}
	sc := last(step.Replies).Scorecard
	if sc == nil {
		t.Fatal("no scorecard")
	}
	// a is half the weight: 10 × (0.5 × 1.3)^0.6 = 7.7 for a developed answer.
	if sc.Asked != 2 || sc.Answered != 1 || !sc.Questions[0].Skipped || sc.Questions[1].Score != 7.7 {
		t.Errorf("scorecard = %+v", sc)
	}
	if sc.Overall != 39 {
		t.Errorf("overall = %d, want 39 (0 and 7.7 of 10)", sc.Overall)
	}
	if _, err := e.Handle(context.Background(), &st, "more"); !errors.Is(err, interview.ErrSessionDone) {
		t.Errorf("input after end: %v", err)
	}
}

func TestSkipRequestAnswerMovesOn(t *testing.T) {
	e, qs := newEngine(scripted{})
	st, _ := e.Start(qs, "", "")
	step := handle(t, e, &st, "pass please")
	if st.Current != 1 || step.Turn.Kind != interview.TurnSkip {
		t.Fatalf("skip request did not move on: current=%d turn=%+v", st.Current, step.Turn)
	}
	if step.Replies[0].Kind != interview.ReplyNotice || step.Replies[0].Text != "moving on" {
		t.Errorf("no kind message: %+v", step.Replies)
	}
}

func TestEmptyAnswerChangesNothing(t *testing.T) {
	e, qs := newEngine(scripted{})
	st, _ := e.Start(qs, "", "")
	step := handle(t, e, &st, " \x00 \t")
	if step.Turn != nil || st.Questions[0].Answered() {
		t.Errorf("empty answer recorded: %+v", step)
	}
}

func TestEvaluatorErrorLeavesStateUntouched(t *testing.T) {
	e, qs := newEngine(scripted{err: errors.New("model timed out")})
	st, _ := e.Start(qs, "", "")
	if _, err := e.Handle(context.Background(), &st, "present:a"); err == nil {
		t.Fatal("want an error")
	}
	if st.Questions[0].Answered() || st.Phase != interview.PhaseQuestion {
		t.Errorf("state changed on failure: %+v", st)
	}
}

func TestLastQuestionFinishes(t *testing.T) {
	e, qs := newEngine(scripted{})
	st, _ := e.Start(qs[:1], "", "")
	handle(t, e, &st, "present:a,b,c")
	step := handle(t, e, &st, "present:a,b,c")
	if !step.Finished || len(step.Completed) != 1 {
		t.Fatalf("one-question interview did not finish: %+v", step)
	}
	sc := last(step.Replies).Scorecard
	if sc.Overall != 100 {
		t.Errorf("overall = %d", sc.Overall)
	}
	for _, d := range sc.Dimensions {
		if d.Dimension != questions.Depth && (!d.Rated || d.Score != 100) {
			t.Errorf("dimension %s = %+v", d.Dimension, d)
		}
		if d.Dimension == questions.Depth && d.Rated {
			t.Errorf("depth rated with no depth key points")
		}
	}
}

func TestScore(t *testing.T) {
	q := testQuestion("s", "x")
	v := func(a, b, c interview.Verdict) []interview.PointVerdict {
		return []interview.PointVerdict{{KeyPoint: "a", Verdict: a}, {KeyPoint: "b", Verdict: b}, {KeyPoint: "c", Verdict: c}}
	}
	P, H, A, X := interview.Present, interview.Partial, interview.Absent, interview.Contradicted
	mis := []interview.FoundMisconception{{ID: "m1"}}
	cases := []struct {
		name   string
		v      []interview.PointVerdict
		mis    []interview.FoundMisconception
		hinted map[string]bool
		want   float64
	}{
		{"all present", v(P, P, P), nil, nil, 10},
		{"nothing", v(A, A, A), nil, nil, 0},
		// Half the weight is a solid answer: 10 × 0.5^0.6.
		{"weights", v(P, A, A), nil, nil, 6.6},
		{"partial", v(H, H, H), nil, nil, 5.8},
		// (3 − 0.5×2) / 6 of the weight.
		{"contradiction costs", v(P, X, A), nil, nil, 5.2},
		{"misconception costs 3.5 points", v(P, P, P), mis, nil, 6.5},
		{"two misconceptions cost 7", v(P, P, P), append(mis, interview.FoundMisconception{ID: "m2"}), nil, 3},
		// A wrong answer still engages with the question.
		{"never below the misconception floor", v(X, X, X), mis, nil, 0.3},
		// a (weight 3 of 6) is capped at 0.4: 10 × 0.7^0.6.
		{"hint caps", v(P, P, P), nil, map[string]bool{"a": true}, 8.1},
	}
	for _, c := range cases {
		if got := interview.Score(q, c.v, c.mis, c.hinted); got != c.want {
			t.Errorf("%s: Score = %v, want %v", c.name, got, c.want)
		}
	}
}

// An answer to a whole design is scored stage by stage: the core of every
// stage is a full answer, and breadth beats saying everything about one
// stage.
func TestWholeDesignIsScoredStageByStage(t *testing.T) {
	one, two := testQuestion("d/one", "design"), testQuestion("d/two", "design")
	one.Stage, two.Stage = "one", "two"
	design := &questions.Question{ID: "d", Topic: "design", Kind: questions.KindDesign, Stages: []*questions.Question{one, two}}
	whole := design.Whole()
	v := func(verdicts map[string]interview.Verdict) []interview.PointVerdict {
		var out []interview.PointVerdict
		for _, kp := range whole.KeyPoints {
			vd := verdicts[kp.ID]
			if vd == "" {
				vd = interview.Absent
			}
			out = append(out, interview.PointVerdict{KeyPoint: kp.ID, Verdict: vd})
		}
		return out
	}
	P := interview.Present
	cases := []struct {
		name string
		v    map[string]interview.Verdict
		want float64
	}{
		// Half of each stage's weight (a, weight 3 of 6) is the whole stage.
		{"core of every stage", map[string]interview.Verdict{"one/a": P, "two/a": P}, 10},
		// One stage in full, the other untouched: 10 × 0.5^0.6.
		{"one stage only", map[string]interview.Verdict{"one/a": P, "one/b": P, "one/c": P}, 6.6},
		// b (2 of 6) in each stage is 2/3 of what the stage needs: 10 × (2/3)^0.6.
		{"less than the core", map[string]interview.Verdict{"one/b": P, "two/b": P}, 7.8},
		{"nothing", nil, 0},
	}
	for _, c := range cases {
		if got := interview.Score(whole, v(c.v), nil, nil); got != c.want {
			t.Errorf("%s: Score = %v, want %v", c.name, got, c.want)
		}
	}
	// A design stage asked on its own is an ordinary question.
	if got := interview.Score(one, []interview.PointVerdict{{KeyPoint: "a", Verdict: P}}, nil, nil); got != 6.6 {
		t.Errorf("stage alone: Score = %v, want 6.6", got)
	}
}

// An answer mostly about something else scores 0 whatever its words
// touched, and the floor for vague but relevant answers does not lift it,
// unless another answer to the question was on topic or it is a short
// general one.
func TestDigressionCapsTheScore(t *testing.T) {
	q := testQuestion("s", "x")
	touched := interview.Evaluation{Clarity: 1, Verdicts: []interview.PointVerdict{{KeyPoint: "a", Verdict: interview.Present}}}
	elsewhere := touched
	elsewhere.Digression = 0.8
	if got := interview.ScoreEvaluations(q, nil, touched); got != 6.6 {
		t.Errorf("on topic: %v, want 6.6", got)
	}
	if got := interview.ScoreEvaluations(q, nil, elsewhere); got != 0 || !elsewhere.AboutSomethingElse() {
		t.Errorf("mostly about something else: %v, want 0", got)
	}
	elsewhere.Relevance = 1
	if got := interview.ScoreEvaluations(q, nil, elsewhere); got != 0 {
		t.Errorf("mostly about something else, in the question's words: %v, want 0", got)
	}
	general := elsewhere
	general.General = true
	if got := interview.ScoreEvaluations(q, nil, general); got != 2 || general.AboutSomethingElse() {
		t.Errorf("a general answer in few words of the question's: %v, want the vague floor 2", got)
	}
	if got := interview.ScoreEvaluations(q, nil, elsewhere, touched); got != 6.6 {
		t.Errorf("with an on-topic follow-up answer: %v, want 6.6", got)
	}
}

// A long answer needs a smaller share of foreign words to read as about
// something else than a short one, whose few words may all be generic.
func TestLongAnswersDigressSooner(t *testing.T) {
	q := testQuestion("s", "x")
	short := interview.Evaluation{Clarity: 1, Verdicts: []interview.PointVerdict{{KeyPoint: "a", Verdict: interview.Present}}, Digression: 0.62, Words: 40}
	long := short
	long.Words = 120
	if got := interview.ScoreEvaluations(q, nil, short); got != 6.6 || short.AboutSomethingElse() {
		t.Errorf("short answer, 62%% foreign words: %v, want 6.6 and on topic", got)
	}
	if got := interview.ScoreEvaluations(q, nil, long); got != 0 || !long.AboutSomethingElse() {
		t.Errorf("long answer, 62%% foreign words: %v, want 0 and about something else", got)
	}
	if got := interview.ScoreEvaluations(q, nil, long, short); got != 6.6 {
		t.Errorf("a long digression with a short on-topic follow-up: %v, want 6.6", got)
	}
}

func TestScoreEvaluationsReadsHowTheAnswerWasWritten(t *testing.T) {
	q := testQuestion("s", "x")
	ev := func(a interview.Verdict, clarity, relevance float64, mis ...interview.FoundMisconception) interview.Evaluation {
		return interview.Evaluation{Verdicts: []interview.PointVerdict{{KeyPoint: "a", Verdict: a}}, Misconceptions: mis, Clarity: clarity, Relevance: relevance}
	}
	P, A := interview.Present, interview.Absent
	cases := []struct {
		name  string
		evals []interview.Evaluation
		want  float64
	}{
		{"prose keeps its score", []interview.Evaluation{ev(P, 0.9, 0)}, 6.6},
		{"a bare list is capped", []interview.Evaluation{ev(P, 0.2, 0)}, 2.5},
		{"a list then an explanation is not", []interview.Evaluation{ev(P, 0.2, 0), ev(A, 0.9, 0)}, 6.6},
		{"on-topic but no point earns the floor", []interview.Evaluation{ev(A, 1, 0.5)}, 1},
		{"a full floor is 2", []interview.Evaluation{ev(A, 1, 1)}, 2},
		{"only the misconception floor with a misconception", []interview.Evaluation{ev(A, 1, 1, interview.FoundMisconception{ID: "m1"})}, 0.3},
		{"the floor never lowers a score", []interview.Evaluation{ev(P, 1, 1)}, 6.6},
	}
	for _, c := range cases {
		if got := interview.ScoreEvaluations(q, nil, c.evals...); got != c.want {
			t.Errorf("%s: ScoreEvaluations = %v, want %v", c.name, got, c.want)
		}
	}
}

// A general answer earns no more than the vague floor, unless another answer
// in the thread was specific; elaboration multiplies what the points earned.
func TestGeneralAndElaboratedAnswers(t *testing.T) {
	q := testQuestion("s", "x")
	ev := func(a interview.Verdict, general bool, elaboration float64) interview.Evaluation {
		return interview.Evaluation{Verdicts: []interview.PointVerdict{{KeyPoint: "a", Verdict: a}}, Clarity: 1, Relevance: 1, General: general, Elaboration: elaboration}
	}
	P, A := interview.Present, interview.Absent
	cases := []struct {
		name  string
		evals []interview.Evaluation
		want  float64
	}{
		{"a general answer is capped at the floor", []interview.Evaluation{ev(P, true, 0)}, 2},
		{"a specific follow-up lifts the cap", []interview.Evaluation{ev(P, true, 0), ev(A, false, 0)}, 6.6},
		// Half the weight, times 1.3, is 0.65 of it: 10 × 0.65^0.6.
		{"full elaboration multiplies the share", []interview.Evaluation{ev(P, false, 1)}, 7.7},
		{"half elaboration", []interview.Evaluation{ev(P, false, 0.5)}, 7.2},
		// The gain multiplies nothing; the floor for a developed answer
		// (TestDevelopedAnswerHasAFloor) is what lifts it.
		{"elaboration of nothing is only the developed floor", []interview.Evaluation{ev(A, false, 1)}, 6},
		{"a little elaboration of nothing keeps the vague floor", []interview.Evaluation{ev(A, false, 0.2)}, 2},
	}
	for _, c := range cases {
		if got := interview.ScoreEvaluations(q, nil, c.evals...); got != c.want {
			t.Errorf("%s: ScoreEvaluations = %v, want %v", c.name, got, c.want)
		}
	}
	all := []interview.PointVerdict{{KeyPoint: "a", Verdict: P}, {KeyPoint: "b", Verdict: P}, {KeyPoint: "c", Verdict: P}}
	if got := interview.ScoreEvaluations(q, nil, interview.Evaluation{Verdicts: all, Clarity: 1, Elaboration: 1}); got != 10 {
		t.Errorf("a complete elaborated answer scored %v, want 10 and no more", got)
	}
}

// Every point made in a line each is a solid answer, 7.5; the rest of the
// scale is for developing them, and Score, which knows nothing of how the
// answer was written, is neither lifted nor capped.
func TestUndevelopedAnswerTopsOutBelowTheScale(t *testing.T) {
	q := testQuestion("s", "x")
	P := interview.Present
	all := []interview.PointVerdict{{KeyPoint: "a", Verdict: P}, {KeyPoint: "b", Verdict: P}, {KeyPoint: "c", Verdict: P}}
	for _, c := range []struct {
		elaboration, want float64
	}{{0, 7.5}, {0.4, 8.5}, {1, 10}} {
		if got := interview.ScoreEvaluations(q, nil, interview.Evaluation{Verdicts: all, Clarity: 1, Elaboration: c.elaboration}); got != c.want {
			t.Errorf("every point made, elaboration %v: %v, want %v", c.elaboration, got, c.want)
		}
	}
	if got := interview.Score(q, all, nil, nil); got != 10 {
		t.Errorf("Score of every point made: %v, want 10", got)
	}
}

// A fully developed explanation that states no known misconception is at
// least a fair answer, even when its plain words make no listed point; a
// list, a general answer or a stated misconception gets no such floor.
func TestDevelopedAnswerHasAFloor(t *testing.T) {
	q := testQuestion("s", "x")
	A := interview.Absent
	ev := func(clarity, elaboration float64, general bool, mis ...interview.FoundMisconception) interview.Evaluation {
		return interview.Evaluation{Verdicts: []interview.PointVerdict{{KeyPoint: "a", Verdict: A}}, Clarity: clarity, Elaboration: elaboration, General: general, Misconceptions: mis}
	}
	for _, c := range []struct {
		name string
		ev   interview.Evaluation
		want float64
	}{
		{"fully developed", ev(1, 1, false), 6},
		{"half developed", ev(1, 0.5, false), 3},
		{"not developed", ev(1, 0, false), 0},
		{"a list", ev(0.3, 1, false), 0},
		{"general", ev(1, 1, true), 0},
		{"states a misconception", ev(1, 1, false, interview.FoundMisconception{ID: "m1"}), 0.3},
	} {
		if got := interview.ScoreEvaluations(q, nil, c.ev); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestMergeKeepsBestVerdict(t *testing.T) {
	q := testQuestion("m", "x")
	e1 := interview.Evaluation{Verdicts: []interview.PointVerdict{{KeyPoint: "a", Verdict: interview.Contradicted}, {KeyPoint: "b", Verdict: interview.Present, Evidence: "first"}}}
	e2 := interview.Evaluation{Verdicts: []interview.PointVerdict{{KeyPoint: "a", Verdict: interview.Partial}, {KeyPoint: "b", Verdict: interview.Absent}},
		Misconceptions: []interview.FoundMisconception{{ID: "m1"}}}
	got, mis := interview.Merge(q, e1, e2)
	if got[0].Verdict != interview.Partial || got[1].Verdict != interview.Present || got[1].Evidence != "first" || got[2].Verdict != interview.Absent {
		t.Errorf("merged = %+v", got)
	}
	if len(mis) != 1 {
		t.Errorf("misconceptions = %+v", mis)
	}
}

func TestControlWord(t *testing.T) {
	cases := map[string]string{"hint": "hint", " Skip ": "skip", "/end": "end", "REPEAT.": "repeat", "stop": "end",
		"hint: use a cache": "", "the end of the list": "", "": ""}
	for in, want := range cases {
		if got := interview.ControlWord(in); got != want {
			t.Errorf("ControlWord(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScorecardSummaryComesFromTheRecord(t *testing.T) {
	e, qs := newEngine(scripted{})
	st, _ := e.Start(qs[:1], "", "")
	handle(t, e, &st, "present:a wrong:m1")
	step := handle(t, e, &st, "end")
	sc := last(step.Replies).Scorecard
	for _, want := range []string{"Strongest on correctness (100).", "Most room on trade-offs (0).", "Fix first: Right."} {
		if !strings.Contains(sc.Summary, want) {
			t.Errorf("summary %q lacks %q", sc.Summary, want)
		}
	}
}

func TestPointsWeighLevel(t *testing.T) {
	cases := []struct {
		score float64
		level questions.Level
		want  int
	}{{10, questions.Junior, 10}, {10, questions.Mid, 15}, {10, questions.Senior, 20}, {6.3, questions.Senior, 13}, {0, questions.Senior, 0}}
	for _, c := range cases {
		if got := interview.Points(c.score, c.level); got != c.want {
			t.Errorf("Points(%v, %s) = %d, want %d", c.score, c.level, got, c.want)
		}
	}
}

// A whole-design answer that says nothing of what the system is (its core
// or its storage) and touches at most two other stages answers a
// neighbouring question, and is capped like one.
func TestWholeDesignWithoutItsSubstanceIsCapped(t *testing.T) {
	var stages []*questions.Question
	for _, id := range []string{"scope", "core", "storage", "failure", "limits"} {
		st := testQuestion("d/"+id, "design")
		st.Stage = id
		stages = append(stages, st)
	}
	whole := (&questions.Question{ID: "d", Topic: "design", Kind: questions.KindDesign, Stages: stages}).Whole()
	present := func(ids ...string) []interview.PointVerdict {
		var out []interview.PointVerdict
		for _, kp := range whole.KeyPoints {
			vd := interview.Absent
			if slices.Contains(ids, kp.ID) {
				vd = interview.Present
			}
			out = append(out, interview.PointVerdict{KeyPoint: kp.ID, Verdict: vd})
		}
		return out
	}
	cases := []struct {
		name   string
		points []string
		capped bool
	}{
		{"failure alone", []string{"failure/a"}, true},
		{"scope and failure", []string{"scope/a", "failure/a"}, true},
		{"storage and failure", []string{"storage/a", "failure/a"}, false},
		{"core alone", []string{"core/a"}, false},
		{"three other stages", []string{"scope/a", "failure/a", "limits/a"}, false},
	}
	for _, c := range cases {
		got := interview.Score(whole, present(c.points...), nil, nil)
		if c.capped != (got <= 1) {
			t.Errorf("%s: Score = %v, capped want %v", c.name, got, c.capped)
		}
	}
	// A vague answer is not about another system: one that touches no
	// stage, or hedges its way through one, keeps the floor for vague
	// answers on the question's concepts.
	vague := func(general bool, points ...string) interview.Evaluation {
		return interview.Evaluation{Verdicts: present(points...), Clarity: 1, Relevance: 1, General: general}
	}
	if got := interview.ScoreEvaluations(whole, nil, vague(false)); got != 2 {
		t.Errorf("vague answer touching no stage: %v, want the floor of 2", got)
	}
	if got := interview.ScoreEvaluations(whole, nil, vague(true, "scope/a")); got != 2 {
		t.Errorf("general answer touching the scope: %v, want the floor of 2", got)
	}
	if got := interview.ScoreEvaluations(whole, nil, vague(false, "scope/a")); got != 0 {
		t.Errorf("specific answer about the scope alone: %v, want 0", got)
	}
}
