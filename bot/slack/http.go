package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/interviewbot/interviewbot/internal/telemetry"
)

// MaxBody is the largest request HTTP mode reads; Slack's payloads are far
// smaller, so anything bigger is refused unread.
const MaxBody = 1 << 20

// serveHTTP serves the Events API, slash commands and interactivity on
// Config.Listener until ctx ends.
func (a *Adapter) serveHTTP(ctx context.Context) error {
	if a.cfg.Listener == nil {
		return errors.New("slack http mode needs a listener")
	}
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(a.cfg.Listener) }()
	a.log.Info("slack http mode listening", "addr", a.cfg.Listener.Addr().String())
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		<-errc
		return nil
	case err := <-errc:
		return err
	}
}

// Handler serves /slack/events, /slack/commands and /slack/interactions,
// each request checked against the signing secret first.
func (a *Adapter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/events", a.httpEvents)
	mux.HandleFunc("POST /slack/commands", a.httpCommands)
	mux.HandleFunc("POST /slack/interactions", a.httpInteractions)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		typ := strings.TrimPrefix(r.URL.Path, "/slack/")
		telemetry.EventReceived(Platform, typ)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		mux.ServeHTTP(sw, r)
		if sw.status < 300 {
			telemetry.EventAcked(Platform, typ, time.Since(start))
		}
	})
}

// statusWriter remembers the status a handler answered with, so only
// accepted requests count as acknowledged.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// verified reads and checks a request body; on failure it has already
// answered the request.
func (a *Adapter) verified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "cannot read request", http.StatusBadRequest)
		}
		return nil, false
	}
	if err := a.verifier.Verify(r.Header, body); err != nil {
		a.log.Warn("slack request refused", "path", r.URL.Path, "remote", r.RemoteAddr, "err", err)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

func (a *Adapter) httpEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		a.log.Info("slack event redelivery", "attempt", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	challenge, err := a.event(body)
	if err != nil {
		http.Error(w, "unreadable event", http.StatusBadRequest)
		return
	}
	if challenge != "" {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(challenge))
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (a *Adapter) httpCommands(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "unreadable command", http.StatusBadRequest)
		return
	}
	sc := slack.SlashCommand{
		TeamID: form.Get("team_id"), ChannelID: form.Get("channel_id"), UserID: form.Get("user_id"), UserName: form.Get("user_name"),
		Command: form.Get("command"), Text: form.Get("text"), TriggerID: form.Get("trigger_id"), ResponseURL: form.Get("response_url"),
	}
	id := ""
	if sc.TriggerID != "" {
		id = "trigger:" + sc.TriggerID
	}
	writeAck(w, a.command(sc, id))
}

func (a *Adapter) httpInteractions(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "unreadable interaction", http.StatusBadRequest)
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "unreadable interaction", http.StatusBadRequest)
		return
	}
	id := ""
	if cb.TriggerID != "" {
		id = "trigger:" + cb.TriggerID
	}
	writeAck(w, a.interaction(cb, id))
}

func writeAck(w http.ResponseWriter, payload any) {
	if payload == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(payload)
}
