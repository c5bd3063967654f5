package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// DueChat is a chat with queued messages that are due.
type DueChat struct {
	ID   int64
	Type string // private, group, supergroup or channel
	// Due is, for DueQueues, the chat's oldest due messages, oldest first.
	Due []Delivery
}

// dueChats returns up to limit active chats with due messages whose id is greater than after,
// by increasing id. Walking the id space this way, and starting again from the lowest id when
// fewer than limit come back, visits every chat with due messages in turn (round-robin), however
// long the queue of any one chat is.
func (s *Store) dueChats(ctx context.Context, after int64, limit int) ([]DueChat, error) {
	rows, err := s.reader.QueryContext(ctx, `
		SELECT c.id, c.type FROM chats c
		WHERE c.active = 1 AND c.id > ?
			AND EXISTS (SELECT 1 FROM outbox o WHERE o.chat_id = c.id AND o.due_at <= ?)
		ORDER BY c.id
		LIMIT ?`, after, unix(s.now()), limit)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: due chats: %w", err)
	}
	defer rows.Close()
	var out []DueChat
	for rows.Next() {
		var c DueChat
		if err := rows.Scan(&c.ID, &c.Type); err != nil {
			return nil, fmt.Errorf("subscriptions: due chats: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: due chats: %w", err)
	}
	return out, nil
}

// DueQueues is dueChats with each chat's oldest due messages, up to perChat of them, read in
// the same query.
func (s *Store) DueQueues(ctx context.Context, after int64, limit, perChat int) ([]DueChat, error) {
	stmt, err := s.prepare(ctx, `
		WITH page AS (
			SELECT c.id FROM chats c
			WHERE c.active = 1 AND c.id > ?1
				AND EXISTS (SELECT 1 FROM outbox o WHERE o.chat_id = c.id AND o.due_at <= ?2)
			ORDER BY c.id
			LIMIT ?3
		), due AS (
			SELECT o.*, ROW_NUMBER() OVER (PARTITION BY o.chat_id ORDER BY o.due_at, o.id) AS n
			FROM page p JOIN outbox o ON o.chat_id = p.id
			WHERE o.due_at <= ?2
		)
		SELECT `+deliveryColumns+`
		FROM due o
		JOIN chats c ON c.id = o.chat_id
		LEFT JOIN entries e ON e.id = o.entry_id
		WHERE o.n <= ?4
		ORDER BY o.chat_id, o.due_at, o.id`)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: due queues: %w", err)
	}
	ds, err := s.scanDeliveries(stmt.QueryContext(ctx, after, unix(s.now()), limit, perChat))
	if err != nil {
		return nil, fmt.Errorf("subscriptions: due queues: %w", err)
	}
	var out []DueChat
	for _, d := range ds {
		if len(out) == 0 || out[len(out)-1].ID != d.ChatID {
			out = append(out, DueChat{ID: d.ChatID, Type: d.ChatType})
		}
		last := &out[len(out)-1]
		last.Due = append(last.Due, d)
	}
	return out, nil
}

// chatDeliveries returns up to limit due messages of one active chat, oldest first.
func (s *Store) chatDeliveries(ctx context.Context, chatID int64, limit int) ([]Delivery, error) {
	ds, err := s.deliveries(ctx, `o.chat_id = ? AND o.due_at <= ? AND c.active = 1`, limit, chatID, unix(s.now()))
	if err != nil {
		return nil, fmt.Errorf("subscriptions: deliveries of chat %d: %w", chatID, err)
	}
	return ds, nil
}

// deliveryColumns lists, for a query aliasing outbox as o, chats as c and entries as e, the
// columns scanDeliveries reads.
const deliveryColumns = `o.id, o.chat_id, c.type, o.thread_id, c.time_zone, o.kind, o.labels, o.text, o.attempts,
	o.failing_since, o.subscription_ids, o.terms, c.language, COALESCE(o.also_of, 0), ` + entryColumns

