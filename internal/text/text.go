// Package text owns the word-level view of English that the question bank and
// the rubric grader share: cleaning user text, splitting it into sentences and
// tokens with their byte offsets, stemming, and the small-word and negation
// lists. Keeping it in one place means a phrase is read the same way when a
// pack is linted and when an answer is graded.
package text

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// Kind classifies a token for matching.
type Kind uint8

const (
	// Content words carry meaning and are what phrases match on.
	Content Kind = iota
	// Small words ("the", "is", "of") are skipped when matching.
	Small
	// Negators ("not", "never", "doesn't") flip the polarity of a claim.
	Negator
)

// Token is one word of a text with its place in the original string.
type Token struct {
	Word       string // lower case, apostrophes normalised
	Stem       string
	Kind       Kind
	Start, End int // byte offsets into the text that was tokenised
}

// Clean makes user text safe to store and show: invalid UTF-8 is replaced,
// control characters other than newline and tab are dropped, and Windows line
// endings are folded.
func Clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r), r == '\u200b', r == '\ufeff':
			return -1
		}
		return r
	}, s)
}

// Truncate cuts s to at most max bytes without splitting a UTF-8 sequence.
// It reports whether anything was cut.
func Truncate(s string, max int) (string, bool) {
	if len(s) <= max {
		return s, false
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut], true
}

// Span is a half-open byte range of a text.
type Span struct{ Start, End int }

// Sentences splits s into sentence spans: at ".", "!", "?" or ";" followed by
// a space or the end, at line breaks, and at list bullets. Spans are trimmed
// and never empty.
func Sentences(s string) []Span {
	var out []Span
	start := 0
	emit := func(end int) {
		a, b := start, end
		for a < b && isSpaceOrBullet(s[a]) {
			a++
		}
		for b > a && (s[b-1] == ' ' || s[b-1] == '\t' || s[b-1] == '\n') {
			b--
		}
		if a < b {
			out = append(out, Span{a, b})
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n':
			emit(i)
			start = i + 1
		case '.', '!', '?', ';':
			// A dot inside a word ("e.g.", "v1.2", "x.com") does not end a sentence.
			if i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n' || s[i+1] == '\t' {
				emit(i + 1)
				start = i + 1
			}
		}
	}
	emit(len(s))
	return out
}

func isSpaceOrBullet(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '-', '*', '>':
		return true
	}
	return false
}

// Tokenize splits s into words. Letters and digits make words; an apostrophe
// inside a word is kept ("doesn't"); everything else separates words, so
// "write-through" is two words. A few chat abbreviations expand to the words
// they stand for, each expansion token keeping the abbreviation's offsets.
func Tokenize(s string) []Token {
	var toks []Token
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			// "2x the box != 2x the throughput" denies what it compares,
			// so the sign reads as the word.
			if n := inequalitySign(s[i:]); n > 0 {
				toks = append(toks, newToken("not", i, i+n))
				i += n
				continue
			}
			i += size
			continue
		}
		start := i
		var b strings.Builder
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			if isWordRune(r) {
				b.WriteRune(unicode.ToLower(r))
				i += size
				continue
			}
			if (r == '\'' || r == '’') && i+size < len(s) {
				next, _ := utf8.DecodeRuneInString(s[i+size:])
				if unicode.IsLetter(next) && b.Len() > 0 {
					b.WriteByte('\'')
					i += size
					continue
				}
			}
			break
		}
		toks = appendWord(toks, b.String(), start, i)
	}
	return toks
}

// inequalitySign returns the length of the "not equal" sign s starts
// with (!=, =/=, ≠), or 0.
func inequalitySign(s string) int {
	// Every separator between words passes through here: most are spaces.
	if s[0] != '!' && s[0] != '=' && s[0] != inequalityLead {
		return 0
	}
	for _, sign := range inequalitySigns {
		if strings.HasPrefix(s, sign) {
			return len(sign)
		}
	}
	return 0
}

var inequalitySigns = []string{"!=", "=/=", "≠"}

// inequalityLead is the first byte of "≠" in UTF-8.
const inequalityLead = 0xe2

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// LowerASCII lower-cases ASCII letters only, so byte offsets into the
// result are offsets into s. Patterns written in lower case and matched
// against it run far faster than case-folding ones.
func LowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Words splits s into its words as written (letters and digits, with an
// apostrophe inside a word kept: "you're"), without stemming or the
// small-word and negation classes Tokenize adds: for cheap tests on exact
// word forms.
func Words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) && r != '\'' })
}

func appendWord(toks []Token, word string, start, end int) []Token {
	if exp, ok := abbreviations[word]; ok {
		for _, w := range strings.Fields(exp) {
			toks = append(toks, newToken(w, start, end))
		}
		return toks
	}
	return append(toks, newToken(word, start, end))
}

func newToken(word string, start, end int) Token {
	t := Token{Word: word, Start: start, End: end}
	switch {
	case IsNegator(word):
		t.Kind = Negator
	case smallWords[word]:
		t.Kind = Small
	default:
		t.Kind = Content
	}
	t.Stem = stemOf(word)
	return t
}

