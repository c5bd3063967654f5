package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// States of a source a user suggested (the user_sources table).
const (
	SourcePending  = "pending"  // waiting for an operator
	SourceApproved = "approved" // watched
	SourceRejected = "rejected" // an operator said no
	SourceRemoved  = "removed"  // was approved, then an operator removed it
)

// UserSource is a source a chat suggested (/source add).
type UserSource struct {
	ID     int64
	Name   string
	URL    string
	Format string
	// RequestedBy is the chat that suggested it, UserID the user who did (0 for a channel's
	// own post).
	RequestedBy, UserID int64
	Status              string
	CreatedAt           time.Time
	// DecidedBy is the operator who approved, rejected or removed it; 0 while pending or when
	// it was added at once.
	DecidedBy int64
	DecidedAt time.Time
}

// SuggestLimits bound the sources one chat has suggested: pending ones, and pending and
// approved ones together. Zero means no limit.
type SuggestLimits struct {
	Pending, Total int
}

// Errors of AddUserSource.
var (
	// ErrSourceTaken: a pending or approved source has this name or address already.
	ErrSourceTaken = errors.New("subscriptions: a suggested source has this name or address")
	// ErrPendingLimit and ErrTotalLimit: the chat is at SuggestLimits.Pending or .Total.
	ErrPendingLimit = errors.New("subscriptions: too many pending suggestions")
	ErrTotalLimit   = errors.New("subscriptions: too many suggested sources")
)

// userSourceColumns are the columns scanUserSource reads, in order.
const userSourceColumns = `id, name, url, format, requested_by, user_id, status, created_at, decided_by, decided_at`

func scanUserSource(row interface{ Scan(...any) error }) (UserSource, error) {
	var u UserSource
	var created, decided int64
	err := row.Scan(&u.ID, &u.Name, &u.URL, &u.Format, &u.RequestedBy, &u.UserID, &u.Status, &created, &u.DecidedBy, &decided)
	u.CreatedAt, u.DecidedAt = fromUnix(created), fromUnix(decided)
	return u, err
}

