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
	// Scheduled is the digest time that fell due.
	Scheduled time.Time
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
		out = append(out, DueDigest{Chat: c, Scheduled: fromUnix(d.scheduled), Cursor: d.cursor})
	}
	return out, nil
}

// DigestItem is an entry that matched a chat's subscriptions since its last digest.
type DigestItem struct {
	Entry StoredEntry
	// Labels are the topics and queries it matched, in the order the chat subscribed to them.
	Labels []string
}

// DigestItems returns the entries that matched the chat's subscriptions after cursor, each
// once, oldest published first, and the cursor that ends them.
func (s *Store) DigestItems(ctx context.Context, chatID, cursor int64) ([]DigestItem, int64, error) {
	rows, err := s.reader.QueryContext(ctx, `
		SELECT group_concat(m.subscription_id || ' ' || m.label, char(10)), MAX(m.id), `+entryColumns+`
		FROM matches m JOIN entries e ON e.id = m.entry_id
		WHERE m.chat_id = ? AND m.id > ?
		GROUP BY m.entry_id
		ORDER BY e.published, e.id`, chatID, cursor)
	if err != nil {
		return nil, 0, fmt.Errorf("subscriptions: digest items of chat %d: %w", chatID, err)
	}
	defer rows.Close()
	var items []DigestItem
	end := cursor
	for rows.Next() {
		var it DigestItem
		var labels string
		var last int64
		entryDest, fill := entryFields(&it.Entry)
		if err := rows.Scan(append([]any{&labels, &last}, entryDest...)...); err != nil {
			return nil, 0, fmt.Errorf("subscriptions: digest items of chat %d: %w", chatID, err)
		}
		fill()
		it.Labels = orderedLabels(labels)
		items = append(items, it)
		end = max(end, last)
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
// for that day nothing is queued and the entries wait for the next. With no messages only the
// schedule moves. It reports whether messages were queued.
func (s *Store) RecordDigest(ctx context.Context, run DigestRun) (bool, error) {
	c := run.Due.Chat
	now := s.now()
	var next sql.NullInt64
	if c.DigestTime != "" {
		next = sql.NullInt64{Int64: unix(NextDigest(now, c.DigestTime, c.TimeZone)), Valid: true}
	}
	queued := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		queued = false
		if len(run.Messages) > 0 {
			r, err := tx.ExecContext(ctx, `
				INSERT INTO digest_runs (chat_id, local_date, entries, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, c.ID, run.Due.LocalDate(), run.Entries, unix(now))
			if err != nil {
				return err
			}
			n, err := r.RowsAffected()
			if err != nil {
				return err
			}
			queued = n == 1
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
			_, err := tx.ExecContext(ctx, `UPDATE chats SET digest_cursor = ? WHERE id = ?`, run.Cursor, c.ID)
			if err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE chats SET next_digest_at = ? WHERE id = ?`, next, c.ID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("subscriptions: record digest of chat %d: %w", c.ID, err)
	}
	return queued, nil
}
