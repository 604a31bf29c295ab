// Package rubric is the offline evaluator: it grades an answer against a
// question's key points by matching their authored phrases sentence by
// sentence, with stemming, negation and a check that the answer explains
// rather than lists. It is deterministic and needs no network.
package rubric

import (
	"context"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/interviewbot/interviewbot/internal/text"
	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/interview/guard"
	"github.com/interviewbot/interviewbot/questions"
)

// Version changes whenever a change to this package can change a score, so
// stored scores say which rules produced them.
const Version = "rubric/25"

// Grader is the rubric evaluator. The zero value is not usable; use New.
type Grader struct {
	mu       sync.RWMutex
	compiled map[*questions.Question]*compiledQuestion
}

// New returns a rubric grader.
func New() *Grader {
	return &Grader{compiled: map[*questions.Question]*compiledQuestion{}}
}

// Name implements interview.Evaluator.
func (g *Grader) Name() string { return Version }

type phrase struct {
	stems   []string // distinct content stems
	negated bool     // the phrase itself states a negation
	// lead is the first word as written, set for phrases whose match must
	// start with it: misconceptions, where the subject of the wrong claim
	// comes first ("POST ... idempotent ... same body"), so "PUT is
	// idempotent because the same body replaces it, while POST creates"
	// is not read as the claim about POST.
	lead string
}

type compiledPoint struct {
	kp      questions.KeyPoint
	full    []phrase
	partial []phrase
	// claim is the distinct content stems of the key point's own text that
	// the question does not already use in its prompt and title and that are
	// not everyday words: what saying the point in other words still shares
	// with it.
	claim []string
}

type compiledQuestion struct {
	points         []compiledPoint
	misconceptions [][]phrase
	vocabulary     map[string]bool // every content stem the question's text uses, its misconceptions' claims aside
	// mythWords are the content stems of its misconceptions' claims. They
	// mark a wrong answer as an answer to this question, but many name a
	// neighbouring tool or idea ("Kafka deletes messages once read"), so
	// they do not make an answer about that neighbour on topic.
	mythWords map[string]bool
	asked     map[string]bool // the content stems of its follow-ups, which answers may pick up too
	concepts  map[string]bool // the content stems of the key points' phrases
}

func compilePhrases(ps []string, ordered bool) []phrase {
	out := make([]phrase, 0, len(ps))
	for _, p := range ps {
		stems, neg := text.ContentStems(p)
		if len(stems) == 0 {
			continue
		}
		ph := phrase{negated: neg > 0}
		if ordered {
			ph.lead = stems[0]
		}
		slices.Sort(stems)
		ph.stems = slices.Compact(stems)
		out = append(out, ph)
	}
	return out
}

func (g *Grader) compile(q *questions.Question) *compiledQuestion {
	g.mu.RLock()
	c := g.compiled[q]
	g.mu.RUnlock()
	if c != nil {
		return c
	}
	c = &compiledQuestion{vocabulary: map[string]bool{}, concepts: map[string]bool{}, mythWords: map[string]bool{}}
	addVocab := func(s string) {
		stems, _ := text.ContentStems(s)
		for _, st := range stems {
			c.vocabulary[st] = true
		}
	}
	addVocab(q.Prompt)
	addVocab(q.Title)
	asked := maps.Clone(c.vocabulary)
	for _, kp := range q.KeyPoints {
		var claim []string
		stems, _ := text.ContentStems(kp.Text)
		for _, st := range stems {
			if !asked[st] && !everyday()[st] && !slices.Contains(claim, st) {
				claim = append(claim, st)
			}
		}
		c.points = append(c.points, compiledPoint{kp: kp, full: compilePhrases(kp.Phrases, false), partial: compilePhrases(kp.Partial, false), claim: claim})
		addVocab(kp.Text)
		for _, p := range append(slices.Clone(kp.Phrases), kp.Partial...) {
			addVocab(p)
			stems, _ := text.ContentStems(p)
			for _, st := range stems {
				if !everyday()[st] {
					c.concepts[st] = true
				}
			}
		}
	}
	for _, m := range q.Misconceptions {
		c.misconceptions = append(c.misconceptions, compilePhrases(m.Phrases, true))
		stems, _ := text.ContentStems(m.Claim)
		for _, st := range stems {
			c.mythWords[st] = true
		}
	}
	c.asked = map[string]bool{}
	for _, f := range q.FollowUps {
		stems, _ := text.ContentStems(f.Text)
		for _, st := range stems {
			c.asked[st] = true
		}
	}
	g.mu.Lock()
	g.compiled[q] = c
	g.mu.Unlock()
	return c
}

// sentence is one graded sentence of the answer.
type sentence struct {
	start, end int // byte span in the answer
	toks       []text.Token
	// breakAfter[i] is true when a comma or similar ends a clause after token i.
	breakAfter  []bool
	explains    bool // prose, not a bare list of nouns
	reasons     bool // states a reason, here or in the next sentence
	conditional bool
}

// match is where a phrase was found.
type match struct {
	sent       int
	start, end int // byte span of the matched words
	negated    bool
}

// everyday lists the stems that appear in the key point phrases of at least
// half the built-in questions ("time", "same", "keep", "every"): plain
// words any chat message has, so using them shows no grasp of a question's
// concepts. Phrases written the way people talk need such words; the
// relevance floor must not reward an anecdote for sharing them.
func everyday() map[string]bool { return builtinIndex().everyday }

// bankIndex is what the grader knows of the built-in bank as a whole.
type bankIndex struct {
	everyday  map[string]bool
	questions []*questions.Question
	// usedBy lists, for each concept stem that is not everyday, the
	// questions (indexes into questions) whose key point phrases use it.
	usedBy map[string][]int
}

var builtinIndex = sync.OnceValue(func() *bankIndex {
	qs, _ := questions.LoadBuiltinWithProblems()
	ix := &bankIndex{everyday: map[string]bool{}, questions: qs, usedBy: map[string][]int{}}
	perQuestion := map[string][]int{}
	for qi, q := range qs {
		seen := map[string]bool{}
		for _, kp := range q.KeyPoints {
			for _, p := range append(slices.Clone(kp.Phrases), kp.Partial...) {
				stems, _ := text.ContentStems(p)
				for _, st := range stems {
					seen[st] = true
				}
			}
		}
		for st := range seen {
			perQuestion[st] = append(perQuestion[st], qi)
		}
	}
	for st, users := range perQuestion {
		if 2*len(users) >= len(qs) {
			ix.everyday[st] = true
		} else {
			ix.usedBy[st] = users
		}
	}
	return ix
})

