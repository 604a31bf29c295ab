// Package slackfake is a fake Slack for tests, on 127.0.0.1: the Web API
// methods the bot calls, recorded for inspection, and the Socket Mode
// WebSocket (apps.connections.open, hello, pings, envelopes, acks read back
// by envelope id). slack-go's slacktest does not speak Socket Mode, hence
// this package. It imports no Slack SDK, so it checks the bot's traffic as
// Slack would see it on the wire.
package slackfake

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Call is one Web API request the bot made.
type Call struct {
	Method string
	// Args are the form fields, or the top-level fields of a JSON body
	// (strings unquoted, anything else as JSON text).
	Args   map[string]string
	Status int // the HTTP status the fake answered
	At     time.Time
	// TS is the timestamp the fake gave a posted message.
	TS string
}

// Ack is one acknowledgement the bot wrote on the socket.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage
	At         time.Time
	// Sent is when the envelope was written, so At-Sent is the bot's ack
	// latency plus one loopback hop each way.
	Sent time.Time
}

// User is a workspace member as users.info reports it.
type User struct {
	ID, Name string
	Admin    bool
}

// Server is a running fake Slack.
type Server struct {
	BotToken, AppToken string
	Team               string
	BotUser            string

	srv *httptest.Server

	mu       sync.Mutex
	users    map[string]User
	calls    []Call
	acks     map[string]Ack
	sent     map[string]time.Time
	conn     *wsConn
	conns    int
	seq      int
	limited  map[string][]int // method → Retry-After seconds of the next 429s
	failing  map[string]string
	changed  chan struct{}
	pingStop chan struct{}
	// PingEvery is how often the socket pings the bot; slack-go reconnects
	// when pings stop.
	PingEvery time.Duration
}

// New starts a fake with the given tokens; it stops when the test ends.
func New(tb testing.TB, botToken, appToken string) *Server {
	s := &Server{
		BotToken: botToken, AppToken: appToken, Team: "T0TEAM", BotUser: "UBOT",
		users: map[string]User{}, acks: map[string]Ack{}, sent: map[string]time.Time{},
		limited: map[string][]int{}, failing: map[string]string{},
		changed: make(chan struct{}), pingStop: make(chan struct{}), PingEvery: 200 * time.Millisecond,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.api)
	mux.HandleFunc("/upload/", s.uploadFile)
	mux.HandleFunc("/ws", s.socket)
	s.srv = httptest.NewServer(mux)
	tb.Cleanup(s.Close)
	return s
}

// Close stops the fake.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.pingStop:
	default:
		close(s.pingStop)
	}
	c := s.conn
	s.mu.Unlock()
	if c != nil {
		c.ws.Close()
	}
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// APIURL is the Web API base in slack-go's form.
func (s *Server) APIURL() string { return s.srv.URL + "/api/" }

// URL is the fake's base URL, for HTTP-mode tests that post to the bot.
func (s *Server) URL() string { return s.srv.URL }

// AddUser makes a member known to users.info.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
}

// RateLimit makes the next len(retryAfter) calls of method answer 429 with
// those Retry-After seconds.
func (s *Server) RateLimit(method string, retryAfter ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limited[method] = append(s.limited[method], retryAfter...)
}

// Fail makes the next call of method answer ok:false with code.
func (s *Server) Fail(method, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failing[method] = code
}

// notify wakes every waiter; called with mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait blocks until cond holds (checked with mu held) or ctx ends.
func (s *Server) wait(ctx context.Context, what string, cond func() bool) error {
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		}
	}
}

// Forget drops the recorded calls and acks, so a long benchmark measures
// the bot's memory rather than the fake's.
func (s *Server) Forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.acks, s.sent = nil, map[string]Ack{}, map[string]time.Time{}
}

// Calls returns every Web API call so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the answered (non-429) calls of one method.
func (s *Server) CallsTo(method string) []Call {
	var out []Call
	for _, c := range s.Calls() {
		if c.Method == method && c.Status == http.StatusOK {
			out = append(out, c)
		}
	}
	return out
}

// WaitCall waits for the first answered call of method that matches pred.
func (s *Server) WaitCall(ctx context.Context, method string, pred func(Call) bool) (Call, error) {
	var found Call
	err := s.wait(ctx, method, func() bool {
		for _, c := range s.calls {
			if c.Method == method && c.Status == http.StatusOK && (pred == nil || pred(c)) {
				found = c
				return true
			}
		}
		return false
	})
	return found, err
}

// WaitCalls waits until cond holds over all calls so far. cond gets a
// copy and runs unlocked, so it may call the server's other methods.
func (s *Server) WaitCalls(ctx context.Context, what string, cond func([]Call) bool) error {
	for {
		s.mu.Lock()
		calls := append([]Call(nil), s.calls...)
		ch := s.changed
		s.mu.Unlock()
		if cond(calls) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		}
	}
}

func (s *Server) nextTS() string {
	s.seq++
	return fmt.Sprintf("1700000000.%06d", s.seq)
}

