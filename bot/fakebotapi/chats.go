package fakebotapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// Chat describes a chat when injecting what users do. Chats come into being
// the first time they are used, by the test or by the bot.
type Chat struct {
	// ID is the chat id: a user's id for a private chat, negative for groups,
	// -100... for supergroups and channels. 0 in SendMessage means the
	// private chat with the sender.
	ID int64
	// Type is "private", "group", "supergroup" or "channel". "" means: keep
	// the known type, or derive it from ID (positive: private; -100...:
	// supergroup; other negative: group).
	Type string
	// Title and Username (without "@") update the chat's when not empty.
	Title, Username string
	// IsForum marks a supergroup with topics; see SendMessageInThread.
	IsForum bool
}

// User describes a user when injecting what users do.
type User struct {
	ID                                          int64
	FirstName, LastName, Username, LanguageCode string
	IsBot                                       bool
}

// PrivateChat is the private chat between u and the bot.
func PrivateChat(u User) Chat { return Chat{ID: u.ID, Type: string(models.ChatTypePrivate)} }

func (u User) model() models.User {
	name := u.FirstName
	if name == "" {
		name = fmt.Sprintf("User %d", u.ID)
	}
	return models.User{ID: u.ID, IsBot: u.IsBot, FirstName: name, LastName: u.LastName,
		Username: u.Username, LanguageCode: u.LanguageCode}
}

// chatState is everything the server knows of one chat.
type chatState struct {
	chat          models.Chat
	lastMessageID int                    // message ids are per chat, shared by users and the bot
	messages      map[int]*storedMessage // by id
	members       map[int64]models.ChatMemberType
	botStatus     models.ChatMemberType // the bot's own status; "" = member
	migratedTo    int64                 // set by MigrateChat
	threads       map[int]bool          // forum topics seen in injected messages
}

// supergroupIDLimit: ids at or below are supergroups and channels (-100...).
const supergroupIDLimit = -1_000_000_000_000

// chatLocked returns the chat with id, creating it if unknown: private if id
// is positive, else a supergroup or group by the id's form. s.mu must be held.
func (s *Server) chatLocked(id int64) *chatState {
	if cs, ok := s.chats[id]; ok {
		return cs
	}
	c := models.Chat{ID: id}
	switch {
	case id > 0:
		c.Type = models.ChatTypePrivate
		u := s.userLocked(id)
		c.FirstName, c.LastName, c.Username = u.FirstName, u.LastName, u.Username
	case id <= supergroupIDLimit:
		c.Type = models.ChatTypeSupergroup
		c.Title = fmt.Sprintf("Supergroup %d", id)
	default:
		c.Type = models.ChatTypeGroup
		c.Title = fmt.Sprintf("Group %d", id)
	}
	cs := &chatState{
		chat:     c,
		messages: map[int]*storedMessage{},
		members:  map[int64]models.ChatMemberType{},
		threads:  map[int]bool{},
	}
	s.chats[id] = cs
	return cs
}

// upsertChatLocked returns the chat described by c, created or updated with
// c's non-empty fields. s.mu must be held.
func (s *Server) upsertChatLocked(c Chat) *chatState {
	cs := s.chatLocked(c.ID)
	if c.Type != "" {
		cs.chat.Type = models.ChatType(c.Type)
	}
	if c.Title != "" {
		cs.chat.Title = c.Title
	}
	if c.Username != "" {
		cs.chat.Username = c.Username
	}
	if c.IsForum {
		cs.chat.IsForum = true
	}
	if cs.chat.Type == models.ChatTypePrivate {
		cs.chat.Title = "" // private chats have names, not titles
		if cs.chat.FirstName == "" {
			cs.chat.FirstName = s.userLocked(c.ID).FirstName
		}
	}
	return cs
}

// rememberUserLocked records u so that chats and members show its names.
// s.mu must be held.
func (s *Server) rememberUserLocked(u User) models.User {
	m := u.model()
	s.users[u.ID] = m
	if cs, ok := s.chats[u.ID]; ok && cs.chat.Type == models.ChatTypePrivate {
		cs.chat.FirstName, cs.chat.LastName, cs.chat.Username = m.FirstName, m.LastName, m.Username
	}
	return m
}

// userLocked returns the user with id as far as it is known. s.mu must be held.
func (s *Server) userLocked(id int64) models.User {
	if u, ok := s.users[id]; ok {
		return u
	}
	if id == s.bot.ID {
		return s.bot
	}
	return User{ID: id}.model()
}

// resolveChatLocked finds the chat a chat_id parameter names: an integer id
// (created if unknown) or "@username" of a known chat. s.mu must be held.
func (s *Server) resolveChatLocked(raw string) (*chatState, *apiError) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, badRequest("chat_id is empty")
	}
	if name, ok := strings.CutPrefix(raw, "@"); ok {
		for _, cs := range s.chats {
			if cs.chat.Username != "" && strings.EqualFold(cs.chat.Username, name) {
				return cs, nil
			}
		}
		return nil, badRequest("chat not found")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id == 0 {
		return nil, badRequest("chat not found")
	}
	return s.chatLocked(id), nil
}

