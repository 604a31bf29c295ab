package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/bot/slack/slackfake"
	"github.com/interviewbot/interviewbot/interview/rubric"
	"github.com/interviewbot/interviewbot/questions"
	"github.com/interviewbot/interviewbot/store"
)

const (
	team    = "T0TEAM"
	channel = "C0GENERAL"
	alice   = "U0ALICE"
	bob     = "U0BOB"
)

// cachingAnswer names the usual key points of a caching question, so the
// interview moves on rather than dwelling on gaps.
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

// harness is a running adapter in Socket Mode against a fake Slack.
type harness struct {
	t    testing.TB
	ctx  context.Context
	fake *slackfake.Server
	app  *bot.App
	ad   *Adapter
	stop func() error
	seq  int
}

func startSocket(t testing.TB, fake *slackfake.Server, st *store.Store, tune ...func(*Config)) *harness {
	t.Helper()
	ctx := testCtx(t)
	app := newApp(t, st)
	cfg := Config{App: app, BotToken: Secret(fake.BotToken), AppToken: Secret(fake.AppToken), APIURL: fake.APIURL(), AdapterWork: bot.AdapterWork{Grace: 10 * time.Second}}
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
	h := &harness{t: t, ctx: ctx, fake: fake, app: app, ad: ad}
	stopped := false
	h.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { h.stop() })
	return h
}

func newFake(t *testing.T) *slackfake.Server {
	f := slackfake.New(t, "xoxb-test-token", "xapp-test-token")
	f.AddUser(slackfake.User{ID: alice, Name: "Alice", Admin: true})
	f.AddUser(slackfake.User{ID: bob, Name: "Bob"})
	return f
}

