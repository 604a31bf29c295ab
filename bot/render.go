package bot

import (
	"fmt"
	"strings"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/store"
)

// render turns the interviewer's replies into neutral messages.
func (a *App) render(replies []interview.Reply) []Message {
	out := make([]Message, 0, len(replies))
	for _, r := range replies {
		out = append(out, RenderReply(r))
	}
	return out
}

var followUpLead = map[string]string{
	"scale":    "Let's push on scale.",
	"failure":  "Now something breaks.",
	"race":     "Two things happen at once.",
	"tradeoff": "Why this and not the alternative?",
	"probe":    "Let's go deeper.",
}

// RenderReply renders one interviewer reply.
func RenderReply(r interview.Reply) Message {
	switch r.Kind {
	case interview.ReplyQuestion:
		unit := "Question"
		if r.Stage {
			unit = "Stage"
		}
		head := fmt.Sprintf("%s %d of %d · %s", unit, r.Number, r.Total, r.Title)
		return Message{Text: head + "\n" + r.Text, Blocks: []Block{{Kind: Header, Text: head}, {Kind: Section, Text: strings.TrimSpace(r.Text)}}}
	case interview.ReplyFollowUp:
		lead := followUpLead[string(r.FollowUpKind)]
		head := fmt.Sprintf("Follow-up (%s)", r.FollowUpKind)
		return Message{Text: head + ": " + r.Text, Blocks: []Block{{Kind: Header, Text: head}, {Kind: Section, Text: strings.TrimSpace(lead + " " + r.Text)}}}
	case interview.ReplyHint:
		return Message{Text: "Hint: " + r.Text, Blocks: []Block{{Kind: Section, Text: "Hint: " + r.Text}}, Ephemeral: true}
	case interview.ReplyNotice:
		return Message{Text: r.Text, Blocks: []Block{{Kind: Context, Text: r.Text}}}
	case interview.ReplyScorecard:
		if r.Scorecard != nil {
			return RenderScorecard(*r.Scorecard)
		}
	}
	return Text(r.Text)
}

// RenderScorecard lays a scorecard out as a message.
func RenderScorecard(sc interview.Scorecard) Message {
	title := fmt.Sprintf("Scorecard: %d/100", sc.Overall)
	if sc.Asked == 0 {
		return Message{Text: "Interview closed before any answer; nothing to score.",
			Blocks: []Block{{Kind: Header, Text: "Interview closed"}, {Kind: Section, Text: "No question was answered, so there is nothing to score. Start again with /mock."}}}
	}
	m := Message{Text: fmt.Sprintf("%s (%d of %d answered)", title, sc.Answered, sc.Asked)}
	m.Blocks = append(m.Blocks, Block{Kind: Header, Text: title})
	if sc.Summary != "" {
		m.Blocks = append(m.Blocks, Block{Kind: Section, Text: sc.Summary})
	}
	var dims []Field
	for _, d := range sc.Dimensions {
		v := "not measured"
		if d.Rated {
			v = fmt.Sprintf("%d", d.Score)
		}
		dims = append(dims, Field{Label: d.Dimension.Label(), Value: v})
	}
	m.Blocks = append(m.Blocks, Block{Kind: Fields, Fields: dims})
	for i, q := range sc.Questions {
		m.Blocks = append(m.Blocks, Block{Kind: Divider})
		head := fmt.Sprintf("Q%d · %s (%s, %s): %.1f/10", i+1, q.Title, q.Topic, q.Level, q.Score)
		if q.Skipped {
			head = fmt.Sprintf("Q%d · %s (%s, %s): skipped", i+1, q.Title, q.Topic, q.Level)
		}
		m.Blocks = append(m.Blocks, Block{Kind: Section, Text: head})
		if len(q.Covered) > 0 {
			var items []string
			for _, c := range q.Covered {
				mark := "✓"
				if c.Partial || c.Hinted {
					mark = "½"
				}
				item := mark + " " + c.Text
				if c.Quote != "" {
					item += "\n    “" + c.Quote + "”"
				}
				items = append(items, item)
			}
			m.Blocks = append(m.Blocks, Block{Kind: Section, Text: "Covered"}, Block{Kind: Bullets, Items: items})
		}
		if len(q.Missed) > 0 {
			items := make([]string, len(q.Missed))
			for i, s := range q.Missed {
				items[i] = "✗ " + s
			}
			m.Blocks = append(m.Blocks, Block{Kind: Section, Text: "Missed"}, Block{Kind: Bullets, Items: items})
		}
		if len(q.Misconceptions) > 0 {
			var items []string
			for _, mc := range q.Misconceptions {
				item := "You said: “" + mc.Quote + "”\n    " + mc.Correction
				items = append(items, item)
			}
			m.Blocks = append(m.Blocks, Block{Kind: Section, Text: "Corrections"}, Block{Kind: Bullets, Items: items})
		}
		if len(q.Outline) > 0 {
			m.Blocks = append(m.Blocks, Block{Kind: Section, Text: "A strong answer"}, Block{Kind: Bullets, Items: q.Outline})
		}
		if q.PractiseNext != "" {
			m.Blocks = append(m.Blocks, Block{Kind: Context, Text: "Practise next: " + q.PractiseNext})
		}
	}
	foot := fmt.Sprintf("%d of %d questions answered", sc.Answered, sc.Asked)
	if len(sc.Graders) > 0 {
		foot += " · graded by " + strings.Join(sc.Graders, ", ")
	}
	m.Blocks = append(m.Blocks, Block{Kind: Divider}, Block{Kind: Context, Text: foot})
	return m
}

