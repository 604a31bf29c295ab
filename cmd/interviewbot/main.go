// Command interviewbot runs the interview bot. With no chat platform
// configured it starts the console workspace in the terminal. It is the only
// place that reads flags and the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // local days need IANA zones even where the host has none

	"github.com/interviewbot/interviewbot/questions"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal starts a graceful stop, the default handling
	// comes back, so a second signal ends the process at once.
	context.AfterFunc(ctx, stop)
	m := &Main{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Now: time.Now, StdoutIsTerminal: isTerminal(os.Stdout),
	}
	os.Exit(m.Run(ctx, os.Args[1:]))
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Main holds the process's edges so tests can run the whole program in-process.
type Main struct {
	Stdin            io.Reader
	Stdout, Stderr   io.Writer
	Getenv           func(string) string
	Now              func() time.Time
	StdoutIsTerminal bool
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// errUsage marks an error already reported with usage text.
var errUsage = errors.New("usage")

// global are the flags that come before a subcommand.
type global struct {
	db           string
	user         string
	questionsDir string
	listen       string
	http         string
	logFormat    string
	logLevel     string
	shutdown     time.Duration
}

const usageText = `interviewbot: practise backend-engineering interviews in the terminal, Slack or Discord.

Usage:
  interviewbot [--db PATH] [--user NAME]      start the bot (the console when no platform token is set)
  interviewbot questions list [--json]        list the question bank
  interviewbot questions show ID              show one question with its rubric
  interviewbot questions lint [DIR]           validate a directory of question packs (default: the built-in bank)
  interviewbot questions stats                counts per topic, level and follow-up kind
  interviewbot grade --question ID --answer-file PATH|- [--json] [--grader rubric|llm]
                                              grade one answer
  interviewbot eval --set FILE.jsonl [--predictions OUT] [--json] [--check]
                                              measure the grader against human grades
  interviewbot usage [--since DATE]           LLM tokens per team and day
  interviewbot backup FILE                    copy the database while the bot runs
  interviewbot healthcheck                    exit 0 when the running bot's /healthz answers (for containers)
  interviewbot config check                   validate the configuration and print it, secrets redacted
  interviewbot version                        print the version

Global flags:
  --db PATH      SQLite database file (env INTERVIEWBOT_DB, default ./interviewbot.db)
  --user NAME    console user name (env USER)
  --questions-dir DIR
                 a team's question pack, loaded beside the built-in bank (env INTERVIEWBOT_QUESTIONS_DIR)
  --listen ADDR  serve chat platform webhooks (Slack HTTP mode) on ADDR (env INTERVIEWBOT_LISTEN)
  --config FILE  settings file: a YAML mapping of the variables below to values (env INTERVIEWBOT_CONFIG)
  --http ADDR    serve /healthz, /readyz and /metrics on ADDR (env INTERVIEWBOT_HTTP)
  --log-format json|text   log format when serving a platform (default json)
  --log-level debug|info|warn|error   (default info; answer text is logged only at debug)
  --shutdown-timeout D     how long work in flight may finish after SIGINT/SIGTERM (default 20s)

Run "interviewbot COMMAND --help" for a command's flags.
`

// Run runs the program with args (without the program name) and returns the
// exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	if path := configPath(args, m.Getenv); path != "" {
		file, err := loadConfigFile(path)
		if err != nil {
			fmt.Fprintf(m.Stderr, "interviewbot: %s\n", userError(err))
			return exitError
		}
		env := m.Getenv
		m.Getenv = func(k string) string {
			if v := env(k); v != "" {
				return v
			}
			return file[k]
		}
	}
	fs := flag.NewFlagSet("interviewbot", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var g global
	fs.String("config", "", "") // read above, before the defaults below
	fs.StringVar(&g.db, "db", envOr(m.Getenv, "INTERVIEWBOT_DB", "./interviewbot.db"), "")
	fs.StringVar(&g.user, "user", envOr(m.Getenv, "USER", "you"), "")
	fs.StringVar(&g.questionsDir, "questions-dir", m.Getenv("INTERVIEWBOT_QUESTIONS_DIR"), "")
	fs.StringVar(&g.listen, "listen", m.Getenv("INTERVIEWBOT_LISTEN"), "")
	fs.StringVar(&g.http, "http", m.Getenv("INTERVIEWBOT_HTTP"), "")
	fs.StringVar(&g.logFormat, "log-format", envOr(m.Getenv, "INTERVIEWBOT_LOG_FORMAT", "json"), "")
	fs.StringVar(&g.logLevel, "log-level", envOr(m.Getenv, "INTERVIEWBOT_LOG_LEVEL", "info"), "")
	fs.DurationVar(&g.shutdown, "shutdown-timeout", 20*time.Second, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(m.Stdout, usageText)
			return exitOK
		}
		fmt.Fprintf(m.Stderr, "interviewbot: %v\n\n%s", err, usageText)
		return exitUsage
	}
	rest := fs.Args()
	var err error
	switch {
	case len(rest) == 0 || rest[0] == "run":
		if len(rest) > 1 {
			return m.usageError("run takes no arguments")
		}
		err = m.runBot(ctx, g)
	case rest[0] == "questions":
		err = m.questionsCmd(g, rest[1:])
	case rest[0] == "grade":
		err = m.gradeCmd(ctx, g, rest[1:])
	case rest[0] == "healthcheck":
		err = m.healthcheckCmd(ctx, g, rest[1:])
	case rest[0] == "config":
		err = m.configCmd(ctx, g, rest[1:])
	case rest[0] == "backup":
		err = m.backupCmd(ctx, g, rest[1:])
	case rest[0] == "eval":
		err = m.evalCmd(ctx, g, rest[1:])
	case rest[0] == "usage":
		err = m.usageCmd(ctx, g, rest[1:])
	case rest[0] == "version":
		err = m.versionCmd(rest[1:])
	case rest[0] == "help":
		fmt.Fprint(m.Stdout, usageText)
		return exitOK
	case platformCommands[rest[0]] != nil:
		err = platformCommands[rest[0]](m, ctx, g, rest[1:])
	default:
		return m.usageError(fmt.Sprintf("unknown command %q", rest[0]))
	}
	return m.exitCode(err)
}

