// Package discordfake is a fake Discord for tests, on 127.0.0.1: the REST
// routes the bot calls (recorded for inspection, with injectable rate
// limits and failures) and the gateway WebSocket (HELLO, IDENTIFY or
// RESUME, READY, heartbeat ACKs, then the dispatches a test sends). It
// imports no Discord SDK, so it checks the bot's traffic as Discord would
// see it on the wire.
package discordfake

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway close codes the fake can send.
const (
	CloseAuthenticationFailed = 4004
	CloseDisallowedIntents    = 4014
)

// IntentMessageContent is the privileged intent that lets a bot read what
// people write.
const IntentMessageContent = 1 << 15

// Permission bits the tests use.
const (
	PermManageGuild int64 = 1 << 5
)

// Call is one REST request the bot made.
type Call struct {
	Method string
	// Route is the request with ids replaced by names, e.g.
	// "POST /channels/{channel}/messages".
	Route string
	Path  string // without the /api/v9 prefix
	// Channel is the channel id in the path, when there is one;
	// Interaction the interaction id of a callback or webhook call (the
	// fake's tokens are "tok-" + interaction id).
	Channel, Interaction string
	Body                 map[string]any
	Files                []File
	Status               int
	At                   time.Time
	// ID is the id the fake gave a created message or thread.
	ID string
}

// File is an uploaded attachment.
type File struct {
	Name string
	Size int
}

// Content is the message text of a call, "" when it has none.
func (c Call) Content() string {
	s, _ := c.Body["content"].(string)
	return s
}

// Text is everything a person would read in the call's message: content,
// embed titles, descriptions and fields, and button labels.
func (c Call) Text() string {
	var b strings.Builder
	b.WriteString(c.Content())
	data := c.Body
	if d, ok := c.Body["data"].(map[string]any); ok {
		data = d
		if s, ok := d["content"].(string); ok {
			b.WriteString(s)
		}
	}
	embeds, _ := data["embeds"].([]any)
	for _, e := range embeds {
		em, _ := e.(map[string]any)
		for _, k := range []string{"title", "description"} {
			if s, ok := em[k].(string); ok {
				b.WriteString("\n" + s)
			}
		}
		fields, _ := em["fields"].([]any)
		for _, f := range fields {
			fm, _ := f.(map[string]any)
			fmt.Fprintf(&b, "\n%v: %v", fm["name"], fm["value"])
		}
		if ft, ok := em["footer"].(map[string]any); ok {
			fmt.Fprintf(&b, "\n%v", ft["text"])
		}
	}
	for _, l := range c.Labels() {
		b.WriteString("\n[" + l + "]")
	}
	return b.String()
}

// Flags is the message flags of the call (64 is ephemeral).
func (c Call) Flags() int {
	data := c.Body
	if d, ok := c.Body["data"].(map[string]any); ok {
		data = d
	}
	f, _ := data["flags"].(float64)
	return int(f)
}

// Type is the interaction callback type (4 message, 5 deferred, 8
// autocomplete, 9 modal).
func (c Call) Type() int {
	f, _ := c.Body["type"].(float64)
	return int(f)
}

// Components flattens the call's components (buttons, text inputs) into
// their JSON objects.
func (c Call) Components() []map[string]any {
	data := c.Body
	if d, ok := c.Body["data"].(map[string]any); ok {
		data = d
	}
	var out []map[string]any
	rows, _ := data["components"].([]any)
	for _, r := range rows {
		rm, _ := r.(map[string]any)
		inner, _ := rm["components"].([]any)
		for _, x := range inner {
			if xm, ok := x.(map[string]any); ok {
				out = append(out, xm)
			}
		}
	}
	return out
}

// Labels are the labels of the call's buttons and inputs.
func (c Call) Labels() []string {
	var out []string
	for _, m := range c.Components() {
		if l, ok := m["label"].(string); ok {
			out = append(out, l)
		}
	}
	return out
}

// Member is a person in a guild.
type Member struct {
	ID, Name string
	Roles    []string
	// Perms are the member's permissions in the channel.
	Perms int64
	Bot   bool
}

// Channel is a guild channel or thread the fake knows.
type Channel struct {
	ID, Guild, Parent, Name string
	Type                    int // 0 text, 11 public thread, 12 private thread
	Members                 []string
}

// Identify is what the bot sent to open a gateway session.
type Identify struct {
	Intents int
	Shard   [2]int
	Token   string
	Resume  bool
}

