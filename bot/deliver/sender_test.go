package deliver

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"livealert/bot/fakebotapi"
	"livealert/sources"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// senderTest is a Sender against a fake Bot API, on a store where chat 1 (private) follows
// Storms and the live blog's first poll is recorded.
type senderTest struct {
	t     *testing.T
	ctx   context.Context
	api   *fakebotapi.Server
	store *subscriptions.Store
	s     *Sender
}

func newSenderTest(t *testing.T, adjust func(*Options)) *senderTest {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	api := fakebotapi.New(fakebotapi.Options{})
	t.Cleanup(api.Close)
	store, err := subscriptions.Open(ctx, subscriptions.Options{
		Path:   filepath.Join(t.TempDir(), "deliver.db"),
		Topics: []match.Topic{{Name: "Storms", Description: "Storms.", Keywords: []string{"storm"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, _, err := store.StartChat(ctx, subscriptions.ChatInfo{ID: 1, Type: "private"}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.FollowTopic(ctx, 1, 0, "Storms"); err != nil {
		t.Fatal(err)
	}
	tg, err := tgbot.New(api.Token(), tgbot.WithServerURL(api.URL()), tgbot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{
		Client: tg, Store: store, PrivateInterval: -1,
		Render: func(ds []subscriptions.Delivery) (string, int) { return "🔔 " + ds[0].Entry.Title, 1 },
	}
	if adjust != nil {
		adjust(&opts)
	}
	st := &senderTest{t: t, ctx: ctx, api: api, store: store, s: New(opts)}
	st.ingest("0", "Old storm news")
	return st
}

// ingest records a poll of the live blog holding one entry.
func (st *senderTest) ingest(id, title string) {
	st.t.Helper()
	e := sources.Entry{Source: "Harbour Wire", ID: id, Title: title, Published: time.Now()}
	e.Hash = sources.ContentHash(e.Title, e.Body)
	if _, err := st.store.Ingest(st.ctx, "Harbour Wire", []sources.Entry{e}, subscriptions.IngestOptions{}); err != nil {
		st.t.Fatal(err)
	}
	st.s.Wake()
}

// run runs the sender until the test ends.
func (st *senderTest) run() {
	ctx, cancel := context.WithCancel(st.ctx)
	done := make(chan error, 1)
	go func() { done <- st.s.Run(ctx) }()
	st.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			st.t.Errorf("run: %v", err)
		}
	})
}

// waitUntil polls cond until it holds, failing the test when ctx ends first.
func (st *senderTest) waitUntil(what string, cond func() bool) {
	st.t.Helper()
	for !cond() {
		if st.ctx.Err() != nil {
			st.t.Fatalf("%s: not before the test's deadline", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// outbox returns the store's outbox stats.
func (st *senderTest) outbox() subscriptions.OutboxStats {
	st.t.Helper()
	stats, err := st.store.OutboxStats(st.ctx)
	if err != nil {
		st.t.Fatal(err)
	}
	return stats
}

func TestSenderSendsAndAcks(t *testing.T) {
	t.Parallel()
	st := newSenderTest(t, nil)
	st.run()
	st.ingest("1", "Storm surge floods the road")
	st.waitUntil("the alert sent", func() bool { return len(st.api.Messages(1)) > 0 })
	msgs := st.api.Messages(1)
	if len(msgs) != 1 || msgs[0].Text != "🔔 Storm surge floods the road" || msgs[0].ParseMode != "HTML" || !msgs[0].LinkPreviewDisabled {
		t.Fatalf("messages %+v, want the rendered alert in HTML without a link preview", msgs)
	}
	st.waitUntil("the sent alert leaves the queue", func() bool { return st.outbox().Queued == 0 })
}

// lockedBuffer is a log sink for several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestSenderLogsRedactedErrors(t *testing.T) {
	t.Parallel()
	var logged lockedBuffer
	var token string
	st := newSenderTest(t, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&logged, nil))
		o.Redact = func(err error) string { return strings.ReplaceAll(err.Error(), token, "<token>") }
	})
	token = st.api.Token()
	st.api.FailNext("sendMessage", 1, fakebotapi.BadRequest("chat not found for "+token))
	st.run()
	st.ingest("1", "Storm surge floods the road")
	st.waitUntil("the refused alert is dead-lettered", func() bool { return st.outbox().DeadLetters == 1 })
	if log := logged.String(); strings.Contains(log, token) || !strings.Contains(log, "chat not found for <token>") {
		t.Fatalf("want the error logged with the token masked, got:\n%s", log)
	}
}

func TestRunNeedsItsOptions(t *testing.T) {
	t.Parallel()
	if err := New(Options{}).Run(context.Background()); err == nil || !strings.HasPrefix(err.Error(), "deliver: ") {
		t.Fatalf("Run without options: %v, want a deliver error", err)
	}
}

func TestReplyCoalescesIdenticalWaitingReplies(t *testing.T) {
	t.Parallel()
	st := newSenderTest(t, func(o *Options) { o.PrivateInterval = 0 }) // one a second
	st.run()
	var done atomic.Int32
	reply := func(text string) {
		st.s.Reply(st.ctx, "private", MessageParams(1, 0, text, nil), func() { done.Add(1) })
	}
	reply("first")
	reply("again") // waits a second for the chat's limiter…
	reply("again") // …and answers this one too
	st.waitUntil("every reply done", func() bool { return done.Load() == 3 })
	var texts []string
	for _, m := range st.api.Messages(1) {
		texts = append(texts, m.Text)
	}
	if strings.Join(texts, ",") != "first,again" {
		t.Fatalf("sent %q, want first and one again", texts)
	}
}
