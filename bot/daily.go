package bot

import (
	"context"
	"errors"
	"fmt"
	"github.com/interviewbot/interviewbot/internal/telemetry"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/questions"
	"github.com/interviewbot/interviewbot/store"
)

// Poster sends the scheduler's messages to a channel: the daily question,
// and replies in its thread (the recap). Adapters implement it.
type Poster interface {
	Post(ctx context.Context, ch store.Channel, msg Message) (ref string, err error)
	Reply(ctx context.Context, ch store.Channel, ref string, msg Message) error
}

func (w Who) channel() store.Channel {
	return store.Channel{Platform: w.Platform, Team: w.Team, ID: w.Channel}
}

// daily runs /daily and its subcommands.
func (a *App) daily(ctx context.Context, w Who, args []string, raw string) []Message {
	sub := "status"
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "setup", "off", "skip", "now":
		if !w.Admin {
			return []Message{Note(fmt.Sprintf("Only an admin can use /daily %s. /daily status shows the channel's settings.", sub))}
		}
	}
	switch sub {
	case "setup":
		return a.dailySetup(ctx, w, strings.Fields(raw)[1:])
	case "status":
		return a.dailyStatus(ctx, w)
	case "off":
		sc, err := a.Store.Schedule(ctx, w.channel())
		if errors.Is(err, store.ErrNotFound) {
			return []Message{Note("This channel has no daily question to switch off.")}
		}
		if err != nil {
			return a.failure(ctx, "daily off", w, err)
		}
		sc.Enabled = false
		if err := a.Store.SaveSchedule(ctx, sc); err != nil {
			return a.failure(ctx, "daily off", w, err)
		}
		return []Message{Note("Daily question switched off for this channel. /daily setup switches it on again with the same settings.")}
	case "skip":
		if len(args) != 2 {
			return []Message{Note("Usage: /daily skip YYYY-MM-DD (a holiday: no question that day, and streaks neither break nor grow).")}
		}
		day, err := time.Parse(time.DateOnly, args[1])
		if err != nil {
			return []Message{Note(fmt.Sprintf("%q is not a date; use YYYY-MM-DD, e.g. /daily skip 2026-12-24.", truncateRunes(args[1], 20)))}
		}
		if err := a.Store.AddSkip(ctx, w.channel(), day.Format(time.DateOnly)); err != nil {
			return a.failure(ctx, "daily skip", w, err)
		}
		return []Message{Note("No daily question on " + day.Format("Mon 2 Jan 2006") + ".")}
	case "now":
		sc, err := a.Store.Schedule(ctx, w.channel())
		if errors.Is(err, store.ErrNotFound) {
			sc = DefaultSchedule(w.channel(), a.Location.String())
			if sc.TZ == "Local" {
				sc.TZ = "UTC"
			}
		} else if err != nil {
			return a.failure(ctx, "daily now", w, err)
		}
		posted, err := a.postDaily(ctx, sc, a.Now())
		if err != nil {
			return a.failure(ctx, "daily now", w, err)
		}
		if !posted {
			return []Message{Note("Today's daily question is already posted in this channel.")}
		}
		return nil
	case "answer":
		return []Message{Note("Type your answer as your next message (end a line with \\ to continue it). Add share to show it in the recap: /daily answer share.")}
	}
	return []Message{Note("Usage: /daily setup|status|off|skip YYYY-MM-DD|now|answer [share]")}
}

func (a *App) dailySetup(ctx context.Context, w Who, args []string) []Message {
	base, err := a.Store.Schedule(ctx, w.channel())
	if errors.Is(err, store.ErrNotFound) {
		zone := a.Location.String()
		if zone == "Local" {
			zone = "UTC"
		}
		base = DefaultSchedule(w.channel(), zone)
	} else if err != nil {
		return a.failure(ctx, "daily setup", w, err)
	}
	sc, err := ParseSchedule(base, args, a.Bank)
	if err != nil {
		return a.failure(ctx, "daily setup", w, err)
	}
	if err := a.Store.SaveSchedule(ctx, sc); err != nil {
		return a.failure(ctx, "daily setup", w, err)
	}
	a.wakeScheduler()
	return append([]Message{Note("Daily question set: " + describeSchedule(sc) + ".")}, a.dailyStatus(ctx, w)...)
}

