package subscriptions

import (
	"database/sql"
	"strings"
	"time"

	"livealert/sources"
)

// StoredEntry is an entry as recorded.
type StoredEntry struct {
	sources.Entry
	// RowID is the entry's id in the store; 0 when a query found no entry.
	RowID int64
	// FirstSeen is when the store recorded it.
	FirstSeen time.Time
}

// entryColumns lists, for a query aliasing entries as e, the columns entryFields scans.
const entryColumns = `e.id, e.source, e.entry_key, e.published, e.title, e.body, e.url, e.pinned, e.hash, e.first_seen`

// entryFields returns scan destinations for entryColumns and a function that fills e once the
// row was scanned. All-NULL columns (an outer join that found no entry) leave e zero.
func entryFields(e *StoredEntry) ([]any, func()) {
	var id, published, pinned, firstSeen sql.NullInt64
	var source, key, title, body, url, hash sql.NullString
	dest := []any{&id, &source, &key, &published, &title, &body, &url, &pinned, &hash, &firstSeen}
	return dest, func() {
		if !id.Valid {
			return
		}
		e.RowID = id.Int64
		e.Source, e.ID, e.Title, e.URL, e.Hash = source.String, key.String, title.String, url.String, hash.String
		e.Published, e.FirstSeen = fromUnix(published.Int64), fromUnix(firstSeen.Int64)
		e.Pinned = pinned.Int64 == 1
		if body.String != "" {
			e.Body = strings.Split(body.String, "\n")
		}
	}
}
