package discord

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/bot/discord/discordfake"
	"github.com/interviewbot/interviewbot/interview/rubric"
	"github.com/interviewbot/interviewbot/questions"
	"github.com/interviewbot/interviewbot/store"
)

const (
	token   = "MTA5.test-secret.token"
	guild   = "81384788765712384"
	channel = "81384788765712390"
)

var (
	alice = discordfake.Member{ID: "100000000000000001", Name: "Alice", Perms: discordfake.PermManageGuild}
	bob   = discordfake.Member{ID: "100000000000000002", Name: "Bob"}
)

// cachingAnswer names the usual key points of a caching question.
const cachingAnswer = "With cache-aside the application checks the cache first, and on a miss it reads the database and stores the result in the cache. Every key gets a TTL so stale data expires, and writes invalidate the key."

func testCtx(t testing.TB) context.Context {
	limit := time.Now().Add(90 * time.Second)
	if dt, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := dt.Deadline(); ok && d.Add(-5*time.Second).Before(limit) {
			limit = d.Add(-5 * time.Second)
		}
	}
	ctx, cancel := context.WithDeadline(t.Context(), limit)
	t.Cleanup(cancel)
	return ctx
}

func openStore(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newApp(t testing.TB, st *store.Store) *bot.App {
	t.Helper()
	bank, err := questions.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return bot.NewApp(bot.Config{Store: st, Bank: bank, Evaluator: rubric.New(), Seed: 7, Location: time.UTC})
}

// logBuf collects log lines from several goroutines.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// harness is a running adapter against a fake Discord.
type harness struct {
	t    testing.TB
	ctx  context.Context
	fake *discordfake.Server
	app  *bot.App
	ad   *Adapter
	logs *logBuf
	stop func() error
}

func newFake(t testing.TB) *discordfake.Server {
	f := discordfake.New(t, token)
	f.AddChannel(guild, channel, "general")
	return f
}

func start(t testing.TB, fake *discordfake.Server, st *store.Store, tune ...func(*Config)) *harness {
	t.Helper()
	ctx := testCtx(t)
	app := newApp(t, st)
	logs := &logBuf{}
	base, err := ParseAPIURL(fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{App: app, Token: Secret(fake.Token), AppID: fake.AppID, APIURL: base,
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
		AdapterWork: bot.AdapterWork{Grace: 10 * time.Second, Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))}}
	for _, f := range tune {
		f(&cfg)
	}
	ad := New(cfg)
	app.Poster = ad
	if err := ad.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ad.Run(runCtx) }()
	h := &harness{t: t, ctx: ctx, fake: fake, app: app, ad: ad, logs: logs}
	stopped := false
	var stopErr error
	h.stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			stopErr = <-done
		}
		return stopErr
	}
	t.Cleanup(func() { h.stop() })
	fake.WaitConnected(t)
	return h
}

