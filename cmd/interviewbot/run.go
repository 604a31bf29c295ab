package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

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

func (m *Main) runBot(ctx context.Context, g global) error {
	for _, v := range platformVars {
		if m.Getenv(v.name) != "" {
			return fmt.Errorf("%s is set, but this build of interviewbot has no %s support yet; unset it to use the console", v.name, v.platform)
		}
	}
	bank, err := m.bank(g)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, g.db, store.Options{Now: m.Now})
	if err != nil {
		return err
	}
	defer st.Close()

	logger, closeLog := m.consoleLogger(g.db)
	defer closeLog()
	gc, err := m.graderConfig("")
	if err != nil {
		return err
	}
	ev, err := m.evaluator(gc, st)
	if err != nil {
		return err
	}
	app := bot.NewApp(bot.Config{Store: st, Bank: bank, Evaluator: ev, Now: m.Now, Log: logger})
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
	err = c.Run(ctx)
	stopScheduler()
	<-done
	return err
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
