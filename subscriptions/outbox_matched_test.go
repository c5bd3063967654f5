package subscriptions

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"livealert/subscriptions/migrations"
)

// followForMatches makes chat 7 follow, in its main thread, the Drones topic, the query
// "belgorod*", the Air defence topic in digest mode, and "lake" (which nothing matches). It
// returns the ids of the first three.
func followForMatches(t *testing.T, s *Store) (drones, belgorod, air int64) {
	t.Helper()
	ctx := context.Background()
	mustStart(t, s, 7, "private")
	for _, f := range []func() (bool, error){
		func() (bool, error) { return s.FollowTopic(ctx, 7, 0, "Drones") },
		func() (bool, error) { return s.Follow(ctx, 7, 0, "belgorod*") },
		func() (bool, error) { return s.FollowTopic(ctx, 7, 0, "Air defence") },
		func() (bool, error) { return s.Follow(ctx, 7, 0, "lake") },
	} {
		if _, err := f(); err != nil {
			t.Fatal(err)
		}
	}
	subs, err := s.Subscriptions(ctx, 7)
	if err != nil || len(subs) != 4 {
		t.Fatalf("subscriptions %+v (%v)", subs, err)
	}
	if _, err := s.SetMode(ctx, 7, subs[2].ID, ModeDigest); err != nil {
		t.Fatal(err)
	}
	return subs[0].ID, subs[1].ID, subs[2].ID
}

// checkMatched checks the one due alert: the instant subscriptions that matched, parallel to
// their labels, and the terms of those only (not of the digest-only Air defence).
func checkMatched(t *testing.T, s *Store, drones, belgorod int64) {
	t.Helper()
	ds := due(t, s)
	if len(ds) != 1 {
		t.Fatalf("%d due, want 1", len(ds))
	}
	d := ds[0]
	if want := []string{"Drones", "belgorod*"}; !slices.Equal(d.Labels, want) {
		t.Errorf("labels %q, want %q", d.Labels, want)
	}
	if want := []int64{drones, belgorod}; !slices.Equal(d.SubscriptionIDs, want) {
		t.Errorf("subscription ids %v, want %v", d.SubscriptionIDs, want)
	}
	if want := []string{"belgorod", "belgorodskaya", "drone", "uav"}; !slices.Equal(d.Terms, want) {
		t.Errorf("terms %q, want %q", d.Terms, want)
	}
}

var matchedEntry = entry("1", "Drone shot down near Belgorod", "Air defence says the UAV fell in Belgorodskaya oblast.")

// TestAlertMatchesSurviveRestart queues an alert, closes the store and reads it from a new
// one: its subscription ids and terms are those recorded at ingest.
func TestAlertMatchesSurviveRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opts := testDatabase(t)
	s, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	drones, belgorod, _ := followForMatches(t, s)
	mustIngest(t, s) // primes the source
	if res := mustIngest(t, s, matchedEntry); res.Queued != 1 {
		t.Fatalf("queued %d, want 1", res.Queued)
	}
	var ids, terms string
	if err := s.reader.QueryRowContext(ctx, `SELECT subscription_ids, terms FROM outbox`).Scan(&ids, &terms); err != nil {
		t.Fatal(err)
	}
	if want := `["belgorod","belgorodskaya","drone","uav"]`; terms != want {
		t.Errorf("stored terms %s, want %s", terms, want)
	}
	checkMatched(t, s, drones, belgorod)
	s.Close()

	s, err = Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkMatched(t, s, drones, belgorod)
}

// TestAlertQueuedBeforeUpgrade takes a database back to before subscription ids and terms were
// recorded, queues an alert the way that version did, and opens it again: the migration
// leaves the row without them and reading it works them out from its labels.
func TestAlertQueuedBeforeUpgrade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opts := testDatabase(t)
	s, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	drones, belgorod, _ := followForMatches(t, s)
	mustIngest(t, s)
	s.Close()

	db := openRawDB(t, opts)
	// Back to the schema of version 6, whatever came after it, as an older livealert left it.
	provider, err := migrations.NewProvider(db, opts.Driver)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.DownTo(ctx, 6); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO entries (source, entry_key, published, title, body, url, hash, first_seen)
			VALUES ('wire', '1', 1, 'Drone shot down near Belgorod',
				'Air defence says the UAV fell in Belgorodskaya oblast.', '', 'h', 1)`,
		`INSERT INTO outbox (chat_id, thread_id, kind, entry_id, labels, due_at, created_at)
			VALUES (7, 0, 'alert', (SELECT MAX(id) FROM entries), 'Drones
belgorod*', 1, 1)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			db.Close()
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s, err = Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids sql.NullString
	if err := s.reader.QueryRowContext(ctx, `SELECT subscription_ids FROM outbox`).Scan(&ids); err != nil || ids.Valid {
		t.Fatalf("after the upgrade: subscription_ids %v (%v), want NULL", ids, err)
	}
	checkMatched(t, s, drones, belgorod)
}

func TestAppendJSONStrings(t *testing.T) {
	got := string(appendJSONStrings(nil, []string{"a\"b\\c", "ж\x01", "\xff", ""}))
	if want := `["a\"b\\c","ж\u0001","` + "\uFFFD" + `",""]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	d := Delivery{}
	if err := decodeMatched(&d, "[1,2]", got); err != nil || !slices.Equal(d.SubscriptionIDs, []int64{1, 2}) {
		t.Fatalf("decode: %v %v", d, err)
	}
	if want := []string{"a\"b\\c", "ж\x01", "\uFFFD", ""}; !slices.Equal(d.Terms, want) {
		t.Errorf("round trip %q, want %q", d.Terms, want)
	}
}

func TestDecodeMatchedRoundTrips(t *testing.T) {
	for _, tt := range []struct {
		ids   []int64
		terms []string
	}{
		{[]int64{3}, []string{"a", "ж"}},
		{[]int64{1, 1 << 62}, []string{""}},
		{[]int64{}, []string{}},
		{[]int64{-2}, []string{`"`, `\`, "a\",\"b"}},
	} {
		var d Delivery
		if err := decodeMatched(&d, string(appendJSONInts(nil, tt.ids)), string(appendJSONStrings(nil, tt.terms))); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(d.SubscriptionIDs, tt.ids) || !slices.Equal(d.Terms, tt.terms) {
			t.Errorf("%v %q: read back %v %q", tt.ids, tt.terms, d.SubscriptionIDs, d.Terms)
		}
	}
}