// Server is a running fake Discord.
type Server struct {
	Token, AppID, BotID string
	// HeartbeatInterval is what HELLO asks for; set before the bot
	// connects.
	HeartbeatInterval time.Duration

	srv *httptest.Server
	t   testing.TB
	ids atomic.Int64

	mu               sync.Mutex
	calls            []Call
	channels         map[string]*Channel
	identifies       []Identify
	conns            []*conn
	sessions         map[string]bool
	events           map[string][]byte // raw dispatch by event id, for resends
	sentAt           map[string]time.Time
	disallowContent  bool
	denyPrivate      bool
	faults           map[string][]fault
	heartbeatAcks    int
	threadsByMessage map[string]bool
}

type fault struct {
	status, code int
	message      string
	retryAfter   float64
}

type conn struct {
	ws      *websocket.Conn
	wmu     sync.Mutex
	seq     int64
	intents int
}

// New starts a fake Discord for the test; it stops when the test ends.
func New(t testing.TB, token string) *Server {
	f := &Server{
		Token: token, AppID: "900000000000000001", BotID: "900000000000000002",
		HeartbeatInterval: 41250 * time.Millisecond,
		t:                 t, channels: map[string]*Channel{}, sessions: map[string]bool{},
		events: map[string][]byte{}, sentAt: map[string]time.Time{}, faults: map[string][]fault{},
		threadsByMessage: map[string]bool{},
	}
	f.ids.Store(1_200_000_000_000_000_000)
	mux := http.NewServeMux()
	mux.HandleFunc("/gw/", f.gateway)
	mux.HandleFunc("/api/v9/", f.rest)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

// Close stops the fake and drops every gateway connection.
func (f *Server) Close() {
	f.mu.Lock()
	conns := f.conns
	f.conns = nil
	f.mu.Unlock()
	for _, c := range conns {
		c.ws.Close()
	}
	f.srv.CloseClientConnections()
	f.srv.Close()
}

// URL is the base that replaces https://discord.com (DISCORD_API_URL).
func (f *Server) URL() string { return f.srv.URL }

// NewID returns a fresh snowflake.
func (f *Server) NewID() string { return strconv.FormatInt(f.ids.Add(1), 10) }

// AddChannel records a text channel in a guild.
func (f *Server) AddChannel(guild, id, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.channels[id] = &Channel{ID: id, Guild: guild, Name: name}
}

// Channel returns a channel or thread the fake knows.
func (f *Server) Channel(id string) (Channel, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.channels[id]
	if !ok {
		return Channel{}, false
	}
	return *c, true
}

// DisallowMessageContent makes IDENTIFY with the Message Content intent
// close with 4014, as Discord does when the intent is not enabled for the
// application.
func (f *Server) DisallowMessageContent() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.disallowContent = true
}

// DenyPrivateThreads refuses private threads with 403 Missing Permissions.
func (f *Server) DenyPrivateThreads() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.denyPrivate = true
}

// RateLimit answers the next n calls of route with 429 and retry_after.
func (f *Server) RateLimit(route string, n int, retryAfter time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.faults[route] = append(f.faults[route], fault{status: 429, retryAfter: retryAfter.Seconds()})
	}
}

// Fail answers the next call of route with status and a Discord error code.
func (f *Server) Fail(route string, status, code int, message string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[route] = append(f.faults[route], fault{status: status, code: code, message: message})
}

// Calls returns the REST calls so far.
func (f *Server) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// Identifies returns the IDENTIFY and RESUME payloads received.
func (f *Server) Identifies() []Identify {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Identify(nil), f.identifies...)
}

// HeartbeatAcks is how many heartbeats the fake acknowledged.
func (f *Server) HeartbeatAcks() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.heartbeatAcks
}

// Connected reports whether a gateway session is ready.
func (f *Server) Connected() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.conns) > 0
}

