package discord

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/questions"
	"github.com/interviewbot/interviewbot/store"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func runes(s string) int { return utf8.RuneCountInString(s) }

// checkLimits fails the test for any part outside Discord's limits.
func checkLimits(t *testing.T, parts []part) {
	t.Helper()
	for i, p := range parts {
		if runes(p.Content) > maxContent {
			t.Errorf("part %d: content %d characters", i, runes(p.Content))
		}
		if len(p.Embeds) > maxEmbeds {
			t.Errorf("part %d: %d embeds", i, len(p.Embeds))
		}
		total := 0
		for j, e := range p.Embeds {
			total += embedSize(e)
			if runes(e.Description) > maxDescription {
				t.Errorf("part %d embed %d: description %d characters", i, j, runes(e.Description))
			}
			if runes(e.Title) > maxTitle {
				t.Errorf("part %d embed %d: title %d characters", i, j, runes(e.Title))
			}
			if len(e.Fields) > maxFields {
				t.Errorf("part %d embed %d: %d fields", i, j, len(e.Fields))
			}
			for _, f := range e.Fields {
				if runes(f.Name) > maxFieldName || runes(f.Value) > maxFieldValue || f.Name == "" || f.Value == "" {
					t.Errorf("part %d embed %d: field %q=%q out of limits", i, j, f.Name, f.Value)
				}
			}
		}
		if total > maxEmbedTotal {
			t.Errorf("part %d: embeds total %d characters", i, total)
		}
		if p.Content == "" && len(p.Embeds) == 0 && len(p.Files) == 0 {
			t.Errorf("part %d is empty", i)
		}
		if len(p.Components) > maxRows {
			t.Errorf("part %d: %d rows", i, len(p.Components))
		}
	}
}

func words(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString("word")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteByte(' ')
		if i%40 == 39 {
			b.WriteByte('\n')
		}
	}
	return b.String()[:n]
}

func TestRenderSplitsLongText(t *testing.T) {
	text := words(5000)
	parts := render(bot.Text(text))
	checkLimits(t, parts)
	if len(parts) < 3 {
		t.Fatalf("5,000 characters in %d messages", len(parts))
	}
	var joined []string
	for _, p := range parts {
		if len(p.Embeds) > 0 {
			t.Error("plain text became an embed")
		}
		joined = append(joined, strings.Fields(p.Content)...)
	}
	if strings.Join(joined, " ") != strings.Join(strings.Fields(text), " ") {
		t.Error("splitting lost or changed words")
	}
}

func TestRenderEmbedLimits(t *testing.T) {
	var fields []bot.Field
	for i := range 30 {
		fields = append(fields, bot.Field{Label: "Dimension " + string(rune('A'+i%26)), Value: strings.Repeat("v", 300)})
	}
	var items []string
	for i := range 60 {
		items = append(items, words(180)+string(rune('0'+i%10)))
	}
	m := bot.Message{Blocks: []bot.Block{
		{Kind: bot.Header, Text: "Scorecard: " + strings.Repeat("long title ", 40)},
		{Kind: bot.Section, Text: "Summary"},
		{Kind: bot.Fields, Fields: fields},
		{Kind: bot.Divider},
		{Kind: bot.Section, Text: "Covered"},
		{Kind: bot.Bullets, Items: items},
		{Kind: bot.Quote, Text: words(5000)},
		{Kind: bot.Context, Text: "3 of 3 answered"},
		{Kind: bot.Buttons, Buttons: []bot.Button{{ID: "a", Label: "A", Value: "1"}, {ID: "b", Label: "B"}, {ID: "c", Label: "C"}, {ID: "d", Label: "D"}, {ID: "e", Label: "E"}, {ID: "f", Label: "F"}}},
	}}
	parts := render(m)
	checkLimits(t, parts)
	if len(parts) < 2 {
		t.Errorf("over 20,000 characters fit in %d message", len(parts))
	}
	fieldCount := 0
	for _, p := range parts {
		for _, e := range p.Embeds {
			fieldCount += len(e.Fields)
		}
	}
	if fieldCount != 30 {
		t.Errorf("%d fields rendered, want 30", fieldCount)
	}
	last := parts[len(parts)-1]
	if len(last.Components) != 2 {
		t.Fatalf("six buttons in %d rows, want 2", len(last.Components))
	}
	if row := last.Components[0].(discordgo.ActionsRow); len(row.Components) != 5 || row.Components[0].(discordgo.Button).CustomID != "a:1" {
		t.Errorf("first row %+v", row)
	}
	if f := last.Embeds[len(last.Embeds)-1].Footer; f == nil || f.Text != "3 of 3 answered" {
		t.Errorf("closing small print is not the footer: %+v", f)
	}
}