func (h *harness) must(id string, err error) string {
	h.t.Helper()
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

// of returns the calls on route for one interaction.
func of(calls []discordfake.Call, route, interaction string) []discordfake.Call {
	var out []discordfake.Call
	for _, c := range calls {
		if c.Route == route && (interaction == "" || c.Interaction == interaction) {
			out = append(out, c)
		}
	}
	return out
}

const (
	rCallback = "POST /interactions/{id}/{token}/callback"
	rOriginal = "PATCH /webhooks/{app}/{token}/messages/@original"
	rFollowup = "POST /webhooks/{app}/{token}"
	rMessage  = "POST /channels/{channel}/messages"
	rThread   = "POST /channels/{channel}/threads"
)

// answer waits for the edited acknowledgement of an interaction and
// returns it.
func (h *harness) answer(id string) discordfake.Call {
	h.t.Helper()
	calls := h.fake.WaitFor(h.t, "the reply to interaction "+id, func(calls []discordfake.Call) bool {
		return len(of(calls, rOriginal, id)) > 0
	})
	return of(calls, rOriginal, id)[0]
}

// inThread waits until the thread holds at least n bot messages and
// returns them.
func (h *harness) inThread(thread string, n int) []discordfake.Call {
	h.t.Helper()
	var got []discordfake.Call
	h.fake.WaitFor(h.t, fmt.Sprintf("%d messages in thread %s", n, thread), func(calls []discordfake.Call) bool {
		got = got[:0]
		for _, c := range calls {
			if c.Route == rMessage && c.Channel == thread && c.Status == 200 {
				got = append(got, c)
			}
		}
		return len(got) >= n
	})
	return got
}

// startMock runs /mock for a member and returns the interview thread.
func (h *harness) startMock(m discordfake.Member, opts ...discordfake.Option) string {
	h.t.Helper()
	id := h.must(h.fake.Command(guild, channel, m, "mock", opts...))
	reply := h.answer(id)
	threads := h.fake.Threads()
	if len(threads) == 0 {
		h.t.Fatalf("no thread created; reply %q", reply.Text())
	}
	thread := threads[len(threads)-1].ID
	if !strings.Contains(reply.Text(), "<#"+thread+">") {
		h.t.Fatalf("the /mock reply does not point to the thread: %q", reply.Text())
	}
	h.inThread(thread, 1)
	return thread
}

func TestMockInPrivateThread(t *testing.T) {
	fake := newFake(t)
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))

	id := h.must(fake.Command(guild, channel, alice, "mock", discordfake.Opt("topic", "caching"), discordfake.Opt("level", "junior"), discordfake.Opt("questions", 1)))
	reply := h.answer(id)
	calls := fake.Calls()
	acks := of(calls, rCallback, id)
	if len(acks) != 1 || acks[0].Type() != 5 || acks[0].Flags()&64 == 0 {
		t.Fatalf("want one deferred ephemeral acknowledgement, got %+v", acks)
	}
	threads := fake.Threads()
	if len(threads) != 1 {
		t.Fatalf("want one thread, got %d", len(threads))
	}
	th := threads[0]
	if th.Channel != channel || th.Body["type"] != float64(12) || th.Body["invitable"] != false {
		t.Errorf("thread not private in the channel: %+v", th.Body)
	}
	thread := th.ID
	if n := len(of(calls, "PUT /channels/{channel}/thread-members/{user}", "")); n != 1 {
		t.Errorf("user added to the thread %d times, want 1", n)
	}
	if !strings.Contains(reply.Text(), "<#"+thread+">") {
		t.Errorf("reply does not point to the thread: %q", reply.Text())
	}
	first := h.inThread(thread, 2)
	if !strings.Contains(first[1].Text(), "Question 1 of 1") {
		t.Fatalf("the thread does not open with the question: %q", first[1].Text())
	}

	// The candidate answers, then ends; the scorecard comes back as embeds.
	h.must(fake.Message(guild, thread, alice, cachingAnswer))
	got := h.inThread(thread, 3)
	if strings.Contains(got[2].Text(), "not graded") {
		t.Fatalf("the answer was not graded: %q", got[2].Text())
	}
	before := len(got)
	h.must(fake.Message(guild, thread, alice, "end"))
	var card discordfake.Call
	fake.WaitFor(t, "the scorecard", func(calls []discordfake.Call) bool {
		for _, c := range calls {
			if c.Route == rMessage && c.Channel == thread && strings.Contains(c.Text(), "Scorecard:") {
				card = c
				return true
			}
		}
		return false
	})
	embeds, _ := card.Body["embeds"].([]any)
	if len(embeds) == 0 {
		t.Errorf("the scorecard is not an embed: %+v", card.Body)
	}
	if len(h.inThread(thread, before+1)) <= before {
		t.Error("no reply to end")
	}

	// Someone else's message in the thread is not graded; they are told once.
	h.must(fake.Message(guild, thread, bob, "I think it is about TTLs"))
	h.must(fake.Message(guild, thread, bob, "and eviction"))
	fake.WaitFor(t, "the not-yours note", func(calls []discordfake.Call) bool {
		for _, c := range calls {
			if c.Channel == thread && strings.Contains(c.Content(), "belongs to someone else") {
				return true
			}
		}
		return false
	})
	// A later message of Alice's is processed after Bob's, so once its
	// reply is there Bob's second message has been handled too.
	h.must(fake.Message(guild, thread, alice, "thanks"))
	waitQuiet(t, h)
	notes := 0
	for _, c := range fake.Calls() {
		if c.Channel == thread && strings.Contains(c.Content(), "belongs to someone else") {
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("told %d times that the thread is not theirs, want 1", notes)
	}
}

