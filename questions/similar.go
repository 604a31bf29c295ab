package questions

import (
	"sort"

	"github.com/interviewbot/interviewbot/internal/text"
)

// DuplicateThreshold is the overlap at which two entries count as asking the
// same idea. The closest distinct pair the bank holds on purpose (the seed
// list revisits replicas vs sharding from the scaling side) overlaps 0.32.
const DuplicateThreshold = 0.4

// SimilarPair is two entries that ask much the same thing.
type SimilarPair struct {
	A, B       *Question
	Similarity float64 // 0..1
}

// fingerprint is the set of content stems of what an entry asks and expects:
// its title, prompt and key points. Two entries asking the same idea share
// most of it even when worded differently.
func fingerprint(q *Question) map[string]bool {
	set := map[string]bool{}
	add := func(s string) {
		stems, _ := text.ContentStems(s)
		for _, st := range stems {
			set[st] = true
		}
	}
	for _, part := range q.Interview() {
		add(part.Title)
		add(part.Prompt)
		for _, kp := range part.KeyPoints {
			add(kp.Text)
		}
	}
	add(q.Title)
	return set
}

// SimilarPairs returns every pair of entries whose fingerprints overlap by
// at least threshold (Jaccard), most similar first.
func SimilarPairs(qs []*Question, threshold float64) []SimilarPair {
	prints := make([]map[string]bool, len(qs))
	for i, q := range qs {
		prints[i] = fingerprint(q)
	}
	var out []SimilarPair
	for i := range qs {
		for j := i + 1; j < len(qs); j++ {
			if s := text.Jaccard(prints[i], prints[j]); s >= threshold {
				out = append(out, SimilarPair{A: qs[i], B: qs[j], Similarity: s})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Similarity > out[j].Similarity })
	return out
}
