package subscriptions

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"livealert/sources"
	"livealert/subscriptions/match"
	"livealert/subscriptions/storetest"
)

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

var testTopics = []match.Topic{
	{Name: "Drones", Keywords: []string{"drone", "UAV", `"unmanned aerial vehicle"`}},
	{Name: "Belgorod", Keywords: []string{"Belgorod"}},
	{Name: "Air defence", Keywords: []string{`"air defence"`, `"shot down"`}},
}

// testDatabase returns Options naming a fresh, empty database of the driver the tests run on
// (storetest.Driver: an SQLite file in t.TempDir(), or a PostgreSQL database of its own), with
// testTopics. Opening them again opens the same database.
func testDatabase(t testing.TB) Options {
	t.Helper()
	if storetest.Driver() == DriverPostgres {
		return Options{Driver: DriverPostgres, DSN: storetest.PostgresDSN(t), Topics: testTopics}
	}
	return Options{Driver: DriverSQLite, Path: filepath.Join(t.TempDir(), "test.db"), Topics: testTopics}
}

// openRawDB opens the database of opts without a Store, as an older livealert or an operator
// would see it; ? placeholders work on both drivers.
func openRawDB(t testing.TB, opts Options) *sql.DB {
	t.Helper()
	var db *sql.DB
	if opts.Driver == DriverPostgres {
		config, err := pgx.ParseConfig(opts.DSN)
		if err != nil {
			t.Fatal(err)
		}
		db = sql.OpenDB(rebindConnector{stdlib.GetConnector(*config)})
	} else {
		var err error
		if db, err = sql.Open("sqlite3", "file:"+opts.Path+"?_foreign_keys=on"); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openTestStore opens a store on a fresh database (testDatabase) with testTopics and a clock
// at 2024-03-01 10:00 UTC.
func openTestStore(t testing.TB) (*Store, *testClock) {
	t.Helper()
	clock := &testClock{t: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)}
	opts := testDatabase(t)
	opts.Now = clock.Now
	s, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clock
}

func entry(id, title string, body ...string) sources.Entry {
	return sources.Entry{
		Source: "wire", ID: id, Title: title, Body: body,
		Published: time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC),
		Hash:      sources.ContentHash(title, body),
	}
}

