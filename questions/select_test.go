package questions

import (
	"math/rand/v2"
	"testing"
	"time"
)

func synthBank() *Bank {
	var qs []*Question
	for _, spec := range []struct {
		id, topic string
		level     Level
	}{
		{"a-1", "alpha", Junior}, {"a-2", "alpha", Mid}, {"a-3", "alpha", Senior},
		{"b-1", "beta", Junior}, {"b-2", "beta", Mid},
		{"c-1", "gamma", Mid},
	} {
		qs = append(qs, &Question{ID: spec.id, Kind: KindQuestion, Topic: spec.topic, Level: spec.level})
	}
	d := &Question{ID: "design-x", Kind: KindDesign, Topic: "design", Level: Senior}
	for _, s := range DesignStages {
		d.Stages = append(d.Stages, &Question{ID: "design-x/" + s.ID, Kind: KindQuestion, Topic: "design", Level: Senior, Parent: d, Stage: s.ID})
	}
	return NewBank(append(qs, d))
}

var t0 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

func day(n float64) time.Time { return t0.Add(time.Duration(n * 24 * float64(time.Hour))) }

func ids(qs []*Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}

func TestReviewSchedule(t *testing.T) {
	b := synthBank()
	cases := []struct {
		name     string
		attempts []Attempt
		inReview bool
		due      time.Time
	}{
		{"good first score never enters review", []Attempt{{"a-1", 7, day(0)}}, false, time.Time{}},
		{"low score due next day", []Attempt{{"a-1", 4, day(0)}}, true, day(1)},
		{"second try still low: three days", []Attempt{{"a-1", 4, day(0)}, {"a-1", 6.5, day(1)}}, true, day(4)},
		{"third: seven days", []Attempt{{"a-1", 4, day(0)}, {"a-1", 6.5, day(1)}, {"a-1", 7, day(4)}}, true, day(11)},
		{"stays at seven days", []Attempt{{"a-1", 4, day(0)}, {"a-1", 5.9, day(1)}, {"a-1", 7, day(4)}, {"a-1", 7.9, day(11)}}, true, day(18)},
		{"a fail restarts the ladder", []Attempt{{"a-1", 4, day(0)}, {"a-1", 7, day(1)}, {"a-1", 3, day(4)}}, true, day(5)},
		{"8 or more leaves review", []Attempt{{"a-1", 4, day(0)}, {"a-1", 8, day(1)}}, false, time.Time{}},
		{"order of input does not matter", []Attempt{{"a-1", 8, day(1)}, {"a-1", 4, day(0)}}, false, time.Time{}},
		{"design stages count for the design", []Attempt{{"design-x/scope", 3, day(0)}}, true, day(1)},
	}
	for _, c := range cases {
		id := c.attempts[0].QuestionID
		if q, ok := b.Get(id); ok && q.Parent != nil {
			id = q.Parent.ID
		}
		st := Reviews(b, c.attempts)[id]
		if st.InReview != c.inReview || !st.Due.Equal(c.due) {
			t.Errorf("%s: state %+v, want inReview=%v due=%v", c.name, st, c.inReview, c.due)
		}
	}
}

func TestSelectOrder(t *testing.T) {
	b := synthBank()
	rng := rand.New(rand.NewPCG(1, 1))
	attempts := []Attempt{
		{"a-1", 3, day(0)}, // due on day 1
		{"a-2", 9, day(0)},
		{"b-1", 5, day(2)}, // due on day 3
	}
	// Day 5: both reviews are due, most overdue first; then alpha's unanswered
	// a-3; then the answered a-2.
	got := ids(Select(b, Request{Topic: "alpha", Count: 5}, attempts, day(5), rng))
	want := []string{"a-1", "a-3", "a-2"}
	if len(got) != len(want) {
		t.Fatalf("Select = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Select = %v, want %v", got, want)
		}
	}
	// Not yet due on day 0.5: a-1 waits behind the fresh question.
	got = ids(Select(b, Request{Topic: "alpha", Count: 1}, attempts, day(0.5), rng))
	if got[0] != "a-3" {
		t.Errorf("before due: %v, want the unanswered a-3 first", got)
	}
}

func TestSelectReviewOnly(t *testing.T) {
	b := synthBank()
	rng := rand.New(rand.NewPCG(2, 2))
	attempts := []Attempt{{"a-1", 3, day(0)}, {"b-1", 5, day(2)}, {"c-1", 9, day(0)}}
	if got := Select(b, Request{ReviewOnly: true, Count: 5}, attempts, day(0.5), rng); len(got) != 0 {
		t.Errorf("nothing due yet, got %v", ids(got))
	}
	got := ids(Select(b, Request{ReviewOnly: true, Count: 5}, attempts, day(3.5), rng))
	if len(got) != 2 || got[0] != "a-1" || got[1] != "b-1" {
		t.Errorf("review = %v, want [a-1 b-1]", got)
	}
	if next := NextReview(b, attempts); !next.Equal(day(1)) {
		t.Errorf("NextReview = %v", next)
	}
}

func TestSelectNoRepeatUntilExhausted(t *testing.T) {
	b := synthBank()
	var attempts []Attempt
	seen := map[string]int{}
	// Five interviews of one question over beta+alpha mids... the whole
	// pool of six plain questions must be used before any repeats.
	for i := range 6 {
		rng := rand.New(rand.NewPCG(uint64(i), 9))
		q := Select(b, Request{Count: 1}, attempts, day(float64(i)), rng)[0]
		seen[q.ID]++
		attempts = append(attempts, Attempt{q.ID, 9, day(float64(i))})
	}
	if len(seen) != 6 {
		t.Errorf("six interviews asked %v; every question once expected", seen)
	}
	// The seventh repeats the least recently answered.
	rng := rand.New(rand.NewPCG(7, 9))
	q := Select(b, Request{Count: 1}, attempts, day(7), rng)[0]
	if q.ID != attempts[0].QuestionID {
		t.Errorf("seventh = %s, want the least recent %s", q.ID, attempts[0].QuestionID)
	}
}

func TestSelectLeansToWeakestTopicAndSpreads(t *testing.T) {
	b := synthBank()
	attempts := []Attempt{{"a-1", 9, day(0)}, {"b-1", 6, day(0)}, {"c-1", 8, day(0)}}
	if w := WeakestTopic(b, attempts); w != "beta" {
		t.Fatalf("weakest = %q", w)
	}
	for seed := range uint64(10) {
		got := Select(b, Request{Count: 2}, attempts, day(1), rand.New(rand.NewPCG(seed, 3)))
		if got[0].Topic != "beta" {
			t.Errorf("seed %d: first pick %s, want the weakest topic beta", seed, got[0].ID)
		}
		if got[0].Topic == got[1].Topic {
			t.Errorf("seed %d: picks not spread: %v", seed, ids(got))
		}
		for _, q := range got {
			if q.Kind == KindDesign {
				t.Errorf("mixed interview picked a design")
			}
		}
	}
	if got := Select(b, Request{Topic: "design", Count: 1}, nil, day(0), rand.New(rand.NewPCG(1, 1))); len(got) != 1 || got[0].ID != "design-x" {
		t.Errorf("design topic = %v", ids(got))
	}
}