func (h *harness) send(typ string, payload any) string {
	h.t.Helper()
	id, err := h.fake.Send(slackfake.Envelope{Type: typ, Payload: payload})
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

func (h *harness) command(user, cmd, text string) slackfake.Ack {
	h.t.Helper()
	h.seq++
	id := h.send("slash_commands", slackfake.SlashCommand(team, channel, user, cmd, text, fmt.Sprintf("trig-%d", h.seq)))
	ack, err := h.fake.WaitAck(h.ctx, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return ack
}

// threadMessage sends a message in a thread and returns its event id.
func (h *harness) threadMessage(user, thread, text string) string {
	h.t.Helper()
	h.seq++
	ev := fmt.Sprintf("Ev%04d", h.seq)
	id := h.send("events_api", slackfake.Message(ev, team, channel, "channel", user, text, fmt.Sprintf("1700000100.%06d", h.seq), thread))
	if _, err := h.fake.WaitAck(h.ctx, id); err != nil {
		h.t.Fatal(err)
	}
	return ev
}

// waitPost waits for the n-th (0-based) answered call of method that
// matches pred.
func (h *harness) waitNth(method string, n int, pred func(slackfake.Call) bool) slackfake.Call {
	h.t.Helper()
	var got slackfake.Call
	err := h.fake.WaitCalls(h.ctx, method, func(calls []slackfake.Call) bool {
		i := 0
		for _, c := range calls {
			if c.Method == method && c.Status == 200 && pred(c) {
				if i == n {
					got = c
					return true
				}
				i++
			}
		}
		return false
	})
	if err != nil {
		h.t.Fatalf("%v\ncalls so far:\n%s", err, dump(h.fake.Calls()))
	}
	return got
}

func dump(calls []slackfake.Call) string {
	var b strings.Builder
	for _, c := range calls {
		fmt.Fprintf(&b, "  %s %d %.200q\n", c.Method, c.Status, c.Args["text"]+c.Args["thread_ts"]+c.Args["view"])
	}
	return b.String()
}

func inThread(ts string) func(slackfake.Call) bool {
	return func(c slackfake.Call) bool { return c.Args["thread_ts"] == ts }
}

// startMock runs /mock and returns the parent message's timestamp once the
// first question is in its thread.
func (h *harness) startMock(user, args string) string {
	h.t.Helper()
	ack := h.command(user, "/mock", args)
	if !strings.Contains(string(ack.Payload), "Starting your mock interview") {
		h.t.Fatalf("the /mock ack carries no ephemeral start note: %s", ack.Payload)
	}
	parent := h.waitNth("chat.postMessage", 0, func(c slackfake.Call) bool {
		return strings.HasPrefix(c.Args["text"], "Mock interview for <@"+user+">") && c.Args["thread_ts"] == ""
	})
	ts := h.tsOf(parent)
	h.waitNth("chat.postMessage", 0, func(c slackfake.Call) bool {
		return c.Args["thread_ts"] == ts && strings.Contains(c.Args["text"], "Question 1 of")
	})
	return ts
}

// tsOf is the timestamp the fake gave a posted message.
func (h *harness) tsOf(c slackfake.Call) string {
	h.t.Helper()
	if c.TS == "" {
		h.t.Fatalf("no timestamp recorded for %q", c.Args["text"])
	}
	return c.TS
}

func threadPosts(f *slackfake.Server, ts string) []slackfake.Call {
	var out []slackfake.Call
	for _, c := range f.CallsTo("chat.postMessage") {
		if c.Args["thread_ts"] == ts {
			out = append(out, c)
		}
	}
	return out
}

// A whole interview in a thread: /mock is acknowledged with an ephemeral
// note, the parent message opens the thread, plain replies are answers,
// and the scorecard arrives in the thread within Block Kit's limits.
func TestMockInThreadToScorecard(t *testing.T) {
	fake := newFake(t)
	st := openStore(t, filepath.Join(t.TempDir(), "bot.db"))
	h := startSocket(t, fake, st)
	if err := fake.WaitConnected(h.ctx, 1); err != nil {
		t.Fatal(err)
	}
	ts := h.startMock(alice, "caching quick")
	if !strings.Contains(fake.CallsTo("chat.postMessage")[0].Args["text"], "— caching") {
		t.Errorf("parent message does not name the topic: %q", fake.CallsTo("chat.postMessage")[0].Args["text"])
	}
	var scorecard slackfake.Call
	for turn := 0; turn < 8 && scorecard.Method == ""; turn++ {
		before := len(threadPosts(fake, ts))
		h.threadMessage(alice, ts, cachingAnswer)
		h.waitNth("chat.postMessage", before, inThread(ts))
		for _, c := range threadPosts(fake, ts) {
			if strings.Contains(c.Args["text"], "Scorecard") {
				scorecard = c
			}
		}
	}
	if scorecard.Method == "" {
		t.Fatalf("no scorecard after 8 answers:\n%s", dump(fake.Calls()))
	}
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(scorecard.Args["blocks"]), &blocks); err != nil || len(blocks) == 0 || len(blocks) > maxBlocks {
		t.Fatalf("scorecard blocks: %d, %v", len(blocks), err)
	}
	if blocks[0]["type"] != "header" {
		t.Errorf("scorecard starts with %v, want a header", blocks[0]["type"])
	}
	sess, err := st.SessionByThread(h.ctx, Platform, team, channel, ts)
	if err != nil || sess.Open {
		t.Fatalf("session by thread: open=%v err=%v", sess != nil && sess.Open, err)
	}
	if u, _ := st.FindUser(h.ctx, store.Identity{Platform: Platform, Team: team, ExternalID: alice}); u.Name != "Alice" {
		t.Errorf("user name %q, want the display name from users.info", u.Name)
	}
}

// Others' replies in an interview thread are not graded and earn one
// polite note; the bot's own messages and message subtypes are ignored.
func TestThreadIgnoresOthersAndNoise(t *testing.T) {
	fake := newFake(t)
	st := openStore(t, filepath.Join(t.TempDir(), "bot.db"))
	h := startSocket(t, fake, st)
	if err := fake.WaitConnected(h.ctx, 1); err != nil {
		t.Fatal(err)
	}
	ts := h.startMock(alice, "caching")
	sess, err := st.SessionByThread(h.ctx, Platform, team, channel, ts)
	if err != nil {
		t.Fatal(err)
	}
	seq := sess.Seq
	h.threadMessage(bob, ts, "I think it is a CDN")
	h.threadMessage(bob, ts, "also Redis")
	// Noise: the bot's own post, an edit and a bot_message.
	for _, ev := range []map[string]any{
		{"type": "message", "user": fake.BotUser, "text": "Question 2", "channel": channel, "ts": "1.1", "thread_ts": ts},
		{"type": "message", "subtype": "message_changed", "channel": channel, "ts": "1.2", "thread_ts": ts},
		{"type": "message", "subtype": "bot_message", "bot_id": "B9", "text": "hi", "channel": channel, "ts": "1.3", "thread_ts": ts},
		{"type": "reaction_added", "user": alice, "reaction": "tada"},
	} {
		id := h.send("events_api", slackfake.EventCallback(fmt.Sprintf("Noise%v", ev["ts"]), team, ev))
		if _, err := fake.WaitAck(h.ctx, id); err != nil {
			t.Fatalf("an ignored event must still be acknowledged: %v", err)
		}
	}
	// Alice's reply is a sentinel: work in one thread runs in order, so
	// once it is answered everything before it was handled.
	posts := len(threadPosts(fake, ts))
	h.threadMessage(alice, ts, "repeat")
	h.waitNth("chat.postMessage", posts, inThread(ts))
	notes := 0
	for _, c := range fake.CallsTo("chat.postEphemeral") {
		if c.Args["user"] == bob && strings.Contains(c.Args["text"], "someone else") {
			notes++
			if c.Args["thread_ts"] != ts {
				t.Errorf("note not in the thread: %q", c.Args["thread_ts"])
			}
		}
	}
	if notes != 1 {
		t.Errorf("%d notes to the other person, want exactly 1", notes)
	}
	after, _ := st.SessionByThread(h.ctx, Platform, team, channel, ts)
	turns, _ := st.Turns(h.ctx, sess.ID)
	for _, tr := range turns {
		if strings.Contains(string(mustJSON(tr)), "CDN") || strings.Contains(string(mustJSON(tr)), "Question 2") {
			t.Errorf("a message that was not the candidate's was stored as a turn: %+v", tr)
		}
	}
	if after.Seq > seq+1 {
		t.Errorf("turns went from %d to %d; only the candidate's repeat may add one", seq, after.Seq)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// A redelivered event (same event id, Socket Mode retry_attempt) is
// acknowledged and processed once, also by a restarted bot.
func TestRedeliveredEventProcessedOnce(t *testing.T) {
	fake := newFake(t)
	db := filepath.Join(t.TempDir(), "bot.db")
	st := openStore(t, db)
	h := startSocket(t, fake, st)
	if err := fake.WaitConnected(h.ctx, 1); err != nil {
		t.Fatal(err)
	}
	ts := h.startMock(alice, "caching")
	answer := cachingAnswer + " (unique answer 1)"
	payload := slackfake.Message("EvDUP", team, channel, "channel", alice, answer, "1700000200.000001", ts)
	for attempt := range 3 {
		id, err := fake.Send(slackfake.Envelope{Type: "events_api", Payload: payload, RetryAttempt: attempt})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fake.WaitAck(h.ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	h.sentinel(ts, 0)
	if n := answersStored(t, st, ts, answer); n != 1 {
		t.Fatalf("the answer was stored %d times, want 1\n%s", n, dump(fake.Calls()))
	}
	// Restart: a new adapter on the same database still knows the id.
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	h2 := startSocket(t, fake, st)
	if err := fake.WaitConnected(h2.ctx, 2); err != nil {
		t.Fatal(err)
	}
	h2.seq = 500
	id, err := fake.Send(slackfake.Envelope{Type: "events_api", Payload: payload, RetryAttempt: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.WaitAck(h2.ctx, id); err != nil {
		t.Fatal(err)
	}
	h2.sentinel(ts, 1)
	if n := answersStored(t, st, ts, answer); n != 1 {
		t.Fatalf("after a restart the redelivery was stored again: %d copies", n)
	}
}

// sentinel sends a message from someone other than the candidate into the
// thread and waits for the note it earns (the n-th such note overall).
// Work in one thread runs in order, so once the note is out, everything
// sent to the thread before it has been handled.
func (h *harness) sentinel(thread string, n int) {
	h.t.Helper()
	h.threadMessage(bob, thread, "sentinel")
	h.waitNth("chat.postEphemeral", n, func(c slackfake.Call) bool {
		return c.Args["user"] == bob && c.Args["thread_ts"] == thread && strings.Contains(c.Args["text"], "someone else")
	})
}

func answersStored(t *testing.T, st *store.Store, thread, answer string) int {
	t.Helper()
	sess, err := st.SessionByThread(context.Background(), Platform, team, channel, thread)
	if err != nil {
		t.Fatal(err)
	}
	turns, err := st.Turns(context.Background(), sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tr := range turns {

		n += strings.Count(string(mustJSON(tr)), "(unique answer 1)")
	}
	return n
}

// Web API 429: the call waits Retry-After and succeeds on the retry.
func TestRateLimitHonoured(t *testing.T) {
	fake := newFake(t)
	st := openStore(t, filepath.Join(t.TempDir(), "bot.db"))
	h := startSocket(t, fake, st)
	if err := fake.WaitConnected(h.ctx, 1); err != nil {
		t.Fatal(err)
	}
	fake.RateLimit("chat.postMessage", 1)
	h.startMock(alice, "caching")
	var limited, ok time.Time
	for _, c := range fake.Calls() {
		if c.Method != "chat.postMessage" {
			continue
		}
		if c.Status == 429 && limited.IsZero() {
			limited = c.At
		}
		if c.Status == 200 && ok.IsZero() {
			ok = c.At
		}
	}
	if limited.IsZero() || ok.IsZero() {
		t.Fatalf("want a 429 then a success:\n%s", dump(fake.Calls()))
	}
	if gap := ok.Sub(limited); gap < time.Second {
		t.Errorf("retried after %v; Retry-After asked for 1s", gap)
	}
}

// A disconnect message and a dropped socket both reconnect, and work goes
// on over the new socket.
func TestReconnects(t *testing.T) {
	fake := newFake(t)
	st := openStore(t, filepath.Join(t.TempDir(), "bot.db"))
	h := startSocket(t, fake, st)
	if err := fake.WaitConnected(h.ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := fake.Disconnect(); err != nil {
		t.Fatal(err)
	}
	if err := fake.WaitConnected(h.ctx, 2); err != nil {
		t.Fatal(err)
	}
	fake.Drop()
	if err := fake.WaitConnected(h.ctx, 3); err != nil {
		t.Fatal(err)
	}
	h.startMock(alice, "caching")
	if n := len(fake.CallsTo("apps.connections.open")); n < 3 {
		t.Errorf("%d connection opens, want 3", n)
	}
}

// The daily question: an admin posts it, Answer privately opens a modal
// with the trigger id, the submission is graded and the feedback is
// ephemeral; Discuss in thread is not graded.
func TestDailyAnswerThroughModal(t *testing.T) {
	fake := newFake(t)
	st := openStore(t, filepath.Join(t.TempDir(), "bot.db"))
	h := startSocket(t, fake, st)
	if err := fake.WaitConnected(h.ctx, 1); err != nil {
		t.Fatal(err)
	}
	// Bob is no admin: refused.
	h.command(bob, "/daily", "now")
	h.waitNth("chat.postEphemeral", 0, func(c slackfake.Call) bool {
		return c.Args["user"] == bob && strings.Contains(c.Args["text"], "Only an admin")
	})
	h.command(alice, "/daily", "now")
	daily := h.waitNth("chat.postMessage", 0, func(c slackfake.Call) bool { return strings.HasPrefix(c.Args["text"], "Daily question") })
	var blocks []struct {
		Type     string `json:"type"`
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	json.Unmarshal([]byte(daily.Args["blocks"]), &blocks)
	postID := ""
	for _, b := range blocks {
		for _, e := range b.Elements {
			if e.ActionID == "daily-answer" {
				postID = e.Value
			}
		}
	}
	if postID == "" {
		t.Fatalf("the daily post has no Answer privately button: %s", daily.Args["blocks"])
	}
	dailyTS := h.tsOf(daily)
	id := h.send("interactive", slackfake.BlockAction(team, channel, bob, "daily-answer", postID, dailyTS, "trig-modal"))
	if _, err := fake.WaitAck(h.ctx, id); err != nil {
		t.Fatal(err)
	}
	open := h.waitNth("views.open", 0, func(c slackfake.Call) bool { return c.Args["trigger_id"] == "trig-modal" })
	if !strings.Contains(open.Args["view"], `"callback_id":"daily-answer"`) || !strings.Contains(open.Args["view"], `"private_metadata":"`+channel+":"+postID+`"`) {
		t.Fatalf("views.open view does not name the channel and post: %s", open.Args["view"])
	}
	// The button of an earlier question opens no form: it says the question
	// has closed, rather than grading an answer against today's.
	stale := postID + "7"
	id = h.send("interactive", slackfake.BlockAction(team, channel, bob, "daily-answer", stale, dailyTS, "trig-stale"))
	fake.WaitAck(h.ctx, id)
	h.waitNth("chat.postEphemeral", 0, func(c slackfake.Call) bool {
		return c.Args["user"] == bob && strings.Contains(c.Args["text"], "has closed")
	})
	for _, c := range fake.Calls() {
		if c.Method == "views.open" && c.Args["trigger_id"] == "trig-stale" {
			t.Error("a form opened for a closed daily question")
		}
	}
	// A form left open across the next question is not recorded either.
	id = h.send("interactive", slackfake.ViewSubmission(team, bob, "daily-answer", channel+":"+stale, cachingAnswer, false, "trig-late"))
	fake.WaitAck(h.ctx, id)
	h.waitNth("chat.postEphemeral", 1, func(c slackfake.Call) bool {
		return c.Args["user"] == bob && strings.Contains(c.Args["text"], "has closed")
	})
	// An empty submission is refused in the modal itself.
	id = h.send("interactive", slackfake.ViewSubmission(team, bob, "daily-answer", channel, "  ", false, "trig-empty"))
	ack, err := fake.WaitAck(h.ctx, id)
	if err != nil || !strings.Contains(string(ack.Payload), `"response_action":"errors"`) {
		t.Fatalf("empty answer ack: %s %v", ack.Payload, err)
	}
	id = h.send("interactive", slackfake.ViewSubmission(team, bob, "daily-answer", channel+":"+postID, cachingAnswer, true, "trig-submit"))
	if ack, err := fake.WaitAck(h.ctx, id); err != nil || len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("submission ack: %s %v", ack.Payload, err)
	}
	fb := h.waitNth("chat.postEphemeral", 0, func(c slackfake.Call) bool {
		return c.Args["user"] == bob && strings.Contains(c.Args["text"], "/10")
	})
	if fb.Args["channel"] != channel {
		t.Errorf("feedback went to %q", fb.Args["channel"])
	}
	latest, err := st.LatestPost(h.ctx, store.Channel{Platform: Platform, Team: team, ID: channel})
	if err != nil {
		t.Fatal(err)
	}
	answers, err := st.DailyAnswers(h.ctx, latest.ID)
	if err != nil || len(answers) != 1 || !answers[0].Share {
		t.Fatalf("stored daily answers: %+v %v", answers, err)
	}
	// Discuss: a starter reply in the question's thread, once, and a
	// thread reply there is not graded.
	for i := range 2 {
		id = h.send("interactive", slackfake.BlockAction(team, channel, alice, "daily-discuss", postID, dailyTS, fmt.Sprintf("trig-d%d", i)))
		fake.WaitAck(h.ctx, id)
	}
	h.waitNth("chat.postEphemeral", 1, func(c slackfake.Call) bool { return strings.Contains(c.Args["text"], "not graded") })
	h.threadMessage(alice, dailyTS, "I would add a TTL")
	// Sentinel in the same thread ordering: another discuss press.
	id = h.send("interactive", slackfake.BlockAction(team, channel, alice, "daily-discuss", postID, dailyTS, "trig-d9"))
	fake.WaitAck(h.ctx, id)
	h.waitNth("chat.postEphemeral", 2, func(c slackfake.Call) bool { return strings.Contains(c.Args["text"], "not graded") })
	if n := len(threadPosts(fake, dailyTS)); n != 1 {
		t.Errorf("%d bot posts in the daily thread, want the one starter reply", n)
	}
}

// /leaderboard and /streak answer ephemerally; App Home is published.
func TestBoardsAndHome(t *testing.T) {
	fake := newFake(t)
	st := openStore(t, filepath.Join(t.TempDir(), "bot.db"))
	h := startSocket(t, fake, st)
	if err := fake.WaitConnected(h.ctx, 1); err != nil {
		t.Fatal(err)
	}
	ts := h.startMock(alice, "caching quick")
	h.threadMessage(alice, ts, cachingAnswer)
	h.threadMessage(alice, ts, "end")
	h.waitNth("chat.postMessage", 0, func(c slackfake.Call) bool {
		return c.Args["thread_ts"] == ts && strings.Contains(c.Args["text"], "Scorecard")
	})
	h.command(alice, "/leaderboard", "all")
	board := h.waitNth("chat.postEphemeral", 0, func(c slackfake.Call) bool { return strings.Contains(c.Args["text"], "Leaderboard") })
	if !strings.Contains(board.Args["text"], "Alice") || board.Args["user"] != alice {
		t.Errorf("board: %q to %q", board.Args["text"], board.Args["user"])
	}
	h.command(alice, "/streak", "")
	h.waitNth("chat.postEphemeral", 0, func(c slackfake.Call) bool { return strings.Contains(c.Args["text"], "Streak: 1 day") })
	id := h.send("events_api", slackfake.EventCallback("EvHome", team, map[string]any{"type": "app_home_opened", "user": alice, "channel": "D0ALICE", "tab": "home"}))
	fake.WaitAck(h.ctx, id)
	home := h.waitNth("views.publish", 0, func(c slackfake.Call) bool { return c.Args["user_id"] == alice })
	for _, want := range []string{"Streak", "Points", "caching", "Recent answers"} {
		if !strings.Contains(home.Args["view"], want) {
			t.Errorf("home view lacks %q: %s", want, home.Args["view"])
		}
	}
	h.command(alice, "/stats", "")
	h.waitNth("upload", 0, func(slackfake.Call) bool { return true })
	done := h.waitNth("files.completeUploadExternal", 0, func(slackfake.Call) bool { return true })
	if done.Args["channel_id"] != "D0ALICE" {
		t.Errorf("the stats picture went to %q, want the user's DM", done.Args["channel_id"])
	}
}

// A bad bot token stops at Connect with a clear error and no retry loop;
// a bad app token stops Run the same way.
func TestInvalidAuth(t *testing.T) {
	fake := newFake(t)
	st := openStore(t, filepath.Join(t.TempDir(), "bot.db"))
	ctx := testCtx(t)
	ad := New(Config{App: newApp(t, st), BotToken: "xoxb-wrong", AppToken: Secret(fake.AppToken), APIURL: fake.APIURL()})
	if err := ad.Connect(ctx); !errors.Is(err, ErrInvalidBotToken) || !strings.Contains(err.Error(), "invalid_auth") {
		t.Fatalf("Connect = %v, want the invalid bot token error", err)
	}
	if n := len(fake.Calls()); n != 1 {
		t.Errorf("%d calls for a rejected token, want 1", n)
	}
	ad = New(Config{App: newApp(t, st), BotToken: Secret(fake.BotToken), AppToken: "xapp-wrong", APIURL: fake.APIURL()})
	if err := ad.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ad.Run(ctx); !errors.Is(err, ErrInvalidAppToken) {
		t.Fatalf("Run = %v, want the invalid app token error", err)
	}
}
