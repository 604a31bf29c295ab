// Package slack is the Slack adapter and the only importer of slack-go. It
// turns Socket Mode envelopes and signed HTTP requests into the bot's
// neutral commands, replies, button presses and form submissions, and
// renders the bot's neutral messages as Block Kit.
//
// Every envelope is acknowledged before any work is done; the work runs on
// a bot.Dispatcher, in order per conversation, so Slack's three seconds are
// never spent on grading.
package slack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/store"
)

// Platform is the name stored with every Slack user, session and event.
const Platform = "slack"

// Secret is a token or signing secret: it prints and logs redacted.
type Secret string

// LogValue keeps secrets out of logs.
func (Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// String keeps secrets out of formatted errors.
func (Secret) String() string { return "[redacted]" }

// Config is what New needs.
type Config struct {
	App      *bot.App
	BotToken Secret // xoxb-: the Web API
	// AppToken (xapp-) selects Socket Mode.
	AppToken Secret
	// SigningSecret and Listener select HTTP mode when AppToken is empty.
	SigningSecret Secret
	Listener      net.Listener
	// APIURL is the Web API base in slack-go's form, ending in /api/; empty
	// means Slack's own.
	APIURL string
	// Admins are user ids allowed to run admin commands besides workspace
	// admins and owners.
	Admins     []string
	HTTPClient *http.Client
	bot.AdapterWork
	// PingInterval is how long Socket Mode waits for Slack's ping before it
	// reconnects; 0 keeps slack-go's 30 seconds.
	PingInterval time.Duration
	// MaxRetries is how often a rate-limited Web API call is retried.
	MaxRetries int
}

// Errors of the connection that end the program: retrying cannot help.
var (
	ErrInvalidBotToken = errors.New("the bot token was rejected by Slack")
	ErrInvalidAppToken = errors.New("the app-level token was rejected by Slack")
)

// Adapter serves one Slack workspace.
type Adapter struct {
	cfg      Config
	app      *bot.App
	api      *slack.Client
	log      *slog.Logger
	disp     *bot.Dispatcher
	verifier Verifier
	admins   map[string]bool

	botUser, botID, team string
	connected            atomic.Bool

	usersMu sync.Mutex
	users   map[string]userInfo

	noted bot.FirstTime // thread and user already told the thread is not theirs

	bg sync.WaitGroup // work started outside the dispatcher (modals, busy notes)
}

type userInfo struct {
	name  string
	admin bool
	at    time.Time
}

// New builds an adapter; Connect checks the bot token before Run.
func New(cfg Config) *Adapter {
	cfg.AdapterWork = cfg.AdapterWork.WithDefaults()
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 5
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	opts := []slack.Option{slack.OptionHTTPClient(cfg.HTTPClient), slack.OptionLog(log.New(io.Discard, "", 0))}
	if cfg.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(cfg.APIURL))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(string(cfg.AppToken)))
	}
	a := &Adapter{
		cfg: cfg, app: cfg.App, log: cfg.Log,
		api:      slack.New(string(cfg.BotToken), opts...),
		disp:     cfg.NewDispatcher(Platform),
		verifier: Verifier{Secret: string(cfg.SigningSecret), Now: cfg.Now},
		admins:   map[string]bool{},
		users:    map[string]userInfo{},
	}
	for _, id := range cfg.Admins {
		a.admins[strings.TrimSpace(id)] = true
	}
	return a
}

// Connect checks the bot token with auth.test and learns the bot's own
// user id (its messages are ignored) and the workspace. A rejected token is
// ErrInvalidBotToken: no retry loop.
func (a *Adapter) Connect(ctx context.Context) error {
	var res *slack.AuthTestResponse
	err := a.call(ctx, "auth.test", "", func(ctx context.Context) (err error) {
		res, err = a.api.AuthTestContext(ctx)
		return err
	})
	if isAuthError(err) {
		return fmt.Errorf("%w (%s)", ErrInvalidBotToken, slackCode(err))
	}
	if err != nil {
		return fmt.Errorf("cannot reach Slack: %w", err)
	}
	a.botUser, a.botID, a.team = res.UserID, res.BotID, res.TeamID
	a.log.Info("slack connected", "team", res.TeamID, "bot_user", res.UserID)
	return nil
}