// Evaluate implements interview.Evaluator.
func (g *Grader) Evaluate(_ context.Context, req interview.Request) (interview.Evaluation, error) {
	// A follow-up ("what if two requests race?") invites an answer that
	// reads like a neighbouring question's, so only a first answer is
	// weighed against the neighbours.
	return g.evaluate(req, len(req.AskedFollowUps) == 0), nil
}

func (g *Grader) evaluate(req interview.Request, weighNeighbours bool) interview.Evaluation {
	q := req.Question
	ev := interview.Evaluation{QuestionID: q.ID, Grader: Version, Misconceptions: []interview.FoundMisconception{}}
	answer := text.Clean(req.Answer)
	if cut, truncated := text.Truncate(answer, interview.MaxAnswerBytes); truncated {
		answer = cut
		ev.Notices = append(ev.Notices, fmt.Sprintf("Your answer was longer than %d characters; only the first %d were graded.", interview.MaxAnswerBytes, interview.MaxAnswerBytes))
	}
	absentAll := func() {
		ev.Verdicts = make([]interview.PointVerdict, len(q.KeyPoints))
		for i, kp := range q.KeyPoints {
			ev.Verdicts[i] = interview.PointVerdict{KeyPoint: kp.ID, Verdict: interview.Absent}
		}
	}
	if strings.TrimSpace(answer) == "" {
		absentAll()
		ev.Flag = interview.FlagEmpty
		ev.Feedback = "There was no answer to grade. Write what you would say to the interviewer, or type skip to move on."
		return ev
	}
	if isSkipRequest(answer) {
		absentAll()
		ev.Flag = interview.FlagSkip
		ev.Feedback = "No problem, that one scores 0 and we move on. The outline in the scorecard shows what a strong answer covers."
		return ev
	}

	c := g.compile(q)
	answer, blanked := guard.Blank(answer)
	// Lower-cased once for the pattern tests below; offsets still hold.
	lower := text.LowerASCII(answer)
	sents, ignored := splitSentences(answer)
	ignored += blanked
	if ignored > 0 {
		ev.Notices = append(ev.Notices, "Text addressed to the grader was ignored; only your answer counts.")
	}

	ev.Verdicts = make([]interview.PointVerdict, len(c.points))
	from := make([]int, len(c.points))
	gradePoints := func() {
		for i, p := range c.points {
			ev.Verdicts[i], from[i] = gradePointAt(answer, sents, p)
		}
	}
	gradePoints()
	// A sentence that only names ideas explains none of them: it is read
	// again as a list, so what it touches earns partial credit at most and
	// its words count against clarity.
	if droppers := nameDroppers(sents, ev.Verdicts, from); len(droppers) > 0 {
		for _, si := range droppers {
			sents[si].explains = false
		}
		gradePoints()
	} else if sellsRatherThanExplains(lower) {
		// Brochure prose strings the right terms together with verbs that
		// say nothing ("leverage X and Y to ensure robust Z"): read it as
		// the list it is.
		for i := range sents {
			sents[i].explains = false
		}
		gradePoints()
	}
	// Quotes matter only once a claim's words are found, which is rare.
	quotes := sync.OnceValue(func() [][2]int { return append(quotedSpans(answer), reportedSpans(lower)...) })
	claimed := map[int]bool{}
	for i, phrases := range c.misconceptions {
		if ms := findClaims(sents, phrases, quotes); len(ms) > 0 {
			ev.Misconceptions = append(ev.Misconceptions, interview.FoundMisconception{ID: q.Misconceptions[i].ID, Evidence: quote(answer, sents[ms[0].sent], ms[0])})
			for _, m := range ms {
				if sents[m.sent].explains {
					claimed[m.sent] = true
				}
			}
		}
	}
	// The words that state a wrong belief are no evidence of the right one:
	// "N+1 is when you join N tables plus the main one" names the problem,
	// the join and the cost, and means none of them. Points found only in
	// such a sentence are sought again without it.
	if slices.ContainsFunc(from, func(si int) bool { return claimed[si] }) {
		rest := slices.Clone(sents)
		for si := range claimed {
			rest[si].toks = nil
		}
		for i, p := range c.points {
			if claimed[from[i]] {
				ev.Verdicts[i], from[i] = gradePointAt(answer, rest, p)
			}
		}
	}
	ev.Clarity = clarity(sents)
	isHedged := sync.OnceValue(func() bool { return hedged(lower) })
	ev.Relevance = relevance(sents, c, isHedged)
	ev.Digression = digression(sents, c)
	for _, s := range sents {
		ev.Words += len(s.toks)
	}
	if dodges(answer, ev.Verdicts) {
		ev.Relevance = 0
	}
	ev.General = general(ev.Words, ev.Verdicts, isHedged)
	ev.Elaboration = elaboration(sents, c)

	if flag := offTopic(sents, ev, c); flag != "" {
		absentAll()
		ev.Misconceptions = []interview.FoundMisconception{}
		ev.Flag = flag
		if flag == interview.FlagGibberish {
			ev.Feedback = "I could not read that as an answer, so it scores 0. Try explaining it in a few plain sentences."
		} else {
			ev.Feedback = "That does not seem to address the question, so it scores 0. Read the question again, or type hint for a nudge."
		}
		ev.Clarity = 0
		return ev
	}

	if weighNeighbours {
		if other := g.answeredInstead(q, answer, sents, ev); other != nil {
			absentAll()
			ev.Misconceptions = []interview.FoundMisconception{}
			ev.Flag = interview.FlagOffTopic
			ev.Feedback = fmt.Sprintf("That reads as an answer to a different question (%q), so it scores 0. Read the question again, or type hint for a nudge.", other.Title)
			ev.Clarity, ev.Relevance, ev.Elaboration = 0, 0, 0
			return ev
		}
	}

	ev.FollowUp = interview.SuggestFollowUp(q, ev.Verdicts, req.AskedFollowUps)
	ev.Feedback = feedback(q, ev)
	return ev
}

