package discord

import (
	"context"
	"errors"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/internal/telemetry"
	"github.com/interviewbot/interviewbot/store"
)

// onMessage queues a message written in a thread: inside an interview
// thread it is an answer or a control word. Messages elsewhere, from bots,
// or without text (no Message Content intent) are ignored.
func (a *Adapter) onMessage(s *discordgo.Session, m *discordgo.Message) {
	if m.Author == nil || m.Author.Bot || m.GuildID == "" || m.Author.ID == a.botID.Load().(string) {
		return
	}
	if strings.TrimSpace(m.Content) == "" {
		return
	}
	if p, ok := a.parents.Load(m.ChannelID); ok && p.(string) == "" {
		return // a channel known not to be a thread
	}
	if !a.firstSight(m.ID) {
		return
	}
	telemetry.EventReceived(Platform, "message")
	// One queue per thread keeps a candidate's answers in the order
	// they were written.
	err := a.disp.Submit("thread:"+m.ChannelID, func(ctx context.Context) { a.threadMessage(ctx, s, m) })
	if err != nil {
		a.log.Warn("discord work refused", "err", err, "channel", m.ChannelID)
		if errors.Is(err, bot.ErrBusy) {
			a.bg.Add(1)
			go func() {
				defer a.bg.Done()
				a.send(a.work, m.ChannelID, []bot.Message{bot.Text("I am busy right now and could not take that message; please send it again in a minute.")})
			}()
		}
	}
}

func (a *Adapter) threadMessage(ctx context.Context, s *discordgo.Session, m *discordgo.Message) {
	parent, ok := a.parentOf(ctx, s, m.ChannelID)
	if !ok {
		return
	}
	w := bot.Who{Platform: Platform, Team: m.GuildID, Channel: parent, Thread: m.ChannelID, User: m.Author.ID, Name: displayName(m.Author, m.Member), Admin: a.admin(m.Author.ID, m.Member)}
	sess, err := a.app.Store.SessionInThread(ctx, Platform, m.GuildID, parent, m.ChannelID)
	if err != nil {
		// Not an interview thread (or the store is failing, which the
		// next message retries): stay quiet.
		if !errors.Is(err, store.ErrNotFound) {
			a.log.Warn("discord thread lookup failed", "channel", m.ChannelID, "err", err)
		}
		return
	}
	if !a.claim(ctx, "message:"+m.ID) {
		return
	}
	owner, err := a.app.Store.FindUser(ctx, store.Identity{Platform: Platform, Team: m.GuildID, ExternalID: m.Author.ID})
	if err != nil || owner.ID != sess.UserID {
		// Others may read along (a public fallback thread, or a
		// moderator); they are told once that they are not graded.
		a.tellOnce(ctx, m.ChannelID, m.Author.ID)
		return
	}
	if !sess.Open {
		return
	}
	a.typing(ctx, m.ChannelID)
	msgs, err := a.app.HandleReply(ctx, w, m.Content)
	if errors.Is(err, bot.ErrNoInterview) {
		return
	}
	a.send(ctx, m.ChannelID, msgs)
}

func (a *Adapter) tellOnce(ctx context.Context, thread, user string) {
	key := thread + "/" + user
	if a.noted.First(key) {
		a.send(ctx, thread, []bot.Message{bot.Text("<@" + user + "> this interview belongs to someone else, so your messages here are not graded. Start your own with /mock.")})
	}
}

// typing shows "interviewbot is typing…" while an answer is graded.
func (a *Adapter) typing(ctx context.Context, channel string) {
	a.call(ctx, "POST /channels/{channel}/typing", channel, func(opts ...discordgo.RequestOption) error {
		return a.rest.ChannelTyping(channel, opts...)
	})
}