// Ready reports nil while events can reach the bot.
func (a *Adapter) Ready(context.Context) error {
	if a.cfg.AppToken == "" || a.connected.Load() {
		return nil
	}
	return errors.New("slack socket not connected")
}

// Run serves Slack until ctx ends (nil) or the connection fails for good.
// Work in flight then gets Config.Grace to finish.
func (a *Adapter) Run(ctx context.Context) error {
	var err error
	if a.cfg.AppToken != "" {
		err = a.runSocket(ctx)
	} else {
		err = a.serveHTTP(ctx)
	}
	closeCtx, cancel := context.WithTimeout(context.Background(), a.cfg.Grace)
	defer cancel()
	if cerr := a.disp.Close(closeCtx); cerr != nil {
		a.log.Warn("slack work still running at shutdown was stopped", "err", cerr)
	}
	a.bg.Wait()
	return err
}

// call runs one Web API call, waiting out 429s for as long as Slack's
// Retry-After asks, and logs failures with the method and channel.
func (a *Adapter) call(ctx context.Context, method, channel string, fn func(context.Context) error) error {
	for attempt := 0; ; attempt++ {
		err := fn(ctx)
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) && attempt < a.cfg.MaxRetries {
			wait := max(rl.RetryAfter, time.Second)
			a.log.Warn("slack rate limited", "method", method, "channel", channel, "retry_after", wait)
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
			continue
		}
		if err != nil {
			a.log.Error("slack call failed", "method", method, "channel", channel, "err", err)
		}
		return err
	}
}

func slackCode(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return ""
}

func isAuthError(err error) bool {
	switch slackCode(err) {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type":
		return true
	}
	return false
}

// who builds the neutral identity of an event, with the display name and
// admin flag from users.info (cached; a failure leaves the user a
// non-admin known by id).
func (a *Adapter) who(ctx context.Context, team, channel, thread, user, name string) bot.Who {
	if team == "" {
		team = a.team
	}
	info := a.userInfo(ctx, user)
	if info.name == "" {
		info.name = name
	}
	if info.name == "" {
		info.name = user
	}
	return bot.Who{Platform: Platform, Team: team, Channel: channel, Thread: thread, User: user, Name: info.name, Admin: info.admin || a.admins[user]}
}

const userCacheTTL = 10 * time.Minute

func (a *Adapter) userInfo(ctx context.Context, id string) userInfo {
	a.usersMu.Lock()
	u, ok := a.users[id]
	a.usersMu.Unlock()
	if ok && time.Since(u.at) < userCacheTTL {
		return u
	}
	var su *slack.User
	err := a.call(ctx, "users.info", "", func(ctx context.Context) (err error) {
		su, err = a.api.GetUserInfoContext(ctx, id)
		return err
	})
	if err != nil {
		return userInfo{}
	}
	u = userInfo{name: su.Profile.DisplayName, admin: su.IsAdmin || su.IsOwner || su.IsPrimaryOwner, at: time.Now()}
	if u.name == "" {
		u.name = su.RealName
	}
	if u.name == "" {
		u.name = su.Name
	}
	a.usersMu.Lock()
	a.users[id] = u
	a.usersMu.Unlock()
	return u
}

// claim reports whether an event id is seen for the first time. A store
// failure lets the event through: handling twice beats dropping it.
func (a *Adapter) claim(ctx context.Context, id string) bool {
	if id == "" {
		return true
	}
	ok, err := a.app.Store.ClaimEvent(ctx, Platform, id, a.cfg.Now(), a.cfg.EventTTL)
	if err != nil {
		a.log.Error("slack event claim failed", "event", id, "err", err)
		return true
	}
	if !ok {
		a.log.Info("slack event redelivered; dropped", "event", id)
	}
	return ok
}

// submit queues work behind earlier work of the same conversation. When
// too much is queued the person is told to retry instead of waiting.
func (a *Adapter) submit(key, user, channel string, job func(context.Context)) {
	err := a.disp.Submit(key, job)
	if err == nil {
		return
	}
	a.log.Warn("slack work refused", "key", key, "err", err)
	if errors.Is(err, bot.ErrBusy) && user != "" {
		a.bg.Add(1)
		go func() {
			defer a.bg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			a.postEphemeral(ctx, channel, user, "", bot.Note("I am very busy right now and could not take that; please try again in a minute."))
		}()
	}
}

