package bot

import (
	"context"
	"errors"
	"livealert/bot/locale"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"livealert/bot/deliver"
	"livealert/bot/fakebotapi"
	"livealert/sources"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// harnessTimeout bounds every wait of a harness test.
const harnessTimeout = 20 * time.Second

// Users and chats the bot tests talk as.
var (
	alice     = fakebotapi.User{ID: 1001, FirstName: "Alice", Username: "alice", LanguageCode: "en"}
	bob       = fakebotapi.User{ID: 1002, FirstName: "Bob", Username: "bob"}
	aliceChat = fakebotapi.PrivateChat(alice)
	bobChat   = fakebotapi.PrivateChat(bob)
	newsGroup = fakebotapi.Chat{ID: -1001000000001, Type: "supergroup", Title: "Newsroom"}
	forum     = fakebotapi.Chat{ID: -1001000000002, Type: "supergroup", Title: "Desk", IsForum: true}
)

// testTopics is a small catalog for bot tests.
var testTopics = []match.Topic{
	{Name: "Storms", Description: "Storms, floods and sea walls.", Keywords: []string{"storm", "flood", `"sea wall"`}},
	{Name: "Ferries", Description: "Ferry routes and crossings.", Keywords: []string{"ferry", "ferries"}},
	{Name: "Council", Description: "The town council.", Keywords: []string{"council", "mayor"}},
}

// harnessClock is a settable clock.
type harnessClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *harnessClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *harnessClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *harnessClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// harnessOptions shape a harness; the zero value is a bot with testTopics, no sources, no
// admins, digests at 08:00 UTC and a clock at 2024-05-14 12:00 UTC.
type harnessOptions struct {
	Topics     []match.Topic
	Admins     []int64
	DigestTime string
	TimeZone   *time.Location
	Start      time.Time
	// Page, when set, is served as the text of the live blog "Harbour Wire" (format
	// liveblog), polled every PollInterval (default 50ms); change it with setPage.
	Page         string
	PollInterval time.Duration
	// API shapes the fake Bot API server. Unless API.EnforceLimits, replies skip the chats'
	// rate limits (the fake does not enforce them, and each command of a test waits for its
	// answer); alerts keep them either way.
	API fakebotapi.Options
	// Budget turns on the users' command budget, on the harness clock (which stands still
	// unless the test moves it).
	Budget bool
	// Bot adjusts the bot's options before each start.
	Bot func(*Options)
}

// harness runs the real Bot — the real go-telegram/bot client, a real SQLite file, the real
// watcher — against the fake Bot API, with a settable clock. Everything it starts ends with
// the test.
type harness struct {
	t     *testing.T
	ctx   context.Context
	api   *fakebotapi.Server
	clock *harnessClock
	path  string
	opts  harnessOptions

	pageMu sync.Mutex
	page   string
	// getMeAtPoll is how many getMe calls the fake had had at each poll of the page.
	getMeAtPoll []int
	source      sources.Source

	// Set while running; replaced by restart.
	store  *subscriptions.Store
	bot    *Bot
	cancel context.CancelFunc
	done   chan error
}

func newHarness(t *testing.T, opts harnessOptions) *harness {
	t.Helper()
	if opts.Topics == nil {
		opts.Topics = testTopics
	}
	if opts.DigestTime == "" {
		opts.DigestTime = "08:00"
	}
	if opts.TimeZone == nil {
		opts.TimeZone = time.UTC
	}
	if opts.Start.IsZero() {
		opts.Start = time.Date(2024, 5, 14, 12, 0, 0, 0, time.UTC)
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 50 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*harnessTimeout)
	t.Cleanup(cancel)
	h := &harness{
		t:     t,
		ctx:   ctx,
		api:   fakebotapi.New(opts.API),
		clock: &harnessClock{now: opts.Start},
		path:  filepath.Join(t.TempDir(), "livealert.db"),
		opts:  opts,
		page:  opts.Page,
	}
	t.Cleanup(h.api.Close)
	if opts.Page != "" {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			h.pageMu.Lock()
			defer h.pageMu.Unlock()
			h.getMeAtPoll = append(h.getMeAtPoll, h.api.Calls("getMe"))
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = w.Write([]byte(h.page))
		}))
		t.Cleanup(srv.Close)
		h.source = sources.Source{Name: "Harbour Wire", URL: srv.URL + "/live", Format: sources.FormatLiveBlog, PollInterval: opts.PollInterval}
	}
	t.Cleanup(h.stop)
	return h
}

// setPage replaces the text the live blog serves.
func (h *harness) setPage(text string) {
	h.pageMu.Lock()
	defer h.pageMu.Unlock()
	h.page = text
}

