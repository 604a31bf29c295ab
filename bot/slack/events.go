package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/store"
)

// eventCallback is the part of an Events API payload the bot reads. It is
// decoded here rather than through slack-go's typed events so an event
// type slack-go does not know is still acknowledged and skipped cleanly.
type eventCallback struct {
	Type      string     `json:"type"`
	Challenge string     `json:"challenge"`
	TeamID    string     `json:"team_id"`
	EventID   string     `json:"event_id"`
	Event     innerEvent `json:"event"`
}

type innerEvent struct {
	Type        string `json:"type"`
	Subtype     string `json:"subtype"`
	User        string `json:"user"`
	BotID       string `json:"bot_id"`
	Text        string `json:"text"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type"`
	TS          string `json:"ts"`
	ThreadTS    string `json:"thread_ts"`
	Tab         string `json:"tab"`
	Team        string `json:"team"`
}

// event takes one Events API payload. It returns the URL verification
// challenge when that is what came, else "".
func (a *Adapter) event(raw []byte) (string, error) {
	var cb eventCallback
	if err := json.Unmarshal(raw, &cb); err != nil {
		return "", fmt.Errorf("slack event: %w", err)
	}
	switch cb.Type {
	case "url_verification":
		return cb.Challenge, nil
	case "event_callback":
	default:
		return "", nil
	}
	ev := cb.Event
	team := cb.TeamID
	switch ev.Type {
	case "message":
		// Edits, joins, bot posts and the bot's own messages are not
		// answers.
		if ev.Subtype != "" || ev.BotID != "" || ev.User == "" || ev.User == a.botUser {
			return "", nil
		}
		dm := ev.ChannelType == "im"
		if ev.ThreadTS == "" && !dm {
			return "", nil // channel chatter outside any interview thread
		}
		key := convKey(team, ev.Channel, ev.ThreadTS)
		if ev.ThreadTS == "" {
			key = convKey(team, ev.Channel, "", ev.User)
		}
		a.submit(key, "", "", func(ctx context.Context) {
			if a.claim(ctx, cb.EventID) {
				a.reply(ctx, team, ev, dm)
			}
		})
	case "app_home_opened":
		if ev.Tab != "home" {
			return "", nil
		}
		a.submit(convKey(team, "home", ev.User), "", "", func(ctx context.Context) {
			if a.claim(ctx, cb.EventID) {
				a.publishHome(ctx, a.who(ctx, team, ev.Channel, "", ev.User, ""))
			}
		})
	}
	return "", nil
}

// unescape undoes Slack's escaping of message text, so answers are graded
// as typed.
func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// reply handles a message in an interview thread or a direct message.
func (a *Adapter) reply(ctx context.Context, team string, ev innerEvent, dm bool) {
	w := a.who(ctx, team, ev.Channel, ev.ThreadTS, ev.User, "")
	if ev.ThreadTS != "" {
		sess, err := a.app.Store.SessionInThread(ctx, Platform, w.Team, ev.Channel, ev.ThreadTS)
		if errors.Is(err, store.ErrNotFound) {
			if dm {
				// A thread in the DM that is not an interview: answer as
				// at the top level of the conversation.
				w.Thread = ""
				a.replyTop(ctx, w, ev.Text)
			}
			return // a thread that is not an interview, like a daily discussion
		}
		if err != nil {
			a.log.Error("slack thread lookup", "channel", ev.Channel, "thread", ev.ThreadTS, "err", err)
			return
		}
		u, err := a.app.Store.FindUser(ctx, store.Identity{Platform: Platform, Team: w.Team, ExternalID: ev.User})
		if err != nil || u.ID != sess.UserID {
			a.politeNote(ctx, w)
			return
		}
		if !sess.Open {
			return // a finished interview's thread is free for discussion
		}
	}
	a.replyTop(ctx, w, ev.Text)
}

func (a *Adapter) replyTop(ctx context.Context, w bot.Who, text string) {
	msgs, err := a.app.HandleReply(ctx, w, unescape(text))
	if errors.Is(err, bot.ErrNoInterview) {
		if w.Thread == "" {
			a.send(ctx, w, []bot.Message{bot.Note("You are not in an interview. Type /mock to start one, or /help for the commands.")})
		}
		return
	}
	a.send(ctx, w, msgs)
}

