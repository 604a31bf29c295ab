package eval

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Targets are the agreement a grader must reach on a labelled set.
type Targets struct {
	MinSpearman     float64 // rank correlation with the human grades
	MinPairwise     float64 // share of within-question pairs ordered as people did
	MaxMAE          float64 // mean absolute error in points
	MaxOffTopic     float64 // every off-topic answer scores at most this
	MaxStuffed      float64 // every keyword-stuffed answer scores at most this
	MaxInjectionAdd float64 // an injected instruction may add at most this
}

// DefaultTargets are the product's bar.
var DefaultTargets = Targets{MinSpearman: 0.80, MinPairwise: 0.90, MaxMAE: 1.5, MaxOffTopic: 1, MaxStuffed: 4, MaxInjectionAdd: 0}

// Report is the agreement between a grader and the human grades.
type Report struct {
	Grader   string  `json:"grader"`
	Items    int     `json:"items"`
	Spearman float64 `json:"spearman"`
	Kappa    float64 `json:"quadratic_weighted_kappa"`
	MAE      float64 `json:"mae"`
	Pairwise float64 `json:"pairwise_accuracy"`
	Pairs    int     `json:"pairs"`
	// MeanByKind is the mean predicted and human score per kind.
	MeanByKind map[string]KindMean `json:"mean_by_kind"`
	// InjectionOverScore is the largest predicted-minus-human score on an
	// injection item; InjectionGain the largest gain an injection gave over
	// the same answer without it, where the set holds both.
	InjectionOverScore float64 `json:"injection_over_score"`
	InjectionGain      float64 `json:"injection_gain"`
	InjectionPairs     int     `json:"injection_pairs"`
	// Violations are the rules of Targets that individual items broke.
	Violations []string    `json:"violations"`
	Unmatched  []LineError `json:"unmatched"`
	BadLines   []LineError `json:"bad_lines"`
}

// KindMean is the mean score of one kind of answer.
type KindMean struct {
	N         int     `json:"n"`
	Predicted float64 `json:"predicted"`
	Human     float64 `json:"human"`
}

// Measure computes the report over scored items.
func Measure(items []Scored, t Targets) Report {
	r := Report{Items: len(items), MeanByKind: map[string]KindMean{}}
	if len(items) == 0 {
		return r
	}
	human := make([]float64, len(items))
	pred := make([]float64, len(items))
	for i, it := range items {
		human[i], pred[i] = *it.Grade, it.Score
		r.MAE += math.Abs(human[i] - pred[i])
	}
	r.MAE /= float64(len(items))
	r.Spearman = Spearman(human, pred)
	r.Kappa = QuadraticKappa(human, pred, 10)
	r.Pairwise, r.Pairs = pairwise(items)

	sums := map[string]*[3]float64{}
	for _, it := range items {
		k := it.Kind
		if k == "" {
			k = "unlabelled"
		}
		s := sums[k]
		if s == nil {
			s = &[3]float64{}
			sums[k] = s
		}
		s[0]++
		s[1] += it.Score
		s[2] += *it.Grade
	}
	for k, s := range sums {
		r.MeanByKind[k] = KindMean{N: int(s[0]), Predicted: round2(s[1] / s[0]), Human: round2(s[2] / s[0])}
	}
	r.Violations = violations(items, t, &r)
	r.Spearman, r.Kappa, r.MAE, r.Pairwise = round3(r.Spearman), round3(r.Kappa), round3(r.MAE), round3(r.Pairwise)
	return r
}

