package subscriptions

import (
	"context"
	"testing"
)

// subscriptionForByQuery is what SubscriptionFor answers from memory, read from the
// database: the oldest of the chat's subscriptions in the thread whose label is label.
func subscriptionForByQuery(t *testing.T, s *Store, chatID int64, threadID int, label string) (int64, bool) {
	t.Helper()
	subs, err := s.Subscriptions(context.Background(), chatID)
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range subs {
		if sub.ThreadID == threadID && sub.Label(s.Catalog()) == label {
			return sub.ID, true
		}
	}
	return 0, false
}

func TestMatcherSubscriptionForAgreesWithStore(t *testing.T) {
	type probe struct {
		chatID   int64
		threadID int
		label    string
	}
	probes := []probe{
		{1, 0, "Drones"}, {1, 0, "Belgorod"}, {1, 0, "drone OR Belgorod"}, {1, 7, "Drones"},
		{2, 0, "Drones"}, {2, 0, "Air defence"}, {3, 0, "Drones"}, {-1009, 0, "Drones"},
		{-100, 0, "Drones"}, {1, 0, "drones"}, {1, 0, ""},
	}
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustStart(t, s, 1, "private")
	mustStart(t, s, 2, "private")
	mustStart(t, s, -100, "group")
	steps := []struct {
		name   string
		change func() error
		want   map[probe]bool // the probes that must be found; every other one is not
	}{
		{"no subscriptions", func() error { return nil }, nil},
		{"topics, a query and a forum topic", func() error {
			for _, f := range []func() (bool, error){
				func() (bool, error) { return s.FollowTopic(ctx, 1, 0, "Drones") },
				func() (bool, error) { return s.Follow(ctx, 1, 0, "Belgorod") },
				func() (bool, error) { return s.FollowTopic(ctx, 1, 0, "Belgorod") },
				func() (bool, error) { return s.Follow(ctx, 1, 0, "drone OR Belgorod") },
				func() (bool, error) { return s.FollowTopic(ctx, 1, 7, "Drones") },
				func() (bool, error) { return s.FollowTopic(ctx, 2, 0, "Air defence") },
				func() (bool, error) { return s.FollowTopic(ctx, -100, 0, "Drones") },
			} {
				if _, err := f(); err != nil {
					return err
				}
			}
			return nil
		}, map[probe]bool{
			{1, 0, "Drones"}: true, {1, 0, "Belgorod"}: true, {1, 0, "drone OR Belgorod"}: true,
			{1, 7, "Drones"}: true, {2, 0, "Air defence"}: true, {-100, 0, "Drones"}: true,
		}},
		{"unfollow one", func() error {
			_, err := s.UnfollowTopic(ctx, 1, 0, "Drones")
			return err
		}, map[probe]bool{
			{1, 0, "Belgorod"}: true, {1, 0, "drone OR Belgorod"}: true,
			{1, 7, "Drones"}: true, {2, 0, "Air defence"}: true, {-100, 0, "Drones"}: true,
		}},
		{"migrate a group", func() error { return s.MigrateChat(ctx, -100, -1009) }, map[probe]bool{
			{1, 0, "Belgorod"}: true, {1, 0, "drone OR Belgorod"}: true,
			{1, 7, "Drones"}: true, {2, 0, "Air defence"}: true, {-1009, 0, "Drones"}: true,
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := st.change(); err != nil {
				t.Fatal(err)
			}
			m := s.Matcher()
			for _, p := range probes {
				wantID, wantOK := subscriptionForByQuery(t, s, p.chatID, p.threadID, p.label)
				if wantOK != st.want[p] {
					t.Fatalf("%+v: the store has it %v, the case says %v", p, wantOK, st.want[p])
				}
				id, ok := m.SubscriptionFor(p.chatID, p.threadID, p.label)
				if id != wantID || ok != wantOK {
					t.Errorf("SubscriptionFor%+v = %d, %v; the store says %d, %v", p, id, ok, wantID, wantOK)
				}
			}
		})
	}
	// A deactivated chat keeps its subscriptions but leaves the matcher: SubscriptionFor
	// does not know them, and a caller must ask the store.
	if _, err := s.DeactivateChat(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if id, ok := s.Matcher().SubscriptionFor(2, 0, "Air defence"); ok {
		t.Errorf("inactive chat's subscription found: %d", id)
	}
}
