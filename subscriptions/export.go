package subscriptions

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"livealert/subscriptions/match"
)

// A chat's subscriptions and settings travel as a JSON document (/export, /import):
//
//	{
//	  "kind": "livealert.subscriptions",
//	  "version": 1,
//	  "settings": {"language": "uk", "time_zone": "Europe/Kyiv", "digest_time": "08:00",
//	               "quiet_start": "23:00", "quiet_end": "07:00", "muted_until": "2024-05-15T12:00:00Z"},
//	  "follows": [{"topic": "Storms", "mode": "both"},
//	              {"query": "re:/shell(ing|ed)\\s+\\w+/", "mode": "digest", "muted_until": "…"}]
//	}
//
// A follow has a topic (its name in the catalog) or a query, never both. digest_time "" is no
// digest; quiet_start and quiet_end are both set or both absent; muted_until (RFC 3339) is
// left out when not muted. Forum threads are not exported: an import follows in the thread
// it is made in. Unknown fields, another kind or version are refused.

// Export kinds and versions this package reads and writes.
const (
	ExportKind    = "livealert.subscriptions"
	ExportVersion = 1
	// MaxExportBytes bounds an export document read by ParseExport.
	MaxExportBytes = 64 << 10
)

// Export is a chat's subscriptions and settings as exported.
type Export struct {
	Kind     string         `json:"kind"`
	Version  int            `json:"version"`
	Settings ExportSettings `json:"settings"`
	Follows  []ExportFollow `json:"follows"`
}

// ExportSettings are a chat's settings.
type ExportSettings struct {
	Language   string     `json:"language,omitempty"`
	TimeZone   string     `json:"time_zone"`
	DigestTime string     `json:"digest_time"`
	QuietStart string     `json:"quiet_start,omitempty"`
	QuietEnd   string     `json:"quiet_end,omitempty"`
	MutedUntil *time.Time `json:"muted_until,omitempty"`
}

// ExportFollow is one subscription.
type ExportFollow struct {
	Topic      string     `json:"topic,omitempty"`
	Query      string     `json:"query,omitempty"`
	Mode       string     `json:"mode"`
	MutedUntil *time.Time `json:"muted_until,omitempty"`
}

// Label is what the follow is shown as: the topic's name or the query.
func (f ExportFollow) Label() string {
	if f.Topic != "" {
		return f.Topic
	}
	return f.Query
}

// ExportError is why ParseExport refused a document; Code names the problem for messages
// ("json", "kind", "version", "too_many", "query", "topic", "follow", "mode", "zone",
// "digest_time", "quiet", "language"), Item is the follow or value at fault.
type ExportError struct {
	Code string
	Item string
	err  error
}

func (e *ExportError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("subscriptions: import %s %q: %v", e.Code, e.Item, e.err)
	}
	return fmt.Sprintf("subscriptions: import %s %q", e.Code, e.Item)
}

func (e *ExportError) Unwrap() error { return e.err }

// Export returns the chat's subscriptions and settings; mutes already over are left out.
func (s *Store) Export(ctx context.Context, chatID int64) (Export, error) {
	c, err := s.Chat(ctx, chatID)
	if err != nil {
		return Export{}, err
	}
	subs, err := s.Subscriptions(ctx, chatID)
	if err != nil {
		return Export{}, err
	}
	now := s.now()
	muted := func(t time.Time) *time.Time {
		if !t.After(now) {
			return nil
		}
		u := t.UTC()
		return &u
	}
	e := Export{Kind: ExportKind, Version: ExportVersion, Follows: []ExportFollow{}, Settings: ExportSettings{
		Language: c.Language, TimeZone: c.TimeZone.String(), DigestTime: c.DigestTime,
		QuietStart: c.QuietStart, QuietEnd: c.QuietEnd, MutedUntil: muted(c.MutedUntil),
	}}
	for _, sub := range subs {
		f := ExportFollow{Query: sub.Query, Mode: sub.Mode, MutedUntil: muted(sub.MutedUntil)}
		if sub.Topic != "" {
			f.Topic = sub.Label(s.catalog)
		}
		e.Follows = append(e.Follows, f)
	}
	return e, nil
}