func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	args := map[string]string{}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var body map[string]json.RawMessage
		json.NewDecoder(r.Body).Decode(&body)
		for k, v := range body {
			var str string
			if json.Unmarshal(v, &str) == nil {
				args[k] = str
			} else {
				args[k] = string(v)
			}
		}
	} else {
		r.ParseForm()
		for k := range r.Form {
			args[k] = r.Form.Get(k)
		}
		if t := r.Form.Get("token"); t != "" {
			token = t
		}
	}
	delete(args, "token")

	s.mu.Lock()
	defer s.mu.Unlock()
	call := Call{Method: method, Args: args, Status: http.StatusOK, At: time.Now()}
	if q := s.limited[method]; len(q) > 0 {
		s.limited[method] = q[1:]
		call.Status = http.StatusTooManyRequests
		s.calls = append(s.calls, call)
		s.notify()
		w.Header().Set("Retry-After", strconv.Itoa(q[0]))
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	s.calls = append(s.calls, call)
	s.notify()
	reply := func(v map[string]any) {
		v["ok"] = true
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	fail := func(code string) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": code})
	}
	if code, ok := s.failing[method]; ok {
		delete(s.failing, method)
		fail(code)
		return
	}
	want := s.BotToken
	if method == "apps.connections.open" {
		want = s.AppToken
	}
	if token != want {
		fail("invalid_auth")
		return
	}
	switch method {
	case "auth.test":
		reply(map[string]any{"user_id": s.BotUser, "team_id": s.Team, "bot_id": "B0BOT", "team": "Test team", "user": "interviewbot"})
	case "apps.connections.open":
		reply(map[string]any{"url": "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/ws"})
	case "chat.postMessage":
		ts := s.nextTS()
		s.calls[len(s.calls)-1].TS = ts
		reply(map[string]any{"channel": args["channel"], "ts": ts})
	case "chat.postEphemeral":
		reply(map[string]any{"message_ts": s.nextTS()})
	case "chat.delete", "chat.update":
		reply(map[string]any{"channel": args["channel"], "ts": args["ts"]})
	case "users.info":
		u, ok := s.users[args["user"]]
		if !ok {
			fail("user_not_found")
			return
		}
		reply(map[string]any{"user": map[string]any{"id": u.ID, "name": strings.ToLower(u.Name), "real_name": u.Name, "is_admin": u.Admin,
			"profile": map[string]any{"display_name": u.Name, "real_name": u.Name}}})
	case "conversations.open":
		reply(map[string]any{"channel": map[string]any{"id": "D" + strings.TrimPrefix(args["users"], "U")}})
	case "views.open", "views.publish":
		reply(map[string]any{"view": map[string]any{"id": "V" + strconv.Itoa(s.seq)}})
	case "files.getUploadURLExternal":
		reply(map[string]any{"upload_url": s.srv.URL + "/upload/F1", "file_id": "F1"})
	case "files.completeUploadExternal":
		reply(map[string]any{"files": []map[string]any{{"id": "F1", "title": "file"}}})
	default:
		reply(map[string]any{})
	}
}

func (s *Server) uploadFile(w http.ResponseWriter, r *http.Request) {
	n, _ := io.Copy(io.Discard, r.Body)
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: "upload", Args: map[string]string{"bytes": strconv.FormatInt(n, 10)}, Status: http.StatusOK, At: time.Now()})
	s.notify()
	s.mu.Unlock()
	w.Write([]byte("OK"))
}

// wsConn is one Socket Mode connection; writes are serialised.
type wsConn struct {
	ws *websocket.Conn
	mu sync.Mutex
}

func (c *wsConn) write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

var upgrader = websocket.Upgrader{
	// slack-go dials with this Origin, as Slack's own clients do.
	CheckOrigin: func(r *http.Request) bool { return r.Header.Get("Origin") == "https://api.slack.com" },
}

func (s *Server) socket(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &wsConn{ws: ws}
	if err := c.write(map[string]any{"type": "hello", "num_connections": 1, "connection_info": map[string]any{"app_id": "A0APP"}}); err != nil {
		ws.Close()
		return
	}
	s.mu.Lock()
	old := s.conn
	s.conn = c
	s.conns++
	s.notify()
	s.mu.Unlock()
	if old != nil {
		old.ws.Close()
	}
	go s.ping(c)
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			s.mu.Lock()
			if s.conn == c {
				s.conn = nil
			}
			s.notify()
			s.mu.Unlock()
			return
		}
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &ack) != nil || ack.EnvelopeID == "" {
			continue
		}
		now := time.Now()
		s.mu.Lock()
		if _, dup := s.acks[ack.EnvelopeID]; !dup {
			s.acks[ack.EnvelopeID] = Ack{EnvelopeID: ack.EnvelopeID, Payload: ack.Payload, At: now, Sent: s.sent[ack.EnvelopeID]}
		}
		s.notify()
		s.mu.Unlock()
	}
}

func (s *Server) ping(c *wsConn) {
	t := time.NewTicker(s.PingEvery)
	defer t.Stop()
	for {
		select {
		case <-s.pingStop:
			return
		case <-t.C:
			if err := c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second)); err != nil {
				return
			}
		}
	}
}

