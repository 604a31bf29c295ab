// Package llm is the evaluator backed by any OpenAI-compatible chat endpoint.
// It returns the same grading contract as the rubric grader: verdicts with
// verbatim evidence, misconceptions and a follow-up. The score is still
// computed from the verdicts by shared code, and every reply is checked
// against the answer, so a model talked into generosity gains little. When
// the model fails, times out, answers garbage or the team's token budget is
// spent, the answer is graded offline by the fallback grader and says so.
// It is the only package that imports the OpenAI client.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/interviewbot/interviewbot/internal/text"
	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/interview/guard"
	"github.com/interviewbot/interviewbot/questions"
)

// DefaultModel is small, cheap and good at structured output.
const DefaultModel = "gpt-4o-mini"

// UsageStore keeps token accounting; the store package implements it.
type UsageStore interface {
	RecordUsage(ctx context.Context, team, user, model string, prompt, completion, cached int, at time.Time) error
	TokensOn(ctx context.Context, team string, day string) (int, error)
}

// Config configures the grader.
type Config struct {
	APIKey  Secret
	BaseURL string // "" means OpenAI's
	Model   string
	// Timeout bounds each HTTP attempt; MaxAttempts bounds attempts per call.
	Timeout     time.Duration
	MaxAttempts int
	Seed        int
	// DailyTokens is each team's budget per UTC day; 0 means unlimited.
	DailyTokens int
	Usage       UsageStore
	// Fallback grades when the model cannot; normally the rubric grader.
	Fallback interview.Evaluator
	// CapMargin is how far (in points of 10) the model's score may rise
	// above the fallback grader's before it is capped.
	CapMargin float64

	HTTPClient *http.Client // base transport; nil means http.DefaultTransport
	Now        func() time.Time
	Sleep      func(ctx context.Context, d time.Duration) error
	Rand       func() float64
	Log        *slog.Logger
	// BreakerThreshold failed calls in a row open the breaker for
	// BreakerCooldown.
	BreakerThreshold int
	BreakerCooldown  time.Duration
}

// Grader is the LLM evaluator.
type Grader struct {
	cfg     Config
	client  *openai.Client
	breaker *breaker
}

// New returns a grader. It fails only on configuration errors.
func New(cfg Config) (*Grader, error) {
	if cfg.Fallback == nil {
		return nil, errors.New("llm: a fallback grader is required")
	}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 3
	}
	if cfg.CapMargin <= 0 {
		cfg.CapMargin = 3
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.BreakerThreshold <= 0 {
		cfg.BreakerThreshold = 3
	}
	if cfg.BreakerCooldown <= 0 {
		cfg.BreakerCooldown = time.Minute
	}
	base := http.DefaultTransport
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		base = cfg.HTTPClient.Transport
	}
	oc := openai.DefaultConfig(string(cfg.APIKey))
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	oc.HTTPClient = &http.Client{Transport: zeroTemperature{retrying{
		next: base, attempts: cfg.MaxAttempts, timeout: cfg.Timeout,
		base: 500 * time.Millisecond, maxWait: 20 * time.Second, sleep: cfg.Sleep, rand: cfg.Rand,
	}}}
	return &Grader{
		cfg:     cfg,
		client:  openai.NewClientWithConfig(oc),
		breaker: &breaker{threshold: cfg.BreakerThreshold, cooldown: cfg.BreakerCooldown, now: cfg.Now},
	}, nil
}

// Name implements interview.Evaluator: engine, model and prompt version.
func (g *Grader) Name() string { return "llm/" + g.cfg.Model + "/" + PromptVersion }

// Breaker reports the circuit breaker's state.
func (g *Grader) Breaker() BreakerState { return g.breaker.state() }

// Notices shown when the answer was graded offline instead.
const (
	NoticeOffline = "The AI grader is unavailable right now, so this answer was graded offline by the rubric grader."
	NoticeBudget  = "Your team's AI grading budget for today is used up, so this answer was graded offline by the rubric grader."
)