// waitQuiet waits until the adapter has no work queued.
func waitQuiet(t testing.TB, h *harness) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for h.ad.disp.Pending() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("work still queued")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestPrivateThreadFallsBackToPublic(t *testing.T) {
	fake := newFake(t)
	fake.DenyPrivateThreads()
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))
	id := h.must(fake.Command(guild, channel, alice, "mock", discordfake.Opt("topic", "caching")))
	reply := h.answer(id)
	threads := fake.Threads()
	if len(threads) != 1 || threads[0].Body["type"] != float64(11) {
		t.Fatalf("want one public thread after the private one was refused, got %+v", threads)
	}
	if !strings.Contains(reply.Text(), "public thread") {
		t.Errorf("the reply does not say the thread is public: %q", reply.Text())
	}
	msgs := h.inThread(threads[0].ID, 3)
	if !strings.Contains(msgs[0].Text(), "public") || !strings.Contains(msgs[2].Text(), "Question 1 of") {
		t.Errorf("thread lacks the public note then the question: %q / %q", msgs[0].Text(), msgs[2].Text())
	}
	if !strings.Contains(h.logs.String(), "route=\"POST /channels/{channel}/threads\"") || !strings.Contains(h.logs.String(), "channel="+channel) {
		t.Errorf("the refused thread is not logged with route and channel:\n%s", h.logs)
	}
}

func TestMockArgumentsAndSecondInterview(t *testing.T) {
	fake := newFake(t)
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))
	bad := h.must(fake.Command(guild, channel, alice, "mock", discordfake.Opt("topic", "astrology")))
	if txt := h.answer(bad).Text(); !strings.Contains(txt, "Unknown topic") {
		t.Errorf("bad topic reply %q", txt)
	}
	if n := len(fake.Threads()); n != 0 {
		t.Errorf("a bad topic opened %d threads", n)
	}
	thread := h.startMock(alice)
	again := h.must(fake.Command(guild, channel, alice, "mock"))
	if txt := h.answer(again).Text(); !strings.Contains(txt, "already have an interview") || !strings.Contains(txt, "<#"+thread+">") {
		t.Errorf("second /mock reply %q", txt)
	}
	if n := len(fake.Threads()); n != 1 {
		t.Errorf("second /mock opened another thread (%d)", n)
	}
}

func TestAutocompleteTopics(t *testing.T) {
	fake := newFake(t)
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))
	id := h.must(fake.Autocomplete(guild, channel, alice, "mock", discordfake.Focused("topic", "cach")))
	calls := fake.WaitFor(t, "the autocomplete answer", func(calls []discordfake.Call) bool { return len(of(calls, rCallback, id)) > 0 })
	c := of(calls, rCallback, id)[0]
	if c.Type() != 8 {
		t.Fatalf("callback type %d, want 8", c.Type())
	}
	data, _ := c.Body["data"].(map[string]any)
	choices, _ := data["choices"].([]any)
	if len(choices) != 1 || choices[0].(map[string]any)["value"] != "caching" {
		t.Errorf("choices for %q: %v", "cach", choices)
	}
	_ = h
}

