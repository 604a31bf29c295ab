package main

import (
	"context"
	"fmt"
	"github.com/interviewbot/interviewbot/internal/telemetry"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/interview/llm"
	"github.com/interviewbot/interviewbot/interview/rubric"
	"github.com/interviewbot/interviewbot/store"
)

// graderConfig is the grading part of the configuration, read from the
// environment (and --grader where a command takes it).
type graderConfig struct {
	mode        string // rubric, llm or auto
	apiKey      llm.Secret
	baseURL     string
	model       string
	timeout     time.Duration
	dailyTokens int
}

func (m *Main) graderConfig(flagMode string) (graderConfig, error) {
	c := graderConfig{
		mode:    strings.ToLower(envOr(m.Getenv, "INTERVIEWBOT_GRADER", "auto")),
		apiKey:  llm.Secret(m.Getenv("OPENAI_API_KEY")),
		baseURL: m.Getenv("OPENAI_BASE_URL"),
		model:   envOr(m.Getenv, "INTERVIEWBOT_LLM_MODEL", llm.DefaultModel),
		timeout: 20 * time.Second,
	}
	if flagMode != "" {
		c.mode = strings.ToLower(flagMode)
	}
	switch c.mode {
	case "rubric", "llm", "auto":
	default:
		return c, interview.Errorf(interview.Invalid, "grader %q is not one of rubric, llm, auto (INTERVIEWBOT_GRADER or --grader)", c.mode)
	}
	if c.baseURL != "" {
		u, err := url.Parse(c.baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, interview.Errorf(interview.Invalid, "OPENAI_BASE_URL %q is not an http(s) URL", c.baseURL)
		}
	}
	if v := m.Getenv("INTERVIEWBOT_LLM_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, interview.Errorf(interview.Invalid, "INTERVIEWBOT_LLM_TIMEOUT %q is not a duration such as 20s", v)
		}
		c.timeout = d
	}
	if v := m.Getenv("INTERVIEWBOT_LLM_DAILY_TOKENS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return c, interview.Errorf(interview.Invalid, "INTERVIEWBOT_LLM_DAILY_TOKENS %q is not a whole number of tokens", v)
		}
		c.dailyTokens = n
	}
	if c.mode == "auto" {
		c.mode = "rubric"
		if c.apiKey != "" || c.baseURL != "" {
			c.mode = "llm"
		}
	}
	if c.mode == "llm" && c.apiKey == "" && c.baseURL == "" {
		return c, interview.Errorf(interview.Invalid, "the llm grader needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)")
	}
	return c, nil
}

// commandGrader is the grader of a one-off command (grade, eval): the
// configured one, or the one --grader names, with no usage accounting.
func (m *Main) commandGrader(flagMode string) (interview.Evaluator, error) {
	gc, err := m.graderConfig(flagMode)
	if err != nil {
		return nil, err
	}
	return m.evaluator(gc, nil)
}

// evaluator builds the configured grader. usage may be nil (no accounting).
func (m *Main) evaluator(c graderConfig, usage *store.Store) (interview.Evaluator, error) {
	if c.mode == "rubric" {
		return rubric.New(), nil
	}
	cfg := llm.Config{APIKey: c.apiKey, BaseURL: c.baseURL, Model: c.model, Timeout: c.timeout,
		DailyTokens: c.dailyTokens, Fallback: rubric.New(), Now: m.Now}
	if usage != nil {
		cfg.Usage = meteredUsage{usage}
	}
	g, err := llm.New(cfg)
	if err != nil {
		return nil, err
	}
	telemetry.Gauge("interviewbot_llm_breaker_open", "LLM circuit breaker: 0 closed, 0.5 half-open (probing), 1 open.", func() float64 {
		switch g.Breaker() {
		case llm.Open:
			return 1
		case llm.HalfOpen:
			return 0.5
		}
		return 0
	})
	return g, nil
}

// meteredUsage records LLM tokens in the store and in the metrics.
type meteredUsage struct{ *store.Store }

func (u meteredUsage) RecordUsage(ctx context.Context, team, user, model string, prompt, completion, cached int, at time.Time) error {
	telemetry.LLMTokens(prompt, completion, cached)
	return u.Store.RecordUsage(ctx, team, user, model, prompt, completion, cached, at)
}

const usageUsage = `Usage:
  interviewbot usage [--since YYYY-MM-DD]

Prints the LLM grader's tokens per team and per day (UTC).
`

func (m *Main) usageCmd(ctx context.Context, g global, args []string) error {
	fs := subFlags("usage")
	since := fs.String("since", "", "")
	if err := m.parseSub(fs, usageUsage, args); err != nil {
		return err
	}
	if *since != "" {
		if _, err := time.Parse(time.DateOnly, *since); err != nil {
			fmt.Fprintf(m.Stderr, "interviewbot usage: --since %q is not a date like 2026-01-31\n\n%s", *since, usageUsage)
			return errUsage
		}
	}
	st, err := store.Open(ctx, g.db, store.Options{Now: m.Now})
	if err != nil {
		return err
	}
	defer st.Close()
	rows, err := st.Usage(ctx, *since)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%-10s  %-20s %6s %10s %10s %10s\n", "day", "team", "calls", "prompt", "cached", "completion")
	for _, r := range rows {
		fmt.Fprintf(m.Stdout, "%-10s  %-20s %6d %10d %10d %10d\n", r.Day, r.Team, r.Calls, r.Prompt, r.Cached, r.Completion)
	}
	if len(rows) == 0 {
		fmt.Fprintln(m.Stdout, "no LLM usage recorded")
	}
	return nil
}
