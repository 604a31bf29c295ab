package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/store"
)

const backupUsage = `Usage:
  interviewbot [--db PATH] backup FILE

Writes a consistent copy of the database to FILE while the bot keeps
running. FILE must not exist. To restore, stop the bot and start it with
--db FILE (or copy FILE over the database file while the bot is stopped).
`

func (m *Main) backupCmd(ctx context.Context, g global, args []string) error {
	fs := subFlags("backup")
	if err := m.parseSub(fs, backupUsage, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(m.Stderr, "interviewbot backup: give the file to write\n\n%s", backupUsage)
		return errUsage
	}
	st, err := store.Open(ctx, g.db, store.Options{Now: m.Now})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Backed up %s to %s\n", g.db, fs.Arg(0))
	return nil
}

// retentionDays reads INTERVIEWBOT_RETENTION_DAYS: 0 (unset) keeps answer
// text for ever.
func (m *Main) retentionDays() (int, error) {
	v := strings.TrimSpace(m.Getenv("INTERVIEWBOT_RETENTION_DAYS"))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, interview.Errorf(interview.Invalid, "INTERVIEWBOT_RETENTION_DAYS must be a whole number of days, 1 or more (got %q)", v)
	}
	return n, nil
}
