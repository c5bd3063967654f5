package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Subscription modes: how what a subscription matches reaches the chat.
const (
	ModeInstant = "instant" // an alert as it happens, not in the digest
	ModeDigest  = "digest"  // only in the daily digest
	ModeBoth    = "both"    // both (the default)
)

// ParseMode reads a subscription mode, forgiving case and a few synonyms ("alerts", "daily").
func ParseMode(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "instant", "alerts", "alert", "now":
		return ModeInstant, true
	case "digest", "daily", "digest-only", "digest only":
		return ModeDigest, true
	case "both", "all", "default":
		return ModeBoth, true
	}
	return "", false
}

// maxMute is the longest a chat or a subscription can be muted in one go.
const maxMute = 30 * 24 * time.Hour

// ParseMuteDuration reads how long to mute: "30m", "2h", "1d", "1w", "1h30m", up to maxMute.
func ParseMuteDuration(s string) (time.Duration, error) {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	bad := fmt.Errorf("subscriptions: %q is not a duration like 2h, 1d or 30m", s)
	var d time.Duration
	if n, ok := strings.CutSuffix(t, "w"); ok {
		if d, ok = days(n, 7); !ok {
			return 0, bad
		}
	} else if n, ok := strings.CutSuffix(t, "d"); ok {
		if d, ok = days(n, 1); !ok {
			return 0, bad
		}
	} else {
		var err error
		if d, err = time.ParseDuration(t); err != nil {
			return 0, bad
		}
	}
	if d < time.Minute || d > maxMute {
		return 0, fmt.Errorf("subscriptions: mute for between a minute and %d days, not %q", int(maxMute.Hours()/24), s)
	}
	return d, nil
}

func days(n string, per int) (time.Duration, bool) {
	v, err := strconv.Atoi(n)
	if err != nil || v <= 0 || v > 1000 {
		return 0, false
	}
	return time.Duration(v*per) * 24 * time.Hour, true
}

// SetTimeZone moves the chat to loc (see ParseZone) and reschedules its digest there, never
// onto a local day that already had one.
func (s *Store) SetTimeZone(ctx context.Context, id int64, loc *time.Location) (Chat, error) {
	name := loc.String()
	if _, err := LoadZone(name); err != nil {
		return Chat{}, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var hhmm string
		if err := tx.QueryRowContext(ctx, `SELECT digest_time FROM chats WHERE id = ?`, id).Scan(&hhmm); err != nil {
			return err
		}
		last, err := loadLastRun(ctx, tx, id)
		if err != nil {
			return err
		}
		next := nextDigestAt(hhmm, loc, s.now(), last)
		_, err = tx.ExecContext(ctx, `UPDATE chats SET time_zone = ?, next_digest_at = ? WHERE id = ?`, name, next, id)
		return err
	})
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: set time zone of chat %d: %w", id, err)
	}
	return s.Chat(ctx, id)
}

// SetQuietHours sets the chat's quiet hours ("HH:MM" each, see ParseQuietHours), or removes
// them when both are "". The alerts the old hours held follow the new ones: due when the new
// hours end if they are quiet now, else at once.
func (s *Store) SetQuietHours(ctx context.Context, id int64, start, end string) (Chat, error) {
	if (start == "") != (end == "") {
		return Chat{}, fmt.Errorf("subscriptions: quiet hours need a start and an end")
	}
	now := s.now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var zone string
		if err := tx.QueryRowContext(ctx, `SELECT time_zone FROM chats WHERE id = ?`, id).Scan(&zone); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE chats SET quiet_start = ?, quiet_end = ? WHERE id = ?`, start, end, id); err != nil {
			return err
		}
		due := now
		if until, quiet := quietUntil(now, start, end, s.location(zone)); quiet {
			due = until
		}
		_, err := tx.ExecContext(ctx, `
			UPDATE outbox SET due_at = ? WHERE chat_id = ? AND kind = 'alert' AND due_at > ? AND attempts = 0`,
			unix(due), id, unix(now))
		return err
	})
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: set quiet hours of chat %d: %w", id, err)
	}
	return s.Chat(ctx, id)
}

// SetLanguage sets the language the bot writes to the chat in (see Chat.Language).
func (s *Store) SetLanguage(ctx context.Context, id int64, language string) (Chat, error) {
	if err := s.exec(ctx, "set language", `UPDATE chats SET language = ? WHERE id = ?`, language, id); err != nil {
		return Chat{}, err
	}
	return s.Chat(ctx, id)
}

// ChatLanguage returns the chat's language (see Chat.Language), and false for a chat it does
// not know.
func (s *Store) ChatLanguage(ctx context.Context, id int64) (string, bool, error) {
	var lang string
	err := s.reader.QueryRowContext(ctx, `SELECT language FROM chats WHERE id = ?`, id).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("subscriptions: language of chat %d: %w", id, err)
	}
	return lang, true, nil
}

// MuteChat stops the chat's instant alerts until until (zero: unmute now). Entries matched
// meanwhile still go into the digest.
func (s *Store) MuteChat(ctx context.Context, id int64, until time.Time) (Chat, error) {
	if err := s.exec(ctx, "mute chat", `UPDATE chats SET muted_until = ? WHERE id = ?`, unix(until), id); err != nil {
		return Chat{}, err
	}
	return s.Chat(ctx, id)
}

// SetMode sets the mode of one of the chat's subscriptions. It reports false when the chat has
// no subscription with that id.
func (s *Store) SetMode(ctx context.Context, chatID, subscriptionID int64, mode string) (bool, error) {
	if _, ok := ParseMode(mode); !ok {
		return false, fmt.Errorf("subscriptions: unknown mode %q", mode)
	}
	n, err := s.update(ctx, "set mode", `UPDATE subscriptions SET mode = ? WHERE chat_id = ? AND id = ?`, mode, chatID, subscriptionID)
	return n == 1, err
}

// SetModeAll sets the mode of every subscription of the chat in the thread; it returns how
// many there are.
func (s *Store) SetModeAll(ctx context.Context, chatID int64, threadID int, mode string) (int, error) {
	if _, ok := ParseMode(mode); !ok {
		return 0, fmt.Errorf("subscriptions: unknown mode %q", mode)
	}
	n, err := s.update(ctx, "set mode", `UPDATE subscriptions SET mode = ? WHERE chat_id = ? AND thread_id = ?`, mode, chatID, threadID)
	return int(n), err
}

// MuteSubscription silences one of the chat's subscriptions until until (zero: unmute):
// no alerts, and its entries are left out of digests. It reports false when the chat has no
// subscription with that id.
func (s *Store) MuteSubscription(ctx context.Context, chatID, subscriptionID int64, until time.Time) (bool, error) {
	n, err := s.update(ctx, "mute subscription", `UPDATE subscriptions SET muted_until = ? WHERE chat_id = ? AND id = ?`,
		unix(until), chatID, subscriptionID)
	return n == 1, err
}

// update runs one statement in a write transaction and returns the rows it changed.
func (s *Store) update(ctx context.Context, what, query string, args ...any) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("subscriptions: %s: %w", what, err)
	}
	return n, nil
}
