package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"livealert/subscriptions/storetest"
)

// openSharedStores opens two stores on one database, as two instances would, both on clock.
func openSharedStores(t *testing.T, clock *testClock) (a, b *Store) {
	t.Helper()
	opts := testDatabase(t)
	opts.Now = clock.Now
	open := func() *Store {
		s, err := Open(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	return open(), open()
}

func TestLeaseAcquireRenewExpire(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	clock := &testClock{t: start}
	a, b := openSharedStores(t, clock)
	const ttl = 10 * time.Second

	la, ok, err := a.AcquireLease(ctx, "a", ttl)
	if err != nil || !ok {
		t.Fatalf("a acquires a free lease: ok %v, %v", ok, err)
	}
	if la.Holder != "a" || la.Epoch != 1 || !la.Expires.Equal(start.Add(ttl)) {
		t.Fatalf("a's lease = %+v, want holder a, epoch 1, expiring at %s", la, start.Add(ttl))
	}
	if cur, ok, err := b.AcquireLease(ctx, "b", ttl); err != nil || ok || cur.Holder != "a" {
		t.Fatalf("b acquires a held lease: ok %v, holder %q, %v; want refused, holder a", ok, cur.Holder, err)
	}

	// a renews before it expires: b still cannot take it when a's first term would have ended.
	clock.Set(start.Add(8 * time.Second))
	if la, err = a.RenewLease(ctx, la, ttl); err != nil {
		t.Fatalf("a renews: %v", err)
	}
	clock.Set(start.Add(ttl + time.Second))
	if _, ok, err := b.AcquireLease(ctx, "b", ttl); err != nil || ok {
		t.Fatalf("b acquires a renewed lease: ok %v, %v", ok, err)
	}

	// a stops renewing: at its expiry b takes it over, in the next epoch.
	clock.Set(la.Expires)
	lb, ok, err := b.AcquireLease(ctx, "b", ttl)
	if err != nil || !ok || lb.Epoch != 2 || lb.Holder != "b" {
		t.Fatalf("b acquires an expired lease: %+v, ok %v, %v; want b's, epoch 2", lb, ok, err)
	}
	if _, err := a.RenewLease(ctx, la, ttl); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("a renews a lease b took: %v, want ErrLeaseLost", err)
	}

	// b releases it: a takes it at once, in epoch 3; releasing b's old term again does nothing.
	if err := b.ReleaseLease(ctx, lb); err != nil {
		t.Fatal(err)
	}
	if cur, err := a.CurrentLease(ctx); err != nil || cur.Holder != "" {
		t.Fatalf("lease after release: %+v, %v; want no holder", cur, err)
	}
	la, ok, err = a.AcquireLease(ctx, "a", ttl)
	if err != nil || !ok || la.Epoch != 3 {
		t.Fatalf("a acquires a released lease: %+v, ok %v, %v; want epoch 3", la, ok, err)
	}
	if err := b.ReleaseLease(ctx, lb); err != nil {
		t.Fatal(err)
	}
	if cur, err := b.CurrentLease(ctx); err != nil || cur != la {
		t.Fatalf("lease after a stale release: %+v, %v; want %+v", cur, err, la)
	}

	// A lease that expired but that nobody took is still its holder's to renew.
	clock.Set(la.Expires.Add(time.Minute))
	if _, err := a.RenewLease(ctx, la, ttl); err != nil {
		t.Fatalf("a renews its expired, untaken lease: %v", err)
	}
}

func TestFenceRefusesStaleLeadersWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &testClock{t: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)}
	a, b := openSharedStores(t, clock)
	const ttl = 10 * time.Second

	la, ok, err := a.AcquireLease(ctx, "a", ttl)
	if err != nil || !ok {
		t.Fatalf("a acquires: ok %v, %v", ok, err)
	}
	a.Fence(la.Epoch)
	if err := a.RaiseInt(ctx, "k", 1); err != nil {
		t.Fatalf("the leader writes: %v", err)
	}
	select {
	case <-a.Fenced():
		t.Fatal("Fenced is closed while a leads")
	default:
	}

	clock.Set(la.Expires)
	lb, ok, err := b.AcquireLease(ctx, "b", ttl)
	if err != nil || !ok {
		t.Fatalf("b takes over: ok %v, %v", ok, err)
	}
	b.Fence(lb.Epoch)

	for _, write := range []struct {
		name string
		do   func() error
	}{
		{"RaiseInt", func() error { return a.RaiseInt(ctx, "k", 2) }},
		{"StartChat", func() error { _, _, err := a.StartChat(ctx, ChatInfo{ID: 7, Type: "private"}); return err }},
	} {
		if err := write.do(); !errors.Is(err, ErrFenced) {
			t.Errorf("the stale leader's %s: %v, want ErrFenced", write.name, err)
		}
	}
	select {
	case <-a.Fenced():
	default:
		t.Fatal("Fenced is not closed after a refused write")
	}
	if v, _, err := b.Value(ctx, "k"); err != nil || v != "1" {
		t.Fatalf("k = %q, %v; want the leader's 1, the stale write not made", v, err)
	}
	if _, err := b.Chat(ctx, 7); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the stale leader's chat: %v, want not found", err)
	}
	if err := b.RaiseInt(ctx, "k", 3); err != nil {
		t.Fatalf("the new leader writes: %v", err)
	}

	// An unfenced store (one instance, the default) writes whoever holds the lease.
	a.Fence(0)
	if err := a.RaiseInt(ctx, "k", 4); err != nil {
		t.Fatalf("an unfenced write: %v", err)
	}
}

