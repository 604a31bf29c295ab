// Package discord is the Discord adapter and the only importer of
// discordgo. It reads the gateway (slash commands, buttons, modals, and
// messages in interview threads), turns them into the bot's neutral
// commands and replies, and renders the bot's neutral messages as embeds
// and components within Discord's limits.
//
// Every interaction is acknowledged at once, before any work; the work runs
// on a bot.Dispatcher, in order per thread, and its result replaces the
// acknowledgement, so Discord's three seconds are never spent on grading.
package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/store"
)

// Platform is the name stored with every Discord user, session and event.
const Platform = "discord"

// Config is what New needs.
type Config struct {
	App   *bot.App
	Token Secret
	AppID string
	// APIURL replaces https://discord.com for REST and gateway discovery;
	// nil means Discord's own.
	APIURL *url.URL
	// Admins are user or role ids allowed to run admin commands besides
	// members with the Manage Server permission.
	Admins []string
	// ShardID and ShardCount are passed to the gateway; scheduled posts go
	// only to servers this shard owns.
	ShardID, ShardCount int
	HTTPClient          *http.Client
	bot.AdapterWork
	// MinBackoff and MaxBackoff bound the wait between gateway reconnects
	// (defaults 1 s and 2 min).
	MinBackoff, MaxBackoff time.Duration
}

// Errors that end the program: retrying cannot help.
var (
	ErrInvalidToken = errors.New("the bot token was rejected by Discord")
	// ErrNotThisShard is what Post and Reply return for a server another
	// shard serves: that shard's process posts there.
	ErrNotThisShard = errors.New("the server belongs to another shard")
)

// GatewayError is a gateway close that reconnecting cannot fix.
type GatewayError struct {
	Code   int
	Reason string
}

func (e *GatewayError) Error() string {
	return fmt.Sprintf("Discord closed the gateway with %d (%s)", e.Code, e.Reason)
}

// Intents the bot asks for: guilds (threads and channels), guild messages
// (replies in interview threads), and message content (their text).
const (
	baseIntents    = discordgo.IntentGuilds | discordgo.IntentGuildMessages
	contentIntent  = discordgo.IntentMessageContent
	closeIntents   = 4014
	closeAuth      = 4004
	contentAdvice  = "Discord refused the Message Content intent (gateway close 4014). Interviews read answers from thread messages and need it: open https://discord.com/developers/applications, choose this application, then Bot → Privileged Gateway Intents → turn on Message Content Intent → Save, and restart interviewbot. Until then slash commands, the daily question and its modal keep working; /mock explains that the intent is needed."
	noContentReply = "Mock interviews need the Message Content intent, which is switched off for this bot, so I cannot read answers in a thread. A server admin or the bot's owner can turn it on in the Discord Developer Portal (Bot → Privileged Gateway Intents → Message Content Intent) and restart the bot. The daily question, /leaderboard and /streak work meanwhile."
)

// Adapter serves Discord over the gateway.
type Adapter struct {
	cfg    Config
	app    *bot.App
	rest   *discordgo.Session // REST only; never opened
	log    *slog.Logger
	disp   *bot.Dispatcher
	admins map[string]bool

	botID     atomic.Value // string
	content   atomic.Bool  // the Message Content intent is granted
	connected atomic.Bool
	down      chan struct{} // a gateway connection ended

	work context.Context // work in flight; outlives ctx by Grace

	seenMu sync.Mutex
	seen   map[string]time.Time

	parents sync.Map // thread id → parent channel id ("" when not a thread)

	ix      atomic.Pointer[ixSession] // REST for interaction callbacks and webhooks
	arrived sync.Map                  // interaction id → when it arrived, until acknowledged

	noted bot.FirstTime // thread+user told the thread is not theirs

	bg sync.WaitGroup // acknowledgements in flight
}

