// Package telemetry holds the bot's Prometheus metrics and the HTTP
// endpoints operators watch: /healthz, /readyz and /metrics. Packages record
// through the functions here, so only this package knows the metric names.
package telemetry

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every metric of the process.
var Registry = prometheus.NewRegistry()

var (
	eventsReceived = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "interviewbot_events_received_total", Help: "Platform events received, by platform and event type.",
	}, []string{"platform", "type"})
	eventsAcked = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "interviewbot_events_acknowledged_total", Help: "Platform events acknowledged, by platform and event type.",
	}, []string{"platform", "type"})
	ackLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "interviewbot_ack_latency_seconds", Help: "Time from receiving an event to acknowledging it.",
		Buckets: []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 3},
	}, []string{"platform"})
	gradingLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "interviewbot_grading_seconds", Help: "Time to grade one answer, by grader.",
		Buckets: []float64{0.0005, 0.002, 0.01, 0.05, 0.25, 1, 2.5, 5, 10, 30},
	}, []string{"grader"})
	llmCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "interviewbot_llm_calls_total", Help: "Answers sent to the LLM grader, by outcome (ok, fallback, error).",
	}, []string{"outcome"})
	llmTokens = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "interviewbot_llm_tokens_total", Help: "LLM tokens spent, by kind (prompt, completion, cached).",
	}, []string{"kind"})
	dailyPosts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "interviewbot_daily_posts_total", Help: "Daily questions and recaps posted, by outcome (sent, failed).",
	}, []string{"outcome"})
	dbErrors = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "interviewbot_database_errors_total", Help: "Database operations that failed.",
	})
)

func init() {
	Registry.MustRegister(eventsReceived, eventsAcked, ackLatency, gradingLatency, llmCalls, llmTokens, dailyPosts, dbErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}

// EventReceived counts an event from a platform.
func EventReceived(platform, typ string) { eventsReceived.WithLabelValues(platform, typ).Inc() }

// EventAcked counts an acknowledged event and how long acknowledging took.
func EventAcked(platform, typ string, took time.Duration) {
	eventsAcked.WithLabelValues(platform, typ).Inc()
	ackLatency.WithLabelValues(platform).Observe(took.Seconds())
}

// DailyPost counts a scheduled post.
func DailyPost(sent bool) {
	if sent {
		dailyPosts.WithLabelValues("sent").Inc()
	} else {
		dailyPosts.WithLabelValues("failed").Inc()
	}
}

// DBError counts a failed database operation.
func DBError() { dbErrors.Inc() }

// LLMTokens counts tokens the LLM grader spent.
func LLMTokens(prompt, completion, cached int) {
	llmTokens.WithLabelValues("prompt").Add(float64(prompt))
	llmTokens.WithLabelValues("completion").Add(float64(completion))
	llmTokens.WithLabelValues("cached").Add(float64(cached))
}

// Gauge registers a value read at each scrape (open interviews, breaker
// state). Registering a name again replaces the reader, so a process that
// rewires (tests run the program many times) reads its current state.
func Gauge(name, help string, read func() float64) {
	gaugesMu.Lock()
	defer gaugesMu.Unlock()
	if _, ok := gauges[name]; !ok {
		Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
			gaugesMu.Lock()
			r := gauges[name]
			gaugesMu.Unlock()
			return r()
		}))
	}
	gauges[name] = read
}

var (
	gaugesMu sync.Mutex
	gauges   = map[string]func() float64{}
)

// Evaluator times every grading and counts LLM outcomes.
type Evaluator struct {
	interview.Evaluator
}

// Evaluate grades through the wrapped evaluator.
func (e Evaluator) Evaluate(ctx context.Context, req interview.Request) (interview.Evaluation, error) {
	start := time.Now()
	ev, err := e.Evaluator.Evaluate(ctx, req)
	gradingLatency.WithLabelValues(graderFamily(e.Name())).Observe(time.Since(start).Seconds())
	if strings.HasPrefix(e.Name(), "llm/") {
		switch {
		case err != nil:
			llmCalls.WithLabelValues("error").Inc()
		case slices.Contains(ev.Flags, "fallback"):
			llmCalls.WithLabelValues("fallback").Inc()
		default:
			llmCalls.WithLabelValues("ok").Inc()
		}
	}
	return ev, err
}

// graderFamily keeps label values few: "llm" or "rubric", not every model.
func graderFamily(name string) string {
	family, _, _ := strings.Cut(name, "/")
	return family
}

// Check is one readiness condition: nil when ready.
type Check struct {
	Name string
	Test func(ctx context.Context) error
}

// Server serves /healthz, /readyz and /metrics.
type Server struct {
	mu     sync.Mutex
	checks []Check
	srv    *http.Server
	ln     net.Listener
}

// AddCheck adds a readiness condition.
func (s *Server) AddCheck(c Check) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = append(s.checks, c)
}

// Handler is the endpoints' mux.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(Registry, promhttp.HandlerOpts{}))
	return mux
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	checks := slices.Clone(s.checks)
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status := map[string]string{}
	ok := true
	for _, c := range checks {
		if err := c.Test(ctx); err != nil {
			status[c.Name] = err.Error()
			ok = false
		} else {
			status[c.Name] = "ok"
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(map[string]any{"ready": ok, "checks": status})
}

// Listen binds addr; Serve then runs until Shutdown.
func (s *Server) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	return nil
}

// Addr is the bound address, once listening.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Serve serves until Shutdown.
func (s *Server) Serve() error {
	if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops serving, letting requests in flight finish.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}
