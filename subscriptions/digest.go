package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
)

// DueDigest is a chat whose digest time has come.
type DueDigest struct {
	Chat Chat
	// Scheduled is the digest time that fell due: the latest the chat's clock passed, so after
	// a downtime it is the most recent missed one.
	Scheduled time.Time
	// Expired is set when Scheduled is more than CatchUpWindow ago: the digest is not sent and
	// the next regular one covers its entries.
	Expired bool
	// Cursor is where the chat's last digest ended; DigestItems reads from there.
	Cursor int64
}

// LocalDate is the day, in the chat's zone, the digest is for ("2024-01-05").
func (d DueDigest) LocalDate() string {
	return d.Scheduled.In(d.Chat.TimeZone).Format(time.DateOnly)
}

// DueDigests returns up to limit active chats whose next digest is due at now.
func (s *Store) DueDigests(ctx context.Context, now time.Time, limit int) ([]DueDigest, error) {
	rows, err := s.reader.QueryContext(ctx, `
		SELECT id, next_digest_at, digest_cursor FROM chats
		WHERE next_digest_at IS NOT NULL AND next_digest_at <= ? AND active = 1
		ORDER BY next_digest_at, id LIMIT ?`, unix(now), limit)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: due digests: %w", err)
	}
	type due struct {
		id, scheduled, cursor int64
	}
	var ids []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.scheduled, &d.cursor); err != nil {
			rows.Close()
			return nil, fmt.Errorf("subscriptions: due digests: %w", err)
		}
		ids = append(ids, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: due digests: %w", err)
	}
	out := make([]DueDigest, 0, len(ids))
	for _, d := range ids {
		c, err := s.Chat(ctx, d.id)
		if err != nil {
			return nil, err
		}
		scheduled := dueAt(fromUnix(d.scheduled), now, c.DigestTime, c.TimeZone)
		out = append(out, DueDigest{Chat: c, Scheduled: scheduled, Cursor: d.cursor, Expired: now.Sub(scheduled) > CatchUpWindow})
	}
	return out, nil
}

// DigestItem is an entry that matched a chat's subscriptions since its last digest.
type DigestItem struct {
	Entry StoredEntry
	// Labels are the topics and queries it matched, in the order the chat subscribed to them.
	Labels []string
}