var dayGlyph = map[DayState]string{
	DayPractised: "■", DayFrozen: "❄", DayMissed: "×", DayOff: "–", DayOpen: "□", DayBefore: "·",
}

// RenderStreak shows a user's streak, freezes, points and the last four
// weeks as a grid, one row per week.
func RenderStreak(r StreakReport, points, answered int) Message {
	if answered == 0 {
		return Note("No graded practice yet. Answer a question with /mock or /daily answer to start a streak.")
	}
	line := fmt.Sprintf("Streak: %d day%s (longest %d). Freezes held: %d.", r.Current, plural(r.Current), r.Longest, r.Freezes)
	switch {
	case r.Today:
		line += " You have practised today."
	case r.Current > 0:
		line += " Practise today to keep it going."
	default:
		line += " Practise today to start a new one."
	}
	var rows []string
	for i := 0; i < len(r.LastWeeks); i += 7 {
		var b strings.Builder
		b.WriteString(r.LastWeeks[i].Day.Format("Jan 02") + "  ")
		for _, d := range r.LastWeeks[i:min(i+7, len(r.LastWeeks))] {
			b.WriteString(dayGlyph[d.State] + " ")
		}
		rows = append(rows, strings.TrimRight(b.String(), " "))
	}
	pts := fmt.Sprintf("Points: %d from %d graded answer%s.", points, answered, plural(answered))
	return Message{Text: line + " " + pts, Ephemeral: true, Blocks: []Block{
		{Kind: Section, Text: line},
		{Kind: Section, Text: "Last 4 weeks (■ practised, ❄ frozen, × missed, – day off, □ today):\n" + strings.Join(rows, "\n")},
		{Kind: Context, Text: pts},
	}}
}

// RenderLeaderboard shows the top of a board.
func RenderLeaderboard(period string, rows []store.LeaderRow) Message {
	head := "Leaderboard, " + period
	if len(rows) == 0 {
		return Message{Text: head + ": no points yet.", Ephemeral: true,
			Blocks: []Block{{Kind: Header, Text: head}, {Kind: Section, Text: "No points yet. Finish a /mock to get on the board."}}}
	}
	items := make([]string, len(rows))
	for i, r := range rows {
		items[i] = fmt.Sprintf("%d. %s: %d pts (%d answered, avg %.1f)", r.Rank, r.Name, r.Points, r.Answered, r.Average)
	}
	body := strings.Join(items, "\n")
	return Message{Text: head + "\n" + body, Ephemeral: true,
		Blocks: []Block{{Kind: Header, Text: head}, {Kind: Section, Text: body}}}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
