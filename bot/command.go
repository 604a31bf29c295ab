package bot

import (
	"fmt"
	"strings"
	"unicode"
)

// Command is a slash command with its arguments.
type Command struct {
	Name string   // lower case, without the slash
	Args []string // whitespace-separated, lower case
	Raw  string   // the argument text as typed
}

// ParseCommand reads "/name arg arg". It returns an error whose text is safe
// to show when the line is not a well-formed command.
func ParseCommand(line string) (Command, error) {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "/") {
		return Command{}, fmt.Errorf("commands start with a slash, like /mock; type /help for the list")
	}
	body := strings.TrimPrefix(line, "/")
	name, rest, _ := strings.Cut(body, " ")
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return Command{}, fmt.Errorf("a command needs a name after the slash; type /help for the list")
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && r != '-' && r != '_' {
			return Command{}, fmt.Errorf("%q is not a command; type /help for the list", "/"+truncateRunes(name, 20))
		}
	}
	rest = strings.TrimSpace(rest)
	var args []string
	for _, f := range strings.Fields(rest) {
		args = append(args, strings.ToLower(f))
	}
	return Command{Name: name, Args: args, Raw: rest}, nil
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