// New builds an adapter; Connect checks the token before Run.
func New(cfg Config) *Adapter {
	cfg.AdapterWork = cfg.AdapterWork.WithDefaults()
	if cfg.ShardCount <= 0 {
		cfg.ShardCount = 1
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 2 * time.Minute
	}
	if cfg.HTTPClient == nil {
		// Acknowledgements go out in parallel; Go's default of two idle
		// connections per host would make most of them dial anew.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second, Transport: tr}
	}
	a := &Adapter{
		cfg: cfg, app: cfg.App, log: cfg.Log,
		disp:   cfg.NewDispatcher(Platform),
		admins: map[string]bool{},
		down:   make(chan struct{}, 1),
		work:   context.Background(),
		seen:   map[string]time.Time{},
	}
	a.botID.Store("")
	a.content.Store(true)
	for _, id := range cfg.Admins {
		if id = strings.TrimSpace(id); id != "" {
			a.admins[id] = true
		}
	}
	a.rest = a.restSession()
	a.ix.Store(&ixSession{s: a.restSession()})
	return a
}

// ixSession is the REST session for interaction endpoints. discordgo keeps
// a rate-limit bucket per URL forever, and each interaction's token makes
// new URLs, so this session is replaced every ixRotate interactions and
// the old buckets go with it. Interaction endpoints are limited per token,
// so nothing is lost.
type ixSession struct {
	s *discordgo.Session
	n atomic.Int64
}

const ixRotate = 5000

// interactions returns the session for an interaction's REST calls.
func (a *Adapter) interactions() *discordgo.Session {
	p := a.ix.Load()
	if p.n.Add(1) > ixRotate {
		a.ix.CompareAndSwap(p, &ixSession{s: a.restSession()})
	}
	return p.s
}

func (a *Adapter) restSession() *discordgo.Session {
	s := a.session()
	s.AddHandler(a.onRateLimit)
	return s
}

// session builds a discordgo session with the adapter's token, client and
// shard, and discordgo's own logging off (failures are logged here, with
// route and channel).
func (a *Adapter) session() *discordgo.Session {
	s, _ := discordgo.New("Bot " + string(a.cfg.Token)) // New never fails
	s.Client = httpClient(a.cfg.APIURL, a.cfg.HTTPClient)
	s.LogLevel = -1
	s.ShardID, s.ShardCount = a.cfg.ShardID, a.cfg.ShardCount
	s.Identify.Shard = &[2]int{a.cfg.ShardID, a.cfg.ShardCount}
	s.Identify.Intents = baseIntents
	if a.content.Load() {
		s.Identify.Intents |= contentIntent
	}
	// Reconnects are driven by Run, which can see why a connection was
	// refused (4014 needs different intents, 4004 a different token).
	s.ShouldReconnectOnError = false
	// Handlers run in the gateway's read loop, in order; they only hand
	// work on, so the loop is never held up.
	s.SyncEvents = true
	return s
}

// Connect checks the token with Discord and learns the bot's own user id
// (its messages are ignored). A rejected token is ErrInvalidToken.
func (a *Adapter) Connect(ctx context.Context) error {
	var me *discordgo.User
	err := a.call(ctx, "GET /users/@me", "", func(opts ...discordgo.RequestOption) (err error) {
		me, err = a.rest.User("@me", opts...)
		return err
	})
	if status, _ := restStatus(err); status == http.StatusUnauthorized {
		return ErrInvalidToken
	}
	if err != nil {
		return fmt.Errorf("cannot reach Discord: %s", safeError(err))
	}
	a.botID.Store(me.ID)
	a.log.Info("discord connected", "bot_user", me.ID, "shard", a.cfg.ShardID, "shards", a.cfg.ShardCount)
	return nil
}

// Ready reports nil while the gateway is connected.
func (a *Adapter) Ready(context.Context) error {
	if a.connected.Load() {
		return nil
	}
	return errors.New("discord gateway not connected")
}

// ContentIntent reports whether Discord granted the Message Content intent.
func (a *Adapter) ContentIntent() bool { return a.content.Load() }

