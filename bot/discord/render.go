package discord

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/interviewbot/interviewbot/bot"
)

// Discord's limits on one message. Characters are counted as Discord
// counts them closely enough for text we write: in runes.
const (
	maxContent       = 2000
	maxEmbeds        = 10
	maxEmbedTotal    = 6000
	maxDescription   = 4096
	maxFields        = 25
	maxTitle         = 256
	maxFieldName     = 256
	maxFieldValue    = 1024
	maxFooter        = 2048
	maxButtonsPerRow = 5
	maxRows          = 5
	maxLabel         = 80
	maxCustomID      = 100
)

// embedColor is the bar beside every embed the bot sends.
const embedColor = 0x4f7cac

// part is one Discord message a neutral message becomes.
type part struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Files      []*discordgo.File
}

// render lays a neutral message out as one or more Discord messages, each
// within Discord's limits. Text-only messages become plain content (split
// at 2,000 characters); anything with a header, fields or lists becomes
// embeds, packed at most ten and 6,000 characters to a message. Buttons go
// on the last message, an attachment on the first.
func render(m bot.Message) []part {
	var parts []part
	if plain(m) {
		for _, chunk := range splitText(plainText(m), maxContent) {
			parts = append(parts, part{Content: chunk})
		}
	} else {
		parts = packEmbeds(buildEmbeds(m.Blocks))
	}
	if len(parts) == 0 {
		parts = []part{{}}
	}
	if comps := components(m.Blocks); len(comps) > 0 {
		parts[len(parts)-1].Components = comps
	}
	if f := m.Attachment; f != nil {
		parts[0].Files = []*discordgo.File{{Name: f.Name, ContentType: f.Type, Reader: bytes.NewReader(f.Data)}}
	}
	if parts[0].Content == "" && len(parts[0].Embeds) == 0 && len(parts[0].Files) == 0 {
		// Discord refuses an empty message; a button-only message still
		// needs a line.
		parts[0].Content = strings.TrimSpace(m.Text)
		if parts[0].Content == "" {
			parts[0].Content = "\u200b"
		}
		parts[0].Content = truncate(parts[0].Content, maxContent)
	}
	return parts
}

// plain reports whether a message is only running text.
func plain(m bot.Message) bool {
	for _, b := range m.Blocks {
		switch b.Kind {
		case bot.Section, bot.Context, bot.Quote, bot.Buttons:
		default:
			return false
		}
	}
	return true
}

func plainText(m bot.Message) string {
	if len(m.Blocks) == 0 {
		return m.Text
	}
	var paras []string
	for _, b := range m.Blocks {
		switch b.Kind {
		case bot.Section:
			paras = append(paras, b.Text)
		case bot.Context:
			paras = append(paras, italic(b.Text))
		case bot.Quote:
			paras = append(paras, quote(b.Text))
		}
	}
	return strings.Join(paras, "\n\n")
}

func italic(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	return "*" + strings.ReplaceAll(s, "*", `\*`) + "*"
}

