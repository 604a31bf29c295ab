package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

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
	// error such as rejected credentials.
	run func(ctx context.Context) error
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
	serverLog := slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ev, err := m.evaluator(gc, st)
	if err != nil {
		return err
	}
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
	c := &console.Console{App: app, In: m.Stdin, Out: m.Stdout, User: g.user, Interactive: m.StdoutIsTerminal, FilesDir: filepath.Dir(g.db)}
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
