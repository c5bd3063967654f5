package bot

import (
	"context"
	"fmt"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// In groups and channels only administrators change what the chat follows; anyone may read
// (/list, /latest, /search, /help). Telegram's answer to getChatMember is cached briefly so
// that a burst of button presses costs one call, and a demoted admin loses the right within
// adminCacheTTL.
const adminCacheTTL = time.Minute

// notAdminAnswer is the callback answer to a non-admin's press.
const notAdminAnswer = "Only this chat's administrators can change what it follows."

// changingCommands are the commands that change what a chat follows or how.
var changingCommands = map[string]bool{"follow": true, "unfollow": true, "digest": true, "channel": true}

// readOnlyCallback reports whether buttons with this callback prefix only read.
func readOnlyCallback(prefix string) bool {
	return prefix == searchPagePrefix || prefix == topicsPagePrefix
}

// adminCache remembers who is an administrator where, for adminCacheTTL.
type adminCache struct {
	mu      sync.Mutex
	entries map[[2]int64]adminCacheEntry // {chat, user}
}

type adminCacheEntry struct {
	admin   bool
	expires time.Time
}

// isAdmin reports whether userID administers chatID, asking Telegram when the cache has no
// fresh answer.
func (b *Bot) isAdmin(ctx context.Context, chatID, userID int64) (bool, error) {
	key := [2]int64{chatID, userID}
	now := b.opts.Now()
	c := &b.chatAdmins
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.admin, nil
	}
	return b.askAdmin(ctx, chatID, userID)
}

// askAdmin asks Telegram whether userID administers chatID, and caches the answer.
func (b *Bot) askAdmin(ctx context.Context, chatID, userID int64) (bool, error) {
	now := b.opts.Now()
	c := &b.chatAdmins
	m, err := b.tg.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: chatID, UserID: userID})
	if err != nil {
		return false, fmt.Errorf("bot: getChatMember %d in %d: %s", userID, chatID, b.redact(err))
	}
	admin := m.Type == models.ChatMemberTypeOwner || m.Type == models.ChatMemberTypeAdministrator
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[[2]int64]adminCacheEntry{}
	}
	for k, old := range c.entries { // keep the cache small: drop what expired
		if !now.Before(old.expires) {
			delete(c.entries, k)
		}
	}
	c.entries[[2]int64{chatID, userID}] = adminCacheEntry{admin: admin, expires: now.Add(adminCacheTTL)}
	c.mu.Unlock()
	return admin, nil
}

// mayChange reports whether the sender of in may change what in.chat follows: always in a
// private chat; in a channel for a post (posts are made by its admins) or an admin; in a group
// for an admin, including an anonymous one (who writes as the group itself).
func (b *Bot) mayChange(ctx context.Context, in incoming) (bool, error) {
	switch {
	case in.chat.Type == string(models.ChatTypePrivate):
		return true, nil
	case in.fromChat != 0 && in.fromChat == in.chat.ID:
		return true, nil // an anonymous admin, or a channel's own post
	case in.from == 0:
		return in.chat.Type == string(models.ChatTypeChannel), nil
	}
	return b.isAdmin(ctx, in.chat.ID, in.from)
}

// refuseChange answers a command that changes subscriptions, sent by someone who may not;
// refused is false when the command may go ahead.
func (b *Bot) refuseChange(ctx context.Context, in incoming, name string) (r reply, refused bool, err error) {
	if !changingCommands[name] {
		return reply{}, false, nil
	}
	ok, err := b.mayChange(ctx, in)
	if err != nil || ok {
		return reply{}, false, err
	}
	return reply{text: notAdminText()}, true, nil
}

func notAdminText() string {
	return "🔒 Only this chat's administrators can change what it follows. Anyone can see it with /list."
}