// DigestItems returns the entries that matched the chat's digest and both-mode subscriptions
// after cursor, each once, oldest published first, and the cursor that ends them. Entries of
// subscriptions muted now, or in instant mode, are left out; the cursor moves past them too.
func (s *Store) DigestItems(ctx context.Context, chatID, cursor int64) ([]DigestItem, int64, error) {
	end := cursor
	err := s.reader.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM matches WHERE chat_id = ?`, chatID).Scan(&end)
	if err != nil {
		return nil, 0, fmt.Errorf("subscriptions: digest items of chat %d: %w", chatID, err)
	}
	end = max(end, cursor)
	rows, err := s.reader.QueryContext(ctx, `
		SELECT group_concat(m.subscription_id || ' ' || m.label, char(10)), `+entryColumns+`
		FROM matches m
		JOIN entries e ON e.id = m.entry_id
		JOIN subscriptions s ON s.id = m.subscription_id
		WHERE m.chat_id = ? AND m.id > ? AND m.id <= ? AND s.mode IN ('digest', 'both') AND s.muted_until <= ?
		GROUP BY m.entry_id
		ORDER BY e.published, e.id`, chatID, cursor, end, unix(s.now()))
	if err != nil {
		return nil, 0, fmt.Errorf("subscriptions: digest items of chat %d: %w", chatID, err)
	}
	defer rows.Close()
	var items []DigestItem
	for rows.Next() {
		var it DigestItem
		var labels string
		entryDest, fill := entryFields(&it.Entry)
		if err := rows.Scan(append([]any{&labels}, entryDest...)...); err != nil {
			return nil, 0, fmt.Errorf("subscriptions: digest items of chat %d: %w", chatID, err)
		}
		fill()
		it.Labels = orderedLabels(labels)
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("subscriptions: digest items of chat %d: %w", chatID, err)
	}
	return items, end, nil
}

// orderedLabels turns "subscriptionID label" lines into labels ordered by subscription id.
func orderedLabels(lines string) []string {
	type sl struct {
		id    int64
		label string
	}
	var all []sl
	for _, line := range strings.Split(lines, "\n") {
		var x sl
		idText, label, _ := strings.Cut(line, " ")
		fmt.Sscan(idText, &x.id)
		x.label = label
		all = append(all, x)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].id < all[j].id })
	var labels []string
	for _, x := range all {
		labels = appendUnique(labels, x.label)
	}
	return labels
}

// DigestRun is a digest composed for one chat.
type DigestRun struct {
	Due DueDigest
	// Messages are the digest's messages as rendered; none when there was nothing new.
	Messages []string
	// Entries counts the entries in it; Cursor is DigestItems' end.
	Entries int
	Cursor  int64
}

// RecordDigest queues a digest's messages and schedules the chat's next digest, in one
// transaction. A chat gets at most one digest per local day: when one was already recorded
// for that day (in its zone now, or under the date it was recorded for) nothing is queued and
// the entries wait for the next. An expired digest (see DueDigest) queues nothing either.
// Held instant alerts (quiet hours) of entries the digest covers are dropped: the digest
// brings them. With no messages only the schedule moves. It reports whether messages were
// queued.
func (s *Store) RecordDigest(ctx context.Context, run DigestRun) (bool, error) {
	c := run.Due.Chat
	now := s.now()
	queued := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		queued = false
		var hhmm, zone string
		err := tx.QueryRowContext(ctx, `SELECT digest_time, time_zone FROM chats WHERE id = ?`, c.ID).Scan(&hhmm, &zone)
		if err != nil {
			return err
		}
		loc := s.location(zone) // the chat's settings now, should they have changed since DueDigests
		if len(run.Messages) > 0 && !run.Due.Expired {
			done, err := digestedOn(ctx, tx, c.ID, run.Due.Scheduled, loc)
			if err != nil {
				return err
			}
			if !done {
				r, err := tx.ExecContext(ctx, `
					INSERT INTO digest_runs (chat_id, local_date, entries, scheduled_at, created_at) VALUES (?, ?, ?, ?, ?)
					ON CONFLICT DO NOTHING`, c.ID, run.Due.Scheduled.In(loc).Format(time.DateOnly), run.Entries, unix(run.Due.Scheduled), unix(now))
				if err != nil {
					return err
				}
				n, err := r.RowsAffected()
				if err != nil {
					return err
				}
				queued = n == 1
			}
		}
		if queued {
			for _, text := range run.Messages {
				_, err := tx.ExecContext(ctx, `
					INSERT INTO outbox (chat_id, thread_id, kind, text, due_at, created_at) VALUES (?, ?, 'digest', ?, ?, ?)`,
					c.ID, c.DigestThread, text, unix(now), unix(now))
				if err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `
				DELETE FROM outbox WHERE chat_id = ?1 AND kind = 'alert' AND due_at > ?2 AND entry_id IN (
					SELECT m.entry_id FROM matches m JOIN subscriptions s ON s.id = m.subscription_id
					WHERE m.chat_id = ?1 AND m.id > ?3 AND m.id <= ?4 AND s.mode IN ('digest', 'both'))`,
				c.ID, unix(now), run.Due.Cursor, run.Cursor)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE chats SET digest_cursor = ? WHERE id = ?`, run.Cursor, c.ID); err != nil {
				return err
			}
		}
		next, err := nextDigestAt(ctx, tx, c.ID, hhmm, loc, now)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE chats SET next_digest_at = ? WHERE id = ?`, next, c.ID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("subscriptions: record digest of chat %d: %w", c.ID, err)
	}
	return queued, nil
}
