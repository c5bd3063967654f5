package subscriptions

import (
	"context"
	"errors"
	"testing"
)

func TestChannelLinks(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	for _, c := range []ChatInfo{{ID: 7, Type: "private"}, {ID: -1001, Type: "channel", Title: "Wire"}, {ID: -1002, Type: "channel", Title: "Other"}} {
		if _, _, err := s.StartChat(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.LinkedChannel(ctx, 7); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LinkedChannel before linking: %v, want ErrNotFound", err)
	}
	if err := s.LinkChannel(ctx, 7, -1001); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkChannel(ctx, 7, -1002); err != nil {
		t.Fatal(err)
	}
	ch, err := s.LinkedChannel(ctx, 7)
	if err != nil || ch.ID != -1002 || ch.Title != "Other" {
		t.Fatalf("LinkedChannel = %+v, %v; want the channel linked last", ch, err)
	}
	if _, err := s.DeactivateChat(ctx, -1002); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkedChannel(ctx, 7); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LinkedChannel of a channel the bot left: %v, want ErrNotFound", err)
	}
	if removed, err := s.UnlinkChannel(ctx, 7); err != nil || !removed {
		t.Fatalf("UnlinkChannel = %v, %v", removed, err)
	}
	if removed, err := s.UnlinkChannel(ctx, 7); err != nil || removed {
		t.Fatalf("second UnlinkChannel = %v, %v; want false", removed, err)
	}
}