// ParseExport reads an export document strictly: at most MaxExportBytes, known fields only,
// this kind and version, at most MaxSubscriptions follows each a catalog topic or a query
// that parses, with a known mode, and valid settings. Errors are *ExportError. languages are
// the language codes a chat may have.
func ParseExport(data []byte, catalog *match.Catalog, languages []string) (Export, error) {
	if len(data) > MaxExportBytes {
		return Export{}, &ExportError{Code: "too_large"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var e Export
	if err := dec.Decode(&e); err != nil {
		return Export{}, &ExportError{Code: "json", err: err}
	}
	if dec.More() {
		return Export{}, &ExportError{Code: "json", err: errors.New("more than one JSON value")}
	}
	switch {
	case e.Kind != ExportKind:
		return Export{}, &ExportError{Code: "kind", Item: e.Kind}
	case e.Version != ExportVersion:
		return Export{}, &ExportError{Code: "version", Item: fmt.Sprint(e.Version)}
	case len(e.Follows) > MaxSubscriptions:
		return Export{}, &ExportError{Code: "too_many", Item: fmt.Sprint(len(e.Follows))}
	}
	for i, f := range e.Follows {
		switch {
		case (f.Topic == "") == (f.Query == ""):
			return Export{}, &ExportError{Code: "follow", Item: fmt.Sprint(i + 1)}
		case f.Topic != "":
			t, ok := catalog.Lookup(f.Topic)
			if !ok {
				return Export{}, &ExportError{Code: "topic", Item: f.Topic}
			}
			e.Follows[i].Topic = t.Name
		default:
			if _, err := match.ParseQuery(f.Query); err != nil {
				return Export{}, &ExportError{Code: "query", Item: f.Query, err: err}
			}
		}
		if f.Mode == "" {
			e.Follows[i].Mode = ModeBoth
		} else if m, ok := ParseMode(f.Mode); !ok || m != f.Mode {
			return Export{}, &ExportError{Code: "mode", Item: f.Mode}
		}
	}
	st := e.Settings
	if _, err := LoadZone(st.TimeZone); err != nil {
		return Export{}, &ExportError{Code: "zone", Item: st.TimeZone}
	}
	if st.DigestTime != "" {
		h, m, err := ParseClock(st.DigestTime)
		if err != nil {
			return Export{}, &ExportError{Code: "digest_time", Item: st.DigestTime}
		}
		e.Settings.DigestTime = fmt.Sprintf("%02d:%02d", h, m)
	}
	if st.QuietStart != "" || st.QuietEnd != "" {
		start, end, err := ParseQuietHours(st.QuietStart + "-" + st.QuietEnd)
		if err != nil {
			return Export{}, &ExportError{Code: "quiet", Item: st.QuietStart + "-" + st.QuietEnd}
		}
		e.Settings.QuietStart, e.Settings.QuietEnd = start, end
	}
	if st.Language != "" && !slices.Contains(languages, st.Language) {
		return Export{}, &ExportError{Code: "language", Item: st.Language}
	}
	return e, nil
}

// Import applies an export (from ParseExport) to the chat in one transaction: the settings
// replace the chat's, and each follow the chat does not have in the thread is added with its
// mode and mute; one it has takes the exported mode and mute. It returns how many follows it
// added, and ErrTooManySubscriptions, changing nothing, when the chat would have more than
// MaxSubscriptions.
func (s *Store) Import(ctx context.Context, chatID int64, threadID int, e Export) (int, error) {
	loc, err := LoadZone(e.Settings.TimeZone)
	if err != nil {
		return 0, err
	}
	now := s.now()
	muted := func(t *time.Time) int64 {
		if t == nil || !t.After(now) {
			return 0
		}
		return unix(*t)
	}
	added := 0
	err = s.write(ctx, func(tx *sql.Tx) error {
		last, err := loadLastRun(ctx, tx, chatID)
		if err != nil {
			return err
		}
		st := e.Settings
		next := nextDigestAt(st.DigestTime, loc, now, last)
		if _, err := tx.ExecContext(ctx, `
			UPDATE chats SET language = ?, time_zone = ?, digest_time = ?, next_digest_at = ?,
				quiet_start = ?, quiet_end = ?, muted_until = ? WHERE id = ?`,
			st.Language, loc.String(), st.DigestTime, next, st.QuietStart, st.QuietEnd, muted(st.MutedUntil), chatID); err != nil {
			return err
		}
		for _, f := range e.Follows {
			topic := ""
			if f.Topic != "" {
				topic = match.TopicKey(f.Topic)
			}
			res, err := tx.ExecContext(ctx, `
				UPDATE subscriptions SET mode = ?, muted_until = ?
				WHERE chat_id = ? AND thread_id = ? AND topic = ? AND query = ?`,
				f.Mode, muted(f.MutedUntil), chatID, threadID, topic, f.Query)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n > 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO subscriptions (chat_id, thread_id, topic, query, created_at, mode, muted_until)
				VALUES (?, ?, ?, ?, ?, ?, ?)`,
				chatID, threadID, topic, f.Query, unix(now), f.Mode, muted(f.MutedUntil)); err != nil {
				return err
			}
			added++
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions WHERE chat_id = ?`, chatID).Scan(&n); err != nil {
			return err
		}
		if n > MaxSubscriptions {
			return ErrTooManySubscriptions
		}
		return nil
	})
	if errors.Is(err, ErrTooManySubscriptions) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("subscriptions: import into chat %d: %w", chatID, err)
	}
	return added, s.rebuildMatcher(ctx)
}