// Run serves the gateway until ctx ends (nil) or Discord refuses the
// connection for good. Work in flight then gets Config.Grace to finish.
func (a *Adapter) Run(ctx context.Context) error {
	work, stop := bot.Linger(ctx, a.cfg.Grace)
	defer stop()
	a.work = work
	err := a.gateway(ctx)
	a.connected.Store(false)
	a.bg.Wait()
	closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.Grace)
	defer cancel()
	if cerr := a.disp.Close(closeCtx); cerr != nil {
		a.log.Warn("discord work unfinished at shutdown", "err", cerr)
	}
	return err
}

// gateway keeps one gateway connection open, reconnecting with backoff.
func (a *Adapter) gateway(ctx context.Context) error {
	gw := a.newGateway()
	backoff := a.cfg.MinBackoff
	for {
		select {
		case <-a.down:
		default:
		}
		err := gw.Open()
		if err == nil {
			a.connected.Store(true)
			backoff = a.cfg.MinBackoff
			select {
			case <-ctx.Done():
				a.connected.Store(false)
				gw.Close()
				return nil
			case <-a.down:
				a.connected.Store(false)
				a.log.Info("discord gateway connection lost; reconnecting")
				continue
			}
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			switch {
			case ce.Code == closeIntents && a.content.Load():
				a.log.Error(contentAdvice)
				a.content.Store(false)
				// A fresh session identifies anew with the smaller intents
				// rather than resuming the refused one.
				gw = a.newGateway()
				continue
			case ce.Code == closeAuth:
				return ErrInvalidToken
			case ce.Code == 4010 || ce.Code == 4011 || ce.Code == 4012 || ce.Code == 4013 || ce.Code == closeIntents:
				return &GatewayError{Code: ce.Code, Reason: ce.Text}
			case ce.Code == 4007 || ce.Code == 4009:
				gw = a.newGateway() // the session cannot be resumed
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		a.log.Warn("discord gateway connect failed; retrying", "in", backoff.String(), "err", safeError(err))
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(backoff*2, a.cfg.MaxBackoff)
	}
}

func (a *Adapter) newGateway() *discordgo.Session {
	gw := a.session()
	gw.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		select {
		case a.down <- struct{}{}:
		default:
		}
	})
	gw.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		if r.User != nil {
			a.botID.Store(r.User.ID)
		}
		a.log.Info("discord gateway ready", "session_guilds", len(r.Guilds), "message_content", a.content.Load())
	})
	gw.AddHandler(func(s *discordgo.Session, e *discordgo.Event) { a.onEvent(s, e) })
	return gw
}

// onEvent routes dispatches. It runs in the gateway's read loop, so it
// only looks, decides and hands on.
func (a *Adapter) onEvent(s *discordgo.Session, e *discordgo.Event) {
	defer a.survive("gateway event " + e.Type)
	switch ev := e.Struct.(type) {
	case *discordgo.InteractionCreate:
		var extra struct {
			Channel *struct {
				ID       string `json:"id"`
				Type     int    `json:"type"`
				ParentID string `json:"parent_id"`
			} `json:"channel"`
		}
		json.Unmarshal(e.RawData, &extra)
		if c := extra.Channel; c != nil && c.ID != "" {
			a.parents.Store(c.ID, threadParent(discordgo.ChannelType(c.Type), c.ParentID))
		}
		a.onInteraction(ev.Interaction)
	case *discordgo.MessageCreate:
		a.onMessage(s, ev.Message)
	}
}

// survive keeps one bad event from stopping the bot; the log has it.
func (a *Adapter) survive(what string) {
	if v := recover(); v != nil {
		a.log.Error("discord handler panicked", "in", what, "panic", fmt.Sprint(v))
	}
}

func threadParent(t discordgo.ChannelType, parent string) string {
	switch t {
	case discordgo.ChannelTypeGuildPublicThread, discordgo.ChannelTypeGuildPrivateThread, discordgo.ChannelTypeGuildNewsThread:
		return parent
	}
	return ""
}