// A first answer of at least neighbourMinWords words, at least
// neighbourMinDigression of whose substantive words the question never
// uses, is graded again against the neighbourCandidates built-in questions
// whose concepts it shares most. When one of them scores it at least
// neighbourScore, and neighbourMargin above the question asked, it answers
// that question instead: "optimistic vs pessimistic locking" given for
// isolation levels, how Kafka partitions work given for when to introduce a
// queue. A neighbour that scores it neighbourClearScore needs only
// neighbourClearMargin: browser caching given for CDN vs application
// caching scores 7.6 there and 4.4 here. People grade such an answer 0; it
// used to keep 2–4 for the few terms the two questions share. Over 2,900
// labelled answers graded against every question of the bank, these lines
// caught no good, partial or vague answer (the closest was a good answer
// 2.7 apart), once a question the bank asks twice is read as one (see
// sameQuestionConcepts).
const (
	neighbourMinWords      = 40
	neighbourMinDigression = 0.4
	neighbourCandidates    = 3
	neighbourScore         = 6.0
	neighbourMargin        = 4.0
	neighbourClearScore    = 7.0
	neighbourClearMargin   = 3.0
	// sameQuestionConcepts is the share of concepts (Jaccard) two bank
	// questions must have in common to ask the same thing. Only one pair
	// reaches it (0.44, the two replicas-vs-sharding questions, where a
	// fresh set's plain-worded good answer scored higher on the twin and
	// was sent to 0); the next pair is below 0.3.
	sameQuestionConcepts = 1.0 / 3
)

// outscores reports whether a neighbour's score for an answer is far
// enough above the asked question's own that the answer is the
// neighbour's (see neighbourScore).
func outscores(neighbour, own float64) bool {
	return (neighbour >= neighbourScore && neighbour >= own+neighbourMargin) ||
		(neighbour >= neighbourClearScore && neighbour >= own+neighbourClearMargin)
}

// answeredInstead returns the built-in question the answer answers
// instead of q (see neighbourScore), or nil.
func (g *Grader) answeredInstead(q *questions.Question, answer string, sents []sentence, ev interview.Evaluation) *questions.Question {
	if ev.Words < neighbourMinWords || ev.Digression < neighbourMinDigression || slices.ContainsFunc(q.KeyPoints, func(kp questions.KeyPoint) bool { return kp.Stage != "" }) {
		return nil
	}
	own := interview.ScoreEvaluations(q, nil, ev)
	if own <= 0 || own > 10-neighbourClearMargin {
		return nil
	}
	ix := builtinIndex()
	shared := map[int]int{}
	seen := map[string]bool{}
	for _, s := range sents {
		for _, t := range s.toks {
			if t.Kind != text.Content || seen[t.Stem] {
				continue
			}
			seen[t.Stem] = true
			for _, qi := range ix.usedBy[t.Stem] {
				shared[qi]++
			}
		}
	}
	candidates := slices.Collect(maps.Keys(shared))
	candidates = slices.DeleteFunc(candidates, func(qi int) bool { return ix.questions[qi].ID == q.ID })
	// Most shared concepts first; the bank's order breaks ties, so the
	// choice does not depend on map order.
	slices.SortFunc(candidates, func(a, b int) int {
		if shared[a] != shared[b] {
			return shared[b] - shared[a]
		}
		return a - b
	})
	concepts := g.compile(q).concepts
	tried := 0
	for _, qi := range candidates {
		if tried == neighbourCandidates {
			break
		}
		other := ix.questions[qi]
		// A question that shares a third of its concepts with this one
		// asks the same thing in other words (replicas vs sharding is
		// asked twice): an answer to either answers both.
		if text.Jaccard(concepts, g.compile(other).concepts) >= sameQuestionConcepts {
			continue
		}
		tried++
		oe := g.evaluate(interview.Request{Question: other, Answer: answer}, false)
		if outscores(interview.ScoreEvaluations(other, nil, oe), own) {
			return other
		}
	}
	return nil
}

var notKnowing = regexp.MustCompile(`(?i)\b(do not|don'?t|dont) (really |actually |quite )?know\b|\bno (idea|clue)\b|\bnot (really )?familiar\b|\bnever (used|worked (with|on))\b|\bhaven'?t (used|worked (with|on))\b`)

// dodges reports an answer that says it does not know and touches no key
// point ("I don't really know CDN stuff, can I talk about Spark instead?"):
// naming the question's subject there is not the start of an answer, so
// the floor for vague but relevant answers does not apply.
func dodges(answer string, verdicts []interview.PointVerdict) bool {
	for _, v := range verdicts {
		if v.Verdict == interview.Present || v.Verdict == interview.Partial {
			return false
		}
	}
	return notKnowing.MatchString(answer)
}

var skipPattern = regexp.MustCompile(`(?i)^\W*(can we |could we |let'?s |please |i'?d like to |i want to )?(skip|pass|next( question)?|move on|no idea|idk|i (really )?(do not|don'?t|dunno) know|dunno|not sure|no clue|i have no idea|i give up)\b`)

// isSkipRequest recognises a short "can we skip?" or "no idea" as a request to
// move on, not as an attempt to answer.
func isSkipRequest(answer string) bool {
	if len(strings.Fields(answer)) > 8 {
		return false
	}
	return skipPattern.MatchString(strings.TrimSpace(answer))
}

var reasonWords = map[string]bool{
	"because": true, "since": true, "so": true, "therefore": true, "thus": true, "hence": true,
	"otherwise": true, "means": true, "meaning": true, "cause": true, "causes": true, "causing": true,
	"lead": true, "leads": true, "leading": true, "result": true, "results": true, "resulting": true,
	"avoid": true, "avoids": true, "prevent": true, "prevents": true, "preventing": true,
	"ensure": true, "ensures": true, "guarantee": true, "guarantees": true, "due": true, "if": true,
	"unless": true, "when": true, "whenever": true, "else": true, "then": true, "why": true,
	"cost": true, "costs": true, "instead": true, "but": true, "whereas": true, "until": true,
	"which": true, "would": true, "could": true, "might": true, "risk": true, "risks": true,
	"break": true, "breaks": true, "fails": true, "fail": true, "need": true, "needs": true,
	"allows": true, "lets": true, "enables": true, "without": true, "once": true, "after": true,
}

var conditionalWords = map[string]bool{"if": true, "unless": true, "without": true, "when": true, "whenever": true, "otherwise": true, "until": true, "whether": true}

var glueWords = map[string]bool{"and": true, "or": true, "but": true, "also": true, "etc": true}

