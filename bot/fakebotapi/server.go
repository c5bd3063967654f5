// Package fakebotapi is a Telegram Bot API server that runs in-process: the
// tests, and livealert's console mode, run the real bot against it. Point the real go-telegram/bot client at it with
// tgbot.WithServerURL(srv.URL()) and srv.Token(); inject what users do
// (SendMessage, PressButton, ...), and observe what the bot did (Messages,
// CallbackAnswers, Calls, ...).
//
// It behaves like Telegram where bugs hide: real long polling with offsets,
// per-chat message ids, Telegram's HTML parse mode (stricter about stray '&'),
// length limits counted in UTF-16 after parsing, "message is not modified",
// inline keyboard rules, and Telegram's error replies, which can also be
// injected (FailNext, BlockChat, MigrateChat) or produced by rate limits
// (Options.EnforceLimits). Documents go both ways: sendDocument takes a multipart upload,
// SendDocument injects a user's file, and getFile with GET /file/bot<token>/<path> downloads
// one within Telegram's limits (files.go). After setWebhook it POSTs updates to the webhook
// until answered 200, as Telegram does (see Webhook, PostWebhook).
//
// All methods of Server are safe for concurrent use.
package fakebotapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// Token is the bot token clients must use. Default "123456:TEST-TOKEN",
	// or "<BotID>:TEST-TOKEN" when only BotID is set.
	Token string
	// BotID is the bot's user id. Default: the numeric prefix of Token, as
	// go-telegram/bot's Bot.ID() assumes.
	BotID int64
	// BotUsername is the bot's username, without "@". Default "livealert_test_bot".
	BotUsername string
	// BotName is the bot's first name. Default "LiveAlert Test".
	BotName string
	// EnforceLimits makes sendMessage answer 429 like Telegram when the bot
	// sends more than 30 messages a second overall, more than one a second
	// to one private chat (after a burst of 3) or more than 20 a minute to
	// one group or channel; with allow_paid_broadcast, 1000 a second overall.
	EnforceLimits bool
}

// Server is a running fake Bot API server. Create it with New and stop it
// with Close.
type Server struct {
	token string
	bot   models.User
	http  *httptest.Server

	closed    chan struct{} // closed by Close; ends long polls and waits
	closeOnce sync.Once

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change

	calls     map[string]int // by lower-cased method name
	latency   time.Duration
	failures  []queuedFailure
	limiter   *rateLimiter // nil unless Options.EnforceLimits
	served429 int
	served409 int // long polls ended by another getUpdates

	nextUpdateID   int64
	queue          []queuedUpdate // not yet confirmed, by increasing id
	allowedUpdates map[string]bool
	poll           *longPoll                 // the getUpdates call waiting for updates, if any
	sent           map[int64]json.RawMessage // every update injected, by id
	webhook        *webhook                  // set by setWebhook; nil while long polling
	webhookAnswers map[int]int               // webhook deliveries by the status answered

	chats   map[int64]*chatState
	users   map[int64]models.User
	lastSeq int64 // orders messages across chats

	lastCallbackID uint64
	callbacks      map[string]*callbackQuery
	answers        []CallbackAnswer

	commands map[string][]models.BotCommand // by commandsKey

	files    map[string]*storedFile // by file_id (files.go)
	lastFile int
}

// New starts a fake Bot API server on a loopback port.
func New(opts Options) *Server {
	if opts.Token == "" {
		if opts.BotID == 0 {
			opts.Token = "123456:TEST-TOKEN"
		} else {
			opts.Token = strconv.FormatInt(opts.BotID, 10) + ":TEST-TOKEN"
		}
	}
	if opts.BotID == 0 {
		prefix, _, _ := strings.Cut(opts.Token, ":")
		opts.BotID, _ = strconv.ParseInt(prefix, 10, 64)
		if opts.BotID <= 0 {
			opts.BotID = 123456
		}
	}
	if opts.BotUsername == "" {
		opts.BotUsername = "livealert_test_bot"
	}
	if opts.BotName == "" {
		opts.BotName = "LiveAlert Test"
	}
	s := &Server{
		token: opts.Token,
		bot: models.User{
			ID:            opts.BotID,
			IsBot:         true,
			FirstName:     opts.BotName,
			Username:      opts.BotUsername,
			CanJoinGroups: true,
		},
		closed:         make(chan struct{}),
		changed:        make(chan struct{}),
		calls:          map[string]int{},
		nextUpdateID:   firstUpdateID,
		chats:          map[int64]*chatState{},
		users:          map[int64]models.User{},
		lastCallbackID: firstCallbackID,
		callbacks:      map[string]*callbackQuery{},
	}
	if opts.EnforceLimits {
		s.limiter = newRateLimiter()
	}
	s.http = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// URL is the server's base URL, for tgbot.WithServerURL.
func (s *Server) URL() string { return s.http.URL }

// Token is the bot token the server accepts.
func (s *Server) Token() string { return s.token }

// Bot is the bot's user, as getMe returns it.
func (s *Server) Bot() models.User { return s.bot }

// Close ends pending long polls and waits, then shuts the server down and
// waits for its requests to finish. Calls after the first do nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.http.Close()
	})
}