// reply is the JSON the model returns.
type reply struct {
	Verdicts []struct {
		KeyPoint string `json:"key_point"`
		Verdict  string `json:"verdict"`
		Evidence string `json:"evidence"`
	} `json:"verdicts"`
	Misconceptions []struct {
		ID       string `json:"id"`
		Evidence string `json:"evidence"`
	} `json:"misconceptions"`
	FollowUp struct {
		Kind string `json:"kind"`
		Text string `json:"text"`
	} `json:"follow_up"`
	Feedback string `json:"feedback"`
}

// Evaluate implements interview.Evaluator.
func (g *Grader) Evaluate(ctx context.Context, req interview.Request) (interview.Evaluation, error) {
	q := req.Question
	answer := text.Clean(req.Answer)
	var notices []string
	if cut, truncated := text.Truncate(answer, interview.MaxAnswerBytes); truncated {
		answer = cut
		notices = append(notices, fmt.Sprintf("Your answer was longer than %d characters; only the first %d were graded.", interview.MaxAnswerBytes, interview.MaxAnswerBytes))
	}
	clean, stripped := guard.Strip(answer)

	// The rubric grader's view of the same answer: the fallback, and the
	// yardstick that caps a model talked into generosity.
	base, err := g.cfg.Fallback.Evaluate(ctx, interview.Request{Question: q, Answer: answer, AskedFollowUps: req.AskedFollowUps})
	if err != nil {
		return interview.Evaluation{}, err
	}
	switch base.Flag {
	case interview.FlagEmpty, interview.FlagSkip, interview.FlagGibberish:
		// Nothing for a model to read. An answer the rubric thinks off-topic
		// still goes to the model, which can see a paraphrase for what it is.
		return base, nil
	}
	offline := func(notice string) interview.Evaluation {
		ev := base
		ev.Notices = append(slices.Clone(ev.Notices), notice)
		ev.Flags = append(ev.Flags, "fallback")
		return ev
	}

	actor := interview.ActorFrom(ctx)
	if over, err := g.overBudget(ctx, actor.Team, q, clean); err != nil {
		g.cfg.Log.Warn("llm budget check failed", "team", actor.Team, "err", err)
	} else if over {
		return offline(NoticeBudget), nil
	}
	if !g.breaker.allow() {
		return offline(NoticeOffline), nil
	}

	r, err := g.ask(ctx, q, req, clean)
	g.breaker.record(err == nil)
	if err != nil {
		if ctx.Err() != nil {
			return interview.Evaluation{}, ctx.Err()
		}
		g.cfg.Log.Warn("llm grading failed; graded offline", "question", q.ID, "team", actor.Team, "err", err, "breaker", g.breaker.state())
		return offline(NoticeOffline), nil
	}

	ev := g.toEvaluation(q, answer, r.reply, req.AskedFollowUps)
	ev.Notices = append(notices, ev.Notices...)
	if r.repaired {
		ev.Flags = append(ev.Flags, "repaired")
	}
	if stripped > 0 {
		ev.Flags = append(ev.Flags, "injection-stripped")
		ev.Notices = append(ev.Notices, "Text addressed to the grader was ignored; only your answer counts.")
	}
	// How the answer is written is read the same way whichever engine
	// judged its points, so both engines score prose, lists and depth alike.
	ev.Clarity = base.Clarity
	ev.Relevance = base.Relevance
	ev.Elaboration = base.Elaboration
	if base.Flag == interview.FlagOffTopic {
		// Nothing the rubric recognised: the cap's yardstick is zero, so only
		// the margin can be earned, and the model must show it with evidence.
		ev.Flags = append(ev.Flags, "rubric-offtopic")
	}
	g.capAgainst(q, &ev, base)
	return ev, nil
}