func TestDailyQuestionModal(t *testing.T) {
	fake := newFake(t)
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))

	denied := h.must(fake.Command(guild, channel, bob, "daily", discordfake.Sub("now")))
	if txt := h.answer(denied).Text(); !strings.Contains(txt, "Only an admin") {
		t.Errorf("non-admin /daily now: %q", txt)
	}
	now := h.must(fake.Command(guild, channel, alice, "daily", discordfake.Sub("now")))
	h.answer(now)
	var post discordfake.Call
	fake.WaitFor(t, "the daily question", func(calls []discordfake.Call) bool {
		for _, c := range calls {
			if c.Route == rMessage && c.Channel == channel && strings.Contains(c.Text(), "Daily question") {
				post = c
				return true
			}
		}
		return false
	})
	var answerID string
	for _, comp := range post.Components() {
		if id, _ := comp["custom_id"].(string); strings.HasPrefix(id, "daily-answer:") {
			answerID = id
		}
	}
	if answerID == "" || !strings.Contains(post.Text(), "[Answer privately]") {
		t.Fatalf("the daily question has no Answer privately button: %+v", post.Components())
	}

	press := h.must(fake.Button(guild, channel, bob, post.ID, answerID))
	calls := fake.WaitFor(t, "the modal", func(calls []discordfake.Call) bool { return len(of(calls, rCallback, press)) > 0 })
	modal := of(calls, rCallback, press)[0]
	if modal.Type() != 9 {
		t.Fatalf("button answered with type %d, want a modal (9)", modal.Type())
	}
	data := modal.Body["data"].(map[string]any)
	modalID, _ := data["custom_id"].(string)
	var sawAnswer bool
	for _, in := range modal.Components() {
		if in["custom_id"] == "answer" {
			sawAnswer = in["max_length"] == float64(4000) && in["style"] == float64(2)
		}
	}
	if !sawAnswer {
		t.Errorf("the modal lacks a 4,000-character paragraph input: %+v", modal.Components())
	}

	submit := h.must(fake.ModalSubmit(guild, channel, bob, modalID, map[string]string{"answer": cachingAnswer, "share": "yes"}))
	feedback := h.answer(submit)
	ack := of(fake.Calls(), rCallback, submit)
	if len(ack) != 1 || ack[0].Type() != 5 || ack[0].Flags()&64 == 0 {
		t.Errorf("the modal submit was not acknowledged as deferred and ephemeral: %+v", ack)
	}
	if !strings.Contains(feedback.Text(), "Daily answer:") || !strings.Contains(feedback.Text(), "/10") {
		t.Errorf("feedback %q", feedback.Text())
	}

	// The answer counts for the streak and the board.
	st := h.must(fake.Command(guild, channel, bob, "streak"))
	if txt := h.answer(st).Text(); !strings.Contains(txt, "Streak: 1 day") {
		t.Errorf("/streak after a daily answer: %q", txt)
	}
	lb := h.must(fake.Command(guild, channel, bob, "leaderboard", discordfake.Opt("period", "all")))
	if txt := h.answer(lb).Text(); !strings.Contains(txt, "Bob") {
		t.Errorf("/leaderboard all: %q", txt)
	}

	// /daily answer opens the same form.
	cmd := h.must(fake.Command(guild, channel, bob, "daily", discordfake.Sub("answer")))
	calls = fake.WaitFor(t, "the /daily answer modal", func(calls []discordfake.Call) bool { return len(of(calls, rCallback, cmd)) > 0 })
	if c := of(calls, rCallback, cmd)[0]; c.Type() != 9 {
		t.Errorf("/daily answer gave callback type %d, want 9", c.Type())
	}

	// The discuss button opens the thread under the question.
	disc := h.must(fake.Button(guild, channel, bob, post.ID, "daily-discuss:1"))
	if txt := h.answer(disc).Text(); !strings.Contains(txt, "<#"+post.ID+">") {
		t.Errorf("discuss reply %q", txt)
	}
}

func TestDuplicateDispatchProcessedOnce(t *testing.T) {
	fake := newFake(t)
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))
	id := h.must(fake.Command(guild, channel, alice, "help"))
	h.answer(id)
	if err := fake.Resend("INTERACTION_CREATE", id); err != nil {
		t.Fatal(err)
	}
	thread := h.startMock(alice, discordfake.Opt("topic", "caching"))
	// k is how many messages one "repeat" brings.
	n0 := len(h.inThread(thread, 1))
	msg := h.must(fake.Message(guild, thread, alice, "repeat"))
	h.inThread(thread, n0+1)
	waitQuiet(t, h)
	n1 := len(h.inThread(thread, n0+1))
	k := n1 - n0
	if err := fake.Resend("MESSAGE_CREATE", msg); err != nil {
		t.Fatal(err)
	}
	// A marker after the duplicate: once it is answered, the duplicate
	// ahead of it in the thread's queue has been handled.
	h.must(fake.Message(guild, thread, alice, "repeat"))
	h.inThread(thread, n1+k)
	waitQuiet(t, h)
	calls := fake.Calls()
	if n := len(of(calls, rCallback, id)); n != 1 {
		t.Errorf("a duplicated interaction was acknowledged %d times", n)
	}
	if n := len(of(calls, rOriginal, id)); n != 1 {
		t.Errorf("a duplicated interaction was answered %d times", n)
	}
	if n := len(h.inThread(thread, n1+k)); n != n1+k {
		t.Errorf("thread has %d bot messages, want %d: the duplicated message was handled twice", n, n1+k)
	}
}

