package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/interviewbot/interviewbot/store"
)

// deleteConfirmWindow is how long a /me delete request waits for its
// confirmation.
const deleteConfirmWindow = 5 * time.Minute

// DeleteConfirmCommand is what the confirmation button runs, and what a
// console user types.
const DeleteConfirmCommand = "/me delete confirm"

// me answers a user's questions about their own data: what is stored
// (export) and its removal (delete, after a confirmation).
func (a *App) me(ctx context.Context, w Who, args []string) []Message {
	sub := ""
	if len(args) > 0 {
		sub = strings.ToLower(args[0])
	}
	switch {
	case sub == "export" && len(args) == 1:
		return a.meExport(ctx, w)
	case sub == "delete" && len(args) == 1:
		a.pendingMu.Lock()
		a.pendingDeletes[convKey(w)] = a.Now().Add(deleteConfirmWindow)
		a.pendingMu.Unlock()
		m := Note(fmt.Sprintf("This deletes everything stored about you in this workspace: interviews, answers, scores, streak, points and settings. It cannot be undone; /me export first if you want a copy. To go ahead, press the button or type %s within 5 minutes.", DeleteConfirmCommand))
		m.Blocks = append(m.Blocks, Block{Kind: Buttons, Buttons: []Button{{ID: CommandButton, Label: "Delete my data", Value: DeleteConfirmCommand}}})
		return []Message{m}
	case sub == "delete" && len(args) == 2 && strings.EqualFold(args[1], "confirm"):
		a.pendingMu.Lock()
		until, ok := a.pendingDeletes[convKey(w)]
		delete(a.pendingDeletes, convKey(w))
		a.pendingMu.Unlock()
		if !ok || a.Now().After(until) {
			return []Message{Note("Nothing was deleted: type /me delete first, then confirm within 5 minutes.")}
		}
		return a.meDelete(ctx, w)
	}
	return []Message{Note("Usage: /me export (a file of everything stored about you) or /me delete (remove it all, after a confirmation).")}
}

// CommandButton is the id of a button whose value is a command to run as
// the person who pressed it.
const CommandButton = "command"

// meExport is everything stored about the user, as a JSON file.
func (a *App) meExport(ctx context.Context, w Who) []Message {
	user, err := a.Store.FindUser(ctx, w.identity())
	if errors.Is(err, store.ErrNotFound) {
		return []Message{Note("Nothing is stored about you yet.")}
	}
	if err != nil {
		return a.failure(ctx, "export", w, err)
	}
	rows, err := a.Store.ExportUser(ctx, user.ID)
	if err != nil {
		return a.failure(ctx, "export", w, err)
	}
	doc := map[string]any{
		"exported_at": a.Now().UTC().Format(time.RFC3339),
		"platform":    w.Platform,
		"team":        w.Team,
		"user":        w.User,
		"tables":      rows,
	}
	if st := a.streakSummary(ctx, w, user); st != nil {
		doc["streak"] = st
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return a.failure(ctx, "export", w, err)
	}
	m := Note(fmt.Sprintf("Everything stored about you: %d interviews, %d graded answers, %d daily answers.", len(rows["sessions"]), len(rows["results"]), len(rows["daily_answers"])))
	m.Attachment = &File{Name: "interviewbot-export-" + safeName(w.User) + ".json", Type: "application/json", Data: data}
	return []Message{m}
}

// streakSummary is the user's streak for the export; nil when it cannot be
// worked out (the export goes on without it).
func (a *App) streakSummary(ctx context.Context, w Who, user store.User) map[string]any {
	cal, _, err := a.channelCalendar(ctx, w.channel())
	if err != nil {
		return nil
	}
	days, err := a.Store.PractisedDays(ctx, user.ID)
	if err != nil {
		return nil
	}
	today := a.Now().In(a.userLocation(ctx, user, w)).Format(time.DateOnly)
	s := ComputeStreak(days, cal, today)
	return map[string]any{"current": s.Current, "longest": s.Longest, "freezes": s.Freezes, "practised_days": days, "time_zone": user.TZ}
}

func (a *App) meDelete(ctx context.Context, w Who) []Message {
	defer a.lock(convKey(w))()
	user, err := a.Store.FindUser(ctx, w.identity())
	if errors.Is(err, store.ErrNotFound) {
		return []Message{Note("Nothing is stored about you.")}
	}
	if err != nil {
		return a.failure(ctx, "delete", w, err)
	}
	if err := a.Store.DeleteUser(ctx, user.ID); err != nil {
		return a.failure(ctx, "delete", w, err)
	}
	a.Log.Info("user data deleted", "platform", w.Platform, "team", w.Team, "user_row", user.ID)
	return []Message{Note("Done: everything stored about you here is deleted. If you use the bot again, it starts a new record.")}
}