// exitError carries an exit code for errors already printed.
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func (m *Main) exitCode(err error) int {
	var ec exitCodeError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errUsage):
		return exitUsage
	case errors.As(err, &ec):
		return ec.code
	}
	fmt.Fprintf(m.Stderr, "interviewbot: %s\n", userError(err))
	return exitError
}

func (m *Main) usageError(msg string) int {
	fmt.Fprintf(m.Stderr, "interviewbot: %s\n\n%s", msg, usageText)
	return exitUsage
}

// subFlags makes a quiet flag set for a subcommand; parseSub reports errors.
func subFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseSub parses a subcommand's flags, printing usage on --help (exit 0)
// or on a bad flag (exit 2).
func (m *Main) parseSub(fs *flag.FlagSet, usage string, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(m.Stdout, usage)
			return exitCodeError{exitOK}
		}
		fmt.Fprintf(m.Stderr, "interviewbot %s: %v\n\n%s", fs.Name(), err, usage)
		return errUsage
	}
	return nil
}

// bank loads the built-in bank and the configured team pack; a broken pack
// is refused whole, with every problem listed.
func (m *Main) bank(g global) (*questions.Bank, error) {
	bank, problems := questions.LoadBank(g.questionsDir)
	if bank == nil {
		return nil, fmt.Errorf("the question pack was refused:\n%w", problems)
	}
	for _, p := range problems {
		if p.Severity == questions.Warning && g.questionsDir != "" {
			fmt.Fprintf(m.Stderr, "interviewbot: %s\n", p)
		}
	}
	return bank, nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
