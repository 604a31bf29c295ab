package rubric

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/internal/text"
	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/interview/eval"
	"github.com/interviewbot/interviewbot/questions"
)

func TestZZFeatures(t *testing.T) {
	f, _ := os.Open("../../testdata/eval/dev.jsonl")
	items, _, _ := eval.Read(f)
	bank, _ := questions.Builtin()
	res := eval.NewResolver(bank)
	g := New()
	out, _ := os.Create("/tmp/feat.jsonl")
	enc := json.NewEncoder(out)
	for _, it := range items {
		q, ok := res.Resolve(it)
		if !ok {
			continue
		}
		ev, _ := g.Evaluate(context.Background(), interview.Request{Question: q, Answer: it.Answer})
		c := g.compile(q)
		sents, _ := splitSentences(text.Clean(it.Answer))
		shared := map[string]bool{}
		words := 0
		for _, s := range sents {
			for _, tk := range s.toks {
				words++
				if tk.Kind == text.Content && c.vocabulary[tk.Stem] {
					shared[tk.Stem] = true
				}
			}
		}
		var earned, total float64
		np, npart, ncon := 0, 0, 0
		for _, v := range ev.Verdicts {
			kp, _ := q.KeyPoint(v.KeyPoint)
			total += kp.Weight
			switch v.Verdict {
			case interview.Present:
				earned += kp.Weight
				np++
			case interview.Partial:
				earned += 0.4 * kp.Weight
				npart++
			case interview.Contradicted:
				earned -= 0.5 * kp.Weight
				ncon++
			}
		}
		tv := map[string]bool{}
		for _, src := range []string{q.Title, q.SourceTitle, q.Prompt} {
			st, _ := text.ContentStems(src)
			for _, x := range st {
				tv[x] = true
			}
		}
		tshared := map[string]bool{}
		for _, s := range sents {
			for _, tk := range s.toks {
				if tk.Kind == text.Content && tv[tk.Stem] {
					tshared[tk.Stem] = true
				}
			}
		}
		kv := map[string]bool{}
		for _, kp := range q.KeyPoints {
			for _, ph := range append(append([]string{}, kp.Phrases...), kp.Partial...) {
				st, _ := text.ContentStems(ph)
				for _, x := range st {
					kv[x] = true
				}
			}
		}
		kshared := map[string]bool{}
		for _, s := range sents {
			for _, tk := range s.toks {
				if tk.Kind == text.Content && kv[tk.Stem] {
					kshared[tk.Stem] = true
				}
			}
		}
		low := strings.ToLower(it.Answer)
		over := 0
		for _, w := range []string{"always", "never", "just ", "simply", "guarantee", "perfect", "can't happen", "no need", "don't need", "dont need", "at all", "obsolete", "outdated", "any size", "everything", "100%", "no problem", "entirely", "only exist"} {
			over += strings.Count(low, w)
		}
		enc.Encode(map[string]any{"id": it.ID, "q": q.ID, "kind": it.Kind, "h": *it.Grade, "frac": earned / total, "mis": len(ev.Misconceptions), "clarity": ev.Clarity,
			"shared": len(shared), "tshared": len(tshared), "kshared": len(kshared), "words": words, "np": np, "npart": npart, "ncon": ncon, "nkp": len(q.KeyPoints), "flag": string(ev.Flag), "over": over, "score": interview.Score(q, ev.Verdicts, ev.Misconceptions, nil)})
	}
	out.Close()
}
