package fakebotapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// testTimeout bounds every wait in these tests.
const testTimeout = 10 * time.Second

var (
	alice = User{ID: 1001, FirstName: "Alice", Username: "alice", LanguageCode: "en"}
	bob   = User{ID: 1002, FirstName: "Bob"}
)

func newServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s := New(opts)
	t.Cleanup(s.Close)
	return s
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// newClient is the real go-telegram/bot client pointed at s. Its getMe runs
// against s at creation.
func newClient(t *testing.T, s *Server, opts ...tgbot.Option) *tgbot.Bot {
	t.Helper()
	opts = append([]tgbot.Option{
		tgbot.WithServerURL(s.URL()),
		tgbot.WithErrorsHandler(func(error) {}),
		tgbot.WithNotAsyncHandlers(), // handlers end before Start returns
	}, opts...)
	b, err := tgbot.New(s.Token(), opts...)
	if err != nil {
		t.Fatalf("tgbot.New: %v", err)
	}
	return b
}

// runningBot is a client polling s in the background.
type runningBot struct {
	*tgbot.Bot
	updates chan *models.Update // every update the default handler saw
	stop    func()              // stops polling and waits for it
}

// startBot starts a client polling s; handler (may be nil) runs for every
// update, after it is sent on updates. The bot stops at the end of the test.
func startBot(t *testing.T, s *Server, handler tgbot.HandlerFunc) *runningBot {
	t.Helper()
	rb := &runningBot{updates: make(chan *models.Update, 100)}
	rb.Bot = newClient(t, s, tgbot.WithDefaultHandler(func(ctx context.Context, b *tgbot.Bot, u *models.Update) {
		rb.updates <- u
		if handler != nil {
			handler(ctx, b, u)
		}
	}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		rb.Start(ctx)
	}()
	rb.stop = func() {
		cancel()
		<-done
	}
	t.Cleanup(rb.stop)
	return rb
}

func (rb *runningBot) next(t *testing.T) *models.Update {
	t.Helper()
	select {
	case u := <-rb.updates:
		return u
	case <-time.After(testTimeout):
		t.Fatal("no update delivered")
		return nil
	}
}

// rawResponse is a Bot API reply read without the client.
type rawResponse struct {
	Status      int
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// call posts a form to method with a plain HTTP client.
func call(ctx context.Context, t *testing.T, s *Server, method string, form url.Values) rawResponse {
	t.Helper()
	return post(ctx, t, s.URL()+"/bot"+s.Token()+"/"+method, "application/x-www-form-urlencoded", form.Encode())
}

func post(ctx context.Context, t *testing.T, u, contentType, body string) rawResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("post %s: %v", u, err)
		return rawResponse{}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var r rawResponse
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	r.Status = resp.StatusCode
	return r
}

// polling reports whether a getUpdates call is blocked waiting.
func (s *Server) polling() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.poll != nil
}

func inlineKeyboard(rows ...[]models.InlineKeyboardButton) *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func button(text, data string) models.InlineKeyboardButton {
	return models.InlineKeyboardButton{Text: text, CallbackData: data}
}

// contains reports whether err is not nil and its message contains s.
func contains(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}

func sendParams(chatID int64, text string) *tgbot.SendMessageParams {
	return &tgbot.SendMessageParams{ChatID: chatID, Text: text}
}
