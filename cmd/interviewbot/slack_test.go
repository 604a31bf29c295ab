package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	slackbot "github.com/interviewbot/interviewbot/bot/slack"
	"github.com/interviewbot/interviewbot/bot/slack/slackfake"
	"github.com/interviewbot/interviewbot/store"
)

const (
	slackBot    = "xoxb-test-secret-bot"
	slackApp    = "xapp-test-secret-app"
	slackSecret = "signing-secret-value"
	slackTeam   = "T0TEAM"
	slackChan   = "C0GENERAL"
	slackUser   = "U0ALICE"
	slackAnswer = "With cache-aside the application checks the cache first, and on a miss it reads the database and stores the result in the cache. Every key gets a TTL so stale data expires, and writes invalidate the key."
)

func slackFake(t *testing.T) *slackfake.Server {
	f := slackfake.New(t, slackBot, slackApp)
	f.AddUser(slackfake.User{ID: slackUser, Name: "Alice"})
	return f
}

// Half or malformed Slack settings stop the program with the variable
// named, never print a token, and never fall back to the console.
func TestSlackConfigurationErrors(t *testing.T) {
	fake := slackFake(t)
	db := filepath.Join(t.TempDir(), "cfg.db")
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bot token only", map[string]string{"SLACK_BOT_TOKEN": slackBot}, nil, "SLACK_APP_TOKEN"},
		{"app token only", map[string]string{"SLACK_APP_TOKEN": slackApp}, nil, "SLACK_BOT_TOKEN is not"},
		{"signing secret only", map[string]string{"SLACK_SIGNING_SECRET": slackSecret}, nil, "SLACK_BOT_TOKEN is not"},
		{"bot token malformed", map[string]string{"SLACK_BOT_TOKEN": "xoxp-test-secret-bot", "SLACK_APP_TOKEN": slackApp}, nil, "SLACK_BOT_TOKEN must be a bot token starting with xoxb-"},
		{"app token malformed", map[string]string{"SLACK_BOT_TOKEN": slackBot, "SLACK_APP_TOKEN": "xoxb-test-secret-app"}, nil, "SLACK_APP_TOKEN must be an app-level token"},
		{"http mode without --listen", map[string]string{"SLACK_BOT_TOKEN": slackBot, "SLACK_SIGNING_SECRET": slackSecret}, nil, "--listen"},
		{"api url malformed", map[string]string{"SLACK_BOT_TOKEN": slackBot, "SLACK_APP_TOKEN": slackApp, "SLACK_API_URL": "http://127.0.0.1:1/"}, nil, "SLACK_API_URL must be"},
		{"bot token rejected", map[string]string{"SLACK_BOT_TOKEN": "xoxb-test-secret-wrong", "SLACK_APP_TOKEN": slackApp, "SLACK_API_URL": fake.APIURL()}, nil, "Slack refused SLACK_BOT_TOKEN (invalid_auth)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, runOpts{env: tt.env, stdin: "/streak\n"}, append([]string{"--db", db}, tt.args...)...)
			if r.code != exitError {
				t.Fatalf("exit code %d, want 1\n%s", r.code, r)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr lacks %q\n%s", tt.want, r)
			}
			if strings.Contains(r.stderr+r.stdout, "test-secret") || strings.Contains(r.stderr+r.stdout, slackSecret) {
				t.Errorf("a secret was printed\n%s", r)
			}
			if strings.Contains(r.stdout, "interviewbot console:") {
				t.Errorf("the console started\n%s", r)
			}
		})
	}
	// invalid_auth is final: one auth.test, no retry loop.
	if n := len(fake.Calls()); n != 1 {
		t.Errorf("%d calls to Slack for a rejected token, want 1", n)
	}
}

