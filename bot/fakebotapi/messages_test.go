package fakebotapi

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestSendMessageStoresText(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	s.SendMessage(PrivateChat(alice), alice, "/start") // message 1, from the user

	kb := inlineKeyboard([]models.InlineKeyboardButton{button("Mute", "mute:1"), {Text: "Site", URL: "https://example.com"}})
	sent, err := b.SendMessage(ctx, &tgbot.SendMessageParams{
		ChatID:              alice.ID,
		Text:                "<b>New</b> alert &amp; more\n",
		ParseMode:           models.ParseModeHTML,
		ReplyMarkup:         kb,
		LinkPreviewOptions:  &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
		DisableNotification: true,
		ReplyParameters:     &models.ReplyParameters{MessageID: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID != 2 || sent.Text != "New alert & more" || sent.Chat.ID != alice.ID || sent.From == nil || !sent.From.IsBot ||
		sent.Date == 0 || sent.ReplyToMessage == nil || sent.ReplyToMessage.Text != "/start" {
		t.Fatalf("sendMessage returned %+v", sent)
	}
	if len(sent.Entities) != 1 || sent.Entities[0] != (models.MessageEntity{Type: "bold", Offset: 0, Length: 3}) {
		t.Fatalf("entities = %+v", sent.Entities)
	}
	if sent.ReplyMarkup == nil || sent.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "mute:1" {
		t.Fatalf("reply markup = %+v", sent.ReplyMarkup)
	}

	msgs := s.Messages(alice.ID)
	if len(msgs) != 1 {
		t.Fatalf("Messages() = %+v, want only the bot's message", msgs)
	}
	m := msgs[0]
	if m.ID != 2 || m.ChatID != alice.ID || m.Text != "<b>New</b> alert &amp; more\n" || m.PlainText != "New alert & more" ||
		m.ParseMode != "HTML" || !m.LinkPreviewDisabled || !m.DisableNotification || m.ReplyToMessageID != 1 ||
		m.Edits != 0 || len(m.ReplyMarkup.InlineKeyboard[0]) != 2 || m.ReplyMarkup.InlineKeyboard[0][1].URL != "https://example.com" {
		t.Fatalf("stored message = %+v", m)
	}
	m.ReplyMarkup.InlineKeyboard[0][0].Text = "changed"
	if s.Messages(alice.ID)[0].ReplyMarkup.InlineKeyboard[0][0].Text != "Mute" {
		t.Fatal("Messages() shares the server's keyboard")
	}

	if _, err := b.SendMessage(ctx, sendParams(-9, "group")); err != nil {
		t.Fatal(err)
	}
	all := s.AllMessages()
	if len(all) != 2 || all[0].ChatID != alice.ID || all[1].ChatID != -9 || all[1].ID != 1 {
		t.Fatalf("AllMessages() = %+v", all)
	}
}

func TestSendMessageHTMLValidation(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	emoji := strings.Repeat("😀", 2048)
	tests := []struct {
		name  string
		text  string
		plain string // on success
		err   string // description on failure
	}{
		{name: "valid nested tags", text: "<b>a <i>b</i> <u>c</u></b> <code>d</code>", plain: "a b c d"},
		{name: "link with &amp; in URL", text: `<a href="https://example.com/?q=1&amp;p=2">x</a>`, plain: "x"},
		{name: "escaped by html.EscapeString", text: "it&#39;s &#34;fine&#34; &lt;3", plain: `it's "fine" <3`},
		{name: "numeric entities", text: "&#9888;&#xFE0F; alert", plain: "⚠️ alert"},
		{name: "bare less-than", text: "1 < 2", err: `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`},
		{name: "bare ampersand", text: "Q&A", err: `Bad Request: can't parse entities: Unescaped "&" at byte offset 1, use "&amp;"`},
		{name: "unknown tag p", text: "<p>x</p>", err: `Bad Request: can't parse entities: Unsupported start tag "p" at byte offset 0`},
		{name: "unclosed b", text: "<b>x", err: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{name: "misnested", text: "<b><i>x</b></i>", err: `Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{name: "unknown entity nbsp", text: "a&nbsp;b", err: `Bad Request: can't parse entities: Unsupported HTML entity "&nbsp;" at byte offset 1`},
		{name: "4096 UTF-16 units of emoji", text: "<b>" + emoji + "</b>", plain: emoji},
		{name: "4097 UTF-16 units", text: emoji + "!", err: "Bad Request: message is too long"},
		{name: "length counted after parsing", text: strings.Repeat("&lt;", 4096), plain: strings.Repeat("<", 4096)},
		{name: "too long after parsing", text: strings.Repeat("&gt;", 4097), err: "Bad Request: message is too long"},
		{name: "empty", text: "", err: "Bad Request: message text is empty"},
		{name: "nothing left after parsing", text: "<i></i>", err: "Bad Request: text must be non-empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(s.Messages(-1))
			sent, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: -1, Text: tt.text, ParseMode: models.ParseModeHTML})
			if tt.err != "" {
				if !errors.Is(err, tgbot.ErrorBadRequest) || !contains(err, tt.err) {
					t.Fatalf("error = %v, want bad request %q", err, tt.err)
				}
				if n := len(s.Messages(-1)); n != before {
					t.Fatalf("a failed send stored a message (%d -> %d)", before, n)
				}
				return
			}
			if err != nil {
				t.Fatalf("error = %v", err)
			}
			if sent.Text != tt.plain {
				t.Fatalf("text = %q, want %q", sent.Text, tt.plain)
			}
			msgs := s.Messages(-1)
			if last := msgs[len(msgs)-1]; last.Text != tt.text || last.PlainText != tt.plain {
				t.Fatalf("stored %q / %q", last.Text, last.PlainText)
			}
		})
	}
}

func TestSendMessageKeyboardValidation(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	send := func(markup models.ReplyMarkup) error {
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 1, Text: "x", ReplyMarkup: markup})
		return err
	}
	if err := send(inlineKeyboard([]models.InlineKeyboardButton{button("ok", strings.Repeat("d", 64))})); err != nil {
		t.Fatalf("64-byte callback data: %v", err)
	}
	if err := send(inlineKeyboard([]models.InlineKeyboardButton{button("long", strings.Repeat("d", 65))})); !contains(err, "Bad Request: BUTTON_DATA_INVALID") {
		t.Fatalf("65-byte callback data: %v", err)
	}
	if err := send(inlineKeyboard([]models.InlineKeyboardButton{button("no data", "")})); !contains(err, "Text buttons are unallowed in the inline keyboard") {
		t.Fatalf("button without action: %v", err)
	}
	var nilKeyboard *models.InlineKeyboardMarkup
	if err := send(nilKeyboard); !contains(err, "Bad Request: object expected as reply markup") {
		t.Fatalf("typed nil keyboard: %v", err)
	}
	if err := send(&models.ReplyKeyboardRemove{RemoveKeyboard: true}); err != nil {
		t.Fatalf("remove keyboard: %v", err)
	}
	if n := len(s.Messages(1)); n != 2 {
		t.Fatalf("%d messages stored, want 2", n)
	}
	if s.Messages(1)[1].ReplyMarkup != nil {
		t.Fatal("a non-inline markup shows as an inline keyboard")
	}
}