func TestRenderAttachmentAndEmptyText(t *testing.T) {
	m := bot.Note("Your export")
	m.Attachment = &bot.File{Name: "export.json", Type: "application/json", Data: []byte("{}")}
	parts := render(m)
	if len(parts) != 1 || len(parts[0].Files) != 1 || parts[0].Files[0].Name != "export.json" {
		t.Fatalf("attachment not on the message: %+v", parts)
	}
	parts = render(bot.Message{Blocks: []bot.Block{{Kind: bot.Buttons, Buttons: []bot.Button{{ID: "x", Label: "Go"}}}}})
	checkLimits(t, parts)
}

// The daily question and a leaderboard, rendered as Discord sees them.
func TestRenderGolden(t *testing.T) {
	bank, err := questions.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	q, ok := bank.Get("caching-choosing-ttl")
	if !ok {
		t.Fatal("question caching-choosing-ttl not in the bank")
	}
	post := store.Post{ID: 42, RevealAt: time.Date(2025, 3, 12, 17, 0, 0, 0, time.UTC)}
	board := bot.RenderLeaderboard("this week", []store.LeaderRow{{Rank: 1, Name: "Ada", Points: 120, Answered: 4, Average: 7.5}, {Rank: 2, Name: "Linus", Points: 80, Answered: 3, Average: 6.2}})
	for name, m := range map[string]bot.Message{"daily": bot.RenderDaily(q, post, time.UTC), "leaderboard": board} {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(render(m), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("render of %s differs from %s (run with -update if intended):\n%s", name, path, got)
			}
		})
	}
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want []string
	}{
		{"short", 10, []string{"short"}},
		{"", 10, []string{""}},
		{"aaaa bbbb cccc", 10, []string{"aaaa bbbb", "cccc"}},
		{"line one\nline two is here", 12, []string{"line one", "line two is", "here"}},
		{"abcdefghijkl", 5, []string{"abcde", "fghij", "kl"}},
		{"ééééééé", 3, []string{"ééé", "ééé", "é"}},
	}
	for _, tt := range tests {
		got := splitText(tt.in, tt.n)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("splitText(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func FuzzRender(f *testing.F) {
	f.Add("hello", "> quoted *text*", 3)
	f.Add(strings.Repeat("é", 5000), strings.Repeat("\n", 100), 30)
	f.Fuzz(func(t *testing.T, text, quote string, n int) {
		n = max(0, n%60)
		var fields []bot.Field
		for range n {
			fields = append(fields, bot.Field{Label: text, Value: quote})
		}
		m := bot.Message{Text: text, Blocks: []bot.Block{
			{Kind: bot.Header, Text: text},
			{Kind: bot.Section, Text: text},
			{Kind: bot.Quote, Text: quote},
			{Kind: bot.Fields, Fields: fields},
			{Kind: bot.Bullets, Items: []string{text, quote}},
			{Kind: bot.Context, Text: quote},
		}}
		checkLimits(t, render(m))
		checkLimits(t, render(bot.Text(text+quote)))
	})
}
