package bot

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interviewbot/interviewbot/interview/rubric"
	"github.com/interviewbot/interviewbot/store"
)

// answerOneQuestion runs a one-question interview to its end for w.
func answerOneQuestion(t *testing.T, a *App, w Who, answer string) {
	t.Helper()
	ctx := context.Background()
	a.HandleCommand(ctx, w, Command{Name: "mock", Args: []string{"quick"}})
	for range 4 {
		msgs, err := a.HandleReply(ctx, w, answer)
		if err != nil {
			return // the interview ended
		}
		if strings.Contains(allText(msgs), "Scorecard") {
			return
		}
	}
	a.HandleReply(ctx, w, "end")
}

func TestMeExportAndDelete(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	ana := Who{Platform: "slack", Team: "T1", Channel: "C1", User: "U1", Name: "ana"}
	bo := Who{Platform: "slack", Team: "T1", Channel: "C1", User: "U2", Name: "bo"}
	answerOneQuestion(t, a, ana, "a unique marker sentence about caches and databases")
	answerOneQuestion(t, a, bo, "bo writes about replicas")

	msgs := a.HandleCommand(ctx, ana, Command{Name: "me", Args: []string{"export"}})
	if len(msgs) != 1 || msgs[0].Attachment == nil || !msgs[0].Ephemeral {
		t.Fatalf("export: %+v", msgs)
	}
	var doc struct {
		User   string                      `json:"user"`
		Tables map[string][]map[string]any `json:"tables"`
		Streak map[string]any              `json:"streak"`
	}
	if err := json.Unmarshal(msgs[0].Attachment.Data, &doc); err != nil {
		t.Fatal(err)
	}
	data := string(msgs[0].Attachment.Data)
	if doc.User != "U1" || len(doc.Tables["sessions"]) != 1 || doc.Streak == nil || !strings.Contains(data, "unique marker sentence") {
		t.Errorf("export lacks the user's data: %s", data)
	}
	if strings.Contains(data, "bo writes") {
		t.Error("export holds another user's answer")
	}

	// Confirmation without a request, then a request that expires.
	if got := allText(a.HandleCommand(ctx, ana, Command{Name: "me", Args: []string{"delete", "confirm"}})); !strings.Contains(got, "Nothing was deleted") {
		t.Errorf("unrequested confirm: %q", got)
	}
	req := a.HandleCommand(ctx, ana, Command{Name: "me", Args: []string{"delete"}})
	if !strings.Contains(allText(req), DeleteConfirmCommand) || len(req[0].Blocks) < 2 || req[0].Blocks[len(req[0].Blocks)-1].Buttons[0].Value != DeleteConfirmCommand {
		t.Fatalf("delete request: %+v", req)
	}
	later := a.Now().Add(6 * time.Minute)
	a.Now = func() time.Time { return later }
	if got := allText(a.HandleCommand(ctx, ana, Command{Name: "me", Args: []string{"delete", "confirm"}})); !strings.Contains(got, "Nothing was deleted") {
		t.Errorf("expired confirm: %q", got)
	}
	a.HandleCommand(ctx, ana, Command{Name: "me", Args: []string{"delete"}})
	if got := allText(a.HandleCommand(ctx, ana, Command{Name: "me", Args: []string{"delete", "confirm"}})); !strings.Contains(got, "Done") {
		t.Fatalf("confirmed delete: %q", got)
	}
	if _, err := a.Store.FindUser(ctx, ana.identity()); err != store.ErrNotFound {
		t.Errorf("user still stored: %v", err)
	}
	if got := allText(a.HandleCommand(ctx, ana, Command{Name: "me", Args: []string{"export"}})); !strings.Contains(got, "Nothing is stored") {
		t.Errorf("export after delete: %q", got)
	}
	board := allText(a.HandleCommand(ctx, bo, Command{Name: "leaderboard", Args: []string{"all"}}))
	if strings.Contains(board, "ana") || !strings.Contains(board, "bo") {
		t.Errorf("board after delete:\n%s", board)
	}
	if got := allText(a.HandleCommand(ctx, ana, Command{Name: "me", Args: []string{"frobnicate"}})); !strings.Contains(got, "Usage: /me export") {
		t.Errorf("bad /me: %q", got)
	}
}

func TestRetentionPurgesOldAnswerTextOnSchedule(t *testing.T) {
	clock := &testClock{}
	clock.Set("2026-05-04T10:00:00Z")
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := NewApp(Config{Store: st, Bank: testBank(t), Evaluator: rubric.New(), Now: clock.Now, Location: time.UTC, Seed: 3})
	a.RetentionDays = 30
	ana := Who{Platform: "slack", Team: "T1", Channel: "C1", User: "U1", Name: "ana"}
	answerOneQuestion(t, a, ana, "a unique marker sentence about caches and databases")
	export := func() string {
		msgs := a.HandleCommand(context.Background(), ana, Command{Name: "me", Args: []string{"export"}})
		return string(msgs[0].Attachment.Data)
	}
	Scheduler{a}.Tick(context.Background())
	if !strings.Contains(export(), "unique marker") {
		t.Fatal("fresh answer text purged")
	}
	clock.Set("2026-06-04T10:00:00Z") // 31 days later
	Scheduler{a}.Tick(context.Background())
	out := export()
	if strings.Contains(out, "unique marker") {
		t.Error("answer text older than the retention period kept")
	}
	if !strings.Contains(out, `"score"`) || !strings.Contains(out, `"results"`) {
		t.Error("scores lost with the text")
	}
}

// A user's local day comes from their own setting, else their platform
// profile, else the channel's daily-question zone.
func TestLocalDayFallsBackToProfileThenChannelZone(t *testing.T) {
	clock := &testClock{}
	clock.Set("2026-06-01T20:00:00Z") // 01:30 on 2 June in Kolkata, 16:00 on 1 June in New York
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "z.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := NewApp(Config{Store: st, Bank: testBank(t), Evaluator: rubric.New(), Now: clock.Now, Location: time.UTC, Seed: 3})
	ctx := context.Background()
	a.HandleCommand(ctx, admin, Command{Name: "daily", Args: []string{"setup"}, Raw: "setup time=09:00 tz=Asia/Kolkata"})
	days := func(w Who) []string {
		u, err := st.FindUser(ctx, w.identity())
		if err != nil {
			t.Fatal(err)
		}
		d, err := st.PractisedDays(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	plain := Who{Platform: "slack", Team: "T1", Channel: "C1", User: "U7", Name: "cy"}
	answerOneQuestion(t, a, plain, "caches keep hot rows in memory so reads skip the database")
	if got := days(plain); len(got) != 1 || got[0] != "2026-06-02" {
		t.Errorf("no zone set: practised %v, want the channel's day 2026-06-02", got)
	}
	profiled := Who{Platform: "slack", Team: "T1", Channel: "C1", User: "U8", Name: "di", TZ: "America/New_York"}
	answerOneQuestion(t, a, profiled, "caches keep hot rows in memory so reads skip the database")
	if got := days(profiled); len(got) != 1 || got[0] != "2026-06-01" {
		t.Errorf("profile zone: practised %v, want 2026-06-01", got)
	}
}