func convKey(parts ...string) string { return strings.Join(parts, "\x00") }

// send delivers the bot's messages for w: ephemeral ones to w.User only,
// others to the channel (in w.Thread when set), attachments to the user.
func (a *Adapter) send(ctx context.Context, w bot.Who, msgs []bot.Message) {
	for _, m := range msgs {
		if m.Ephemeral {
			a.postEphemeral(ctx, w.Channel, w.User, w.Thread, m)
		} else if _, err := a.post(ctx, w.Channel, w.Thread, m); err != nil {
			a.postEphemeral(ctx, w.Channel, w.User, w.Thread, bot.Note(problem(err)))
		}
		if m.Attachment != nil {
			a.upload(ctx, w, m.Attachment)
		}
	}
}

// problem is the one line a user sees when Slack refused a reply.
func problem(err error) string {
	switch slackCode(err) {
	case "not_in_channel", "channel_not_found", "is_archived":
		return "I cannot post in this channel: invite me with /invite @interviewbot, or message me directly."
	case "msg_too_long", "invalid_blocks":
		return "Slack refused my reply as too long; it is saved, and /mock shows where you are."
	}
	return "Slack did not accept my reply just now; please try again in a moment."
}

// post sends a message to a channel, split to Slack's limits, and returns
// the timestamp of its first part.
func (a *Adapter) post(ctx context.Context, channel, thread string, m bot.Message) (string, error) {
	first := ""
	for _, r := range render(m) {
		opts := []slack.MsgOption{slack.MsgOptionText(r.Text, false), slack.MsgOptionBlocks(r.Blocks...)}
		if thread != "" {
			opts = append(opts, slack.MsgOptionTS(thread))
		}
		var ts string
		err := a.call(ctx, "chat.postMessage", channel, func(ctx context.Context) (err error) {
			_, ts, err = a.api.PostMessageContext(ctx, channel, opts...)
			return err
		})
		if err != nil {
			return first, err
		}
		if first == "" {
			first = ts
		}
	}
	return first, nil
}

// postEphemeral shows a message to one person; failures are only logged,
// since there is nowhere left to tell them.
func (a *Adapter) postEphemeral(ctx context.Context, channel, user, thread string, m bot.Message) {
	for _, r := range render(m) {
		opts := []slack.MsgOption{slack.MsgOptionText(r.Text, false), slack.MsgOptionBlocks(r.Blocks...)}
		if thread != "" {
			opts = append(opts, slack.MsgOptionTS(thread))
		}
		if err := a.call(ctx, "chat.postEphemeral", channel, func(ctx context.Context) error {
			_, err := a.api.PostEphemeralContext(ctx, channel, user, opts...)
			return err
		}); err != nil {
			return
		}
	}
}

// upload sends a file to the user's direct messages with the bot (the
// files.uploadV2 flow); when Slack refuses, the user gets a short note.
func (a *Adapter) upload(ctx context.Context, w bot.Who, f *bot.File) {
	var dm string
	err := a.call(ctx, "conversations.open", w.User, func(ctx context.Context) error {
		ch, _, _, err := a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{w.User}})
		if err == nil {
			dm = ch.ID
		}
		return err
	})
	if err == nil {
		// The body is a reader consumed once, so this call is not retried
		// on 429 with the same reader: each attempt gets a fresh one.
		err = a.call(ctx, "files.uploadV2", dm, func(ctx context.Context) error {
			_, err := a.api.UploadFileContext(ctx, slack.UploadFileParameters{
				Reader: strings.NewReader(string(f.Data)), FileSize: len(f.Data), Filename: f.Name, Title: f.Name, Channel: dm,
			})
			return err
		})
	}
	if err != nil {
		a.postEphemeral(ctx, w.Channel, w.User, w.Thread, bot.Note("I could not send you the file "+f.Name+"; Slack refused the upload. Please try again later."))
	}
}

// Post implements bot.Poster for the scheduler: a message in a channel.
func (a *Adapter) Post(ctx context.Context, ch store.Channel, msg bot.Message) (string, error) {
	return a.post(ctx, ch.ID, "", msg)
}