func TestDisallowedIntentKeepsServing(t *testing.T) {
	fake := newFake(t)
	fake.DisallowMessageContent()
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))
	ids := fake.Identifies()
	if len(ids) < 2 || ids[0].Intents&discordfake.IntentMessageContent == 0 || ids[len(ids)-1].Intents&discordfake.IntentMessageContent != 0 {
		t.Fatalf("want an identify with the intent, then one without: %+v", ids)
	}
	if h.ad.ContentIntent() {
		t.Error("adapter still believes it has the Message Content intent")
	}
	mock := h.must(fake.Command(guild, channel, alice, "mock"))
	if txt := h.answer(mock).Text(); !strings.Contains(txt, "Message Content intent") {
		t.Errorf("/mock without the intent: %q", txt)
	}
	if n := len(fake.Threads()); n != 0 {
		t.Errorf("/mock opened a thread without the intent")
	}
	help := h.must(fake.Command(guild, channel, alice, "help"))
	if txt := h.answer(help).Text(); !strings.Contains(txt, "/mock") {
		t.Errorf("/help without the intent: %q", txt)
	}
	h.answer(h.must(fake.Command(guild, channel, alice, "daily", discordfake.Sub("now"))))
	modal := h.must(fake.Command(guild, channel, alice, "daily", discordfake.Sub("answer")))
	calls := fake.WaitFor(t, "the modal", func(calls []discordfake.Call) bool { return len(of(calls, rCallback, modal)) > 0 })
	if c := of(calls, rCallback, modal)[0]; c.Type() != 9 {
		t.Errorf("modals stopped working without the intent: %s", c.Text())
	}
	if n := strings.Count(h.logs.String(), "Privileged Gateway Intents"); n != 1 {
		t.Errorf("the instruction was logged %d times, want once:\n%s", n, h.logs)
	}
}

func TestRestartResumesThread(t *testing.T) {
	fake := newFake(t)
	st := openStore(t, filepath.Join(t.TempDir(), "bot.db"))
	h1 := start(t, fake, st)
	thread := h1.startMock(alice, discordfake.Opt("topic", "caching"), discordfake.Opt("questions", 2))
	n0 := len(h1.inThread(thread, 1))
	h1.must(fake.Message(guild, thread, alice, "repeat"))
	h1.inThread(thread, n0+1)
	waitQuiet(t, h1)
	n1 := len(h1.inThread(thread, n0+1))
	k := n1 - n0 // messages one "repeat" brings
	first := h1.must(fake.Message(guild, thread, alice, cachingAnswer))
	h1.inThread(thread, n1+1)
	waitQuiet(t, h1)
	n2 := len(h1.inThread(thread, n1+1))
	if err := h1.stop(); err != nil {
		t.Fatal(err)
	}

	// A new process: nothing cached about the thread.
	h2 := start(t, fake, st)
	if err := fake.Resend("MESSAGE_CREATE", first); err != nil {
		t.Fatal(err)
	}
	h2.must(fake.Message(guild, thread, alice, "repeat"))
	h2.inThread(thread, n2+k)
	waitQuiet(t, h2)
	got := h2.inThread(thread, n2+k)
	if len(got) != n2+k {
		t.Errorf("after restart the thread got %d new messages, want %d (the redelivered answer is not graded twice)", len(got)-n2, k)
	}
	if txt := got[len(got)-1].Text(); !strings.Contains(txt, "Question") && !strings.Contains(txt, "Follow-up") {
		t.Errorf("after restart, repeat gave %q", txt)
	}
	if n := len(of(fake.Calls(), "GET /channels/{channel}", "")); n == 0 {
		t.Error("the restarted bot did not look up the thread's parent")
	}
}

func TestReconnectResumes(t *testing.T) {
	fake := newFake(t)
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))
	fake.Drop(4000)
	deadline := time.Now().Add(20 * time.Second)
	for {
		ids := fake.Identifies()
		if len(ids) >= 2 && fake.Connected() {
			if !ids[len(ids)-1].Resume {
				t.Errorf("reconnect identified anew instead of resuming: %+v", ids)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reconnect: %+v", ids)
		}
		time.Sleep(5 * time.Millisecond)
	}
	id := h.must(fake.Command(guild, channel, alice, "help"))
	h.answer(id)
}

func TestHeartbeatsAcknowledged(t *testing.T) {
	fake := newFake(t)
	fake.HeartbeatInterval = 100 * time.Millisecond
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))
	deadline := time.Now().Add(20 * time.Second)
	for fake.HeartbeatAcks() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d heartbeats acknowledged", fake.HeartbeatAcks())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(fake.Identifies()); n != 1 {
		t.Errorf("%d identifies while heartbeating; the connection was not kept", n)
	}
	h.answer(h.must(fake.Command(guild, channel, alice, "help")))
}