func TestEditMessage(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	kb := inlineKeyboard([]models.InlineKeyboardButton{button("Stop", "stop")})
	sent, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 5, Text: "<b>v1</b>", ParseMode: "HTML", ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	edit := func(text string, markup models.ReplyMarkup) (*models.Message, error) {
		return b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: 5, MessageID: sent.ID, Text: text,
			ParseMode: models.ParseModeHTML, ReplyMarkup: markup})
	}

	_, err = edit("<b>v1</b>", kb)
	if !errors.Is(err, tgbot.ErrorBadRequest) || !contains(err, "message is not modified") {
		t.Fatalf("identical edit: %v", err)
	}
	_, err = edit("<strong>v1</strong>", kb)
	if !contains(err, "message is not modified") {
		t.Fatalf("edit with the same look: %v", err)
	}
	edited, err := edit("<i>v1</i>", kb)
	if err != nil {
		t.Fatalf("changing only the formatting: %v", err)
	}
	if edited.EditDate <= edited.Date || edited.Text != "v1" || edited.Entities[0].Type != "italic" {
		t.Fatalf("edited = %+v", edited)
	}
	if _, err := edit("<i>v2</i>", nil); err != nil {
		t.Fatal(err)
	}
	m := s.Messages(5)[0]
	if m.PlainText != "v2" || m.Text != "<i>v2</i>" || m.Edits != 2 || m.EditDate.IsZero() || m.ReplyMarkup != nil {
		t.Fatalf("after edits: %+v (an edit without reply_markup removes the keyboard)", m)
	}

	_, err = b.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{ChatID: 5, MessageID: sent.ID})
	if !contains(err, "message is not modified") {
		t.Fatalf("removing an absent keyboard: %v", err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{ChatID: 5, MessageID: sent.ID, ReplyMarkup: kb}); err != nil {
		t.Fatal(err)
	}
	if m := s.Messages(5)[0]; m.ReplyMarkup == nil || m.Edits != 3 {
		t.Fatalf("after editMessageReplyMarkup: %+v", m)
	}

	_, err = b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: 5, MessageID: 99, Text: "x"})
	if !contains(err, "Bad Request: message to edit not found") {
		t.Fatalf("unknown message: %v", err)
	}
	s.SendMessage(PrivateChat(User{ID: 5}), User{ID: 5}, "mine")
	_, err = b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: 5, MessageID: 2, Text: "x"})
	if !contains(err, "Bad Request: message can't be edited") {
		t.Fatalf("user's message: %v", err)
	}
	_, err = edit("<b>bad", nil)
	if !contains(err, "can't parse entities") {
		t.Fatalf("bad HTML in edit: %v", err)
	}
	if m := s.Messages(5)[0]; m.PlainText != "v2" || m.Edits != 3 {
		t.Fatalf("a failed edit changed the message: %+v", m)
	}
}

