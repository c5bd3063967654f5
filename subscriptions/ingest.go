package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"livealert/sources"
	"livealert/subscriptions/match"
)

// IngestResult says what one Ingest did.
type IngestResult struct {
	// New counts entries recorded for the first time, Edited those whose content changed.
	New, Edited int
	// Queued counts the alerts queued: one per chat and forum topic per new entry.
	Queued int
	// Primed is true when this was the source's first recorded poll: its entries were recorded
	// and nobody was alerted.
	Primed bool
}

// IngestOptions change what Ingest does with a source's entries.
type IngestOptions struct {
	// AlertOnEdit matches an edited entry (one whose content hash changed) again and queues
	// an alert to every chat it matches now, as for a new entry. An alert still waiting in
	// the outbox is not doubled: it will show the edited text.
	AlertOnEdit bool
}

// Ingest records the entries of one poll of a source and, in the same transaction, matches
// every entry it had not seen against the subscriptions and queues one alert per chat (and
// forum topic) that it matched. There is no moment at which an entry is recorded but its
// alerts are not queued. The first poll of a source records its entries without alerting
// anyone, so adding a source never floods chats with old news. An entry seen before is not
// alerted again; an edited one has its stored text updated (and is alerted again only with
// opts.AlertOnEdit).
func (s *Store) Ingest(ctx context.Context, source string, entries []sources.Entry, opts IngestOptions) (IngestResult, error) {
	var res IngestResult
	matcher := s.Matcher()
	now := s.now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		res = IngestResult{}
		var primed int
		err := tx.QueryRowContext(ctx, `SELECT primed FROM source_state WHERE name = ?`, source).Scan(&primed)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res.Primed = primed == 0
		policy, err := newAlertPolicy(ctx, tx, s.dialect, now, s.location)
		if err != nil {
			return err
		}
		defer policy.close()
		var st stories
		for _, e := range entries {
			if e.Published.IsZero() {
				e.Published = now
			}
			var rowID int64
			var hash string
			err := tx.QueryRowContext(ctx, `SELECT id, hash FROM entries WHERE source = ? AND entry_key = ?`, source, e.ID).Scan(&rowID, &hash)
			switch {
			case err == nil && hash == e.Hash:
				continue
			case err == nil:
				res.Edited++
				_, err = tx.ExecContext(ctx, `UPDATE entries SET title = ?, body = ?, url = ?, hash = ? WHERE id = ?`,
					e.Title, strings.Join(e.Body, "\n"), e.URL, e.Hash, rowID)
				if err != nil {
					return err
				}
				if opts.AlertOnEdit && !res.Primed {
					hits, terms := matcher.MatchWithTerms(match.NewDocument(e.Title, e.Body))
					queued, err := queueAlerts(ctx, tx, policy, rowID, 0, hits, terms)
					if err != nil {
						return err
					}
					res.Queued += queued
				}
				continue
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			err = tx.QueryRowContext(ctx, `
				INSERT INTO entries (source, entry_key, published, title, body, url, pinned, hash, first_seen)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				source, e.ID, unix(e.Published), e.Title, strings.Join(e.Body, "\n"), e.URL, boolInt(e.Pinned), e.Hash, unix(now)).
				Scan(&rowID)
			if err != nil {
				return err
			}
			res.New++
			if res.Primed {
				continue
			}
			storyID, err := st.record(ctx, tx, now, rowID, source, match.NewStory(e.Title, e.Body))
			if err != nil {
				return err
			}
			hits, terms := matcher.MatchWithTerms(match.NewDocument(e.Title, e.Body))
			queued, err := queueAlerts(ctx, tx, policy, rowID, storyID, hits, terms)
			if err != nil {
				return err
			}
			res.Queued += queued
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO source_state (name, primed) VALUES (?, 1)
			ON CONFLICT (name) DO UPDATE SET primed = 1`, source)
		return err
	})
	if err != nil {
		return IngestResult{}, fmt.Errorf("subscriptions: ingest %s: %w", source, err)
	}
	return res, nil
}

