package telemetry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

func TestEndpoints(t *testing.T) {
	s := &Server{}
	var broken error
	s.AddCheck(Check{Name: "database", Test: func(context.Context) error { return nil }})
	s.AddCheck(Check{Name: "slack", Test: func(context.Context) error { return broken }})
	h := s.Handler()
	if code, body := get(t, h, "/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	if code, body := get(t, h, "/readyz"); code != 200 || !strings.Contains(body, `"ready":true`) {
		t.Errorf("/readyz ready: %d %s", code, body)
	}
	broken = errors.New("socket disconnected")
	if code, body := get(t, h, "/readyz"); code != 503 || !strings.Contains(body, "socket disconnected") || !strings.Contains(body, `"database":"ok"`) {
		t.Errorf("/readyz not ready: %d %s", code, body)
	}
	EventReceived("slack", "slash_commands")
	EventAcked("slack", "slash_commands", 2*time.Millisecond)
	DailyPost(false)
	DBError()
	LLMTokens(1200, 100, 1024)
	Gauge("interviewbot_test_gauge", "a test gauge", func() float64 { return 1 })
	Gauge("interviewbot_test_gauge", "a test gauge", func() float64 { return 42 })
	_, body := get(t, h, "/metrics")
	for _, want := range []string{
		`interviewbot_events_received_total{platform="slack",type="slash_commands"} 1`,
		`interviewbot_ack_latency_seconds_bucket{platform="slack",le="0.0025"} 1`,
		`interviewbot_daily_posts_total{outcome="failed"} 1`,
		`interviewbot_database_errors_total 1`,
		`interviewbot_llm_tokens_total{kind="cached"} 1024`,
		`interviewbot_test_gauge 42`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

type stubEval struct {
	name  string
	flags []string
	err   error
}

func (s stubEval) Name() string { return s.name }
func (s stubEval) Evaluate(context.Context, interview.Request) (interview.Evaluation, error) {
	return interview.Evaluation{Flags: s.flags}, s.err
}

func TestEvaluatorCountsLLMOutcomes(t *testing.T) {
	ctx := context.Background()
	Evaluator{stubEval{name: "llm/m/1"}}.Evaluate(ctx, interview.Request{})
	Evaluator{stubEval{name: "llm/m/1", flags: []string{"fallback"}}}.Evaluate(ctx, interview.Request{})
	Evaluator{stubEval{name: "llm/m/1", err: errors.New("x")}}.Evaluate(ctx, interview.Request{})
	Evaluator{stubEval{name: "rubric/1"}}.Evaluate(ctx, interview.Request{})
	_, body := get(t, (&Server{}).Handler(), "/metrics")
	for _, want := range []string{
		`interviewbot_llm_calls_total{outcome="ok"} 1`,
		`interviewbot_llm_calls_total{outcome="fallback"} 1`,
		`interviewbot_llm_calls_total{outcome="error"} 1`,
		`interviewbot_grading_seconds_count{grader="llm"} 3`,
		`interviewbot_grading_seconds_count{grader="rubric"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
