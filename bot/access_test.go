package bot

import (
	"errors"
	"strings"
	"testing"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions"
)

// TestPrivateBot runs a bot with an allowlist: a listed user is answered as usual, a stranger
// is told once that the bot is private (with their id) and then ignored, with nothing of
// theirs stored; an operator's /allow lets them in and /deny shuts them out again.
func TestPrivateBot(t *testing.T) {
	t.Parallel()
	olga := fakebotapi.User{ID: 1003, FirstName: "Olga"}
	h := newHarness(t, harnessOptions{Admins: []int64{olga.ID}, Bot: func(o *Options) {
		o.Access = AccessOptions{Private: true, Users: []int64{alice.ID}}
	}})
	h.start()
	if got := h.reply(aliceChat, alice, "/list").Text; !strings.Contains(got, "follows nothing yet") {
		t.Fatalf("a listed user's /list: %q", got)
	}
	if got := h.reply(bobChat, bob, "/start").Text; got != privateBotText(en, bob.ID) {
		t.Fatalf("a stranger's first message: %q", got)
	}
	if msgs := h.say(bobChat, bob, 0, "/help"); len(msgs) != 0 {
		t.Fatalf("a stranger's second message was answered: %+v", msgs)
	}
	if _, err := h.store.Chat(h.ctx, bob.ID); !errors.Is(err, subscriptions.ErrNotFound) {
		t.Fatalf("the stranger's chat was stored: %v", err)
	}
	// A listed user's commands work in a group no one listed; a stranger there is refused once.
	if msgs := h.say(newsGroup, alice, 0, "/list"); len(msgs) != 1 || strings.Contains(msgs[0].Text, "private") {
		t.Fatalf("a listed user in a group: %+v", msgs)
	}
	if msgs := h.say(newsGroup, bob, 0, "/list"); len(msgs) != 1 || msgs[0].Text != privateBotText(en, bob.ID) {
		t.Fatalf("a stranger in a group: %+v", msgs)
	}
	if msgs := h.say(newsGroup, bob, 0, "/list"); len(msgs) != 0 {
		t.Fatalf("a stranger in a group, again: %+v", msgs)
	}

	if got := h.reply(fakebotapi.PrivateChat(olga), olga, "/allow 1002").Text; !strings.HasPrefix(got, "✅") {
		t.Fatalf("/allow: %q", got)
	}
	if got := h.reply(bobChat, bob, "/follow storm").Text; !strings.HasPrefix(got, "✅ Following") {
		t.Fatalf("an allowed user's /follow: %q", got)
	}
	if got := h.reply(fakebotapi.PrivateChat(olga), olga, "/deny 1002").Text; !strings.HasPrefix(got, "⛔") {
		t.Fatalf("/deny: %q", got)
	}
	if msgs := h.say(bobChat, bob, 0, "/list"); len(msgs) != 0 {
		t.Fatalf("a denied user was answered: %+v", msgs)
	}
	if chat, err := h.store.Chat(h.ctx, bob.ID); err != nil || chat.Active {
		t.Fatalf("a denied chat still gets alerts: %+v, %v", chat, err)
	}
	if got := h.reply(aliceChat, alice, "/deny 1003").Text; got != operatorsOnlyText(en, "deny") {
		t.Fatalf("a user's /deny: %q", got)
	}
}