func mustStart(t testing.TB, s *Store, id int64, typ string) Chat {
	t.Helper()
	c, _, err := s.StartChat(context.Background(), ChatInfo{ID: id, Type: typ, Title: "chat"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustIngest(t *testing.T, s *Store, entries ...sources.Entry) IngestResult {
	t.Helper()
	res, err := s.Ingest(context.Background(), "wire", entries, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// recordOneDigest records one run with RecordDigests and reports whether it was queued.
func recordOneDigest(ctx context.Context, s *Store, run DigestRun) (bool, error) {
	queued, err := s.RecordDigests(ctx, []DigestRun{run})
	if err != nil {
		return false, err
	}
	return queued[0], nil
}

func due(t *testing.T, s *Store) []Delivery {
	t.Helper()
	ds, err := s.DueDeliveries(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestOpenTwiceKeepsData(t *testing.T) {
	ctx := context.Background()
	opts := testDatabase(t)
	s, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.StartChat(ctx, ChatInfo{ID: 7, Type: "private"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Follow(ctx, 7, 0, "drones"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	subs, err := s.Subscriptions(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Query != "drones" {
		t.Fatalf("after reopening: %+v, want the one subscription to drones", subs)
	}
}

func TestIngestFirstPollAlertsNobody(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustStart(t, s, 1, "private")
	if _, err := s.FollowTopic(ctx, 1, 0, "drones"); err != nil {
		t.Fatal(err)
	}
	res := mustIngest(t, s, entry("a", "Drone attack overnight"), entry("b", "Markets calm"))
	if !res.Primed || res.New != 2 || res.Queued != 0 {
		t.Fatalf("first poll: %+v, want primed, 2 new, none queued", res)
	}
	if ds := due(t, s); len(ds) != 0 {
		t.Fatalf("first poll queued %d alerts", len(ds))
	}
	res = mustIngest(t, s, entry("a", "Drone attack overnight"), entry("b", "Markets calm"), entry("c", "Two UAVs downed"))
	if res.Primed || res.New != 1 || res.Queued != 1 {
		t.Fatalf("second poll: %+v, want 1 new, 1 queued", res)
	}
	ds := due(t, s)
	if len(ds) != 1 || ds[0].Entry.ID != "c" || ds[0].ChatID != 1 || ds[0].Kind != KindAlert {
		t.Fatalf("due: %+v, want the alert of entry c for chat 1", ds)
	}
	if got := ds[0].Labels; len(got) != 1 || got[0] != "Drones" {
		t.Fatalf("labels %q, want [Drones]", got)
	}
}

func TestIngestQueuesEachChatOnce(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustIngest(t, s) // prime the source
	for _, id := range []int64{1, 2, 3, 4} {
		mustStart(t, s, id, "private")
	}
	// Chat 1 matches by topic and by its own query: one alert with both labels.
	s.FollowTopic(ctx, 1, 0, "Drones")
	s.Follow(ctx, 1, 0, "Belgorod")
	// Chat 2 follows in two forum topics: one alert in each.
	s.FollowTopic(ctx, 2, 11, "Drones")
	s.FollowTopic(ctx, 2, 12, "Belgorod")
	// Chat 3 follows something else; chat 4 follows but is inactive.
	s.Follow(ctx, 3, 0, `"peace talks"`)
	s.FollowTopic(ctx, 4, 0, "Drones")
	if _, err := s.DeactivateChat(ctx, 4); err != nil {
		t.Fatal(err)
	}

	res := mustIngest(t, s, entry("x", "Drones strike Belgorod's outskirts", "Several UAVs were shot down."))
	if res.Queued != 3 {
		t.Fatalf("queued %d, want 3", res.Queued)
	}
	type key struct {
		chat   int64
		thread int
	}
	got := map[key][]string{}
	for _, d := range due(t, s) {
		got[key{d.ChatID, d.ThreadID}] = d.Labels
	}
	want := map[key][]string{
		{1, 0}:  {"Drones", "Belgorod"},
		{2, 11}: {"Drones"},
		{2, 12}: {"Belgorod"},
	}
	if len(got) != len(want) {
		t.Fatalf("alerts %v, want %v", got, want)
	}
	for k, labels := range want {
		if !equalStrings(got[k], labels) {
			t.Errorf("chat %d thread %d: labels %q, want %q", k.chat, k.thread, got[k], labels)
		}
	}
}

func TestIngestEditedEntryUpdatesWithoutAlert(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustIngest(t, s)
	mustStart(t, s, 1, "private")
	s.FollowTopic(ctx, 1, 0, "Drones")
	mustIngest(t, s, entry("a", "Drone attack", "first version"))
	edited := entry("a", "Drone attack", "second version, with more detail")
	res := mustIngest(t, s, edited)
	if res.New != 0 || res.Edited != 1 || res.Queued != 0 {
		t.Fatalf("edit: %+v, want 1 edited, nothing queued", res)
	}
	ds := due(t, s)
	if len(ds) != 1 {
		t.Fatalf("%d due, want the one alert of the first version", len(ds))
	}
	if got := ds[0].Entry.Body; len(got) != 1 || got[0] != "second version, with more detail" {
		t.Fatalf("body %q: the queued alert should show the entry as stored now", got)
	}
}

func TestOutboxLifecycle(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	mustIngest(t, s)
	mustStart(t, s, 1, "private")
	s.FollowTopic(ctx, 1, 0, "Drones")
	mustIngest(t, s, entry("a", "Drone one"), entry("b", "Drone two"), entry("c", "Drone three"))
	ds := due(t, s)
	if len(ds) != 3 {
		t.Fatalf("%d due, want 3", len(ds))
	}
	if err := s.DeliveredAll(ctx, []int64{ds[0].ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.PostponeAll(ctx, []int64{ds[1].ID}, clock.Now().Add(time.Minute), "502 bad gateway"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeadLetterAll(ctx, []int64{ds[2].ID}, "bad request: chat not found"); err != nil {
		t.Fatal(err)
	}
	if left := due(t, s); len(left) != 0 {
		t.Fatalf("%d due right after, want 0 (one sent, one postponed, one dead)", len(left))
	}
	next, ok, err := s.NextDue(ctx)
	if err != nil || !ok || !next.Equal(clock.Now().Add(time.Minute)) {
		t.Fatalf("next due %v %v %v, want %v", next, ok, err, clock.Now().Add(time.Minute))
	}
	clock.Set(clock.Now().Add(time.Minute))
	left := due(t, s)
	if len(left) != 1 || left[0].ID != ds[1].ID || left[0].Attempts != 1 {
		t.Fatalf("after a minute: %+v, want the postponed row with 1 attempt", left)
	}
	var dead int
	if err := s.reader.QueryRow(`SELECT COUNT(*) FROM dead_letters WHERE reason LIKE 'bad request%'`).Scan(&dead); err != nil || dead != 1 {
		t.Fatalf("dead letters %d (%v), want 1", dead, err)
	}
}

func TestDeactivateDropsQueueAndStartReactivates(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustIngest(t, s)
	mustStart(t, s, 1, "private")
	s.FollowTopic(ctx, 1, 0, "Drones")
	mustIngest(t, s, entry("a", "Drone one"), entry("b", "Drone two"))
	dropped, err := s.DeactivateChat(ctx, 1)
	if err != nil || dropped != 2 {
		t.Fatalf("dropped %d (%v), want 2", dropped, err)
	}
	if res := mustIngest(t, s, entry("c", "Drone three")); res.Queued != 0 {
		t.Fatalf("inactive chat got %d alerts queued", res.Queued)
	}
	c := mustStart(t, s, 1, "private")
	if !c.Active {
		t.Fatal("StartChat did not reactivate the chat")
	}
	if res := mustIngest(t, s, entry("d", "Drone four")); res.Queued != 1 {
		t.Fatalf("reactivated chat: %d queued, want 1 (its subscriptions were kept)", res.Queued)
	}
}

func TestMigrateChatMovesEverything(t *testing.T) {
	for _, newKnown := range []bool{false, true} {
		name := "new id unknown"
		if newKnown {
			name = "new id already started"
		}
		t.Run(name, func(t *testing.T) {
			s, _ := openTestStore(t)
			ctx := context.Background()
			mustIngest(t, s)
			mustStart(t, s, -100, "group")
			s.FollowTopic(ctx, -100, 0, "Drones")
			s.Follow(ctx, -100, 0, "Belgorod")
			if _, err := s.SetDigestTime(ctx, -100, "19:30", 0); err != nil {
				t.Fatal(err)
			}
			mustIngest(t, s, entry("a", "Drone one"))
			if newKnown {
				mustStart(t, s, -1009, "supergroup")
				s.FollowTopic(ctx, -1009, 0, "Drones")
			}
			if err := s.MigrateChat(ctx, -100, -1009); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Chat(ctx, -100); err != ErrNotFound {
				t.Fatalf("old chat: %v, want ErrNotFound", err)
			}
			subs, _ := s.Subscriptions(ctx, -1009)
			if len(subs) != 2 {
				t.Fatalf("new chat has %d subscriptions, want 2: %+v", len(subs), subs)
			}
			ds := due(t, s)
			if len(ds) != 1 || ds[0].ChatID != -1009 {
				t.Fatalf("queued: %+v, want the alert moved to -1009", ds)
			}
			if res := mustIngest(t, s, entry("b", "Drone two")); res.Queued != 1 {
				t.Fatalf("after migration %d queued, want 1", res.Queued)
			}
			c, _ := s.Chat(ctx, -1009)
			if !newKnown && c.DigestTime != "19:30" {
				t.Fatalf("digest time %q, want the old chat's 19:30", c.DigestTime)
			}
		})
	}
}

func TestFollowLimitsAndDuplicates(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustStart(t, s, 1, "private")
	created, err := s.Follow(ctx, 1, 0, "drones")
	if err != nil || !created {
		t.Fatalf("first follow: %v %v", created, err)
	}
	created, err = s.Follow(ctx, 1, 0, "drones")
	if err != nil || created {
		t.Fatalf("second follow of the same query: created=%v err=%v, want false, nil", created, err)
	}
	if _, err := s.Follow(ctx, 1, 0, `"unbalanced`); err == nil {
		t.Fatal("a query that does not parse was accepted")
	}
	if _, err := s.FollowTopic(ctx, 1, 0, "No such topic"); err == nil {
		t.Fatal("an unknown topic was accepted")
	}
	for i := 1; i < MaxSubscriptions; i++ {
		if _, err := s.Follow(ctx, 1, 0, "word"+string(rune('a'+i%26))+string(rune('a'+i/26))); err != nil {
			t.Fatalf("follow %d: %v", i, err)
		}
	}
	if _, err := s.Follow(ctx, 1, 0, "onemore"); err != ErrTooManySubscriptions {
		t.Fatalf("follow past the limit: %v, want ErrTooManySubscriptions", err)
	}
	if created, err := s.Follow(ctx, 1, 0, "drones"); err != nil || created {
		t.Fatalf("re-following at the limit: %v %v, want no error, not created", created, err)
	}
}

func TestRaiseIntOnlyGrows(t *testing.T) {
	t.Parallel()
	s, _ := openTestStore(t)
	ctx := context.Background()
	if v, ok, err := s.Value(ctx, "k"); err != nil || ok || v != "" {
		t.Fatalf("fresh store: %q, %v (%v), want none", v, ok, err)
	}
	for _, v := range []int64{5, 9, 7, -1} {
		if err := s.RaiseInt(ctx, "k", v); err != nil {
			t.Fatal(err)
		}
	}
	if v, ok, err := s.Value(ctx, "k"); err != nil || !ok || v != "9" {
		t.Fatalf("value %q, %v (%v), want 9", v, ok, err)
	}
	// Values compare as integers, not as text ("10" < "9").
	if err := s.RaiseInt(ctx, "k", 10); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := s.Value(ctx, "k"); v != "10" {
		t.Fatalf("value %q, want 10", v)
	}
}

func TestSourceStateRoundTripKeepsPrimed(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustIngest(t, s, entry("a", "x")) // primes "wire"
	st := sources.State{ETag: `"v2"`, LastModified: "Fri, 01 Mar 2024 09:00:00 GMT", LastSuccess: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), Failures: 2, LastError: "boom"}
	if err := s.SaveSourceState(ctx, "wire", st); err != nil {
		t.Fatal(err)
	}
	got, err := s.SourceState(ctx, "wire")
	if err != nil || got != st {
		t.Fatalf("state %+v (%v), want %+v", got, err, st)
	}
	if res := mustIngest(t, s, entry("b", "y")); res.Primed {
		t.Fatal("saving the watcher's state reset the primed flag")
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
