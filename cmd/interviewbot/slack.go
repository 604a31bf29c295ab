package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/url"
	"strings"

	"github.com/interviewbot/interviewbot/bot"
	slackbot "github.com/interviewbot/interviewbot/bot/slack"
	"github.com/interviewbot/interviewbot/interview"
)

func init() {
	platformSetups = append(platformSetups, setupSlack)
}

// setupSlack serves Slack when its tokens are set: Socket Mode with
// SLACK_BOT_TOKEN and SLACK_APP_TOKEN, or HTTP mode with SLACK_BOT_TOKEN,
// SLACK_SIGNING_SECRET and --listen. The bot token is checked with Slack
// before anything starts, so a wrong token ends the program at once.
func setupSlack(m *Main, ctx context.Context, g global, app *bot.App, log *slog.Logger) (*platform, error) {
	botTok, appTok, secret := m.Getenv("SLACK_BOT_TOKEN"), m.Getenv("SLACK_APP_TOKEN"), m.Getenv("SLACK_SIGNING_SECRET")
	if botTok == "" && appTok == "" && secret == "" {
		return nil, nil
	}
	invalid := func(format string, args ...any) error { return interview.Errorf(interview.Invalid, format, args...) }
	switch {
	case botTok == "" && appTok != "":
		return nil, invalid("SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: Socket Mode needs both the xoxb- bot token and the xapp- app-level token")
	case botTok == "":
		return nil, invalid("SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not: HTTP mode needs the xoxb- bot token too")
	case !strings.HasPrefix(botTok, "xoxb-"):
		return nil, invalid("SLACK_BOT_TOKEN must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)")
	case appTok != "" && !strings.HasPrefix(appTok, "xapp-"):
		return nil, invalid("SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write)")
	case appTok == "" && (secret == "" || g.listen == ""):
		return nil, invalid("SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN: set SLACK_APP_TOKEN (xapp-) for Socket Mode, or SLACK_SIGNING_SECRET and --listen ADDR for HTTP mode")
	}
	apiURL := m.Getenv("SLACK_API_URL")
	if apiURL != "" {
		u, err := url.Parse(apiURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.HasSuffix(u.Path, "/api/") {
			return nil, invalid("SLACK_API_URL must be an http(s) URL ending in /api/, like https://slack.com/api/")
		}
	}
	admins := strings.FieldsFunc(m.Getenv("SLACK_ADMIN_IDS"), func(r rune) bool { return r == ',' || r == ' ' })
	cfg := slackbot.Config{
		App: app, BotToken: slackbot.Secret(botTok), AppToken: slackbot.Secret(appTok), SigningSecret: slackbot.Secret(secret),
		APIURL: apiURL, Admins: admins,
		AdapterWork: bot.AdapterWork{Log: log.With("platform", "slack"), Now: m.Now, Grace: g.shutdown},
	}
	if appTok == "" {
		ln, err := net.Listen("tcp", g.listen)
		if err != nil {
			return nil, invalid("cannot serve Slack HTTP mode on --listen %s: %s", g.listen, rootCause(err))
		}
		cfg.Listener = ln
	}
	ad := slackbot.New(cfg)
	if err := ad.Connect(ctx); err != nil {
		if cfg.Listener != nil {
			cfg.Listener.Close()
		}
		if errors.Is(err, slackbot.ErrInvalidBotToken) {
			return nil, invalid("Slack refused SLACK_BOT_TOKEN %s; copy the Bot User OAuth Token again from the app's OAuth & Permissions page", strings.TrimPrefix(err.Error(), slackbot.ErrInvalidBotToken.Error()+" "))
		}
		return nil, interview.Wrap(err, interview.Unavailable, "cannot reach Slack to check SLACK_BOT_TOKEN; check the network (or SLACK_API_URL) and try again")
	}
	run := func(ctx context.Context) error {
		err := ad.Run(ctx)
		if errors.Is(err, slackbot.ErrInvalidAppToken) {
			return invalid("Slack refused SLACK_APP_TOKEN %s; create an app-level token with the connections:write scope under Basic Information", strings.TrimPrefix(err.Error(), slackbot.ErrInvalidAppToken.Error()+" "))
		}
		return err
	}
	return &platform{name: slackbot.Platform, poster: ad, run: run, ready: ad.Ready}, nil
}