// stemOf strips possessives before stemming so "client's" is "client".
// The bank's ten thousand phrases and the answers graded against them
// repeat a few thousand words, so stems are remembered, up to
// maxRememberedStems words so that odd input cannot grow the memory without
// bound.
func stemOf(word string) string {
	if s, ok := rememberedStems.Load(word); ok {
		return s.(string)
	}
	w := strings.TrimSuffix(word, "'s")
	s, ok := irregularStems[w]
	if !ok {
		s = Stem(w)
	}
	if rememberedCount.Load() < maxRememberedStems {
		if _, loaded := rememberedStems.LoadOrStore(word, s); !loaded {
			rememberedCount.Add(1)
		}
	}
	return s
}

const maxRememberedStems = 50000

var (
	rememberedStems sync.Map
	rememberedCount atomic.Int64
)

// IsNegator reports whether a lower-case word negates the claim around it.
// "without" and "no" as in "no longer" are deliberately absent from the list of
// words that would be too eager; see negators.
func IsNegator(word string) bool {
	if negators[word] {
		return true
	}
	return strings.HasSuffix(word, "n't")
}

var negators = set("not", "non", "never", "no", "cannot", "nor", "neither", "none", "nothing", "nobody",
	"dont", "doesnt", "isnt", "arent", "wont", "cant", "shouldnt", "wouldnt", "couldnt",
	"didnt", "wasnt", "werent", "hasnt", "havent", "mustnt")

// smallWords are skipped when phrases are matched: they glue a sentence
// together but say nothing about which idea it states.
var smallWords = set(
	"a", "an", "the", "is", "are", "was", "were", "be", "been", "being", "am", "of", "to",
	"in", "on", "at", "for", "from", "by", "with", "as", "it", "its", "it's", "this", "that",
	"these", "those", "and", "or", "but", "if", "then", "than", "so", "do", "does", "did",
	"has", "have", "had", "i", "i'm", "i'd", "you", "we", "they", "he", "she", "them", "our",
	"your", "my", "me", "us", "their", "can", "could", "would", "should", "will", "shall",
	"may", "might", "must", "just", "also", "very", "really", "about", "into", "there",
	"here", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "all",
	"any", "some", "each", "such", "only", "own", "too", "well", "like", "basically",
	"actually", "yeah", "yes", "ok", "okay", "um", "uh", "you'd", "we'd", "you're", "we're",
	"they're", "that's", "there's", "what's", "get's", "let's", "lets", "gonna", "kinda",
	"sort", "thing", "things", "stuff", "because", "since", "while", "though", "although",
	"via", "per", "etc", "eg", "ie", "e", "g", "one's", "itself", "both", "either", "other",
	"another", "more", "most", "much", "many", "even", "still", "way", "ways", "make",
	"makes", "made", "use", "uses", "using", "used", "need", "needs", "want", "wants",
)

// irregularStems catch forms the suffix rules do not join.
var irregularStems = map[string]string{
	"ran": "run", "running": "run", "runs": "run", "written": "write", "wrote": "write",
	"writes": "write", "writing": "write", "read": "read", "reads": "read", "reading": "read",
	"data": "data", "indices": "index", "indexes": "index", "caches": "cach", "cache": "cach",
	"cached": "cach", "caching": "cach", "queues": "queue", "queue": "queue", "queued": "queue",
	"queueing": "queue", "queuing": "queue", "lost": "lose", "loses": "lose", "losing": "lose",
	"went": "go", "goes": "go", "gone": "go", "died": "die", "dies": "die", "dying": "die",
	"idempotent": "idempot", "idempotency": "idempot", "idempotence": "idempot",
	"replica": "replic", "replicas": "replic", "expiry": "expir", "expiries": "expir",
	"idempotant": "idempot", "idempotancy": "idempot", "idempotently": "idempot",
}

// abbreviations are the chat forms that stand for a longer phrase.
var abbreviations = map[string]string{
	"db": "database", "dbs": "databases", "lb": "load balancer", "lbs": "load balancers",
	"txn": "transaction", "txns": "transactions", "tx": "transaction", "msg": "message",
	"msgs": "messages", "req": "request", "reqs": "requests", "resp": "response",
	"k8s": "kubernetes", "authn": "authentication", "authz": "authorization",
	"repl": "replication", "perf": "performance", "config": "configuration",
	"env": "environment", "svc": "service", "w": "with", "b4": "before",
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// ContentStems returns the stems of the content words of a phrase and how
// many negators it holds: the two things a phrase is matched by.
func ContentStems(phrase string) (stems []string, negations int) {
	for _, t := range Tokenize(phrase) {
		switch t.Kind {
		case Content:
			stems = append(stems, t.Stem)
		case Negator:
			negations++
		}
	}
	return stems, negations
}

// Jaccard is the overlap of two sets of words: shared words over all words,
// 0 for two empty sets.
func Jaccard(a, b map[string]bool) float64 {
	shared := 0
	for w := range a {
		if b[w] {
			shared++
		}
	}
	union := len(a) + len(b) - shared
	if union == 0 {
		return 0
	}
	return float64(shared) / float64(union)
}