// politeNote tells someone, once per thread, that their replies in another
// person's interview are not graded.
func (a *Adapter) politeNote(ctx context.Context, w bot.Who) {
	k := convKey(w.Channel, w.Thread, w.User)
	if a.noted.First(k) {
		a.postEphemeral(ctx, w.Channel, w.User, w.Thread, bot.Note("This thread is someone else's mock interview, so your replies here are not graded. Start your own with /mock."))
	}
}

// The ids of the daily answer modal and its inputs.
const (
	modalDailyAnswer = "daily-answer"
	blockAnswer      = "answer"
	actionAnswer     = "text"
	blockShare       = "share"
	actionShare      = "share"
	// maxAnswer is the longest answer the modal takes.
	maxAnswer = 3000
)

// interaction handles a button press or a form submission and returns the
// acknowledgement's payload.
func (a *Adapter) interaction(cb slack.InteractionCallback, dedupe string) any {
	team := cb.Team.ID
	user := cb.User.ID
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		if len(cb.ActionCallback.BlockActions) == 0 {
			return nil
		}
		act := cb.ActionCallback.BlockActions[0]
		channel := cb.Channel.ID
		if channel == "" {
			channel = cb.Container.ChannelID
		}
		thread := cb.Container.ThreadTs
		switch buttonID(act.ActionID) {
		case "daily-answer":
			a.bg.Add(1)
			go func() {
				defer a.bg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				a.openAnswerModal(ctx, cb.TriggerID, team, channel, user, act.Value)
			}()
		case "daily-discuss":
			msgTS := cb.Container.MessageTs
			a.submit(convKey(team, channel, msgTS), user, channel, func(ctx context.Context) {
				a.discuss(ctx, a.who(ctx, team, channel, "", user, cb.User.Name), msgTS)
			})
		case bot.CommandButton:
			cmd, err := bot.ParseCommand(act.Value)
			if err != nil {
				return nil
			}
			a.submit(convKey(team, channel, user), user, channel, func(ctx context.Context) {
				if !a.claim(ctx, dedupe) {
					return
				}
				w := a.who(ctx, team, channel, thread, user, cb.User.Name)
				a.send(ctx, w, a.app.HandleCommand(ctx, w, cmd))
			})
		}
	case slack.InteractionTypeViewSubmission:
		if cb.View.CallbackID != modalDailyAnswer {
			return nil
		}
		answer, share := "", false
		if cb.View.State != nil {
			answer = strings.TrimSpace(cb.View.State.Values[blockAnswer][actionAnswer].Value)
			share = len(cb.View.State.Values[blockShare][actionShare].SelectedOptions) > 0
		}
		if answer == "" {
			return map[string]any{"response_action": "errors", "errors": map[string]string{blockAnswer: "Write an answer first."}}
		}
		channel, post, _ := strings.Cut(cb.View.PrivateMetadata, ":")
		a.submit(convKey(team, channel, user), user, channel, func(ctx context.Context) {
			if !a.claim(ctx, dedupe) {
				return
			}
			w := a.who(ctx, team, channel, "", user, cb.User.Name)
			a.send(ctx, w, a.app.DailyAnswerTo(ctx, w, post, answer, share))
		})
	}
	return nil
}

// openAnswerModal opens the private answer form for the daily post whose
// button was pressed, or says why it cannot (that question has closed). The
// channel and post travel in the view's metadata to the submission.
func (a *Adapter) openAnswerModal(ctx context.Context, trigger, team, channel, user, post string) {
	if team == "" {
		team = a.team
	}
	q, post, notes := a.app.DailyForm(ctx, store.Channel{Platform: Platform, Team: team, ID: channel}, post)
	if q == nil {
		for _, m := range notes {
			a.postEphemeral(ctx, channel, user, "", m)
		}
		return
	}
	prompt := "*" + escape(q.Title) + "*\n" + escape(q.Prompt)
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	input := slack.NewPlainTextInputBlockElement(plain("Your answer, as you would say it in an interview"), actionAnswer).WithMultiline(true).WithMaxLength(maxAnswer)
	share := slack.NewInputBlock(blockShare, plain("Recap"), nil, slack.NewCheckboxGroupsBlockElement(actionShare,
		slack.NewOptionBlockObject("yes", plain("Share my answer in the recap"), plain("Shown with your name if it scores 6 or more"))))
	share.Optional = true
	view := slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: modalDailyAnswer, PrivateMetadata: channel + ":" + post,
		Title: plain("Daily question"), Submit: plain("Submit"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, truncate(prompt, maxSectionText), false, false), nil, nil),
			slack.NewInputBlock(blockAnswer, plain("Your answer"), nil, input),
			share,
		}},
	}
	err := a.call(ctx, "views.open", channel, func(ctx context.Context) error {
		_, err := a.api.OpenViewContext(ctx, trigger, view)
		return err
	})
	if err != nil {
		a.postEphemeral(ctx, channel, user, "", bot.Note("I could not open the answer form in time; please press the button again."))
	}
}

