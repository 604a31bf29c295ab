package eval

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/interview/rubric"
	"github.com/interviewbot/interviewbot/questions"
)

func TestZZProbe(t *testing.T) {
	sets := os.Getenv("PROBE_SETS")
	if sets == "" {
		t.Skip()
	}
	bank, _ := questions.Builtin()
	res := NewResolver(bank)
	g := rubric.New()
	out, _ := os.Create(os.Getenv("PROBE_OUT"))
	defer out.Close()
	enc := json.NewEncoder(out)
	for _, path := range splitComma(sets) {
		f, _ := os.Open(path)
		items, _, _ := Read(f)
		f.Close()
		for _, it := range items {
			q, ok := res.Resolve(it)
			if !ok {
				continue
			}
			e, _ := g.Evaluate(context.Background(), interview.Request{Question: q, Answer: it.Answer})
			enc.Encode(map[string]any{"set": path, "id": it.ID, "q": q.ID, "kind": it.Kind, "grade": it.Grade, "score": interview.ScoreEvaluations(q, nil, e), "ev": e, "answer": it.Answer})
		}
	}
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