// queueAlerts records the hits of one entry as matches and queues one alert per chat and
// forum topic, labelled with everything that matched there, as policy allows: muted
// subscriptions record nothing, digest-mode ones only the match, muted chats get no alert and
// chats in quiet hours get theirs due when the hours end. hits are ordered by chat and thread
// (Matcher.Match's order) and terms[i] are the terms that made hits[i] match
// (Matcher.MatchWithTerms). Each alert carries its labels, the subscription shown as each
// label (the oldest of the thread's shown alike) and the terms of its instant subscriptions.
// With storyID, the entry's story (see stories.go), an alert to a thread alerted to that story
// within StoryWindow is queued as an "also" row (also_of), due no earlier than the first alert;
// any other alert is recorded as the thread's first of the story. storyID is 0 for an edited
// entry, which starts no story. It returns how many alerts it queued.
func queueAlerts(ctx context.Context, tx *sql.Tx, policy *alertPolicy, entryID, storyID int64, hits []match.Hit, terms [][]string) (int, error) {
	if len(hits) == 0 {
		return 0, nil
	}
	if err := policy.preload(ctx, tx, hits); err != nil {
		return 0, err
	}
	d := policy.dialect
	matches := newRowBatch(tx, d, `INSERT INTO matches (chat_id, entry_id, subscription_id, label) VALUES `, "",
		`ON CONFLICT DO NOTHING`, "BIGINT", "BIGINT", "BIGINT", "TEXT")
	alerts := newRowBatch(tx, d, `INSERT INTO outbox (chat_id, thread_id, kind, entry_id, labels, subscription_ids, terms, due_at, created_at, also_of)
		SELECT v.column1, v.column2, 'alert', v.column3, v.column4, v.column5, v.column6, v.column7, v.column8, v.column9 FROM (VALUES `,
		`) v WHERE EXISTS (SELECT 1 FROM chats WHERE id = v.column1 AND active = 1)`, `ON CONFLICT DO NOTHING`,
		"BIGINT", "BIGINT", "BIGINT", "TEXT", "TEXT", "TEXT", "BIGINT", "BIGINT", "BIGINT")
	firsts := newRowBatch(tx, d, `INSERT INTO story_alerts (chat_id, thread_id, story_id, entry_id, created_at)
		SELECT v.column1, v.column2, v.column3, v.column4, v.column5 FROM (VALUES `,
		`) v WHERE EXISTS (SELECT 1 FROM chats WHERE id = v.column1 AND active = 1)`, `ON CONFLICT DO NOTHING`,
		"BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT")
	defer firsts.close()
	defer matches.close()
	defer alerts.close()
	var labels []string
	var ids []int64
	var rowTerms []string
	var buf []byte
	var lastTerms []string // the hit's terms whose JSON is lastJSON: rows of one query or topic share it
	var lastJSON string
	for i := 0; i < len(hits); {
		j := i
		labels, ids, rowTerms = labels[:0], ids[:0], nil
		shared := true // rowTerms is one hit's slice, not to be modified
		for ; j < len(hits) && hits[j].ChatID == hits[i].ChatID && hits[j].ThreadID == hits[i].ThreadID; j++ {
			h := hits[j]
			record, instant, err := policy.subscription(ctx, h.SubscriptionID)
			if err != nil {
				return 0, err
			}
			if !record {
				continue
			}
			if err := matches.add(ctx, h.ChatID, entryID, h.SubscriptionID, h.Label); err != nil {
				return 0, err
			}
			if !instant {
				continue
			}
			if !slices.Contains(labels, h.Label) {
				labels = append(labels, h.Label)
				ids = append(ids, h.SubscriptionID)
			}
			switch {
			case rowTerms == nil:
				rowTerms = terms[j]
			case shared:
				rowTerms, shared = append(slices.Clip(rowTerms), terms[j]...), false
			default:
				rowTerms = append(rowTerms, terms[j]...)
			}
		}
		due, alert, err := policy.alertDue(ctx, hits[i].ChatID)
		if err != nil {
			return 0, err
		}
		if !alert || len(labels) == 0 {
			i = j
			continue
		}
		if !shared {
			slices.Sort(rowTerms)
			rowTerms = slices.Compact(rowTerms)
		}
		if !shared || !sameSlice(rowTerms, lastTerms) {
			lastTerms, lastJSON = rowTerms, string(appendJSONStrings(buf[:0], rowTerms))
			if !shared {
				lastTerms = nil
			}
		}
		var alsoOf any // NULL: a first alert of its story
		if storyID != 0 {
			if storyID != entryID {
				firstDue, ok, err := storyAlerted(ctx, tx, policy.now, hits[i].ChatID, hits[i].ThreadID, storyID)
				if err != nil {
					return 0, err
				}
				if ok {
					alsoOf, due = storyID, maxTime(due, firstDue)
				}
			}
			if alsoOf == nil {
				if err := firsts.add(ctx, hits[i].ChatID, hits[i].ThreadID, storyID, entryID, unix(policy.now)); err != nil {
					return 0, err
				}
			}
		}
		buf = appendJSONInts(buf[:0], ids)
		err = alerts.add(ctx, hits[i].ChatID, hits[i].ThreadID, entryID, strings.Join(labels, "\n"), string(buf), lastJSON,
			unix(due), unix(policy.now), alsoOf)
		if err != nil {
			return 0, err
		}
		i = j
	}
	if err := matches.flush(ctx); err != nil {
		return 0, err
	}
	if err := alerts.flush(ctx); err != nil {
		return 0, err
	}
	if err := firsts.flush(ctx); err != nil {
		return 0, err
	}
	return int(alerts.inserted), nil
}

// sameSlice reports whether a and b are the same non-empty slice: same length and backing array.
func sameSlice(a, b []string) bool {
	return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0]
}

// maxTime returns the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