// discuss points someone at the daily question's thread, opening it with
// one starter reply the first time anyone asks.
func (a *Adapter) discuss(ctx context.Context, w bot.Who, msgTS string) {
	if msgTS == "" {
		return
	}
	if a.claim(ctx, "discuss:"+w.Channel+":"+msgTS) {
		a.post(ctx, w.Channel, msgTS, bot.Text("Discuss the question here. Replies in this thread are not graded; use Answer privately for that."))
	}
	a.postEphemeral(ctx, w.Channel, w.User, "", bot.Note("Reply in the question's thread to discuss it; replies there are not graded."))
}

// publishHome shows the App Home tab: streak, points, scores per topic and
// recent answers.
func (a *Adapter) publishHome(ctx context.Context, w bot.Who) {
	m := a.homeMessage(ctx, w)
	blocks := render(m)[0].Blocks
	err := a.call(ctx, "views.publish", w.User, func(ctx context.Context) error {
		_, err := a.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: w.User, View: slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}})
		return err
	})
	if err != nil {
		a.log.Warn("slack home not published", "user", w.User, "err", err)
	}
}

func (a *Adapter) homeMessage(ctx context.Context, w bot.Who) bot.Message {
	m := bot.Message{Text: "Your interview practice"}
	m.Blocks = append(m.Blocks, bot.Block{Kind: bot.Header, Text: "Your interview practice"})
	start := bot.Block{Kind: bot.Context, Text: "Start a mock interview with /mock [topic] [level] in any channel I am in, or here in Messages. /help lists everything."}
	user, err := a.app.Store.FindUser(ctx, store.Identity{Platform: Platform, Team: w.Team, ExternalID: w.User})
	if err != nil {
		m.Blocks = append(m.Blocks, bot.Block{Kind: bot.Section, Text: "No practice yet."}, start)
		return m
	}
	loc := a.app.Location
	if l, err := time.LoadLocation(user.TZ); err == nil && user.TZ != "" {
		loc = l
	}
	days, err1 := a.app.Store.PractisedDays(ctx, user.ID)
	totals, err2 := a.app.Store.Totals(ctx, user.ID)
	topics, err3 := a.app.Store.ScoresByTopic(ctx, user.ID)
	attempts, err4 := a.app.Store.Attempts(ctx, user.ID)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		a.log.Error("slack home data", "user", w.User, "err", err)
		m.Blocks = append(m.Blocks, bot.Block{Kind: bot.Section, Text: "Your numbers are not available just now; open this tab again in a moment."})
		return m
	}
	s := bot.ComputeStreak(days, bot.Calendar{}, a.app.Now().In(loc).Format(time.DateOnly))
	m.Blocks = append(m.Blocks, bot.Block{Kind: bot.Fields, Fields: []bot.Field{
		{Label: "Streak", Value: fmt.Sprintf("%d days (longest %d)", s.Current, s.Longest)},
		{Label: "Points", Value: fmt.Sprintf("%d from %d graded answers", totals.Points, totals.Answered)},
	}})
	if len(topics) > 0 {
		var f []bot.Field
		for _, t := range topics {
			f = append(f, bot.Field{Label: t.Topic, Value: fmt.Sprintf("%.1f/10 over %d", t.Average, t.Count)})
		}
		m.Blocks = append(m.Blocks, bot.Block{Kind: bot.Section, Text: "Scores per topic"}, bot.Block{Kind: bot.Fields, Fields: f})
	}
	if len(attempts) > 0 {
		var items []string
		for i := len(attempts) - 1; i >= 0 && len(items) < 8; i-- {
			at := attempts[i]
			title := at.QuestionID
			if q, ok := a.app.Bank.Get(at.QuestionID); ok {
				title = q.Title
			}
			items = append(items, fmt.Sprintf("%s · %.1f/10 · %s", title, at.Score, at.At.In(loc).Format("2 Jan")))
		}
		m.Blocks = append(m.Blocks, bot.Block{Kind: bot.Section, Text: "Recent answers"}, bot.Block{Kind: bot.Bullets, Items: items})
	}
	m.Blocks = append(m.Blocks, start)
	return m
}
