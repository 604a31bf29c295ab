package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/interviewbot/interviewbot/bot"
	discordbot "github.com/interviewbot/interviewbot/bot/discord"
	"github.com/interviewbot/interviewbot/interview"
)

func init() {
	platformSetups = append(platformSetups, setupDiscord)
	platformCommands["discord"] = discordCmd
}

// discordSettings are the DISCORD_* variables, checked.
type discordSettings struct {
	token, appID, guild string
	api                 *url.URL
	admins              []string
	shardID, shards     int
}

func discordSnowflake(s string) bool {
	if len(s) < 5 || len(s) > 20 {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// discordConfig reads the DISCORD_* variables; ok is false when
// DISCORD_BOT_TOKEN is unset (Discord is off). Errors name the variable and
// never print the token.
func (m *Main) discordConfig() (s discordSettings, ok bool, err error) {
	invalid := func(format string, args ...any) error { return interview.Errorf(interview.Invalid, format, args...) }
	s.token = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m.Getenv("DISCORD_BOT_TOKEN")), "Bot "))
	if s.token == "" {
		return s, false, nil
	}
	// A bot token is three dot-separated base64 parts.
	parts := strings.Split(s.token, ".")
	if len(parts) != 3 || strings.ContainsAny(s.token, " \t\n") || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return s, true, invalid("DISCORD_BOT_TOKEN does not look like a bot token (three parts separated by dots); copy it again from the Developer Portal → your application → Bot → Reset Token")
	}
	s.appID = strings.TrimSpace(m.Getenv("DISCORD_APP_ID"))
	switch {
	case s.appID == "":
		return s, true, invalid("DISCORD_BOT_TOKEN is set but DISCORD_APP_ID is not: copy the Application ID from the Developer Portal → your application → General Information")
	case !discordSnowflake(s.appID):
		return s, true, invalid("DISCORD_APP_ID must be the numeric Application ID from the Developer Portal's General Information page")
	}
	s.guild = strings.TrimSpace(m.Getenv("DISCORD_GUILD_ID"))
	if s.guild != "" && !discordSnowflake(s.guild) {
		return s, true, invalid("DISCORD_GUILD_ID must be a numeric server id (Discord: Settings → Advanced → Developer Mode, then right-click the server → Copy Server ID)")
	}
	if raw := m.Getenv("DISCORD_API_URL"); raw != "" {
		if s.api, err = discordbot.ParseAPIURL(raw); err != nil {
			return s, true, invalid("DISCORD_API_URL %s", err)
		}
	}
	for _, id := range strings.FieldsFunc(m.Getenv("DISCORD_ADMIN_IDS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		if !discordSnowflake(id) {
			return s, true, invalid("DISCORD_ADMIN_IDS must list numeric user or role ids separated by commas (got %q)", discordTrunc(id, 30))
		}
		s.admins = append(s.admins, id)
	}
	s.shards = 1
	id, count := m.Getenv("DISCORD_SHARD_ID"), m.Getenv("DISCORD_SHARD_COUNT")
	if id != "" || count != "" {
		i, err1 := strconv.Atoi(id)
		n, err2 := strconv.Atoi(count)
		if err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
			return s, true, invalid("DISCORD_SHARD_ID (%q) and DISCORD_SHARD_COUNT (%q) must both be set, as whole numbers with 0 ≤ id < count", discordTrunc(id, 10), discordTrunc(count, 10))
		}
		s.shardID, s.shards = i, n
	}
	return s, true, nil
}

