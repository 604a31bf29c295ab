package bot

import (
	"context"
	"fmt"

	"github.com/interviewbot/interviewbot/store"
)

// Posters routes scheduled messages to the adapter of each channel's
// platform, for a bot serving several platforms at once.
type Posters map[string]Poster

func (p Posters) poster(ch store.Channel) (Poster, error) {
	if to, ok := p[ch.Platform]; ok && to != nil {
		return to, nil
	}
	return nil, fmt.Errorf("no %q platform is connected to post to channel %s", ch.Platform, ch.ID)
}

// Post sends msg to the channel on its platform.
func (p Posters) Post(ctx context.Context, ch store.Channel, msg Message) (string, error) {
	to, err := p.poster(ch)
	if err != nil {
		return "", err
	}
	return to.Post(ctx, ch, msg)
}

// Reply answers the message ref in the channel on its platform.
func (p Posters) Reply(ctx context.Context, ch store.Channel, ref string, msg Message) error {
	to, err := p.poster(ch)
	if err != nil {
		return err
	}
	return to.Reply(ctx, ch, ref, msg)
}