// A rejected app token ends a running bot with exit 1 and a clear line.
func TestSlackAppTokenRejected(t *testing.T) {
	fake := slackFake(t)
	r := run(t, runOpts{env: map[string]string{"SLACK_BOT_TOKEN": slackBot, "SLACK_APP_TOKEN": "xapp-test-secret-wrong", "SLACK_API_URL": fake.APIURL()}},
		"--db", filepath.Join(t.TempDir(), "app.db"))
	if r.code != exitError || !strings.Contains(r.stderr, "Slack refused SLACK_APP_TOKEN") || strings.Contains(r.stderr, "test-secret") {
		t.Fatalf("want exit 1 naming SLACK_APP_TOKEN without its value\n%s", r)
	}
}

// lockedBuffer is written by the program's logger while the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startMain runs the whole program in-process until the returned stop is
// called; stop returns the exit code.
func startMain(t *testing.T, env map[string]string, args ...string) (stop func() int, stderr *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr = &lockedBuffer{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: stderr,
		Getenv: func(k string) string { return env[k] }, Now: func() time.Time { return fixedNow }}
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, args) }()
	var once sync.Once
	code := 0
	stop = func() int {
		once.Do(func() {
			cancel()
			code = <-done
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return stop, stderr
}

// waitPost waits for a chat.postMessage matching pred.
func waitPost(ctx context.Context, t *testing.T, f *slackfake.Server, what string, pred func(slackfake.Call) bool) slackfake.Call {
	t.Helper()
	c, err := f.WaitCall(ctx, "chat.postMessage", pred)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return c
}

func postsIn(f *slackfake.Server, thread string) int {
	n := 0
	for _, c := range f.CallsTo("chat.postMessage") {
		if c.Args["thread_ts"] == thread {
			n++
		}
	}
	return n
}

// waitFirstQuestion waits for the first question in the thread: the last
// of the messages /mock posts, so later posts answer later events.
func waitFirstQuestion(ctx context.Context, t *testing.T, f *slackfake.Server, thread string) {
	t.Helper()
	waitPost(ctx, t, f, "the first question", func(c slackfake.Call) bool {
		return c.Args["thread_ts"] == thread && strings.Contains(c.Args["text"], "Question 1 of")
	})
}

// waitThreadPosts waits until the thread holds at least n bot posts.
func waitThreadPosts(ctx context.Context, t *testing.T, f *slackfake.Server, thread string, n int) {
	t.Helper()
	if err := f.WaitCalls(ctx, fmt.Sprintf("%d posts in the thread", n), func([]slackfake.Call) bool { return postsIn(f, thread) >= n }); err != nil {
		t.Fatal(err)
	}
}

// A whole /mock over Socket Mode through the real Run loop: the parent
// message, the thread, answers as plain replies and the scorecard.
func TestSlackSocketModeMockThroughMain(t *testing.T) {
	ctx := testContext(t)
	fake := slackFake(t)
	db := filepath.Join(t.TempDir(), "socket.db")
	stop, stderr := startMain(t, map[string]string{"SLACK_BOT_TOKEN": slackBot, "SLACK_APP_TOKEN": slackApp, "SLACK_API_URL": fake.APIURL()}, "--db", db)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	id, err := fake.Send(slackfake.Envelope{Type: "slash_commands", Payload: slackfake.SlashCommand(slackTeam, slackChan, slackUser, "/mock", "caching quick", "trig-1")})
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := fake.WaitAck(ctx, id); err != nil || !strings.Contains(string(ack.Payload), "Starting") {
		t.Fatalf("ack %s %v", ack.Payload, err)
	}
	parent := waitPost(ctx, t, fake, "the parent message", func(c slackfake.Call) bool {
		return strings.HasPrefix(c.Args["text"], "Mock interview for <@"+slackUser+">")
	})
	ts := parent.TS
	waitFirstQuestion(ctx, t, fake, ts)
	scored := false
	for turn := 0; turn < 6 && !scored; turn++ {
		n := postsIn(fake, ts)
		id, err := fake.Send(slackfake.Envelope{Type: "events_api", Payload: slackfake.Message(fmt.Sprintf("Ev%d", turn), slackTeam, slackChan, "channel", slackUser, slackAnswer, fmt.Sprintf("1700000300.%06d", turn), ts)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fake.WaitAck(ctx, id); err != nil {
			t.Fatal(err)
		}
		waitThreadPosts(ctx, t, fake, ts, n+1)
		for _, c := range fake.CallsTo("chat.postMessage") {
			scored = scored || c.Args["thread_ts"] == ts && strings.Contains(c.Args["text"], "Scorecard")
		}
	}
	if !scored {
		t.Fatalf("no scorecard in the thread\n%s", stderr)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("exit code %d after shutdown\n%s", code, stderr)
	}
	if strings.Contains(stderr.String(), "test-secret") {
		t.Errorf("a token reached the log\n%s", stderr)
	}
}

// signedPost sends a request to the bot's HTTP mode, signed at fixedNow.
func signedPost(t *testing.T, url, contentType, body string, secret string, at time.Time, headers ...string) (*http.Response, string) {
	t.Helper()
	ts := strconv.FormatInt(at.Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackbot.Sign(secret, ts, []byte(body)))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// The same flow in HTTP mode with signed requests; unsigned, stale and
// oversized requests are refused.
func TestSlackHTTPModeThroughMain(t *testing.T) {
	ctx := testContext(t)
	fake := slackFake(t)
	addr := freeAddr(t)
	db := filepath.Join(t.TempDir(), "http.db")
	stop, stderr := startMain(t, map[string]string{"SLACK_BOT_TOKEN": slackBot, "SLACK_SIGNING_SECRET": slackSecret, "SLACK_API_URL": fake.APIURL()}, "--db", db, "--listen", addr)
	base := "http://" + addr
	// The listener is up once a request is answered at all.
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Post(base+"/slack/events", "application/json", strings.NewReader("{}"))
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("HTTP mode never listened: %v\n%s", err, stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	form := "application/x-www-form-urlencoded"
	if resp, body := signedPost(t, base+"/slack/events", "application/json", `{"type":"url_verification","challenge":"c-123"}`, slackSecret, fixedNow); resp.StatusCode != 200 || body != "c-123" {
		t.Fatalf("url verification: %d %q", resp.StatusCode, body)
	}
	cmd := slackfake.Form(slackfake.SlashCommand(slackTeam, slackChan, slackUser, "/mock", "caching quick", "trig-h1"))
	for _, bad := range []struct {
		name   string
		secret string
		at     time.Time
	}{{"wrong secret", "other", fixedNow}, {"stale", slackSecret, fixedNow.Add(-6 * time.Minute)}} {
		if resp, _ := signedPost(t, base+"/slack/commands", form, cmd, bad.secret, bad.at); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", bad.name, resp.StatusCode)
		}
	}
	if resp, _ := signedPost(t, base+"/slack/events", "application/json", strings.Repeat(" ", slackbot.MaxBody+1), slackSecret, fixedNow); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: status %d, want 413", resp.StatusCode)
	}
	if n := len(fake.CallsTo("chat.postMessage")); n != 0 {
		t.Fatalf("a refused request did work: %d posts", n)
	}
	resp, body := signedPost(t, base+"/slack/commands", form, cmd, slackSecret, fixedNow)
	if resp.StatusCode != 200 || !strings.Contains(body, "Starting") {
		t.Fatalf("/mock: %d %q", resp.StatusCode, body)
	}
	parent := waitPost(ctx, t, fake, "the parent message", func(c slackfake.Call) bool { return strings.HasPrefix(c.Args["text"], "Mock interview for") })
	waitFirstQuestion(ctx, t, fake, parent.TS)
	ev := fmt.Sprintf(`{"type":"event_callback","team_id":%q,"event_id":"EvH1","event":{"type":"message","user":%q,"text":%q,"channel":%q,"channel_type":"channel","ts":"1700000400.000001","thread_ts":%q}}`,
		slackTeam, slackUser, slackAnswer, slackChan, parent.TS)
	n := postsIn(fake, parent.TS)
	if resp, _ := signedPost(t, base+"/slack/events", "application/json", ev, slackSecret, fixedNow); resp.StatusCode != 200 {
		t.Fatalf("event: %d", resp.StatusCode)
	}
	waitThreadPosts(ctx, t, fake, parent.TS, n+1)
	// Slack's retry of the same event (X-Slack-Retry-Num) is answered 200
	// and not graded again.
	if resp, _ := signedPost(t, base+"/slack/events", "application/json", ev, slackSecret, fixedNow, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"); resp.StatusCode != 200 {
		t.Fatalf("retried event: %d", resp.StatusCode)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("exit code %d\n%s", code, stderr)
	}
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sess, err := st.SessionByThread(ctx, "slack", slackTeam, slackChan, parent.TS)
	if err != nil {
		t.Fatal(err)
	}
	turns, _ := st.Turns(ctx, sess.ID)
	if got := countAnswers(turns, slackAnswer); got != 1 {
		t.Errorf("the answer is stored %d times, want 1 (the retry is a duplicate)", got)
	}
}

// The real binary killed mid-interview and started again picks the
// interview up in the same thread.
func TestSlackKilledMidInterviewResumesInThread(t *testing.T) {
	ctx := testContext(t)
	fake := slackFake(t)
	db := filepath.Join(t.TempDir(), "kill.db")
	env := []string{"SLACK_BOT_TOKEN=" + slackBot, "SLACK_APP_TOKEN=" + slackApp, "SLACK_API_URL=" + fake.APIURL()}
	c1 := startChildWith(ctx, t, env, "--db", db)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatalf("%v\n%s", err, c1)
	}
	if _, err := fake.Send(slackfake.Envelope{Type: "slash_commands", Payload: slackfake.SlashCommand(slackTeam, slackChan, slackUser, "/mock", "caching", "trig-k1")}); err != nil {
		t.Fatal(err)
	}
	parent := waitPost(ctx, t, fake, "the parent message", func(c slackfake.Call) bool { return strings.HasPrefix(c.Args["text"], "Mock interview for") })
	ts := parent.TS
	waitFirstQuestion(ctx, t, fake, ts)
	n := postsIn(fake, ts)
	if _, err := fake.Send(slackfake.Envelope{Type: "events_api", Payload: slackfake.Message("EvK1", slackTeam, slackChan, "channel", slackUser, slackAnswer, "1700000500.000001", ts)}); err != nil {
		t.Fatal(err)
	}
	waitThreadPosts(ctx, t, fake, ts, n+1)
	c1.kill(ctx)

	c2 := startChildWith(ctx, t, env, "--db", db)
	if err := fake.WaitConnected(ctx, 2); err != nil {
		t.Fatalf("%v\n%s", err, c2)
	}
	n = postsIn(fake, ts)
	if _, err := fake.Send(slackfake.Envelope{Type: "events_api", Payload: slackfake.Message("EvK2", slackTeam, slackChan, "channel", slackUser, "repeat", "1700000500.000002", ts)}); err != nil {
		t.Fatal(err)
	}
	waitThreadPosts(ctx, t, fake, ts, n+1)
	var last slackfake.Call
	for _, c := range fake.CallsTo("chat.postMessage") {
		if c.Args["thread_ts"] == ts {
			last = c
		}
	}
	if !strings.Contains(last.Args["text"], "Follow-up") && !strings.Contains(last.Args["text"], "Question") {
		t.Errorf("after the restart the thread got %q, want the current prompt again", last.Args["text"])
	}
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sess, err := st.SessionByThread(ctx, "slack", slackTeam, slackChan, ts)
	if err != nil || !sess.Open {
		t.Fatalf("the thread's session after restart: %v", err)
	}
	turns, _ := st.Turns(ctx, sess.ID)
	if got := countAnswers(turns, slackAnswer); got != 1 {
		t.Errorf("the answer before the kill is stored %d times, want 1", got)
	}
}
