package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/questions"
)

const questionsUsage = `Usage:
  interviewbot questions list [--json] [--topic T] [--level L]
  interviewbot questions show ID
  interviewbot questions lint [DIR]
  interviewbot questions stats
`

func (m *Main) questionsCmd(g global, args []string) error {
	if len(args) == 0 {
		fmt.Fprintf(m.Stderr, "interviewbot questions: missing subcommand\n\n%s", questionsUsage)
		return errUsage
	}
	switch args[0] {
	case "list":
		return m.questionsList(g, args[1:])
	case "show":
		return m.questionsShow(g, args[1:])
	case "lint":
		return m.questionsLint(args[1:])
	case "stats":
		return m.questionsStats(g, args[1:])
	case "-h", "--help", "-help", "help":
		fmt.Fprint(m.Stdout, questionsUsage)
		return nil
	}
	fmt.Fprintf(m.Stderr, "interviewbot questions: unknown subcommand %q\n\n%s", args[0], questionsUsage)
	return errUsage
}

type questionJSON struct {
	ID          string      `json:"id"`
	Topic       string      `json:"topic"`
	Level       string      `json:"level"`
	Title       string      `json:"title"`
	SourceTitle string      `json:"source_title"`
	Kind        string      `json:"kind"`
	Tags        []string    `json:"tags"`
	Stages      []stageJSON `json:"stages,omitempty"`
}

type stageJSON struct {
	ID    string `json:"id"`
	Stage string `json:"stage"`
	Title string `json:"title"`
}

