package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/store"
)

// heldModel is an OpenAI-compatible fake that holds each request until the
// test lets it go, so a turn can be caught in flight.
type heldModel struct {
	srv     *httptest.Server
	arrived chan struct{}
	release chan struct{}
}

func newHeldModel(t *testing.T) *heldModel {
	h := &heldModel{arrived: make(chan struct{}, 8), release: make(chan struct{})}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.arrived <- struct{}{}
		<-h.release
		writeAbsentGrade(w, body)
	}))
	t.Cleanup(func() {
		select {
		case <-h.release:
		default:
			close(h.release)
		}
		h.srv.Close()
	})
	return h
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// SIGTERM while an answer is being graded: the process waits for the turn,
// commits it, and exits 0; the operator endpoints answer while it runs.
func TestSigtermCommitsTheTurnInFlight(t *testing.T) {
	ctx := testContext(t)
	model := newHeldModel(t)
	db := filepath.Join(t.TempDir(), "term.db")
	addr := freeAddr(t)
	c := startChildWith(ctx, t, []string{"OPENAI_API_KEY=sk-test", "OPENAI_BASE_URL=" + model.srv.URL + "/v1", "INTERVIEWBOT_LLM_TIMEOUT=60s"},
		"--db", db, "--user", "ana", "--http", addr)
	cmd := c.cmd
	c.send("/mock caching quick")
	c.waitFor(ctx, "the question", func(out string) bool { return strings.Contains(out, "== Question 1 of 1") })

	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("%s: %v\n%s", path, err, c)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
		if path == "/metrics" && !strings.Contains(string(body), "interviewbot_open_interviews 1") {
			t.Errorf("/metrics lacks the open interview:\n%.2000s", body)
		}
	}

	c.send("I would put a TTL on every key and delete the key when the row changes.")
	select {
	case <-model.arrived:
	case <-ctx.Done():
		t.Fatalf("the answer never reached the model\n%s", c)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Give the signal time to land before the grade comes back, so the
	// turn really is in flight when the shutdown starts.
	time.Sleep(300 * time.Millisecond)
	close(model.release)
	select {
	case <-c.done:
	case <-ctx.Done():
		t.Fatalf("the child did not exit after SIGTERM\n%s", c)
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM\n%s", code, c)
	}
	if !strings.Contains(c.stdout.String(), "Stopped. Your progress is saved.") {
		t.Errorf("no stop message\n%s", c)
	}
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	turns, err := st.Turns(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tr := range turns {
		if strings.Contains(tr.Answer, "TTL on every key") && strings.HasPrefix(tr.Grader, "llm/") {
			found = true
		}
	}
	if !found {
		t.Fatalf("the turn in flight was not committed with the model's grade: %+v\n%s", turns, c)
	}
}
