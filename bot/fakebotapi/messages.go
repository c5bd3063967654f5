package fakebotapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"
)

// notModified is Telegram's description for an edit that changes nothing.
const notModified = "message is not modified: specified new message content and reply markup are exactly " +
	"the same as a current content and reply markup of the message"

// Message is a message the bot sent, as it is now (edits applied).
type Message struct {
	ID       int
	ChatID   int64
	ThreadID int // message_thread_id as sent, 0 for none
	// Text is the text parameter as the bot sent it (last edit), markup and
	// all; PlainText is what users see: after entity parsing and Telegram's
	// trimming. Entities are the formatting PlainText carries, in UTF-16.
	Text      string
	PlainText string
	ParseMode string
	Entities  []models.MessageEntity
	// ReplyMarkup is the inline keyboard under the message, nil for none.
	ReplyMarkup         *models.InlineKeyboardMarkup
	LinkPreviewDisabled bool // link_preview_options.is_disabled or disable_web_page_preview
	DisableNotification bool
	ProtectContent      bool
	AllowPaidBroadcast  bool
	ReplyToMessageID    int // from reply_parameters or reply_to_message_id, 0 for none
	// Document is the file of a document message (sendDocument), whose Text is the
	// caption; nil for a text message.
	Document *Document
	Date     time.Time
	EditDate time.Time // zero if never edited
	Edits    int       // successful editMessageText/editMessageReplyMarkup calls
}

// storedMessage is a message in a chat, from the bot or injected.
type storedMessage struct {
	seq      int64 // creation order across chats
	id       int
	chatID   int64
	threadID int
	fromBot  bool
	from     *models.User // nil for channel posts
	date     int
	editDate int
	text     formattedText
	markup   *models.InlineKeyboardMarkup
	preview  *models.LinkPreviewOptions
	silent   bool
	protect  bool
	paid     bool
	replyTo  int
	edits    int
	isTopic  bool        // is_topic_message
	document *storedFile // a document message: text is its caption
}

func (m *storedMessage) public() Message {
	out := Message{
		ID: m.id, ChatID: m.chatID, ThreadID: m.threadID,
		Text: m.text.raw, PlainText: m.text.plain, ParseMode: m.text.parseMode,
		Entities:            append([]models.MessageEntity(nil), m.text.entities...),
		ReplyMarkup:         cloneMarkup(m.markup),
		LinkPreviewDisabled: m.preview != nil && m.preview.IsDisabled != nil && *m.preview.IsDisabled,
		DisableNotification: m.silent, ProtectContent: m.protect, AllowPaidBroadcast: m.paid,
		ReplyToMessageID: m.replyTo,
		Date:             time.Unix(int64(m.date), 0),
		Edits:            m.edits,
	}
	if m.editDate != 0 {
		out.EditDate = time.Unix(int64(m.editDate), 0)
	}
	if f := m.document; f != nil {
		out.Document = &Document{FileID: f.id, FileName: f.name, MimeType: f.mime, Data: append([]byte(nil), f.data...)}
	}
	return out
}

// modelLocked is m as the Bot API returns it. s.mu must be held.
func (s *Server) modelLocked(cs *chatState, m *storedMessage, withReply bool) *models.Message {
	out := &models.Message{
		ID:                  m.id,
		MessageThreadID:     m.threadID,
		IsTopicMessage:      m.isTopic,
		Date:                m.date,
		EditDate:            m.editDate,
		Chat:                cs.chat,
		Text:                m.text.plain,
		Entities:            append([]models.MessageEntity(nil), m.text.entities...),
		LinkPreviewOptions:  m.preview,
		HasProtectedContent: m.protect,
		ReplyMarkup:         cloneMarkup(m.markup),
	}
	if m.document != nil {
		out.Document = m.document.model()
		out.Text, out.Entities = "", nil
		out.Caption, out.CaptionEntities = m.text.plain, append([]models.MessageEntity(nil), m.text.entities...)
	}
	if m.from != nil {
		u := *m.from
		out.From = &u
	} else {
		c := cs.chat
		out.SenderChat = &c
	}
	if withReply && m.replyTo != 0 {
		if r, ok := cs.messages[m.replyTo]; ok {
			out.ReplyToMessage = s.modelLocked(cs, r, false)
		}
	}
	return out
}

// addMessageLocked gives m the chat's next message id and stores it.
// s.mu must be held.
func (s *Server) addMessageLocked(cs *chatState, m *storedMessage) {
	cs.lastMessageID++
	s.lastSeq++
	m.id, m.seq, m.chatID = cs.lastMessageID, s.lastSeq, cs.chat.ID
	if m.date == 0 {
		m.date = now()
	}
	cs.messages[m.id] = m
	s.notifyLocked()
}

