package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Access states of a user or chat id recorded in the store (see the access table).
const (
	AccessNone    = ""        // nothing recorded: the configuration decides
	AccessAllowed = "allowed" // an operator allowed it
	AccessDenied  = "denied"  // an operator denied it, whatever the configuration says
	AccessRefused = "refused" // a stranger the bot has told once that it is private
)

// Access returns what is recorded for id, AccessNone when nothing is.
func (s *Store) Access(ctx context.Context, id int64) (string, error) {
	var state string
	err := s.reader.QueryRowContext(ctx, `SELECT state FROM access WHERE id = ?`, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return AccessNone, nil
	}
	if err != nil {
		return "", fmt.Errorf("subscriptions: access of %d: %w", id, err)
	}
	return state, nil
}

// SetAccess records state (AccessAllowed or AccessDenied) for id, by the operator by.
func (s *Store) SetAccess(ctx context.Context, id int64, state string, by int64) error {
	if state != AccessAllowed && state != AccessDenied {
		return fmt.Errorf("subscriptions: set access of %d: bad state %q", id, state)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO access (id, state, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4)
			ON CONFLICT (id) DO UPDATE SET state = ?2, changed_by = ?3, changed_at = ?4`,
			id, state, by, unix(s.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: set access of %d: %w", id, err)
	}
	return nil
}

// MarkRefused records that the stranger id was told the bot is private, and reports whether
// that is news: true the first time only, so the refusal is sent once. It leaves an id an
// operator decided about as it is (and reports false).
func (s *Store) MarkRefused(ctx context.Context, id int64) (bool, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO access (id, state, changed_at) VALUES (?, 'refused', ?)
			ON CONFLICT (id) DO NOTHING`, id, unix(s.now()))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("subscriptions: mark %d refused: %w", id, err)
	}
	return n == 1, nil
}