// splitSentences tokenises each sentence of the answer, drops those addressed
// to the grader, and classifies the rest.
func splitSentences(answer string) ([]sentence, int) {
	spans := text.Sentences(answer)
	dropped := guard.Dropped(answer, spans)
	out := make([]sentence, 0, len(spans))
	ignored := 0
	for si, sp := range spans {
		raw := answer[sp.Start:sp.End]
		toks := text.Tokenize(raw)
		if len(toks) == 0 {
			continue
		}
		if dropped[si] {
			ignored++
			continue
		}
		for i := range toks {
			toks[i].Start += sp.Start
			toks[i].End += sp.Start
		}
		s := sentence{start: sp.Start, end: sp.End, toks: toks, breakAfter: make([]bool, len(toks))}
		for i := range toks {
			next := sp.End
			if i+1 < len(toks) {
				// An abbreviation that expands to two words ("LB") gives
				// tokens sharing one span, with nothing between them.
				next = max(toks[i+1].Start, toks[i].End)
			}
			s.breakAfter[i] = strings.ContainsAny(answer[toks[i].End:next], ",;:()")
		}
		s.explains = explains(raw, toks)
		for _, t := range toks {
			if reasonWords[t.Word] {
				s.reasons = true
			}
			if conditionalWords[t.Word] {
				s.conditional = true
			}
		}
		if strings.Contains(raw, "->") || strings.Contains(raw, "=>") || strings.Contains(raw, "→") {
			s.reasons = true
		}
		out = append(out, s)
	}
	// A reason often comes in the next sentence: "Use a key. Otherwise a retry charges twice."
	for i := 0; i+1 < len(out); i++ {
		if w := out[i+1].toks[0].Word; w == "because" || w == "otherwise" || w == "so" || w == "since" ||
			w == "that's" || w == "this" || w == "which" || w == "hence" || w == "therefore" || w == "that" {
			out[i].reasons = true
		}
	}
	return out, ignored
}

// A sentence that touches this many key points or more, with fewer than
// wordsPerPoint words for each, names ideas rather than explaining them:
// "outbox + CDC solves the dual write with at-least-once relays and
// idempotent consumers" touches five in 14 words. People who explain touch
// one to three points a sentence, or spend a clause on each.
const (
	nameDropping  = 4
	wordsPerPoint = 8
	// runOnPoints is how many key points a one-sentence answer may touch
	// before it needs a reason for half of them (see nameDroppers).
	runOnPoints = 3
	// runOnAnyway is how many key points a one-sentence answer touches
	// before it reads as a list whatever reasons it gives.
	runOnAnyway = 5
)

// reasonCount counts the reason words of a sentence (because, so, if,
// otherwise...).
func reasonCount(s sentence) int {
	n := 0
	for _, t := range s.toks {
		if reasonWords[t.Word] {
			n++
		}
	}
	return n
}

// A run of termRunWords or more content words with no small word or
// punctuation between them is terms strung together; prose seldom has one,
// though a terse sentence of compound terms can ("cross shard joins become
// scatter gather"). In the labelled sets and 2,500 correct answers written
// to test the bank, the only one-sentence answers of termRunMinWords or
// more words that touch three or more key points with termRunShare of
// their words in such runs are keyword-stuffed.
const (
	termRunWords    = 6
	termRunShare    = 0.1
	termRunMinWords = 40
)

// termRuns is the share of a sentence's words that stand in runs of
// termRunWords or more content words.
func termRuns(s sentence) float64 {
	if len(s.toks) == 0 {
		return 0
	}
	inRuns, run := 0, 0
	endRun := func() {
		if run >= termRunWords {
			inRuns += run
		}
		run = 0
	}
	for i, t := range s.toks {
		if t.Kind == text.Content {
			run++
		} else {
			endRun()
		}
		if s.breakAfter[i] {
			endRun()
		}
	}
	endRun()
	return float64(inRuns) / float64(len(s.toks))
}

// nameDroppers lists the sentences that touch many key points in few words
// (see nameDropping), or that are the whole answer and touch several points
// with few reasons (see runOnPoints), from the verdicts graded and the
// sentence each came from.
func nameDroppers(sents []sentence, verdicts []interview.PointVerdict, from []int) []int {
	touched := make([]int, len(sents))
	for i, v := range verdicts {
		if from[i] >= 0 && (v.Verdict == interview.Present || v.Verdict == interview.Partial) {
			touched[from[i]]++
		}
	}
	var out []int
	for si, s := range sents {
		if touched[si] >= nameDropping && len(s.toks) < wordsPerPoint*touched[si] {
			out = append(out, si)
			continue
		}
		// A whole answer in one sentence that touches several points and
		// gives a reason for fewer than half of them is a run of terms,
		// however long ("a performance strategy leveraging controlled
		// redundancy, materialized views, precomputed aggregates and CQRS
		// to minimize joins, with the trade-off being update anomalies").
		// One sentence that explains says why: "rest for public stuff
		// because everyone can use it, graphql if the frontends want
		// different shapes, but you lose http caching".
		// Nobody explains five ideas in one sentence, reasons or not, and
		// a sentence that strings terms together without punctuation ("due
		// to distributed systems complexity like CAP theorem network
		// partitions eventual consistency") is a list whatever its
		// reasons.
		if len(sents) == 1 && (touched[si] >= runOnAnyway || (touched[si] >= runOnPoints && (2*reasonCount(s) < touched[si] || (len(s.toks) >= termRunMinWords && termRuns(s) >= termRunShare)))) {
			out = append(out, si)
		}
	}
	return out
}

// brochureWords are the words of prose written to impress rather than to
// explain: abstract verbs and qualities that no mechanism needs. Each maps
// to the start of the word that must follow it ("" for none).
var brochureWords = map[string]string{
	"leverage": "", "leverages": "", "leveraged": "", "leveraging": "",
	"seamless": "", "seamlessly": "", "robust": "", "robustness": "",
	"synergy": "", "synergies": "", "holistic": "", "holistically": "",
	"streamline": "", "streamlines": "", "streamlined": "", "streamlining": "",
	"empower": "", "empowers": "", "empowering": "", "facilitate": "", "facilitates": "",
	"facilitating": "", "utilize": "", "utilizes": "", "utilizing": "", "utilization": "",
	"optimal": "", "optimally": "", "enable": "", "enables": "", "enabling": "",
	"ensure": "", "ensures": "", "ensuring": "", "achieve": "", "achieves": "", "achieving": "",
	"provide": "", "provides": "", "providing": "", "scalable": "", "scalability": "",
	"performant": "", "resilient": "", "resilience": "", "resiliency": "",
	"efficient": "", "efficiently": "", "efficiency": "",
	"best": "practice", "cutting": "edge", "enterprise": "grade", "world": "class",
	"high": "availab", "fault": "toleran",
}

// brochureShare is the share of an answer's words, one in 25, above which
// brochure words mark it as buzzword prose. Answers people wrote to explain
// stay well below it; the keyword-stuffed ones in the labelled sets that
// are prose rather than lists sit above it.
const brochureShare = 0.04

