package subscriptions

import (
	"context"
	"testing"
	"time"
)

func TestDueChatsWalksChatsInTurn(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustIngest(t, s)
	for _, id := range []int64{-300, 5, 7, 9} {
		mustStart(t, s, id, map[bool]string{true: "private", false: "group"}[id > 0])
		s.FollowTopic(ctx, id, 0, "Drones")
	}
	mustIngest(t, s, entry("a", "Drone one"), entry("b", "Drone two"), entry("c", "Drone three"))
	tests := []struct {
		name  string
		after int64
		limit int
		want  []int64
	}{
		{"from the start", -1 << 62, 10, []int64{-300, 5, 7, 9}},
		{"a page", -1 << 62, 2, []int64{-300, 5}},
		{"the next page", 5, 2, []int64{7, 9}},
		{"past the end", 9, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.dueChats(ctx, tt.after, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, c := range got {
				ids = append(ids, c.ID)
			}
			if len(ids) != len(tt.want) {
				t.Fatalf("chats %v, want %v", ids, tt.want)
			}
			for i := range ids {
				if ids[i] != tt.want[i] {
					t.Fatalf("chats %v, want %v", ids, tt.want)
				}
			}
			if len(got) > 0 && got[0].ID == -300 && got[0].Type != "group" {
				t.Fatalf("type %q, want group", got[0].Type)
			}
		})
	}
	queues, err := s.DueQueues(ctx, 5, 10, 2)
	if err != nil || len(queues) != 2 || queues[0].ID != 7 || queues[1].ID != 9 {
		t.Fatalf("queues after 5: %+v (%v), want chats 7 and 9", queues, err)
	}
	for _, q := range queues {
		if len(q.Due) != 2 || q.Due[0].Entry.ID != "a" || q.Due[1].Entry.ID != "b" || q.Due[0].ChatID != q.ID || q.Type != "private" {
			t.Fatalf("queue of chat %d: %+v, want its two oldest alerts, a and b", q.ID, q.Due)
		}
	}
	ds, err := s.chatDeliveries(ctx, 7, 10)
	if err != nil || len(ds) != 3 || ds[0].Entry.ID != "a" || ds[2].Entry.ID != "c" {
		t.Fatalf("deliveries of chat 7: %+v (%v), want a, b, c", ds, err)
	}
	if _, err := s.DeactivateChat(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if ds, _ := s.chatDeliveries(ctx, 7, 10); len(ds) != 0 {
		t.Fatalf("an inactive chat has %d deliveries", len(ds))
	}
}

func TestOutboxFailuresAndStats(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	mustIngest(t, s)
	mustStart(t, s, 1, "private")
	mustStart(t, s, 2, "private")
	s.FollowTopic(ctx, 1, 0, "Drones")
	s.FollowTopic(ctx, 2, 0, "Drones")
	start := clock.Now()
	mustIngest(t, s, entry("a", "Drone one"), entry("b", "Drone two"))
	ds, _ := s.chatDeliveries(ctx, 1, 10)
	ids := []int64{ds[0].ID, ds[1].ID}
	clock.Set(start.Add(time.Minute))
	if err := s.PostponeAll(ctx, ids, start.Add(2*time.Minute), "502"); err != nil {
		t.Fatal(err)
	}
	clock.Set(start.Add(2 * time.Minute))
	if err := s.PostponeAll(ctx, ids, start.Add(3*time.Minute), "502"); err != nil {
		t.Fatal(err)
	}
	clock.Set(start.Add(3 * time.Minute))
	ds, _ = s.chatDeliveries(ctx, 1, 10)
	if len(ds) != 2 || ds[0].Attempts != 2 || !ds[0].FailingSince.Equal(start.Add(time.Minute)) {
		t.Fatalf("after two failures: %+v, want 2 attempts failing since the first", ds)
	}
	st, err := s.OutboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (OutboxStats{Queued: 4, Due: 4, OldestDue: start}); st != want {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
	if err := s.DeadLetterAll(ctx, ids[:1], "bad request: message is too long"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeliveredAll(ctx, ids[1:]); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeactivateChat(ctx, 2); err != nil || n != 2 {
		t.Fatalf("deactivate dropped %d (%v), want 2", n, err)
	}
	st, _ = s.OutboxStats(ctx)
	if want := (OutboxStats{DeadLetters: 1, InactiveChats: 1, Dropped: 2}); st != want {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
}

func TestIngestFanOutAcrossInsertBatches(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	const chats = 2*rowBatchSize + 37
	seedFollowers(t, s, chats)
	mustIngest(t, s)
	if _, err := s.DeactivateChat(ctx, 7); err != nil {
		t.Fatal(err)
	}
	res := mustIngest(t, s, entry("a", "Drone shot down"))
	if res.Queued != chats-1 {
		t.Fatalf("%d alerts queued, want %d (all but the inactive chat)", res.Queued, chats-1)
	}
	var matches, queued int
	if err := s.reader.QueryRow(`SELECT (SELECT COUNT(*) FROM matches), (SELECT COUNT(*) FROM outbox)`).Scan(&matches, &queued); err != nil {
		t.Fatal(err)
	}
	if matches != chats-1 || queued != chats-1 {
		t.Fatalf("%d matches and %d queued rows, want %d of each", matches, queued, chats-1)
	}
	if again := mustIngest(t, s, entry("a", "Drone shot down")); again.Queued != 0 {
		t.Fatalf("the same entry queued %d alerts again", again.Queued)
	}
}
