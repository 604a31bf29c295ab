package slack

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/interviewbot/interviewbot/bot"
)

// checkLimits fails when a rendered message breaks a Block Kit limit.
func checkLimits(t *testing.T, msgs []rendered) {
	t.Helper()
	for i, m := range msgs {
		if len(m.Blocks) > maxBlocks {
			t.Errorf("message %d has %d blocks", i, len(m.Blocks))
		}
		for _, b := range m.Blocks {
			switch b := b.(type) {
			case *slack.SectionBlock:
				if b.Text != nil && utf8.RuneCountInString(b.Text.Text) > maxSectionText {
					t.Errorf("section of %d characters", utf8.RuneCountInString(b.Text.Text))
				}
				if len(b.Fields) > maxFields {
					t.Errorf("section with %d fields", len(b.Fields))
				}
				for _, f := range b.Fields {
					if utf8.RuneCountInString(f.Text) > maxFieldText {
						t.Errorf("field of %d characters", utf8.RuneCountInString(f.Text))
					}
				}
			case *slack.HeaderBlock:
				if utf8.RuneCountInString(b.Text.Text) > maxHeaderText {
					t.Errorf("header of %d characters", utf8.RuneCountInString(b.Text.Text))
				}
			case *slack.ContextBlock:
				for _, e := range b.ContextElements.Elements {
					if tb, ok := e.(*slack.TextBlockObject); ok && utf8.RuneCountInString(tb.Text) > maxSectionText {
						t.Errorf("context of %d characters", utf8.RuneCountInString(tb.Text))
					}
				}
			case *slack.ActionBlock:
				if len(b.Elements.ElementSet) > maxButtons {
					t.Errorf("%d buttons in one block", len(b.Elements.ElementSet))
				}
			}
		}
	}
}

// allText is every piece of text in the rendered messages, joined.
func allText(msgs []rendered) string {
	b, _ := json.Marshal(msgs)
	var sb strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["text"].(string); ok {
				sb.WriteString(s + "\n")
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var x any
	json.Unmarshal(b, &x)
	walk(x)
	return sb.String()
}

func TestRenderEveryKind(t *testing.T) {
	m := bot.Message{Text: "summary", Blocks: []bot.Block{
		{Kind: bot.Header, Text: "Scorecard: 72/100"},
		{Kind: bot.Section, Text: "Plain <b>text</b> & more"},
		{Kind: bot.Fields, Fields: []bot.Field{{Label: "Depth", Value: "7"}, {Label: "Breadth", Value: "not measured"}}},
		{Kind: bot.Bullets, Items: []string{"✓ first", "✗ second"}},
		{Kind: bot.Quote, Text: "line one\nline two"},
		{Kind: bot.Context, Text: "small print"},
		{Kind: bot.Divider},
		{Kind: bot.Buttons, Buttons: []bot.Button{{ID: "daily-answer", Label: "Answer privately", Value: "12"}, {ID: "command", Label: "A", Value: "/me"}, {ID: "command", Label: "B", Value: "/help"}}},
	}}
	out := render(m)
	if len(out) != 1 {
		t.Fatalf("%d messages, want 1", len(out))
	}
	kinds := []string{"header", "section", "section", "section", "section", "context", "divider", "actions"}
	if len(out[0].Blocks) != len(kinds) {
		t.Fatalf("%d blocks, want %d", len(out[0].Blocks), len(kinds))
	}
	for i, k := range kinds {
		if got := string(out[0].Blocks[i].BlockType()); got != k {
			t.Errorf("block %d is %s, want %s", i, got, k)
		}
	}
	text := allText(out)
	for _, want := range []string{"Plain &lt;b&gt;text&lt;/b&gt; &amp; more", "*Depth*\n7", "• ✓ first\n• ✗ second", "> line one\n> line two", "small print"} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered text lacks %q:\n%s", want, text)
		}
	}
	acts := out[0].Blocks[7].(*slack.ActionBlock).Elements.ElementSet
	var ids []string
	for _, e := range acts {
		ids = append(ids, e.(*slack.ButtonBlockElement).ActionID)
	}
	if strings.Join(ids, ",") != "daily-answer,command,command/1" {
		t.Errorf("action ids %v: they must be unique in a message and map back to the button id", ids)
	}
	if buttonID("command/1") != "command" || buttonID("daily-answer") != "daily-answer" {
		t.Error("buttonID does not undo actionID")
	}
}

// A scorecard of many questions and a very long answer must come out as
// several messages, each within Slack's limits, losing no text.
func TestRenderSplitsToLimits(t *testing.T) {
	long := strings.Repeat("word ", 2000) + strings.Repeat("x", 4000) // 14,000 characters, one unbroken run
	var blocks []bot.Block
	blocks = append(blocks, bot.Block{Kind: bot.Header, Text: strings.Repeat("H", 400)})
	for i := range 70 {
		blocks = append(blocks, bot.Block{Kind: bot.Section, Text: "Q" + string(rune('a'+i%26))})
	}
	blocks = append(blocks, bot.Block{Kind: bot.Quote, Text: long}, bot.Block{Kind: bot.Context, Text: strings.Repeat("<&>", 2500)})
	var many []bot.Field
	for range 23 {
		many = append(many, bot.Field{Label: "L", Value: strings.Repeat("v", 2500)})
	}
	blocks = append(blocks, bot.Block{Kind: bot.Fields, Fields: many})
	out := render(bot.Message{Text: strings.Repeat("t", 5000), Blocks: blocks})
	if len(out) < 2 {
		t.Fatalf("%d messages for %d+ blocks", len(out), len(blocks))
	}
	checkLimits(t, out)
	if got := utf8.RuneCountInString(out[0].Text); got > maxFallbackText {
		t.Errorf("fallback text of %d characters", got)
	}
	text := allText(out)
	// No character of the long quote is lost across the split.
	if n := strings.Count(text, "x"); n < 4000 {
		t.Errorf("%d of 4000 x's survived the split", n)
	}
	for _, ent := range []string{"&lt;", "&amp;", "&gt;"} {
		if n := strings.Count(text, ent); n != 2500 {
			t.Errorf("%d of 2500 %s survived; a cut split an entity", n, ent)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, "word") && !strings.HasPrefix(line, "> ") {
			t.Errorf("a quoted line lost its quote mark: %.40q", line)
			break
		}
	}
}

// Mentions and links typed by users must not become live when quoted.
func TestRenderEscapesMentions(t *testing.T) {
	out := render(bot.Text("<!channel> see <https://evil|bank>"))
	if s := allText(out); strings.Contains(s, "<!channel>") || strings.Contains(s, "<https://") {
		t.Errorf("mention or link kept live: %s", s)
	}
	if unescape(escape("a < b && c > d")) != "a < b && c > d" {
		t.Error("unescape does not invert escape")
	}
}

func FuzzSplitEscaped(f *testing.F) {
	f.Add("hello\nworld", 10)
	f.Add(strings.Repeat("&", 50), 7)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 6 || limit > 5000 || !utf8.ValidString(s) {
			return
		}
		for _, p := range splitEscaped(s, limit, ">") {
			if utf8.RuneCountInString(p) > limit+2 {
				t.Fatalf("piece of %d characters over limit %d", utf8.RuneCountInString(p), limit)
			}
		}
	})
}
