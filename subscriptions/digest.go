package subscriptions

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
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
	// Cursor is where the chat's last digest ended; digestItems reads from there.
	Cursor int64
}

// localDate is the day, in the chat's zone, the digest is for ("2024-01-05").
func (d DueDigest) localDate() string {
	return d.Scheduled.In(d.Chat.TimeZone).Format(time.DateOnly)
}

// dueDigests returns up to limit active chats whose next digest is due at now.
func (s *Store) dueDigests(ctx context.Context, now time.Time, limit int) ([]DueDigest, error) {
	return s.DueDigestsAfter(ctx, now, DueDigest{}, limit)
}

// DueDigestsAfter is dueDigests for the chats that come after last in its order (by stored
// next digest time, then id), so that a caller can read the next batch while it still
// records the one before; the zero DueDigest starts at the beginning.
func (s *Store) DueDigestsAfter(ctx context.Context, now time.Time, last DueDigest, limit int) ([]DueDigest, error) {
	rows, err := s.reader.QueryContext(ctx, `
		SELECT `+chatColumns+`, digest_cursor FROM chats
		WHERE next_digest_at IS NOT NULL AND next_digest_at <= ? AND active = 1 AND (next_digest_at, id) > (?, ?)
		ORDER BY next_digest_at, id LIMIT ?`, unix(now), unix(last.Chat.NextDigest), last.Chat.ID, limit)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: due digests: %w", err)
	}
	defer rows.Close()
	var out []DueDigest
	for rows.Next() {
		var cursor int64
		c, err := s.scanChat(rows, &cursor)
		if err != nil {
			return nil, fmt.Errorf("subscriptions: due digests: %w", err)
		}
		scheduled := dueAt(c.NextDigest, now, c.DigestTime, c.TimeZone)
		out = append(out, DueDigest{Chat: c, Scheduled: scheduled, Cursor: cursor, Expired: now.Sub(scheduled) > CatchUpWindow})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: due digests: %w", err)
	}
	return out, nil
}

// DigestItem is an entry that matched a chat's subscriptions since its last digest.
type DigestItem struct {
	Entry StoredEntry
	// Labels are the topics and queries it matched, in the order the chat subscribed to them.
	Labels []string
	// Also are the later entries of the same story from other sources (see stories.go) that
	// matched too, oldest first: the digest lists a story once.
	Also []StoredEntry
}

// digestItems returns the entries that matched the chat's digest and both-mode subscriptions
// after cursor, each once, oldest published first, and the cursor that ends them. Entries of
// subscriptions muted now, or in instant mode, are left out; the cursor moves past them too.
func (s *Store) digestItems(ctx context.Context, chatID, cursor int64) ([]DigestItem, int64, error) {
	items, end, err := s.DigestItemsOf(ctx, []DueDigest{{Chat: Chat{ID: chatID}, Cursor: cursor}})
	if err != nil {
		return nil, 0, err
	}
	return items[0], max(end, cursor), nil
}

