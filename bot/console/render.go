package console

import (
	"strings"

	"github.com/interviewbot/interviewbot/bot"
)

const (
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
	ansiCyan  = "\x1b[36m"
	ansiReset = "\x1b[0m"
	width     = 78
)

// Render lays a message out as terminal text. With color off the output is
// plain text with no escape codes, for scripts and tests.
func Render(m bot.Message, color bool) string {
	style := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	var b strings.Builder
	for _, blk := range m.Blocks {
		switch blk.Kind {
		case bot.Header:
			b.WriteString("\n" + style(ansiBold+ansiCyan, "== "+blk.Text+" ==") + "\n")
		case bot.Section:
			b.WriteString(wrap(blk.Text, width, "") + "\n")
		case bot.Context:
			b.WriteString(style(ansiDim, wrap(blk.Text, width, "")) + "\n")
		case bot.Quote:
			b.WriteString(wrap(blk.Text, width, "  > ") + "\n")
		case bot.Divider:
			b.WriteString(style(ansiDim, strings.Repeat("-", 40)) + "\n")
		case bot.Fields:
			labelWidth := 0
			for _, f := range blk.Fields {
				labelWidth = max(labelWidth, len(f.Label))
			}
			for _, f := range blk.Fields {
				b.WriteString("  " + f.Label + ":" + strings.Repeat(" ", labelWidth-len(f.Label)+1) + style(ansiBold, f.Value) + "\n")
			}
		case bot.Bullets:
			for _, it := range blk.Items {
				b.WriteString(wrap(it, width, "  - ") + "\n")
			}
		case bot.Buttons:
			var labels []string
			for _, btn := range blk.Buttons {
				labels = append(labels, "["+btn.Label+"]")
			}
			b.WriteString(strings.Join(labels, " ") + "\n")
		}
	}
	if len(m.Blocks) == 0 && m.Text != "" {
		b.WriteString(wrap(m.Text, width, "") + "\n")
	}
	return b.String()
}

// wrap folds text at word boundaries. The first line carries prefix; later
// lines are indented to match it. Existing line breaks are kept.
func wrap(text string, width int, prefix string) string {
	indent := strings.Repeat(" ", len([]rune(prefix)))
	var out []string
	first := true
	for _, para := range strings.Split(text, "\n") {
		lead := indent
		if first {
			lead = prefix
			first = false
		}
		// Keep a paragraph's own indentation (quotes under a bullet).
		trimmed := strings.TrimLeft(para, " ")
		lead += para[:len(para)-len(trimmed)]
		line := lead
		words := strings.Fields(trimmed)
		if len(words) == 0 {
			out = append(out, strings.TrimRight(lead, " "))
			continue
		}
		for i, w := range words {
			if i > 0 && len([]rune(line))+1+len([]rune(w)) > width {
				out = append(out, line)
				line = indent + para[:len(para)-len(trimmed)] + w
				continue
			}
			if i > 0 {
				line += " "
			}
			line += w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
