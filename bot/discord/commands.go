package discord

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/questions"
)

// Permissions the bot needs in a server, each for one reason (the README
// lists them); InviteURL asks for exactly these.
var Permissions = []struct {
	Bit    int64
	Name   string
	Reason string
}{
	{discordgo.PermissionViewChannel, "View Channels", "see the channels where /mock and the daily question are used"},
	{discordgo.PermissionSendMessages, "Send Messages", "post the daily question, its recap and the Monday board"},
	{discordgo.PermissionSendMessagesInThreads, "Send Messages in Threads", "ask questions and follow-ups inside interview threads"},
	{discordgo.PermissionCreatePrivateThreads, "Create Private Threads", "open each /mock in a thread only the candidate and the bot see"},
	{discordgo.PermissionCreatePublicThreads, "Create Public Threads", "open the discussion and recap thread under a daily question (and the fallback when private threads are not allowed)"},
	{discordgo.PermissionEmbedLinks, "Embed Links", "show questions, scorecards and boards as embeds"},
	{discordgo.PermissionAttachFiles, "Attach Files", "send the /stats picture and the /me export file"},
}

// PermissionBits is the sum of Permissions.
func PermissionBits() int64 {
	var n int64
	for _, p := range Permissions {
		n |= p.Bit
	}
	return n
}

// InviteURL is the install link for an application with the bot and
// slash-command scopes and exactly the permissions the bot needs.
func InviteURL(appID string) string {
	return fmt.Sprintf("https://discord.com/oauth2/authorize?client_id=%s&scope=bot+applications.commands&permissions=%d", appID, PermissionBits())
}

func strOpt(name, desc string, required bool, choices ...string) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc, Required: required}
	for _, c := range choices {
		label, value, ok := strings.Cut(c, "=")
		if !ok {
			value = label
		}
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: label, Value: value})
	}
	return o
}

func sub(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts}
}

// Commands are the slash commands `interviewbot discord register`
// installs. They are only offered in servers: interviews live in a
// server's threads.
func Commands() []*discordgo.ApplicationCommand {
	guildOnly := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	one, five := 1.0, 5.0
	topic := strOpt("topic", "Topic, or a system-design prompt", false)
	topic.Autocomplete = true
	level := strOpt("level", "Question level", false, "junior", "mid", "senior")
	cmds := []*discordgo.ApplicationCommand{
		{Name: "mock", Description: "Start a mock interview in a private thread", Options: []*discordgo.ApplicationCommandOption{
			topic, level,
			{Type: discordgo.ApplicationCommandOptionInteger, Name: "questions", Description: "How many main questions (1 to 5; default 3)", MinValue: &one, MaxValue: five},
			{Type: discordgo.ApplicationCommandOptionBoolean, Name: "review", Description: "Only questions due for another try"},
		}},
		{Name: "leaderboard", Description: "Points boards for this server or channel", Options: []*discordgo.ApplicationCommandOption{
			strOpt("period", "Which period", false, "this week=week", "this month=month", "all time=all"),
			strOpt("scope", "Whose board", false, "the whole server=team", "this channel=channel"),
			strOpt("visibility", "Hide yourself from boards, or show yourself again", false, "hide me=optout", "show me=optin"),
		}},
		{Name: "streak", Description: "Your streak, freezes and points", Options: []*discordgo.ApplicationCommandOption{
			strOpt("tz", "Set the time zone of your local day, e.g. Europe/Berlin", false),
		}},
		{Name: "daily", Description: "The channel's daily question", Options: []*discordgo.ApplicationCommandOption{
			sub("answer", "Answer today's question privately"),
			sub("status", "Show this channel's daily settings"),
			sub("setup", "Set up the daily question here (admins)",
				strOpt("time", "Local time to post, e.g. 09:30", false),
				strOpt("tz", "IANA time zone, e.g. Europe/Berlin", false),
				strOpt("days", "Days to post, e.g. mon-fri", false),
				strOpt("topics", "Comma-separated topics, e.g. caching,databases", false),
				strOpt("level", "Question level", false, "junior", "mid", "senior"),
				strOpt("reveal", "How long until the recap, e.g. 8h", false)),
			sub("off", "Switch the daily question off here (admins)"),
			sub("skip", "No question on a date, e.g. a holiday (admins)", strOpt("date", "YYYY-MM-DD", true)),
			sub("now", "Post today's question now (admins)"),
		}},
		{Name: "stats", Description: "A picture of your last 12 weeks and your scores per topic"},
		{Name: "me", Description: "Your stored data", Options: []*discordgo.ApplicationCommandOption{
			sub("export", "A file of everything stored about you"),
			sub("delete", "Delete everything stored about you (asks to confirm)"),
		}},
		{Name: "help", Description: "What the bot can do"},
	}
	for _, c := range cmds {
		c.Contexts = guildOnly
	}
	return cmds
}

// commandOf turns a slash command into the bot's neutral command, the way
// a console user would have typed it.
func commandOf(d discordgo.ApplicationCommandInteractionData) bot.Command {
	var raw []string
	opts := d.Options
	if len(opts) == 1 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		raw = append(raw, opts[0].Name)
		opts = opts[0].Options
	}
	for _, o := range opts {
		v := strings.TrimSpace(fmt.Sprint(o.Value))
		switch {
		case d.Name == "mock" && o.Name == "review":
			if b, _ := o.Value.(bool); b {
				raw = append(raw, "review")
			}
		case d.Name == "streak" && o.Name == "tz":
			raw = append(raw, "tz", v)
		case d.Name == "daily" && o.Name != "date":
			// Setup reads key=value words; a value cannot hold a space.
			raw = append(raw, o.Name+"="+strings.Join(strings.Fields(v), ""))
		default:
			raw = append(raw, strings.Fields(v)...)
		}
	}
	text := strings.Join(raw, " ")
	var args []string
	for _, f := range strings.Fields(text) {
		args = append(args, strings.ToLower(f))
	}
	return bot.Command{Name: d.Name, Args: args, Raw: text}
}

// subcommand is the name of the interaction's subcommand, or "".
func subcommand(d discordgo.ApplicationCommandInteractionData) string {
	if len(d.Options) == 1 && d.Options[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		return d.Options[0].Name
	}
	return ""
}

// topicChoices are the /mock topic suggestions for what the user typed:
// the bank's topics (team packs included) and its design prompts.
func topicChoices(bank *questions.Bank, typed string) []*discordgo.ApplicationCommandOptionChoice {
	typed = strings.ToLower(strings.TrimSpace(typed))
	var out []*discordgo.ApplicationCommandOptionChoice
	add := func(name, value string) {
		if len(out) < 25 && (typed == "" || strings.Contains(strings.ToLower(name), typed)) {
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: truncate(name, 100), Value: value})
		}
	}
	for _, t := range bank.Topics() {
		add(t, t)
	}
	var designs []string
	for _, q := range bank.All() {
		if q.Kind == questions.KindDesign && !slices.Contains(designs, q.ID) {
			designs = append(designs, q.ID)
			name := strings.TrimPrefix(q.ID, "design-")
			add("design: "+name+" ("+q.Title+")", name)
		}
	}
	return out
}

// Register overwrites the application's slash commands, on one server
// (instant, for trying the bot) or globally when guild is "".
func (a *Adapter) Register(ctx context.Context, guild string) (int, error) {
	route := "PUT /applications/{app}/commands"
	if guild != "" {
		route = "PUT /applications/{app}/guilds/{guild}/commands"
	}
	var got []*discordgo.ApplicationCommand
	err := a.call(ctx, route, "", func(opts ...discordgo.RequestOption) (err error) {
		got, err = a.rest.ApplicationCommandBulkOverwrite(a.cfg.AppID, guild, Commands(), opts...)
		return err
	})
	if status, _ := restStatus(err); status == 401 {
		return 0, ErrInvalidToken
	}
	return len(got), err
}
