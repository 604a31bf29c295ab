package questions

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/interviewbot/interviewbot/internal/text"
	"go.yaml.in/yaml/v3"
)

// Severity says whether a problem stops a pack from loading.
type Severity string

// Errors refuse the pack; warnings are reported and the pack loads.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Problem is one thing wrong with a pack, placed at a file and line.
type Problem struct {
	File     string
	Line     int
	Severity Severity
	Message  string
	Hint     string // how to fix it, when there is something to say
}

func (p Problem) String() string {
	s := fmt.Sprintf("%s: %s: %s", p.File, p.Severity, p.Message)
	if p.Line > 0 {
		s = fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Severity, p.Message)
	}
	if p.Hint != "" {
		s += " (" + p.Hint + ")"
	}
	return s
}

// Problems is a list of problems that reads as an error.
type Problems []Problem

// HasErrors reports whether any problem is an error rather than a warning.
func (ps Problems) HasErrors() bool {
	return slices.ContainsFunc(ps, func(p Problem) bool { return p.Severity == Error })
}

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Pack is what a directory of question files holds.
type Pack struct {
	Questions []*Question
	Disable   []TopicSwitch
}

// LoadFS reads every *.yaml and *.yml file under dir in fsys, validates each
// question, and returns them with every problem found. Questions from files
// with errors are still returned so that a linter can say more; callers that
// load for use must refuse the whole set when the problems hold an error.
func LoadFS(fsys fs.FS, dir string) ([]*Question, Problems) {
	pack, problems := LoadPack(fsys, dir)
	return pack.Questions, problems
}

// LoadPack is LoadFS that also returns the topics the pack switches off.
func LoadPack(fsys fs.FS, dir string) (Pack, Problems) {
	var files []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return Pack{}, Problems{{File: dir, Severity: Error, Message: "cannot read the directory: " + rootCause(err)}}
	}
	sort.Strings(files)
	var pack Pack
	var problems Problems
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			problems = append(problems, Problem{File: f, Severity: Error, Message: "cannot read the file: " + rootCause(err)})
			continue
		}
		qs, sw, ps := parseFile(f, data)
		pack.Questions = append(pack.Questions, qs...)
		pack.Disable = append(pack.Disable, sw...)
		problems = append(problems, ps...)
	}
	if len(files) == 0 {
		problems = append(problems, Problem{File: dir, Severity: Warning, Message: "no .yaml files found"})
	}
	problems = append(problems, crossCheck(pack.Questions)...)
	return pack, problems
}

func rootCause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// parser collects problems for one file while it walks the YAML tree.
type parser struct {
	file     string
	problems Problems
}

func (p *parser) errorf(line int, hint, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Line: line, Severity: Error, Message: fmt.Sprintf(format, args...), Hint: hint})
}

func (p *parser) warnf(line int, hint, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Line: line, Severity: Warning, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// TopicSwitch is a pack's request to switch a built-in topic off.
type TopicSwitch struct {
	Topic string
	File  string
	Line  int
}

func parseFile(file string, data []byte) ([]*Question, []TopicSwitch, Problems) {
	p := &parser{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlErrorLine(err)
		p.errorf(line, "check indentation and quote strings that contain \": \"", "not valid YAML: %s", msg)
		return nil, nil, p.problems
	}
	if len(doc.Content) == 0 {
		p.errorf(1, "start the file with \"topic:\" and \"questions:\"", "the file is empty")
		return nil, nil, p.problems
	}
	root := doc.Content[0]
	fields := p.mapping(root, "file", "topic", "questions", "disable_topics")
	if fields == nil {
		return nil, nil, p.problems
	}
	var switches []TopicSwitch
	if dn, ok := fields["disable_topics"]; ok {
		for _, t := range p.strs(fields, "disable_topics") {
			switches = append(switches, TopicSwitch{Topic: t, File: file, Line: dn.Line})
		}
	}
	qnode, hasQuestions := fields["questions"]
	if !hasQuestions && len(switches) > 0 {
		// A file may only switch built-in topics off.
		return nil, switches, p.problems
	}
	topic := p.str(fields, "topic", root.Line, true)
	if topic != "" && !isSlug(topic) {
		p.errorf(fields["topic"].Line, "use lower-case letters, digits and dashes, e.g. \"message-queues\"", "topic %q is not a slug", topic)
	}
	if !hasQuestions || qnode.Kind != yaml.SequenceNode {
		p.errorf(root.Line, "add \"questions:\" followed by a list of entries", "the file has no list of questions")
		return nil, switches, p.problems
	}
	var out []*Question
	for _, n := range qnode.Content {
		if q := p.question(n, topic); q != nil {
			out = append(out, q)
		}
	}
	return out, switches, p.problems
}

func yamlErrorLine(err error) (int, string) {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
		if i := strings.Index(msg, ":"); i >= 0 {
			msg = strings.TrimSpace(msg[i+1:])
		}
		return line, msg
	}
	return 1, msg
}