// DigestItemsOf is digestItems for several due chats in one query: items[i] are dues[i]'s.
// One cursor ends them all (match ids are global).
func (s *Store) DigestItemsOf(ctx context.Context, dues []DueDigest) (items [][]DigestItem, end int64, err error) {
	items = make([][]DigestItem, len(dues))
	if len(dues) == 0 {
		return items, 0, nil
	}
	if err := s.reader.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM matches`).Scan(&end); err != nil {
		return nil, 0, fmt.Errorf("subscriptions: digest items: %w", err)
	}
	var list strings.Builder
	list.WriteByte('[')
	for i, d := range dues {
		if i > 0 {
			list.WriteByte(',')
		}
		fmt.Fprintf(&list, "[%d,%d]", d.Chat.ID, d.Cursor)
	}
	list.WriteByte(']')
	pairs, index, chat, after := s.dialect.jsonPairs("?1", "d")
	// One row per chat, its matches in one string (see parseDigestMatches): handing SQLite's
	// rows to Go one match at a time cost more than the query. No GROUP BY or ORDER BY: the
	// matches are grouped by entry and sorted here, which spares SQLite temporary b-trees.
	rows, err := s.reader.QueryContext(ctx, `
		SELECT `+index+`, (
			SELECT `+s.dialect.joinText(`m.entry_id || ',' || s.id || ',' || `+s.dialect.byteLength("m.label")+` || ',' || m.label`)+`
			FROM matches m JOIN subscriptions s ON s.id = m.subscription_id
			WHERE m.chat_id = `+chat+` AND m.id > `+after+` AND m.id <= ?2
				AND s.mode IN ('digest', 'both') AND s.muted_until <= ?3)
		FROM `+pairs, list.String(), end, unix(s.now()))
	if err != nil {
		return nil, 0, fmt.Errorf("subscriptions: digest items: %w", err)
	}
	defer rows.Close()
	found := make([]digestRow, 0, 8*len(dues))
	entries := map[int64]*StoredEntry{} // chats share entries: each is read once
	for rows.Next() {
		var i int
		var list sql.NullString
		if err := rows.Scan(&i, &list); err != nil {
			return nil, 0, fmt.Errorf("subscriptions: digest items: %w", err)
		}
		if found, err = parseDigestMatches(found, i, list.String); err != nil {
			return nil, 0, fmt.Errorf("subscriptions: digest items: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("subscriptions: digest items: %w", err)
	}
	for _, r := range found {
		entries[r.entry] = nil
	}
	rows.Close()
	if err := s.loadEntries(ctx, entries); err != nil {
		return nil, 0, err
	}
	// Each chat's rows of one entry together, its labels in subscription order (match order
	// among a subscription's); the items and their labels of the whole batch share two arrays.
	slices.SortFunc(found, func(a, b digestRow) int {
		if c := cmp.Compare(a.due, b.due); c != 0 {
			return c
		}
		if c := cmp.Compare(a.entry, b.entry); c != 0 {
			return c
		}
		if c := cmp.Compare(a.sub, b.sub); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	all := make([]DigestItem, 0, countDigestItems(found))
	labels := make([]string, 0, len(found))
	for k := 0; k < len(found); {
		i, start := found[k].due, len(all)
		for k < len(found) && found[k].due == i {
			entry, first := found[k].entry, len(labels)
			for ; k < len(found) && found[k].due == i && found[k].entry == entry; k++ {
				if !slices.Contains(labels[first:], found[k].label) {
					labels = append(labels, found[k].label)
				}
			}
			e := entries[entry]
			if e == nil {
				labels = labels[:first]
				continue // deleted meanwhile
			}
			all = append(all, DigestItem{Entry: *e, Labels: labels[first:len(labels):len(labels)]})
		}
		if len(all) == start {
			continue
		}
		chat := all[start:len(all):len(all)]
		slices.SortFunc(chat, func(a, b DigestItem) int {
			if c := a.Entry.Published.Compare(b.Entry.Published); c != 0 {
				return c
			}
			return cmp.Compare(a.Entry.RowID, b.Entry.RowID)
		})
		items[i] = chat
	}
	if err := s.foldStories(ctx, items); err != nil {
		return nil, 0, fmt.Errorf("subscriptions: digest items: %w", err)
	}
	return items, end, nil
}

// foldStories makes each chat's items of one story (entry_stories) one item: the first, with
// the others as its Also and their labels added to its own.
func (s *Store) foldStories(ctx context.Context, items [][]DigestItem) error {
	var ids strings.Builder
	ids.WriteByte('[')
	for _, chat := range items {
		for _, it := range chat {
			if ids.Len() > 1 {
				ids.WriteByte(',')
			}
			ids.WriteString(strconv.FormatInt(it.Entry.RowID, 10))
		}
	}
	ids.WriteByte(']')
	if ids.Len() == 2 {
		return nil
	}
	rows, err := s.reader.QueryContext(ctx, `
		SELECT s.entry_id, s.story_id FROM `+s.dialect.jsonInts("?", "j")+` JOIN entry_stories s ON s.entry_id = j.value
		WHERE s.story_id <> s.entry_id`, ids.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	story := map[int64]int64{} // entries that joined a story: their story's id
	for rows.Next() {
		var entry, id int64
		if err := rows.Scan(&entry, &id); err != nil {
			return err
		}
		story[entry] = id
	}
	if err := rows.Err(); err != nil || len(story) == 0 {
		return err
	}
	for i, chat := range items {
		first := map[int64]int{} // story id → its item in out
		out := chat[:0:0]
		for _, it := range chat {
			id, joined := story[it.Entry.RowID]
			if !joined {
				id = it.Entry.RowID
			}
			k, seen := first[id]
			if !seen {
				first[id] = len(out)
				out = append(out, it)
				continue
			}
			head := &out[k]
			head.Also = append(head.Also, it.Entry)
			head.Also = append(head.Also, it.Also...)
			labels := slices.Clip(head.Labels)
			for _, l := range it.Labels {
				if !slices.Contains(labels, l) {
					labels = append(labels, l)
				}
			}
			head.Labels = labels
		}
		items[i] = out
	}
	return nil
}

// digestRow is a row of DigestItemsOf's query: a match of dues[due]'s, seq-th in the answer.
type digestRow struct {
	due        int
	entry, sub int64
	label      string
	seq        int
}

// parseDigestMatches appends to rows the matches of dues[due] in list, as DigestItemsOf's
// query joins them: "entry,subscription,label's length in bytes,label" for each, joined by
// commas ("" for none). Each row's seq is its place in rows.
func parseDigestMatches(rows []digestRow, due int, list string) ([]digestRow, error) {
	for p := 0; p < len(list); {
		if p > 0 {
			if list[p] != ',' {
				return rows, fmt.Errorf("match list of chat %d: no comma at %d", due, p)
			}
			p++
		}
		var nums [3]int64
		for k := range nums {
			c := strings.IndexByte(list[p:], ',')
			if c < 0 {
				return rows, fmt.Errorf("match list of chat %d: cut short at %d", due, p)
			}
			n, err := strconv.ParseInt(list[p:p+c], 10, 64)
			if err != nil {
				return rows, fmt.Errorf("match list of chat %d: %w", due, err)
			}
			nums[k], p = n, p+c+1
		}
		if nums[2] < 0 || nums[2] > int64(len(list)-p) {
			return rows, fmt.Errorf("match list of chat %d: label of %d bytes at %d", due, nums[2], p)
		}
		end := p + int(nums[2])
		rows = append(rows, digestRow{due: due, entry: nums[0], sub: nums[1], label: list[p:end], seq: len(rows)})
		p = end
	}
	return rows, nil
}

// countDigestItems counts the (chat, entry) pairs of rows sorted by chat and entry.
func countDigestItems(rows []digestRow) int {
	n := 0
	for k := range rows {
		if k == 0 || rows[k].due != rows[k-1].due || rows[k].entry != rows[k-1].entry {
			n++
		}
	}
	return n
}

// loadEntries fills entries (keyed by row id) with the stored entries.
func (s *Store) loadEntries(ctx context.Context, entries map[int64]*StoredEntry) error {
	if len(entries) == 0 {
		return nil
	}
	var ids strings.Builder
	ids.WriteByte('[')
	for id := range entries {
		if ids.Len() > 1 {
			ids.WriteByte(',')
		}
		fmt.Fprint(&ids, id)
	}
	ids.WriteByte(']')
	rows, err := s.reader.QueryContext(ctx, `SELECT `+entryColumns+` FROM entries e WHERE e.id IN (SELECT value FROM `+s.dialect.jsonInts("?", "ids")+`)`, ids.String())
	if err != nil {
		return fmt.Errorf("subscriptions: load entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e := new(StoredEntry)
		dest, fill := entryFields(e)
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("subscriptions: load entries: %w", err)
		}
		fill()
		entries[e.RowID] = e
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("subscriptions: load entries: %w", err)
	}
	return nil
}

// DigestRun is a digest composed for one chat.
type DigestRun struct {
	Due DueDigest
	// Messages are the digest's messages as rendered; none when there was nothing new.
	Messages []string
	// Entries counts the entries in it; Cursor is digestItems' end.
	Entries int
	Cursor  int64
}

// RecordDigests queues the messages of each run and schedules its chat's next digest, all in
// one transaction; queued[i] reports whether runs[i]'s messages were queued. A chat gets at
// most one digest per local day: when one was already recorded for that day (in its zone now,
// or under the date it was recorded for) nothing is queued and the entries wait for the next.
// An expired digest (see DueDigest) queues nothing either. Held instant alerts (quiet hours)
// of entries the digest covers are dropped: the digest brings them. With no messages only
// the schedule moves.
func (s *Store) RecordDigests(ctx context.Context, runs []DigestRun) (queued []bool, err error) {
	now := s.now()
	queued = make([]bool, len(runs))
	err = s.write(ctx, func(tx *sql.Tx) error {
		clear(queued)
		// The statements run without ctx's cancellation: go-sqlite3 runs each statement with
		// a cancellable context on a goroutine of its own, which cost more than the short
		// statements. A cancelled ctx still ends the transaction (database/sql rolls it back
		// and the next statement fails).
		ctx := context.WithoutCancel(ctx)
		chats, err := loadDigestChats(ctx, tx, s.dialect, runs)
		if err != nil {
			return err
		}
		for i, run := range runs {
			c, ok := chats[run.Due.Chat.ID]
			if !ok {
				continue // forgotten meanwhile
			}
			q, last, err := recordDigest(ctx, tx, s.location, run, c, now)
			if err != nil {
				return fmt.Errorf("chat %d: %w", run.Due.Chat.ID, err)
			}
			c.last = last
			chats[run.Due.Chat.ID] = c
			queued[i] = q
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("subscriptions: record digests: %w", err)
	}
	return queued, nil
}

// digestChat is what recording a digest reads of its chat's row.
type digestChat struct {
	hhmm, zone, quiet string
	last              lastRun
}

// loadDigestChats reads the rows of the runs' chats, in one query; a chat forgotten
// meanwhile has none.
func loadDigestChats(ctx context.Context, tx *sql.Tx, d dialect, runs []DigestRun) (map[int64]digestChat, error) {
	var ids strings.Builder
	ids.WriteByte('[')
	for i, run := range runs {
		if i > 0 {
			ids.WriteByte(',')
		}
		ids.WriteString(strconv.FormatInt(run.Due.Chat.ID, 10))
	}
	ids.WriteByte(']')
	rows, err := tx.QueryContext(ctx, `
		SELECT id, digest_time, time_zone, quiet_start, last_digest_date, last_digest_at FROM chats
		WHERE id IN (SELECT value FROM `+d.jsonInts("?", "ids")+`)`, ids.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	chats := make(map[int64]digestChat, len(runs))
	for rows.Next() {
		var id int64
		var c digestChat
		if err := rows.Scan(&id, &c.hhmm, &c.zone, &c.quiet, &c.last.date, &c.last.scheduled); err != nil {
			return nil, err
		}
		chats[id] = c
	}
	return chats, rows.Err()
}

// recordDigest records one run of RecordDigests for chat c as read in the transaction, and
// returns whether it queued messages and the chat's lastRun after it.
func recordDigest(ctx context.Context, tx *sql.Tx, location func(string) *time.Location, run DigestRun, dc digestChat, now time.Time) (bool, lastRun, error) {
	c := run.Due.Chat
	hhmm, zone, quiet, last := dc.hhmm, dc.zone, dc.quiet, dc.last
	loc := location(zone) // the chat's settings now, should they have changed since dueDigests
	queued := false
	if len(run.Messages) > 0 && !run.Due.Expired && !last.covers(run.Due.Scheduled, loc) {
		date := run.Due.Scheduled.In(loc).Format(time.DateOnly)
		r, err := tx.ExecContext(ctx, `
			INSERT INTO digest_runs (chat_id, local_date, entries, scheduled_at, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, c.ID, date, run.Entries, unix(run.Due.Scheduled), unix(now))
		if err != nil {
			return false, last, err
		}
		n, err := r.RowsAffected()
		if err != nil {
			return false, last, err
		}
		if queued = n == 1; queued {
			last = last.record(date, run.Due.Scheduled)
		}
	}
	cursor := sql.NullInt64{}
	if queued {
		for _, text := range run.Messages {
			_, err := tx.ExecContext(ctx, `
				INSERT INTO outbox (chat_id, thread_id, kind, text, due_at, created_at) VALUES (?, ?, 'digest', ?, ?, ?)`,
				c.ID, c.DigestThread, text, unix(now), unix(now))
			if err != nil {
				return false, last, err
			}
		}
		if quiet != "" { // without quiet hours there are no held alerts (SetQuietHours releases them)
			_, err := tx.ExecContext(ctx, `
				DELETE FROM outbox WHERE chat_id = ?1 AND kind = 'alert' AND due_at > ?2 AND EXISTS (
					SELECT 1 FROM matches m JOIN subscriptions s ON s.id = m.subscription_id
					WHERE m.chat_id = ?1 AND m.entry_id = outbox.entry_id AND m.id > ?3 AND m.id <= ?4
						AND s.mode IN ('digest', 'both'))`,
				c.ID, unix(now), run.Due.Cursor, run.Cursor)
			if err != nil {
				return false, last, err
			}
		}
		cursor = sql.NullInt64{Int64: run.Cursor, Valid: true}
	}
	next := nextDigestAt(hhmm, loc, now, last)
	_, err := tx.ExecContext(ctx, `
		UPDATE chats SET next_digest_at = ?, digest_cursor = COALESCE(?, digest_cursor), last_digest_date = ?, last_digest_at = ?
		WHERE id = ?`, next, cursor, last.date, last.scheduled, c.ID)
	return queued, last, err
}
