package fakebotapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

func TestLongPollDeliversAndConfirms(t *testing.T) {
	s := newServer(t, Options{})
	ctx := testContext(t)
	id1 := s.SendMessage(PrivateChat(alice), alice, "/start@livealert_test_bot now")
	if id1 < firstUpdateID {
		t.Fatalf("update id %d, want >= %d", id1, firstUpdateID)
	}

	bot1 := startBot(t, s, nil)
	u := bot1.next(t)
	if u.ID != id1 || u.Message == nil {
		t.Fatalf("update = %+v, want message update %d", u, id1)
	}
	m := u.Message
	if m.Text != "/start@livealert_test_bot now" || m.From == nil || m.From.ID != alice.ID || m.From.Username != "alice" ||
		m.Chat.ID != alice.ID || m.Chat.Type != models.ChatTypePrivate || m.Chat.FirstName != "Alice" || m.ID != 1 || m.Date == 0 {
		t.Fatalf("message = %+v", m)
	}
	wantEntity := models.MessageEntity{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: len("/start@livealert_test_bot")}
	if len(m.Entities) != 1 || m.Entities[0] != wantEntity {
		t.Fatalf("entities = %+v, want [%+v]", m.Entities, wantEntity)
	}

	// The client confirms by polling again with offset id1+1.
	if err := s.WaitFor(ctx, func() bool { return s.PendingUpdates() == 0 }); err != nil {
		t.Fatalf("update never confirmed: %v", err)
	}
	bot1.stop()

	id2 := s.SendMessage(PrivateChat(bob), bob, "hi")
	if id2 != id1+1 {
		t.Fatalf("second update id %d, want %d", id2, id1+1)
	}
	bot2 := startBot(t, s, nil)
	if u := bot2.next(t); u.ID != id2 || u.Message.Text != "hi" {
		t.Fatalf("second bot got %+v, want only update %d", u, id2)
	}
	if err := s.WaitFor(ctx, func() bool { return s.PendingUpdates() == 0 }); err != nil {
		t.Fatal(err)
	}
	select {
	case u := <-bot2.updates:
		t.Fatalf("second bot got an extra update %+v", u)
	default:
	}
}

func TestLongPollBlocksUntilUpdate(t *testing.T) {
	s := newServer(t, Options{})
	ctx := testContext(t)
	results := make(chan rawResponse, 1)
	go func() {
		results <- call(ctx, t, s, "getUpdates", url.Values{"timeout": {"30"}})
	}()
	if err := s.WaitFor(ctx, s.polling); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-results:
		t.Fatalf("getUpdates returned before any update: %+v", r)
	default:
	}
	id := s.SendMessage(Chat{ID: -77, Title: "G"}, alice, "wake up")
	r := <-results
	var updates []models.Update
	if err := json.Unmarshal(r.Result, &updates); err != nil || !r.OK {
		t.Fatalf("getUpdates = %+v, %v", r, err)
	}
	if len(updates) != 1 || updates[0].ID != id || updates[0].Message.Chat.Type != models.ChatTypeGroup {
		t.Fatalf("updates = %+v", updates)
	}
	if s.PendingUpdates() != 1 {
		t.Fatalf("PendingUpdates() = %d; delivered updates stay until confirmed", s.PendingUpdates())
	}
}

func TestLongPollTimesOut(t *testing.T) {
	s := newServer(t, Options{})
	start := time.Now()
	r := call(testContext(t), t, s, "getUpdates", url.Values{"timeout": {"1"}})
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Fatalf("returned after %v, before the 1 s timeout", elapsed)
	}
	if !r.OK || string(r.Result) != "[]" {
		t.Fatalf("getUpdates = %+v, want ok and []", r)
	}
}