// mapping checks that n is a mapping with only known keys and returns its
// values by key.
func (p *parser) mapping(n *yaml.Node, what string, known ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "write it as \"key: value\" lines", "the %s must be a mapping", what)
		return nil
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(known, k.Value) {
			hint := "known fields: " + strings.Join(known, ", ")
			if near := closest(k.Value, known); near != "" {
				hint = fmt.Sprintf("did you mean %q?", near)
			}
			p.errorf(k.Line, hint, "unknown field %q in %s", k.Value, what)
			continue
		}
		if _, dup := out[k.Value]; dup {
			p.errorf(k.Line, "remove one of them", "field %q appears twice", k.Value)
		}
		out[k.Value] = v
	}
	return out
}

func (p *parser) str(fields map[string]*yaml.Node, key string, line int, required bool) string {
	n, ok := fields[key]
	if !ok {
		if required {
			p.errorf(line, "", "missing %q", key)
		}
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		p.errorf(n.Line, "write it as one string", "%q must be a string", key)
		return ""
	}
	v := strings.TrimSpace(n.Value)
	if v == "" && required {
		p.errorf(n.Line, "", "%q is empty", key)
	}
	return v
}

func (p *parser) strs(fields map[string]*yaml.Node, key string) []string {
	n, ok := fields[key]
	if !ok {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n.Line, "write a list: [a, b] or one \"- item\" per line", "%q must be a list of strings", key)
		return nil
	}
	var out []string
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode || strings.TrimSpace(c.Value) == "" {
			p.errorf(c.Line, "", "%q holds an empty or non-string item", key)
			continue
		}
		out = append(out, strings.TrimSpace(c.Value))
	}
	return out
}

func (p *parser) question(n *yaml.Node, topic string) *Question {
	f := p.mapping(n, "question", "id", "level", "title", "source_title", "tags", "prompt",
		"key_points", "misconceptions", "follow_ups", "outline", "stages")
	if f == nil {
		return nil
	}
	q := &Question{
		ID:          p.str(f, "id", n.Line, true),
		Kind:        KindQuestion,
		Topic:       topic,
		Level:       Level(p.str(f, "level", n.Line, true)),
		Title:       p.str(f, "title", n.Line, true),
		SourceTitle: p.str(f, "source_title", n.Line, false),
		Tags:        p.strs(f, "tags"),
		Prompt:      reflow(p.str(f, "prompt", n.Line, true)),
		Outline:     p.strs(f, "outline"),
		File:        p.file,
		Line:        n.Line,
	}
	if q.ID != "" && !isSlug(q.ID) {
		p.errorf(f["id"].Line, "use lower-case letters, digits and dashes", "id %q is not a slug", q.ID)
	}
	if q.Level != "" && !slices.Contains(Levels, q.Level) {
		p.errorf(f["level"].Line, "use junior, mid or senior", "unknown level %q", q.Level)
	}
	if _, staged := f["stages"]; staged {
		p.design(q, f, n.Line)
		return q
	}
	p.rubric(q, f, n.Line)
	p.checkQuestion(q, 4, 8)
	return q
}

