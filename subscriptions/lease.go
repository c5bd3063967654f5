package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Several instances may share one database; one of them, the leader, runs the bot. Who leads
// is the one row of leader_lease: its holder, its epoch (one more on every acquisition, so that
// each term of leadership has a number of its own) and when the lease ends unless renewed.
// Times are the store's clock (Options.Now): the instances' clocks must agree to well within
// the lease's time to live.
//
// A leader fences its store with its epoch (Fence): from then on every write transaction first
// reads the lease's epoch, inside the transaction, and is refused with ErrFenced when another
// instance has taken the lease since. On SQLite the write lock serialises that check with a
// takeover; on PostgreSQL the check locks the row (FOR SHARE), so a takeover waits for the
// write transactions in flight and none of them commits after it.

var (
	// ErrLeaseLost is returned by RenewLease when another instance has taken the lease.
	ErrLeaseLost = errors.New("subscriptions: leader lease lost: another instance took it")
	// ErrFenced is returned by a write of a fenced store once another instance has taken the
	// lease: the write is not made.
	ErrFenced = errors.New("subscriptions: write refused: another instance leads now")
)

// Lease is one term of leadership: who holds it, its epoch, and when it ends unless renewed.
type Lease struct {
	Holder  string
	Epoch   int64
	Expires time.Time
}

// fence is the epoch a store's writes are checked against (0: unfenced) and the signal of the
// first refused write.
type fence struct {
	epoch   atomic.Int64
	once    sync.Once // makes refused
	refuse  sync.Once // closes refused
	refused chan struct{}
}

// leaseRow is the name of the lease's one row.
const leaseRow = "bot"

// AcquireLease takes the lease for holder, for ttl, when nobody holds it or its holder let it
// expire; ok is false (and the lease returned the current one) when another holds it still.
func (s *Store) AcquireLease(ctx context.Context, holder string, ttl time.Duration) (l Lease, ok bool, err error) {
	if holder == "" {
		return Lease{}, false, errors.New("subscriptions: acquire lease: empty holder")
	}
	now := s.opts.Now()
	err = s.leaseTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE leader_lease SET holder = ?, epoch = epoch + 1, expires_ms = ?
			WHERE name = ? AND (holder = '' OR expires_ms <= ?)`,
			holder, now.Add(ttl).UnixMilli(), leaseRow, now.UnixMilli())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		ok = n == 1
		l, err = readLease(ctx, s, tx)
		return err
	})
	if err != nil {
		return Lease{}, false, fmt.Errorf("subscriptions: acquire lease: %w", err)
	}
	return l, ok, nil
}

// RenewLease extends l, held by this instance, to ttl from now. It returns ErrLeaseLost when
// another instance has taken the lease since (a lease that expired but that nobody took is
// still l's: no other instance led in between).
func (s *Store) RenewLease(ctx context.Context, l Lease, ttl time.Duration) (Lease, error) {
	expires := s.opts.Now().Add(ttl)
	var n int64
	err := s.leaseTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE leader_lease SET expires_ms = ? WHERE name = ? AND holder = ? AND epoch = ?`,
			expires.UnixMilli(), leaseRow, l.Holder, l.Epoch)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return l, fmt.Errorf("subscriptions: renew lease: %w", err)
	}
	if n != 1 {
		return l, ErrLeaseLost
	}
	l.Expires = time.UnixMilli(expires.UnixMilli()).UTC()
	return l, nil
}

// ReleaseLease gives l up so that another instance may take it at once; it does nothing when
// l is no longer held.
func (s *Store) ReleaseLease(ctx context.Context, l Lease) error {
	err := s.leaseTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			UPDATE leader_lease SET holder = '', expires_ms = 0 WHERE name = ? AND holder = ? AND epoch = ?`,
			leaseRow, l.Holder, l.Epoch)
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: release lease: %w", err)
	}
	return nil
}

// CurrentLease returns the lease as it stands: its holder is "" when nobody holds it.
func (s *Store) CurrentLease(ctx context.Context) (Lease, error) {
	var l Lease
	err := s.leaseTx(ctx, func(tx *sql.Tx) error {
		var err error
		l, err = readLease(ctx, s, tx)
		return err
	})
	if err != nil {
		return Lease{}, fmt.Errorf("subscriptions: read lease: %w", err)
	}
	return l, nil
}

// Fence makes every later write transaction check that the lease is still in epoch (see the
// top of this file); epoch is the Epoch of a lease this instance acquired. Unfenced, which is
// a store's start, writes do not look at the lease.
func (s *Store) Fence(epoch int64) {
	s.fence.epoch.Store(epoch)
}

// Fenced is closed when a write was first refused because another instance took the lease.
func (s *Store) Fenced() <-chan struct{} {
	return s.fence.refusedChan()
}

func (f *fence) refusedChan() chan struct{} {
	f.once.Do(func() { f.refused = make(chan struct{}) })
	return f.refused
}

// checkFence refuses tx, a write transaction just begun, with ErrFenced when the store is
// fenced and the lease has changed epoch since.
func (s *Store) checkFence(ctx context.Context, tx *sql.Tx) error {
	epoch := s.fence.epoch.Load()
	if epoch == 0 {
		return nil
	}
	var current int64
	if err := tx.QueryRowContext(ctx, `SELECT epoch FROM leader_lease WHERE name = ?`+s.dialect.forShare(), leaseRow).Scan(&current); err != nil {
		return fmt.Errorf("subscriptions: check lease: %w", err)
	}
	if current != epoch {
		s.fence.refuse.Do(func() { close(s.fence.refusedChan()) })
		return ErrFenced
	}
	return nil
}

// leaseTx runs fn in a write transaction that is never fenced: the lease's own.
func (s *Store) leaseTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func readLease(ctx context.Context, s *Store, tx *sql.Tx) (Lease, error) {
	var l Lease
	var expires int64
	err := tx.QueryRowContext(ctx, `SELECT holder, epoch, expires_ms FROM leader_lease WHERE name = ?`, leaseRow).
		Scan(&l.Holder, &l.Epoch, &expires)
	l.Expires = time.UnixMilli(expires).UTC()
	return l, err
}
