package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/interviewbot/interviewbot/internal/telemetry"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/bot/console"
	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/store"
)

// userError is what the command line prints for an error: the user-safe
// message when there is one.
func userError(err error) string {
	var e *interview.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// platformVars are the variables that would select a chat platform.
var platformVars = []struct{ name, platform string }{
	{"SLACK_BOT_TOKEN", "Slack"}, {"SLACK_APP_TOKEN", "Slack"}, {"DISCORD_BOT_TOKEN", "Discord"},
}

// platform is one chat platform the bot serves.
type platform struct {
	name string
	// poster sends the scheduler's messages into this platform's channels.
	poster bot.Poster
	// run serves the platform until ctx ends (returning nil) or a fatal
	// error such as rejected credentials. Work in flight when ctx ends may
	// run on for g.shutdown.
	run func(ctx context.Context) error
	// ready reports nil while the platform is connected; nil func means
	// always ready.
	ready func(ctx context.Context) error
}

// platformSetup builds a platform from the environment, or returns nil when
// the platform is not configured (its tokens are unset). A half or
// malformed configuration is an error naming the variable.
type platformSetup func(m *Main, ctx context.Context, g global, app *bot.App, log *slog.Logger) (*platform, error)

// platformSetups and platformCommands are filled by each platform's file,
// so adding a platform touches only its own file.
var (
	platformSetups   []platformSetup
	platformCommands = map[string]func(m *Main, ctx context.Context, g global, args []string) error{}
)

func (m *Main) runBot(ctx context.Context, g global) error {
	bank, err := m.bank(g)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, g.db, store.Options{Now: m.Now})
	if err != nil {
		return err
	}
	defer st.Close()

	gc, err := m.graderConfig("")
	if err != nil {
		return err
	}
	retention, err := m.retentionDays()
	if err != nil {
		return err
	}
	// The logger is chosen before the platforms, which log from their
	// first connection; without platforms it is replaced by the console's.
	level, err := logLevel(g.logLevel)
	if err != nil {
		return err
	}
	serverLog, err := newLogger(m.Stderr, g.logFormat, level)
	if err != nil {
		return err
	}
	ev, err := m.evaluator(gc, st)
	if err != nil {
		return err
	}
	ev = telemetry.Evaluator{Evaluator: ev}
	app := bot.NewApp(bot.Config{Store: st, Bank: bank, Evaluator: ev, Now: m.Now, Log: serverLog})
	app.RetentionDays = retention
	var platforms []*platform
	for _, setup := range platformSetups {
		p, err := setup(m, ctx, g, app, serverLog)
		if err != nil {
			return err
		}
		if p != nil {
			platforms = append(platforms, p)
		}
	}
	ops, err := m.startOps(g, st, platforms, serverLog)
	if err != nil {
		return err
	}
	defer ops.stop()
	if len(platforms) == 0 {
		// A token no registered platform took means this build lacks that
		// platform; running the console instead would hide it.
		for _, v := range platformVars {
			if m.Getenv(v.name) != "" {
				return fmt.Errorf("%s is set, but this build of interviewbot has no %s support; unset it to use the console", v.name, v.platform)
			}
		}
		return m.runConsole(ctx, g, app)
	}
	return m.runPlatforms(ctx, app, platforms)
}

// runConsole serves the terminal workspace.
func (m *Main) runConsole(ctx context.Context, g global, app *bot.App) error {
	logger, closeLog := m.consoleLogger(g.db)
	defer closeLog()
	app.Log = logger
	c := &console.Console{App: app, In: m.Stdin, Out: m.Stdout, User: g.user, Interactive: m.StdoutIsTerminal, FilesDir: filepath.Dir(g.db), ShutdownGrace: g.shutdown}
	app.Poster = c
	// The scheduler posts daily questions and recaps into the console while
	// it runs; it stops with the console.
	schedCtx, stopScheduler := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		bot.Scheduler{App: app}.Run(schedCtx)
	}()
	err := c.Run(ctx)
	stopScheduler()
	<-done
	return err
}

// runPlatforms serves every configured platform and the scheduler until ctx
// ends or one platform fails; a failure stops the others.
func (m *Main) runPlatforms(ctx context.Context, app *bot.App, platforms []*platform) error {
	posters := bot.Posters{}
	for _, p := range platforms {
		posters[p.name] = p.poster
	}
	app.Poster = posters
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, len(platforms))
	wg.Add(1)
	go func() {
		defer wg.Done()
		bot.Scheduler{App: app}.Run(ctx)
	}()
	for _, p := range platforms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.run(ctx); err != nil {
				errs <- fmt.Errorf("%s: %w", p.name, err)
				cancel()
			}
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// consoleLogger writes the console's log beside the database, so log lines
// never interleave with the conversation on the terminal.
func (m *Main) consoleLogger(db string) (*slog.Logger, func()) {
	f, err := os.OpenFile(db+".log", os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return slog.New(slog.DiscardHandler), func() {}
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})), func() { f.Close() }
}

func logLevel(name string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(name)); err != nil {
		return 0, interview.Errorf(interview.Invalid, "--log-level must be debug, info, warn or error (got %q)", name)
	}
	return l, nil
}

func newLogger(w io.Writer, format string, level slog.Level) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(format) {
	case "json", "":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, interview.Errorf(interview.Invalid, "--log-format must be json or text (got %q)", format)
}

// opsServer is the /healthz, /readyz and /metrics endpoint, when --http is
// set.
type opsServer struct {
	srv  *telemetry.Server
	done chan struct{}
}

func (o *opsServer) stop() {
	if o == nil || o.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	o.srv.Shutdown(ctx)
	<-o.done
}

// startOps registers the process's gauges and, with --http, serves the
// operator endpoints. The database is ready while it takes a write lock;
// each platform while it is connected.
func (m *Main) startOps(g global, st *store.Store, platforms []*platform, log *slog.Logger) (*opsServer, error) {
	telemetry.Gauge("interviewbot_open_interviews", "Interviews in progress.", func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, _ := st.CountOpenSessions(ctx)
		return float64(n)
	})
	if g.http == "" {
		return nil, nil
	}
	srv := &telemetry.Server{}
	srv.AddCheck(telemetry.Check{Name: "database", Test: st.CheckWritable})
	for _, p := range platforms {
		if p.ready != nil {
			srv.AddCheck(telemetry.Check{Name: p.name, Test: p.ready})
		}
	}
	if err := srv.Listen(g.http); err != nil {
		return nil, interview.Errorf(interview.Invalid, "cannot serve --http on %s: %v", g.http, rootCause(err))
	}
	log.Info("serving health and metrics", "addr", srv.Addr())
	o := &opsServer{srv: srv, done: make(chan struct{})}
	go func() {
		defer close(o.done)
		if err := srv.Serve(); err != nil {
			log.Error("health and metrics server stopped", "err", err)
		}
	}()
	return o, nil
}
