package fakebotapi

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Callback query ids are large decimal numbers, like Telegram's.
const firstCallbackID = 4_400_000_000_000_000_000

// maxCallbackAnswerText is Telegram's limit on answerCallbackQuery's text.
const maxCallbackAnswerText = 200

// callbackQuery is a button press the bot may answer once.
type callbackQuery struct {
	chatID    int64
	messageID int
	userID    int64
	data      string
	answered  bool
}

// CallbackAnswer is the bot's answerCallbackQuery for a PressButton.
type CallbackAnswer struct {
	QueryID   string
	ChatID    int64 // where the pressed button was
	MessageID int
	UserID    int64 // who pressed it
	Data      string
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
}

// PressButton injects a press by from on the inline button with callback
// data data under the bot's message messageID in chat, and returns the
// callback query's id. The callback_query update carries the message as it
// is now (text, entities and keyboard). It fails, injecting nothing, if
// there is no such message or button: users can only press what they see.
func (s *Server) PressButton(chat Chat, from User, messageID int, data string) (string, error) {
	if chat.ID == 0 {
		chat = PrivateChat(from)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.chats[chat.ID]
	if !ok {
		return "", fmt.Errorf("fakebotapi: press button: no chat %d", chat.ID)
	}
	m, ok := cs.messages[messageID]
	if !ok || !m.fromBot {
		return "", fmt.Errorf("fakebotapi: press button: no bot message %d in chat %d", messageID, chat.ID)
	}
	if !hasCallbackButton(m.markup, data) {
		return "", fmt.Errorf("fakebotapi: press button: message %d in chat %d has no button with callback data %q",
			messageID, chat.ID, data)
	}
	u := s.rememberUserLocked(from)
	cs = s.upsertChatLocked(chat)
	s.lastCallbackID++
	id := strconv.FormatUint(s.lastCallbackID, 10)
	s.callbacks[id] = &callbackQuery{chatID: chat.ID, messageID: messageID, userID: from.ID, data: data}
	q := &models.CallbackQuery{
		ID:   id,
		From: u,
		Message: models.MaybeInaccessibleMessage{
			Type:    models.MaybeInaccessibleMessageTypeMessage,
			Message: s.modelLocked(cs, m, true),
		},
		ChatInstance: strconv.FormatUint(uint64(chat.ID)*2654435761^uint64(s.bot.ID), 10),
		Data:         data,
	}
	s.enqueueLocked(models.AllowedUpdateCallbackQuery, models.Update{CallbackQuery: q})
	return id, nil
}

// answerCallbackQuery records the answer to a query PressButton issued; each
// query can be answered once.
func (s *Server) answerCallbackQuery(p params) (any, *apiError) {
	id := p["callback_query_id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.callbacks[id]
	if !ok || q.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	if utf8.RuneCountInString(p["text"]) > maxCallbackAnswerText {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	cacheTime, _ := p.int("cache_time")
	q.answered = true
	s.answers = append(s.answers, CallbackAnswer{
		QueryID: id, ChatID: q.chatID, MessageID: q.messageID, UserID: q.userID, Data: q.data,
		Text: p["text"], ShowAlert: p.bool("show_alert"), URL: p["url"], CacheTime: cacheTime,
	})
	s.notifyLocked()
	return true, nil
}

// CallbackAnswers returns the bot's answers to button presses, in the order
// it gave them.
func (s *Server) CallbackAnswers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.answers...)
}

// Answered reports whether the bot has answered callback query id.
func (s *Server) Answered(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.callbacks[id]
	return ok && q.answered
}
