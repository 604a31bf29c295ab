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

// ChannelOwner is implemented by posters that serve only some channels (a
// Discord shard serves the servers it owns). The scheduler leaves other
// channels to the process that owns them, so a shared database never gets
// a claim or a reveal from a process that cannot send it.
type ChannelOwner interface {
	OwnsChannel(ch store.Channel) bool
}

// OwnsChannel reports whether this process may post to ch.
func (p Posters) OwnsChannel(ch store.Channel) bool {
	to, err := p.poster(ch)
	if err != nil {
		return false
	}
	return owns(to, ch)
}

func owns(p Poster, ch store.Channel) bool {
	if o, ok := p.(ChannelOwner); ok {
		return o.OwnsChannel(ch)
	}
	return true
}
