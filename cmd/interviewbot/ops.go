package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

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

const healthcheckUsage = `Usage:
  interviewbot [--http ADDR] healthcheck

Asks a running interviewbot's /healthz (at --http or INTERVIEWBOT_HTTP;
a bare :PORT means this host) and exits 0 when it answers ok. For container
health checks in images without curl.
`

func (m *Main) healthcheckCmd(ctx context.Context, g global, args []string) error {
	fs := subFlags("healthcheck")
	if err := m.parseSub(fs, healthcheckUsage, args); err != nil {
		return err
	}
	if g.http == "" {
		return interview.Errorf(interview.Invalid, "healthcheck needs the address of the health endpoint: --http ADDR or INTERVIEWBOT_HTTP")
	}
	host, port, err := net.SplitHostPort(g.http)
	if err != nil {
		return interview.Errorf(interview.Invalid, "--http %q is not an address like :9090", g.http)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return interview.Errorf(interview.Unavailable, "not healthy: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return interview.Errorf(interview.Unavailable, "not healthy: /healthz answered %s", resp.Status)
	}
	fmt.Fprintln(m.Stdout, "ok")
	return nil
}