func (m *Main) questionsList(g global, args []string) error {
	fs := subFlags("questions list")
	asJSON := fs.Bool("json", false, "")
	topic := fs.String("topic", "", "")
	level := fs.String("level", "", "")
	if err := m.parseSub(fs, questionsUsage, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(m.Stderr, "interviewbot questions list: unexpected argument %q\n\n%s", fs.Arg(0), questionsUsage)
		return errUsage
	}
	bank, err := m.bank(g)
	if err != nil {
		return err
	}
	if *topic != "" && !bank.HasTopic(*topic) {
		return interview.Errorf(interview.Invalid, "unknown topic %q; topics: %s", *topic, strings.Join(bank.Topics(), ", "))
	}
	qs := bank.Filter(*topic, questions.Level(*level))
	if *asJSON {
		out := make([]questionJSON, 0, len(qs))
		for _, q := range qs {
			j := questionJSON{ID: q.ID, Topic: q.Topic, Level: string(q.Level), Title: q.Title, SourceTitle: q.SourceTitle, Kind: string(q.Kind), Tags: q.Tags}
			if j.Tags == nil {
				j.Tags = []string{}
			}
			for _, st := range q.Stages {
				j.Stages = append(j.Stages, stageJSON{ID: st.ID, Stage: st.Stage, Title: st.Title})
			}
			out = append(out, j)
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for _, q := range qs {
		fmt.Fprintf(m.Stdout, "%-40s %-14s %-7s %s\n", q.ID, q.Topic, q.Level, q.Title)
	}
	fmt.Fprintf(m.Stdout, "%d questions\n", len(qs))
	return nil
}

func (m *Main) questionsShow(g global, args []string) error {
	fs := subFlags("questions show")
	if err := m.parseSub(fs, questionsUsage, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(m.Stderr, "interviewbot questions show: give one question id\n\n%s", questionsUsage)
		return errUsage
	}
	bank, err := m.bank(g)
	if err != nil {
		return err
	}
	q, err := lookupQuestion(bank, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(m.Stderr, "interviewbot: %s\n", userError(err))
		return errUsage
	}
	printQuestion(m.Stdout, q)
	return nil
}

func lookupQuestion(bank *questions.Bank, id string) (*questions.Question, error) {
	if q, ok := bank.Get(id); ok {
		return q, nil
	}
	return nil, interview.Errorf(interview.NotFound, "no question %q; closest: %s", id, strings.Join(bank.Closest(id, 3), ", "))
}

func printQuestion(w io.Writer, q *questions.Question) {
	fmt.Fprintf(w, "%s  [%s, %s]\n%s\n", q.ID, q.Topic, q.Level, q.Title)
	if q.SourceTitle != "" {
		fmt.Fprintf(w, "Seed: %s\n", q.SourceTitle)
	}
	if q.Kind == questions.KindDesign {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(q.Prompt))
		for i, st := range q.Stages {
			fmt.Fprintf(w, "\n=== Stage %d: %s (%s)\n", i+1, st.Title, st.ID)
			printRubric(w, st)
		}
		return
	}
	printRubric(w, q)
}

func printRubric(w io.Writer, q *questions.Question) {
	fmt.Fprintf(w, "\n%s\n\nKey points:\n", strings.TrimSpace(q.Prompt))
	for _, kp := range q.KeyPoints {
		fmt.Fprintf(w, "  - [%s, weight %g, %s] %s\n", kp.ID, kp.Weight, kp.Dimension, kp.Text)
	}
	fmt.Fprintln(w, "\nMisconceptions:")
	for _, mc := range q.Misconceptions {
		fmt.Fprintf(w, "  - %s\n    Correction: %s\n", mc.Claim, mc.Correction)
	}
	fmt.Fprintln(w, "\nFollow-ups:")
	for _, fu := range q.FollowUps {
		fmt.Fprintf(w, "  - (%s, probes %s) %s\n", fu.Kind, strings.Join(fu.Probes, ", "), fu.Text)
	}
	fmt.Fprintln(w, "\nModel outline:")
	for _, o := range q.Outline {
		fmt.Fprintf(w, "  - %s\n", o)
	}
}

// questionsStats prints how the bank covers topics, levels and follow-up kinds.
func (m *Main) questionsStats(g global, args []string) error {
	fs := subFlags("questions stats")
	if err := m.parseSub(fs, questionsUsage, args); err != nil {
		return err
	}
	bank, err := m.bank(g)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%-16s %7s %7s %7s %7s %8s\n", "topic", "junior", "mid", "senior", "total", "designs")
	kinds := map[questions.FollowUpKind]int{}
	total, designs := 0, 0
	for _, topic := range bank.Topics() {
		row := map[questions.Level]int{}
		n, d := 0, 0
		for _, q := range bank.Filter(topic, "") {
			row[q.Level]++
			n++
			if q.Kind == questions.KindDesign {
				d++
			}
			for _, part := range q.Interview() {
				for _, fu := range part.FollowUps {
					kinds[fu.Kind]++
				}
			}
		}
		total += n
		designs += d
		fmt.Fprintf(m.Stdout, "%-16s %7d %7d %7d %7d %8d\n", topic, row[questions.Junior], row[questions.Mid], row[questions.Senior], n, d)
	}
	fmt.Fprintf(m.Stdout, "%d questions over %d topics (%d staged designs)\nfollow-ups:", total, len(bank.Topics()), designs)
	for _, k := range questions.FollowUpKinds {
		fmt.Fprintf(m.Stdout, " %s %d", k, kinds[k])
	}
	fmt.Fprintln(m.Stdout)
	return nil
}

// questionsLint validates a directory of packs, or the built-in bank when no
// directory is given. Errors exit 1; warnings alone exit 0.
func (m *Main) questionsLint(args []string) error {
	fs := subFlags("questions lint")
	if err := m.parseSub(fs, questionsUsage, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(m.Stderr, "interviewbot questions lint: give at most one directory\n\n%s", questionsUsage)
		return errUsage
	}
	var qs []*questions.Question
	var problems questions.Problems
	where := "built-in bank"
	if fs.NArg() == 1 {
		where = fs.Arg(0)
		if fi, err := os.Stat(where); err != nil || !fi.IsDir() {
			return interview.Errorf(interview.Invalid, "%s is not a directory", where)
		}
		var pack questions.Pack
		pack, problems = questions.LoadPackDir(where)
		qs = pack.Questions
	} else {
		qs, problems = questions.LoadBuiltinWithProblems()
	}
	errs, warns := 0, 0
	for _, p := range problems {
		fmt.Fprintln(m.Stdout, p.String())
		if p.Severity == questions.Error {
			errs++
		} else {
			warns++
		}
	}
	fmt.Fprintf(m.Stdout, "%s: %d questions, %d errors, %d warnings\n", where, len(qs), errs, warns)
	if errs > 0 {
		return exitCodeError{exitError}
	}
	return nil
}

const gradeUsage = `Usage:
  interviewbot grade --question ID --answer-file PATH|- [--json] [--grader rubric|llm|auto]

Grades one answer. --answer-file - reads standard input. A design id grades an
answer to the whole design; a stage id (design-rate-limiter/core) one stage.
The grader defaults to INTERVIEWBOT_GRADER (auto: llm when OPENAI_API_KEY or
OPENAI_BASE_URL is set).
`

type gradeJSON struct {
	QuestionID     string                         `json:"question_id"`
	Score          float64                        `json:"score"`
	Verdicts       []interview.PointVerdict       `json:"verdicts"`
	Misconceptions []interview.FoundMisconception `json:"misconceptions"`
	FollowUp       *followUpJSON                  `json:"follow_up"`
	Feedback       string                         `json:"feedback,omitempty"`
	Flag           interview.Flag                 `json:"flag,omitempty"`
	Notices        []string                       `json:"notices,omitempty"`
	Grader         string                         `json:"grader"`
}

type followUpJSON struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// maxAnswerFile bounds what grade reads; the grader looks at the first
// interview.MaxAnswerBytes anyway.
const maxAnswerFile = 4 << 20

func (m *Main) gradeCmd(ctx context.Context, g global, args []string) error {
	fs := subFlags("grade")
	qid := fs.String("question", "", "")
	file := fs.String("answer-file", "", "")
	asJSON := fs.Bool("json", false, "")
	graderMode := fs.String("grader", "", "")
	if err := m.parseSub(fs, gradeUsage, args); err != nil {
		return err
	}
	if *qid == "" || *file == "" || fs.NArg() > 0 {
		fmt.Fprintf(m.Stderr, "interviewbot grade: --question and --answer-file are required\n\n%s", gradeUsage)
		return errUsage
	}
	bank, err := m.bank(g)
	if err != nil {
		return err
	}
	q, err := lookupQuestion(bank, *qid)
	if err != nil {
		fmt.Fprintf(m.Stderr, "interviewbot grade: %s\n", userError(err))
		return errUsage
	}
	// A design entry is graded as one answer that takes the whole design
	// from the top, stage by stage, as eval grades it; a stage id grades
	// that stage alone.
	q = q.Whole()
	var r io.Reader = m.Stdin
	if *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			return interview.Errorf(interview.Invalid, "cannot read answer file %s: %s", *file, rootCause(err))
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxAnswerFile))
	if err != nil {
		return interview.Errorf(interview.Invalid, "cannot read the answer: %v", err)
	}
	grader, err := m.commandGrader(*graderMode)
	if err != nil {
		return err
	}
	ev, err := grader.Evaluate(ctx, interview.Request{Question: q, Answer: string(data)})
	if err != nil {
		return err
	}
	score := interview.ScoreEvaluations(q, nil, ev)
	if *asJSON {
		out := gradeJSON{QuestionID: q.ID, Score: score, Verdicts: ev.Verdicts, Misconceptions: ev.Misconceptions,
			Feedback: ev.Feedback, Flag: ev.Flag, Notices: ev.Notices, Grader: ev.Grader}
		if ev.FollowUp != nil {
			out.FollowUp = &followUpJSON{Kind: string(ev.FollowUp.Kind), Text: ev.FollowUp.Text}
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(m.Stdout, "%s: %.1f/10 (graded by %s)\n", q.ID, score, ev.Grader)
	for _, n := range ev.Notices {
		fmt.Fprintf(m.Stdout, "note: %s\n", n)
	}
	if ev.Feedback != "" {
		fmt.Fprintln(m.Stdout, ev.Feedback)
	}
	for _, v := range ev.Verdicts {
		kp, _ := q.KeyPoint(v.KeyPoint)
		fmt.Fprintf(m.Stdout, "  %-12s %s\n", v.Verdict, kp.Text)
		if v.Evidence != "" {
			fmt.Fprintf(m.Stdout, "               “%s”\n", v.Evidence)
		}
	}
	for _, mc := range ev.Misconceptions {
		def, _ := q.Misconception(mc.ID)
		fmt.Fprintf(m.Stdout, "  misconception: “%s”\n    %s\n", mc.Evidence, def.Correction)
	}
	if ev.FollowUp != nil {
		fmt.Fprintf(m.Stdout, "Follow-up (%s): %s\n", ev.FollowUp.Kind, ev.FollowUp.Text)
	}
	return nil
}

func rootCause(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
