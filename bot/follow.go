package bot

import (
	"context"
	"errors"

	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

func (b *Bot) follow(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	if args == "" {
		return reply{text: followUsageText()}, nil
	}
	if ct, ok := b.store.Catalog().Compiled(args); ok {
		t := ct.Topic
		created, err := b.store.FollowTopic(ctx, in.chat.ID, in.threadID, t.Name)
		if errors.Is(err, subscriptions.ErrTooManySubscriptions) {
			return reply{text: tooManyText()}, nil
		}
		if err != nil || !created {
			return reply{text: followedText(t.Name, "the catalog topic "+t.Name, created)}, err
		}
		return reply{text: followedText(t.Name, "the catalog topic "+t.Name, created) + b.followPreview(ctx, in, ct)}, nil
	}
	q, err := match.ParseQuery(args)
	if err != nil {
		return reply{text: queryErrorText(err)}, nil
	}
	created, err := b.store.Follow(ctx, in.chat.ID, in.threadID, args)
	if errors.Is(err, subscriptions.ErrTooManySubscriptions) {
		return reply{text: tooManyText()}, nil
	}
	if err != nil || !created {
		return reply{text: followedText(args, q.String(), created)}, err
	}
	return reply{text: followedText(args, q.String(), created) + b.followPreview(ctx, in, q)}, nil
}
