package main

import (
	"fmt"
	"runtime/debug"

	"github.com/interviewbot/interviewbot/interview/rubric"
	"github.com/interviewbot/interviewbot/store"
)

func (m *Main) versionCmd(args []string) error {
	fs := subFlags("version")
	if err := m.parseSub(fs, "Usage:\n  interviewbot version\n", args); err != nil {
		return err
	}
	version, revision := "(devel)", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				revision = s.Value
			}
		}
	}
	fmt.Fprintf(m.Stdout, "interviewbot %s", version)
	if revision != "" {
		fmt.Fprintf(m.Stdout, " (%s)", revision)
	}
	fmt.Fprintf(m.Stdout, "\ngrader %s, schema %d\n", rubric.Version, store.SchemaVersion())
	return nil
}
