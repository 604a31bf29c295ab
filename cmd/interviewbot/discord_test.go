package main

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	discordbot "github.com/interviewbot/interviewbot/bot/discord"
	"github.com/interviewbot/interviewbot/bot/discord/discordfake"
)

const (
	discordToken   = "MTA5.test-secret.discord"
	discordGuild   = "81384788765712384"
	discordChannel = "81384788765712390"
	discordAnswer  = "With cache-aside the application checks the cache first, and on a miss it reads the database and stores the result in the cache. Every key gets a TTL so stale data expires, and writes invalidate the key."
)

var discordAlice = discordfake.Member{ID: "100000000000000001", Name: "Alice"}

func discordFake(t *testing.T) *discordfake.Server {
	f := discordfake.New(t, discordToken)
	f.AddChannel(discordGuild, discordChannel, "general")
	return f
}

func discordEnv(f *discordfake.Server, extra ...string) map[string]string {
	env := map[string]string{"DISCORD_BOT_TOKEN": discordToken, "DISCORD_APP_ID": f.AppID, "DISCORD_API_URL": f.URL()}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return env
}

// Half or malformed Discord settings are refused with the variable named
// and the token never printed.
func TestDiscordConfigProblems(t *testing.T) {
	fake := discordFake(t)
	base := func(kv ...string) map[string]string { return discordEnv(fake, kv...) }
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"malformed token", base("DISCORD_BOT_TOKEN", "test-secret-not-a-token"), "DISCORD_BOT_TOKEN does not look like a bot token"},
		{"no app id", base("DISCORD_APP_ID", ""), "DISCORD_APP_ID is not"},
		{"app id not numeric", base("DISCORD_APP_ID", "my-app"), "DISCORD_APP_ID must be the numeric"},
		{"guild not numeric", base("DISCORD_GUILD_ID", "general"), "DISCORD_GUILD_ID must be"},
		{"api url malformed", base("DISCORD_API_URL", "discord.com"), "DISCORD_API_URL must be"},
		{"admin ids malformed", base("DISCORD_ADMIN_IDS", "123456789,alice"), "DISCORD_ADMIN_IDS must list"},
		{"shard id without count", base("DISCORD_SHARD_ID", "1"), "DISCORD_SHARD_COUNT"},
		{"shard id out of range", base("DISCORD_SHARD_ID", "2", "DISCORD_SHARD_COUNT", "2"), "0 ≤ id < count"},
	}
	for _, tt := range tests {
		m := &Main{Getenv: func(k string) string { return tt.env[k] }}
		_, ok, err := m.discordConfig()
		if !ok || err == nil || !strings.Contains(userError(err), tt.want) || strings.Contains(userError(err), "test-secret") {
			t.Errorf("%s: ok=%v err=%v, want an error with %q and no token", tt.name, ok, err, tt.want)
		}
	}
	m := &Main{Getenv: func(k string) string {
		return base("DISCORD_BOT_TOKEN", "Bot "+discordToken, "DISCORD_SHARD_ID", "1", "DISCORD_SHARD_COUNT", "3", "DISCORD_ADMIN_IDS", "123456789, 987654321")[k]
	}}
	s, ok, err := m.discordConfig()
	if !ok || err != nil || s.token != discordToken || s.shardID != 1 || s.shards != 3 || len(s.admins) != 2 {
		t.Errorf("good settings read as %+v ok=%v err=%v", s, ok, err)
	}
	if _, ok, err := (&Main{Getenv: func(string) string { return "" }}).discordConfig(); ok || err != nil {
		t.Errorf("no token: Discord should be off, got ok=%v err=%v", ok, err)
	}
}