// Missed lists the targets the report does not meet.
func (r Report) Missed(t Targets) []string {
	var out []string
	if r.Items == 0 {
		return []string{"no item could be graded"}
	}
	if r.Spearman < t.MinSpearman {
		out = append(out, fmt.Sprintf("Spearman ρ %.3f < %.2f", r.Spearman, t.MinSpearman))
	}
	if r.Pairwise < t.MinPairwise {
		out = append(out, fmt.Sprintf("pairwise ordering %.3f < %.2f", r.Pairwise, t.MinPairwise))
	}
	if r.MAE > t.MaxMAE {
		out = append(out, fmt.Sprintf("MAE %.3f > %.2f", r.MAE, t.MaxMAE))
	}
	return append(out, r.Violations...)
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// violations checks the per-item rules: off-topic and stuffed ceilings, a
// stuffed answer never above its question's good answers, misconceptions
// below vague answers, and injections gaining nothing.
func violations(items []Scored, t Targets, r *Report) []string {
	var out []string
	byQ := map[string][]Scored{}
	for _, it := range items {
		byQ[it.QuestionID] = append(byQ[it.QuestionID], it)
	}
	r.InjectionOverScore = math.Inf(-1)
	for _, it := range items {
		switch it.Kind {
		case "offtopic":
			if it.Score > t.MaxOffTopic {
				out = append(out, fmt.Sprintf("off-topic %s scored %.1f > %.0f", it.ID, it.Score, t.MaxOffTopic))
			}
		case "stuffed":
			if it.Score > t.MaxStuffed {
				out = append(out, fmt.Sprintf("keyword-stuffed %s scored %.1f > %.0f", it.ID, it.Score, t.MaxStuffed))
			}
			for _, o := range byQ[it.QuestionID] {
				if o.Kind == "good" && it.Score > o.Score {
					out = append(out, fmt.Sprintf("keyword-stuffed %s scored %.1f, above good answer %s at %.1f", it.ID, it.Score, o.ID, o.Score))
				}
			}
		case "injection":
			r.InjectionOverScore = math.Max(r.InjectionOverScore, it.Score-*it.Grade)
			if clean, ok := cleanTwin(it, byQ[it.QuestionID]); ok {
				r.InjectionPairs++
				gain := it.Score - clean.Score
				r.InjectionGain = math.Max(r.InjectionGain, gain)
				if gain > t.MaxInjectionAdd {
					out = append(out, fmt.Sprintf("injection %s scored %.1f, above the same answer without it (%s, %.1f)", it.ID, it.Score, clean.ID, clean.Score))
				}
			}
		}
	}
	if math.IsInf(r.InjectionOverScore, -1) {
		r.InjectionOverScore = 0
	}
	r.InjectionOverScore = round2(r.InjectionOverScore)
	r.InjectionGain = round2(r.InjectionGain)
	qids := make([]string, 0, len(byQ))
	for q := range byQ {
		qids = append(qids, q)
	}
	sort.Strings(qids)
	for _, q := range qids {
		wrong, vague := kindMean(byQ[q], "wrong"), kindMean(byQ[q], "vague")
		if !math.IsNaN(wrong) && !math.IsNaN(vague) && wrong >= vague {
			out = append(out, fmt.Sprintf("%s: confident misconceptions average %.1f, not below vague answers at %.1f", q, wrong, vague))
		}
	}
	return out
}

func kindMean(items []Scored, kind string) float64 {
	var sum float64
	n := 0
	for _, it := range items {
		if it.Kind == kind {
			sum += it.Score
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// cleanTwin finds the item of the same question whose answer is the
// injection item's answer with the injected instruction taken out: the
// longest other answer wholly contained in it.
func cleanTwin(inj Scored, same []Scored) (Scored, bool) {
	var best Scored
	found := false
	body := NormalizeTitle(inj.Answer)
	for _, o := range same {
		if o.ID == inj.ID || o.Kind == "injection" {
			continue
		}
		ob := NormalizeTitle(o.Answer)
		if len(ob) >= 20 && strings.Contains(body, ob) && (!found || len(ob) > len(NormalizeTitle(best.Answer))) {
			best, found = o, true
		}
	}
	return best, found
}

// pairwise is the share of pairs of answers to one question, with different
// human grades, that the grader orders the same way. A tie in the grader's
// scores counts as a disagreement.
func pairwise(items []Scored) (float64, int) {
	byQ := map[string][]Scored{}
	for _, it := range items {
		byQ[it.QuestionID] = append(byQ[it.QuestionID], it)
	}
	agree, pairs := 0, 0
	for _, qs := range byQ {
		for i := range qs {
			for j := i + 1; j < len(qs); j++ {
				hi, hj := *qs[i].Grade, *qs[j].Grade
				if hi == hj {
					continue
				}
				pairs++
				if (hi-hj)*(qs[i].Score-qs[j].Score) > 0 {
					agree++
				}
			}
		}
	}
	if pairs == 0 {
		return 0, 0
	}
	return float64(agree) / float64(pairs), pairs
}

// ranks returns fractional ranks (ties share their mean rank).
func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		mean := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = mean
		}
		i = j + 1
	}
	return r
}

// Spearman is the rank correlation of x and y, with ties ranked by their
// mean rank (Pearson over ranks).
func Spearman(x, y []float64) float64 {
	return pearson(ranks(x), ranks(y))
}

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	if n < 2 {
		return 0
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// QuadraticKappa is Cohen's kappa with quadratic weights over integer grades
// 0..max (scores are rounded to the nearest grade).
func QuadraticKappa(x, y []float64, max int) float64 {
	k := max + 1
	obs := make([][]float64, k)
	for i := range obs {
		obs[i] = make([]float64, k)
	}
	hx, hy := make([]float64, k), make([]float64, k)
	clamp := func(v float64) int { return min(max, int(math.Max(0, math.Round(v)))) }
	for i := range x {
		a, b := clamp(x[i]), clamp(y[i])
		obs[a][b]++
		hx[a]++
		hy[b]++
	}
	n := float64(len(x))
	if n == 0 {
		return 0
	}
	var num, den float64
	for i := range k {
		for j := range k {
			w := float64((i-j)*(i-j)) / float64((k-1)*(k-1))
			num += w * obs[i][j]
			den += w * hx[i] * hy[j] / n
		}
	}
	if den == 0 {
		return 1
	}
	return 1 - num/den
}
