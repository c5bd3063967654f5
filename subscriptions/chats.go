package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Chat is a chat the bot talks to and its settings.
type Chat struct {
	ID     int64
	Type   string // private, group, supergroup or channel
	Title  string
	Active bool
	// TimeZone is where the chat's digest time and entry times are read.
	TimeZone *time.Location
	// DigestTime is "HH:MM" local, or "" when the chat wants no digest.
	DigestTime   string
	DigestThread int
	// NextDigest is when the next digest is due; zero when digests are off.
	NextDigest time.Time
	// QuietStart and QuietEnd ("HH:MM" local) bound the hours in which instant alerts are
	// held until QuietEnd; both "" when the chat has none.
	QuietStart, QuietEnd string
	// MutedUntil is when the chat's instant alerts resume; zero when not muted.
	MutedUntil time.Time
	// Language is the code of the language the bot writes to the chat in (en, uk, ru…); ""
	// for the bot's default language. The store keeps it and does not read it.
	Language string
	Created  time.Time
}

// ChatInfo is what Telegram tells about a chat.
type ChatInfo struct {
	ID    int64
	Type  string
	Title string
	// Language is the chat's language when it is new (see Chat.Language); StartChat keeps a
	// known chat's language.
	Language string
}

// StartChat records the chat with the defaults from Options when it is new, and marks it
// active again when it was not. It reports whether the chat was new.
func (s *Store) StartChat(ctx context.Context, info ChatInfo) (Chat, bool, error) {
	now := s.now()
	var created, reactivated bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		var active int
		err := tx.QueryRowContext(ctx, `SELECT active FROM chats WHERE id = ?`, info.ID).Scan(&active)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			created = true
			next := NextDigest(now, s.opts.DigestTime, s.opts.TimeZone)
			_, err = tx.ExecContext(ctx, `
				INSERT INTO chats (id, type, title, time_zone, digest_time, next_digest_at, digest_cursor, created_at, language)
				VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(id), 0) FROM matches), ?, ?)`,
				info.ID, info.Type, info.Title, s.opts.TimeZone.String(), s.opts.DigestTime, unix(next), unix(now), info.Language)
			return err
		case err != nil:
			return err
		}
		reactivated = active == 0
		_, err = tx.ExecContext(ctx, `UPDATE chats SET active = 1, type = ?, title = ? WHERE id = ?`, info.Type, info.Title, info.ID)
		return err
	})
	if err != nil {
		return Chat{}, false, fmt.Errorf("subscriptions: start chat %d: %w", info.ID, err)
	}
	if reactivated {
		if err := s.rebuildMatcher(ctx); err != nil {
			return Chat{}, false, err
		}
	}
	c, err := s.Chat(ctx, info.ID)
	return c, created, err
}

