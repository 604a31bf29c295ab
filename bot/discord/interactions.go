package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/internal/telemetry"
	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/store"
)

// Custom ids of the bot's own components.
const (
	idDailyAnswer  = "daily-answer"
	idDailyDiscuss = "daily-discuss"
	idDailyModal   = "daily-modal"
	inputAnswer    = "answer"
	inputShare     = "share"
	busyLine       = "The bot is busy right now; please try again in a minute."
	sendFailLine   = "Sorry, I could not show that reply. Please try again."
	// maxModalTitle is Discord's limit on a modal's title, in characters.
	maxModalTitle = 45
)

// onInteraction acknowledges an interaction and queues its work. The
// acknowledgement goes out from its own goroutine, so the gateway's read
// loop never waits on REST.
func (a *Adapter) onInteraction(i *discordgo.Interaction) {
	if !a.firstSight(i.ID) {
		return
	}
	telemetry.EventReceived(Platform, "interaction")
	a.arrived.Store(i.ID, time.Now())
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		defer a.survive("interaction")
		a.interaction(a.work, i)
	}()
}

func (a *Adapter) interaction(ctx context.Context, i *discordgo.Interaction) {
	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.autocomplete(ctx, i)
	case discordgo.InteractionApplicationCommand:
		d := i.ApplicationCommandData()
		if d.Name == "daily" && subcommand(d) == "answer" {
			a.openModal(ctx, i, "")
			return
		}
		cmd := commandOf(d)
		if cmd.Name == "mock" {
			a.deferThen(ctx, i, a.mock)
			return
		}
		a.deferThen(ctx, i, func(ctx context.Context, i *discordgo.Interaction, w bot.Who) []bot.Message {
			return a.app.HandleCommand(ctx, w, cmd)
		})
	case discordgo.InteractionMessageComponent:
		id, value, _ := strings.Cut(i.MessageComponentData().CustomID, ":")
		switch id {
		case idDailyAnswer:
			a.openModal(ctx, i, value)
		case idDailyDiscuss:
			a.deferThen(ctx, i, a.discuss)
		case bot.CommandButton:
			a.deferThen(ctx, i, func(ctx context.Context, i *discordgo.Interaction, w bot.Who) []bot.Message {
				cmd, err := bot.ParseCommand(value)
				if err != nil {
					return []bot.Message{bot.Note(err.Error())}
				}
				return a.app.HandleCommand(ctx, w, cmd)
			})
		default:
			a.reply(ctx, i, "This button is no longer in use.")
		}
	case discordgo.InteractionModalSubmit:
		a.deferThen(ctx, i, a.modalSubmit)
	}
}

// callback acknowledges an interaction and records how long that took
// from its arrival.
func (a *Adapter) callback(ctx context.Context, i *discordgo.Interaction, resp *discordgo.InteractionResponse) {
	a.call(ctx, "POST /interactions/{id}/{token}/callback", i.ChannelID, func(opts ...discordgo.RequestOption) error {
		return a.interactions().InteractionRespond(i, resp, opts...)
	})
	if at, ok := a.arrived.LoadAndDelete(i.ID); ok {
		telemetry.EventAcked(Platform, "interaction", time.Since(at.(time.Time)))
	}
}

// reply answers an interaction at once with one private line.
func (a *Adapter) reply(ctx context.Context, i *discordgo.Interaction, line string) {
	a.callback(ctx, i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: line, Flags: discordgo.MessageFlagsEphemeral},
	})
}

// deferThen acknowledges with a private "thinking…" and runs fn on the
// dispatcher, in order per conversation; fn's messages then replace the
// acknowledgement. The interaction is claimed in the store first, so one
// delivered twice (even across a restart) is worked on once.
func (a *Adapter) deferThen(ctx context.Context, i *discordgo.Interaction, fn func(context.Context, *discordgo.Interaction, bot.Who) []bot.Message) {
	a.callback(ctx, i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	})
	user := ""
	if i.Member != nil && i.Member.User != nil {
		user = i.Member.User.ID
	} else if i.User != nil {
		user = i.User.ID
	}
	key := strings.Join([]string{i.GuildID, i.ChannelID, user}, "/")
	err := a.disp.Submit(key, func(ctx context.Context) {
		if !a.claim(ctx, "interaction:"+i.ID) {
			return
		}
		w := a.whoOf(ctx, i)
		a.respond(ctx, i, fn(ctx, i, w))
	})
	if err != nil {
		a.log.Warn("discord work refused", "err", err, "channel", i.ChannelID)
		a.respond(ctx, i, []bot.Message{bot.Note(busyLine)})
	}
}

// respond replaces the deferred acknowledgement with the first message and
// sends the rest as follow-ups, private where the message is ephemeral.
func (a *Adapter) respond(ctx context.Context, i *discordgo.Interaction, msgs []bot.Message) {
	if len(msgs) == 0 {
		msgs = []bot.Message{bot.Note("Done.")}
	}
	first := true
	for _, m := range msgs {
		for _, p := range render(m) {
			var err error
			if first {
				first = false
				content, embeds, comps := p.Content, nonNil(p.Embeds), nonNilC(p.Components)
				err = a.call(ctx, "PATCH /webhooks/{app}/{token}/messages/@original", i.ChannelID, func(opts ...discordgo.RequestOption) error {
					_, err := a.interactions().InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content, Embeds: &embeds, Components: &comps, Files: p.Files}, opts...)
					return err
				})
			} else {
				params := &discordgo.WebhookParams{Content: p.Content, Embeds: p.Embeds, Components: p.Components, Files: p.Files}
				if m.Ephemeral {
					params.Flags = discordgo.MessageFlagsEphemeral
				}
				err = a.call(ctx, "POST /webhooks/{app}/{token}", i.ChannelID, func(opts ...discordgo.RequestOption) error {
					_, err := a.interactions().FollowupMessageCreate(i, true, params, opts...)
					return err
				})
			}
			if err != nil {
				// One short line, once; the log has the detail.
				a.call(ctx, "POST /webhooks/{app}/{token}", i.ChannelID, func(opts ...discordgo.RequestOption) error {
					_, err := a.interactions().FollowupMessageCreate(i, false, &discordgo.WebhookParams{Content: sendFailLine, Flags: discordgo.MessageFlagsEphemeral}, opts...)
					return err
				})
				return
			}
		}
	}
}

func nonNil(e []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	if e == nil {
		return []*discordgo.MessageEmbed{}
	}
	return e
}

func nonNilC(c []discordgo.MessageComponent) []discordgo.MessageComponent {
	if c == nil {
		return []discordgo.MessageComponent{}
	}
	return c
}

func (a *Adapter) autocomplete(ctx context.Context, i *discordgo.Interaction) {
	d := i.ApplicationCommandData()
	typed := ""
	for _, o := range d.Options {
		if o.Focused {
			typed = fmt.Sprint(o.Value)
		}
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if d.Name == "mock" {
		choices = topicChoices(a.app.Bank, typed)
	}
	a.callback(ctx, i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	})
}

// openModal answers with the daily-answer form: a paragraph of up to 4,000
// characters and whether the answer may be shown in the recap. post is the
// daily post the button belongs to ("" from /daily answer); when that
// question has closed, a private line says so instead of a form.
func (a *Adapter) openModal(ctx context.Context, i *discordgo.Interaction, post string) {
	q, post, notes := a.app.DailyForm(ctx, channelOf(a.whoOf(ctx, i)), post)
	if q == nil {
		a.reply(ctx, i, notes[0].Text)
		return
	}
	a.callback(ctx, i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID: customID(idDailyModal, post),
			Title:    truncate("Daily: "+q.Title, maxModalTitle),
			Components: []discordgo.MessageComponent{
				discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
					CustomID: inputAnswer, Label: "Your answer (only you see the feedback)", Style: discordgo.TextInputParagraph,
					Placeholder: "Answer as you would in an interview: the approach, the trade-offs, what can go wrong.",
					Required:    true, MaxLength: 4000,
				}}},
				discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
					CustomID: inputShare, Label: "Share in the recap? yes or no", Style: discordgo.TextInputShort,
					Value: "no", Required: false, MaxLength: 3,
				}}},
			},
		},
	})
}

// modalSubmit grades a daily answer from the modal.
func (a *Adapter) modalSubmit(ctx context.Context, i *discordgo.Interaction, w bot.Who) []bot.Message {
	d := i.ModalSubmitData()
	id, post, _ := strings.Cut(d.CustomID, ":")
	if id != idDailyModal {
		return []bot.Message{bot.Note("This form is no longer in use.")}
	}
	values := map[string]string{}
	for _, row := range d.Components {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if in, ok := c.(*discordgo.TextInput); ok {
				values[in.CustomID] = in.Value
			}
		}
	}
	return a.app.DailyAnswerTo(ctx, w, post, values[inputAnswer], yes(values[inputShare]))
}

func yes(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "y", "yes", "yep", "ok", "sure", "true", "1", "share":
		return true
	}
	return false
}

// discuss opens (or points to) the public thread under a daily question.
func (a *Adapter) discuss(ctx context.Context, i *discordgo.Interaction, w bot.Who) []bot.Message {
	if i.Message == nil {
		return []bot.Message{bot.Note("That question is no longer here.")}
	}
	thread, err := a.threadUnder(ctx, i.ChannelID, i.Message.ID)
	if err != nil {
		return []bot.Message{bot.Note("I could not open a discussion thread here; the bot may lack the Create Public Threads permission.")}
	}
	return []bot.Message{bot.Note(fmt.Sprintf("Discuss it in <#%s>. Keep your own answer private until the reveal: use the Answer privately button.", thread))}
}

// threadUnder returns the thread started from a message, starting it when
// there is none. Discord gives such a thread the message's id.
func (a *Adapter) threadUnder(ctx context.Context, channel, message string) (string, error) {
	err := a.call(ctx, "POST /channels/{channel}/messages/{message}/threads", channel, func(opts ...discordgo.RequestOption) error {
		_, err := a.rest.MessageThreadStartComplex(channel, message, &discordgo.ThreadStart{Name: "Daily question discussion", AutoArchiveDuration: 1440}, opts...)
		if _, code := restStatus(err); code == discordgo.ErrCodeThreadAlreadyCreatedForThisMessage {
			return nil
		}
		return err
	})
	if err != nil {
		return "", err
	}
	a.parents.Store(message, channel)
	return message, nil
}

// mock opens an interview: a private thread in the channel for the user
// and the bot, then the first question there.
func (a *Adapter) mock(ctx context.Context, i *discordgo.Interaction, w bot.Who) []bot.Message {
	cmd := commandOf(i.ApplicationCommandData())
	if !a.content.Load() {
		return []bot.Message{bot.Note(noContentReply)}
	}
	if w.Thread != "" {
		return []bot.Message{bot.Note("Start /mock in a text channel rather than a thread: I open a private thread there for the interview.")}
	}
	if _, err := bot.ParseMockArgs(a.app.Bank, cmd.Args, a.app.Questions); err != nil {
		return []bot.Message{bot.Note(interview.UserMessage(err))}
	}
	if thread := a.openThread(ctx, w); thread != "" {
		return []bot.Message{bot.Note(fmt.Sprintf("You already have an interview in progress in <#%s>. Answer there, or type end in it to close it first.", thread))}
	}
	thread, public, err := a.createThread(ctx, w)
	if err != nil {
		return []bot.Message{bot.Note("I could not open a thread for your interview here. The bot needs the Create Private Threads (or Create Public Threads) and Send Messages in Threads permissions in this channel.")}
	}
	w.Thread = thread
	msgs := a.app.HandleCommand(ctx, w, cmd)
	if public {
		msgs = append([]bot.Message{bot.Text("Note: this thread is public because the bot lacks the Create Private Threads permission in this channel; others can read it, but only your messages are graded.")}, msgs...)
	}
	if _, err := a.send(ctx, thread, msgs); err != nil {
		return []bot.Message{bot.Note(fmt.Sprintf("Your interview is open in <#%s>, but I could not post the first question there. Type repeat in the thread to see it.", thread))}
	}
	note := fmt.Sprintf("Your interview is in <#%s>. Reply there with your answers; hint, skip, repeat and end steer it.", thread)
	if public {
		note += " (It is a public thread: the bot lacks the Create Private Threads permission here.)"
	}
	return []bot.Message{bot.Note(note)}
}

