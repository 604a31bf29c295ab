package slack

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/interviewbot/interviewbot/bot"
)

type manifest struct {
	Features struct {
		AppHome struct {
			Home     bool `yaml:"home_tab_enabled"`
			Messages bool `yaml:"messages_tab_enabled"`
		} `yaml:"app_home"`
		Commands []struct {
			Command string `yaml:"command"`
			URL     string `yaml:"url"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuth struct {
		Scopes struct {
			Bot []string `yaml:"bot"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		Events struct {
			URL    string   `yaml:"request_url"`
			Events []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			Enabled bool   `yaml:"is_enabled"`
			URL     string `yaml:"request_url"`
		} `yaml:"interactivity"`
		SocketMode bool `yaml:"socket_mode_enabled"`
	} `yaml:"settings"`
}

func readManifest(t *testing.T, name string) manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "slack", name))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// The manifests declare exactly what the adapter uses: every command the
// bot answers, the events it handles, interactivity, App Home, and no
// scope beyond the features' needs.
func TestManifests(t *testing.T) {
	app := newApp(t, openStore(t, filepath.Join(t.TempDir(), "m.db")))
	w := bot.Who{Platform: Platform, Team: team, Channel: channel, User: alice, Name: "Alice"}
	wantScopes := []string{"channels:history", "chat:write", "commands", "files:write", "groups:history", "im:history", "im:write", "users:read"}
	for _, name := range []string{"manifest.yaml", "manifest-http.yaml"} {
		m := readManifest(t, name)
		http := name == "manifest-http.yaml"
		if m.Settings.SocketMode == http {
			t.Errorf("%s: socket_mode_enabled = %v", name, m.Settings.SocketMode)
		}
		if len(m.Features.Commands) < 7 {
			t.Errorf("%s: %d commands", name, len(m.Features.Commands))
		}
		for _, c := range m.Features.Commands {
			cmd, err := bot.ParseCommand(c.Command)
			if err != nil {
				t.Fatalf("%s: %s: %v", name, c.Command, err)
			}
			for _, msg := range app.HandleCommand(t.Context(), w, cmd) {
				if strings.Contains(msg.Text, "Unknown command") {
					t.Errorf("%s declares %s, which the bot does not answer", name, c.Command)
				}
			}
			if http && !strings.HasSuffix(c.URL, "/slack/commands") {
				t.Errorf("%s: %s posts to %q", name, c.Command, c.URL)
			}
		}
		scopes := slices.Sorted(slices.Values(m.OAuth.Scopes.Bot))
		if !slices.Equal(scopes, wantScopes) {
			t.Errorf("%s: scopes %v, want exactly %v", name, scopes, wantScopes)
		}
		for _, ev := range []string{"message.channels", "message.groups", "message.im", "app_home_opened"} {
			if !slices.Contains(m.Settings.Events.Events, ev) {
				t.Errorf("%s: event %s not subscribed", name, ev)
			}
		}
		if !m.Settings.Interactivity.Enabled || !m.Features.AppHome.Home || !m.Features.AppHome.Messages {
			t.Errorf("%s: interactivity, the Home tab and the Messages tab must be on", name)
		}
		if http && (!strings.HasSuffix(m.Settings.Events.URL, "/slack/events") || !strings.HasSuffix(m.Settings.Interactivity.URL, "/slack/interactions")) {
			t.Errorf("%s: request urls %q, %q", name, m.Settings.Events.URL, m.Settings.Interactivity.URL)
		}
	}
}