// chatIDOf is the id of the chat a chat_id parameter names, 0 if none.
// s.mu must be held.
func (s *Server) chatIDOf(raw string) int64 {
	if strings.HasPrefix(strings.TrimSpace(raw), "@") {
		if cs, err := s.resolveChatLocked(raw); err == nil {
			return cs.chat.ID
		}
		return 0
	}
	id, _ := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	return id
}

// checkAccessLocked is Telegram's check before the bot sends (send) or edits
// in cs: a migrated group refuses sends with migrate_to_chat_id; a chat the
// bot was kicked from or left refuses both, with Telegram's wording (in a
// private chat "kicked" means the user blocked the bot, which only refuses
// sends). s.mu must be held.
func (s *Server) checkAccessLocked(cs *chatState, send bool) *apiError {
	if send && cs.migratedTo != 0 {
		return &apiError{code: http.StatusBadRequest, description: "Bad Request: group chat was upgraded to a supergroup chat",
			migrateTo: cs.migratedTo}
	}
	kind := string(cs.chat.Type)
	switch cs.botStatus {
	case models.ChatMemberTypeBanned:
		if cs.chat.Type == models.ChatTypePrivate {
			if send {
				return forbidden("bot was blocked by the user")
			}
			return nil
		}
		return forbidden("bot was kicked from the " + kind + " chat")
	case models.ChatMemberTypeLeft:
		if cs.chat.Type != models.ChatTypePrivate {
			return forbidden("bot is not a member of the " + kind + " chat")
		}
	}
	return nil
}

// SetMemberStatus sets the status getChatMember reports for userID in chatID
// ("creator", "administrator", "member", "restricted", "left" or "kicked";
// see the models.ChatMemberType constants). Everyone not set is a "member".
// Setting the bot's own id changes what the bot may do in the chat, as a
// MyChatMember update would, but without sending one.
func (s *Server) SetMemberStatus(chatID, userID int64, status models.ChatMemberType) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(chatID)
	if userID == s.bot.ID {
		cs.botStatus = status
	} else {
		cs.members[userID] = status
	}
	s.notifyLocked()
}

// memberStatusLocked is userID's status in cs. s.mu must be held.
func (s *Server) memberStatusLocked(cs *chatState, userID int64) models.ChatMemberType {
	st := cs.members[userID]
	if userID == s.bot.ID {
		st = cs.botStatus
	}
	if st == "" {
		st = models.ChatMemberTypeMember
	}
	return st
}

// chatMember builds the ChatMember Telegram returns for u with status.
func chatMember(u models.User, status models.ChatMemberType) *models.ChatMember {
	switch status {
	case models.ChatMemberTypeOwner:
		return &models.ChatMember{Type: status, Owner: &models.ChatMemberOwner{Status: status, User: &u}}
	case models.ChatMemberTypeAdministrator:
		return &models.ChatMember{Type: status, Administrator: &models.ChatMemberAdministrator{
			Status: status, User: u, CanManageChat: true, CanDeleteMessages: true, CanRestrictMembers: true,
			CanInviteUsers: true, CanPinMessages: true, CanPostMessages: true, CanEditMessages: true}}
	case models.ChatMemberTypeRestricted:
		return &models.ChatMember{Type: status, Restricted: &models.ChatMemberRestricted{Status: status, User: &u, IsMember: true}}
	case models.ChatMemberTypeLeft:
		return &models.ChatMember{Type: status, Left: &models.ChatMemberLeft{Status: status, User: &u}}
	case models.ChatMemberTypeBanned:
		return &models.ChatMember{Type: status, Banned: &models.ChatMemberBanned{Status: status, User: &u}}
	default:
		status = models.ChatMemberTypeMember
		return &models.ChatMember{Type: status, Member: &models.ChatMemberMember{Status: status, User: &u}}
	}
}

// getChat returns basic information on a chat.
func (s *Server) getChat(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, apiErr := s.resolveChatLocked(p["chat_id"])
	if apiErr != nil {
		return nil, apiErr
	}
	c := cs.chat
	return &models.ChatFullInfo{ID: c.ID, Type: c.Type, Title: c.Title, Username: c.Username,
		FirstName: c.FirstName, LastName: c.LastName, IsForum: c.IsForum, MaxReactionCount: 11}, nil
}

// getChatMember returns user_id's status in chat_id (see SetMemberStatus).
func (s *Server) getChatMember(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, apiErr := s.resolveChatLocked(p["chat_id"])
	if apiErr != nil {
		return nil, apiErr
	}
	userID, ok := p.int64("user_id")
	if !ok || userID <= 0 {
		return nil, badRequest("invalid user_id specified")
	}
	return chatMember(s.userLocked(userID), s.memberStatusLocked(cs, userID)), nil
}

// sendChatAction checks the chat like a send and answers true.
func (s *Server) sendChatAction(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, apiErr := s.resolveChatLocked(p["chat_id"])
	if apiErr != nil {
		return nil, apiErr
	}
	if p["action"] == "" {
		return nil, badRequest("action is empty")
	}
	if apiErr := s.checkAccessLocked(cs, true); apiErr != nil {
		return nil, apiErr
	}
	return true, nil
}