// openThread is the thread of the user's open interview in the channel,
// or "".
func (a *Adapter) openThread(ctx context.Context, w bot.Who) string {
	user, err := a.app.Store.FindUser(ctx, store.Identity{Platform: w.Platform, Team: w.Team, ExternalID: w.User})
	if err != nil {
		return ""
	}
	sess, err := a.app.Store.OpenSession(ctx, user.ID, w.Platform, w.Team, w.Channel)
	if err != nil {
		return ""
	}
	return sess.Thread
}

// createThread opens a private thread for the interview, or a public one
// when the bot may not create private threads here, and adds the user.
func (a *Adapter) createThread(ctx context.Context, w bot.Who) (id string, public bool, err error) {
	name := truncate("Mock interview · "+w.Name, 100)
	start := func(typ discordgo.ChannelType) (*discordgo.Channel, error) {
		var ch *discordgo.Channel
		err := a.call(ctx, "POST /channels/{channel}/threads", w.Channel, func(opts ...discordgo.RequestOption) (err error) {
			ch, err = a.rest.ThreadStartComplex(w.Channel, &discordgo.ThreadStart{Name: name, AutoArchiveDuration: 1440, Type: typ, Invitable: false}, opts...)
			return err
		})
		return ch, err
	}
	ch, err := start(discordgo.ChannelTypeGuildPrivateThread)
	if status, _ := restStatus(err); status == 403 || status == 400 {
		public = true
		ch, err = start(discordgo.ChannelTypeGuildPublicThread)
	}
	if err != nil {
		return "", false, err
	}
	a.parents.Store(ch.ID, w.Channel)
	err = a.call(ctx, "PUT /channels/{channel}/thread-members/{user}", ch.ID, func(opts ...discordgo.RequestOption) error {
		return a.rest.ThreadMemberAdd(ch.ID, w.User, opts...)
	})
	if err != nil && !public {
		// A private thread the user is not in is invisible to them.
		return "", false, err
	}
	return ch.ID, public, nil
}

// errNoMessages marks a send with nothing to send.
var errNoMessages = errors.New("nothing to send")

// send posts messages in a channel or thread and returns the first
// message's id.
func (a *Adapter) send(ctx context.Context, channel string, msgs []bot.Message) (string, error) {
	first := ""
	for _, m := range msgs {
		for _, p := range render(m) {
			var sent *discordgo.Message
			err := a.call(ctx, "POST /channels/{channel}/messages", channel, func(opts ...discordgo.RequestOption) (err error) {
				sent, err = a.rest.ChannelMessageSendComplex(channel, &discordgo.MessageSend{
					Content: p.Content, Embeds: p.Embeds, Components: p.Components, Files: p.Files,
					AllowedMentions: &discordgo.MessageAllowedMentions{},
				}, opts...)
				return err
			})
			if err != nil {
				return first, err
			}
			if first == "" {
				first = sent.ID
			}
		}
	}
	if first == "" {
		return "", errNoMessages
	}
	return first, nil
}
