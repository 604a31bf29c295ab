package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/interviewbot/interviewbot/internal/telemetry"
)

// runSocket serves Socket Mode: slack-go keeps the WebSocket (reconnecting
// on a drop, a missed ping or Slack's disconnect message), and this loop
// acknowledges each envelope the moment it arrives, then hands the work
// to the dispatcher.
func (a *Adapter) runSocket(ctx context.Context) error {
	opts := []socketmode.Option{socketmode.OptionLog(log.New(io.Discard, "", 0))}
	if a.cfg.PingInterval > 0 {
		opts = append(opts, socketmode.OptionPingInterval(a.cfg.PingInterval))
	}
	smc := socketmode.New(a.api, opts...)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- smc.RunContext(runCtx) }()
	for {
		select {
		case <-ctx.Done():
			cancel()
			a.connected.Store(false)
			<-done
			return nil
		case err := <-done:
			a.connected.Store(false)
			if ctx.Err() != nil {
				return nil
			}
			if isAuthError(err) || err != nil && isAuthCode(err.Error()) {
				return fmt.Errorf("%w (%s)", ErrInvalidAppToken, authCode(err))
			}
			var sc slack.StatusCodeError
			if errors.As(err, &sc) && sc.Code == 404 {
				return fmt.Errorf("%w (not found)", ErrInvalidAppToken)
			}
			return fmt.Errorf("socket mode stopped: %w", err)
		case evt := <-smc.Events:
			a.onSocketEvent(ctx, smc, evt)
		}
	}
}

// slack-go reports a rejected app token on connect as a bare error whose
// text is Slack's code.
func isAuthCode(s string) bool {
	switch s {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type":
		return true
	}
	return false
}

func authCode(err error) string {
	if c := slackCode(err); c != "" {
		return c
	}
	return err.Error()
}

func (a *Adapter) onSocketEvent(ctx context.Context, smc *socketmode.Client, evt socketmode.Event) {
	start := time.Now()
	switch evt.Type {
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		telemetry.EventReceived(Platform, string(evt.Type))
		defer func() { telemetry.EventAcked(Platform, string(evt.Type), time.Since(start)) }()
	}
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.connected.Store(true)
		a.log.Info("slack socket connected")
	case socketmode.EventTypeConnecting:
		a.connected.Store(false)
	case socketmode.EventTypeConnectionError:
		a.connected.Store(false)
		if ce, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			a.log.Warn("slack socket connection failed; retrying", "attempt", ce.Attempt, "backoff", ce.Backoff, "err", ce.ErrorObj)
		}
	case socketmode.EventTypeDisconnect:
		a.log.Info("slack asked to reconnect")
	case socketmode.EventTypeSlashCommand:
		sc, _ := evt.Data.(slack.SlashCommand)
		payload := a.command(sc, dedupeID(sc.TriggerID, evt.Request))
		a.ack(ctx, smc, evt.Request, payload)
	case socketmode.EventTypeInteractive:
		cb, _ := evt.Data.(slack.InteractionCallback)
		payload := a.interaction(cb, dedupeID(cb.TriggerID, evt.Request))
		a.ack(ctx, smc, evt.Request, payload)
	case socketmode.EventTypeEventsAPI:
		a.ack(ctx, smc, evt.Request, nil)
		a.socketEvent(evt.Request)
	case socketmode.EventTypeErrorBadMessage:
		// An envelope slack-go could not decode (an event type it does not
		// know) is still acknowledged, or Slack would redeliver it.
		bad, _ := evt.Data.(*socketmode.ErrorBadMessage)
		if bad == nil {
			return
		}
		var req socketmode.Request
		if json.Unmarshal(bad.Message, &req) != nil || req.EnvelopeID == "" {
			a.log.Warn("slack sent an unreadable message", "err", bad.Cause)
			return
		}
		a.ack(ctx, smc, &req, nil)
		if req.Type == socketmode.RequestTypeEventsAPI {
			a.socketEvent(&req)
		}
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("slack socket error", "type", string(evt.Type), "data", fmt.Sprint(evt.Data))
	}
}

func (a *Adapter) socketEvent(req *socketmode.Request) {
	if req.RetryAttempt > 0 {
		a.log.Info("slack event redelivery", "attempt", req.RetryAttempt, "reason", req.RetryReason)
	}
	if _, err := a.event(req.Payload); err != nil {
		a.log.Warn("slack event unreadable", "err", err)
	}
}

func (a *Adapter) ack(ctx context.Context, smc *socketmode.Client, req *socketmode.Request, payload any) {
	if req == nil || req.EnvelopeID == "" {
		return
	}
	if err := smc.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		a.log.Warn("slack ack failed", "envelope", req.EnvelopeID, "err", err)
	}
}

// dedupeID is what identifies an interaction across redeliveries: its
// trigger id, else the envelope id.
func dedupeID(trigger string, req *socketmode.Request) string {
	if trigger != "" {
		return "trigger:" + trigger
	}
	if req != nil && req.EnvelopeID != "" {
		return "envelope:" + req.EnvelopeID
	}
	return ""
}