func (a *App) dailyStatus(ctx context.Context, w Who) []Message {
	sc, err := a.Store.Schedule(ctx, w.channel())
	if errors.Is(err, store.ErrNotFound) {
		return []Message{Note("No daily question here yet. Try: /daily setup time=09:30 tz=Europe/Berlin days=mon-fri topics=caching,databases level=mid reveal=8h")}
	}
	if err != nil {
		return a.failure(ctx, "daily status", w, err)
	}
	if !sc.Enabled {
		return []Message{Note("The daily question is off here (" + describeSchedule(sc) + "). /daily setup switches it on.")}
	}
	skips, err := a.Store.Skips(ctx, w.channel())
	if err != nil {
		return a.failure(ctx, "daily status", w, err)
	}
	loc, _ := time.LoadLocation(sc.TZ)
	today := a.Now().In(loc).Format(time.DateOnly)
	post, err := a.Store.PostOn(ctx, w.channel(), today)
	posted := err == nil && post.Sent
	next, err := NextPost(sc, skips, posted, a.Now())
	if err != nil {
		return a.failure(ctx, "daily status", w, err)
	}
	return []Message{Note(fmt.Sprintf("Daily question: %s. Next post: %s.", describeSchedule(sc), next.In(loc).Format("Mon 2 Jan 15:04 MST")))}
}

// pickDaily chooses a channel's question: no repeat until the pool of the
// schedule's topics and level is used up, and within the least-used
// questions, the topic posted least so far.
func pickDaily(bank *questions.Bank, sc store.Schedule, used map[string]int, rng *rand.Rand) *questions.Question {
	var pool []*questions.Question
	for _, q := range bank.Filter("", questions.Level(sc.Level)) {
		if q.Kind == questions.KindDesign || (len(sc.Topics) > 0 && !slices.Contains(sc.Topics, q.Topic)) {
			continue
		}
		pool = append(pool, q)
	}
	if len(pool) == 0 {
		return nil
	}
	fewest := used[pool[0].ID]
	for _, q := range pool {
		fewest = min(fewest, used[q.ID])
	}
	topicUse := map[string]int{}
	for _, q := range pool {
		topicUse[q.Topic] += used[q.ID]
	}
	var cands []*questions.Question
	for _, q := range pool {
		if used[q.ID] == fewest {
			cands = append(cands, q)
		}
	}
	rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	sort.SliceStable(cands, func(i, j int) bool { return topicUse[cands[i].Topic] < topicUse[cands[j].Topic] })
	return cands[0]
}

// postDaily claims and sends today's question for a schedule. It reports
// false when the day was already claimed elsewhere.
func (a *App) postDaily(ctx context.Context, sc store.Schedule, now time.Time) (bool, error) {
	loc, err := time.LoadLocation(sc.TZ)
	if err != nil {
		return false, err
	}
	day := now.In(loc).Format(time.DateOnly)
	existing, err := a.Store.PostOn(ctx, sc.Channel, day)
	var q *questions.Question
	switch {
	case err == nil:
		// An unsent claim is retried with the question it was made for.
		if existing.Sent {
			return false, nil
		}
		q, _ = a.Bank.Get(existing.QuestionID)
	case errors.Is(err, store.ErrNotFound):
		used, err := a.Store.UsedQuestions(ctx, sc.Channel)
		if err != nil {
			return false, err
		}
		a.rngMu.Lock()
		q = pickDaily(a.Bank, sc, used, a.rng)
		a.rngMu.Unlock()
	default:
		return false, err
	}
	if q == nil {
		return false, interview.Errorf(interview.NotFound, "No question matches this channel's daily topics and level.")
	}
	post, mine, err := a.Store.ClaimPost(ctx, store.Post{Channel: sc.Channel, Day: day, QuestionID: q.ID, RevealAt: now.Add(sc.Reveal)})
	if err != nil || !mine {
		return false, err
	}
	if a.Poster == nil {
		return false, interview.Errorf(interview.Unavailable, "There is no channel to post to.")
	}
	ref, err := a.Poster.Post(ctx, sc.Channel, RenderDaily(q, post, loc))
	telemetry.DailyPost(err == nil)
	if err != nil {
		// The claim stays unsent; after its lease a later tick retries it.
		return false, fmt.Errorf("send daily question: %w", err)
	}
	if err := a.Store.MarkSent(ctx, post.ID, ref); err != nil {
		return false, err
	}
	a.Log.Info("daily question posted", "platform", sc.Platform, "team", sc.Team, "channel", sc.ID, "day", day, "question", q.ID)
	return true, nil
}

