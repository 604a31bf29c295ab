package slack

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/interviewbot/interviewbot/bot"
)

// Slack's Block Kit limits. A message over any of them is refused whole, so
// rendering splits or trims before sending rather than hoping.
const (
	maxBlocks       = 50   // blocks in one message
	maxSectionText  = 3000 // characters in a section's or context's text
	maxHeaderText   = 150  // characters in a header
	maxFields       = 10   // fields in one section
	maxFieldText    = 2000 // characters in one field
	maxButtons      = 25   // elements in one actions block
	maxButtonText   = 75   // characters on a button
	maxButtonValue  = 2000 // characters in a button's value
	maxFallbackText = 3000 // the notification text; Slack allows more, people read less
)

// rendered is one Slack message: the notification text and its blocks.
type rendered struct {
	Text   string
	Blocks []slack.Block
}

// render lays a neutral message out as one or more Slack messages, each
// within Block Kit's limits, in reading order.
func render(m bot.Message) []rendered {
	var blocks []slack.Block
	ids := map[string]int{}
	for _, b := range m.Blocks {
		blocks = append(blocks, renderBlock(b, ids)...)
	}
	if len(blocks) == 0 && m.Text != "" {
		blocks = sections(m.Text, "")
	}
	text := m.Text
	if text == "" {
		text = plainOf(m)
	}
	var out []rendered
	for i := 0; i < len(blocks) || i == 0; i += maxBlocks {
		chunk := blocks[i:min(i+maxBlocks, len(blocks))]
		t := truncate(text, maxFallbackText)
		if i > 0 {
			t = "(continued)"
		}
		out = append(out, rendered{Text: escape(t), Blocks: chunk})
	}
	return out
}

// plainOf is a message's first words, for the notification when the
// message has no summary of its own.
func plainOf(m bot.Message) string {
	for _, b := range m.Blocks {
		if b.Text != "" {
			return b.Text
		}
	}
	return "interviewbot"
}

func renderBlock(b bot.Block, ids map[string]int) []slack.Block {
	switch b.Kind {
	case bot.Header:
		if strings.TrimSpace(b.Text) == "" {
			return nil
		}
		return []slack.Block{slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, truncate(oneLine(b.Text), maxHeaderText), false, false))}
	case bot.Section:
		return sections(b.Text, "")
	case bot.Quote:
		return sections(b.Text, ">")
	case bot.Context:
		var out []slack.Block
		for _, part := range splitEscaped(b.Text, maxSectionText, "") {
			out = append(out, slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, part, false, false)))
		}
		return out
	case bot.Divider:
		return []slack.Block{slack.NewDividerBlock()}
	case bot.Bullets:
		lines := make([]string, len(b.Items))
		for i, it := range b.Items {
			lines[i] = "• " + it
		}
		return sections(strings.Join(lines, "\n"), "")
	case bot.Fields:
		var out []slack.Block
		for i := 0; i < len(b.Fields); i += maxFields {
			var fields []*slack.TextBlockObject
			for _, f := range b.Fields[i:min(i+maxFields, len(b.Fields))] {
				label := truncate(oneLine(f.Label), 200)
				fields = append(fields, slack.NewTextBlockObject(slack.MarkdownType, "*"+escape(label)+"*\n"+fitEscaped(f.Value, maxFieldText-utf8.RuneCountInString(escape(label))-4), false, false))
			}
			out = append(out, slack.NewSectionBlock(nil, fields, nil))
		}
		return out
	case bot.Buttons:
		var out []slack.Block
		for i := 0; i < len(b.Buttons); i += maxButtons {
			var els []slack.BlockElement
			for _, btn := range b.Buttons[i:min(i+maxButtons, len(b.Buttons))] {
				els = append(els, slack.NewButtonBlockElement(actionID(btn.ID, ids), truncate(btn.Value, maxButtonValue),
					slack.NewTextBlockObject(slack.PlainTextType, truncate(oneLine(btn.Label), maxButtonText), false, false)))
			}
			out = append(out, slack.NewActionBlock("", els...))
		}
		return out
	}
	if b.Text != "" {
		return sections(b.Text, "")
	}
	return nil
}

// actionID makes a button's id unique within its message, as Slack
// requires; buttonID undoes the suffix when the press comes back.
func actionID(id string, seen map[string]int) string {
	n := seen[id]
	seen[id] = n + 1
	if n == 0 {
		return id
	}
	return id + "/" + strconv.Itoa(n)
}

func buttonID(actionID string) string {
	id, _, _ := strings.Cut(actionID, "/")
	return id
}

// sections turns text into as many mrkdwn sections as its length needs.
// prefix, when set, starts every line (">" quotes the text).
func sections(text, prefix string) []slack.Block {
	var out []slack.Block
	for _, part := range splitEscaped(text, maxSectionText, prefix) {
		out = append(out, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, part, false, false), nil, nil))
	}
	return out
}

// splitEscaped escapes text for mrkdwn and cuts it into pieces of at most
// limit characters after escaping, preferring line breaks, then spaces.
// Escaping happens first, per rune, so a cut never splits an entity.
func splitEscaped(text string, limit int, prefix string) []string {
	text = strings.TrimRight(text, "\n ")
	if strings.TrimSpace(text) == "" {
		return nil
	}
	var runes []string // escaped units, one per source rune
	for i, r := range text {
		u := escape(string(r))
		if prefix != "" && (i == 0 || text[i-1] == '\n') {
			u = prefix + " " + u
		}
		runes = append(runes, u)
	}
	var out []string
	for len(runes) > 0 {
		size, cut, lastNL, lastSP := 0, len(runes), -1, -1
		for i, u := range runes {
			n := utf8.RuneCountInString(u)
			if size+n > limit {
				cut = i
				break
			}
			size += n
			switch u {
			case "\n":
				lastNL = i
			case " ":
				lastSP = i
			}
		}
		if cut < len(runes) {
			switch {
			case lastNL > cut/2:
				cut = lastNL + 1
			case lastSP > cut/2:
				cut = lastSP + 1
			}
		}
		piece := strings.TrimRight(strings.Join(runes[:cut], ""), "\n ")
		if piece != "" {
			out = append(out, piece)
		}
		runes = runes[cut:]
		// A quote continued in the next section starts its line again.
		if prefix != "" && len(runes) > 0 && !strings.HasPrefix(runes[0], prefix) {
			runes[0] = prefix + " " + runes[0]
		}
	}
	return out
}

// escape makes text safe for Slack: the three characters Slack reserves
// for links and mentions, so a user's answer quoted back cannot ping a
// channel or fake a link.
func escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// fitEscaped escapes s and keeps it within n characters.
func fitEscaped(s string, n int) string {
	parts := splitEscaped(s, n-1, "")
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return parts[0] + "…"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// truncate keeps at most n characters, marking a cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
