package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"livealert/subscriptions"
)

// With storage.shared, several instances run on one database and one of them, the leader,
// runs the bot (README, "Running two instances"). The leader renews the lease every
// leaseRenew; a standby tries to take it as often, and succeeds once the lease has not been
// renewed for leaseTTL: a dead leader is replaced within leaseTTL + leaseRenew.
const (
	leaseTTL   = 10 * time.Second
	leaseRenew = 2 * time.Second
)

// leadership is this instance's part in the lease: waiting as a standby, then keeping the lease
// while it leads.
type leadership struct {
	store  *subscriptions.Store
	holder string
	now    func() time.Time
	log    *slog.Logger

	wg    sync.WaitGroup // the renewal goroutine
	mu    sync.Mutex
	lease subscriptions.Lease // the lease held, Epoch 0 when none
}

func newLeadership(store *subscriptions.Store, now func() time.Time, log *slog.Logger) *leadership {
	return &leadership{store: store, holder: holderID(), now: now, log: log}
}

// holderID names this process among the instances: host, process id and a random part.
func holderID() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	var r [4]byte
	rand.Read(r[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(r[:]))
}

// lead waits as a standby until this instance takes the lease, fences the store with the
// lease's epoch (see subscriptions.Store.Fence) and returns a context that ends, with its
// cause, when this instance stops leading: another took the lease, no renewal succeeded for
// leaseTTL less one renewal period (another may take it soon), or a write was refused by the
// fence. It returns ctx's error when ctx ends first.
func (l *leadership) lead(ctx context.Context) (context.Context, error) {
	tick := time.NewTicker(leaseRenew)
	defer tick.Stop()
	var leader string // the holder last logged
	for {
		lease, ok, err := l.store.AcquireLease(ctx, l.holder, leaseTTL)
		switch {
		case err != nil && ctx.Err() == nil:
			l.log.Warn("leader lease unavailable", "error", err)
		case err == nil && ok:
			l.mu.Lock()
			l.lease = lease
			l.mu.Unlock()
			l.store.Fence(lease.Epoch)
			l.log.Info("became leader", "holder", l.holder, "epoch", lease.Epoch)
			lctx, cancel := context.WithCancelCause(ctx)
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				l.keep(lctx, cancel, lease)
			}()
			return lctx, nil
		case err == nil && lease.Holder != leader:
			leader = lease.Holder
			l.log.Info("standby", "holder", l.holder, "leader", leader, "epoch", lease.Epoch)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
}

// keep renews lease every leaseRenew until ctx ends, and ends ctx (cancel) when this instance
// stops leading (see lead).
func (l *leadership) keep(ctx context.Context, cancel context.CancelCauseFunc, lease subscriptions.Lease) {
	tick := time.NewTicker(leaseRenew)
	defer tick.Stop()
	valid := lease.Expires.Add(-leaseRenew) // lead while now is before: no other instance can lead yet
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.store.Fenced():
			cancel(subscriptions.ErrFenced)
			return
		case <-tick.C:
		}
		start := l.now()
		rctx, rcancel := context.WithTimeout(ctx, leaseRenew)
		renewed, err := l.store.RenewLease(rctx, lease, leaseTTL)
		rcancel()
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, subscriptions.ErrLeaseLost):
			cancel(err)
			return
		case err != nil:
			if !l.now().Before(valid) {
				cancel(fmt.Errorf("leader lease not renewed in time: %w", err))
				return
			}
			l.log.Warn("leader lease renewal failed", "error", err, "lead_left", valid.Sub(l.now()).Round(time.Millisecond))
		default:
			lease = renewed
			valid = start.Add(leaseTTL - leaseRenew)
		}
	}
}

// release waits for the renewal to end and gives the lease up, when this instance still holds
// it, so that a standby takes over at once: for a leader that stopped (the bot ended first).
func (l *leadership) release(ctx context.Context) {
	l.wg.Wait()
	l.mu.Lock()
	lease := l.lease
	l.mu.Unlock()
	if lease.Epoch == 0 {
		return
	}
	if err := l.store.ReleaseLease(ctx, lease); err != nil {
		l.log.Warn("leader lease not released", "error", err)
		return
	}
	l.log.Info("leader lease released", "epoch", lease.Epoch)
}