// parseContent validates what sendMessage and editMessageText share: the text with its parse
// mode or entities, the link preview options and the inline keyboard.
func parseContent(p params) (formattedText, *models.LinkPreviewOptions, *models.InlineKeyboardMarkup, *apiError) {
	text, apiErr := formatText(p["text"], p["parse_mode"], p["entities"])
	if apiErr != nil {
		return text, nil, nil, apiErr
	}
	preview, apiErr := parseLinkPreview(p)
	if apiErr != nil {
		return text, nil, nil, apiErr
	}
	markup, apiErr := parseReplyMarkup(p["reply_markup"])
	return text, preview, markup, apiErr
}

// sendMessage validates like Telegram (text, parse mode, markup, link
// preview options, chat access, forum topic, replied message, rate limits)
// and stores the message; any error leaves no message behind.
func (s *Server) sendMessage(p params) (any, *apiError) {
	text, preview, markup, apiErr := parseContent(p)
	if apiErr != nil {
		return nil, apiErr
	}
	threadID, ok := p.int("message_thread_id")
	if !ok {
		return nil, badRequest("message thread not found")
	}
	reply, apiErr := parseReply(p)
	if apiErr != nil {
		return nil, apiErr
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	cs, apiErr := s.resolveChatLocked(p["chat_id"])
	if apiErr != nil {
		return nil, apiErr
	}
	if apiErr := s.checkAccessLocked(cs, true); apiErr != nil {
		return nil, apiErr
	}
	if threadID != 0 && cs.chat.IsForum && !cs.threads[threadID] {
		return nil, badRequest("message thread not found")
	}
	if reply.messageID != 0 && (reply.chatID == "" || s.chatIDOf(reply.chatID) == cs.chat.ID) {
		if _, ok := cs.messages[reply.messageID]; !ok {
			if !reply.allowWithout {
				return nil, badRequest("message to be replied not found")
			}
			reply.messageID = 0
		}
	}
	if s.limiter != nil {
		if retry, ok := s.limiter.allow(cs.chat.ID, cs.chat.Type == models.ChatTypePrivate, p.bool("allow_paid_broadcast"), time.Now()); !ok {
			return nil, &apiError{code: http.StatusTooManyRequests,
				description: "Too Many Requests: retry after " + strconv.Itoa(retry), retryAfter: retry}
		}
	}
	bot := s.bot
	m := &storedMessage{
		threadID: threadID,
		fromBot:  true,
		from:     &bot,
		text:     text,
		markup:   markup,
		preview:  preview,
		silent:   p.bool("disable_notification"),
		protect:  p.bool("protect_content"),
		paid:     p.bool("allow_paid_broadcast"),
		replyTo:  reply.messageID,
	}
	m.isTopic = threadID != 0 && cs.chat.IsForum
	s.addMessageLocked(cs, m)
	return s.modelLocked(cs, m, true), nil
}

// editMessageText replaces a bot message's text, link preview options and
// inline keyboard. As in Telegram, leaving reply_markup out removes the
// keyboard, and an edit that changes nothing is an error.
func (s *Server) editMessageText(p params) (any, *apiError) {
	text, preview, markup, apiErr := parseContent(p)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, m, apiErr := s.messageToEditLocked(p)
	if apiErr != nil {
		return nil, apiErr
	}
	if sameText(m.text, text) && markupEqual(m.markup, markup) && previewDisabled(m.preview) == previewDisabled(preview) {
		return nil, badRequest(notModified)
	}
	m.text, m.markup, m.preview = text, markup, preview
	s.editedLocked(m)
	return s.modelLocked(cs, m, true), nil
}

// editMessageReplyMarkup replaces a bot message's inline keyboard; leaving
// reply_markup out removes it.
func (s *Server) editMessageReplyMarkup(p params) (any, *apiError) {
	markup, apiErr := parseReplyMarkup(p["reply_markup"])
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, m, apiErr := s.messageToEditLocked(p)
	if apiErr != nil {
		return nil, apiErr
	}
	if markupEqual(m.markup, markup) {
		return nil, badRequest(notModified)
	}
	m.markup = markup
	s.editedLocked(m)
	return s.modelLocked(cs, m, true), nil
}

// messageToEditLocked finds the message chat_id/message_id name and checks
// the bot may edit it. Inline messages are not supported. s.mu must be held.
func (s *Server) messageToEditLocked(p params) (*chatState, *storedMessage, *apiError) {
	if p["chat_id"] == "" && p["inline_message_id"] != "" {
		return nil, nil, badRequest("MESSAGE_ID_INVALID")
	}
	cs, apiErr := s.resolveChatLocked(p["chat_id"])
	if apiErr != nil {
		return nil, nil, apiErr
	}
	id, _ := p.int("message_id")
	m, ok := cs.messages[id]
	if !ok {
		return nil, nil, badRequest("message to edit not found")
	}
	if !m.fromBot {
		return nil, nil, badRequest("message can't be edited")
	}
	if apiErr := s.checkAccessLocked(cs, false); apiErr != nil {
		return nil, nil, apiErr
	}
	return cs, m, nil
}

func (s *Server) editedLocked(m *storedMessage) {
	m.edits++
	m.editDate = max(now(), m.date+1) // a message edited in its first second still has edit_date > date
	s.notifyLocked()
}

// deleteMessage removes a message from its chat.
func (s *Server) deleteMessage(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, apiErr := s.resolveChatLocked(p["chat_id"])
	if apiErr != nil {
		return nil, apiErr
	}
	id, _ := p.int("message_id")
	if _, ok := cs.messages[id]; !ok {
		return nil, badRequest("message to delete not found")
	}
	delete(cs.messages, id)
	s.notifyLocked()
	return true, nil
}

// sameText reports whether two texts look the same to users: same plain text
// and same formatting, however they were written.
func sameText(a, b formattedText) bool {
	if a.plain != b.plain || len(a.entities) != len(b.entities) {
		return false
	}
	return len(a.entities) == 0 || reflect.DeepEqual(a.entities, b.entities)
}

func previewDisabled(o *models.LinkPreviewOptions) bool {
	return o != nil && o.IsDisabled != nil && *o.IsDisabled
}

// parseLinkPreview reads link_preview_options, or the legacy
// disable_web_page_preview flag.
func parseLinkPreview(p params) (*models.LinkPreviewOptions, *apiError) {
	raw := p["link_preview_options"]
	if raw == "" {
		if p.bool("disable_web_page_preview") {
			t := true
			return &models.LinkPreviewOptions{IsDisabled: &t}, nil
		}
		return nil, nil
	}
	var o *models.LinkPreviewOptions
	if err := json.Unmarshal([]byte(raw), &o); err != nil {
		return nil, badRequest("can't parse link preview options JSON object")
	}
	if o == nil {
		return nil, badRequest("object expected as link preview options")
	}
	return o, nil
}

// replyTarget is what reply_parameters (or the legacy reply_to_message_id)
// asks for.
type replyTarget struct {
	messageID    int
	chatID       string
	allowWithout bool
}

func parseReply(p params) (replyTarget, *apiError) {
	var r replyTarget
	if raw := p["reply_parameters"]; raw != "" {
		var v struct {
			MessageID                int             `json:"message_id"`
			ChatID                   json.RawMessage `json:"chat_id"`
			AllowSendingWithoutReply bool            `json:"allow_sending_without_reply"`
		}
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			return r, badRequest("can't parse reply parameters JSON object")
		}
		r.messageID, r.allowWithout = v.MessageID, v.AllowSendingWithoutReply
		if len(v.ChatID) > 0 && string(v.ChatID) != "null" {
			var s string
			if json.Unmarshal(v.ChatID, &s) != nil {
				s = string(v.ChatID)
			}
			r.chatID = s
		}
		return r, nil
	}
	r.messageID, _ = p.int("reply_to_message_id")
	r.allowWithout = p.bool("allow_sending_without_reply")
	return r, nil
}

