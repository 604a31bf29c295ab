package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/questions"
	"github.com/interviewbot/interviewbot/store"
)

// Who is the neutral identity of the person behind an event and where it
// happened.
type Who struct {
	Platform string
	Team     string // workspace or guild
	Channel  string
	Thread   string // "" outside a thread
	User     string // the platform's user id
	Name     string // display name
	// TZ is the IANA zone of the user's platform profile, when the
	// platform has one (Slack does); "" otherwise.
	TZ string
	// Admin may change the channel's daily question. Adapters decide it
	// from the platform's roles (a workspace admin, Manage Server) and the
	// configured admin list; the console's single user is always one.
	Admin bool
}

func (w Who) identity() store.Identity {
	return store.Identity{Platform: w.Platform, Team: w.Team, ExternalID: w.User, Name: w.Name}
}

// App is the platform-neutral bot.
type App struct {
	Store  *store.Store
	Engine *interview.Engine
	Bank   *questions.Bank
	Now    func() time.Time
	// Location is the zone for local days when a user has none set.
	Location *time.Location
	Log      *slog.Logger
	// Questions is how many main questions /mock asks.
	Questions int
	// Poster sends scheduled messages (daily questions, recaps); nil where
	// nothing is scheduled.
	Poster Poster
	// BoardMinAnswers keeps users with fewer graded answers off week and
	// month boards.
	BoardMinAnswers int
	wake            chan struct{}

	rngMu sync.Mutex
	rng   *rand.Rand

	locksMu sync.Mutex
	locks   map[string]*sync.Mutex

	// RetentionDays, when above zero, is how long answer text is kept;
	// the scheduler blanks older text once a day, keeping scores.
	RetentionDays int
	purgedOn      atomic.Value // the UTC date of the last purge

	// pendingDeletes are /me delete requests awaiting confirmation, by
	// conversation key, with their deadline.
	pendingMu      sync.Mutex
	pendingDeletes map[string]time.Time
}

// Config holds what NewApp needs.
type Config struct {
	Store     *store.Store
	Bank      *questions.Bank
	Evaluator interview.Evaluator
	Now       func() time.Time
	Location  *time.Location
	Log       *slog.Logger
	Seed      uint64 // question order; 0 picks one from the clock
}

// NewApp wires an App.
func NewApp(c Config) *App {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Location == nil {
		c.Location = time.Local
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Seed == 0 {
		c.Seed = uint64(c.Now().UnixNano())
	}
	return &App{
		Store: c.Store, Bank: c.Bank, Now: c.Now, Location: c.Location, Log: c.Log,
		Engine:          interview.NewEngine(c.Bank, c.Evaluator, c.Now),
		Questions:       3,
		BoardMinAnswers: 3,
		wake:            make(chan struct{}, 1),
		rng:             rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15)),
		locks:           map[string]*sync.Mutex{},
		pendingDeletes:  map[string]time.Time{},
	}
}

// lock serialises work on one conversation so turns apply in order.
func (a *App) lock(key string) func() {
	a.locksMu.Lock()
	m, ok := a.locks[key]
	if !ok {
		m = &sync.Mutex{}
		a.locks[key] = m
	}
	a.locksMu.Unlock()
	m.Lock()
	return m.Unlock
}

func convKey(w Who) string {
	return strings.Join([]string{w.Platform, w.Team, w.Channel, w.User}, "\x00")
}

// failure turns an error into a message a user may see, logging the detail.
func (a *App) failure(ctx context.Context, op string, w Who, err error) []Message {
	level := slog.LevelError
	switch interview.ErrorCode(err) {
	case interview.Invalid, interview.NotFound, interview.Conflict:
		level = slog.LevelInfo
	}
	a.Log.Log(ctx, level, op+" failed", "platform", w.Platform, "team", w.Team, "channel", w.Channel, "user", w.User, "err", err)
	return []Message{Note(interview.UserMessage(err))}
}

// HelpText lists the commands.
const HelpText = `Commands:
  /mock [topic] [level] [quick|N] start a mock interview (3 questions; quick = 1; N up to 5)
  /mock review [topic]            only questions due for another try
  /mock design [name]             a staged system-design interview, e.g. /mock design rate-limiter
  /leaderboard [week|month|all] [channel] [optout|optin]
                                  points boards for the team or this channel
  /streak [tz ZONE]               your streak, freezes and points; tz sets your local day's zone
  /daily setup|status|off|skip DATE|now|answer [share]
                                  the channel's daily question (setup takes time= tz= days= topics= level= reveal=)
  /stats                          a picture of your last 12 weeks and scores per topic
  /me export | /me delete         a file of everything stored about you, or its removal
  /help                           this list
Inside an interview, each message is an answer; these words steer it:
  hint    a nudge toward a missed point (costs points)
  skip    move to the next question
  repeat  show the current question again
  end     finish now and get the scorecard`