// rubric reads the key points, misconceptions and follow-ups of a question
// or a design stage.
func (p *parser) rubric(q *Question, f map[string]*yaml.Node, line int) {
	for _, kn := range p.seq(f, "key_points", line) {
		if kp, ok := p.keyPoint(kn); ok {
			q.KeyPoints = append(q.KeyPoints, kp)
		}
	}
	for _, mn := range p.seq(f, "misconceptions", -1) {
		if m, ok := p.misconception(mn); ok {
			q.Misconceptions = append(q.Misconceptions, m)
		}
	}
	for _, fn := range p.seq(f, "follow_ups", line) {
		if fu, ok := p.followUp(fn); ok {
			q.FollowUps = append(q.FollowUps, fu)
		}
	}
}

// design reads a staged design entry: the six stages in order, each a
// question of its own named "<design id>/<stage id>".
func (p *parser) design(q *Question, f map[string]*yaml.Node, line int) {
	q.Kind = KindDesign
	for _, key := range []string{"key_points", "misconceptions", "follow_ups"} {
		if n, ok := f[key]; ok {
			p.errorf(n.Line, "move it into the stage it belongs to", "a design with stages cannot have top-level %q", key)
		}
	}
	nodes := p.seq(f, "stages", line)
	for i, sn := range nodes {
		sf := p.mapping(sn, "stage", "id", "title", "prompt", "key_points", "misconceptions", "follow_ups", "outline")
		if sf == nil {
			continue
		}
		id := p.str(sf, "id", sn.Line, true)
		if i < len(DesignStages) && id != DesignStages[i].ID {
			p.errorf(sn.Line, "stages run "+stageList()+", in that order", "stage %d is %q, want %q", i+1, id, DesignStages[i].ID)
		}
		title := p.str(sf, "title", sn.Line, false)
		if title == "" && i < len(DesignStages) {
			title = DesignStages[i].Title
		}
		st := &Question{
			ID:      q.ID + "/" + id,
			Kind:    KindQuestion,
			Topic:   q.Topic,
			Level:   q.Level,
			Title:   q.Title + " · " + title,
			Tags:    q.Tags,
			Prompt:  reflow(p.str(sf, "prompt", sn.Line, true)),
			Outline: p.strs(sf, "outline"),
			Parent:  q,
			Stage:   id,
			File:    p.file,
			Line:    sn.Line,
		}
		if i == 0 {
			// The opening stage carries the design prompt itself.
			st.Prompt = q.Prompt + "\n\n" + st.Prompt
		}
		p.rubric(st, sf, sn.Line)
		p.checkQuestion(st, 3, 6)
		q.Stages = append(q.Stages, st)
	}
	if len(nodes) != len(DesignStages) {
		p.errorf(line, "stages run "+stageList(), "design %q has %d stages, want %d", q.ID, len(nodes), len(DesignStages))
	}
}

func stageList() string {
	ids := make([]string, len(DesignStages))
	for i, s := range DesignStages {
		ids[i] = s.ID
	}
	return strings.Join(ids, ", ")
}

// seq returns the items of a list field; line >= 0 makes the field required.
func (p *parser) seq(f map[string]*yaml.Node, key string, line int) []*yaml.Node {
	n, ok := f[key]
	if !ok {
		if line >= 0 {
			p.errorf(line, "", "missing %q", key)
		}
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n.Line, "write one \"- \" item per entry", "%q must be a list", key)
		return nil
	}
	return n.Content
}