func TestRateLimitAndFailures(t *testing.T) {
	fake := newFake(t)
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))
	fake.RateLimit(rMessage, 1, 30*time.Millisecond)
	now := h.must(fake.Command(guild, channel, alice, "daily", discordfake.Sub("now")))
	h.answer(now)
	calls := fake.Calls()
	var statuses []int
	for _, c := range calls {
		if c.Route == rMessage && c.Channel == channel {
			statuses = append(statuses, c.Status)
		}
	}
	if len(statuses) != 2 || statuses[0] != 429 || statuses[1] != 200 {
		t.Errorf("want a 429 then a retried post, got %v", statuses)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "rate limit") || !strings.Contains(logs, "route=/channels/{id}/messages") || !strings.Contains(logs, "channel="+channel) {
		t.Errorf("rate limit not logged with route and channel:\n%s", logs)
	}

	// An edit Discord refuses: logged with its route, the user gets one
	// short line as a follow-up.
	fake.Fail(rOriginal, 500, 0, "Internal Server Error")
	id := h.must(fake.Command(guild, channel, alice, "help"))
	got := fake.WaitFor(t, "the failure line", func(calls []discordfake.Call) bool { return len(of(calls, rFollowup, id)) > 0 })
	f := of(got, rFollowup, id)
	if len(f) != 1 || f[0].Content() != sendFailLine || f[0].Flags()&64 == 0 {
		t.Errorf("want one ephemeral failure line, got %+v", f)
	}
	logs = h.logs.String()
	if !strings.Contains(logs, "discord request failed") || !strings.Contains(logs, "PATCH /webhooks/{app}/{token}/messages/@original") {
		t.Errorf("failure not logged with its route:\n%s", logs)
	}
	if strings.Contains(logs, "tok-") || strings.Contains(logs, "test-secret") {
		t.Errorf("a token reached the log:\n%s", logs)
	}
}

func TestShardPostsOnlyOwnedServers(t *testing.T) {
	fake := newFake(t)
	// Guild ids are picked so that (id >> 22) % 2 lands on each shard.
	mine, theirs := fmt.Sprint(uint64(10)<<22), fmt.Sprint(uint64(11)<<22)
	fake.AddChannel(mine, "81384788765712400", "mine")
	fake.AddChannel(theirs, "81384788765712401", "theirs")
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")), func(c *Config) { c.ShardID, c.ShardCount = 0, 2 })
	if id := fake.Identifies()[0]; id.Shard != [2]int{0, 2} {
		t.Errorf("identify shard %v, want [0 2]", id.Shard)
	}
	ctx := h.ctx
	if _, err := h.ad.Post(ctx, store.Channel{Platform: Platform, Team: theirs, ID: "81384788765712401"}, bot.Text("hello")); !errors.Is(err, ErrNotThisShard) {
		t.Errorf("post to another shard's server: %v", err)
	}
	if err := h.ad.Reply(ctx, store.Channel{Platform: Platform, Team: theirs, ID: "81384788765712401"}, "1", bot.Text("recap")); !errors.Is(err, ErrNotThisShard) {
		t.Errorf("reply in another shard's server: %v", err)
	}
	for _, c := range fake.Calls() {
		if c.Channel == "81384788765712401" {
			t.Errorf("a call reached another shard's channel: %s", c.Route)
		}
	}
	ref, err := h.ad.Post(ctx, store.Channel{Platform: Platform, Team: mine, ID: "81384788765712400"}, bot.Text("hello"))
	if err != nil || ref == "" {
		t.Fatalf("post to an owned server: %q %v", ref, err)
	}
	if err := h.ad.Reply(ctx, store.Channel{Platform: Platform, Team: mine, ID: "81384788765712400"}, ref, bot.Text("recap")); err != nil {
		t.Fatalf("recap in an owned server: %v", err)
	}
	if len(of(fake.Calls(), "POST /channels/{channel}/messages/{message}/threads", "")) != 1 {
		t.Error("the recap did not open the thread under the post")
	}
}

func TestOwnerShard(t *testing.T) {
	tests := []struct {
		guild string
		count int
		want  int
	}{
		{"81384788765712384", 1, 0},
		{fmt.Sprint(uint64(7) << 22), 4, 3},
		{fmt.Sprint(uint64(8)<<22 | 12345), 4, 0},
		{"not-a-number", 4, 0},
	}
	for _, tt := range tests {
		if got := OwnerShard(tt.guild, tt.count); got != tt.want {
			t.Errorf("OwnerShard(%s, %d) = %d, want %d", tt.guild, tt.count, got, tt.want)
		}
	}
}

