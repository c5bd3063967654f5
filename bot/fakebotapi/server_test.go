package fakebotapi

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestGetMe(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	me, err := b.GetMe(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != 123456 || !me.IsBot || me.Username != "livealert_test_bot" || me.FirstName != "LiveAlert Test" {
		t.Fatalf("getMe = %+v", me)
	}
	if b.ID() != me.ID {
		t.Fatalf("client's ID() = %d, getMe id = %d", b.ID(), me.ID)
	}
	if got := s.Calls("getMe"); got != 2 { // tgbot.New calls getMe too
		t.Fatalf("Calls(getMe) = %d, want 2", got)
	}
}

func TestGetMeConfigured(t *testing.T) {
	s := newServer(t, Options{BotID: 777, BotUsername: "other_bot", BotName: "Other"})
	if s.Token() != "777:TEST-TOKEN" {
		t.Fatalf("Token() = %q", s.Token())
	}
	me, err := newClient(t, s).GetMe(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != 777 || me.Username != "other_bot" || me.FirstName != "Other" {
		t.Fatalf("getMe = %+v", me)
	}
}

func TestWrongToken(t *testing.T) {
	s := newServer(t, Options{})
	_, err := tgbot.New("123456:WRONG", tgbot.WithServerURL(s.URL()))
	if !errors.Is(err, tgbot.ErrorUnauthorized) {
		t.Fatalf("tgbot.New with a wrong token: %v, want ErrorUnauthorized", err)
	}
	r := call(testContext(t), t, s, "getMe", nil)
	if r.Status != http.StatusOK || !r.OK {
		t.Fatalf("right token: %+v", r)
	}
	r = post(testContext(t), t, s.URL()+"/bot1:x/getMe", "", "")
	if r.Status != http.StatusUnauthorized || r.Description != "Unauthorized" || r.ErrorCode != 401 {
		t.Fatalf("wrong token: %+v", r)
	}
}

func TestUnknownMethod(t *testing.T) {
	s := newServer(t, Options{})
	_, err := newClient(t, s).GetStickerSet(testContext(t), &tgbot.GetStickerSetParams{Name: "x"})
	if !errors.Is(err, tgbot.ErrorNotFound) {
		t.Fatalf("GetStickerSet: %v, want ErrorNotFound", err)
	}
	r := call(testContext(t), t, s, "sendPhoto", url.Values{"chat_id": {"1"}})
	if r.Status != http.StatusNotFound || r.Description != "Not Found: method not found" {
		t.Fatalf("unknown method: %+v", r)
	}
}

func TestMethodNamesAreCaseInsensitive(t *testing.T) {
	s := newServer(t, Options{})
	r := call(testContext(t), t, s, "SENDMESSAGE", url.Values{"chat_id": {"5"}, "text": {"hi"}})
	if !r.OK {
		t.Fatalf("SENDMESSAGE: %+v", r)
	}
	if s.Calls("sendMessage") != 1 || len(s.Messages(5)) != 1 {
		t.Fatalf("calls = %d, messages = %v", s.Calls("sendMessage"), s.Messages(5))
	}
}

func TestJSONAndFormBodies(t *testing.T) {
	s := newServer(t, Options{})
	ctx := testContext(t)
	u := s.URL() + "/bot" + s.Token() + "/sendMessage"
	r := post(ctx, t, u, "application/json",
		`{"chat_id":-42,"text":"<b>json</b>","parse_mode":"HTML","disable_notification":true,
		  "reply_markup":{"inline_keyboard":[[{"text":"go","callback_data":"go"}]]}}`)
	if !r.OK {
		t.Fatalf("JSON body: %+v", r)
	}
	r = post(ctx, t, u, "application/x-www-form-urlencoded", url.Values{
		"chat_id": {"-42"}, "text": {"form"}, "link_preview_options": {`{"is_disabled":true}`},
	}.Encode())
	if !r.OK {
		t.Fatalf("form body: %+v", r)
	}
	msgs := s.Messages(-42)
	if len(msgs) != 2 {
		t.Fatalf("messages = %+v", msgs)
	}
	if m := msgs[0]; m.PlainText != "json" || !m.DisableNotification || m.ReplyMarkup == nil ||
		m.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "go" {
		t.Errorf("JSON message = %+v", m)
	}
	if m := msgs[1]; m.PlainText != "form" || !m.LinkPreviewDisabled || m.ID != 2 {
		t.Errorf("form message = %+v", m)
	}
}

func TestGetChatAndMembers(t *testing.T) {
	s := newServer(t, Options{})
	group := Chat{ID: -500, Title: "Ops"}
	s.SendMessage(group, alice, "hello")
	s.SetMemberStatus(-500, alice.ID, models.ChatMemberTypeOwner)
	s.SetMemberStatus(-500, bob.ID, models.ChatMemberTypeAdministrator)
	b := newClient(t, s)
	ctx := testContext(t)

	chat, err := b.GetChat(ctx, &tgbot.GetChatParams{ChatID: -500})
	if err != nil {
		t.Fatal(err)
	}
	if chat.ID != -500 || chat.Type != models.ChatTypeGroup || chat.Title != "Ops" {
		t.Fatalf("getChat = %+v", chat)
	}
	for _, tc := range []struct {
		user int64
		want models.ChatMemberType
	}{
		{alice.ID, models.ChatMemberTypeOwner},
		{bob.ID, models.ChatMemberTypeAdministrator},
		{3003, models.ChatMemberTypeMember},
		{s.Bot().ID, models.ChatMemberTypeMember},
	} {
		m, err := b.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: -500, UserID: tc.user})
		if err != nil {
			t.Fatal(err)
		}
		if m.Type != tc.want {
			t.Errorf("getChatMember(%d) = %q, want %q", tc.user, m.Type, tc.want)
		}
	}
	m, _ := b.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: -500, UserID: alice.ID})
	if m.Owner == nil || m.Owner.User == nil || m.Owner.User.FirstName != "Alice" {
		t.Errorf("owner = %+v", m.Owner)
	}
}

