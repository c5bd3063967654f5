package subscriptions

import (
	"context"
	"fmt"
	"time"

	"livealert/subscriptions/match"
)

// Matchable is what can be matched against a document: a *Query or a *CompiledTopic.
type Matchable interface {
	Match(d *match.Document) bool
}

// maxHistoryScan is how many of the newest stored entries RecentMatches reads at most: the
// bound on what /search and /latest look through, since entries are matched in Go (SQLite's
// full-text search needs a build tag we do not use).
const maxHistoryScan = 5000

// recentEntries returns the stored entries first recorded at or after since (all of them for
// a zero since), newest first by publication time, at most limit of them.
func (s *Store) recentEntries(ctx context.Context, since time.Time, limit int) ([]StoredEntry, error) {
	rows, err := s.reader.QueryContext(ctx, `
		SELECT `+entryColumns+` FROM entries e
		WHERE e.first_seen >= ?
		ORDER BY e.published DESC, e.id DESC
		LIMIT ?`, unix(since), limit)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: recent entries: %w", err)
	}
	defer rows.Close()
	var out []StoredEntry
	for rows.Next() {
		var e StoredEntry
		dest, fill := entryFields(&e)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("subscriptions: recent entries: %w", err)
		}
		fill()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: recent entries: %w", err)
	}
	return out, nil
}

// RecentMatches returns the stored entries first recorded at or after since (all for a zero
// since) that q matches, newest first, looking through at most maxHistoryScan entries.
func (s *Store) RecentMatches(ctx context.Context, q Matchable, since time.Time) ([]StoredEntry, error) {
	entries, err := s.recentEntries(ctx, since, maxHistoryScan)
	if err != nil {
		return nil, err
	}
	out := entries[:0]
	for _, e := range entries {
		if q.Match(match.NewEntryDocument(e.Source, e.Title, e.Body)) {
			out = append(out, e)
		}
	}
	return out, nil
}