// Chat returns the chat with this id, or ErrNotFound.
func (s *Store) Chat(ctx context.Context, id int64) (Chat, error) {
	c, err := s.scanChat(s.reader.QueryRowContext(ctx, `SELECT `+chatColumns+` FROM chats WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Chat{}, ErrNotFound
	}
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: chat %d: %w", id, err)
	}
	return c, nil
}

// chatColumns lists the columns scanChat reads, in its order.
const chatColumns = `id, type, title, active, time_zone, digest_time, digest_thread, next_digest_at, created_at,
	quiet_start, quiet_end, muted_until, language`

// scanChat reads a row of chatColumns, then extra.
func (s *Store) scanChat(row interface{ Scan(...any) error }, extra ...any) (Chat, error) {
	var c Chat
	var zone string
	var active int
	var next sql.NullInt64
	var created, muted int64
	dest := append([]any{&c.ID, &c.Type, &c.Title, &active, &zone, &c.DigestTime, &c.DigestThread, &next, &created,
		&c.QuietStart, &c.QuietEnd, &muted, &c.Language}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Chat{}, err
	}
	c.Active = active == 1
	c.TimeZone = s.location(zone)
	c.NextDigest = fromUnix(next.Int64)
	c.Created = fromUnix(created)
	c.MutedUntil = fromUnix(muted)
	return c, nil
}

// location loads a stored zone name (see LoadZone), once per name; a zone this system no
// longer knows falls back to the default zone.
func (s *Store) location(name string) *time.Location {
	if loc, ok := s.zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := LoadZone(name)
	if err != nil {
		s.log.Warn("stored time zone unknown, using default", "time_zone", name, "error", err)
		return s.opts.TimeZone
	}
	s.zones.Store(name, loc)
	return loc
}

// ForgetChat deletes the chat and everything of it: subscriptions, matches, queued messages
// and digest runs. Forgetting an unknown chat is not an error.
func (s *Store) ForgetChat(ctx context.Context, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM chats WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: forget chat %d: %w", id, err)
	}
	return s.rebuildMatcher(ctx)
}

// SetDigestTime sets the chat's digest time ("HH:MM") and the forum topic it goes to, or
// turns digests off when hhmm is "". The next digest is the next time the chat's clock shows
// hhmm on a local day that has had no digest yet.
func (s *Store) SetDigestTime(ctx context.Context, id int64, hhmm string, threadID int) (Chat, error) {
	c, err := s.Chat(ctx, id)
	if err != nil {
		return Chat{}, err
	}
	if hhmm != "" {
		h, m, err := ParseClock(hhmm)
		if err != nil {
			return Chat{}, err
		}
		hhmm = fmt.Sprintf("%02d:%02d", h, m)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		last, err := loadLastRun(ctx, tx, id)
		if err != nil {
			return err
		}
		next := nextDigestAt(hhmm, c.TimeZone, s.now(), last)
		_, err = tx.ExecContext(ctx, `UPDATE chats SET digest_time = ?, digest_thread = ?, next_digest_at = ? WHERE id = ?`,
			hhmm, threadID, next, id)
		return err
	})
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: set digest time of chat %d: %w", id, err)
	}
	return s.Chat(ctx, id)
}

// DeactivateChat marks the chat inactive (Telegram refused to deliver to it) and drops its
// queued messages; it returns how many were dropped, and adds them to OutboxStats.Dropped. Its subscriptions stay, dormant, until
// StartChat reactivates it.
func (s *Store) DeactivateChat(ctx context.Context, id int64) (int, error) {
	var dropped int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE chats SET active = 0 WHERE id = ?`, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE chat_id = ?`, id)
		if err != nil {
			return err
		}
		if dropped, err = res.RowsAffected(); err != nil {
			return err
		}
		return countDropped(ctx, tx, dropped)
	})
	if err != nil {
		return 0, fmt.Errorf("subscriptions: deactivate chat %d: %w", id, err)
	}
	return int(dropped), s.rebuildMatcher(ctx)
}

// MigrateChat moves a group that became a supergroup to its new id: subscriptions, settings,
// matches, digest runs and queued messages follow. When the new id is already known (the bot
// saw the supergroup first), the old chat's subscriptions are merged into it.
func (s *Store) MigrateChat(ctx context.Context, oldID, newID int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM chats WHERE id = ?`, newID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			_, err := tx.ExecContext(ctx, `UPDATE chats SET id = ?, type = 'supergroup' WHERE id = ?`, newID, oldID)
			return err
		}
		// The old chat's rows the new chat has already (by each table's unique key) are
		// dropped, the rest move.
		stmts := []string{
			`DELETE FROM subscriptions WHERE chat_id = ?2 AND EXISTS (SELECT 1 FROM subscriptions n
				WHERE n.chat_id = ?1 AND n.thread_id = subscriptions.thread_id AND n.topic = subscriptions.topic
					AND n.query = subscriptions.query)`,
			`UPDATE subscriptions SET chat_id = ?1 WHERE chat_id = ?2`,
			`DELETE FROM matches WHERE chat_id = ?2 AND EXISTS (SELECT 1 FROM matches n
				WHERE n.chat_id = ?1 AND n.entry_id = matches.entry_id AND n.subscription_id = matches.subscription_id)`,
			`UPDATE matches SET chat_id = ?1 WHERE chat_id = ?2`,
			`DELETE FROM outbox WHERE chat_id = ?2 AND EXISTS (SELECT 1 FROM outbox n
				WHERE n.chat_id = ?1 AND n.thread_id = outbox.thread_id AND n.entry_id = outbox.entry_id)`,
			`UPDATE outbox SET chat_id = ?1 WHERE chat_id = ?2`,
			`DELETE FROM digest_runs WHERE chat_id = ?2 AND EXISTS (SELECT 1 FROM digest_runs n
				WHERE n.chat_id = ?1 AND n.local_date = digest_runs.local_date)`,
			`UPDATE digest_runs SET chat_id = ?1 WHERE chat_id = ?2`,
			`DELETE FROM chats WHERE id = ?2 AND id <> ?1`,
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, newID, oldID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("subscriptions: migrate chat %d to %d: %w", oldID, newID, err)
	}
	return s.rebuildMatcher(ctx)
}