func TestSetMyCommands(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	cmds := []models.BotCommand{{Command: "start", Description: "Start"}, {Command: "/list", Description: " Your subscriptions "}}
	if _, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds}); err != nil {
		t.Fatal(err)
	}
	got := s.Commands()
	if len(got) != 2 || got[0].Command != "start" || got[1].Command != "list" || got[1].Description != "Your subscriptions" {
		t.Fatalf("Commands() = %+v", got)
	}
	_, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{
		Commands: []models.BotCommand{{Command: "group", Description: "Groups only"}},
		Scope:    &models.BotCommandScopeAllGroupChats{},
	})
	if err != nil {
		t.Fatal(err)
	}
	if g := s.CommandsFor(&models.BotCommandScopeAllGroupChats{}, ""); len(g) != 1 || g[0].Command != "group" {
		t.Fatalf("group commands = %+v", g)
	}
	if len(s.Commands()) != 2 {
		t.Fatalf("a scoped call changed the default commands: %+v", s.Commands())
	}
	_, err = b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "Start", Description: "x"}}})
	if !errors.Is(err, tgbot.ErrorBadRequest) || !contains(err, "BOT_COMMAND_INVALID") {
		t.Fatalf("upper-case command: %v", err)
	}
	_, err = b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "x", Description: " "}}})
	if !contains(err, "command description must be non-empty") {
		t.Fatalf("blank description: %v", err)
	}
}

func TestDeleteWebhook(t *testing.T) {
	s := newServer(t, Options{})
	s.SendMessage(PrivateChat(alice), alice, "one")
	b := newClient(t, s)
	ok, err := b.DeleteWebhook(testContext(t), &tgbot.DeleteWebhookParams{DropPendingUpdates: true})
	if err != nil || !ok {
		t.Fatalf("deleteWebhook = %v, %v", ok, err)
	}
	if n := s.PendingUpdates(); n != 0 {
		t.Fatalf("PendingUpdates() = %d after drop_pending_updates", n)
	}
}