func TestDeleteMessage(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	sent, err := b.SendMessage(ctx, sendParams(8, "x"))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := b.DeleteMessage(ctx, &tgbot.DeleteMessageParams{ChatID: 8, MessageID: sent.ID}); err != nil || !ok {
		t.Fatalf("deleteMessage = %v, %v", ok, err)
	}
	if len(s.Messages(8)) != 0 {
		t.Fatal("message still there")
	}
	_, err = b.DeleteMessage(ctx, &tgbot.DeleteMessageParams{ChatID: 8, MessageID: sent.ID})
	if !contains(err, "message to delete not found") {
		t.Fatalf("second delete: %v", err)
	}
}

func TestCallbackAnswer(t *testing.T) {
	s := newServer(t, Options{})
	answered := make(chan error, 10)
	rb := startBot(t, s, func(ctx context.Context, b *tgbot.Bot, u *models.Update) {
		switch {
		case u.Message != nil:
			_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "Pick",
				ReplyMarkup: inlineKeyboard([]models.InlineKeyboardButton{button("Yes", "yes"), button("No", "no")})})
			if err != nil {
				answered <- err
			}
		case u.CallbackQuery != nil:
			_, err := b.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{
				CallbackQueryID: u.CallbackQuery.ID, Text: "Got " + u.CallbackQuery.Data, ShowAlert: true})
			answered <- err
		}
	})
	ctx := testContext(t)
	s.SendMessage(PrivateChat(alice), alice, "/ask")
	msgs, err := s.WaitMessages(ctx, alice.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	rb.next(t) // the message
	if _, err := s.PressButton(PrivateChat(alice), alice, msgs[0].ID, "maybe"); err == nil {
		t.Fatal("pressing a button that isn't there succeeded")
	}
	id, err := s.PressButton(PrivateChat(alice), alice, msgs[0].ID, "no")
	if err != nil {
		t.Fatal(err)
	}
	u := rb.next(t)
	q := u.CallbackQuery
	if q == nil || q.ID != id || q.Data != "no" || q.From.ID != alice.ID || q.Message.Message == nil ||
		q.Message.Message.ID != msgs[0].ID || q.Message.Message.Text != "Pick" || q.Message.Message.ReplyMarkup == nil {
		t.Fatalf("callback query = %+v", q)
	}
	if err := <-answered; err != nil {
		t.Fatalf("answerCallbackQuery: %v", err)
	}
	got := s.CallbackAnswers()
	want := CallbackAnswer{QueryID: id, ChatID: alice.ID, MessageID: msgs[0].ID, UserID: alice.ID, Data: "no",
		Text: "Got no", ShowAlert: true}
	if len(got) != 1 || got[0] != want || !s.Answered(id) {
		t.Fatalf("CallbackAnswers() = %+v, want [%+v]", got, want)
	}
	_, err = rb.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id})
	if !contains(err, "Bad Request: query is too old and response timeout expired or query ID is invalid") {
		t.Fatalf("second answer: %v", err)
	}
	_, err = rb.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: "42"})
	if !contains(err, "query is too old") {
		t.Fatalf("unknown query: %v", err)
	}
}