func (p *parser) keyPoint(n *yaml.Node) (KeyPoint, bool) {
	f := p.mapping(n, "key point", "id", "text", "weight", "dimension", "phrases", "partial", "needs_reason", "hint")
	if f == nil {
		return KeyPoint{}, false
	}
	kp := KeyPoint{
		ID:        p.str(f, "id", n.Line, true),
		Text:      p.str(f, "text", n.Line, true),
		Dimension: Dimension(p.str(f, "dimension", n.Line, true)),
		Phrases:   p.strs(f, "phrases"),
		Partial:   p.strs(f, "partial"),
		Hint:      p.str(f, "hint", n.Line, false),
		Line:      n.Line,
	}
	if wn, ok := f["weight"]; !ok {
		p.errorf(n.Line, "1 for a nice-to-have up to 3 for the core idea", "key point %q has no weight", kp.ID)
	} else if err := wn.Decode(&kp.Weight); err != nil || kp.Weight <= 0 || kp.Weight > 5 {
		p.errorf(wn.Line, "use a number from 1 to 5", "key point %q: weight %q is not a number from 1 to 5", kp.ID, wn.Value)
	}
	if rn, ok := f["needs_reason"]; ok {
		if err := rn.Decode(&kp.NeedsReason); err != nil {
			p.errorf(rn.Line, "use true or false", "needs_reason must be true or false")
		}
	}
	if kp.Dimension != "" && !slices.Contains(Dimensions, kp.Dimension) {
		p.errorf(f["dimension"].Line, "use one of: "+joinDims(), "unknown dimension %q", kp.Dimension)
	}
	if len(kp.Phrases) == 0 {
		p.errorf(n.Line, "list the ways people say it under \"phrases:\"", "key point %q has no phrases, so no answer can earn it", kp.ID)
	}
	p.checkPhrases(n.Line, "key point "+kp.ID, append(slices.Clone(kp.Phrases), kp.Partial...))
	return kp, true
}

func (p *parser) misconception(n *yaml.Node) (Misconception, bool) {
	f := p.mapping(n, "misconception", "id", "claim", "phrases", "correction")
	if f == nil {
		return Misconception{}, false
	}
	m := Misconception{
		ID:         p.str(f, "id", n.Line, true),
		Claim:      p.str(f, "claim", n.Line, true),
		Phrases:    p.strs(f, "phrases"),
		Correction: p.str(f, "correction", n.Line, true),
		Line:       n.Line,
	}
	if len(m.Phrases) == 0 {
		p.errorf(n.Line, "list how people state the wrong claim under \"phrases:\"", "misconception %q has no phrases", m.ID)
	}
	p.checkPhrases(n.Line, "misconception "+m.ID, m.Phrases)
	return m, true
}

func (p *parser) followUp(n *yaml.Node) (FollowUp, bool) {
	f := p.mapping(n, "follow-up", "kind", "text", "probes")
	if f == nil {
		return FollowUp{}, false
	}
	fu := FollowUp{
		Kind:   FollowUpKind(p.str(f, "kind", n.Line, true)),
		Text:   p.str(f, "text", n.Line, true),
		Probes: p.strs(f, "probes"),
		Line:   n.Line,
	}
	if fu.Kind != "" && !slices.Contains(FollowUpKinds, fu.Kind) {
		p.errorf(f["kind"].Line, "use scale, failure, race, tradeoff or probe", "unknown follow-up kind %q", fu.Kind)
	}
	if fu.Text != "" && !strings.HasSuffix(strings.TrimSpace(fu.Text), "?") {
		p.warnf(n.Line, "end it with a question mark", "follow-up is not phrased as a question")
	}
	return fu, true
}

// checkPhrases rejects phrases the grader could never match or would match
// on anything.
func (p *parser) checkPhrases(line int, owner string, phrases []string) {
	for _, ph := range phrases {
		stems, _ := text.ContentStems(ph)
		if len(stems) == 0 {
			p.errorf(line, "add a word that carries the idea; small words like \"the\" and \"is\" are skipped", "%s: phrase %q has no content words", owner, ph)
		}
	}
}

