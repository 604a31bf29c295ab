package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeModel is a minimal OpenAI-compatible server on loopback: it reads the
// key point ids from the system prompt and grades every one "absent", with a
// follow-up of its own. failing makes it answer 500 instead.
type fakeModel struct {
	srv     *httptest.Server
	calls   atomic.Int32
	failing atomic.Bool
}

var keyPointID = regexp.MustCompile(`(?m)^- id "([^"]+)", weight`)

func newFakeModel(t *testing.T) *fakeModel {
	f := &fakeModel{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		if f.failing.Load() {
			http.Error(w, `{"error":{"message":"backend-exploded-7731"}}`, http.StatusInternalServerError)
			return
		}
		body, _ := io.ReadAll(r.Body)
		writeAbsentGrade(w, body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// writeAbsentGrade answers a chat completion request with every key point
// of the prompt graded absent and an authored-looking follow-up.
func writeAbsentGrade(w http.ResponseWriter, body []byte) {
	var req struct {
		Messages []struct{ Content string } `json:"messages"`
	}
	json.Unmarshal(body, &req)
	var verdicts []string
	if len(req.Messages) > 0 {
		for _, m := range keyPointID.FindAllStringSubmatch(req.Messages[0].Content, -1) {
			verdicts = append(verdicts, fmt.Sprintf(`{"key_point":%q,"verdict":"absent","evidence":""}`, m[1]))
		}
	}
	content := fmt.Sprintf(`{"verdicts":[%s],"misconceptions":[],"follow_up":{"kind":"failure","text":"The primary node crashes mid-write. What does your client see?"},"feedback":"Say more."}`, strings.Join(verdicts, ","))
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"choices":[{"message":{"role":"assistant","content":%q}}],"usage":{"prompt_tokens":1200,"completion_tokens":150,"total_tokens":1350}}`, content)
}

func llmEnv(t *testing.T, f *fakeModel) map[string]string {
	return map[string]string{
		"OPENAI_API_KEY":                "sk-test-secret",
		"OPENAI_BASE_URL":               f.srv.URL + "/v1",
		"INTERVIEWBOT_DB":               filepath.Join(t.TempDir(), "llm.db"),
		"INTERVIEWBOT_LLM_TIMEOUT":      "2s",
		"INTERVIEWBOT_LLM_DAILY_TOKENS": "1000000",
		"USER":                          "lee",
	}
}

func TestConsoleGradesWithTheLLMWhenConfigured(t *testing.T) {
	f := newFakeModel(t)
	env := llmEnv(t, f)
	r := run(t, runOpts{env: env, stdin: "/mock databases quick\nACID stands for atomicity, consistency, isolation and durability.\n"})
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r)
	}
	if f.calls.Load() != 1 {
		t.Errorf("model calls = %d, want 1 for one answer", f.calls.Load())
	}
	if !strings.Contains(flat(r.stdout), "The primary node crashes mid-write. What does your client see?") {
		t.Errorf("the model's follow-up was not asked\n%s", r)
	}
	if strings.Contains(r.stdout+r.stderr, "sk-test-secret") {
		t.Error("the API key was printed")
	}
	u := run(t, runOpts{env: env}, "usage")
	if u.code != exitOK || !strings.Contains(u.stdout, "console:local") || !strings.Contains(u.stdout, "1200") {
		t.Errorf("usage does not show the call\n%s", u)
	}
}

func TestConsoleFallsBackToRubricWhenTheModelFails(t *testing.T) {
	f := newFakeModel(t)
	f.failing.Store(true)
	env := llmEnv(t, f)
	r := run(t, runOpts{env: env, stdin: "/mock databases quick\nACID stands for atomicity, consistency, isolation and durability.\nend\n"})
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r)
	}
	if !strings.Contains(flat(r.stdout), "graded offline by the rubric grader") || !strings.Contains(r.stdout, "graded by rubric/") {
		t.Errorf("no offline notice or rubric grader named\n%s", r)
	}
	if strings.Contains(r.stdout, "backend-exploded-7731") || strings.Contains(r.stdout, "status code: 500") {
		t.Errorf("a raw model error reached the console\n%s", r)
	}
}

func TestGraderConfigErrors(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"INTERVIEWBOT_GRADER": "magic"}, nil, `grader "magic" is not one of rubric, llm, auto`},
		{map[string]string{"INTERVIEWBOT_GRADER": "llm"}, nil, "needs OPENAI_API_KEY"},
		{map[string]string{"OPENAI_BASE_URL": "localhost:11434"}, nil, "is not an http(s) URL"},
		{map[string]string{"OPENAI_API_KEY": "k", "INTERVIEWBOT_LLM_TIMEOUT": "soon"}, nil, "INTERVIEWBOT_LLM_TIMEOUT"},
		{map[string]string{"OPENAI_API_KEY": "k", "INTERVIEWBOT_LLM_DAILY_TOKENS": "lots"}, nil, "INTERVIEWBOT_LLM_DAILY_TOKENS"},
		{nil, []string{"grade", "--question", "rest-idempotency", "--answer-file", "-", "--grader", "magic"}, `grader "magic"`},
	}
	for _, c := range cases {
		env := map[string]string{"INTERVIEWBOT_DB": filepath.Join(t.TempDir(), "x.db")}
		for k, v := range c.env {
			env[k] = v
		}
		r := run(t, runOpts{env: env, stdin: "an answer"}, c.args...)
		if r.code != exitError || !strings.Contains(r.stderr, c.want) {
			t.Errorf("env %v args %v: exit %d, want 1 with %q\n%s", c.env, c.args, r.code, c.want, r)
		}
	}
}

// flat folds the console's line wrapping away.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }
