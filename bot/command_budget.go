package bot

import (
	"context"
	"livealert/bot/locale"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"
)

// A user's command budget: budgetBurst commands (or button presses) at once, then one every
// budgetEvery. Past it the user gets the slow_down message once and is ignored for budgetTimeout.
const (
	budgetBurst   = 20
	budgetEvery   = 3 * time.Second // 20 a minute
	budgetTimeout = time.Minute
	budgetSweep   = 10_000 // users tracked before the idle ones are dropped
)

// slowDownID is the message that answers the first command (or press) over a user's budget,
// in the user's language.
const slowDownID = "slow_down"

// commandBudget is each user's command budget, a token bucket on the clock now. A nil
// *commandBudget allows everything.
type commandBudget struct {
	now func() time.Time

	mu    sync.Mutex
	users map[int64]*userBudget
}

type userBudget struct {
	bucket  *rate.Limiter
	ignored time.Time // commands are ignored until then
}

func newCommandBudget(now func() time.Time) *commandBudget {
	return &commandBudget{now: now, users: map[int64]*userBudget{}}
}

// allow spends one of userID's commands. It reports whether the command may be handled and,
// when not, whether this is the first refusal since the user went over the budget (the one to
// answer with the slow_down message; the others are ignored).
func (c *commandBudget) allow(userID int64) (allowed, firstRefusal bool) {
	if c == nil {
		return true, false
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	u := c.users[userID]
	if u == nil {
		if len(c.users) >= budgetSweep {
			c.sweepLocked(now)
		}
		u = &userBudget{bucket: rate.NewLimiter(rate.Every(budgetEvery), budgetBurst)}
		c.users[userID] = u
	}
	if now.Before(u.ignored) {
		return false, false
	}
	if u.bucket.AllowN(now, 1) {
		return true, false
	}
	u.ignored = now.Add(budgetTimeout)
	return false, true
}

// sweepLocked drops the users with a full budget and no timeout. c.mu is held.
func (c *commandBudget) sweepLocked(now time.Time) {
	for id, u := range c.users {
		if !now.Before(u.ignored) && u.bucket.TokensAt(now) >= budgetBurst {
			delete(c.users, id)
		}
	}
}

// withinBudget spends the budget of the user behind u, when u is a command, a text in a
// private chat (both draw a reply) or a button press, and reports whether u may be handled.
// The first refusal is answered: a message with the slow_down message in the chat, a press with it as
// the callback answer; every refused press is answered so that Telegram stops its spinner.
func (b *Bot) withinBudget(ctx context.Context, u *models.Update) bool {
	switch {
	case u.Message != nil:
		m := u.Message
		if m.From == nil || m.Text == "" {
			return true
		}
		if _, ok := parseCommand(m.Text, b.me.Username); !ok && m.Chat.Type != models.ChatTypePrivate {
			return true
		}
		allowed, first := b.budget.allow(m.From.ID)
		if first {
			b.log.Info("user over command budget, ignoring them for a while", "user_id", m.From.ID, "chat_id", m.Chat.ID)
			in := b.userIncoming(m.Chat, m.From.LanguageCode)
			in.from = m.From.ID
			if m.IsTopicMessage {
				in.threadID = m.MessageThreadID
			}
			b.send(ctx, in, reply{text: in.l.T(slowDownID)})
		}
		return allowed
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		allowed, first := b.budget.allow(q.From.ID)
		if allowed {
			return true
		}
		if first {
			b.log.Info("user over command budget, ignoring them for a while", "user_id", q.From.ID)
		}
		_, err := b.tg.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: locale.For(b.userLang(q.From.LanguageCode)).T(slowDownID)})
		if err != nil {
			b.log.Warn("answer callback failed", "error", b.redact(err))
		}
		return false
	}
	return true
}

// handleBudgeted handles u unless its user is over their command budget (see withinBudget).
func (b *Bot) handleBudgeted(ctx context.Context, u *models.Update) {
	if b.withinBudget(ctx, u) {
		b.handleUpdate(ctx, nil, u)
	}
}