// Reply implements bot.Poster: a message in the thread of ref.
func (a *Adapter) Reply(ctx context.Context, ch store.Channel, ref string, msg bot.Message) error {
	_, err := a.post(ctx, ch.ID, ref, msg)
	return err
}

// command handles a slash command and returns the acknowledgement's
// payload: nil, or an immediate ephemeral response.
func (a *Adapter) command(sc slack.SlashCommand, dedupe string) any {
	cmd, err := bot.ParseCommand(sc.Command + " " + sc.Text)
	if err != nil {
		return ephemeralAck(err.Error())
	}
	team, channel, user := sc.TeamID, sc.ChannelID, sc.UserID
	switch {
	case cmd.Name == "daily" && len(cmd.Args) > 0 && cmd.Args[0] == "answer":
		// A modal must open while the trigger id lives (3 seconds), so it
		// does not wait behind queued work.
		a.bg.Add(1)
		go func() {
			defer a.bg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			a.openAnswerModal(ctx, sc.TriggerID, team, channel, user, "")
		}()
		return nil
	case cmd.Name == "mock" || cmd.Name == "interview":
		a.submit(convKey(team, channel, user), user, channel, func(ctx context.Context) {
			if !a.claim(ctx, dedupe) {
				return
			}
			a.startMock(ctx, a.who(ctx, team, channel, "", user, sc.UserName), cmd)
		})
		return ephemeralAck("Starting your mock interview…")
	}
	a.submit(convKey(team, channel, user), user, channel, func(ctx context.Context) {
		if !a.claim(ctx, dedupe) {
			return
		}
		w := a.who(ctx, team, channel, "", user, sc.UserName)
		a.send(ctx, w, a.app.HandleCommand(ctx, w, cmd))
	})
	return nil
}

func ephemeralAck(text string) map[string]any {
	return map[string]any{"response_type": "ephemeral", "text": text}
}

// startMock opens the interview's parent message, then starts the
// interview with the parent's timestamp as its thread, so every later
// reply in that thread reaches this session.
func (a *Adapter) startMock(ctx context.Context, w bot.Who, cmd bot.Command) {
	m, err := bot.ParseMockArgs(a.app.Bank, cmd.Args, a.app.Questions)
	if err != nil {
		a.send(ctx, w, []bot.Message{bot.Note(interview.UserMessage(err))})
		return
	}
	ts, err := a.postParent(ctx, w, describeMock(m))
	if err != nil {
		a.send(ctx, w, []bot.Message{bot.Note(problem(err))})
		return
	}
	w.Thread = ts
	msgs := a.app.HandleCommand(ctx, w, cmd)
	if _, err := a.app.Store.SessionInThread(ctx, Platform, w.Team, w.Channel, ts); err != nil {
		// No interview began (one is already open, or nothing was due):
		// the parent goes and the answer stays private.
		a.call(ctx, "chat.delete", w.Channel, func(ctx context.Context) error {
			_, _, err := a.api.DeleteMessageContext(ctx, w.Channel, ts)
			return err
		})
		w.Thread = ""
		for i := range msgs {
			msgs[i].Ephemeral = true
		}
	}
	a.send(ctx, w, msgs)
}

func describeMock(m bot.MockArgs) string {
	var parts []string
	switch {
	case m.Design != "":
		parts = append(parts, "system design: "+m.Design)
	case m.Topic != "":
		parts = append(parts, m.Topic)
	default:
		parts = append(parts, "mixed topics")
	}
	if m.Level != "" {
		parts = append(parts, string(m.Level))
	}
	if m.Review {
		parts = append(parts, "review")
	}
	return strings.Join(parts, ", ")
}

func (a *Adapter) postParent(ctx context.Context, w bot.Who, desc string) (string, error) {
	head := fmt.Sprintf("Mock interview for <@%s> — %s", w.User, escape(desc))
	blocks := []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, head, false, false), nil, nil),
		slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, "Answer in this thread. The words hint, skip, repeat and end steer it. Replies from others are not graded.", false, false)),
	}
	var ts string
	err := a.call(ctx, "chat.postMessage", w.Channel, func(ctx context.Context) (err error) {
		_, ts, err = a.api.PostMessageContext(ctx, w.Channel, slack.MsgOptionText(head, false), slack.MsgOptionBlocks(blocks...))
		return err
	})
	return ts, err
}