// RenderDaily lays out a daily question post.
func RenderDaily(q *questions.Question, post store.Post, loc *time.Location) Message {
	head := fmt.Sprintf("Daily question · %s (%s, %s)", q.Title, q.Topic, q.Level)
	return Message{
		Text: head + "\n" + q.Prompt,
		Blocks: []Block{
			{Kind: Header, Text: head},
			{Kind: Section, Text: q.Prompt},
			{Kind: Context, Text: "Answer privately: your answer is graded at once and only you see the feedback. Answers are revealed at " + post.RevealAt.In(loc).Format("15:04 MST") + ". In the console: /daily answer [share]."},
			{Kind: Buttons, Buttons: []Button{{ID: "daily-answer", Label: "Answer privately", Value: fmt.Sprint(post.ID)}, {ID: "daily-discuss", Label: "Discuss in thread", Value: fmt.Sprint(post.ID)}}},
		},
	}
}

// DailyAnswer grades a user's private answer to the channel's open daily
// question. A second answer before the reveal replaces the first.
func (a *App) DailyAnswer(ctx context.Context, w Who, answer string, share bool) []Message {
	return a.DailyAnswerTo(ctx, w, "", answer, share)
}

// DailyForm says which question a daily answer form should show and which
// post its answer will count for: the post a button carried ("" for the
// channel's latest), while it is still open. Otherwise it returns the note
// to show instead (always one), so nobody types an answer that cannot be
// recorded.
func (a *App) DailyForm(ctx context.Context, ch store.Channel, postID string) (*questions.Question, string, []Message) {
	post, q, refusal, err := a.openPost(ctx, ch, postID)
	if err != nil {
		a.Log.Error("daily form", "channel", ch.ID, "err", err)
		return nil, "", []Message{Note(interview.UserMessage(err))}
	}
	if refusal != nil {
		return nil, "", []Message{*refusal}
	}
	return q, strconv.FormatInt(post.ID, 10), nil
}

// openPost finds the channel's daily post that an answer may still go to:
// the latest, when postID is "" or names it, not yet revealed, its question
// still in the bank. A refusal is the note telling the user why not; err is
// a database failure.
func (a *App) openPost(ctx context.Context, ch store.Channel, postID string) (store.Post, *questions.Question, *Message, error) {
	refuse := func(m Message) (store.Post, *questions.Question, *Message, error) { return store.Post{}, nil, &m, nil }
	post, err := a.latestPost(ctx, ch, postID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return refuse(Note("There is no daily question in this channel yet. An admin can start one with /daily setup, or post one now with /daily now."))
	case err != nil:
		return post, nil, nil, err
	case postID != "" && postID != strconv.FormatInt(post.ID, 10):
		return refuse(Note("That daily question has closed, so this answer was not recorded. Answer the latest one in this channel."))
	case post.Revealed:
		return refuse(Note("The last daily question has been revealed; the next one opens at its scheduled time."))
	}
	q, ok := a.Bank.Get(post.QuestionID)
	if !ok {
		return refuse(Note("Today's question is no longer in the bank, so it cannot be graded."))
	}
	return post, q, nil, nil
}

// latestPost is the channel's latest daily post, counting the one a button
// names as sent: someone pressed its button, so its message is in the
// channel even if recording that it was sent has not finished.
func (a *App) latestPost(ctx context.Context, ch store.Channel, postID string) (store.Post, error) {
	if id, err := strconv.ParseInt(postID, 10, 64); err == nil {
		return a.Store.LatestPostShown(ctx, ch, id)
	}
	return a.Store.LatestPost(ctx, ch)
}