// Calls is how many requests for method (case-insensitive, as in Telegram)
// the server has received with the right token, failed ones included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[strings.ToLower(method)]
}

// WaitFor blocks until cond returns true, ctx ends or the server closes, and
// returns nil only in the first case. cond runs without the server's locks
// held, so it may call any Server method; it is evaluated at once and again
// after every change of state (a request handled, an update injected or
// confirmed, ...), never by polling on a timer.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closed:
			return errors.New("fakebotapi: server closed")
		}
	}
}

// WaitCalls blocks until the server has received at least n requests for
// method (see Calls), ctx ends or the server closes.
func (s *Server) WaitCalls(ctx context.Context, method string, n int) error {
	return s.WaitFor(ctx, func() bool { return s.Calls(method) >= n })
}

// notifyLocked wakes everything waiting for a change. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notifyLocked()
}

// serveHTTP handles POST/GET {URL}/bot{token}/{method} and GET {URL}/file/bot{token}/{path}.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	defer s.notify()
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || method == "" {
		writeError(w, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	if token != s.token {
		writeError(w, &apiError{code: http.StatusUnauthorized, description: "Unauthorized"})
		return
	}
	method = strings.ToLower(method)
	s.mu.Lock()
	s.calls[method]++
	latency := s.latency
	s.notifyLocked()
	s.mu.Unlock()

	ctx := r.Context()
	if latency > 0 && !s.sleep(ctx, latency) {
		return
	}
	if !knownMethod(method) {
		writeError(w, &apiError{code: http.StatusNotFound, description: "Not Found: method not found"})
		return
	}
	p, files, err := readParams(r)
	if errors.Is(err, errTooLarge) {
		writeError(w, &apiError{code: http.StatusRequestEntityTooLarge, description: "Request Entity Too Large"})
		return
	}
	if err != nil {
		writeError(w, badRequest(err.Error()))
		return
	}
	if apiErr := s.takeFailure(method, p); apiErr != nil {
		s.reply(w, nil, apiErr)
		return
	}
	var result any
	var apiErr *apiError
	if method == "senddocument" {
		result, apiErr = s.sendDocument(p, files)
	} else {
		result, apiErr = s.dispatch(ctx, method, p)
	}
	if ctx.Err() != nil {
		return // the client went away; nobody reads the answer
	}
	s.reply(w, result, apiErr)
}

// reply writes the outcome of a call and counts 429s.
func (s *Server) reply(w http.ResponseWriter, result any, apiErr *apiError) {
	if apiErr == nil {
		writeResult(w, result)
		return
	}
	if apiErr.code == http.StatusTooManyRequests {
		s.mu.Lock()
		s.served429++
		s.mu.Unlock()
	}
	writeError(w, apiErr)
}

// sleep waits d, and reports false if ctx ended or the server closed first.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closed:
		return false
	}
}

// knownMethod reports whether dispatch implements method (lower case).
func knownMethod(method string) bool {
	switch method {
	case "getme", "getupdates", "deletewebhook", "sendmessage", "editmessagetext",
		"editmessagereplymarkup", "deletemessage", "answercallbackquery", "setmycommands",
		"getmycommands", "deletemycommands", "getchat", "getchatmember", "sendchataction",
		"setwebhook", "getwebhookinfo", "senddocument", "getfile":
		return true
	}
	return false
}

// dispatch runs one Bot API method (lower case, known).
func (s *Server) dispatch(ctx context.Context, method string, p params) (any, *apiError) {
	switch method {
	case "getme":
		return s.bot, nil
	case "getupdates":
		return s.getUpdates(ctx, p)
	case "deletewebhook":
		return s.deleteWebhook(p)
	case "setwebhook":
		return s.setWebhook(p)
	case "getwebhookinfo":
		return s.getWebhookInfo()
	case "sendmessage":
		return s.sendMessage(p)
	case "editmessagetext":
		return s.editMessageText(p)
	case "editmessagereplymarkup":
		return s.editMessageReplyMarkup(p)
	case "deletemessage":
		return s.deleteMessage(p)
	case "answercallbackquery":
		return s.answerCallbackQuery(p)
	case "setmycommands":
		return s.setMyCommands(p)
	case "getmycommands":
		return s.getMyCommands(p)
	case "deletemycommands":
		return s.deleteMyCommands(p)
	case "getchat":
		return s.getChat(p)
	case "getchatmember":
		return s.getChatMember(p)
	case "sendchataction":
		return s.sendChatAction(p)
	case "getfile":
		return s.getFile(p)
	}
	return nil, &apiError{code: http.StatusNotFound, description: "Not Found: method not found"}
}

// now is the time stamped on messages, in Telegram's unit (Unix seconds).
func now() int { return int(time.Now().Unix()) }

// String describes the server, for logs.
func (s *Server) String() string {
	return fmt.Sprintf("fakebotapi.Server(%s, @%s)", s.URL(), s.bot.Username)
}