// HandleCommand runs a slash command.
func (a *App) HandleCommand(ctx context.Context, w Who, cmd Command) []Message {
	switch cmd.Name {
	case "mock", "interview":
		return a.mock(ctx, w, cmd.Args)
	case "leaderboard", "lb", "board":
		return a.leaderboard(ctx, w, cmd.Args)
	case "streak":
		return a.streak(ctx, w, cmd.Args, cmd.Raw)
	case "daily":
		return a.daily(ctx, w, cmd.Args, cmd.Raw)
	case "stats":
		return a.stats(ctx, w)
	case "me":
		return a.me(ctx, w, cmd.Args)
	case "help", "start":
		return []Message{Note(HelpText + "\nTopics: " + strings.Join(a.Bank.Topics(), ", "))}
	}
	hint := ""
	if near := nearestCommand(cmd.Name); near != "" {
		hint = fmt.Sprintf(" Did you mean /%s?", near)
	}
	return []Message{Note(fmt.Sprintf("Unknown command /%s.%s Type /help for the list.", truncateRunes(cmd.Name, 20), hint))}
}

var commandNames = []string{"mock", "leaderboard", "streak", "daily", "stats", "me", "help"}

func nearestCommand(name string) string {
	for _, c := range commandNames {
		if strings.HasPrefix(c, name) && len(name) >= 2 || editDistance(c, name) <= 2 {
			return c
		}
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// MaxQuestions is the longest interview /mock runs.
const MaxQuestions = 5

// MockArgs is a parsed /mock request.
type MockArgs struct {
	Topic  string
	Level  questions.Level
	Count  int
	Design string // a named design prompt
	Review bool   // only questions due for review
}

// ParseMockArgs reads "[topic] [level] [quick|N]" in any order against a bank.
// Errors name the valid values.
func ParseMockArgs(bank *questions.Bank, args []string, defaultCount int) (MockArgs, error) {
	m := MockArgs{Count: defaultCount}
	for _, arg := range args {
		switch {
		case arg == "quick":
			m.Count = 1
		case arg == "review":
			m.Review = true
		case len(arg) == 1 && arg[0] >= '1' && arg[0] <= '9':
			if arg[0] > '0'+MaxQuestions {
				return m, interview.Errorf(interview.Invalid, "An interview has 1 to %d questions.", MaxQuestions)
			}
			m.Count = int(arg[0] - '0')
		case slices.Contains(questions.Levels, questions.Level(arg)):
			if m.Level != "" {
				return m, interview.Errorf(interview.Invalid, "Choose one level: junior, mid or senior.")
			}
			m.Level = questions.Level(arg)
		case m.Design == "" && designNamed(bank, arg) != "":
			m.Design, m.Topic = designNamed(bank, arg), "design"
		case bank.HasTopic(arg):
			if m.Topic != "" && m.Topic != arg {
				return m, interview.Errorf(interview.Invalid, "Choose one topic per interview (you gave %s and %s).", m.Topic, arg)
			}
			m.Topic = arg
		default:
			return m, interview.Errorf(interview.Invalid, "Unknown topic or level %q. Topics: %s. Levels: junior, mid, senior. Add quick for a one-question interview, or a number of questions up to 5.",
				truncateRunes(arg, 30), strings.Join(bank.Topics(), ", "))
		}
	}
	if m.Topic != "" && m.Level != "" && len(bank.Filter(m.Topic, m.Level)) == 0 {
		var have []string
		for _, l := range questions.Levels {
			if len(bank.Filter(m.Topic, l)) > 0 {
				have = append(have, string(l))
			}
		}
		return m, interview.Errorf(interview.NotFound, "There are no %s questions on %s yet; try %s.", m.Level, m.Topic, strings.Join(have, " or "))
	}
	return m, nil
}

// designNamed returns the id of the design prompt an argument names, if any.
func designNamed(bank *questions.Bank, arg string) string {
	if d, ok := bank.Design(arg); ok {
		return d.ID
	}
	return ""
}

// pick chooses the entries of one interview and expands designs into their
// stages. A design interview runs one design prompt.
func (a *App) pick(m MockArgs, attempts []questions.Attempt) []*questions.Question {
	var entries []*questions.Question
	if m.Design != "" {
		d, _ := a.Bank.Design(m.Design)
		entries = []*questions.Question{d}
	} else {
		req := questions.Request{Topic: m.Topic, Level: m.Level, Count: m.Count, ReviewOnly: m.Review}
		if m.Topic == "design" {
			req.Count = 1
		}
		a.rngMu.Lock()
		entries = questions.Select(a.Bank, req, attempts, a.Now(), a.rng)
		a.rngMu.Unlock()
	}
	var out []*questions.Question
	for _, e := range entries {
		out = append(out, e.Interview()...)
	}
	return out
}

func (a *App) mock(ctx context.Context, w Who, args []string) []Message {
	defer a.lock(convKey(w))()
	user, err := a.Store.EnsureUser(ctx, w.identity())
	if err != nil {
		return a.failure(ctx, "mock", w, err)
	}
	if sess, err := a.Store.OpenSession(ctx, user.ID, w.Platform, w.Team, w.Channel); err == nil {
		st := sess.State
		msgs := []Message{Note(fmt.Sprintf("You already have an interview in progress (question %d of %d). Answer it, or type end to close it first.", st.Current+1, len(st.Questions)))}
		return append(msgs, a.render(a.Engine.Prompt(st))...)
	} else if !errors.Is(err, store.ErrNotFound) {
		return a.failure(ctx, "mock", w, err)
	}
	m, err := ParseMockArgs(a.Bank, args, a.Questions)
	if err != nil {
		return a.failure(ctx, "mock", w, err)
	}
	attempts, err := a.Store.Attempts(ctx, user.ID)
	if err != nil {
		return a.failure(ctx, "mock", w, err)
	}
	picked := a.pick(m, attempts)
	if len(picked) == 0 && m.Review {
		msg := "Nothing is due for review. Questions you score below 6 come back after 1, 3 and 7 days until you score 8."
		if next := questions.NextReview(a.Bank, attempts); !next.IsZero() {
			msg += " Your next review is due " + next.In(a.userLocation(ctx, user, w)).Format("Mon 2 Jan 15:04") + "."
		}
		return []Message{Note(msg)}
	}
	if len(picked) == 0 {
		return []Message{Note("No questions match that choice. Type /help for the topics.")}
	}
	st, step := a.Engine.Start(picked, m.Topic, string(m.Level))
	sess := &store.Session{UserID: user.ID, Platform: w.Platform, Team: w.Team, Channel: w.Channel, Thread: w.Thread, State: st}
	if err := a.Store.CreateSession(ctx, sess, *step.Turn); err != nil {
		return a.failure(ctx, "mock", w, err)
	}
	a.Log.Info("interview started", "platform", w.Platform, "team", w.Team, "channel", w.Channel, "session", sess.ID, "questions", len(picked))
	return a.render(step.Replies)
}

// ErrNoInterview is returned by HandleReply when the message is not part of
// an interview; adapters decide whether to say anything.
var ErrNoInterview = interview.Errorf(interview.NotFound, "You are not in an interview. Type /mock to start one, or /help.")

// HandleReply applies a plain message inside a conversation: an answer or a
// control word. In a thread the thread decides the session; elsewhere the
// user's open session in the channel does.
func (a *App) HandleReply(ctx context.Context, w Who, text string) ([]Message, error) {
	defer a.lock(convKey(w))()
	user, err := a.Store.EnsureUser(ctx, w.identity())
	if err != nil {
		return a.failure(ctx, "reply", w, err), nil
	}
	var sess *store.Session
	if w.Thread != "" {
		sess, err = a.Store.SessionByThread(ctx, w.Platform, w.Team, w.Channel, w.Thread)
	} else {
		sess, err = a.Store.OpenSession(ctx, user.ID, w.Platform, w.Team, w.Channel)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoInterview
	}
	if err != nil {
		return a.failure(ctx, "reply", w, err), nil
	}
	if sess.UserID != user.ID {
		return []Message{Note("This interview belongs to someone else, so your message is not graded. Start your own with /mock.")}, nil
	}
	if !sess.Open {
		return nil, ErrNoInterview
	}
	before := sess.State
	step, err := a.Engine.Handle(interview.WithActor(ctx, interview.Actor{Team: w.Platform + ":" + w.Team, User: w.User}), &sess.State, text)
	if err != nil {
		sess.State = before
		return a.failure(ctx, "grade", w, interview.Wrap(err, interview.Unavailable, "I could not grade that answer just now; it was not recorded. Please send it again.")), nil
	}
	// Persist first, then reply: a reply the store did not keep is never shown.
	if err := a.Store.CommitStep(ctx, sess, step, a.userLocation(ctx, user, w), a.boardLocation(ctx, w.channel())); err != nil {
		sess.State = before
		return a.failure(ctx, "commit", w, err), nil
	}
	if step.Finished {
		a.Log.Info("interview finished", "platform", w.Platform, "team", w.Team, "channel", w.Channel, "session", sess.ID)
	}
	return a.render(step.Replies), nil
}

// Resume returns the current prompt of the user's open interview in the
// channel, or nothing when there is none.
func (a *App) Resume(ctx context.Context, w Who) []Message {
	user, err := a.Store.EnsureUser(ctx, w.identity())
	if err != nil {
		return a.failure(ctx, "resume", w, err)
	}
	sess, err := a.Store.OpenSession(ctx, user.ID, w.Platform, w.Team, w.Channel)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return a.failure(ctx, "resume", w, err)
	}
	st := sess.State
	msgs := []Message{Note(fmt.Sprintf("Resuming your interview where you left it: question %d of %d.", st.Current+1, len(st.Questions)))}
	return append(msgs, a.render(a.Engine.Prompt(st))...)
}

// userLocation is the zone of a user's local day: the zone they set with
// /streak tz, else their platform profile's zone (where the adapter knows
// it), else the channel's daily-question zone, else the app's default.
func (a *App) userLocation(ctx context.Context, u store.User, w Who) *time.Location {
	for _, name := range []string{u.TZ, w.TZ} {
		if name == "" {
			continue
		}
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return a.boardLocation(ctx, w.channel())
}

// channelCalendar is the workweek and holidays of a channel's daily
// schedule; with no schedule every day counts.
func (a *App) channelCalendar(ctx context.Context, ch store.Channel) (Calendar, *store.Schedule, error) {
	var cal Calendar
	sc, err := a.Store.Schedule(ctx, ch)
	if errors.Is(err, store.ErrNotFound) {
		return cal, nil, nil
	}
	if err != nil {
		return cal, nil, err
	}
	for _, d := range sc.Days {
		cal.Workdays[d] = true
	}
	if cal.Holidays, err = a.Store.Skips(ctx, ch); err != nil {
		return cal, nil, err
	}
	return cal, &sc, nil
}

func (a *App) streak(ctx context.Context, w Who, args []string, raw string) []Message {
	user, err := a.Store.EnsureUser(ctx, w.identity())
	if err != nil {
		return a.failure(ctx, "streak", w, err)
	}
	if len(args) > 0 {
		if args[0] != "tz" || len(args) != 2 {
			return []Message{Note("Usage: /streak, or /streak tz Europe/Berlin to set the zone of your local day.")}
		}
		fields := strings.Fields(raw)
		zone := fields[len(fields)-1]
		loc, err := loadZone(zone)
		if err != nil {
			return []Message{Note(fmt.Sprintf("%q is not an IANA time zone; use a name like Europe/Berlin, America/New_York or Asia/Kolkata.", truncateRunes(zone, 40)))}
		}
		if err := a.Store.SetUserTZ(ctx, user.ID, loc.String()); err != nil {
			return a.failure(ctx, "streak tz", w, err)
		}
		return []Message{Note("Your day now runs on " + loc.String() + " time: it is " + a.Now().In(loc).Format("Mon 15:04") + " there.")}
	}
	cal, _, err := a.channelCalendar(ctx, w.channel())
	if err != nil {
		return a.failure(ctx, "streak", w, err)
	}
	days, err := a.Store.PractisedDays(ctx, user.ID)
	if err != nil {
		return a.failure(ctx, "streak", w, err)
	}
	totals, err := a.Store.Totals(ctx, user.ID)
	if err != nil {
		return a.failure(ctx, "streak", w, err)
	}
	today := a.Now().In(a.userLocation(ctx, user, w)).Format(time.DateOnly)
	return []Message{RenderStreak(ComputeStreak(days, cal, today), totals.Points, totals.Answered)}
}

// loadZone finds an IANA zone, forgiving the case people type it in.
func loadZone(name string) (*time.Location, error) {
	if loc, err := time.LoadLocation(name); err == nil && name != "Local" && name != "" {
		return loc, nil
	}
	parts := strings.Split(name, "/")
	for i, p := range parts {
		sub := strings.Split(p, "_")
		for j, w := range sub {
			if len(w) > 0 {
				sub[j] = strings.ToUpper(w[:1]) + w[1:]
			}
		}
		parts[i] = strings.Join(sub, "_")
	}
	for _, cand := range []string{strings.Join(parts, "/"), strings.ToUpper(name)} {
		if loc, err := time.LoadLocation(cand); err == nil && cand != "Local" {
			return loc, nil
		}
	}
	return nil, fmt.Errorf("unknown zone %q", name)
}

func (a *App) leaderboard(ctx context.Context, w Who, args []string) []Message {
	user, err := a.Store.EnsureUser(ctx, w.identity())
	if err != nil {
		return a.failure(ctx, "leaderboard", w, err)
	}
	period, scope := "all", "team"
	for _, arg := range args {
		switch arg {
		case "optout", "opt-out":
			if err := a.Store.SetBoardOptOut(ctx, user.ID, true); err != nil {
				return a.failure(ctx, "leaderboard", w, err)
			}
			return []Message{Note("You are hidden from leaderboards. Your streak and points still count for you; /leaderboard optin shows you again.")}
		case "optin", "opt-in":
			if err := a.Store.SetBoardOptOut(ctx, user.ID, false); err != nil {
				return a.failure(ctx, "leaderboard", w, err)
			}
			return []Message{Note("You are back on the leaderboards.")}
		case "channel", "team":
			scope = arg
		default:
			period = arg
		}
	}
	// Boards run on the channel's zone when it has a schedule, so a week
	// starts on the same Monday for everyone in it.
	loc := a.boardLocation(ctx, w.channel())
	now := a.Now().In(loc)
	since, label, err := periodStart(period, now)
	if err != nil {
		return a.failure(ctx, "leaderboard", w, err)
	}
	q := store.BoardQuery{Platform: w.Platform, Team: w.Team, Period: periodName(period), At: now, Limit: 10}
	if scope == "channel" {
		q.Channel = w.Channel
		label += " in this channel"
	}
	if q.Period != store.PeriodAll {
		q.MinAnswers = a.BoardMinAnswers
	}
	rows, err := a.Store.Board(ctx, q)
	if err != nil {
		return a.failure(ctx, "leaderboard", w, err)
	}
	msg := RenderLeaderboard(label, rows)
	if q.Period != store.PeriodAll {
		if line, err := a.improvedMost(ctx, q, since); err != nil {
			a.Log.Warn("improved-most line", "err", err)
		} else if line != "" {
			msg.Blocks = append(msg.Blocks, Block{Kind: Context, Text: line})
		}
		msg.Blocks = append(msg.Blocks, Block{Kind: Context, Text: fmt.Sprintf("Period boards list people with at least %d graded answers in the period.", a.BoardMinAnswers)})
	}
	return []Message{msg}
}

// boardLocation is the zone boards count weeks and months in: the channel's
// daily schedule zone, else the app's.
func (a *App) boardLocation(ctx context.Context, ch store.Channel) *time.Location {
	if sc, err := a.Store.Schedule(ctx, ch); err == nil {
		if loc, err := time.LoadLocation(sc.TZ); err == nil {
			return loc
		}
	}
	return a.Location
}

func periodName(p string) string {
	switch p {
	case "week", "weekly":
		return store.PeriodWeek
	case "month", "monthly":
		return store.PeriodMonth
	}
	return store.PeriodAll
}

// improvedMost names the person whose average score rose most from the
// previous period to this one: a line newcomers can top.
func (a *App) improvedMost(ctx context.Context, cur store.BoardQuery, since time.Time) (string, error) {
	prev := cur
	prev.At, prev.MinAnswers, prev.Limit = since.Add(-time.Hour), 1, 1000
	now := cur
	now.MinAnswers, now.Limit = 1, 1000
	before, err := a.Store.Board(ctx, prev)
	if err != nil {
		return "", err
	}
	after, err := a.Store.Board(ctx, now)
	if err != nil {
		return "", err
	}
	avg := map[int64]float64{}
	for _, r := range before {
		avg[r.UserID] = r.Average
	}
	best, gain := "", 0.0
	for _, r := range after {
		if old, ok := avg[r.UserID]; ok && r.Average-old > gain {
			best, gain = r.Name, r.Average-old
		}
	}
	if best == "" {
		return "", nil
	}
	return fmt.Sprintf("Improved most: %s, average up %.1f points on the period before.", best, gain), nil
}

// periodStart returns when a leaderboard period began in the viewer's zone:
// weeks start on Monday.
func periodStart(period string, now time.Time) (time.Time, string, error) {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	switch period {
	case "all", "alltime", "all-time":
		return time.Time{}, "all time", nil
	case "week", "weekly":
		offset := (int(day.Weekday()) + 6) % 7
		return day.AddDate(0, 0, -offset), "this week", nil
	case "month", "monthly":
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location()), "this month", nil
	}
	return time.Time{}, "", interview.Errorf(interview.Invalid, "Unknown period %q; use week, month or all.", truncateRunes(period, 20))
}