func (g *Grader) overBudget(ctx context.Context, team string, q *questions.Question, answer string) (bool, error) {
	if g.cfg.DailyTokens <= 0 || g.cfg.Usage == nil {
		return false, nil
	}
	used, err := g.cfg.Usage.TokensOn(ctx, team, g.cfg.Now().UTC().Format(time.DateOnly))
	if err != nil {
		return false, err
	}
	need := EstimateTokens(stablePrefix(q)) + EstimateTokens(answer) + 600
	return used+need > g.cfg.DailyTokens, nil
}

type asked struct {
	reply    reply
	repaired bool
}

// ask makes the call, and one repair call when the reply does not fit the
// schema or the question.
func (g *Grader) ask(ctx context.Context, q *questions.Question, req interview.Request, answer string) (asked, error) {
	asking := q.Prompt
	var kinds []string
	for _, i := range req.AskedFollowUps {
		if i >= 0 && i < len(q.FollowUps) {
			kinds = append(kinds, string(q.FollowUps[i].Kind))
		}
	}
	msgs := []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleSystem, Content: stablePrefix(q)},
		{Role: openai.ChatMessageRoleUser, Content: candidateMessage(q, asking, kinds, answer)},
	}
	content, err := g.call(ctx, q, msgs)
	if err != nil {
		return asked{}, err
	}
	r, verr := parseReply(q, content)
	if verr == nil {
		return asked{reply: r}, nil
	}
	msgs = append(msgs,
		openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: truncateForRepair(content)},
		openai.ChatCompletionMessage{Role: openai.ChatMessageRoleUser, Content: "That reply does not fit the schema: " + verr.Error() + ". Reply again with one JSON object that fits it exactly, with a verdict for every key point."})
	content, err = g.call(ctx, q, msgs)
	if err != nil {
		return asked{}, err
	}
	r, verr = parseReply(q, content)
	if verr != nil {
		return asked{}, fmt.Errorf("reply still invalid after repair: %w", verr)
	}
	return asked{reply: r, repaired: true}, nil
}

func truncateForRepair(s string) string {
	s, _ = text.Truncate(s, 4000)
	return s
}

func (g *Grader) call(ctx context.Context, q *questions.Question, msgs []openai.ChatCompletionMessage) (string, error) {
	seed := g.cfg.Seed
	resp, err := g.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:    g.cfg.Model,
		Messages: msgs,
		Seed:     &seed,
		ResponseFormat: &openai.ChatCompletionResponseFormat{
			Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
				Name: "grading", Schema: schema(q), Strict: true,
			},
		},
		MaxCompletionTokens: 1200,
	})
	if err != nil {
		return "", scrub(err, g.cfg.APIKey)
	}
	g.recordUsage(ctx, resp.Usage)
	if len(resp.Choices) == 0 {
		return "", errors.New("llm: reply has no choices")
	}
	return resp.Choices[0].Message.Content, nil
}

// scrub makes sure an error never carries the API key, whatever the server
// echoed back.
func scrub(err error, key Secret) error {
	msg := err.Error()
	if key != "" && strings.Contains(msg, string(key)) {
		return errors.New(strings.ReplaceAll(msg, string(key), "[redacted]"))
	}
	return err
}

func (g *Grader) recordUsage(ctx context.Context, u openai.Usage) {
	if g.cfg.Usage == nil {
		return
	}
	cached := 0
	if u.PromptTokensDetails != nil {
		cached = u.PromptTokensDetails.CachedTokens
	}
	a := interview.ActorFrom(ctx)
	if err := g.cfg.Usage.RecordUsage(context.WithoutCancel(ctx), a.Team, a.User, g.cfg.Model, u.PromptTokens, u.CompletionTokens, cached, g.cfg.Now()); err != nil {
		g.cfg.Log.Warn("record llm usage", "err", err)
	}
}