// firstSight reports whether an event id is new to this process: the
// quick check that keeps a redelivered interaction from being
// acknowledged twice. Store.ClaimEvent is the durable check, across
// restarts.
func (a *Adapter) firstSight(id string) bool {
	now := time.Now()
	a.seenMu.Lock()
	defer a.seenMu.Unlock()
	if _, ok := a.seen[id]; ok {
		return false
	}
	if len(a.seen) >= 100_000 {
		for k, at := range a.seen {
			if now.Sub(at) > 15*time.Minute {
				delete(a.seen, k)
			}
		}
	}
	a.seen[id] = now
	return true
}

// claim records an event as handled in the store; false means it was
// handled before (a redelivery, perhaps before a restart).
func (a *Adapter) claim(ctx context.Context, id string) bool {
	ok, err := a.app.Store.ClaimEvent(ctx, Platform, id, a.cfg.Now(), a.cfg.EventTTL)
	if err != nil {
		// Better to risk a duplicate than to drop an answer.
		a.log.Warn("discord event claim failed; handling anyway", "event", id, "err", err)
		return true
	}
	return ok
}

// parentOf returns the parent channel of a thread, and false when the
// channel is not a thread. It asks the gateway's state, then Discord.
func (a *Adapter) parentOf(ctx context.Context, s *discordgo.Session, channel string) (string, bool) {
	if p, ok := a.parents.Load(channel); ok {
		return p.(string), p.(string) != ""
	}
	if s != nil {
		if c, err := s.State.Channel(channel); err == nil {
			p := threadParent(c.Type, c.ParentID)
			a.parents.Store(channel, p)
			return p, p != ""
		}
	}
	var c *discordgo.Channel
	err := a.call(ctx, "GET /channels/{channel}", channel, func(opts ...discordgo.RequestOption) (err error) {
		c, err = a.rest.Channel(channel, opts...)
		return err
	})
	if err != nil {
		return "", false
	}
	p := threadParent(c.Type, c.ParentID)
	a.parents.Store(channel, p)
	return p, p != ""
}

// admin decides Who.Admin: the Manage Server (or Administrator)
// permission, or a configured user or role.
func (a *Adapter) admin(user string, m *discordgo.Member) bool {
	if a.admins[user] {
		return true
	}
	if m == nil {
		return false
	}
	if m.Permissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0 {
		return true
	}
	for _, r := range m.Roles {
		if a.admins[r] {
			return true
		}
	}
	return false
}

func displayName(u *discordgo.User, m *discordgo.Member) string {
	switch {
	case m != nil && m.Nick != "":
		return m.Nick
	case u.GlobalName != "":
		return u.GlobalName
	}
	return u.Username
}

// OwnsChannel implements bot.ChannelOwner, so the scheduler leaves other
// shards' servers alone.
func (a *Adapter) OwnsChannel(ch store.Channel) bool { return a.Owns(ch.Team) }

// Owns reports whether this shard serves a guild: Discord assigns a guild
// to shard (guild_id >> 22) % shard_count.
func (a *Adapter) Owns(guild string) bool {
	return OwnerShard(guild, a.cfg.ShardCount) == a.cfg.ShardID
}

// OwnerShard is the shard that serves a guild.
func OwnerShard(guild string, count int) int {
	id, err := strconv.ParseUint(guild, 10, 64)
	if err != nil || count <= 1 {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// who is the neutral identity of an interaction.
func (a *Adapter) whoOf(ctx context.Context, i *discordgo.Interaction) bot.Who {
	u := i.User
	if i.Member != nil && i.Member.User != nil {
		u = i.Member.User
	}
	if u == nil {
		u = &discordgo.User{}
	}
	w := bot.Who{Platform: Platform, Team: i.GuildID, Channel: i.ChannelID, User: u.ID, Name: displayName(u, i.Member), Admin: a.admin(u.ID, i.Member)}
	if parent, ok := a.parentOf(ctx, nil, i.ChannelID); ok {
		w.Channel, w.Thread = parent, i.ChannelID
	}
	return w
}

// channelOf is a store channel id of a neutral identity.
func channelOf(w bot.Who) store.Channel {
	return store.Channel{Platform: w.Platform, Team: w.Team, ID: w.Channel}
}
