package bot

import (
	"context"
	"errors"

	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

func (b *Bot) follow(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	if args == "" {
		return reply{text: followUsageText(in.l)}, nil
	}
	if ct, ok := b.store.Catalog().Compiled(args); ok {
		t := ct.Topic
		created, err := b.store.FollowTopic(ctx, in.chat.ID, in.threadID, t.Name)
		if errors.Is(err, subscriptions.ErrTooManySubscriptions) {
			return reply{text: tooManyText(in.l)}, nil
		}
		name := topicName(in.l, t)
		text := followedText(in.l, name, in.l.T("follow_catalog_topic", "Topic", name), created)
		if err != nil || !created {
			return reply{text: text}, err
		}
		return reply{text: text + b.followPreview(ctx, in, ct)}, nil
	}
	q, err := match.ParseQuery(args)
	if err != nil {
		return reply{text: queryErrorText(in.l, err, "follow")}, nil
	}
	if name := q.Source(); name != "" {
		if _, ok := b.sourceSet().byKey(match.SourceKey(name)); !ok {
			return reply{text: in.l.T("follow_unknown_source", "Name", quote(name), "Names", b.sourceNames(in.l))}, nil
		}
	}
	created, err := b.store.Follow(ctx, in.chat.ID, in.threadID, args)
	if errors.Is(err, subscriptions.ErrTooManySubscriptions) {
		return reply{text: tooManyText(in.l)}, nil
	}
	if err != nil || !created {
		return reply{text: followedText(in.l, args, q.String(), created)}, err
	}
	return reply{text: followedText(in.l, args, q.String(), created) + b.followPreview(ctx, in, q)}, nil
}