func TestLongPollEndsWhenClientGoesAway(t *testing.T) {
	s := newServer(t, Options{})
	ctx := testContext(t)
	reqCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequestWithContext(reqCtx, http.MethodPost,
			s.URL()+"/bot"+s.Token()+"/getUpdates?timeout=50", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
	if err := s.WaitFor(ctx, s.polling); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done
	if err := s.WaitFor(ctx, func() bool { return !s.polling() }); err != nil {
		t.Fatalf("long poll still waiting after its client left: %v", err)
	}
}

func TestGetUpdatesConflict(t *testing.T) {
	s := newServer(t, Options{})
	ctx := testContext(t)
	first := make(chan rawResponse, 1)
	go func() { first <- call(ctx, t, s, "getUpdates", url.Values{"timeout": {"30"}}) }()
	if err := s.WaitFor(ctx, s.polling); err != nil {
		t.Fatal(err)
	}
	second := make(chan rawResponse, 1)
	go func() { second <- call(ctx, t, s, "getUpdates", url.Values{"timeout": {"30"}}) }()
	r := <-first
	if r.Status != http.StatusConflict || r.Description !=
		"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" {
		t.Fatalf("first poll = %+v, want 409", r)
	}
	if n := s.ConflictsServed(); n != 1 {
		t.Fatalf("ConflictsServed() = %d, want 1", n)
	}
	s.SendMessage(PrivateChat(alice), alice, "x")
	if r := <-second; !r.OK || len(r.Result) < 3 {
		t.Fatalf("second poll = %+v", r)
	}
}

func TestOffsetLimitAndAllowedUpdates(t *testing.T) {
	s := newServer(t, Options{})
	ctx := testContext(t)
	var ids []int64
	for _, text := range []string{"a", "b", "c"} {
		ids = append(ids, s.SendMessage(PrivateChat(alice), alice, text))
	}
	post := s.ChannelPost(Chat{ID: -1001234567890, Title: "News"}, "post")

	get := func(v url.Values) []models.Update {
		t.Helper()
		r := call(ctx, t, s, "getUpdates", v)
		var ups []models.Update
		if err := json.Unmarshal(r.Result, &ups); err != nil || !r.OK {
			t.Fatalf("getUpdates(%v) = %+v, %v", v, r, err)
		}
		return ups
	}
	if ups := get(url.Values{"limit": {"2"}}); len(ups) != 2 || ups[0].ID != ids[0] || ups[1].ID != ids[1] {
		t.Fatalf("limit 2: %+v", ups)
	}
	if ups := get(url.Values{"offset": {itoa(ids[1])}}); len(ups) != 3 || ups[0].ID != ids[1] {
		t.Fatalf("offset: %+v", ups)
	}
	if n := s.PendingUpdates(); n != 3 {
		t.Fatalf("PendingUpdates() = %d, want 3 after confirming one", n)
	}
	ups := get(url.Values{"offset": {itoa(ids[1])}, "allowed_updates": {`["channel_post"]`}})
	if len(ups) != 1 || ups[0].ID != post || ups[0].ChannelPost == nil || ups[0].ChannelPost.SenderChat == nil {
		t.Fatalf("allowed_updates: %+v", ups)
	}
	if n := s.PendingUpdates(); n != 1 {
		t.Fatalf("PendingUpdates() = %d; updates not allowed are dropped", n)
	}
	if ups := get(url.Values{"offset": {itoa(post + 1)}}); len(ups) != 0 || s.PendingUpdates() != 0 {
		t.Fatalf("after confirming all: %+v, pending %d", ups, s.PendingUpdates())
	}
}

func TestMyChatMember(t *testing.T) {
	s := newServer(t, Options{})
	group := Chat{ID: -300, Title: "Team"}
	rb := startBot(t, s, nil)
	s.MyChatMember(group, alice, models.ChatMemberTypeMember)
	u := rb.next(t)
	if u.MyChatMember == nil || u.MyChatMember.OldChatMember.Type != models.ChatMemberTypeLeft ||
		u.MyChatMember.NewChatMember.Type != models.ChatMemberTypeMember ||
		u.MyChatMember.NewChatMember.Member.User.ID != s.Bot().ID || u.MyChatMember.From.ID != alice.ID {
		t.Fatalf("added: %+v", u.MyChatMember)
	}
	s.MyChatMember(group, alice, models.ChatMemberTypeBanned)
	u = rb.next(t)
	if u.MyChatMember.OldChatMember.Type != models.ChatMemberTypeMember || u.MyChatMember.NewChatMember.Type != models.ChatMemberTypeBanned {
		t.Fatalf("kicked: %+v", u.MyChatMember)
	}
	_, err := rb.SendMessage(testContext(t), sendParams(-300, "still there?"))
	if !contains(err, "Forbidden: bot was kicked from the group chat") {
		t.Fatalf("send after kick: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
