// Package arch holds tests of the module's shape: which package may import
// which. Each chat SDK, the LLM client and the database driver stay inside
// their one package, so swapping or faking one touches one place.
package arch

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/interviewbot/interviewbot"

// owners maps an SDK import path prefix to the only package that may import it.
var owners = map[string]string{
	"github.com/slack-go/slack":         module + "/bot/slack",
	"github.com/bwmarrin/discordgo":     module + "/bot/discord",
	"github.com/sashabaranov/go-openai": module + "/interview/llm",
	"modernc.org/sqlite":                module + "/store",
}

// allowed lists, for the domain's centre, every module package it may import.
var allowed = map[string][]string{
	module + "/questions":     {module + "/internal/text"},
	module + "/interview":     {module + "/questions", module + "/internal/text"},
	module + "/internal/text": {},
}

// imports parses every non-test Go file of the module and returns each
// package's direct imports. Reading the files in-process (rather than asking
// go list) lets the test cache notice when a file changes.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	root := filepath.Join("..", "..")
	m := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		pkg := module
		if rel != "." {
			pkg += "/" + filepath.ToSlash(rel)
		}
		if _, seen := m[pkg]; !seen {
			m[pkg] = []string{}
		}
		for _, imp := range f.Imports {
			m[pkg] = append(m[pkg], strings.Trim(imp.Path.Value, `"`))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(m) < 5 {
		t.Fatalf("found only %d packages", len(m))
	}
	return m
}

func TestSDKsStayInTheirPackage(t *testing.T) {
	for pkg, imps := range imports(t) {
		for _, imp := range imps {
			for sdk, owner := range owners {
				if strings.HasPrefix(imp, sdk) && pkg != owner {
					t.Errorf("%s imports %s; only %s may", pkg, imp, owner)
				}
			}
		}
	}
}

func TestDomainImportsOnlyInward(t *testing.T) {
	all := imports(t)
	for pkg, may := range allowed {
		imps, ok := all[pkg]
		if !ok {
			t.Errorf("package %s not found", pkg)
			continue
		}
		for _, imp := range imps {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			ok := false
			for _, a := range may {
				ok = ok || imp == a
			}
			if !ok {
				t.Errorf("%s imports %s; it may import only %v from this module", pkg, imp, may)
			}
		}
	}
}