func discordTrunc(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func (m *Main) discordAdapter(s discordSettings, g global, app *bot.App, log *slog.Logger) *discordbot.Adapter {
	return discordbot.New(discordbot.Config{
		App: app, Token: discordbot.Secret(s.token), AppID: s.appID, APIURL: s.api, Admins: s.admins,
		ShardID: s.shardID, ShardCount: s.shards,
		AdapterWork: bot.AdapterWork{Log: log.With("platform", discordbot.Platform), Now: m.Now, Grace: g.shutdown},
	})
}

var errDiscordToken = interview.Errorf(interview.Invalid, "Discord refused DISCORD_BOT_TOKEN (401 Unauthorized); reset the token in the Developer Portal → your application → Bot, and copy it again")

// setupDiscord serves Discord when DISCORD_BOT_TOKEN is set. The token is
// checked with Discord before anything starts, so a wrong one ends the
// program at once.
func setupDiscord(m *Main, ctx context.Context, g global, app *bot.App, log *slog.Logger) (*platform, error) {
	s, ok, err := m.discordConfig()
	if !ok || err != nil {
		return nil, err
	}
	ad := m.discordAdapter(s, g, app, log)
	if err := ad.Connect(ctx); err != nil {
		if errors.Is(err, discordbot.ErrInvalidToken) {
			return nil, errDiscordToken
		}
		return nil, interview.Wrap(err, interview.Unavailable, "cannot reach Discord to check DISCORD_BOT_TOKEN; check the network (or DISCORD_API_URL) and try again")
	}
	run := func(ctx context.Context) error {
		err := ad.Run(ctx)
		var ge *discordbot.GatewayError
		switch {
		case errors.Is(err, discordbot.ErrInvalidToken):
			return errDiscordToken
		case errors.As(err, &ge):
			return interview.Errorf(interview.Invalid, "Discord closed the connection for good (%d %s); check DISCORD_SHARD_ID and DISCORD_SHARD_COUNT, and the application's intents in the Developer Portal", ge.Code, ge.Reason)
		}
		return err
	}
	return &platform{name: discordbot.Platform, poster: ad, run: run, ready: ad.Ready}, nil
}

const discordUsage = `Usage:
  interviewbot discord register [--guild ID]   install the slash commands (on one server at once with --guild or DISCORD_GUILD_ID; globally otherwise)
  interviewbot discord invite-url              print the link that adds the bot to a server, with exactly the permissions it needs
`

// discordCmd runs "interviewbot discord ...".
func discordCmd(m *Main, ctx context.Context, g global, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		if len(args) == 0 {
			fmt.Fprintf(m.Stderr, "interviewbot discord: a subcommand is needed\n\n%s", discordUsage)
			return errUsage
		}
		fmt.Fprint(m.Stdout, discordUsage)
		return nil
	}
	switch args[0] {
	case "register":
		fs := subFlags("discord register")
		guild := fs.String("guild", "", "")
		if err := m.parseSub(fs, discordUsage, args[1:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			fmt.Fprintf(m.Stderr, "interviewbot discord register: unexpected %q\n\n%s", fs.Arg(0), discordUsage)
			return errUsage
		}
		s, ok, err := m.discordConfig()
		if err != nil {
			return err
		}
		if !ok {
			return interview.Errorf(interview.Invalid, "DISCORD_BOT_TOKEN is not set: registering commands needs the bot token and DISCORD_APP_ID")
		}
		target := *guild
		if target == "" {
			target = s.guild
		}
		if target != "" && !discordSnowflake(target) {
			return interview.Errorf(interview.Invalid, "--guild must be a numeric server id")
		}
		ad := m.discordAdapter(s, g, nil, slog.New(slog.DiscardHandler))
		n, err := ad.Register(ctx, target)
		if errors.Is(err, discordbot.ErrInvalidToken) {
			return errDiscordToken
		}
		if err != nil {
			return interview.Wrap(err, interview.Unavailable, "Discord did not accept the commands; check DISCORD_APP_ID matches the token's application, and the network (or DISCORD_API_URL)")
		}
		if target != "" {
			fmt.Fprintf(m.Stdout, "Registered %d commands on server %s; they are usable there now.\n", n, target)
		} else {
			fmt.Fprintf(m.Stdout, "Registered %d global commands; Discord can take a few minutes to show them in every server.\n", n)
		}
		return nil
	case "invite-url":
		fs := subFlags("discord invite-url")
		if err := m.parseSub(fs, discordUsage, args[1:]); err != nil {
			return err
		}
		app := strings.TrimSpace(m.Getenv("DISCORD_APP_ID"))
		if !discordSnowflake(app) {
			return interview.Errorf(interview.Invalid, "DISCORD_APP_ID must be set to the numeric Application ID from the Developer Portal's General Information page")
		}
		fmt.Fprintln(m.Stdout, discordbot.InviteURL(app))
		return nil
	}
	fmt.Fprintf(m.Stderr, "interviewbot discord: unknown subcommand %q\n\n%s", discordTrunc(args[0], 20), discordUsage)
	return errUsage
}
