package bot

import (
	"context"
	"fmt"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Telegram's answer to getChatMember is cached for adminCacheTTL so that a burst of button
// presses costs one call; commands that change a chat ask again (see gate.go).
const adminCacheTTL = time.Minute

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