// checkQuestion checks one rubric; minKP and maxKP bound the key points a
// question (or a design stage, which covers less ground) should have.
func (p *parser) checkQuestion(q *Question, minKP, maxKP int) {
	if n := len(q.KeyPoints); n > 0 && (n < minKP || n > maxKP) {
		p.warnf(q.Line, fmt.Sprintf("split or merge key points so there are %d to %d", minKP, maxKP), "question %q has %d key points", q.ID, n)
	}
	if len(q.KeyPoints) == 0 {
		p.errorf(q.Line, "add \"key_points:\"", "question %q has no key points", q.ID)
	}
	seen := map[string]int{}
	for _, kp := range q.KeyPoints {
		if prev, dup := seen[kp.ID]; dup {
			p.errorf(kp.Line, fmt.Sprintf("first used on line %d", prev), "duplicate key point id %q", kp.ID)
		}
		seen[kp.ID] = kp.Line
	}
	mseen := map[string]bool{}
	for _, m := range q.Misconceptions {
		if mseen[m.ID] {
			p.errorf(m.Line, "", "duplicate misconception id %q", m.ID)
		}
		mseen[m.ID] = true
	}
	if len(q.Misconceptions) == 0 {
		p.warnf(q.Line, "add the confident wrong claim interviewers hear, with its correction", "question %q has no misconceptions", q.ID)
	}
	probed := map[string]bool{}
	kinds := map[FollowUpKind]bool{}
	for _, fu := range q.FollowUps {
		kinds[fu.Kind] = true
		if len(fu.Probes) == 0 {
			p.errorf(fu.Line, "name the key point ids it tests under \"probes:\"", "follow-up probes no key point")
		}
		for _, id := range fu.Probes {
			if _, ok := seen[id]; !ok {
				hint := ""
				if near := closest(id, mapKeys(seen)); near != "" {
					hint = fmt.Sprintf("did you mean %q?", near)
				}
				p.errorf(fu.Line, hint, "follow-up probes unknown key point %q", id)
			}
			probed[id] = true
		}
	}
	if len(q.FollowUps) > 0 {
		for _, k := range []FollowUpKind{Scale, Failure} {
			if !kinds[k] {
				p.warnf(q.Line, "every question should push on scale and on failure", "question %q has no %s follow-up", q.ID, k)
			}
		}
	}
	for _, kp := range q.KeyPoints {
		if !probed[kp.ID] && len(q.FollowUps) > 0 {
			p.warnf(kp.Line, "add it to the probes of a follow-up", "key point %q is never probed by a follow-up", kp.ID)
		}
	}
	if len(q.Outline) == 0 {
		p.warnf(q.Line, "add \"outline:\" bullets of a strong answer", "question %q has no model outline", q.ID)
	}
}

// crossCheck finds problems that span files: duplicate question ids.
func crossCheck(qs []*Question) Problems {
	var ps Problems
	byID := map[string]*Question{}
	for _, q := range qs {
		if q.ID == "" {
			continue
		}
		if prev, dup := byID[q.ID]; dup {
			ps = append(ps, Problem{File: q.File, Line: q.Line, Severity: Error,
				Message: fmt.Sprintf("duplicate question id %q", q.ID),
				Hint:    fmt.Sprintf("already defined at %s:%d; ids must be unique across all packs", prev.File, prev.Line)})
			continue
		}
		byID[q.ID] = q
	}
	return ps
}

func joinDims() string {
	s := make([]string, len(Dimensions))
	for i, d := range Dimensions {
		s[i] = string(d)
	}
	return strings.Join(s, ", ")
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// reflow joins the lines of each paragraph of a YAML block scalar, so the
// platforms wrap text to their own width; blank lines still separate
// paragraphs.
func reflow(s string) string {
	paras := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n")
	for i, p := range paras {
		paras[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.TrimSpace(strings.Join(paras, "\n\n"))
}

func isSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// closest returns the candidate nearest to s by edit distance when it is
// close enough to be a likely typo, else "".
func closest(s string, candidates []string) string {
	best, bestD := "", len(s)/2+2
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