func TestAdminFromPermissionOrList(t *testing.T) {
	fake := newFake(t)
	carol := discordfake.Member{ID: "100000000000000003", Name: "Carol", Roles: []string{"555000000000000001"}}
	dave := discordfake.Member{ID: "100000000000000004", Name: "Dave"}
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")), func(c *Config) {
		c.Admins = []string{"555000000000000001", dave.ID}
	})
	for _, tt := range []struct {
		m     discordfake.Member
		admin bool
	}{{alice, true}, {bob, false}, {carol, true}, {dave, true}} {
		id := h.must(fake.Command(guild, channel, tt.m, "daily", discordfake.Sub("skip", discordfake.Opt("date", "2030-12-24"))))
		txt := h.answer(id).Text()
		if got := !strings.Contains(txt, "Only an admin"); got != tt.admin {
			t.Errorf("%s: admin %v, want %v (%q)", tt.m.Name, got, tt.admin, txt)
		}
	}
}

func TestInvalidTokenRefused(t *testing.T) {
	fake := newFake(t)
	base, _ := ParseAPIURL(fake.URL())
	ad := New(Config{App: newApp(t, openStore(t, filepath.Join(t.TempDir(), "bot.db"))), Token: "wrong.token.value", APIURL: base})
	if err := ad.Connect(testCtx(t)); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("Connect with a wrong token: %v", err)
	}
}

func TestAttachmentUploaded(t *testing.T) {
	fake := newFake(t)
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))
	// Setting a zone stores something about Alice to export.
	h.answer(h.must(fake.Command(guild, channel, alice, "streak", discordfake.Opt("tz", "Europe/Berlin"))))
	reply := h.answer(h.must(fake.Command(guild, channel, alice, "me", discordfake.Sub("export"))))
	if len(reply.Files) != 1 || !strings.HasSuffix(reply.Files[0].Name, ".json") || reply.Files[0].Size == 0 {
		t.Errorf("the export was not uploaded as a file: %+v (%q)", reply.Files, reply.Text())
	}
	stats := h.answer(h.must(fake.Command(guild, channel, alice, "stats")))
	if len(stats.Files) != 1 || !strings.HasSuffix(stats.Files[0].Name, ".png") {
		t.Errorf("/stats sent no picture: %+v (%q)", stats.Files, stats.Text())
	}
}

func TestDailySetupFromOptions(t *testing.T) {
	fake := newFake(t)
	h := start(t, fake, openStore(t, filepath.Join(t.TempDir(), "bot.db")))
	id := h.must(fake.Command(guild, channel, alice, "daily", discordfake.Sub("setup",
		discordfake.Opt("time", "09:30"), discordfake.Opt("tz", "Europe/Berlin"), discordfake.Opt("days", "mon-fri"),
		discordfake.Opt("topics", "caching, databases"))))
	txt := h.answer(id).Text()
	if !strings.Contains(txt, "Daily question set") || !strings.Contains(txt, "09:30") || !strings.Contains(txt, "Europe/Berlin") {
		t.Errorf("/daily setup reply %q", txt)
	}
	sc, err := h.app.Store.Schedule(h.ctx, store.Channel{Platform: Platform, Team: guild, ID: channel})
	if err != nil {
		t.Fatal(err)
	}
	if sc.TZ != "Europe/Berlin" || strings.Join(sc.Topics, ",") != "caching,databases" {
		t.Errorf("stored schedule %+v", sc)
	}
	// The delete confirmation is a button that runs the command as the
	// person who pressed it.
	h.answer(h.must(fake.Command(guild, channel, alice, "streak", discordfake.Opt("tz", "Europe/Berlin"))))
	del := h.answer(h.must(fake.Command(guild, channel, alice, "me", discordfake.Sub("delete"))))
	var button string
	for _, c := range del.Components() {
		button, _ = c["custom_id"].(string)
	}
	if !strings.HasPrefix(button, bot.CommandButton+":") {
		t.Fatalf("no confirmation button: %+v", del.Components())
	}
	done := h.answer(h.must(fake.Button(guild, channel, alice, "1", button)))
	if !strings.Contains(done.Text(), "everything stored about you here is deleted") {
		t.Errorf("confirmation reply %q", done.Text())
	}
}