// parseReply decodes and validates a reply against the question: valid
// JSON, one verdict per key point and nothing unknown.
func parseReply(q *questions.Question, content string) (reply, error) {
	var r reply
	content = strings.TrimSpace(content)
	content = strings.TrimPrefix(strings.TrimSuffix(content, "```"), "```json")
	dec := json.NewDecoder(strings.NewReader(content))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return reply{}, fmt.Errorf("not the expected JSON object (%v)", err)
	}
	seen := map[string]bool{}
	for _, v := range r.Verdicts {
		if _, ok := q.KeyPoint(v.KeyPoint); !ok {
			return reply{}, fmt.Errorf("unknown key point %q", v.KeyPoint)
		}
		if seen[v.KeyPoint] {
			return reply{}, fmt.Errorf("key point %q graded twice", v.KeyPoint)
		}
		seen[v.KeyPoint] = true
		switch interview.Verdict(v.Verdict) {
		case interview.Present, interview.Partial, interview.Contradicted, interview.Absent:
		default:
			return reply{}, fmt.Errorf("verdict %q is not one of present, partial, contradicted, absent", v.Verdict)
		}
	}
	for _, kp := range q.KeyPoints {
		if !seen[kp.ID] {
			return reply{}, fmt.Errorf("no verdict for key point %q", kp.ID)
		}
	}
	for _, m := range r.Misconceptions {
		if _, ok := q.Misconception(m.ID); !ok && m.ID != "none" {
			return reply{}, fmt.Errorf("unknown misconception %q", m.ID)
		}
	}
	return r, nil
}

// toEvaluation checks the reply against the answer: evidence must be a real
// span of it, and the follow-up must be a fair question of its kind.
func (g *Grader) toEvaluation(q *questions.Question, answer string, r reply, askedFollowUps []int) interview.Evaluation {
	ev := interview.Evaluation{QuestionID: q.ID, Grader: g.Name(), Misconceptions: []interview.FoundMisconception{}}
	folded := fold(answer)
	byID := map[string]interview.PointVerdict{}
	for _, v := range r.Verdicts {
		pv := interview.PointVerdict{KeyPoint: v.KeyPoint, Verdict: interview.Verdict(v.Verdict), Evidence: strings.TrimSpace(v.Evidence)}
		if pv.Verdict != interview.Absent && (pv.Evidence == "" || !strings.Contains(folded, fold(pv.Evidence))) {
			// An invented quote earns nothing.
			pv = interview.PointVerdict{KeyPoint: v.KeyPoint, Verdict: interview.Absent}
		}
		if pv.Verdict == interview.Absent {
			pv.Evidence = ""
		}
		byID[v.KeyPoint] = pv
	}
	for _, kp := range q.KeyPoints {
		ev.Verdicts = append(ev.Verdicts, byID[kp.ID])
	}
	for _, m := range r.Misconceptions {
		if m.ID != "none" && m.Evidence != "" && strings.Contains(folded, fold(m.Evidence)) {
			ev.Misconceptions = append(ev.Misconceptions, interview.FoundMisconception{ID: m.ID, Evidence: strings.TrimSpace(m.Evidence)})
		}
	}
	ev.FollowUp = checkFollowUp(q, ev.Verdicts, r.FollowUp.Kind, r.FollowUp.Text, askedFollowUps)
	if fb := strings.TrimSpace(r.Feedback); fb != "" && len(fb) < 1200 {
		ev.Feedback = fb
	}
	return ev
}

// fold normalises text for evidence matching: case, white space and curly
// quotes do not matter.
func fold(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "…", "...").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

var kindCues = map[questions.FollowUpKind][]string{
	questions.Scale:    {"traffic", "load", "grow", "scale", "million", "thousand", "users", "request", "x ", "times", "per second", "spike", "peak", "volume"},
	questions.Failure:  {"fail", "down", "crash", "die", "outage", "unavailable", "lost", "lose", "restart", "timeout", "times out", "partition", "break", "corrupt"},
	questions.Race:     {"same time", "concurrent", "simultaneous", "race", "at once", "two ", "both", "parallel", "same moment", "together"},
	questions.Tradeoff: {"why", "instead", "alternative", "rather", "versus", " vs", "cost", "trade"},
}