// WaitFor polls the calls until ok accepts them or the deadline passes,
// failing the test then with what it waited for.
func (f *Server) WaitFor(t testing.TB, what string, ok func([]Call) bool) []Call {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		calls := f.Calls()
		if ok(calls) {
			return calls
		}
		if time.Now().After(deadline) {
			var routes []string
			for _, c := range calls {
				routes = append(routes, fmt.Sprintf("%s %d %q", c.Route, c.Status, trunc(c.Text(), 80)))
			}
			t.Fatalf("timed out waiting for %s; calls:\n%s", what, strings.Join(routes, "\n"))
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// WaitConnected waits until a gateway session is ready.
func (f *Server) WaitConnected(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !f.Connected() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for the bot to connect to the gateway")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// AckLatencies are, per interaction, the time from its dispatch to the
// bot's first callback, in dispatch order of the callbacks seen.
func (f *Server) AckLatencies() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := map[string]bool{}
	var out []time.Duration
	for _, c := range f.calls {
		if c.Route != "POST /interactions/{id}/{token}/callback" || seen[c.Interaction] {
			continue
		}
		seen[c.Interaction] = true
		if at, ok := f.sentAt[c.Interaction]; ok {
			out = append(out, c.At.Sub(at))
		}
	}
	return out
}

// ---- gateway ----

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d,omitempty"`
	S  int64           `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

func (c *conn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteJSON(v)
}

func (c *conn) closeWith(code int, reason string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	c.ws.Close()
}

func (f *Server) gateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws}
	defer ws.Close()
	f.mu.Lock()
	hb := f.HeartbeatInterval
	f.mu.Unlock()
	if c.write(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": hb.Milliseconds()}}) != nil {
		return
	}
	var first frame
	if err := ws.ReadJSON(&first); err != nil {
		return
	}
	switch first.Op {
	case 2:
		var id struct {
			Token   string `json:"token"`
			Intents int    `json:"intents"`
			Shard   *[2]int
		}
		json.Unmarshal(first.D, &id)
		f.mu.Lock()
		rec := Identify{Intents: id.Intents, Token: id.Token}
		if id.Shard != nil {
			rec.Shard = *id.Shard
		}
		f.identifies = append(f.identifies, rec)
		disallow := f.disallowContent
		f.mu.Unlock()
		if strings.TrimPrefix(id.Token, "Bot ") != f.Token {
			c.closeWith(CloseAuthenticationFailed, "Authentication failed.")
			return
		}
		if disallow && id.Intents&IntentMessageContent != 0 {
			c.closeWith(CloseDisallowedIntents, "Disallowed intent(s).")
			return
		}
		c.intents = id.Intents
		session := "session-" + f.NewID()
		f.mu.Lock()
		f.sessions[session] = true
		f.mu.Unlock()
		c.seq++
		ready := map[string]any{
			"v": 9, "session_id": session, "resume_gateway_url": f.wsURL(),
			"user":        map[string]any{"id": f.BotID, "username": "interviewbot", "bot": true},
			"application": map[string]any{"id": f.AppID},
			"guilds":      []any{},
			"shard":       id.Shard,
		}
		if c.write(map[string]any{"op": 0, "t": "READY", "s": c.seq, "d": ready}) != nil {
			return
		}
	case 6:
		var res struct {
			Token     string `json:"token"`
			SessionID string `json:"session_id"`
			Seq       int64  `json:"seq"`
		}
		json.Unmarshal(first.D, &res)
		f.mu.Lock()
		f.identifies = append(f.identifies, Identify{Token: res.Token, Resume: true})
		known := f.sessions[res.SessionID]
		intents := 0
		for _, id := range f.identifies {
			if !id.Resume {
				intents = id.Intents
			}
		}
		f.mu.Unlock()
		if !known {
			c.write(map[string]any{"op": 9, "d": false})
			c.closeWith(4009, "Session timed out.")
			return
		}
		c.intents = intents
		c.seq = res.Seq + 1
		if c.write(map[string]any{"op": 0, "t": "RESUMED", "s": c.seq, "d": map[string]any{}}) != nil {
			return
		}
	default:
		c.closeWith(4003, "Not authenticated.")
		return
	}
	f.mu.Lock()
	f.conns = append(f.conns, c)
	f.mu.Unlock()
	defer f.dropConn(c)
	for {
		var in frame
		if err := ws.ReadJSON(&in); err != nil {
			return
		}
		if in.Op == 1 {
			if c.write(map[string]any{"op": 11}) != nil {
				return
			}
			f.mu.Lock()
			f.heartbeatAcks++
			f.mu.Unlock()
		}
	}
}

func (f *Server) dropConn(c *conn) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, x := range f.conns {
		if x == c {
			f.conns = append(f.conns[:i], f.conns[i+1:]...)
			return
		}
	}
}

func (f *Server) wsURL() string {
	return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gw/"
}

// Drop closes every gateway connection with code, as Discord does when it
// restarts a node; the bot is expected to reconnect.
func (f *Server) Drop(code int) {
	f.mu.Lock()
	conns := f.conns
	f.conns = nil
	f.mu.Unlock()
	for _, c := range conns {
		c.closeWith(code, "test disconnect")
	}
}

// dispatch sends an event to the newest ready connection.
func (f *Server) dispatch(t, id string, d map[string]any) error {
	f.mu.Lock()
	if len(f.conns) == 0 {
		f.mu.Unlock()
		return fmt.Errorf("no gateway connection")
	}
	c := f.conns[len(f.conns)-1]
	if t == "MESSAGE_CREATE" && c.intents&IntentMessageContent == 0 {
		// Without the intent Discord blanks what people write.
		d["content"] = ""
	}
	raw, err := json.Marshal(d)
	if err != nil {
		f.mu.Unlock()
		return err
	}
	f.events[id] = raw
	if t == "INTERACTION_CREATE" {
		if _, ok := f.sentAt[id]; !ok {
			f.sentAt[id] = time.Now()
		}
	}
	f.mu.Unlock()
	return f.send(c, t, raw)
}

func (f *Server) send(c *conn, t string, raw []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.seq++
	return c.ws.WriteJSON(frame{Op: 0, T: t, S: c.seq, D: raw})
}

// Resend dispatches an earlier event again, as Discord may after a resume.
func (f *Server) Resend(t, id string) error {
	f.mu.Lock()
	raw, ok := f.events[id]
	var c *conn
	if len(f.conns) > 0 {
		c = f.conns[len(f.conns)-1]
	}
	f.mu.Unlock()
	if !ok || c == nil {
		return fmt.Errorf("no event %s or no connection", id)
	}
	return f.send(c, t, raw)
}

func (f *Server) memberJSON(m Member) map[string]any {
	return map[string]any{
		"user":        map[string]any{"id": m.ID, "username": strings.ToLower(m.Name), "global_name": m.Name, "bot": m.Bot},
		"roles":       append([]string{}, m.Roles...),
		"permissions": strconv.FormatInt(m.Perms, 10),
		"joined_at":   "2024-01-01T00:00:00Z",
	}
}

func (f *Server) channelJSON(id string) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.channels[id]
	if !ok {
		return map[string]any{"id": id, "type": 0}
	}
	out := map[string]any{"id": c.ID, "type": c.Type, "guild_id": c.Guild, "name": c.Name}
	if c.Parent != "" {
		out["parent_id"] = c.Parent
	}
	return out
}

// Option is one slash-command option as Discord sends it.
type Option map[string]any

// Opt is a string, integer or boolean option.
func Opt(name string, value any) Option {
	typ := 3
	switch value.(type) {
	case int:
		typ = 4
	case bool:
		typ = 5
	}
	return Option{"name": name, "type": typ, "value": value}
}

// Focused is the option being typed, in an autocomplete request.
func Focused(name, value string) Option {
	return Option{"name": name, "type": 3, "value": value, "focused": true}
}

// Sub is a subcommand with its options.
func Sub(name string, opts ...Option) Option {
	return Option{"name": name, "type": 1, "options": opts}
}

func (f *Server) interaction(typ int, guild, channel string, m Member, data map[string]any, message map[string]any) (string, error) {
	id := f.NewID()
	d := map[string]any{
		"id": id, "application_id": f.AppID, "type": typ, "token": "tok-" + id, "version": 1,
		"guild_id": guild, "channel_id": channel, "channel": f.channelJSON(channel),
		"member": f.memberJSON(m), "data": data, "locale": "en-US", "app_permissions": "0",
	}
	if message != nil {
		d["message"] = message
	}
	return id, f.dispatch("INTERACTION_CREATE", id, d)
}

// Command dispatches a slash command and returns the interaction id.
func (f *Server) Command(guild, channel string, m Member, name string, opts ...Option) (string, error) {
	return f.interaction(2, guild, channel, m, map[string]any{"id": "cmd-" + name, "name": name, "type": 1, "options": opts}, nil)
}

// Autocomplete dispatches an autocomplete request for a command.
func (f *Server) Autocomplete(guild, channel string, m Member, name string, opts ...Option) (string, error) {
	return f.interaction(4, guild, channel, m, map[string]any{"id": "cmd-" + name, "name": name, "type": 1, "options": opts}, nil)
}

// Button dispatches a button press on a message.
func (f *Server) Button(guild, channel string, m Member, messageID, customID string) (string, error) {
	msg := map[string]any{"id": messageID, "channel_id": channel, "content": "", "author": map[string]any{"id": f.BotID, "username": "interviewbot", "bot": true}}
	return f.interaction(3, guild, channel, m, map[string]any{"custom_id": customID, "component_type": 2}, msg)
}

// ModalSubmit dispatches a submitted modal with its text inputs' values.
func (f *Server) ModalSubmit(guild, channel string, m Member, customID string, values map[string]string) (string, error) {
	var rows []any
	for k, v := range values {
		rows = append(rows, map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": k, "value": v}}})
	}
	return f.interaction(5, guild, channel, m, map[string]any{"custom_id": customID, "components": rows}, nil)
}

// Message dispatches MESSAGE_CREATE and returns the message id.
func (f *Server) Message(guild, channel string, author Member, content string) (string, error) {
	id := f.NewID()
	d := map[string]any{
		"id": id, "channel_id": channel, "guild_id": guild, "content": content, "type": 0,
		"timestamp": time.Now().UTC().Format(time.RFC3339),
		"author":    map[string]any{"id": author.ID, "username": strings.ToLower(author.Name), "global_name": author.Name, "bot": author.Bot},
		"member":    map[string]any{"roles": append([]string{}, author.Roles...), "joined_at": "2024-01-01T00:00:00Z"},
	}
	return id, f.dispatch("MESSAGE_CREATE", id, d)
}

// ---- REST ----

func (f *Server) rest(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/api/v9")
	seg := strings.Split(strings.Trim(path, "/"), "/")
	call := Call{Method: r.Method, Path: path, At: time.Now()}
	route, authed := f.route(r.Method, seg, &call)
	call.Route = route
	call.Body, call.Files = readBody(r)
	status, out := f.answer(r, seg, &call, authed)
	call.Status = status
	f.mu.Lock()
	f.calls = append(f.calls, call)
	f.mu.Unlock()
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if status == 429 {
		w.Header().Set("X-RateLimit-Limit", "1")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset-After", fmt.Sprint(out.(map[string]any)["retry_after"]))
		w.Header().Set("X-RateLimit-Bucket", "fake-bucket")
		w.Header().Set("X-RateLimit-Scope", "user")
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(out)
}

// route names a request and says whether it needs the bot token.
func (f *Server) route(method string, seg []string, c *Call) (string, bool) {
	n := len(seg)
	switch {
	case n >= 1 && seg[0] == "gateway":
		return method + " /" + strings.Join(seg, "/"), n == 2
	case n == 2 && seg[0] == "users":
		return method + " /users/" + seg[1], true
	case n == 4 && seg[0] == "interactions" && seg[3] == "callback":
		c.Interaction = seg[1]
		return method + " /interactions/{id}/{token}/callback", false
	case n >= 3 && seg[0] == "webhooks":
		c.Interaction = strings.TrimPrefix(seg[2], "tok-")
		if n == 3 {
			return method + " /webhooks/{app}/{token}", false
		}
		if seg[n-1] == "@original" {
			return method + " /webhooks/{app}/{token}/messages/@original", false
		}
		return method + " /webhooks/{app}/{token}/messages/{message}", false
	case n >= 2 && seg[0] == "channels":
		c.Channel = seg[1]
		switch {
		case n == 2:
			return method + " /channels/{channel}", true
		case n == 3:
			return method + " /channels/{channel}/" + seg[2], true
		case n == 5 && seg[2] == "messages" && seg[4] == "threads":
			return method + " /channels/{channel}/messages/{message}/threads", true
		case n == 4 && seg[2] == "thread-members":
			return method + " /channels/{channel}/thread-members/{user}", true
		case n == 4 && seg[2] == "messages":
			return method + " /channels/{channel}/messages/{message}", true
		}
	case n >= 3 && seg[0] == "applications":
		if n == 3 {
			return method + " /applications/{app}/commands", true
		}
		return method + " /applications/{app}/guilds/{guild}/commands", true
	}
	return method + " /" + strings.Join(seg, "/"), true
}

func readBody(r *http.Request) (map[string]any, []File) {
	body := map[string]any{}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		var files []File
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			data, _ := io.ReadAll(p)
			if p.FormName() == "payload_json" {
				json.Unmarshal(data, &body)
				continue
			}
			files = append(files, File{Name: p.FileName(), Size: len(data)})
		}
		return body, files
	}
	data, _ := io.ReadAll(r.Body)
	if len(data) > 0 {
		var v any
		if json.Unmarshal(data, &v) == nil {
			if m, ok := v.(map[string]any); ok {
				body = m
			} else {
				body["list"] = v
			}
		}
	}
	return body, nil
}

func apiError(code int, message string) map[string]any {
	return map[string]any{"code": code, "message": message}
}

func (f *Server) answer(r *http.Request, seg []string, c *Call, authed bool) (int, any) {
	if authed && r.Header.Get("Authorization") != "Bot "+f.Token {
		return http.StatusUnauthorized, apiError(0, "401: Unauthorized")
	}
	f.mu.Lock()
	if q := f.faults[c.Route]; len(q) > 0 {
		ft := q[0]
		f.faults[c.Route] = q[1:]
		f.mu.Unlock()
		if ft.status == 429 {
			return 429, map[string]any{"message": "You are being rate limited.", "retry_after": ft.retryAfter, "global": false}
		}
		return ft.status, apiError(ft.code, ft.message)
	}
	f.mu.Unlock()
	switch c.Route {
	case "GET /gateway", "GET /gateway/bot":
		return 200, map[string]any{"url": f.wsURL(), "shards": 1,
			"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}
	case "GET /users/@me":
		return 200, map[string]any{"id": f.BotID, "username": "interviewbot", "bot": true}
	case "POST /interactions/{id}/{token}/callback", "POST /channels/{channel}/typing", "PUT /channels/{channel}/thread-members/{user}":
		return http.StatusNoContent, nil
	case "PATCH /webhooks/{app}/{token}/messages/@original", "POST /webhooks/{app}/{token}", "PATCH /webhooks/{app}/{token}/messages/{message}":
		id := f.NewID()
		c.ID = id
		return 200, map[string]any{"id": id, "channel_id": "0", "content": c.Content()}
	case "POST /channels/{channel}/messages":
		id := f.NewID()
		c.ID = id
		return 200, map[string]any{"id": id, "channel_id": c.Channel, "content": c.Content()}
	case "GET /channels/{channel}":
		f.mu.Lock()
		_, ok := f.channels[c.Channel]
		f.mu.Unlock()
		if !ok {
			return 404, apiError(10003, "Unknown Channel")
		}
		return 200, f.channelJSON(c.Channel)
	case "POST /channels/{channel}/threads":
		typ, _ := c.Body["type"].(float64)
		name, _ := c.Body["name"].(string)
		f.mu.Lock()
		parent, ok := f.channels[c.Channel]
		deny := f.denyPrivate && typ == 12
		f.mu.Unlock()
		if !ok {
			return 404, apiError(10003, "Unknown Channel")
		}
		if deny {
			return 403, apiError(50013, "Missing Permissions")
		}
		id := f.NewID()
		c.ID = id
		f.mu.Lock()
		f.channels[id] = &Channel{ID: id, Guild: parent.Guild, Parent: parent.ID, Name: name, Type: int(typ)}
		f.mu.Unlock()
		return 201, f.channelJSON(id)
	case "POST /channels/{channel}/messages/{message}/threads":
		msg := seg[3]
		name, _ := c.Body["name"].(string)
		f.mu.Lock()
		parent, ok := f.channels[c.Channel]
		exists := f.threadsByMessage[msg]
		if ok && !exists {
			f.threadsByMessage[msg] = true
			f.channels[msg] = &Channel{ID: msg, Guild: parent.Guild, Parent: parent.ID, Name: name, Type: 11}
		}
		f.mu.Unlock()
		if !ok {
			return 404, apiError(10003, "Unknown Channel")
		}
		if exists {
			return 400, apiError(160004, "A thread has already been created for this message")
		}
		c.ID = msg
		return 201, f.channelJSON(msg)
	case "PUT /applications/{app}/commands", "PUT /applications/{app}/guilds/{guild}/commands":
		if seg[1] != f.AppID {
			return 403, apiError(20012, "You are not authorized to perform this action on this application")
		}
		list, _ := c.Body["list"].([]any)
		return 200, list
	}
	return 404, apiError(0, "404: Not Found")
}

// Threads returns the threads the bot created, in creation order.
func (f *Server) Threads() []Call {
	var out []Call
	for _, c := range f.Calls() {
		if c.Status < 300 && (c.Route == "POST /channels/{channel}/threads") {
			out = append(out, c)
		}
	}
	return out
}
