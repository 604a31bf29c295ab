package discord

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/questions"
)

// data builds command data the way discordgo decodes it from the gateway.
func data(t *testing.T, raw string) discordgo.ApplicationCommandInteractionData {
	t.Helper()
	var d discordgo.ApplicationCommandInteractionData
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCommandOf(t *testing.T) {
	tests := []struct {
		raw  string
		want bot.Command
	}{
		{`{"name":"help"}`, bot.Command{Name: "help", Raw: ""}},
		{`{"name":"mock","options":[{"name":"topic","type":3,"value":"caching"},{"name":"level","type":3,"value":"senior"},{"name":"questions","type":4,"value":2},{"name":"review","type":5,"value":true}]}`,
			bot.Command{Name: "mock", Args: []string{"caching", "senior", "2", "review"}, Raw: "caching senior 2 review"}},
		{`{"name":"mock","options":[{"name":"review","type":5,"value":false}]}`, bot.Command{Name: "mock", Raw: ""}},
		{`{"name":"streak","options":[{"name":"tz","type":3,"value":"Europe/Berlin"}]}`,
			bot.Command{Name: "streak", Args: []string{"tz", "europe/berlin"}, Raw: "tz Europe/Berlin"}},
		{`{"name":"daily","options":[{"name":"setup","type":1,"options":[{"name":"time","type":3,"value":"09:30"},{"name":"tz","type":3,"value":"Europe/Berlin"},{"name":"topics","type":3,"value":"caching, databases"}]}]}`,
			bot.Command{Name: "daily", Args: []string{"setup", "time=09:30", "tz=europe/berlin", "topics=caching,databases"}, Raw: "setup time=09:30 tz=Europe/Berlin topics=caching,databases"}},
		{`{"name":"daily","options":[{"name":"skip","type":1,"options":[{"name":"date","type":3,"value":"2026-12-24"}]}]}`,
			bot.Command{Name: "daily", Args: []string{"skip", "2026-12-24"}, Raw: "skip 2026-12-24"}},
		{`{"name":"leaderboard","options":[{"name":"period","type":3,"value":"week"},{"name":"scope","type":3,"value":"channel"}]}`,
			bot.Command{Name: "leaderboard", Args: []string{"week", "channel"}, Raw: "week channel"}},
		{`{"name":"me","options":[{"name":"delete","type":1}]}`, bot.Command{Name: "me", Args: []string{"delete"}, Raw: "delete"}},
	}
	for _, tt := range tests {
		got := commandOf(data(t, tt.raw))
		if got.Name != tt.want.Name || strings.Join(got.Args, " ") != strings.Join(tt.want.Args, " ") || got.Raw != tt.want.Raw {
			t.Errorf("commandOf(%s) = %+v, want %+v", tt.raw, got, tt.want)
		}
	}
}

// Discord refuses a whole bulk overwrite for one bad command; these are its
// rules.
func TestCommandsValid(t *testing.T) {
	name := regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)
	var check func(where string, opts []*discordgo.ApplicationCommandOption)
	check = func(where string, opts []*discordgo.ApplicationCommandOption) {
		if len(opts) > 25 {
			t.Errorf("%s: %d options", where, len(opts))
		}
		optional := false
		for _, o := range opts {
			if !name.MatchString(o.Name) || len(o.Description) == 0 || len(o.Description) > 100 {
				t.Errorf("%s %s: bad name or description", where, o.Name)
			}
			if o.Required && optional {
				t.Errorf("%s %s: required after optional", where, o.Name)
			}
			optional = optional || !o.Required
			if len(o.Choices) > 25 || o.Autocomplete && len(o.Choices) > 0 {
				t.Errorf("%s %s: bad choices", where, o.Name)
			}
			check(where+" "+o.Name, o.Options)
		}
	}
	seen := map[string]bool{}
	for _, c := range Commands() {
		if !name.MatchString(c.Name) || len(c.Description) == 0 || len(c.Description) > 100 || seen[c.Name] {
			t.Errorf("command %q: bad or repeated name, or description", c.Name)
		}
		seen[c.Name] = true
		check(c.Name, c.Options)
	}
	for _, want := range []string{"mock", "leaderboard", "streak", "daily", "stats", "me", "help"} {
		if !seen[want] {
			t.Errorf("no /%s command", want)
		}
	}
}

func TestTopicChoices(t *testing.T) {
	bank, err := questions.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	all := topicChoices(bank, "")
	if len(all) == 0 || len(all) > 25 {
		t.Fatalf("%d choices for an empty prefix", len(all))
	}
	for _, c := range all {
		v := c.Value.(string)
		if _, err := bot.ParseMockArgs(bank, []string{v}, 3); err != nil {
			t.Errorf("choice %q is not accepted by /mock: %v", v, err)
		}
	}
	design := topicChoices(bank, "rate")
	if len(design) == 0 || !strings.HasPrefix(design[0].Name, "design: ") {
		t.Errorf("no design choice for %q: %v", "rate", design)
	}
}

func TestInviteURL(t *testing.T) {
	u := InviteURL("42")
	if !strings.Contains(u, "client_id=42") || !strings.Contains(u, "scope=bot+applications.commands") {
		t.Errorf("invite URL %s", u)
	}
	if PermissionBits()&(discordgo.PermissionAdministrator|discordgo.PermissionManageMessages|discordgo.PermissionManageGuild) != 0 {
		t.Error("the invite asks for more than the bot needs")
	}
}

func TestRouteOfHidesTokens(t *testing.T) {
	tests := map[string]string{
		"https://discord.com/api/v9/interactions/123456789/aW50ZXJhY3Rpb24.token/callback": "/interactions/{id}/{token}/callback",
		"https://discord.com/api/v9/webhooks/900000000000000001/tok-55/messages/@original": "/webhooks/{id}/{token}/messages/@original",
		"https://discord.com/api/v9/channels/81384788765712390/messages":                   "/channels/{id}/messages",
	}
	for in, want := range tests {
		if got := routeOf(in); got != want {
			t.Errorf("routeOf(%s) = %s, want %s", in, got, want)
		}
	}
}