// checkFollowUp keeps the model's follow-up when it is one real question of
// its kind that does not give a missed key point away; otherwise the bank's
// authored follow-up for the biggest gap is used.
func checkFollowUp(q *questions.Question, verdicts []interview.PointVerdict, kind, text string, asked []int) *interview.SuggestedFollowUp {
	fallback := interview.SuggestFollowUp(q, verdicts, asked)
	text = strings.TrimSpace(text)
	k := questions.FollowUpKind(kind)
	if !slices.Contains(questions.FollowUpKinds, k) || text == "" || len(text) > 400 || !strings.HasSuffix(text, "?") || strings.Count(text, "?") > 2 {
		return fallback
	}
	lower := " " + strings.ToLower(text) + " "
	if cues, ok := kindCues[k]; ok && !slices.ContainsFunc(cues, func(c string) bool { return strings.Contains(lower, c) }) &&
		!(k == questions.Scale && strings.ContainsAny(text, "0123456789")) {
		return fallback
	}
	if givesAway(q, verdicts, text) {
		return fallback
	}
	return &interview.SuggestedFollowUp{Kind: k, Text: text, Index: -1}
}

// givesAway reports whether a follow-up states a missed key point: it holds
// most of that point's content words.
func givesAway(q *questions.Question, verdicts []interview.PointVerdict, followUp string) bool {
	fuStems, _ := text.ContentStems(followUp)
	have := map[string]bool{}
	for _, s := range fuStems {
		have[s] = true
	}
	for _, v := range verdicts {
		if v.Verdict == interview.Present {
			continue
		}
		kp, _ := q.KeyPoint(v.KeyPoint)
		stems, _ := text.ContentStems(kp.Text)
		if len(stems) < 3 {
			continue
		}
		hit := 0
		for _, s := range stems {
			if have[s] {
				hit++
			}
		}
		if float64(hit)/float64(len(stems)) >= 0.6 {
			return true
		}
	}
	return false
}

// capAgainst lowers the model's verdicts when its score is far above the
// rubric grader's for the same answer: the points the rubric found no trace
// of lose credit first, heaviest first, until the gap is within the margin.
func (g *Grader) capAgainst(q *questions.Question, ev *interview.Evaluation, base interview.Evaluation) {
	limit := interview.Score(q, base.Verdicts, base.Misconceptions, nil) + g.cfg.CapMargin
	if interview.Score(q, ev.Verdicts, ev.Misconceptions, nil) <= limit {
		return
	}
	baseOf := map[string]interview.Verdict{}
	for _, v := range base.Verdicts {
		baseOf[v.KeyPoint] = v.Verdict
	}
	order := slices.Clone(q.KeyPoints)
	slices.SortStableFunc(order, func(a, b questions.KeyPoint) int {
		switch {
		case a.Weight > b.Weight:
			return -1
		case a.Weight < b.Weight:
			return 1
		}
		return 0
	})
	for _, step := range []interview.Verdict{interview.Partial, interview.Absent} {
		for _, kp := range order {
			if baseOf[kp.ID] == interview.Present {
				continue
			}
			for i := range ev.Verdicts {
				v := &ev.Verdicts[i]
				if v.KeyPoint == kp.ID && (v.Verdict == interview.Present || (step == interview.Absent && v.Verdict == interview.Partial)) {
					v.Verdict = step
					if step == interview.Absent {
						v.Evidence = ""
					}
				}
			}
			if interview.Score(q, ev.Verdicts, ev.Misconceptions, nil) <= limit {
				ev.Flags = append(ev.Flags, "score-capped")
				return
			}
		}
	}
	ev.Flags = append(ev.Flags, "score-capped")
}