func quote(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

// embedBuilder accumulates embeds block by block.
type embedBuilder struct {
	out  []*discordgo.MessageEmbed
	cur  *discordgo.MessageEmbed
	desc strings.Builder
}

func (e *embedBuilder) size() int {
	if e.cur == nil {
		return 0
	}
	return embedSize(e.cur) + utf8.RuneCountInString(e.desc.String())
}

func (e *embedBuilder) ensure() {
	if e.cur == nil {
		e.cur = &discordgo.MessageEmbed{Color: embedColor}
	}
}

func (e *embedBuilder) flush() {
	if e.cur == nil {
		return
	}
	e.cur.Description = e.desc.String()
	e.desc.Reset()
	if e.cur.Title != "" || e.cur.Description != "" || len(e.cur.Fields) > 0 || e.cur.Footer != nil {
		e.out = append(e.out, e.cur)
	}
	e.cur = nil
}

// text adds a paragraph to the description, starting a new embed when the
// paragraph would pass the description or embed limit, or would land
// below fields (Discord shows fields after the description).
func (e *embedBuilder) text(p string) {
	p = strings.TrimRight(p, " \n")
	if p == "" {
		return
	}
	for _, chunk := range splitText(p, maxDescription-2) {
		e.ensure()
		add := utf8.RuneCountInString(chunk) + 2
		if len(e.cur.Fields) > 0 || e.desc.Len() > 0 && (utf8.RuneCountInString(e.desc.String())+add > maxDescription || e.size()+add > maxEmbedTotal) {
			e.flush()
			e.ensure()
		}
		if e.desc.Len() > 0 {
			e.desc.WriteString("\n\n")
		}
		e.desc.WriteString(chunk)
	}
}

func (e *embedBuilder) title(t string) {
	if e.cur != nil && (e.cur.Title != "" || e.desc.Len() > 0 || len(e.cur.Fields) > 0) {
		e.flush()
	}
	e.ensure()
	e.cur.Title = truncate(t, maxTitle)
}

func (e *embedBuilder) field(f bot.Field) {
	e.ensure()
	name, value := truncate(orBlank(f.Label), maxFieldName), truncate(orBlank(f.Value), maxFieldValue)
	add := utf8.RuneCountInString(name) + utf8.RuneCountInString(value)
	if len(e.cur.Fields) == maxFields || e.size()+add > maxEmbedTotal {
		e.flush()
		e.ensure()
	}
	e.cur.Fields = append(e.cur.Fields, &discordgo.MessageEmbedField{Name: name, Value: value, Inline: true})
}

func orBlank(s string) string {
	if strings.TrimSpace(s) == "" {
		return "\u200b" // Discord refuses empty field names and values
	}
	return s
}

func buildEmbeds(blocks []bot.Block) []*discordgo.MessageEmbed {
	var e embedBuilder
	for i, b := range blocks {
		switch b.Kind {
		case bot.Header:
			e.title(b.Text)
		case bot.Section:
			e.text(b.Text)
		case bot.Quote:
			e.text(quote(b.Text))
		case bot.Context:
			if i == len(blocks)-1 || i == len(blocks)-2 && blocks[i+1].Kind == bot.Buttons {
				// Closing small print reads best as the footer.
				e.ensure()
				if e.size()+utf8.RuneCountInString(b.Text) > maxEmbedTotal {
					e.flush()
					e.ensure()
				}
				e.cur.Footer = &discordgo.MessageEmbedFooter{Text: truncate(b.Text, maxFooter)}
				continue
			}
			e.text(italic(b.Text))
		case bot.Bullets:
			var lines []string
			for _, it := range b.Items {
				lines = append(lines, "• "+it)
			}
			// Items are kept whole where they fit, so a long list splits
			// between items rather than inside one.
			e.text(strings.Join(lines, "\n"))
		case bot.Fields:
			for _, f := range b.Fields {
				e.field(f)
			}
		case bot.Divider:
			e.flush()
		}
	}
	e.flush()
	return e.out
}

func embedSize(em *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(em.Title) + utf8.RuneCountInString(em.Description)
	for _, f := range em.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if em.Footer != nil {
		n += utf8.RuneCountInString(em.Footer.Text)
	}
	return n
}

// packEmbeds puts embeds into messages: at most ten, and 6,000 characters
// across them, to a message.
func packEmbeds(embeds []*discordgo.MessageEmbed) []part {
	var parts []part
	var cur part
	total := 0
	for _, em := range embeds {
		n := embedSize(em)
		if len(cur.Embeds) == maxEmbeds || len(cur.Embeds) > 0 && total+n > maxEmbedTotal {
			parts = append(parts, cur)
			cur, total = part{}, 0
		}
		cur.Embeds = append(cur.Embeds, em)
		total += n
	}
	if len(cur.Embeds) > 0 {
		parts = append(parts, cur)
	}
	return parts
}

// components turns button blocks into action rows of at most five buttons.
func components(blocks []bot.Block) []discordgo.MessageComponent {
	var buttons []discordgo.MessageComponent
	for _, b := range blocks {
		if b.Kind != bot.Buttons {
			continue
		}
		for _, btn := range b.Buttons {
			style := discordgo.SecondaryButton
			if len(buttons) == 0 {
				style = discordgo.PrimaryButton
			}
			buttons = append(buttons, discordgo.Button{Label: truncate(btn.Label, maxLabel), Style: style, CustomID: customID(btn.ID, btn.Value)})
		}
	}
	var rows []discordgo.MessageComponent
	for len(buttons) > 0 && len(rows) < maxRows {
		n := min(len(buttons), maxButtonsPerRow)
		rows = append(rows, discordgo.ActionsRow{Components: buttons[:n]})
		buttons = buttons[n:]
	}
	return rows
}

// customID packs a button's meaning and value into Discord's 100
// characters.
func customID(id, value string) string {
	s := id
	if value != "" {
		s += ":" + value
	}
	if len(s) > maxCustomID {
		s = s[:maxCustomID]
	}
	return s
}

// splitText cuts s into pieces of at most n runes, at a line break where
// there is one in the second half of a piece, else at a space, else
// anywhere.
func splitText(s string, n int) []string {
	r := []rune(s)
	var out []string
	for len(r) > n {
		cut := n
		if i := lastIndex(r[:n], '\n'); i > n/2 {
			cut = i
		} else if i := lastIndex(r[:n], ' '); i > n/2 {
			cut = i
		}
		out = append(out, strings.TrimRight(string(r[:cut]), " \n"))
		r = r[cut:]
		for len(r) > 0 && (r[0] == ' ' || r[0] == '\n') {
			r = r[1:]
		}
	}
	if rest := string(r); strings.TrimSpace(rest) != "" || len(out) == 0 {
		out = append(out, rest)
	}
	return out
}

func lastIndex(r []rune, c rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == c {
			return i
		}
	}
	return -1
}

func truncate(s string, n int) string {
	count, cut := 0, 0
	for i := range s {
		if count == n-1 {
			cut = i
		}
		if count == n {
			return s[:cut] + "…"
		}
		count++
	}
	return s
}