// AddUserSource records u (Name, URL, Format, RequestedBy, UserID; Status SourcePending, or
// SourceApproved for one added at once) and returns it as stored. In the same transaction it
// checks lim for u.RequestedBy — ErrPendingLimit, ErrTotalLimit — and that no pending or
// approved source has its name (case aside) or URL: ErrSourceTaken.
func (s *Store) AddUserSource(ctx context.Context, u UserSource, lim SuggestLimits) (UserSource, error) {
	if u.Status != SourcePending && u.Status != SourceApproved {
		return UserSource{}, fmt.Errorf("subscriptions: add user source %q: bad status %q", u.Name, u.Status)
	}
	u.CreatedAt = s.now().Truncate(time.Second)
	err := s.write(ctx, func(tx *sql.Tx) error {
		var pending, total int
		err := tx.QueryRowContext(ctx, `
			SELECT COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0), COUNT(*) FROM user_sources
			WHERE requested_by = ? AND status IN ('pending', 'approved')`, u.RequestedBy).Scan(&pending, &total)
		if err != nil {
			return err
		}
		if err := overLimits(pending, total, u.Status, lim); err != nil {
			return err
		}
		var taken int
		err = tx.QueryRowContext(ctx, `
			SELECT COUNT(*) FROM user_sources
			WHERE status IN ('pending', 'approved') AND (lower(name) = lower(?) OR url = ?)`, u.Name, u.URL).Scan(&taken)
		if err != nil {
			return err
		}
		if taken > 0 {
			return ErrSourceTaken
		}
		return tx.QueryRowContext(ctx, `
			INSERT INTO user_sources (name, url, format, requested_by, user_id, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Name, u.URL, u.Format, u.RequestedBy, u.UserID, u.Status, unix(u.CreatedAt)).Scan(&u.ID)
	})
	if err != nil {
		if errors.Is(err, ErrSourceTaken) || errors.Is(err, ErrPendingLimit) || errors.Is(err, ErrTotalLimit) {
			return UserSource{}, err
		}
		return UserSource{}, fmt.Errorf("subscriptions: add user source %q: %w", u.Name, err)
	}
	return u, nil
}

// CheckSuggestLimits returns ErrPendingLimit or ErrTotalLimit when the chat is at lim for a
// new suggestion of status (pending or approved), nil otherwise: a cheap look before a
// suggestion is checked; AddUserSource checks again as it records it.
func (s *Store) CheckSuggestLimits(ctx context.Context, chatID int64, status string, lim SuggestLimits) error {
	var pending, total int
	err := s.reader.QueryRowContext(ctx, `
		SELECT COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0), COUNT(*) FROM user_sources
		WHERE requested_by = ? AND status IN ('pending', 'approved')`, chatID).Scan(&pending, &total)
	if err != nil {
		return fmt.Errorf("subscriptions: suggestions of %d: %w", chatID, err)
	}
	return overLimits(pending, total, status, lim)
}

// overLimits is the limit a new suggestion of status would cross, nil for none.
func overLimits(pending, total int, status string, lim SuggestLimits) error {
	switch {
	case lim.Pending > 0 && status == SourcePending && pending >= lim.Pending:
		return ErrPendingLimit
	case lim.Total > 0 && total >= lim.Total:
		return ErrTotalLimit
	}
	return nil
}

// UserSources returns the suggested sources in any of statuses (all when none), oldest first.
func (s *Store) UserSources(ctx context.Context, statuses ...string) ([]UserSource, error) {
	q := `SELECT ` + userSourceColumns + ` FROM user_sources`
	args := make([]any, len(statuses))
	if len(statuses) > 0 {
		q += ` WHERE status IN (?` + strings.Repeat(`, ?`, len(statuses)-1) + `)`
		for i, st := range statuses {
			args[i] = st
		}
	}
	rows, err := s.reader.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: user sources: %w", err)
	}
	defer rows.Close()
	var out []UserSource
	for rows.Next() {
		u, err := scanUserSource(rows)
		if err != nil {
			return nil, fmt.Errorf("subscriptions: user sources: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: user sources: %w", err)
	}
	return out, nil
}

// DecideUserSource moves the pending source id to status (SourceApproved or SourceRejected),
// decided by the operator by, and returns it as it is now. decided is false, and nothing
// changes, when it is no longer pending (another operator was first); ErrNotFound when there
// is no such source.
func (s *Store) DecideUserSource(ctx context.Context, id int64, status string, by int64) (u UserSource, decided bool, err error) {
	if status != SourceApproved && status != SourceRejected {
		return UserSource{}, false, fmt.Errorf("subscriptions: decide user source %d: bad status %q", id, status)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE user_sources SET status = ?, decided_by = ?, decided_at = ?
			WHERE id = ? AND status = 'pending'`, status, by, unix(s.now()), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		decided = n == 1
		u, err = scanUserSource(tx.QueryRowContext(ctx, `SELECT `+userSourceColumns+` FROM user_sources WHERE id = ?`, id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return UserSource{}, false, ErrNotFound
	}
	if err != nil {
		return UserSource{}, false, fmt.Errorf("subscriptions: decide user source %d: %w", id, err)
	}
	return u, decided, nil
}

// RemoveUserSource marks the approved or pending source named name (case aside) removed by
// the operator by and returns it as it was; ErrNotFound when there is none. Its entries and
// state stay (its name may come back).
func (s *Store) RemoveUserSource(ctx context.Context, name string, by int64) (UserSource, error) {
	var u UserSource
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = scanUserSource(tx.QueryRowContext(ctx, `SELECT `+userSourceColumns+` FROM user_sources
			WHERE lower(name) = lower(?) AND status IN ('pending', 'approved')`, name))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE user_sources SET status = 'removed', decided_by = ?, decided_at = ? WHERE id = ?`,
			by, unix(s.now()), u.ID)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return UserSource{}, ErrNotFound
	}
	if err != nil {
		return UserSource{}, fmt.Errorf("subscriptions: remove user source %q: %w", name, err)
	}
	return u, nil
}