// DailyAnswerTo grades an answer to one daily post, named by the id its
// button carried ("" for the channel's latest). A form opened on yesterday's
// question must not be graded against today's.
func (a *App) DailyAnswerTo(ctx context.Context, w Who, postID, answer string, share bool) []Message {
	defer a.lock(convKey(w))()
	user, err := a.Store.EnsureUser(ctx, w.identity())
	if err != nil {
		return a.failure(ctx, "daily answer", w, err)
	}
	post, q, refusal, err := a.openPost(ctx, w.channel(), postID)
	if err != nil {
		return a.failure(ctx, "daily answer", w, err)
	}
	if refusal != nil {
		return []Message{*refusal}
	}
	ev, err := a.Engine.Evaluator.Evaluate(interview.WithActor(ctx, interview.Actor{Team: w.Platform + ":" + w.Team, User: w.User}), interview.Request{Question: q, Answer: answer})
	if err != nil {
		return a.failure(ctx, "daily grade", w, interview.Wrap(err, interview.Unavailable, "I could not grade that answer just now; it was not recorded. Please send it again."))
	}
	if ev.Flag == interview.FlagEmpty {
		return []Message{Note(ev.Feedback)}
	}
	score := interview.ScoreEvaluations(q, nil, ev)
	res := interview.Result{QuestionID: q.ID, Topic: q.Topic, Level: string(q.Level), Score: score, Points: interview.Points(score, q.Level), Answered: true, Grader: ev.Grader}
	da := store.DailyAnswer{PostID: post.ID, UserID: user.ID, Answer: answer, Evaluation: ev, Score: score, Share: share}
	if err := a.Store.SaveDailyAnswer(ctx, post, da, res, a.userLocation(ctx, user, w), a.boardLocation(ctx, w.channel())); err != nil {
		return a.failure(ctx, "daily answer", w, err)
	}
	return []Message{RenderDailyFeedback(q, ev, score, post, share)}
}

// RenderDailyFeedback is the private feedback on a daily answer.
func RenderDailyFeedback(q *questions.Question, ev interview.Evaluation, score float64, post store.Post, share bool) Message {
	m := Message{Ephemeral: true, Text: fmt.Sprintf("Your answer to %q: %.1f/10", q.Title, score)}
	m.Blocks = append(m.Blocks, Block{Kind: Header, Text: fmt.Sprintf("Daily answer: %.1f/10", score)})
	for _, n := range ev.Notices {
		m.Blocks = append(m.Blocks, Block{Kind: Context, Text: n})
	}
	if ev.Feedback != "" {
		m.Blocks = append(m.Blocks, Block{Kind: Section, Text: ev.Feedback})
	}
	var made, missed []string
	for _, v := range ev.Verdicts {
		kp, _ := q.KeyPoint(v.KeyPoint)
		switch v.Verdict {
		case interview.Present:
			made = append(made, "✓ "+kp.Text)
		case interview.Partial:
			made = append(made, "½ "+kp.Text)
		default:
			missed = append(missed, "✗ "+hintOrText(kp))
		}
	}
	if len(made) > 0 {
		m.Blocks = append(m.Blocks, Block{Kind: Bullets, Items: made})
	}
	if len(missed) > 0 {
		// Before the reveal, missed points show as hints, not answers, so a
		// resubmission still has to be worked out.
		m.Blocks = append(m.Blocks, Block{Kind: Section, Text: "To think about"}, Block{Kind: Bullets, Items: missed})
	}
	foot := "You can answer again before the reveal; your latest answer counts."
	if share {
		foot += " Your answer may be shown in the recap."
	}
	m.Blocks = append(m.Blocks, Block{Kind: Context, Text: foot})
	return m
}

func hintOrText(kp questions.KeyPoint) string {
	if kp.Hint != "" {
		return kp.Hint
	}
	return "one more key point"
}

// recap posts the reveal in the question's thread: key points, how many
// answered, an anonymous score distribution, and the best shared answers.
func (a *App) recap(ctx context.Context, post store.Post) error {
	q, ok := a.Bank.Get(post.QuestionID)
	if !ok {
		return nil
	}
	answers, err := a.Store.DailyAnswers(ctx, post.ID)
	if err != nil {
		return err
	}
	err = a.Poster.Reply(ctx, post.Channel, post.MessageRef, RenderRecap(q, answers))
	telemetry.DailyPost(err == nil)
	return err
}