// start opens the store and runs the bot until the test ends or stop is called, and waits
// until it has connected to the fake.
func (h *harness) start() {
	h.t.Helper()
	store, err := subscriptions.Open(h.ctx, subscriptions.Options{
		Path: h.path, Topics: h.opts.Topics, DigestTime: h.opts.DigestTime, TimeZone: h.opts.TimeZone, Now: h.clock.Now,
	})
	if err != nil {
		h.t.Fatalf("open store: %v", err)
	}
	opts := Options{
		Token:       h.api.Token(),
		APIURL:      h.api.URL(),
		Admins:      h.opts.Admins,
		Store:       store,
		Fetcher:     sources.NewFetcher(sources.FetcherOptions{UserAgent: "livealert-test"}),
		Now:         h.clock.Now,
		DigestTick:  "@every 8760h",   // tests call digestTick themselves
		PollTimeout: 10 * time.Second, // long polls; one of 1s would poll without pause (the client takes 1s off)
	}
	if h.source.Name != "" {
		opts.Sources = []sources.Source{h.source}
	}
	if h.opts.Bot != nil {
		h.opts.Bot(&opts)
	}
	opts.unpacedReplies = !h.opts.API.EnforceLimits
	b, err := newBot(opts)
	if err != nil {
		store.Close()
		h.t.Fatalf("new bot: %v", err)
	}
	if !h.opts.Budget {
		b.budget = nil
	}
	connected := h.api.Calls("setMyCommands") + len(menus(b.cmds.list, opts.Admins, locale.English)) // connect's last calls
	ctx, cancel := context.WithCancel(h.ctx)
	h.store, h.bot, h.cancel, h.done = store, b, cancel, make(chan error, 1)
	go func() { h.done <- b.run(ctx) }()
	if err := h.api.WaitCalls(h.waitCtx(), "setMyCommands", connected); err != nil {
		h.t.Fatalf("bot did not connect: %v", err)
	}
}

// stop ends the bot, waits for it and closes the store. It does nothing when not running.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	err := <-h.done
	h.store.Close()
	h.cancel, h.bot, h.store = nil, nil, nil
	if err != nil && !errors.Is(err, context.Canceled) {
		h.t.Errorf("bot stopped with %v", err)
	}
}

// restart stops the bot and starts it again on the same database, as a new process would.
func (h *harness) restart() {
	h.t.Helper()
	h.stop()
	h.start()
}

func (h *harness) waitCtx() context.Context {
	ctx, cancel := context.WithTimeout(h.ctx, harnessTimeout)
	h.t.Cleanup(cancel)
	return ctx
}

// waitHandled blocks until the bot has handled the update with id.
func (h *harness) waitHandled(id int64) {
	h.t.Helper()
	deadline := time.Now().Add(harnessTimeout)
	for {
		offset, err := deliver.UpdateOffset(h.ctx, h.store)
		if err != nil {
			h.t.Fatalf("update offset: %v", err)
		}
		if offset >= id {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("update %d not handled after %v (offset %d)", id, harnessTimeout, offset)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// say sends text into chat as from (in forum topic thread when not 0), waits until the bot
// has handled it and returns the messages the bot sent to chat meanwhile.
func (h *harness) say(chat fakebotapi.Chat, from fakebotapi.User, thread int, text string) []fakebotapi.Message {
	h.t.Helper()
	id := chat.ID
	if id == 0 {
		id = from.ID
	}
	before := len(h.api.Messages(id))
	h.waitHandled(h.api.SendMessageInThread(chat, from, thread, text))
	return h.api.Messages(id)[before:]
}

// reply is say for a command that must answer with exactly one message, which it returns.
func (h *harness) reply(chat fakebotapi.Chat, from fakebotapi.User, text string) fakebotapi.Message {
	h.t.Helper()
	msgs := h.say(chat, from, 0, text)
	if len(msgs) != 1 {
		h.t.Fatalf("%q: the bot sent %d messages, want 1: %+v", text, len(msgs), msgs)
	}
	return msgs[0]
}

// press presses the inline button with data under message msgID in chat as from, and
// returns the callback answer's text once the bot has answered.
func (h *harness) press(chat fakebotapi.Chat, from fakebotapi.User, msgID int, data string) string {
	h.t.Helper()
	id, err := h.api.PressButton(chat, from, msgID, data)
	if err != nil {
		h.t.Fatalf("press %q: %v", data, err)
	}
	var answer string
	err = h.api.WaitFor(h.waitCtx(), func() bool {
		for _, a := range h.api.CallbackAnswers() {
			if a.QueryID == id {
				answer = a.Text
				return true
			}
		}
		return false
	})
	if err != nil {
		h.t.Fatalf("press %q: no callback answer: %v", data, err)
	}
	return answer
}

// waitMessages blocks until the bot has sent at least n messages to chatID, and returns
// them all.
func (h *harness) waitMessages(chatID int64, n int) []fakebotapi.Message {
	h.t.Helper()
	msgs, err := h.api.WaitMessages(h.waitCtx(), chatID, n)
	if err != nil {
		h.t.Fatal(err)
	}
	return msgs
}

// digestTick runs one digest tick now, as cron would at the clock's time.
func (h *harness) digestTick() { h.bot.digestTick(h.ctx) }

// ingest hands entries of the harness's live blog to the bot as the watcher would.
func (h *harness) ingest(entries ...sources.Entry) {
	h.t.Helper()
	src := sources.Source{Name: "Harbour Wire"}
	for i := range entries {
		entries[i].Source = src.Name
		if entries[i].Hash == "" {
			entries[i].Hash = sources.ContentHash(entries[i].Title, entries[i].Body)
		}
	}
	if err := h.bot.ingest(h.ctx, src, entries); err != nil {
		h.t.Fatalf("ingest: %v", err)
	}
}

// liftChatLimits lifts the bot's per-chat limits (one a second in private, 20 a minute in a
// group), for tests whose next alert to a chat need not wait for them.
func liftChatLimits(o *Options) { o.PrivateInterval, o.GroupInterval = -1, -1 }

// newEntry is a live-blog entry published at the harness clock's start day, 10:00 UTC.
func newEntry(id, title string, body ...string) sources.Entry {
	return sources.Entry{ID: id, Title: title, Body: body, Published: time.Date(2024, 5, 14, 10, 0, 0, 0, time.UTC)}
}

// en writes English, the language of the harness's users and of the English golden files.
var en = locale.For(locale.English)

// slowDownText is the English answer to a user over their command budget.
var slowDownText = en.T(slowDownID)
