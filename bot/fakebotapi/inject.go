package fakebotapi

import (
	"github.com/go-telegram/bot/models"
)

// SendMessage injects a text message from a user, as if they typed text in
// chat, and returns its update id. chat.ID 0 means the private chat with
// from. A text starting with a command ("/start", "/help@some_bot") carries
// a bot_command entity covering the command and its @suffix, as Telegram
// sends it. The message takes the chat's next message id; a message in a
// channel is delivered as a channel_post (see ChannelPost).
func (s *Server) SendMessage(chat Chat, from User, text string) int64 {
	return s.SendMessageInThread(chat, from, 0, text)
}

// SendMessageInThread is SendMessage in forum topic threadID (the topic's
// message_thread_id; 0 for none). In a forum (Chat.IsForum) the message is
// marked is_topic_message, and the topic becomes one the bot may send to:
// sendMessage to a topic of a forum never seen here fails with "message
// thread not found".
func (s *Server) SendMessageInThread(chat Chat, from User, threadID int, text string) int64 {
	if chat.ID == 0 {
		chat = PrivateChat(from)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.rememberUserLocked(from)
	cs := s.upsertChatLocked(chat)
	m := &storedMessage{
		threadID: threadID,
		from:     &u,
		text:     formattedText{raw: text, plain: text, entities: commandEntities(text)},
	}
	if threadID != 0 {
		cs.threads[threadID] = true
		m.isTopic = cs.chat.IsForum
	}
	s.addMessageLocked(cs, m)
	msg := s.modelLocked(cs, m, true)
	if cs.chat.Type == models.ChatTypeChannel {
		return s.enqueueLocked(models.AllowedUpdateChannelPost, models.Update{ChannelPost: msg})
	}
	return s.enqueueLocked(models.AllowedUpdateMessage, models.Update{Message: msg})
}

// ChannelPost injects a post in channel chat (its Type is forced to
// "channel"), sent on behalf of the channel, and returns its update id.
func (s *Server) ChannelPost(chat Chat, text string) int64 {
	chat.Type = string(models.ChatTypeChannel)
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.upsertChatLocked(chat)
	m := &storedMessage{text: formattedText{raw: text, plain: text, entities: commandEntities(text)}}
	s.addMessageLocked(cs, m)
	return s.enqueueLocked(models.AllowedUpdateChannelPost, models.Update{ChannelPost: s.modelLocked(cs, m, true)})
}

// MyChatMember injects a change of the bot's own status in chat, made by
// from, and returns its update id: "member" or "administrator" when added to
// a group, "left" or "kicked" when removed; in a private chat "kicked" when
// the user blocks the bot and "member" when they unblock it. The new status
// takes effect: sending to a chat the bot was kicked from or left fails
// with 403 as in Telegram.
func (s *Server) MyChatMember(chat Chat, from User, status models.ChatMemberType) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.rememberUserLocked(from)
	cs := s.upsertChatLocked(chat)
	old := cs.botStatus
	if old == "" {
		old = models.ChatMemberTypeMember
		if status == models.ChatMemberTypeMember || status == models.ChatMemberTypeAdministrator {
			old = models.ChatMemberTypeLeft
		}
	}
	cs.botStatus = status
	upd := &models.ChatMemberUpdated{
		Chat:          cs.chat,
		From:          u,
		Date:          now(),
		OldChatMember: *chatMember(s.bot, old),
		NewChatMember: *chatMember(s.bot, status),
	}
	return s.enqueueLocked(models.AllowedUpdateMyChatMember, models.Update{MyChatMember: upd})
}

// commandEntities returns the bot_command entity Telegram attaches to a text
// starting with a command: "/" and 1-64 letters, digits or underscores,
// optionally followed by "@" and a bot username (3-32 such characters).
func commandEntities(text string) []models.MessageEntity {
	if len(text) < 2 || text[0] != '/' {
		return nil
	}
	n := 1 + commandRun(text[1:])
	if n == 1 || n-1 > 64 {
		return nil
	}
	if n < len(text) && text[n] == '@' {
		if m := commandRun(text[n+1:]); m >= 3 && m <= 32 {
			n += 1 + m
		}
	}
	// The command is ASCII, so its length in bytes is its length in UTF-16.
	return []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: n}}
}

// commandRun is the length of the run of [A-Za-z0-9_] at the start of s.
func commandRun(s string) int {
	n := 0
	for n < len(s) && (isAlnum(s[n]) || s[n] == '_') {
		n++
	}
	return n
}