// RenderRecap lays out a daily recap.
func RenderRecap(q *questions.Question, answers []store.DailyAnswer) Message {
	head := "Recap · " + q.Title
	m := Message{Text: fmt.Sprintf("%s: %d answered", head, len(answers))}
	m.Blocks = append(m.Blocks, Block{Kind: Header, Text: head})
	var kps []string
	for _, kp := range q.KeyPoints {
		kps = append(kps, kp.Text)
	}
	m.Blocks = append(m.Blocks, Block{Kind: Section, Text: "Key points"}, Block{Kind: Bullets, Items: kps})
	if len(answers) == 0 {
		m.Blocks = append(m.Blocks, Block{Kind: Context, Text: "Nobody answered this one. The next question is a fresh chance."})
		return m
	}
	buckets := []struct {
		label  string
		lo, hi float64
	}{{"0–3", 0, 3.95}, {"4–6", 4, 6.95}, {"7–8", 7, 8.95}, {"9–10", 9, 10}}
	var dist []Field
	for _, b := range buckets {
		n := 0
		for _, ans := range answers {
			if ans.Score >= b.lo && ans.Score <= b.hi {
				n++
			}
		}
		dist = append(dist, Field{Label: b.label, Value: strings.Repeat("■", n) + fmt.Sprintf(" %d", n)})
	}
	m.Blocks = append(m.Blocks, Block{Kind: Section, Text: fmt.Sprintf("%d answered. Scores:", len(answers))}, Block{Kind: Fields, Fields: dist})
	shown := 0
	for _, ans := range answers {
		if !ans.Share || ans.Score < 6 || shown == 2 {
			continue
		}
		text, cut := truncateAnswer(ans.Answer, 600)
		if cut {
			text += " …"
		}
		m.Blocks = append(m.Blocks, Block{Kind: Section, Text: fmt.Sprintf("%s (%.1f/10):", ans.UserName, ans.Score)}, Block{Kind: Quote, Text: text})
		shown++
	}
	return m
}

func truncateAnswer(s string, n int) (string, bool) {
	r := []rune(s)
	if len(r) <= n {
		return s, false
	}
	return string(r[:n]), true
}

func (a *App) wakeScheduler() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// Scheduler posts daily questions, recaps and Monday summaries on time.
// It sleeps until the next thing is due (at most a minute, so schedule
// changes and reveals are picked up) and never relies on waking at an
// exact minute: each tick does whatever is due and not yet done.
type Scheduler struct{ App *App }

