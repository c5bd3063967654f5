package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"livealert/sources"
)

// SourceState returns what the watcher remembered of the source; the zero State for a source
// never seen. It makes Store a sources.StateStore.
func (s *Store) SourceState(ctx context.Context, name string) (sources.State, error) {
	var st sources.State
	var success int64
	err := s.reader.QueryRowContext(ctx, `
		SELECT etag, last_modified, last_success, failures, last_error, page, last_post FROM source_state WHERE name = ?`, name).
		Scan(&st.ETag, &st.LastModified, &success, &st.Failures, &st.LastError, &st.Page, &st.LastPost)
	if errors.Is(err, sql.ErrNoRows) {
		return sources.State{}, nil
	}
	if err != nil {
		return sources.State{}, fmt.Errorf("subscriptions: state of source %s: %w", name, err)
	}
	st.LastSuccess = fromUnix(success)
	return st, nil
}

// SaveSourceState stores what the watcher wants remembered of the source. It leaves the
// source's primed flag, which only Ingest sets, alone.
func (s *Store) SaveSourceState(ctx context.Context, name string, st sources.State) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO source_state (name, etag, last_modified, last_success, failures, last_error, page, last_post)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
				last_success = excluded.last_success, failures = excluded.failures, last_error = excluded.last_error,
				page = excluded.page, last_post = excluded.last_post`,
			name, st.ETag, st.LastModified, unix(st.LastSuccess), st.Failures, st.LastError, st.Page, st.LastPost)
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: save state of source %s: %w", name, err)
	}
	return nil
}

// SourceStates returns the stored State of every source the store has seen, by name.
func (s *Store) SourceStates(ctx context.Context) (map[string]sources.State, error) {
	rows, err := s.reader.QueryContext(ctx, `
		SELECT name, etag, last_modified, last_success, failures, last_error, page, last_post FROM source_state`)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: source states: %w", err)
	}
	defer rows.Close()
	out := make(map[string]sources.State)
	for rows.Next() {
		var (
			name    string
			st      sources.State
			success int64
		)
		if err := rows.Scan(&name, &st.ETag, &st.LastModified, &success, &st.Failures, &st.LastError, &st.Page, &st.LastPost); err != nil {
			return nil, fmt.Errorf("subscriptions: source states: %w", err)
		}
		st.LastSuccess = fromUnix(success)
		out[name] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: source states: %w", err)
	}
	return out, nil
}
