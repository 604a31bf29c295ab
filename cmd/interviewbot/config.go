package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/interviewbot/interviewbot/interview"
)

// settings are the environment variables interviewbot reads, in the order
// config check prints them. Secrets are never printed.
type setting struct {
	name   string
	secret bool
	help   string
}

var settings = []setting{
	{"INTERVIEWBOT_DB", false, "database file"},
	{"INTERVIEWBOT_QUESTIONS_DIR", false, "team question pack directory"},
	{"INTERVIEWBOT_HTTP", false, "health and metrics address"},
	{"INTERVIEWBOT_LISTEN", false, "webhook address (Slack HTTP mode)"},
	{"INTERVIEWBOT_LOG_FORMAT", false, "json or text"},
	{"INTERVIEWBOT_LOG_LEVEL", false, "debug, info, warn or error"},
	{"INTERVIEWBOT_RETENTION_DAYS", false, "days answer text is kept"},
	{"INTERVIEWBOT_GRADER", false, "rubric, llm or auto"},
	{"INTERVIEWBOT_LLM_MODEL", false, "model name"},
	{"INTERVIEWBOT_LLM_TIMEOUT", false, "per-attempt timeout"},
	{"INTERVIEWBOT_LLM_DAILY_TOKENS", false, "tokens per team per day"},
	{"OPENAI_API_KEY", true, "LLM endpoint key"},
	{"OPENAI_BASE_URL", false, "OpenAI-compatible endpoint"},
	{"SLACK_BOT_TOKEN", true, "Slack bot token (xoxb-)"},
	{"SLACK_APP_TOKEN", true, "Slack app-level token (xapp-), Socket Mode"},
	{"SLACK_SIGNING_SECRET", true, "Slack signing secret, HTTP mode"},
	{"SLACK_API_URL", false, "Slack Web API base"},
	{"SLACK_ADMIN_IDS", false, "Slack users allowed to run admin commands"},
	{"DISCORD_BOT_TOKEN", true, "Discord bot token"},
	{"DISCORD_APP_ID", false, "Discord application id"},
	{"DISCORD_GUILD_ID", false, "Discord server for instant command registration"},
	{"DISCORD_API_URL", false, "Discord API base"},
	{"DISCORD_ADMIN_IDS", false, "Discord users or roles allowed to run admin commands"},
	{"DISCORD_SHARD_ID", false, "this process's shard"},
	{"DISCORD_SHARD_COUNT", false, "number of shards"},
	{"USER", false, "console user name"},
}

func knownSetting(name string) bool {
	return slices.ContainsFunc(settings, func(s setting) bool { return s.name == name })
}

// configPath finds --config FILE (or --config=FILE) before the flags are
// parsed, since the file supplies the flags' defaults; else
// INTERVIEWBOT_CONFIG.
func configPath(args []string, getenv func(string) string) string {
	for i, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != "config" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return getenv("INTERVIEWBOT_CONFIG")
}

