// Package console is the terminal workspace: one team channel on stdin and
// stdout, used when no chat platform is configured. It speaks the same
// commands as the chat platforms, so a newcomer can try everything locally.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/store"
)

// Console runs the workspace for one user.
type Console struct {
	App  *bot.App
	In   io.Reader
	Out  io.Writer
	User string
	// Interactive adds a prompt and colour; off when stdout is not a
	// terminal, so scripts read plain text.
	Interactive bool
	// FilesDir is where attachments (the /stats picture) are written.
	FilesDir string
	// ShutdownGrace bounds how long a line in progress may run on after a
	// shutdown signal; 0 means 20 seconds.
	ShutdownGrace time.Duration

	outMu sync.Mutex // the scheduler posts while the user types
	// pendingDaily is set by /daily answer: the next message is the answer.
	pendingDaily *bool
	postSeq      atomic.Int64
}

func (c *Console) grace() time.Duration {
	if c.ShutdownGrace > 0 {
		return c.ShutdownGrace
	}
	return 20 * time.Second
}

// Channel is the console's one channel.
func (c *Console) Channel() store.Channel {
	w := c.who()
	return store.Channel{Platform: w.Platform, Team: w.Team, ID: w.Channel}
}

// Post implements bot.Poster: a scheduled message appears in the terminal.
func (c *Console) Post(_ context.Context, _ store.Channel, msg bot.Message) (string, error) {
	n := c.postSeq.Add(1)
	c.printf("\n[#console]")
	c.show([]bot.Message{msg})
	return "console-" + strconv.FormatInt(n, 10), nil
}

// Reply implements bot.Poster: a thread reply is shown under its post.
func (c *Console) Reply(_ context.Context, _ store.Channel, ref string, msg bot.Message) error {
	c.printf("\n[#console, thread %s]", ref)
	c.show([]bot.Message{msg})
	return nil
}

// MaxLineBytes bounds one input line; a longer one is cut with a notice
// rather than held in memory whole.
const MaxLineBytes = 1 << 20

func (c *Console) who() bot.Who {
	return bot.Who{Platform: "console", Team: "local", Channel: "console", User: c.User, Name: c.User, Admin: true}
}

// Run reads lines until /quit, end of input, or ctx is done. End of input
// leaves an open interview open for the next run.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan inputLine)
	go readLines(c.In, lines)

	c.printf("interviewbot console: you are %s. Type /mock to start an interview, /help for commands.\n", c.User)
	c.show(c.App.Resume(ctx, c.who()))
	for {
		c.prompt()
		var in inputLine
		var ok bool
		select {
		case <-ctx.Done():
			c.printf("\nStopped. Your progress is saved.\n")
			return nil
		case in, ok = <-lines:
		}
		if !ok {
			c.printf("\nEnd of input. Your progress is saved; run interviewbot again to continue.\n")
			return nil
		}
		if in.err != nil {
			return fmt.Errorf("read input: %w", in.err)
		}
		if in.truncated {
			c.printf("(That line was longer than %d bytes; the rest was dropped.)\n", MaxLineBytes)
		}
		// The line is handled to the end even if a shutdown signal arrives
		// meanwhile, within the grace period: its turn gets committed.
		work, done := bot.Linger(ctx, c.grace())
		quit := c.handle(work, in.text)
		done()
		if quit {
			c.printf("Bye. Your progress is saved.\n")
			return nil
		}
	}
}

func (c *Console) handle(ctx context.Context, line string) (quit bool) {
	trimmed := strings.TrimSpace(line)
	if strings.HasPrefix(trimmed, "/") {
		cmd, err := bot.ParseCommand(trimmed)
		if err != nil {
			c.show([]bot.Message{bot.Note(err.Error())})
			return false
		}
		switch cmd.Name {
		case "quit", "exit", "q":
			return true
		case "daily":
			if len(cmd.Args) > 0 && cmd.Args[0] == "answer" {
				share := len(cmd.Args) > 1 && cmd.Args[1] == "share"
				c.pendingDaily = &share
			}
		}
		c.show(c.App.HandleCommand(ctx, c.who(), cmd))
		return false
	}
	if trimmed == "" {
		return false
	}
	if c.pendingDaily != nil {
		share := *c.pendingDaily
		c.pendingDaily = nil
		c.show(c.App.DailyAnswer(ctx, c.who(), line, share))
		return false
	}
	msgs, err := c.App.HandleReply(ctx, c.who(), line)
	if errors.Is(err, bot.ErrNoInterview) {
		c.show([]bot.Message{bot.Note("You are not in an interview. Type /mock to start one, or /help for commands.")})
		return false
	}
	c.show(msgs)
	return false
}

func (c *Console) show(msgs []bot.Message) {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	for _, m := range msgs {
		io.WriteString(c.Out, Render(m, c.Interactive))
		if m.Attachment != nil {
			io.WriteString(c.Out, c.saveAttachment(m.Attachment)+"\n")
		}
	}
}

// saveAttachment writes a file the bot sent and says where it is.
func (c *Console) saveAttachment(f *bot.File) string {
	dir := c.FilesDir
	if dir == "" {
		dir = "."
	}
	path := filepath.Join(dir, filepath.Base(f.Name))
	if err := os.WriteFile(path, f.Data, 0o644); err != nil {
		return "Could not save " + f.Name + ": " + rootCause(err)
	}
	return "Saved " + path
}

func rootCause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func (c *Console) prompt() {
	if c.Interactive {
		io.WriteString(c.Out, "\n> ")
	}
}

func (c *Console) printf(format string, args ...any) {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	fmt.Fprintf(c.Out, format, args...)
}

type inputLine struct {
	text      string
	truncated bool
	err       error
}

// readLines sends each logical line: a line ending in a backslash continues
// onto the next, so a multi-line answer is one answer.
func readLines(r io.Reader, out chan<- inputLine) {
	defer close(out)
	br := bufio.NewReaderSize(r, 64<<10)
	var buf strings.Builder
	truncated := false
	for {
		part, err := readPhysicalLine(br, MaxLineBytes-buf.Len())
		if part.truncated {
			truncated = true
		}
		text := strings.TrimRight(part.text, "\r\n")
		cont := strings.HasSuffix(text, "\\") && err == nil
		if cont {
			text = strings.TrimSuffix(text, "\\")
		}
		buf.WriteString(text)
		if cont {
			buf.WriteByte('\n')
			continue
		}
		if part.text != "" || buf.Len() > 0 {
			out <- inputLine{text: buf.String(), truncated: truncated}
		}
		buf.Reset()
		truncated = false
		if err != nil {
			if !errors.Is(err, io.EOF) {
				out <- inputLine{err: err}
			}
			return
		}
	}
}

// readPhysicalLine reads up to and including '\n', keeping at most limit
// bytes and discarding the rest of an overlong line.
func readPhysicalLine(br *bufio.Reader, limit int) (inputLine, error) {
	var b strings.Builder
	truncated := false
	for {
		chunk, err := br.ReadSlice('\n')
		if room := limit - b.Len(); room > 0 {
			if len(chunk) > room {
				b.Write(chunk[:room])
				truncated = true
			} else {
				b.Write(chunk)
			}
		} else if len(chunk) > 0 {
			truncated = true
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return inputLine{text: b.String(), truncated: truncated}, err
	}
}