// Tick does everything due at the app's current time and returns when the
// next scheduled post falls due.
func (s Scheduler) Tick(ctx context.Context) (time.Time, error) {
	a := s.App
	now := a.Now()
	next := now.Add(time.Hour)
	schedules, err := a.Store.Schedules(ctx)
	if err != nil {
		return now.Add(time.Minute), err
	}
	var errs []error
	for _, sc := range schedules {
		if a.Poster != nil && !owns(a.Poster, sc.Channel) {
			continue
		}
		loc, err := time.LoadLocation(sc.TZ)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		skips, err := a.Store.Skips(ctx, sc.Channel)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		local := now.In(loc)
		today := time.Date(local.Year(), local.Month(), local.Day(), 12, 0, 0, 0, loc)
		post, err := a.Store.PostOn(ctx, sc.Channel, today.Format(time.DateOnly))
		posted := err == nil && post.Sent
		if !posted && postsOn(sc, today, skips) && !now.Before(dueAt(sc, loc, today)) {
			ok, err := a.postDaily(ctx, sc, now)
			if err != nil {
				errs = append(errs, err)
			}
			posted = ok
		}
		if today.Weekday() == time.Monday && !now.Before(dueAt(sc, loc, today)) {
			if err := a.mondaySummary(ctx, sc, today, loc); err != nil {
				errs = append(errs, err)
			}
		}
		if due, err := NextPost(sc, skips, posted, now); err == nil && due.Before(next) {
			next = due
		}
	}
	if err := a.purgeOldAnswers(ctx, now); err != nil {
		errs = append(errs, err)
	}
	reveals, err := a.Store.PostsToReveal(ctx, now)
	if err != nil {
		errs = append(errs, err)
	}
	for _, p := range reveals {
		if a.Poster != nil && !owns(a.Poster, p.Channel) {
			continue
		}
		// Claimed first, so two processes do not both send it; marked
		// revealed only once it went out, so a failed send is retried.
		mine, err := a.Store.ClaimReveal(ctx, p.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !mine {
			continue
		}
		if err := a.recap(ctx, p); err != nil {
			if now.Sub(p.RevealAt) < recapRetryWindow {
				errs = append(errs, fmt.Errorf("recap in %s (retried): %w", p.Channel.ID, err))
				continue
			}
			// A channel the bot can no longer post in would be retried
			// forever; past the window the answers close without a recap.
			a.Log.Warn("daily recap abandoned", "channel", p.Channel.ID, "post", p.ID, "err", err)
		}
		if _, err := a.Store.MarkRevealed(ctx, p.ID); err != nil {
			errs = append(errs, err)
		}
	}
	return next, errors.Join(errs...)
}

// recapRetryWindow is how long after its reveal time a recap that fails to
// send is retried.
const recapRetryWindow = 6 * time.Hour

// purgeOldAnswers applies the retention period once a UTC day.
func (a *App) purgeOldAnswers(ctx context.Context, now time.Time) error {
	if a.RetentionDays <= 0 {
		return nil
	}
	day := now.UTC().Format(time.DateOnly)
	if last, _ := a.purgedOn.Load().(string); last == day {
		return nil
	}
	n, err := a.Store.PurgeAnswerText(ctx, now.AddDate(0, 0, -a.RetentionDays))
	if err != nil {
		return fmt.Errorf("retention purge: %w", err)
	}
	a.purgedOn.Store(day)
	if n > 0 {
		a.Log.Info("answer text past retention blanked", "rows", n, "days", a.RetentionDays)
	}
	return nil
}

// Run ticks until ctx is done.
func (s Scheduler) Run(ctx context.Context) error {
	for {
		next, err := s.Tick(ctx)
		if err != nil && ctx.Err() == nil {
			s.App.Log.Warn("daily scheduler", "err", err)
		}
		wait := min(max(time.Until(next), time.Second), time.Minute)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.App.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// mondaySummary posts last week's board and a short team summary in a
// scheduled channel, once per Monday (claimed like a daily post).
func (a *App) mondaySummary(ctx context.Context, sc store.Schedule, monday time.Time, loc *time.Location) error {
	key := "week-" + monday.Format(time.DateOnly)
	if p, err := a.Store.PostOn(ctx, sc.Channel, key); err == nil && p.Sent {
		return nil
	}
	post, mine, err := a.Store.ClaimPost(ctx, store.Post{Channel: sc.Channel, Day: key, RevealAt: a.Now()})
	if err != nil || !mine {
		return err
	}
	lastWeek := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, -3)
	rows, err := a.Store.Board(ctx, store.BoardQuery{Platform: sc.Platform, Team: sc.Team, Channel: sc.ID,
		Period: store.PeriodWeek, At: lastWeek, MinAnswers: a.BoardMinAnswers, Limit: 5})
	if err != nil {
		return err
	}
	all, err := a.Store.Board(ctx, store.BoardQuery{Platform: sc.Platform, Team: sc.Team, Channel: sc.ID,
		Period: store.PeriodWeek, At: lastWeek, MinAnswers: 1, Limit: 1000})
	if err != nil {
		return err
	}
	answers, sum := 0, 0.0
	for _, r := range all {
		answers += r.Answered
		sum += r.Average * float64(r.Answered)
	}
	if answers == 0 {
		// A board of nobody is noise; the claim stays, so it is not retried.
		return a.Store.MarkSent(ctx, post.ID, "")
	}
	msg := RenderLeaderboard("last week", rows)
	msg.Ephemeral = false
	summary := fmt.Sprintf("Last week %d people answered %d questions here, averaging %.1f/10.", len(all), answers, sum/float64(answers))
	msg.Blocks = append(msg.Blocks, Block{Kind: Context, Text: summary})
	msg.Text += "\n" + summary
	ref, err := a.Poster.Post(ctx, sc.Channel, msg)
	if err != nil {
		return err
	}
	return a.Store.MarkSent(ctx, post.ID, ref)
}