// Connections is how many sockets the bot has opened so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// WaitConnected waits until the bot has opened its n-th socket and it is
// live.
func (s *Server) WaitConnected(ctx context.Context, n int) error {
	return s.wait(ctx, fmt.Sprintf("socket connection %d", n), func() bool { return s.conns >= n && s.conn != nil })
}

// Envelope is one Socket Mode message to the bot.
type Envelope struct {
	ID           string
	Type         string // slash_commands, events_api, interactive
	Payload      any
	RetryAttempt int
}

// Send writes an envelope on the live socket and returns its id.
func (s *Server) Send(e Envelope) (string, error) {
	s.mu.Lock()
	c := s.conn
	if e.ID == "" {
		s.seq++
		e.ID = fmt.Sprintf("env-%d", s.seq)
	}
	s.mu.Unlock()
	if c == nil {
		return "", fmt.Errorf("no socket connected")
	}
	msg := map[string]any{"envelope_id": e.ID, "type": e.Type, "payload": e.Payload,
		"accepts_response_payload": e.Type != "events_api", "retry_attempt": e.RetryAttempt}
	if e.RetryAttempt > 0 {
		msg["retry_reason"] = "timeout"
	}
	s.mu.Lock()
	s.sent[e.ID] = time.Now()
	s.mu.Unlock()
	return e.ID, c.write(msg)
}

// Disconnect sends Slack's disconnect message: the bot should reconnect.
func (s *Server) Disconnect() error {
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c == nil {
		return fmt.Errorf("no socket connected")
	}
	return c.write(map[string]any{"type": "disconnect", "reason": "refresh_requested"})
}

// Drop closes the live socket without a word, as a network failure would.
func (s *Server) Drop() {
	s.mu.Lock()
	c := s.conn
	s.conn = nil
	s.notify()
	s.mu.Unlock()
	if c != nil {
		c.ws.Close()
	}
}

// WaitAck waits for the bot's acknowledgement of an envelope.
func (s *Server) WaitAck(ctx context.Context, id string) (Ack, error) {
	var a Ack
	err := s.wait(ctx, "ack of "+id, func() bool {
		var ok bool
		a, ok = s.acks[id]
		return ok
	})
	return a, err
}

// Acked reports whether an envelope was acknowledged.
func (s *Server) Acked(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.acks[id]
	return ok
}

// SlashCommand is a slash command payload.
func SlashCommand(team, channel, user, command, text, trigger string) map[string]string {
	return map[string]string{"team_id": team, "channel_id": channel, "user_id": user, "user_name": strings.ToLower(user),
		"command": command, "text": text, "trigger_id": trigger, "response_url": "https://hooks.slack.invalid/commands/1"}
}

// Form encodes a payload as an HTTP-mode form body.
func Form(fields map[string]string) string {
	v := url.Values{}
	for k, x := range fields {
		v.Set(k, x)
	}
	return v.Encode()
}

// Message is an events_api payload for a plain message; thread may be "".
func Message(eventID, team, channel, channelType, user, text, ts, thread string) map[string]any {
	ev := map[string]any{"type": "message", "user": user, "text": text, "channel": channel, "channel_type": channelType, "ts": ts}
	if thread != "" {
		ev["thread_ts"] = thread
	}
	return EventCallback(eventID, team, ev)
}

// EventCallback wraps an inner event as the Events API does.
func EventCallback(eventID, team string, event map[string]any) map[string]any {
	return map[string]any{"type": "event_callback", "team_id": team, "api_app_id": "A0APP", "event_id": eventID,
		"event_time": 1700000000, "event": event}
}

// BlockAction is an interactive payload for a button press on a message.
func BlockAction(team, channel, user, actionID, value, messageTS, trigger string) map[string]any {
	return map[string]any{
		"type": "block_actions", "trigger_id": trigger,
		"team": map[string]any{"id": team}, "user": map[string]any{"id": user, "name": strings.ToLower(user)},
		"channel":   map[string]any{"id": channel},
		"container": map[string]any{"type": "message", "message_ts": messageTS, "channel_id": channel},
		"actions":   []map[string]any{{"action_id": actionID, "block_id": "b1", "type": "button", "value": value, "action_ts": "1700000000.1"}},
	}
}

// ViewSubmission is an interactive payload for the daily answer modal.
func ViewSubmission(team, user, callbackID, metadata, answer string, share bool, trigger string) map[string]any {
	var selected []map[string]any
	if share {
		selected = []map[string]any{{"value": "yes"}}
	}
	return map[string]any{
		"type": "view_submission", "trigger_id": trigger,
		"team": map[string]any{"id": team}, "user": map[string]any{"id": user, "name": strings.ToLower(user)},
		"view": map[string]any{"id": "V1", "type": "modal", "callback_id": callbackID, "private_metadata": metadata,
			"state": map[string]any{"values": map[string]any{
				"answer": map[string]any{"text": map[string]any{"type": "plain_text_input", "value": answer}},
				"share":  map[string]any{"share": map[string]any{"type": "checkboxes", "selected_options": selected}},
			}}},
	}
}