func TestWaitMessages(t *testing.T) {
	s := newServer(t, Options{})
	startBot(t, s, func(ctx context.Context, b *tgbot.Bot, u *models.Update) {
		if u.Message != nil {
			for _, text := range []string{"one", "two"} {
				_, _ = b.SendMessage(ctx, sendParams(u.Message.Chat.ID, text))
			}
		}
	})
	group := Chat{ID: -100100, Type: "supergroup", Title: "Alerts"}
	s.SendMessage(group, bob, "/start")
	msgs, err := s.WaitMessages(testContext(t), group.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].PlainText != "one" || msgs[1].PlainText != "two" || msgs[1].ID != 3 {
		t.Fatalf("messages = %+v", msgs)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := s.WaitMessages(ctx, group.ID, 3); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting for a message that never comes: %v", err)
	}
}

func TestForumTopics(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	forum := Chat{ID: -100200, Type: "supergroup", Title: "Forum", IsForum: true}
	s.SendMessageInThread(forum, alice, 17, "/sub")
	sent, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: forum.ID, MessageThreadID: 17, Text: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	if sent.MessageThreadID != 17 || !sent.IsTopicMessage || !sent.Chat.IsForum {
		t.Fatalf("sent = %+v", sent)
	}
	if m := s.Messages(forum.ID)[0]; m.ThreadID != 17 {
		t.Fatalf("stored thread %d", m.ThreadID)
	}
	_, err = b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: forum.ID, MessageThreadID: 18, Text: "lost"})
	if !contains(err, "Bad Request: message thread not found") {
		t.Fatalf("unknown topic: %v", err)
	}
}

func TestReplyToMissingMessage(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	ctx := testContext(t)
	_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 3, Text: "x", ReplyParameters: &models.ReplyParameters{MessageID: 9}})
	if !contains(err, "Bad Request: message to be replied not found") {
		t.Fatalf("reply to a missing message: %v", err)
	}
	sent, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 3, Text: "x",
		ReplyParameters: &models.ReplyParameters{MessageID: 9, AllowSendingWithoutReply: true}})
	if err != nil || sent.ReplyToMessage != nil {
		t.Fatalf("allow_sending_without_reply: %+v, %v", sent, err)
	}
}

func TestChannelByUsername(t *testing.T) {
	s := newServer(t, Options{})
	b := newClient(t, s)
	s.ChannelPost(Chat{ID: -100300, Username: "news_chan", Title: "News"}, "hello")
	if _, err := b.SendMessage(testContext(t), &tgbot.SendMessageParams{ChatID: "@news_chan", Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	if m := s.Messages(-100300); len(m) != 1 || m[0].ID != 2 {
		t.Fatalf("messages = %+v", m)
	}
	_, err := b.SendMessage(testContext(t), &tgbot.SendMessageParams{ChatID: "@nobody", Text: "hi"})
	if !contains(err, "Bad Request: chat not found") {
		t.Fatalf("unknown username: %v", err)
	}
}