// TestTakeoverWaitsForWritesInFlight: on PostgreSQL a takeover waits for the write
// transactions the old leader has in flight (the fence check locks the lease row), so none of
// them commits once another instance leads. (SQLite's one writer gives the same order.)
func TestTakeoverWaitsForWritesInFlight(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	clock := &testClock{t: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)}
	opts := Options{Driver: DriverPostgres, DSN: storetest.PostgresDSN(t), Topics: testTopics, Now: clock.Now}
	open := func() *Store {
		s, err := Open(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	la, ok, err := a.AcquireLease(ctx, "a", 10*time.Second)
	if err != nil || !ok {
		t.Fatalf("a acquires: ok %v, %v", ok, err)
	}
	a.Fence(la.Epoch)

	checked, finish := make(chan struct{}), make(chan struct{})
	wrote := make(chan error, 1)
	go func() {
		wrote <- a.write(ctx, func(tx *sql.Tx) error {
			close(checked) // the fence check is done: the lease row is locked
			<-finish
			_, err := tx.ExecContext(ctx, `INSERT INTO key_values (key, value) VALUES ('k', '1')`)
			return err
		})
	}()
	<-checked
	clock.Set(la.Expires)
	took := make(chan error, 1)
	go func() {
		_, ok, err := b.AcquireLease(ctx, "b", 10*time.Second)
		if err == nil && !ok {
			err = errors.New("lease not taken")
		}
		took <- err
	}()
	// Wait until the takeover waits on the lease row's lock, then let the write finish.
	raw := openRawDB(t, opts)
	for {
		var waiting int
		err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%leader_lease%'`).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case err := <-took:
			t.Fatalf("the takeover did not wait for the write in flight (%v)", err)
		case <-ctx.Done():
			t.Fatal("the takeover never waited")
		case <-time.After(10 * time.Millisecond): // pg_stat_activity has no signal to wait on
		}
	}
	close(finish)
	if err := <-wrote; err != nil {
		t.Fatalf("the write begun under a's lease: %v", err)
	}
	if err := <-took; err != nil {
		t.Fatalf("the takeover: %v", err)
	}
	if v, _, err := b.Value(ctx, "k"); err != nil || v != "1" {
		t.Fatalf("k = %q, %v; want the write committed before the takeover", v, err)
	}
	if err := a.RaiseInt(ctx, "k", 2); !errors.Is(err, ErrFenced) {
		t.Fatalf("a's write after the takeover: %v, want ErrFenced", err)
	}
}