// sellsRatherThanExplains reports buzzword prose: at least two brochure
// words, making up brochureShare of the answer's words (lower-cased).
func sellsRatherThanExplains(lower string) bool {
	words := text.Words(lower)
	n := 0
	for i, w := range words {
		next, ok := brochureWords[w]
		if !ok {
			continue
		}
		if next == "" || (i+1 < len(words) && strings.HasPrefix(words[i+1], next)) {
			n++
		}
	}
	if n < 2 {
		return false
	}
	return float64(n) >= brochureShare*float64(len(strings.Fields(lower)))
}

// explains tells prose from a bare list of the right nouns: prose uses the
// small words that join ideas, and a list is short comma-separated items.
func explains(raw string, toks []text.Token) bool {
	if len(toks) < 4 {
		return false
	}
	glue := 0
	for _, t := range toks {
		if (t.Kind == text.Small || t.Kind == text.Negator) && !glueWords[t.Word] {
			glue++
		}
	}
	if float64(glue)/float64(len(toks)) < 0.15 {
		return false
	}
	if andChain(toks) >= andChainLinks {
		return false
	}
	// Slashes are not separators here: URLs and "PUT/DELETE" are prose.
	items := strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == '|' })
	if len(items) >= 3 {
		short := 0
		for _, it := range items {
			if len(strings.Fields(it)) <= 3 {
				short++
			}
		}
		if float64(short)/float64(len(items)) >= 0.75 {
			return false
		}
	}
	return true
}

// andChainLinks is how many short links in a row make a chain of "and"s a
// list: "TTL and CDC and write-through and pub sub and versioning" is a
// comma list written with "and". In the labelled sets and 1,800 correct
// answers, only keyword-stuffed answers have one.
const andChainLinks = 3

