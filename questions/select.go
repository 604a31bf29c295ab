package questions

import (
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// Attempt is one graded answer of a user to a question (or a design stage).
type Attempt struct {
	QuestionID string
	Score      float64 // 0–10
	At         time.Time
}

// Review schedule: a question scored below ReviewBelow comes back after
// each interval in turn (the last repeating) until it scores ReviewPassAt or
// more. Short first gaps catch what was just missed; the widening gaps are
// the spacing effect that makes recall stick.
var reviewIntervals = []time.Duration{24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour}

const (
	ReviewBelow  = 6.0
	ReviewPassAt = 8.0
)

// ReviewState is where a question stands in a user's review schedule.
type ReviewState struct {
	InReview bool
	Step     int // index into the intervals
	Due      time.Time
	Last     time.Time
}

// Reviews replays a user's attempts, oldest first, and returns the review
// state of every question they answered. Attempts on design stages count
// for their design.
func Reviews(b *Bank, attempts []Attempt) map[string]ReviewState {
	sorted := slices.Clone(attempts)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].At.Before(sorted[j].At) })
	out := map[string]ReviewState{}
	for _, a := range sorted {
		id := b.entryID(a.QuestionID)
		st := out[id]
		switch {
		case a.Score < ReviewBelow:
			st.InReview, st.Step = true, 0
		case st.InReview && a.Score >= ReviewPassAt:
			st.InReview, st.Step = false, 0
		case st.InReview:
			st.Step = min(st.Step+1, len(reviewIntervals)-1)
		}
		st.Last = a.At
		if st.InReview {
			st.Due = a.At.Add(reviewIntervals[st.Step])
		} else {
			st.Due = time.Time{}
		}
		out[id] = st
	}
	return out
}

// entryID maps a design stage to its design; other ids map to themselves.
func (b *Bank) entryID(id string) string {
	if q, ok := b.byID[id]; ok && q.Parent != nil {
		return q.Parent.ID
	}
	return id
}

// Request says what an interview should be drawn from.
type Request struct {
	Topic      string
	Level      Level
	Count      int
	ReviewOnly bool // only questions due for review
}

// Select picks the entries of one interview. It is a pure function of the
// bank, the user's attempts and the time (the random source only orders
// equals):
//  1. questions due for review come first, most overdue first;
//  2. then questions never answered, so nobody repeats a question until
//     every question matching the request has been used; with no topic
//     set, the first comes from the user's weakest topic and the rest are
//     spread across topics;
//  3. then answered questions, least recently answered first.
//
// A mixed interview (no topic) leaves out staged designs, which are whole
// interviews of their own.
func Select(b *Bank, req Request, attempts []Attempt, now time.Time, rng *rand.Rand) []*Question {
	pool := b.Filter(req.Topic, req.Level)
	if req.Topic == "" {
		pool = slices.DeleteFunc(pool, func(q *Question) bool { return q.Kind == KindDesign })
	}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	reviews := Reviews(b, attempts)

	var due, fresh, seen []*Question
	for _, q := range pool {
		st, answered := reviews[q.ID]
		switch {
		case st.InReview && !now.Before(st.Due):
			due = append(due, q)
		case !answered:
			fresh = append(fresh, q)
		default:
			seen = append(seen, q)
		}
	}
	sort.SliceStable(due, func(i, j int) bool { return reviews[due[i].ID].Due.Before(reviews[due[j].ID].Due) })
	sort.SliceStable(seen, func(i, j int) bool { return reviews[seen[i].ID].Last.Before(reviews[seen[j].ID].Last) })
	if req.Topic == "" {
		fresh = spreadTopics(fresh, WeakestTopic(b, attempts))
	}

	out := due
	if !req.ReviewOnly {
		out = append(append(out, fresh...), seen...)
	}
	return out[:min(req.Count, len(out))]
}

// spreadTopics reorders qs so consecutive picks come from different topics,
// starting with first when it has a question.
func spreadTopics(qs []*Question, first string) []*Question {
	byTopic := map[string][]*Question{}
	var order []string
	for _, q := range qs {
		if _, ok := byTopic[q.Topic]; !ok {
			order = append(order, q.Topic)
		}
		byTopic[q.Topic] = append(byTopic[q.Topic], q)
	}
	if i := slices.Index(order, first); i > 0 {
		order = append([]string{first}, slices.Delete(order, i, i+1)...)
	}
	out := make([]*Question, 0, len(qs))
	for len(out) < len(qs) {
		for _, t := range order {
			if len(byTopic[t]) > 0 {
				out = append(out, byTopic[t][0])
				byTopic[t] = byTopic[t][1:]
			}
		}
	}
	return out
}

// WeakestTopic is the topic with the lowest average score over the user's
// attempts, or "" with no attempts.
func WeakestTopic(b *Bank, attempts []Attempt) string {
	sum, n := map[string]float64{}, map[string]int{}
	for _, a := range attempts {
		q, ok := b.byID[a.QuestionID]
		if !ok {
			continue
		}
		sum[q.Topic] += a.Score
		n[q.Topic]++
	}
	best, bestAvg := "", 11.0
	topics := make([]string, 0, len(n))
	for t := range n {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	for _, t := range topics {
		if avg := sum[t] / float64(n[t]); avg < bestAvg {
			best, bestAvg = t, avg
		}
	}
	return best
}

// NextReview returns when the earliest review among the user's questions
// falls due, or the zero time when nothing is scheduled.
func NextReview(b *Bank, attempts []Attempt) time.Time {
	var next time.Time
	for _, st := range Reviews(b, attempts) {
		if st.InReview && (next.IsZero() || st.Due.Before(next)) {
			next = st.Due
		}
	}
	return next
}
