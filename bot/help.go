package bot

import (
	"context"

	"livealert/subscriptions"
)

func (b *Bot) helpCommand(_ context.Context, in incoming, _ subscriptions.Chat, _ string) (reply, error) {
	return reply{text: helpText(in.l, b.cmds.list, placeOf(in), placeOf(in) == inPrivate && b.admins[in.from])}, nil
}
