package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/interview/eval"
)

const evalUsage = `Usage:
  interviewbot eval --set FILE.jsonl [--predictions OUT.jsonl] [--json] [--check] [--grader rubric|llm|auto]

Grades a labelled set and reports how well the grader agrees with the human
grades: Spearman ρ, quadratic weighted kappa, mean absolute error, pairwise
ordering within each question, the mean score per kind of answer, and the
largest gain an injected instruction earned. Each line of the set is
  {"id", "question_id" or "question", "answer", "grade" (0-10), "kind"?}
with "question" matched to the bank by source title or title. Lines that
cannot be read or matched are listed with their line numbers; the run goes on.
--check exits 1 when a target is missed (ρ ≥ 0.80, pairwise ≥ 0.90,
MAE ≤ 1.5, off-topic ≤ 1, stuffed ≤ 4 and below good answers, misconceptions
below vague answers, injections gain nothing).
`

func (m *Main) evalCmd(ctx context.Context, g global, args []string) error {
	fs := subFlags("eval")
	set := fs.String("set", "", "")
	predictions := fs.String("predictions", "", "")
	asJSON := fs.Bool("json", false, "")
	check := fs.Bool("check", false, "")
	graderMode := fs.String("grader", "", "")
	if err := m.parseSub(fs, evalUsage, args); err != nil {
		return err
	}
	if *set == "" || fs.NArg() > 0 {
		fmt.Fprintf(m.Stderr, "interviewbot eval: --set is required\n\n%s", evalUsage)
		return errUsage
	}
	bank, err := m.bank(g)
	if err != nil {
		return err
	}
	f, err := os.Open(*set)
	if err != nil {
		return interview.Errorf(interview.Invalid, "cannot read the set %s: %s", *set, rootCause(err))
	}
	items, bad, err := eval.Read(f)
	f.Close()
	if err != nil {
		return interview.Errorf(interview.Invalid, "%v", err)
	}
	grader, err := m.commandGrader(*graderMode)
	if err != nil {
		return err
	}
	scored, unmatched, version := eval.Grade(ctx, grader, eval.NewResolver(bank), items)
	report := eval.Measure(scored, eval.DefaultTargets)
	report.Grader, report.Unmatched, report.BadLines = version, unmatched, bad
	if report.Unmatched == nil {
		report.Unmatched = []eval.LineError{}
	}
	if report.BadLines == nil {
		report.BadLines = []eval.LineError{}
	}
	if report.Violations == nil {
		report.Violations = []string{}
	}
	if *predictions != "" {
		if err := writePredictions(*predictions, scored); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		m.printEvalReport(report)
	}
	if *check {
		if missed := report.Missed(eval.DefaultTargets); len(missed) > 0 {
			fmt.Fprintf(m.Stderr, "interviewbot eval: %d target(s) missed:\n  %s\n", len(missed), strings.Join(missed, "\n  "))
			return exitCodeError{exitError}
		}
	}
	return nil
}

func writePredictions(path string, scored []eval.Scored) error {
	f, err := os.Create(path)
	if err != nil {
		return interview.Errorf(interview.Invalid, "cannot write predictions to %s: %s", path, rootCause(err))
	}
	enc := json.NewEncoder(f)
	for _, s := range scored {
		if err := enc.Encode(eval.Prediction{ID: s.ID, QuestionID: s.QuestionID, Score: s.Score}); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

func (m *Main) printEvalReport(r eval.Report) {
	w := m.Stdout
	fmt.Fprintf(w, "graded by %s: %d items\n", r.Grader, r.Items)
	fmt.Fprintf(w, "  Spearman ρ           %.3f\n", r.Spearman)
	fmt.Fprintf(w, "  weighted kappa       %.3f\n", r.Kappa)
	fmt.Fprintf(w, "  mean absolute error  %.3f\n", r.MAE)
	fmt.Fprintf(w, "  pairwise ordering    %.3f over %d pairs\n", r.Pairwise, r.Pairs)
	fmt.Fprintf(w, "  injection            largest over-score %+.1f; largest gain over the same answer %+.1f (%d pairs)\n", r.InjectionOverScore, r.InjectionGain, r.InjectionPairs)
	fmt.Fprintln(w, "mean score by kind (grader / people):")
	kinds := make([]string, 0, len(r.MeanByKind))
	for k := range r.MeanByKind {
		kinds = append(kinds, k)
	}
	order := map[string]int{}
	for i, k := range eval.Kinds {
		order[k] = i + 1
	}
	sort.Slice(kinds, func(i, j int) bool {
		oi, oj := order[kinds[i]], order[kinds[j]]
		if oi == 0 || oj == 0 {
			return oi > oj || (oi == oj && kinds[i] < kinds[j])
		}
		return oi < oj
	})
	for _, k := range kinds {
		km := r.MeanByKind[k]
		fmt.Fprintf(w, "  %-10s %4d  %4.1f / %4.1f\n", k, km.N, km.Predicted, km.Human)
	}
	for _, v := range r.Violations {
		fmt.Fprintf(w, "violation: %s\n", v)
	}
	for _, u := range r.Unmatched {
		fmt.Fprintf(w, "unmatched line %d (%s): %s\n", u.Line, u.ID, u.Reason)
	}
	for _, b := range r.BadLines {
		fmt.Fprintf(w, "bad line %d: %s\n", b.Line, b.Reason)
	}
}