// deliveries returns up to limit queued messages matching where (over outbox o and chats c),
// oldest first.
func (s *Store) deliveries(ctx context.Context, where string, limit int, args ...any) ([]Delivery, error) {
	stmt, err := s.prepare(ctx, `
		SELECT `+deliveryColumns+`
		FROM outbox o
		JOIN chats c ON c.id = o.chat_id
		LEFT JOIN entries e ON e.id = o.entry_id
		WHERE `+where+`
		ORDER BY o.due_at, o.id
		LIMIT ?`)
	if err != nil {
		return nil, err
	}
	return s.scanDeliveries(stmt.QueryContext(ctx, append(args, limit)...))
}

// scanDeliveries reads the rows of a query of deliveryColumns.
func (s *Store) scanDeliveries(rows *sql.Rows, err error) ([]Delivery, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Delivery
	zones := map[string]*time.Location{}
	for rows.Next() {
		var d Delivery
		var zone, labels string
		var failingSince int64
		var ids, terms sql.NullString
		entryDest, fillEntry := entryFields(&d.Entry)
		dest := append([]any{&d.ID, &d.ChatID, &d.ChatType, &d.ThreadID, &zone, &d.Kind, &labels, &d.Text, &d.Attempts,
			&failingSince, &ids, &terms, &d.Language, &d.AlsoOf}, entryDest...)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		fillEntry()
		if d.TimeZone = zones[zone]; d.TimeZone == nil {
			d.TimeZone = s.location(zone)
			zones[zone] = d.TimeZone
		}
		d.FailingSince = fromUnix(failingSince)
		if labels != "" {
			d.Labels = strings.Split(labels, "\n")
		}
		if d.Kind == KindAlert {
			if ids.Valid && terms.Valid {
				if err := decodeMatched(&d, ids.String, terms.String); err != nil {
					return nil, err
				}
			} else {
				legacyMatched(&d, s.Matcher(), s.catalog)
			}
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeliveredAll removes messages Telegram accepted (as one message) from the queue.
func (s *Store) DeliveredAll(ctx context.Context, ids []int64) error {
	return s.eachID(ctx, "delivered", ids, `DELETE FROM outbox WHERE id = ?`)
}

// PostponeAll makes messages due again at until, counting the failed attempt and its reason;
// the first failure of a run of failures is remembered as FailingSince.
func (s *Store) PostponeAll(ctx context.Context, ids []int64, until time.Time, reason string) error {
	return s.eachID(ctx, "postpone", ids, `
		UPDATE outbox SET due_at = ?, attempts = attempts + 1, last_error = ?,
			failing_since = CASE failing_since WHEN 0 THEN ? ELSE failing_since END
		WHERE id = ?`, unix(until), reason, unix(s.now()))
}

// DeadLetterAll takes messages Telegram refused for good off the queue and keeps them, with
// the reason, for the operator.
func (s *Store) DeadLetterAll(ctx context.Context, ids []int64, reason string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			_, err := tx.ExecContext(ctx, `
				INSERT INTO dead_letters (chat_id, kind, entry_id, text, reason, created_at)
				SELECT chat_id, kind, entry_id, text, CAST(? AS TEXT), CAST(? AS BIGINT) FROM outbox WHERE id = ?`,
				reason, unix(s.now()), id)
			if err != nil {
				return err
			}
			if _, err = tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("subscriptions: dead-letter: %w", err)
	}
	return nil
}

// eachID runs query, whose last parameter is an outbox id, once per id with args before it,
// all in one write transaction; what names it in an error.
func (s *Store) eachID(ctx context.Context, what string, ids []int64, query string, args ...any) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		// ExecContext with arguments reuses the driver's cached statement (_stmt_cache_size);
		// an explicit Prepare would compile the query again in every transaction.
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, query, append(args, id)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("subscriptions: %s: %w", what, err)
	}
	return nil
}
