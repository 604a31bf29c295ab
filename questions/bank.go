package questions

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
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
		for _, st := range q.Stages {
			b.byID[st.ID] = st
		}
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
		qs, problems := LoadBuiltinWithProblems()
		if problems.HasErrors() {
			builtinErr = fmt.Errorf("built-in question bank: %w", problems)
			return
		}
		builtinBank = NewBank(qs)
	})
	return builtinBank, builtinErr
}

// LoadBank loads the built-in bank and, when packDir is not empty, a team's
// pack directory beside it: the pack's questions join the bank (new topics
// included) and its disable_topics switch built-in topics off. Problems are
// reported with the pack's file names prefixed by packDir; with any error
// the bank is nil, so a broken pack is never half-loaded.
func LoadBank(packDir string) (*Bank, Problems) {
	builtin, problems := LoadBuiltinWithProblems()
	if problems.HasErrors() {
		return nil, problems
	}
	if packDir == "" {
		return NewBank(builtin), problems
	}
	pack, packProblems := LoadPackDir(packDir)
	problems = append(problems, packProblems...)
	if problems.HasErrors() {
		return nil, problems
	}
	return NewBank(pack.Merge(builtin)), problems
}

// LoadPackDir loads a pack from a directory on disk and checks it against
// the built-in bank: ids must not clash with built-in ones, and only topics
// the built-in bank has can be switched off.
func LoadPackDir(dir string) (Pack, Problems) {
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return Pack{}, Problems{{File: dir, Severity: Error, Message: "the question pack directory does not exist or is not a directory",
			Hint: "set INTERVIEWBOT_QUESTIONS_DIR or --questions-dir to a directory of .yaml files"}}
	}
	pack, problems := LoadPack(os.DirFS(dir), ".")
	for i := range problems {
		problems[i].File = filepath.Join(dir, problems[i].File)
	}
	builtin, _ := LoadBuiltinWithProblems()
	byID := map[string]*Question{}
	topics := map[string]bool{}
	for _, q := range builtin {
		byID[q.ID] = q
		topics[q.Topic] = true
	}
	for _, q := range pack.Questions {
		q.File = filepath.Join(dir, q.File)
		if prev, clash := byID[q.ID]; clash {
			problems = append(problems, Problem{File: q.File, Line: q.Line, Severity: Error,
				Message: fmt.Sprintf("question id %q is already used by the built-in bank", q.ID),
				Hint:    fmt.Sprintf("rename it, e.g. \"team-%s\" (built-in: %s:%d)", q.ID, prev.File, prev.Line)})
		}
	}
	for _, pair := range SimilarPairs(append(slices.Clone(builtin), pack.Questions...), DuplicateThreshold) {
		if pair.B.File != "" && strings.HasPrefix(pair.B.File, dir) && !strings.HasPrefix(pair.A.File, dir) {
			problems = append(problems, Problem{File: pair.B.File, Line: pair.B.Line, Severity: Warning,
				Message: fmt.Sprintf("question %q asks much the same as built-in %q (%.0f%% overlap)", pair.B.ID, pair.A.ID, pair.Similarity*100),
				Hint:    "switch the built-in topic off with disable_topics, or ask a different idea"})
		}
	}
	for i := range pack.Disable {
		sw := &pack.Disable[i]
		sw.File = filepath.Join(dir, sw.File)
		if !topics[sw.Topic] {
			problems = append(problems, Problem{File: sw.File, Line: sw.Line, Severity: Error,
				Message: fmt.Sprintf("disable_topics names %q, which is not a built-in topic", sw.Topic),
				Hint:    "built-in topics: " + strings.Join(mapKeys(topics), ", ")})
		}
	}
	return pack, problems
}

// Merge returns the built-in questions minus switched-off topics, followed
// by the pack's questions.
func (p Pack) Merge(builtin []*Question) []*Question {
	off := map[string]bool{}
	for _, sw := range p.Disable {
		off[sw.Topic] = true
	}
	var out []*Question
	for _, q := range builtin {
		if !off[q.Topic] {
			out = append(out, q)
		}
	}
	return append(out, p.Questions...)
}

// LoadBuiltinWithProblems loads the embedded bank and returns every problem,
// warnings included, for the linter and the bank's own tests.
// The embedded files never change while the process runs, so they are
// parsed once; every caller gets its own copy of the slices.
func LoadBuiltinWithProblems() ([]*Question, Problems) {
	builtinParseOnce.Do(func() {
		builtinParsed, builtinProblems = LoadFS(builtinFS, "bank")
	})
	return slices.Clone(builtinParsed), slices.Clone(builtinProblems)
}

var (
	builtinParseOnce sync.Once
	builtinParsed    []*Question
	builtinProblems  Problems
)

// All returns every entry (questions and designs, not design stages) in
// bank order.
func (b *Bank) All() []*Question { return b.questions }

// Len is the number of questions.
func (b *Bank) Len() int { return len(b.questions) }

// Topics lists the topics, sorted.
func (b *Bank) Topics() []string { return b.topics }

// HasTopic reports whether any question has the topic.
func (b *Bank) HasTopic(t string) bool { return slices.Contains(b.topics, t) }

// Get returns the entry or design stage with the id.
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

// Design returns the design entry named by its id or by its id without the
// "design-" prefix ("rate-limiter").
func (b *Bank) Design(name string) (*Question, bool) {
	for _, id := range []string{name, "design-" + name} {
		if q, ok := b.byID[id]; ok && q.Kind == KindDesign {
			return q, true
		}
	}
	return nil, false
}

// Filter returns the entries of a topic and level; empty strings match all.
func (b *Bank) Filter(topic string, level Level) []*Question {
	var out []*Question
	for _, q := range b.questions {
		if (topic == "" || q.Topic == topic) && (level == "" || q.Level == level) {
			out = append(out, q)
		}
	}
	return out
}
