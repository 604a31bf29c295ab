package questions

import (
	"embed"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
)

//go:embed bank/*.yaml
var builtinFS embed.FS

// Bank is a validated, read-only set of questions.
type Bank struct {
	questions []*Question
	byID      map[string]*Question
	topics    []string
}

// NewBank indexes questions that have already passed validation.
func NewBank(qs []*Question) *Bank {
	b := &Bank{questions: qs, byID: make(map[string]*Question, len(qs))}
	seen := map[string]bool{}
	for _, q := range qs {
		b.byID[q.ID] = q
		if !seen[q.Topic] {
			seen[q.Topic] = true
			b.topics = append(b.topics, q.Topic)
		}
	}
	sort.Strings(b.topics)
	return b
}

var (
	builtinOnce sync.Once
	builtinBank *Bank
	builtinErr  error
)

// Builtin returns the bank embedded in the binary. It is validated by tests,
// so an error here means a broken build rather than bad user input.
func Builtin() (*Bank, error) {
	builtinOnce.Do(func() {
		qs, problems := LoadFS(builtinFS, "bank")
		if problems.HasErrors() {
			builtinErr = fmt.Errorf("built-in question bank: %w", problems)
			return
		}
		builtinBank = NewBank(qs)
	})
	return builtinBank, builtinErr
}

// LoadBuiltinWithProblems loads the embedded bank and returns every problem,
// warnings included, for the linter and the bank's own tests.
func LoadBuiltinWithProblems() ([]*Question, Problems) {
	return LoadFS(builtinFS, "bank")
}

// All returns every question in bank order.
func (b *Bank) All() []*Question { return b.questions }

// Len is the number of questions.
func (b *Bank) Len() int { return len(b.questions) }

// Topics lists the topics, sorted.
func (b *Bank) Topics() []string { return b.topics }

// HasTopic reports whether any question has the topic.
func (b *Bank) HasTopic(t string) bool { return slices.Contains(b.topics, t) }

// Get returns the question with the id.
func (b *Bank) Get(id string) (*Question, bool) {
	q, ok := b.byID[id]
	return q, ok
}

// Closest returns up to n ids nearest to id: first those containing it, then
// by edit distance. It serves "did you mean" messages.
func (b *Bank) Closest(id string, n int) []string {
	type cand struct {
		id string
		d  int
	}
	id = strings.ToLower(strings.TrimSpace(id))
	var cs []cand
	for _, q := range b.questions {
		d := editDistance(id, q.ID)
		if id != "" && strings.Contains(q.ID, id) {
			d = 0
		}
		cs = append(cs, cand{q.ID, d})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.id)
	}
	return out
}

// Filter returns the questions of a topic and level; empty strings match all.
func (b *Bank) Filter(topic string, level Level) []*Question {
	var out []*Question
	for _, q := range b.questions {
		if (topic == "" || q.Topic == topic) && (level == "" || q.Level == level) {
			out = append(out, q)
		}
	}
	return out
}

// Pick chooses n questions of a topic and level for one interview. Questions
// the user has not answered come first, so nobody repeats a question until
// the filter's pool is used up; within each group the order is random, and
// with no topic set the picks are spread across topics.
func (b *Bank) Pick(topic string, level Level, n int, answered map[string]bool, rng *rand.Rand) []*Question {
	pool := b.Filter(topic, level)
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	sort.SliceStable(pool, func(i, j int) bool { return !answered[pool[i].ID] && answered[pool[j].ID] })
	if topic != "" {
		return pool[:min(n, len(pool))]
	}
	var out []*Question
	usedTopic := map[string]bool{}
	for _, q := range pool {
		if len(out) == n {
			break
		}
		if !usedTopic[q.Topic] && !answered[q.ID] {
			usedTopic[q.Topic] = true
			out = append(out, q)
		}
	}
	for _, q := range pool {
		if len(out) == n {
			break
		}
		if !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	return out
}
