package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interviewbot/interviewbot/internal/telemetry"
)

func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ok.db")
	good := run(t, runOpts{env: map[string]string{"OPENAI_API_KEY": "sk-very-secret-key", "INTERVIEWBOT_RETENTION_DAYS": "90"}}, "--db", db, "config", "check")
	if good.code != 0 || !strings.Contains(good.stdout, "Configuration OK.") || !strings.Contains(good.stdout, "grader                         llm") {
		t.Fatalf("good config: %s", good)
	}
	if strings.Contains(good.stdout+good.stderr, "sk-very-secret-key") || !strings.Contains(good.stdout, "(set, 18 characters, redacted)") {
		t.Errorf("secret not redacted: %s", good)
	}

	bad := run(t, runOpts{env: map[string]string{
		"SLACK_BOT_TOKEN":             "xoxp-user-token",
		"INTERVIEWBOT_RETENTION_DAYS": "forever",
		"INTERVIEWBOT_GRADER":         "magic",
		"DISCORD_BOT_TOKEN":           "abc",
		"DISCORD_SHARD_ID":            "3",
		"DISCORD_SHARD_COUNT":         "2",
	}}, "--db", filepath.Join(dir, "missing", "x.db"), "--http", "nonsense", "--log-level", "loud", "config", "check")
	if bad.code != exitError {
		t.Fatalf("bad config exit %d: %s", bad.code, bad)
	}
	for _, want := range []string{"9 problem(s)", "directory", "INTERVIEWBOT_RETENTION_DAYS", `grader "magic"`, "--log-level", `--http "nonsense"`,
		"starting with xoxb-", "without SLACK_APP_TOKEN", "DISCORD_APP_ID", "DISCORD_SHARD_ID"} {
		if !strings.Contains(bad.stderr, want) {
			t.Errorf("problems lack %q:\n%s", want, bad.stderr)
		}
	}
	if strings.Contains(bad.stdout+bad.stderr, "xoxp-user-token") {
		t.Error("a token was printed")
	}
}

func TestConfigFileFillsUnsetSettings(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "interviewbot.yaml")
	db := filepath.Join(dir, "from-file.db")
	os.WriteFile(cfg, []byte("INTERVIEWBOT_DB: "+db+"\nINTERVIEWBOT_GRADER: rubric\ninterviewbot_log_level: debug\n"), 0o600)
	r := run(t, runOpts{env: map[string]string{"INTERVIEWBOT_GRADER": "auto"}}, "--config", cfg, "config", "check")
	if r.code != 0 || !strings.Contains(r.stdout, db) || !strings.Contains(r.stdout, "INTERVIEWBOT_GRADER            auto") || !strings.Contains(r.stdout, "debug") {
		t.Fatalf("config file: %s", r)
	}
	// The file's database is the one the console uses.
	if r := run(t, runOpts{stdin: "/streak\n"}, "--config="+cfg); r.code != 0 {
		t.Fatalf("console with a config file: %s", r)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("the config file's database was not used: %v", err)
	}
	os.WriteFile(cfg, []byte("INTERVIEWBOT_DATABASE: x\n"), 0o600)
	if r := run(t, runOpts{}, "--config", cfg, "config", "check"); r.code != exitError || !strings.Contains(r.stderr, "unknown setting(s) INTERVIEWBOT_DATABASE") {
		t.Errorf("unknown key: %s", r)
	}
	os.WriteFile(cfg, []byte("a: [1, 2\n"), 0o600)
	if r := run(t, runOpts{}, "--config", cfg, "config", "check"); r.code != exitError || !strings.Contains(r.stderr, "not valid YAML") {
		t.Errorf("broken YAML: %s", r)
	}
	if r := run(t, runOpts{}, "--config", filepath.Join(dir, "none.yaml"), "version"); r.code != exitError || !strings.Contains(r.stderr, "cannot read the config file") {
		t.Errorf("missing file: %s", r)
	}
	if r := run(t, runOpts{}, "config"); r.code != exitUsage {
		t.Errorf("config without check: exit %d", r.code)
	}
}

func TestHealthcheckCommand(t *testing.T) {
	srv := &telemetry.Server{}
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	defer srv.Shutdown(t.Context())
	if r := run(t, runOpts{env: map[string]string{"INTERVIEWBOT_HTTP": srv.Addr()}}, "healthcheck"); r.code != 0 || r.stdout != "ok\n" {
		t.Errorf("healthy: %s", r)
	}
	if r := run(t, runOpts{}, "--http", freeAddr(t), "healthcheck"); r.code != exitError || !strings.Contains(r.stderr, "not healthy") {
		t.Errorf("nothing listening: %s", r)
	}
	if r := run(t, runOpts{}, "healthcheck"); r.code != exitError || !strings.Contains(r.stderr, "--http ADDR") {
		t.Errorf("no address: %s", r)
	}
}
