package discord

import (
	"context"

	"github.com/interviewbot/interviewbot/bot"
	"github.com/interviewbot/interviewbot/store"
)

// Post implements bot.Poster: the daily question (with its buttons) or the
// Monday board, in a channel. A server served by another shard is left to
// that shard's process.
func (a *Adapter) Post(ctx context.Context, ch store.Channel, msg bot.Message) (string, error) {
	if !a.Owns(ch.Team) {
		return "", ErrNotThisShard
	}
	return a.send(ctx, ch.ID, []bot.Message{msg})
}

// Reply implements bot.Poster: the recap goes in the thread under the
// daily question, which is started if nobody opened it.
func (a *Adapter) Reply(ctx context.Context, ch store.Channel, ref string, msg bot.Message) error {
	if !a.Owns(ch.Team) {
		return ErrNotThisShard
	}
	to := ch.ID
	if ref != "" {
		thread, err := a.threadUnder(ctx, ch.ID, ref)
		if err != nil {
			return err
		}
		to = thread
	}
	_, err := a.send(ctx, to, []bot.Message{msg})
	return err
}
