// Package eval measures how well a grader agrees with people: it grades a
// labelled set of answers and reports rank correlation, agreement, error,
// ordering within each question, and the behaviour on answers built to
// fool a grader (off-topic, keyword-stuffed, injected instructions).
package eval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/questions"
)

// Kinds are the labels an item may carry, in report order.
var Kinds = []string{"excellent", "good", "partial", "vague", "wrong", "offtopic", "stuffed", "injection"}

// Item is one labelled answer.
type Item struct {
	ID         string   `json:"id"`
	QuestionID string   `json:"question_id,omitempty"`
	Question   string   `json:"question,omitempty"`
	Answer     string   `json:"answer"`
	Grade      *float64 `json:"grade"`
	Kind       string   `json:"kind,omitempty"`
	Line       int      `json:"-"`
}

// LineError is a line of the set that could not be used.
type LineError struct {
	Line   int    `json:"line"`
	ID     string `json:"id,omitempty"`
	Reason string `json:"reason"`
}

// maxLine bounds one line of a set; an answer is at most 1 MiB.
const maxLine = 2 << 20

// Read parses a JSON Lines set. Lines it cannot use are returned with their
// line numbers; reading goes on past them.
func Read(r io.Reader) ([]Item, []LineError, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var items []Item
	var bad []LineError
	seen := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if !utf8.Valid(line) {
			bad = append(bad, LineError{Line: n, Reason: "not valid UTF-8"})
			continue
		}
		var it Item
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&it); err != nil {
			bad = append(bad, LineError{Line: n, Reason: "not a JSON object of the set's format: " + err.Error()})
			continue
		}
		it.Line = n
		switch {
		case it.ID == "":
			bad = append(bad, LineError{Line: n, Reason: `missing "id"`})
		case seen[it.ID] != 0:
			bad = append(bad, LineError{Line: n, ID: it.ID, Reason: fmt.Sprintf("id %q already used on line %d", it.ID, seen[it.ID])})
		case it.QuestionID == "" && it.Question == "":
			bad = append(bad, LineError{Line: n, ID: it.ID, Reason: `needs "question_id" or "question"`})
		case it.Grade == nil:
			bad = append(bad, LineError{Line: n, ID: it.ID, Reason: `missing "grade"`})
		case *it.Grade < 0 || *it.Grade > 10 || math.IsNaN(*it.Grade):
			bad = append(bad, LineError{Line: n, ID: it.ID, Reason: fmt.Sprintf("grade %v is outside 0-10", *it.Grade)})
		case it.Kind != "" && !slices.Contains(Kinds, it.Kind):
			bad = append(bad, LineError{Line: n, ID: it.ID, Reason: fmt.Sprintf("unknown kind %q (known: %s)", it.Kind, strings.Join(Kinds, ", "))})
		default:
			seen[it.ID] = n
			items = append(items, it)
		}
	}
	if err := sc.Err(); err != nil {
		return items, bad, fmt.Errorf("reading the set: %w", err)
	}
	return items, bad, nil
}

// NormalizeTitle folds case, punctuation and dash styles so a title typed
// by hand matches the bank's.
func NormalizeTitle(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		// Apostrophes join a word ("what's"); everything else separates.
		if r == '\'' || r == '’' {
			continue
		}
		space = true
	}
	return b.String()
}

// Resolver finds the bank question an item refers to.
type Resolver struct {
	bank    *questions.Bank
	byTitle map[string]*questions.Question
}

// NewResolver indexes the bank by id, source title and title.
func NewResolver(bank *questions.Bank) *Resolver {
	r := &Resolver{bank: bank, byTitle: map[string]*questions.Question{}}
	// Titles first, source titles after, so the seed wording wins a clash.
	for _, q := range bank.All() {
		for _, st := range q.Stages {
			r.byTitle[NormalizeTitle(st.Title)] = st
		}
		r.byTitle[NormalizeTitle(q.Title)] = q
	}
	for _, q := range bank.All() {
		if q.SourceTitle != "" {
			r.byTitle[NormalizeTitle(q.SourceTitle)] = q
		}
	}
	return r
}

// Resolve returns the gradable question for an item: a design entry is
// graded as a whole, a design stage by its own key points.
func (r *Resolver) Resolve(it Item) (*questions.Question, bool) {
	var q *questions.Question
	ok := false
	if it.QuestionID != "" {
		q, ok = r.bank.Get(it.QuestionID)
	} else {
		q, ok = r.byTitle[NormalizeTitle(it.Question)]
	}
	if !ok {
		return nil, false
	}
	return q.Whole(), true
}

// Prediction is the grader's score for one item.
type Prediction struct {
	ID         string  `json:"id"`
	QuestionID string  `json:"question_id"`
	Score      float64 `json:"score"`
}

// Scored is an item with its question and predicted score.
type Scored struct {
	Item
	QuestionID string
	Score      float64
}

// Grade runs the evaluator over the items. Items whose question is not in
// the bank, or that the evaluator fails on, are returned as problems and
// left out of the scores. The grader's name and version come last.
func Grade(ctx context.Context, ev interview.Evaluator, res *Resolver, items []Item) ([]Scored, []LineError, string) {
	var out []Scored
	var bad []LineError
	for _, it := range items {
		q, ok := res.Resolve(it)
		if !ok {
			ref := it.QuestionID
			if ref == "" {
				ref = it.Question
			}
			bad = append(bad, LineError{Line: it.Line, ID: it.ID, Reason: fmt.Sprintf("no question in the bank matches %q", truncate(ref, 80))})
			continue
		}
		e, err := ev.Evaluate(ctx, interview.Request{Question: q, Answer: it.Answer})
		if err != nil {
			bad = append(bad, LineError{Line: it.Line, ID: it.ID, Reason: "grading failed: " + interview.UserMessage(err)})
			continue
		}
		out = append(out, Scored{Item: it, QuestionID: q.ID, Score: interview.ScoreEvaluations(q, nil, e)})
	}
	return out, bad, ev.Name()
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