// loadConfigFile reads interviewbot.yaml: a mapping of setting names (the
// environment variables) to values. The environment wins over the file.
func loadConfigFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, interview.Errorf(interview.Invalid, "cannot read the config file %s: %s", path, rootCause(err))
	}
	var raw map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil && err.Error() != "EOF" {
		return nil, interview.Errorf(interview.Invalid, "config file %s is not valid YAML: %v", path, err)
	}
	out := map[string]string{}
	var unknown []string
	for k, v := range raw {
		name := strings.ToUpper(k)
		if !knownSetting(name) {
			unknown = append(unknown, k)
			continue
		}
		switch v := v.(type) {
		case string:
			out[name] = v
		case int, float64, bool:
			out[name] = fmt.Sprint(v)
		default:
			return nil, interview.Errorf(interview.Invalid, "config file %s: %s must be a single value", path, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return nil, interview.Errorf(interview.Invalid, "config file %s: unknown setting(s) %s; settings are the environment variable names, e.g. INTERVIEWBOT_DB", path, strings.Join(unknown, ", "))
	}
	return out, nil
}

const configUsage = `Usage:
  interviewbot [--config FILE] config check

Validates the configuration from the environment, the global flags and the
optional config file (a YAML mapping of the environment variable names to
values; the environment wins), prints the effective settings with secrets
redacted, and exits 1 naming each problem.
`

func (m *Main) configCmd(ctx context.Context, g global, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprint(m.Stderr, configUsage)
		return errUsage
	}
	fs := subFlags("config check")
	if err := m.parseSub(fs, configUsage, args[1:]); err != nil {
		return err
	}
	var problems []string
	problem := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	fmt.Fprintln(m.Stdout, "Effective settings:")
	for _, s := range settings {
		v := m.Getenv(s.name)
		shown := v
		switch {
		case v == "":
			shown = "(unset)"
		case s.secret:
			shown = fmt.Sprintf("(set, %d characters, redacted)", len(v))
		}
		fmt.Fprintf(m.Stdout, "  %-30s %s\n", s.name, shown)
	}
	fmt.Fprintf(m.Stdout, "  %-30s %s\n  %-30s %s\n  %-30s %s\n", "--db", g.db, "--http", orUnset(g.http), "--shutdown-timeout", g.shutdown)

	if dir := filepath.Dir(g.db); !isWritableDir(dir) {
		problem("--db %s: the directory %s does not exist or is not writable", g.db, dir)
	} else if fi, err := os.Stat(g.db); err == nil && fi.IsDir() {
		problem("--db %s is a directory, not a database file", g.db)
	}
	if _, err := m.bank(g); err != nil {
		problem("question bank: %s", userError(err))
	}
	if gc, err := m.graderConfig(""); err != nil {
		problem("%s", userError(err))
	} else {
		fmt.Fprintf(m.Stdout, "  %-30s %s\n", "grader", gc.mode)
	}
	if _, err := m.retentionDays(); err != nil {
		problem("%s", userError(err))
	}
	if _, err := logLevel(g.logLevel); err != nil {
		problem("%s", userError(err))
	}
	if _, err := newLogger(m.Stderr, g.logFormat, 0); err != nil {
		problem("%s", userError(err))
	}
	for _, a := range []struct{ flag, addr string }{{"--http", g.http}, {"--listen", g.listen}} {
		if a.addr == "" {
			continue
		}
		if _, port, err := net.SplitHostPort(a.addr); err != nil || port == "" {
			problem("%s %q is not an address like :8080 or 127.0.0.1:8080", a.flag, a.addr)
		}
	}
	if g.shutdown <= 0 {
		problem("--shutdown-timeout must be above zero")
	}
	problems = append(problems, m.platformProblems(g)...)

	if len(problems) > 0 {
		fmt.Fprintf(m.Stderr, "interviewbot config check: %d problem(s):\n", len(problems))
		for _, p := range problems {
			fmt.Fprintf(m.Stderr, "  - %s\n", p)
		}
		return exitCodeError{exitError}
	}
	fmt.Fprintln(m.Stdout, "Configuration OK.")
	return nil
}

// platformProblems checks the chat platform settings for the mistakes that
// would stop the bot at start: half a token pair, a token of the wrong kind.
func (m *Main) platformProblems(g global) []string {
	var out []string
	bot, app := m.Getenv("SLACK_BOT_TOKEN"), m.Getenv("SLACK_APP_TOKEN")
	if bot != "" && !strings.HasPrefix(bot, "xoxb-") {
		out = append(out, "SLACK_BOT_TOKEN should be a bot token starting with xoxb-")
	}
	if app != "" && !strings.HasPrefix(app, "xapp-") {
		out = append(out, "SLACK_APP_TOKEN should be an app-level token starting with xapp-")
	}
	if bot != "" && app == "" && (g.listen == "" || m.Getenv("SLACK_SIGNING_SECRET") == "") {
		out = append(out, "SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET with --listen (HTTP mode)")
	}
	if app != "" && bot == "" {
		out = append(out, "SLACK_APP_TOKEN is set without SLACK_BOT_TOKEN")
	}
	if m.Getenv("DISCORD_BOT_TOKEN") != "" && m.Getenv("DISCORD_APP_ID") == "" {
		out = append(out, "DISCORD_BOT_TOKEN is set without DISCORD_APP_ID (the application id from the developer portal)")
	}
	id, count := m.Getenv("DISCORD_SHARD_ID"), m.Getenv("DISCORD_SHARD_COUNT")
	if id != "" || count != "" {
		i, err1 := strconv.Atoi(id)
		n, err2 := strconv.Atoi(count)
		if err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
			out = append(out, fmt.Sprintf("DISCORD_SHARD_ID (%q) and DISCORD_SHARD_COUNT (%q) must be whole numbers with 0 ≤ id < count", id, count))
		}
	}
	return out
}

func orUnset(s string) string {
	if s == "" {
		return "(unset)"
	}
	return s
}

func isWritableDir(dir string) bool {
	f, err := os.CreateTemp(dir, ".interviewbot-check-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}
