package fakebotapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
)

// Failure is an error reply to inject with FailNext.
type Failure struct {
	// Code is the HTTP status and error_code.
	Code int
	// Description is the full description, e.g. "Forbidden: bot was blocked by the user".
	Description string
	// RetryAfter and MigrateToChatID fill "parameters" when not zero.
	RetryAfter      int
	MigrateToChatID int64
	// Body, when not empty, is sent verbatim as text/html instead of a JSON
	// error, as proxies in front of Telegram do (see BadGateway).
	Body string
}

// TooManyRequests is Telegram's flood-control reply: 429 "Too Many
// Requests: retry after N" with parameters.retry_after N.
func TooManyRequests(retryAfter int) Failure {
	return Failure{Code: http.StatusTooManyRequests,
		Description: "Too Many Requests: retry after " + strconv.Itoa(retryAfter), RetryAfter: retryAfter}
}

// Forbidden is a 403 "Forbidden: desc" (desc may already start with "Forbidden: ").
func Forbidden(desc string) Failure {
	if !strings.HasPrefix(desc, "Forbidden: ") {
		desc = "Forbidden: " + desc
	}
	return Failure{Code: http.StatusForbidden, Description: desc}
}

// Blocked is 403 "Forbidden: bot was blocked by the user".
func Blocked() Failure { return Forbidden("bot was blocked by the user") }

// BadRequest is a 400 "Bad Request: desc" (desc may already start with "Bad Request: ").
func BadRequest(desc string) Failure {
	if !strings.HasPrefix(desc, "Bad Request: ") {
		desc = "Bad Request: " + desc
	}
	return Failure{Code: http.StatusBadRequest, Description: desc}
}

// Migrate is Telegram's reply for a group upgraded to a supergroup: 400
// "Bad Request: group chat was upgraded to a supergroup chat" with
// parameters.migrate_to_chat_id newChatID.
func Migrate(newChatID int64) Failure {
	return Failure{Code: http.StatusBadRequest,
		Description: "Bad Request: group chat was upgraded to a supergroup chat", MigrateToChatID: newChatID}
}

// ServerError is 500 "Internal Server Error", as a JSON error.
func ServerError() Failure {
	return Failure{Code: http.StatusInternalServerError, Description: "Internal Server Error"}
}

// BadGateway is a 502 with an HTML page instead of JSON, which is what
// clients get when Telegram's front end can't reach the Bot API server.
func BadGateway() Failure {
	return Failure{Code: http.StatusBadGateway, Description: "Bad Gateway",
		Body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
			"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"}
}

func (f Failure) apiError() *apiError {
	return &apiError{code: f.Code, description: f.Description, retryAfter: f.RetryAfter,
		migrateTo: f.MigrateToChatID, body: f.Body}
}

// queuedFailure is a Failure waiting for its call.
type queuedFailure struct {
	method string // lower case
	chatID int64  // 0: any call
	f      Failure
}

// FailNext makes the next call of method (case-insensitive) whose chat_id
// is chatID fail with f; chatID 0 matches any call of method, with or
// without a chat. Failures queue: each is used once, in the order given.
// A failed call changes nothing (a failed sendMessage stores no message).
// Any method can fail this way, getUpdates included.
func (s *Server) FailNext(method string, chatID int64, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, queuedFailure{method: strings.ToLower(method), chatID: chatID, f: f})
}

// takeFailure removes and returns the first queued failure for this call,
// nil if none.
func (s *Server) takeFailure(method string, p params) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) == 0 {
		return nil
	}
	chatID := s.chatIDOf(p["chat_id"])
	for i, q := range s.failures {
		if q.method == method && (q.chatID == 0 || q.chatID == chatID) {
			s.failures = append(s.failures[:i:i], s.failures[i+1:]...)
			return q.f.apiError()
		}
	}
	return nil
}

// BlockChat makes every send to chatID fail with 403 until UnblockChat, as
// when a user blocks the bot ("Forbidden: bot was blocked by the user") or a
// group kicks it ("Forbidden: bot was kicked from the group chat"). No
// update is sent; use MyChatMember for that.
func (s *Server) BlockChat(chatID int64) {
	s.SetMemberStatus(chatID, s.bot.ID, models.ChatMemberTypeBanned)
}

// UnblockChat undoes BlockChat: the bot is a member of chatID again.
func (s *Server) UnblockChat(chatID int64) {
	s.SetMemberStatus(chatID, s.bot.ID, models.ChatMemberTypeMember)
}

// MigrateChat upgrades group oldID to supergroup newID, as Telegram does: from
// now on every send to oldID fails with 400 "group chat was upgraded to a
// supergroup chat" and migrate_to_chat_id newID; newID is a supergroup with
// oldID's title, where sends work.
func (s *Server) MigrateChat(oldID, newID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.chatLocked(oldID)
	old.migratedTo = newID
	nc := s.chatLocked(newID)
	nc.chat.Type = models.ChatTypeSupergroup
	if old.chat.Title != "" {
		nc.chat.Title = old.chat.Title
	}
	s.notifyLocked()
}

// SetLatency delays the handling of every later request by d (0: none). A
// request whose client goes away during the delay is dropped.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}
