// Package bot is the platform-neutral application: it parses commands, routes
// replies to the right interview, runs leaderboards and streaks, and answers
// with neutral messages that each platform adapter renders in its own way.
package bot

// BlockKind is the kind of one piece of a message.
type BlockKind string

// The block kinds every adapter knows how to render.
const (
	Header  BlockKind = "header"  // a short title line
	Section BlockKind = "section" // a paragraph of text
	Fields  BlockKind = "fields"  // label/value pairs, shown as a compact grid where possible
	Bullets BlockKind = "bullets" // a list
	Quote   BlockKind = "quote"   // words quoted from the user
	Context BlockKind = "context" // small print
	Divider BlockKind = "divider"
	Buttons BlockKind = "buttons"
)

// Message is what the bot says, before any platform formatting.
type Message struct {
	// Text is a plain summary: notifications and platforms without rich
	// layout show it.
	Text   string
	Blocks []Block
	// Ephemeral messages are shown only to the person who acted, where the
	// platform allows it.
	Ephemeral bool
	// Attachment is a file sent with the message: uploaded on chat
	// platforms, written to disk by the console.
	Attachment *File
}

// File is an attachment.
type File struct {
	Name string
	Type string // MIME type
	Data []byte
}

// Block is one piece of a message.
type Block struct {
	Kind    BlockKind
	Text    string
	Fields  []Field
	Items   []string
	Buttons []Button
}

// Field is a label and a value.
type Field struct{ Label, Value string }

// Button is an action a user can press.
type Button struct {
	ID    string // what the press means to the bot
	Label string
	Value string
}

// Text returns a message of one section.
func Text(s string) Message {
	return Message{Text: s, Blocks: []Block{{Kind: Section, Text: s}}}
}

// Note returns a one-section message shown only to the person who acted.
func Note(s string) Message {
	m := Text(s)
	m.Ephemeral = true
	return m
}