// Through the whole program: bad settings and a rejected token exit 1 with
// the variable named, never the token, and never fall back to the console.
func TestDiscordConfigurationErrors(t *testing.T) {
	fake := discordFake(t)
	db := filepath.Join(t.TempDir(), "cfg.db")
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"malformed token", discordEnv(fake, "DISCORD_BOT_TOKEN", "test-secret-not-a-token"), "DISCORD_BOT_TOKEN does not look like a bot token"},
		{"token rejected", discordEnv(fake, "DISCORD_BOT_TOKEN", "MTA5.test-secret.wrong"), "Discord refused DISCORD_BOT_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, runOpts{env: tt.env, stdin: "/streak\n"}, "--db", db)
			if r.code != exitError {
				t.Fatalf("exit code %d, want 1\n%s", r.code, r)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr lacks %q\n%s", tt.want, r)
			}
			if strings.Contains(r.stderr+r.stdout, "test-secret") {
				t.Errorf("the token was printed\n%s", r)
			}
			if strings.Contains(r.stdout, "interviewbot console:") {
				t.Errorf("the console started\n%s", r)
			}
		})
	}
	// A rejected token is final: one check, no gateway, no retry loop.
	if n := len(fake.Identifies()); n != 0 {
		t.Errorf("%d gateway sessions opened with bad settings", n)
	}
}