// andChain returns the longest run of consecutive "and"s (or "plus"es)
// with at most three words between each and the next.
func andChain(toks []text.Token) int {
	best, run, prev := 0, 0, -1
	for i, t := range toks {
		if t.Word != "and" && t.Word != "plus" {
			continue
		}
		if prev >= 0 && i-prev-1 <= 3 {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
		prev = i
	}
	return best
}

// findMatch looks for p in sentence s: every stem of the phrase within a
// window of about three words per phrase word, in any order. It prefers a
// match whose polarity agrees with the phrase.
func findMatch(s sentence, p phrase) (match, bool) {
	window := 3*len(p.stems) + 1
	// A wrong claim is often stated in one long clause, with words of its
	// own between the phrase's ("write-through means you write only to the
	// cache and the cache flushes to the db later"): within one clause a
	// misconception's window is wider.
	clauseWindow := window
	if p.lead != "" {
		clauseWindow = 5*len(p.stems) + 1
	}
	var negatedMatch match
	found := false
	for i, t := range s.toks {
		if t.Kind != text.Content || !slices.Contains(p.stems, t.Stem) || (p.lead != "" && t.Stem != p.lead) {
			continue
		}
		seen := 0
		var have [16]bool // phrases have few words; longer ones are matched on their first 16
		var at [16]int    // where each matched word is, in match order
		end := -1
		inClause := true
		for j := i; j < len(s.toks) && j < i+max(window, clauseWindow); j++ {
			if j > i && s.breakAfter[j-1] {
				inClause = false
			}
			// A wrong claim is about one subject: "with replication every
			// replica has a full copy, while sharding splits the data"
			// says two true things, not that replication splits data.
			if j > i && p.lead != "" && (contrastWords[s.toks[j].Word] || (s.breakAfter[j-1] && contrastAfterBreak[s.toks[j].Word])) {
				break
			}
			if j >= i+window && !inClause {
				break
			}
			tj := s.toks[j]
			if tj.Kind != text.Content {
				continue
			}
			if k := slices.Index(p.stems, tj.Stem); k >= 0 && k < len(have) && !have[k] {
				have[k] = true
				at[seen] = j
				seen++
				if seen == min(len(p.stems), len(have)) {
					end = j
					break
				}
			}
		}
		if end < 0 {
			continue
		}
		// Negation reaches a few words back ("not the case that X"), and
		// forward only for the elliptical "..., POST is not" that closes a
		// clause; "returns fast and isn't blocked" negates something else.
		negated := negatesMatched(s, i, at[:seen]) || trailingNegation(s, end)
		m := match{start: s.toks[i].Start, end: s.toks[end].End, negated: negated != p.negated}
		if !m.negated {
			return m, true
		}
		if !found {
			negatedMatch, found = m, true
		}
	}
	return negatedMatch, found
}

// contrastWords open a clause about a second subject set against the
// first; contrastAfterBreak do so only after a comma ("..., instead the
// cursor ..."), since "return 204 instead of 404" is one claim.
var (
	contrastWords      = map[string]bool{"while": true, "whereas": true, "unlike": true, "versus": true, "vs": true, "whilst": true}
	contrastAfterBreak = map[string]bool{"instead": true, "compared": true}
)

// trailingNegation reports a negator within two words after end that closes
// its clause with no content word after it.
func trailingNegation(s sentence, end int) bool {
	for k := end + 1; k <= end+2 && k < len(s.toks); k++ {
		if s.breakAfter[k-1] {
			return false
		}
		if s.toks[k].Kind == text.Content {
			return false
		}
		if s.toks[k].Kind != text.Negator {
			continue
		}
		for j := k + 1; j < len(s.toks) && !s.breakAfter[j-1]; j++ {
			if s.toks[j].Kind == text.Content {
				return false
			}
		}
		return true
	}
	return false
}

var consequenceWords = map[string]bool{
	"so": true, "thus": true, "hence": true, "therefore": true, "which": true, "meaning": true,
	"ensuring": true, "ensures": true, "ensure": true, "guarantees": true, "guarantee": true,
	"prevents": true, "prevent": true, "avoids": true, "avoid": true, "then": true, "to": true,
}

// consequenceClause reports whether the clause holding m opens with a word
// that makes it a consequence or purpose of something said before it.
func consequenceClause(s sentence, m match) bool {
	first := 0
	for i, t := range s.toks {
		if t.Start >= m.start {
			break
		}
		if i > 0 && s.breakAfter[i-1] {
			first = i
		}
	}
	for i := first; i < len(s.toks) && s.toks[i].Start < m.start; i++ {
		if consequenceWords[s.toks[i].Word] {
			return true
		}
	}
	return false
}

// findClaims returns, for each sentence that asserts one of the phrases,
// the first such match: not negated, and not inside quotation marks, where
// people put the claim they are about to refute ("the logs have everything"
// is a myth because…).
func findClaims(sents []sentence, phrases []phrase, quoted func() [][2]int) []match {
	var found []match
	for si, s := range sents {
		for _, p := range phrases {
			if m, ok := findMatch(s, p); ok && !m.negated && !insideAny(m, quoted()) {
				m.sent = si
				found = append(found, m)
				break
			}
		}
	}
	return found
}

// quotedSpans returns the byte ranges between paired quotes: double quotes
// (straight or curly), and single quotes used as quotation marks, which
// open before a word and close after one ("the 'sessions don't scale'
// argument"). An apostrophe inside a word (don't, it's) is neither.
func quotedSpans(answer string) [][2]int {
	var spans [][2]int
	open, singleOpen := -1, -1
	for i, r := range answer {
		switch r {
		case '"':
			if open < 0 {
				open = i
			} else {
				spans = append(spans, [2]int{open, i})
				open = -1
			}
		case '“':
			open = i
		case '”':
			if open >= 0 {
				spans = append(spans, [2]int{open, i})
				open = -1
			}
		case '\'', '‘', '’':
			before, _ := utf8.DecodeLastRuneInString(answer[:i])
			after, _ := utf8.DecodeRuneInString(answer[i+utf8.RuneLen(r):])
			wordBefore := i > 0 && (unicode.IsLetter(before) || unicode.IsDigit(before))
			wordAfter := unicode.IsLetter(after) || unicode.IsDigit(after)
			switch {
			case !wordBefore && wordAfter && r != '’':
				singleOpen = i
			case wordBefore && !wordAfter && singleOpen >= 0 && r != '‘':
				spans = append(spans, [2]int{singleOpen, i})
				singleOpen = -1
			}
		}
	}
	return spans
}

// reportFrames introduce a belief the speaker attributes to others, usually
// to refute it: "people think X, but...", "a common myth is that X", "you
// often hear X". The first person ("I think X") is not one: that is a claim.
var reportFrames = regexp.MustCompile(`\b(people|folks|many|some|devs|developers|engineers|juniors|beginners|newcomers|everyone|everybody|most people|some people|a lot of (people|folks|devs|developers|engineers|teams)|lots of (people|folks|devs|teams)|some (devs|teams|engineers|folks))\s+(often |usually |still |sometimes |wrongly |mistakenly |tend to |seem to )?(think|thinks|say|says|assume|assumes|believe|believes|claim|claims|expect|expects|will tell you|imagine|treat)\b(\s+that)?|\byou (might|may|would|could) (think|assume|expect)\b(\s+that)?|\b(the|a|one|another) (common |classic |popular |big |usual )?(myth|misconception|mistake|trap|assumption|belief|misreading|confusion|misunderstanding|pitfall|anti-?pattern|footgun|gotcha) (is|here is|i see is)\b(\s+that)?|\bit'?s a (common |popular )?(myth|misconception) that\b|\bcontrary to (popular belief|what (people|most people|many) (think|say|assume))\b|\byou (often |always |sometimes )?hear\b(\s+that)?|\bthe (myth|idea|notion|belief) that\b|\b((common|classic|typical|usual|big) )?(misconceptions|myths|mistakes|pitfalls|anti-?patterns|traps|gotchas|footguns)\b[^.:;\n]{0,40}:|\bthings (i'?d |to |you should )?(avoid|steer clear of|watch out for)\b[^.:;\n]{0,20}:`)

// reportVerbs holds a piece of a word every reportFrames match has: a cheap
// first test.
var reportVerbs = []string{"think", "say", "assum", "believ", "belief", "misread", "confusion", "claim", "expect", "tell", "imagin", "treat", "myth", "misconception", "mistake", "trap", "misunderstand", "contrary", "hear", "idea", "notion", "pitfall", "pattern", "footgun", "gotcha", "avoid", "steer", "watch"}

// reportEnd closes a reported belief: the turn to the speaker's own view.
var reportEnd = regexp.MustCompile(`\bbut\b|\bhowever\b|\bactually\b|\bin fact\b|\bwhich is (wrong|false|not true|a myth)\b|;|—|\s-\s|[.!?](\s|$)|\n`)

// reportedSpans returns the byte ranges of beliefs the answer (lower-cased)
// attributes to others (see reportFrames), each up to the turn back to the
// speaker's own view or the end of the sentence, so a refuted myth is read
// like a quoted one.
func reportedSpans(lower string) [][2]int {
	if !slices.ContainsFunc(reportVerbs, func(v string) bool { return strings.Contains(lower, v) }) {
		return nil
	}
	var spans [][2]int
	for _, loc := range reportFrames.FindAllStringIndex(lower, -1) {
		end := len(lower)
		if e := reportEnd.FindStringIndex(lower[loc[1]:]); e != nil {
			end = loc[1] + e[0]
		}
		// "Common pitfalls:" at the end of a line heads a list: every
		// bullet under it is a mistake named, not a claim.
		if lower[loc[1]-1] == ':' && strings.TrimSpace(lower[loc[1]:end]) == "" {
			end = bulletsEnd(lower, end)
		}
		spans = append(spans, [2]int{loc[1], end})
	}
	return spans
}

// bulletsEnd returns where the run of bullet lines ("- x", "* x", "• x",
// "1. x") starting after the line break at from ends.
func bulletsEnd(lower string, from int) int {
	end := from
	for end < len(lower) && lower[end] == '\n' {
		line := lower[end+1:]
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		item := strings.TrimLeft(line, " \t")
		if !strings.HasPrefix(item, "- ") && !strings.HasPrefix(item, "* ") && !strings.HasPrefix(item, "• ") &&
			(len(item) < 2 || item[0] < '0' || item[0] > '9' || (item[1] != '.' && item[1] != ')')) {
			break
		}
		end += 1 + len(line)
	}
	return end
}

func insideAny(m match, spans [][2]int) bool {
	for _, sp := range spans {
		if sp[0] <= m.start && m.end <= sp[1] {
			return true
		}
	}
	return false
}

// gradePointAt grades one key point and returns the sentence its verdict
// came from (-1 when absent).
func gradePointAt(answer string, sents []sentence, p compiledPoint) (interview.PointVerdict, int) {
	v := interview.PointVerdict{KeyPoint: p.kp.ID, Verdict: interview.Absent}
	var partialAt, contradictedAt *match
	for si, s := range sents {
		for _, ph := range p.full {
			m, ok := findMatch(s, ph)
			if !ok {
				continue
			}
			m.sent = si
			switch {
			case m.negated:
				// "If you don't have a key, retries duplicate" is not a
				// denial, and neither is "..., so the card is never charged
				// twice": that is the point's consequence, avoided.
				if !s.conditional && !consequenceClause(s, m) && contradictedAt == nil {
					contradictedAt = &m
				}
			case s.explains && (!p.kp.NeedsReason || s.reasons):
				v.Verdict, v.Evidence = interview.Present, quote(answer, s, m)
				return v, si
			case partialAt == nil:
				partialAt = &m
			}
		}
		if partialAt == nil {
			for _, ph := range p.partial {
				if m, ok := findMatch(s, ph); ok && !m.negated {
					m.sent = si
					partialAt = &m
					break
				}
			}
		}
	}
	if partialAt == nil && contradictedAt == nil {
		partialAt = restatement(sents, p)
	}
	switch {
	case partialAt != nil:
		v.Verdict, v.Evidence = interview.Partial, quote(answer, sents[partialAt.sent], *partialAt)
		return v, partialAt.sent
	case contradictedAt != nil:
		v.Verdict, v.Evidence = interview.Contradicted, quote(answer, sents[contradictedAt.sent], *contradictedAt)
		return v, contradictedAt.sent
	}
	return v, -1
}

// restatementStems is how many of a key point's own distinctive words one
// explaining sentence must use to be read as the point in other words.
const restatementStems = 4

// restatement finds an explaining sentence that says the key point in
// words no phrase lists: one that shares restatementStems of the distinctive
// words of the point's own text ("a reader puts the old data back after the
// writer deleted it" for the invalidation race). It earns partial credit:
// words alone cannot tell how well the idea was understood.
func restatement(sents []sentence, p compiledPoint) *match {
	if len(p.claim) < restatementStems {
		return nil
	}
	for si, s := range sents {
		if !s.explains {
			continue
		}
		var seen []string
		first, last := -1, -1
		for i, t := range s.toks {
			if t.Kind != text.Content || !slices.Contains(p.claim, t.Stem) || slices.Contains(seen, t.Stem) {
				continue
			}
			seen = append(seen, t.Stem)
			if first < 0 {
				first = i
			}
			last = i
		}
		if len(seen) >= restatementStems && !negatedAround(s, first, last) {
			return &match{sent: si, start: s.toks[first].Start, end: s.toks[last].End}
		}
	}
	return nil
}

// negatesMatched reports a negator, among the matched words or within three
// tokens before the first, whose clause holds a matched word after it. A
// negation ends with its clause: in "idempotent means it doesn't modify
// anything, it's read only" the "doesn't" denies modifying, not the claim
// that follows the comma, and "No, X" asserts X.
func negatesMatched(s sentence, first int, matched []int) bool {
	last := matched[len(matched)-1]
	if clauseBreaks(s, first, last) > 1 {
		// A match strung over several clauses ("read committed (no dirty
		// reads) -> repeatable read (...)") is a list, not one claim:
		// any negation in it counts.
		return negatedAround(s, first, last)
	}
	for k := max(0, first-3); k <= last; k++ {
		if s.toks[k].Kind != text.Negator {
			continue
		}
		for _, m := range matched {
			if m <= k {
				continue
			}
			if clauseBreaks(s, k, m) == 0 {
				return true
			}
		}
	}
	return false
}

// clauseBreaks counts the clause breaks after token from and before token to.
func clauseBreaks(s sentence, from, to int) int {
	n := 0
	for j := from; j < to; j++ {
		if s.breakAfter[j] {
			n++
		}
	}
	return n
}

// negatedAround reports a negator among tokens first..last or within three
// tokens before them: how far back negation reaches ("not the case that X").
func negatedAround(s sentence, first, last int) bool {
	for k := max(0, first-3); k <= last; k++ {
		if s.toks[k].Kind == text.Negator {
			return true
		}
	}
	return false
}

const maxQuote = 160

// quote returns the sentence that holds m, verbatim, cut around the match
// when the sentence is long.
func quote(answer string, s sentence, m match) string {
	a, b := s.start, s.end
	if b-a > maxQuote {
		pad := max(0, (maxQuote-(m.end-m.start))/2)
		a = max(s.start, m.start-pad)
		b = min(s.end, m.end+pad)
		for a > s.start && !isBoundary(answer, a) {
			a--
		}
		for b < s.end && !isBoundary(answer, b) {
			b++
		}
	}
	return strings.TrimSpace(answer[a:b])
}

func isBoundary(s string, i int) bool {
	return i <= 0 || i >= len(s) || s[i] == ' ' || s[i] == '\n'
}

// clarity is the share of the answer's words that sit in explaining sentences.
func clarity(sents []sentence) float64 {
	total, explained := 0, 0
	for _, s := range sents {
		total += len(s.toks)
		if s.explains {
			explained += len(s.toks)
		}
	}
	if total == 0 {
		return 0
	}
	return float64(explained) / float64(total)
}

// relevance is how much a short answer speaks in the question's concepts:
// a quarter for each distinct concept word beyond the first, fading with
// length past 25 words, since a long answer that uses the concepts yet
// makes no key point is more likely wrong than merely vague.
func relevance(sents []sentence, c *compiledQuestion, hedged func() bool) float64 {
	words := 0
	used := map[string]bool{}
	for _, s := range sents {
		for _, t := range s.toks {
			words++
			if t.Kind == text.Content && c.concepts[t.Stem] {
				used[t.Stem] = true
			}
		}
	}
	r := math.Min(1, 0.25*math.Max(0, float64(len(used)-1)))
	if words > 25 && r > 0 && !hedged() {
		r *= math.Pow(25/float64(words), 2)
	}
	return r
}

// hedges are the words of an answer that stays general on purpose: "it
// depends", "pros and cons", "whatever fits your use case", "you have to be
// careful". People write them when they know the topic but not the
// mechanism; a confident wrong answer almost never does.
var hedges = regexp.MustCompile(`\bit (really |all )?depends\b|\bdepend(s|ing)? on (the|your|ur|what|how|scale|workload)\b|\bpros and cons\b|\b(a few|several|different|various|couple of|many|multiple) (ways|approaches|options|patterns|strategies)\b|\b(whatever|what) (fits|works|makes sense)\b|\buse[- ]cases?\b|\byour (needs|requirements)\b|\bcase by case\b|\b(be|being) careful\b|\bcarefully\b|\btricky\b|\bi guess\b|\bsomehow\b|\bright balance\b|\bfind (a|the) balance\b|\bit'?s complicated\b|\bwhatever (\w+ ){0,3}(your|the|ur|our|my) (team|company|org|shop)\b|\bbased on (the|your|ur|what|how) |\bjudg(e)?ment call\b|\bmatter of taste\b`)

// hedgeWords holds a piece of every hedges match, a cheap first test.
var hedgeWords = []string{"depend", "pros and cons", "ways", "approach", "option", "pattern", "strateg", "fits", "works", "makes sense", "use case", "use-case", "usecase", "your needs", "your requirements", "case by case", "careful", "tricky", "guess", "somehow", "balance", "complicated", "whatever", "based on", "ment call", "of taste"}

// hedged reports whether the answer (lower-cased) hedges (see hedges).
func hedged(lower string) bool {
	if !slices.ContainsFunc(hedgeWords, func(w string) bool { return strings.Contains(lower, w) }) {
		return false
	}
	return hedges.MatchString(lower)
}

// A general answer (see interview.Evaluation.General) hedges, is at most
// generalMaxWords long and makes at most generalMaxPoints key points in
// full. People who know the mechanism hedge too, but then go on to say it:
// in the labelled sets every hedged answer this short with three or more
// points made was graded good, and nearly every one with fewer was vague.
const (
	generalMaxWords  = 80
	generalMaxPoints = 2
)

// general reports whether the answer is a general one (see above).
func general(words int, verdicts []interview.PointVerdict, hedged func() bool) bool {
	if words > generalMaxWords {
		return false
	}
	made := 0
	for _, v := range verdicts {
		if v.Verdict == interview.Present {
			made++
		}
	}
	return made <= generalMaxPoints && hedged()
}

// Elaboration (see interview.Evaluation.Elaboration) grows from 0 at
// elaborationFrom words of explaining prose on the question's concepts to 1
// at elaborationFull: below about 75 words nobody has room to go beyond the
// points themselves, and past about 200 more words rarely mean more depth.
const (
	elaborationFrom = 75
	elaborationFull = 200
)

// elaboration counts the words of the sentences that explain (not lists or
// name-drops) and use at least one of the question's concepts, so filler and
// digressions add nothing, and a sentence that says again what an earlier one
// said (repeatedSentence) adds nothing either.
func elaboration(sents []sentence, c *compiledQuestion) float64 {
	words := 0
	var counted []map[string]bool
	for _, s := range sents {
		if !s.explains {
			continue
		}
		stems := map[string]bool{}
		onTopic := false
		for _, t := range s.toks {
			if t.Kind == text.Content {
				stems[t.Stem] = true
				onTopic = onTopic || c.concepts[t.Stem]
			}
		}
		if !onTopic || slices.ContainsFunc(counted, func(prev map[string]bool) bool { return repeatedSentence(stems, prev) }) {
			continue
		}
		counted = append(counted, stems)
		words += len(s.toks)
	}
	return math.Max(0, math.Min(1, float64(words-elaborationFrom)/(elaborationFull-elaborationFrom)))
}

// repeatedSentence reports whether a sentence's content stems are mostly
// (four in five) those of an earlier sentence: the same point pasted again
// or lightly reworded.
func repeatedSentence(stems, earlier map[string]bool) bool {
	return text.Jaccard(stems, earlier) >= 0.8
}

// digressionMinWords is how many distinct substantive words an answer needs
// before the share of them the question never uses says anything.
const digressionMinWords = 12

// digression is the share of the answer's distinct substantive words
// (content words that are not everyday ones) that the question never uses in its prompt,
// key points or follow-ups (see mythWords for why its misconceptions' claims
// do not count). On-topic answers, even vague or
// wrong ones, mostly speak the question's language; an answer to a
// neighbouring question shares a few terms and little else.
func digression(sents []sentence, c *compiledQuestion) float64 {
	// Distinct words, so filler repeated a thousand times weighs as one.
	seen := map[string]bool{}
	foreign := 0
	for _, s := range sents {
		for _, t := range s.toks {
			if t.Kind != text.Content || everyday()[t.Stem] || seen[t.Stem] {
				continue
			}
			seen[t.Stem] = true
			if !c.vocabulary[t.Stem] && !c.asked[t.Stem] {
				foreign++
			}
		}
	}
	if len(seen) < digressionMinWords {
		return 0
	}
	return float64(foreign) / float64(len(seen))
}

// offTopic decides whether an answer that earned nothing is off-topic or
// unreadable. An answer with a present key point is never flagged.
func offTopic(sents []sentence, ev interview.Evaluation, c *compiledQuestion) interview.Flag {
	for _, v := range ev.Verdicts {
		if v.Verdict == interview.Present {
			return ""
		}
	}
	words, wordlike, shared := 0, 0, map[string]bool{}
	for _, s := range sents {
		for _, t := range s.toks {
			words++
			if looksLikeWord(t.Word) {
				wordlike++
			}
			if t.Kind == text.Content && (c.vocabulary[t.Stem] || c.mythWords[t.Stem]) {
				shared[t.Stem] = true
			}
		}
	}
	if words == 0 || float64(wordlike)/float64(words) < 0.6 {
		return interview.FlagGibberish
	}
	if len(shared) < 3 {
		return interview.FlagOffTopic
	}
	return ""
}

// looksLikeWord is a cheap test for keyboard mashing: real words have vowels
// and no long runs of consonants.
func looksLikeWord(w string) bool {
	if len(w) > 24 {
		return false
	}
	vowels, run := 0, 0
	for _, r := range w {
		switch {
		case strings.ContainsRune("aeiouy", r):
			vowels++
			run = 0
		case r >= '0' && r <= '9':
			run = 0
		default:
			run++
			if run >= 5 {
				return false
			}
		}
	}
	return vowels > 0 || len(w) <= 4
}

func feedback(q *questions.Question, ev interview.Evaluation) string {
	present, partial := 0, 0
	for _, v := range ev.Verdicts {
		switch v.Verdict {
		case interview.Present:
			present++
		case interview.Partial:
			partial++
		}
	}
	s := fmt.Sprintf("You made %d of %d key points", present, len(q.KeyPoints))
	if partial > 0 {
		s += fmt.Sprintf(" and touched %d more", partial)
	}
	s += "."
	if n := len(ev.Misconceptions); n > 0 {
		s += fmt.Sprintf(" %d claim%s in it %s not right; the scorecard explains.", n, plural(n), map[bool]string{true: "is", false: "are"}[n == 1])
	}
	if ev.Clarity < 0.5 && present+partial > 0 {
		s += " Explain how the pieces connect, not only their names."
	} else if ev.General && present+partial > 0 {
		s += " It stays general, so it scores as a vague answer: say what it depends on and how it works."
	} else if len(ev.Misconceptions) == 0 && 2*present >= len(q.KeyPoints) && ev.Elaboration < 1 {
		// An answer that makes its points in a line each tops out at a
		// solid score (see interview's undevelopedMax); say what the rest
		// of the scale asks for.
		s += " To reach the top of the scale, develop them: why each one matters and what breaks without it."
	}
	if ev.AboutSomethingElse() {
		s += " Most of it is about something other than the question, so it scores as off-topic."
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
