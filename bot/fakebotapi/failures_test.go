package fakebotapi

import (
	"context"
	"errors"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestFailNextTooManyRequests(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	s.FailNext("sendMessage", 0, TooManyRequests(7))
	_, err := b.SendMessage(ctx, sendParams(1, "x"))
	var tooMany *tgbot.TooManyRequestsError
	if !errors.As(err, &tooMany) || tooMany.RetryAfter != 7 || !contains(err, "Too Many Requests: retry after 7") {
		t.Fatalf("error = %v, want TooManyRequestsError with RetryAfter 7", err)
	}
	if len(s.Messages(1)) != 0 {
		t.Fatal("a failed send stored a message")
	}
	if s.TooManyRequestsServed() != 1 {
		t.Fatalf("TooManyRequestsServed() = %d", s.TooManyRequestsServed())
	}
	if _, err := b.SendMessage(ctx, sendParams(1, "x")); err != nil {
		t.Fatalf("the failure was used twice: %v", err)
	}
	if s.Calls("sendMessage") != 2 {
		t.Fatalf("Calls = %d, want 2 (failed calls count)", s.Calls("sendMessage"))
	}
}

func TestFailNextForbiddenAndMigrate(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	s.FailNext("sendMessage", 0, Blocked())
	s.FailNext("sendMessage", 0, Migrate(-1009876))
	s.FailNext("sendMessage", 0, Forbidden("bot was kicked from the group chat"))

	_, err := b.SendMessage(ctx, sendParams(1, "x"))
	if !errors.Is(err, tgbot.ErrorForbidden) || !contains(err, "Forbidden: bot was blocked by the user") {
		t.Fatalf("first: %v, want ErrorForbidden", err)
	}
	_, err = b.SendMessage(ctx, sendParams(1, "x"))
	var migrate *tgbot.MigrateError
	if !errors.As(err, &migrate) || migrate.MigrateToChatID != -1009876 {
		t.Fatalf("second: %v, want MigrateError to -1009876", err)
	}
	_, err = b.SendMessage(ctx, sendParams(1, "x"))
	if !errors.Is(err, tgbot.ErrorForbidden) || !contains(err, "kicked") {
		t.Fatalf("third: %v", err)
	}
	if len(s.Messages(1)) != 0 {
		t.Fatal("failed sends stored messages")
	}
}

func TestFailNextForOneChat(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	s.FailNext("SendMessage", 2, Blocked())
	if _, err := b.SendMessage(ctx, sendParams(1, "x")); err != nil {
		t.Fatalf("chat 1: %v", err)
	}
	if _, err := b.SendMessage(ctx, sendParams(2, "x")); !errors.Is(err, tgbot.ErrorForbidden) {
		t.Fatalf("chat 2: %v", err)
	}
	if _, err := b.SendMessage(ctx, sendParams(2, "x")); err != nil {
		t.Fatalf("chat 2 again: %v", err)
	}
}

func TestServerErrors(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	s.FailNext("sendMessage", 0, ServerError())
	_, err := b.SendMessage(ctx, sendParams(1, "x"))
	for _, sentinel := range []error{tgbot.ErrorBadRequest, tgbot.ErrorForbidden, tgbot.ErrorNotFound, tgbot.ErrorUnauthorized} {
		if errors.Is(err, sentinel) {
			t.Fatalf("500 reported as %v", sentinel)
		}
	}
	if !contains(err, "500 Internal Server Error") {
		t.Fatalf("500: %v", err)
	}
	s.FailNext("sendMessage", 0, BadGateway())
	_, err = b.SendMessage(ctx, sendParams(1, "x"))
	if !contains(err, "error decode response body") || !contains(err, "502 Bad Gateway") {
		t.Fatalf("502 with an HTML page: %v", err)
	}
	if len(s.Messages(1)) != 0 {
		t.Fatal("failed sends stored messages")
	}
}

func TestFailNextGetUpdates(t *testing.T) {
	s := newServer(t, Options{})
	s.FailNext("getUpdates", 0, ServerError())
	id := s.SendMessage(PrivateChat(alice), alice, "hi")
	rb := startBot(t, s, nil)
	if u := rb.next(t); u.ID != id { // the client retries after the error
		t.Fatalf("update %d, want %d", u.ID, id)
	}
	if s.Calls("getUpdates") < 2 {
		t.Fatalf("Calls(getUpdates) = %d", s.Calls("getUpdates"))
	}
}

func TestBlockChat(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	s.BlockChat(alice.ID)
	for range 2 {
		_, err := b.SendMessage(ctx, sendParams(alice.ID, "x"))
		if !errors.Is(err, tgbot.ErrorForbidden) || !contains(err, "bot was blocked by the user") {
			t.Fatalf("send to a blocked chat: %v", err)
		}
	}
	s.BlockChat(-600)
	if _, err := b.SendMessage(ctx, sendParams(-600, "x")); !contains(err, "Forbidden: bot was kicked from the group chat") {
		t.Fatalf("send to a group that kicked the bot: %v", err)
	}
	s.UnblockChat(alice.ID)
	if _, err := b.SendMessage(ctx, sendParams(alice.ID, "x")); err != nil {
		t.Fatalf("after unblock: %v", err)
	}
	if n := len(s.Messages(alice.ID)); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
}

func TestMigrateChat(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	s.SendMessage(Chat{ID: -700, Title: "Old group"}, alice, "hi")
	s.MigrateChat(-700, -1000000000700)
	for range 2 {
		_, err := b.SendMessage(ctx, sendParams(-700, "x"))
		var migrate *tgbot.MigrateError
		if !errors.As(err, &migrate) || migrate.MigrateToChatID != -1000000000700 ||
			!contains(err, "group chat was upgraded to a supergroup chat") {
			t.Fatalf("send to the old id: %v", err)
		}
	}
	sent, err := b.SendMessage(ctx, sendParams(-1000000000700, "x"))
	if err != nil {
		t.Fatal(err)
	}
	if sent.Chat.Type != models.ChatTypeSupergroup || sent.Chat.Title != "Old group" {
		t.Fatalf("new chat = %+v", sent.Chat)
	}
}

func TestLatency(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	s.SetLatency(300 * time.Millisecond)
	start := time.Now()
	if _, err := b.SendMessage(testContext(t), sendParams(1, "x")); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < 300*time.Millisecond {
		t.Fatalf("answered after %v", elapsed)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := b.SendMessage(ctx, sendParams(1, "y")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client giving up: %v", err)
	}
	s.SetLatency(0)
	if err := s.WaitCalls(testContext(t), "sendMessage", 2); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Messages(1)); n != 1 {
		t.Fatalf("%d messages; a request abandoned during the delay must not be handled", n)
	}
}