// discordBuffer is written by the program's logger while the test reads.
type discordBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *discordBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *discordBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startDiscordMain runs the whole program in-process until stop, which
// returns the exit code.
func startDiscordMain(t *testing.T, env map[string]string, args ...string) (stop func() int, stderr *discordBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr = &discordBuffer{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: stderr,
		Getenv: func(k string) string { return env[k] }, Now: func() time.Time { return fixedNow }}
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, args) }()
	var once sync.Once
	code := 0
	stop = func() int {
		once.Do(func() {
			cancel()
			code = <-done
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return stop, stderr
}

func discordThreadPosts(f *discordfake.Server, thread string) []discordfake.Call {
	var out []discordfake.Call
	for _, c := range f.Calls() {
		if c.Route == "POST /channels/{channel}/messages" && c.Channel == thread && c.Status == 200 {
			out = append(out, c)
		}
	}
	return out
}

// A whole /mock through the real Run loop: the private thread, an answer
// as a plain message, and the scorecard.
func TestDiscordMockThroughMain(t *testing.T) {
	fake := discordFake(t)
	stop, stderr := startDiscordMain(t, discordEnv(fake), "--db", filepath.Join(t.TempDir(), "discord.db"))
	fake.WaitConnected(t)
	id, err := fake.Command(discordGuild, discordChannel, discordAlice, "mock", discordfake.Opt("topic", "caching"), discordfake.Opt("questions", 1))
	if err != nil {
		t.Fatal(err)
	}
	fake.WaitFor(t, "the /mock reply", func(calls []discordfake.Call) bool {
		for _, c := range calls {
			if c.Route == "PATCH /webhooks/{app}/{token}/messages/@original" && c.Interaction == id {
				return true
			}
		}
		return false
	})
	threads := fake.Threads()
	if len(threads) != 1 || threads[0].Body["type"] != float64(12) {
		t.Fatalf("want one private thread, got %+v\n%s", threads, stderr)
	}
	thread := threads[0].ID
	fake.WaitFor(t, "the first question", func([]discordfake.Call) bool {
		for _, c := range discordThreadPosts(fake, thread) {
			if strings.Contains(c.Text(), "Question 1 of 1") {
				return true
			}
		}
		return false
	})
	n := len(discordThreadPosts(fake, thread))
	if _, err := fake.Message(discordGuild, thread, discordAlice, discordAnswer); err != nil {
		t.Fatal(err)
	}
	fake.WaitFor(t, "the graded reply", func([]discordfake.Call) bool { return len(discordThreadPosts(fake, thread)) > n })
	if _, err := fake.Message(discordGuild, thread, discordAlice, "end"); err != nil {
		t.Fatal(err)
	}
	fake.WaitFor(t, "the scorecard", func([]discordfake.Call) bool {
		for _, c := range discordThreadPosts(fake, thread) {
			if strings.Contains(c.Text(), "Scorecard:") {
				return true
			}
		}
		return false
	})
	if code := stop(); code != exitOK {
		t.Errorf("exit code %d after shutdown\n%s", code, stderr)
	}
	if strings.Contains(stderr.String(), "test-secret") {
		t.Errorf("the token reached the log\n%s", stderr)
	}
}

func TestDiscordRegister(t *testing.T) {
	fake := discordFake(t)
	r := run(t, runOpts{env: discordEnv(fake)}, "discord", "register", "--guild", discordGuild)
	if r.code != exitOK || !strings.Contains(r.stdout, "on server "+discordGuild) {
		t.Fatalf("register on a server\n%s", r)
	}
	r = run(t, runOpts{env: discordEnv(fake, "DISCORD_GUILD_ID", "81384788765712999")}, "discord", "register")
	if r.code != exitOK || !strings.Contains(r.stdout, "on server 81384788765712999") {
		t.Fatalf("register on DISCORD_GUILD_ID\n%s", r)
	}
	r = run(t, runOpts{env: discordEnv(fake)}, "discord", "register")
	if r.code != exitOK || !strings.Contains(r.stdout, "global commands") {
		t.Fatalf("register globally\n%s", r)
	}
	var routes []string
	for _, c := range fake.Calls() {
		if strings.HasPrefix(c.Route, "PUT /applications") {
			routes = append(routes, c.Path)
			list, _ := c.Body["list"].([]any)
			if len(list) != len(discordbot.Commands()) {
				t.Errorf("%s sent %d commands, want %d", c.Path, len(list), len(discordbot.Commands()))
			}
		}
	}
	want := []string{
		"/applications/" + fake.AppID + "/guilds/" + discordGuild + "/commands",
		"/applications/" + fake.AppID + "/guilds/81384788765712999/commands",
		"/applications/" + fake.AppID + "/commands",
	}
	if strings.Join(routes, " ") != strings.Join(want, " ") {
		t.Errorf("bulk overwrites %v, want %v", routes, want)
	}
	r = run(t, runOpts{env: discordEnv(fake, "DISCORD_BOT_TOKEN", "MTA5.test-secret.wrong")}, "discord", "register")
	if r.code != exitError || !strings.Contains(r.stderr, "Discord refused DISCORD_BOT_TOKEN") || strings.Contains(r.stderr, "test-secret") {
		t.Errorf("register with a rejected token\n%s", r)
	}
	r = run(t, runOpts{env: discordEnv(fake)}, "discord", "register", "--guild", "abc")
	if r.code != exitError || !strings.Contains(r.stderr, "--guild must be") {
		t.Errorf("register with a bad --guild\n%s", r)
	}
	r = run(t, runOpts{}, "discord", "register")
	if r.code != exitError || !strings.Contains(r.stderr, "DISCORD_BOT_TOKEN is not set") {
		t.Errorf("register without a token\n%s", r)
	}
}

func TestDiscordInviteURL(t *testing.T) {
	r := run(t, runOpts{env: map[string]string{"DISCORD_APP_ID": "900000000000000001"}}, "discord", "invite-url")
	if r.code != exitOK {
		t.Fatalf("invite-url\n%s", r)
	}
	u, err := url.Parse(strings.TrimSpace(r.stdout))
	if err != nil || u.Host != "discord.com" {
		t.Fatalf("not a discord.com URL: %q", r.stdout)
	}
	q := u.Query()
	if q.Get("client_id") != "900000000000000001" || q.Get("scope") != "bot applications.commands" {
		t.Errorf("client_id or scope wrong: %v", q)
	}
	perms, err := strconv.ParseInt(q.Get("permissions"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	// Exactly the listed permissions: each one needed, nothing like
	// Administrator or Manage Messages.
	const (
		viewChannel, sendMessages, sendInThreads = 1 << 10, 1 << 11, 1 << 38
		privateThreads, publicThreads            = 1 << 36, 1 << 35
		embedLinks, attachFiles                  = 1 << 14, 1 << 15
	)
	if want := int64(viewChannel | sendMessages | sendInThreads | privateThreads | publicThreads | embedLinks | attachFiles); perms != want {
		t.Errorf("permissions %d, want %d", perms, want)
	}
	r = run(t, runOpts{}, "discord", "invite-url")
	if r.code != exitError || !strings.Contains(r.stderr, "DISCORD_APP_ID") {
		t.Errorf("invite-url without an app id\n%s", r)
	}
	r = run(t, runOpts{}, "discord")
	if r.code != exitUsage || !strings.Contains(r.stderr, "interviewbot discord register") {
		t.Errorf("discord without a subcommand\n%s", r)
	}
	r = run(t, runOpts{}, "discord", "--help")
	if r.code != exitOK || !strings.Contains(r.stdout, "invite-url") {
		t.Errorf("discord --help\n%s", r)
	}
}
