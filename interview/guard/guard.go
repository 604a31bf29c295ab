// Package guard finds text in an answer that is addressed to the grader
// instead of the interviewer: instructions, fake system or end-of-answer
// markers, role-play and hidden comments. Both graders drop such text
// before grading, so an injected instruction can never earn credit.
package guard

import (
	"regexp"
	"strings"

	"github.com/interviewbot/interviewbot/internal/text"
)

// injectionPatterns find sentences addressed to the grader rather than the
// interviewer. Such sentences are dropped before grading, so an instruction
// can never earn credit, whatever words it carries.
var patterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(ignore|disregard|forget|override)\b.{0,40}\b(instruction|instructions|prompt|rules|rubric|guidelines)\b`),
	regexp.MustCompile(`(?i)\b(ignore|disregard|forget)\s+(all|everything|anything)\s+(above|before|previous|prior|else)\b`),
	regexp.MustCompile(`(?i)\b(give|award|assign)\s+(me|this|it|this answer|the answer|my answer)\b.{0,30}\b(10|ten|full|max|maximum|perfect|100|highest|top)\b`),
	// "mark it as sent" and "score it by recency" are engineering, not
	// requests: with it/this only a grade word after it counts.
	regexp.MustCompile(`(?i)\b(grade|score|rate|mark)\s+(me|this answer|the answer|my answer)\b`),
	regexp.MustCompile(`(?i)\b(grade|score|rate|mark)\s+(it|this)\s+(as\s+|with\s+|at\s+|an?\s+)?(10|ten|full|max|maximum|perfect|100|highest|top|correct|excellent)\b`),
	regexp.MustCompile(`(?i)\b(10|ten)\s*(/|out of)\s*(10|ten)\b|\bfull (marks|score|points|credit)\b`),
	regexp.MustCompile(`(?i)\b(you are|you're|act as|pretend)\b.{0,30}\b(grader|evaluator|assistant|language model|ai|llm|chatbot)\b`),
	regexp.MustCompile(`(?i)\b(system prompt|the grader|the evaluator|the rubric|grading instructions)\b`),
	regexp.MustCompile(`(?i)\b(mark|treat|consider|count)\b.{0,30}\bas (present|correct|covered)\b`),
}

// injectionTriggers holds a word from every injection pattern; a sentence
// without any of them skips the regular expressions, which dominate the cost
// of grading otherwise.
var injectionTriggers = map[string]bool{
	"ignore": true, "disregard": true, "forget": true, "override": true, "give": true,
	"award": true, "assign": true, "grade": true, "score": true, "rate": true, "mark": true,
	"10": true, "ten": true, "full": true, "you": true, "you're": true, "act": true,
	"pretend": true, "system": true, "grader": true, "evaluator": true, "rubric": true,
	"grading": true, "treat": true, "consider": true, "count": true,
}

func mayAddressGrader(toks []text.Token) bool {
	for _, t := range toks {
		if injectionTriggers[t.Word] {
			return true
		}
	}
	return false
}

// markers are fake structure: chat-template tokens, end-of-answer lines,
// role headers and comments a human reader would not see.
var markers = regexp.MustCompile(`(?i)(<\|[a-z_]+\|>|\[/?(inst|sys|system)\]|<<\s*/?sys\s*>>|</?\s*(system|assistant|answer|instructions?)\s*>|\b(end of (the )?(answer|response|submission)|begin (system|admin) (prompt|message))\b|^\s*#{1,6}\s*(system|assistant|developer|grader)\b|^\s*(system|assistant|developer)\s*:|<!--|-->|/\*.*\*/)`)

// AddressesGrader reports whether a sentence (with its tokens) speaks to
// the grader rather than answering the question.
func AddressesGrader(sentence string, toks []text.Token) bool {
	if markers.MatchString(sentence) {
		return true
	}
	return mayAddressGrader(toks) && isInjection(sentence)
}

// Strip removes every sentence of answer that addresses the grader and
// reports how many it removed. Hidden comments are removed whole first, so
// an instruction inside one goes with it.
func Strip(answer string) (string, int) {
	removed := 0
	answer = hiddenComment.ReplaceAllStringFunc(answer, func(string) string {
		removed++
		return " "
	})
	var kept []string
	for _, sp := range text.Sentences(answer) {
		raw := answer[sp.Start:sp.End]
		if AddressesGrader(raw, text.Tokenize(raw)) {
			removed++
			continue
		}
		kept = append(kept, raw)
	}
	return strings.Join(kept, "\n"), removed
}

var hiddenComment = regexp.MustCompile(`(?s)<!--.*?-->|/\*.*?\*/`)

func isInjection(s string) bool {
	for _, re := range patterns {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}