// Messages returns the bot's messages in chatID, oldest first, as they are
// now: edits applied, deleted ones gone. The result is a copy.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	var out []Message
	for _, m := range cs.messages {
		if m.fromBot {
			out = append(out, m.public())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// AllMessages returns the bot's messages in every chat, in the order they
// were sent, as they are now.
func (s *Server) AllMessages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var stored []*storedMessage
	for _, cs := range s.chats {
		for _, m := range cs.messages {
			if m.fromBot {
				stored = append(stored, m)
			}
		}
	}
	sort.Slice(stored, func(i, j int) bool { return stored[i].seq < stored[j].seq })
	out := make([]Message, len(stored))
	for i, m := range stored {
		out[i] = m.public()
	}
	return out
}

// WaitMessages blocks until the bot has at least n messages in chatID and
// returns them (see Messages), or returns an error when ctx ends or the
// server closes first.
func (s *Server) WaitMessages(ctx context.Context, chatID int64, n int) ([]Message, error) {
	var msgs []Message
	err := s.WaitFor(ctx, func() bool {
		msgs = s.Messages(chatID)
		return len(msgs) >= n
	})
	if err != nil {
		return nil, fmt.Errorf("fakebotapi: chat %d has %d bot messages, waiting for %d: %w", chatID, len(msgs), n, err)
	}
	return msgs, nil
}
