package bot

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
	"livealert/sources"
	"livealert/subscriptions"
)

// suggestFeed is an RSS feed the test changes: "TRT World live", newest item first.
type suggestFeed struct {
	*httptest.Server
	mu    sync.Mutex
	items []string // <item> elements
	hits  atomic.Int32
}

func newSuggestFeed(t *testing.T, items ...string) *suggestFeed {
	f := &suggestFeed{items: items}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		f.mu.Lock()
		defer f.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>`+
			`<title>TRT World live</title><link>https://trtworld.example/live</link>%s</channel></rss>`, strings.Join(f.items, ""))
	}))
	t.Cleanup(f.Close)
	return f
}

// add puts an item on top of the feed.
func (f *suggestFeed) add(item string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = append([]string{item}, f.items...)
}

func rssItem(guid, title, pubDate string) string {
	return fmt.Sprintf(`<item><title>%s</title><guid>%s</guid><link>https://trtworld.example/live#%s</link><pubDate>%s</pubDate></item>`,
		title, guid, guid, pubDate)
}

// A user suggests a feed, an operator approves it from the button, the user follows a topic
// within it with in:"…", and a new item of that feed — and only of that feed — brings an alert.
func TestSuggestedSourceApprovedFollowedAndAlerted(t *testing.T) {
	t.Parallel()
	olga := fakebotapi.User{ID: 1003, FirstName: "Olga", LanguageCode: "en"}
	olgaChat := fakebotapi.PrivateChat(olga)
	piotr := fakebotapi.User{ID: 1004, FirstName: "Piotr", LanguageCode: "en"}
	piotrChat := fakebotapi.PrivateChat(piotr)
	feed := newSuggestFeed(t,
		rssItem("t3", "Ceasefire talks resume in Doha", "Tue, 14 May 2024 11:40:00 GMT"),
		rssItem("t2", "Ferry traffic halted on the Bosphorus", "Tue, 14 May 2024 11:05:00 GMT"),
		rssItem("t1", "Morning briefing", "Tue, 14 May 2024 09:00:00 GMT"),
		rssItem("t0", "Overnight summary", "Tue, 14 May 2024 07:30:00 GMT"),
	)
	other := newSuggestFeed(t, rssItem("o1", "Another feed", "Tue, 14 May 2024 09:00:00 GMT"))
	h := newHarness(t, harnessOptions{Admins: []int64{olga.ID, piotr.ID}, Bot: func(o *Options) {
		liftChatLimits(o)
		o.UserSources = UserSourceOptions{
			Mode:         UserSourcesApproval,
			Fetcher:      sources.NewFetcher(sources.FetcherOptions{}), // allow_private: the feed is on 127.0.0.1
			Limits:       subscriptions.SuggestLimits{Pending: 1, Total: 5},
			PollInterval: 50 * time.Millisecond,
		}
	}})
	h.start()
	tr := &transcript{t: t}
	say := func(chat fakebotapi.Chat, who fakebotapi.User, text string) []fakebotapi.Message {
		msgs := h.say(chat, who, 0, text)
		tr.said(strings.ToLower(who.FirstName), text, msgs)
		return msgs
	}
	h.reply(olgaChat, olga, "/start")
	h.reply(piotrChat, piotr, "/start")

	if msgs := say(aliceChat, alice, "/source add "+feed.URL+"/live.rss"); len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Sent to the operators") {
		t.Fatalf("suggestion: %+v", msgs)
	}
	// One pending suggestion per chat here: the second waits.
	say(aliceChat, alice, "/source add "+other.URL+"/feed")
	say(aliceChat, alice, "/source add "+feed.URL+"/live.rss")

	// The operator gets the request, with who asked and what was found, and approves it.
	request := h.waitTexts(olga.ID, "A source suggestion")
	req := request[len(request)-1]
	tr.message(req)
	if req.ReplyMarkup == nil || len(req.ReplyMarkup.InlineKeyboard) != 1 {
		t.Fatalf("request without its buttons: %+v", req)
	}
	approve := req.ReplyMarkup.InlineKeyboard[0][0].CallbackData
	if !strings.HasPrefix(approve, sourceApprovePrefix) {
		t.Fatalf("first button %q", approve)
	}
	// A user who is not an operator cannot approve it, even pressing the operator's button.
	if answer := h.press(olgaChat, bob, req.ID, approve); answer != en.T("operators_only_answer") {
		t.Fatalf("bob's press: %q", answer)
	}
	answer := h.press(olgaChat, olga, req.ID, approve)
	tr.pressed("olga", approve, answer, messageByID(t, h, olga.ID, req.ID))
	told := h.waitTexts(alice.ID, "was approved")
	tr.message(told[len(told)-1])
	// The other operator's decision comes second and changes nothing.
	second := h.waitTexts(piotr.ID, "A source suggestion")
	reject := strings.Replace(approve, sourceApprovePrefix, sourceRejectPrefix, 1)
	if answer := h.press(piotrChat, piotr, second[len(second)-1].ID, reject); answer != "Already decided: Approved" {
		t.Fatalf("second decision: %q", answer)
	}
	if rows, err := h.store.UserSources(h.ctx, subscriptions.SourceApproved); err != nil || len(rows) != 1 {
		t.Fatalf("approved: %+v %v", rows, err)
	}

	say(aliceChat, alice, `/follow drones in:"BBC live"`)
	say(aliceChat, alice, `/follow drones in:"trt world LIVE"`)
	h.waitStore("first poll of the suggested feed", func() bool {
		st, err := h.store.SourceState(h.ctx, "TRT World live")
		return err == nil && !st.LastSuccess.IsZero()
	})

	// An entry about drones from another source is not alerted to alice.
	res, err := h.store.Ingest(h.ctx, "Harbour Wire", []sources.Entry{newEntry("hw1", "Drones seen over the harbour")}, subscriptions.IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err = h.store.Ingest(h.ctx, "Harbour Wire", []sources.Entry{newEntry("hw2", "Drones seen over the harbour again")}, subscriptions.IngestOptions{})
	if err != nil || res.New != 1 || res.Queued != 0 {
		t.Fatalf("another source's drones: %+v %v, want recorded and not queued", res, err)
	}

	feed.add(rssItem("t4", "Drones shot down over the Black Sea coast", "Tue, 14 May 2024 11:58:00 GMT"))
	msgs := h.waitTexts(alice.ID, "Drones shot down")
	alerts := alertsIn(t, msgs)
	if len(alerts) != 1 {
		t.Fatalf("%d alerts, want 1: %+v", len(alerts), alerts)
	}
	tr.message(alerts[0])

	say(olgaChat, olga, "/sources")
	say(olgaChat, olga, "/source remove TRT World live")
	say(olgaChat, olga, "/source remove TRT World live")
	say(olgaChat, olga, "/sources")
	// Removed, it is no longer polled.
	before := feed.hits.Load()
	if n := other.hits.Load(); n != 0 {
		t.Errorf("a suggestion over the chat's limit was fetched %d times", n)
	}
	h.restart()
	for _, s := range h.bot.sourceSet().list {
		if s.Name == "TRT World live" {
			t.Fatalf("a removed source is watched after a restart")
		}
	}
	if after := feed.hits.Load(); after > before+1 { // a poll under way when it was removed
		t.Errorf("the feed was fetched %d more times after its removal", after-before)
	}
	golden(t, "source_suggest.txt", strings.ReplaceAll(strings.ReplaceAll(tr.b.String(), feed.URL, "http://FEED"), other.URL, "http://OTHER"))
}

// With allow_private off (the default fetcher), a suggestion of a loopback or private address,
// by IP or by a name resolving to one, is refused and never fetched; file paths and other
// schemes are not addresses; and with mode off, nothing is suggested at all.
func TestSuggestedSourceRefusals(t *testing.T) {
	t.Parallel()
	feed := newSuggestFeed(t, rssItem("t1", "Morning briefing", "Tue, 14 May 2024 09:00:00 GMT"))
	port := feed.URL[strings.LastIndex(feed.URL, ":")+1:]
	h := newHarness(t, harnessOptions{Bot: func(o *Options) {
		o.UserSources = UserSourceOptions{Mode: UserSourcesOpen} // the guarded fetcher by default
	}})
	h.start()
	tr := &transcript{t: t}
	for _, text := range []string{
		"/source add " + feed.URL + "/live.rss",
		"/source add http://localhost:" + port + "/live.rss",
		"/source add http://[::1]:" + port + "/live.rss",
		"/source add http://169.254.169.254/latest/meta-data/",
		"/source add http://10.1.2.3/feed",
		"/source add file:///etc/passwd",
		"/source add /etc/passwd",
		"/source add ftp://example.org/feed",
		"/source add https://user:secret@example.org/feed",
		"/source add @ab",
		"/source",
	} {
		msgs := h.say(aliceChat, alice, 0, text)
		if len(msgs) != 1 {
			t.Fatalf("%q: %+v", text, msgs)
		}
		tr.said("alice", strings.ReplaceAll(text, port, "PORT"), msgs)
	}
	if n := feed.hits.Load(); n != 0 {
		t.Errorf("the loopback feed was fetched %d times", n)
	}
	if rows, err := h.store.UserSources(h.ctx); err != nil || len(rows) != 0 {
		t.Errorf("user sources recorded: %+v %v", rows, err)
	}
	for _, s := range h.bot.sourceSet().list {
		t.Errorf("source %q watched", s.Name)
	}
	h.stop()

	off := newHarness(t, harnessOptions{})
	off.start()
	msgs := off.say(aliceChat, alice, 0, "/source add https://example.org/feed")
	if len(msgs) != 1 || msgs[0].Text != en.T("source_off") {
		t.Fatalf("mode off: %+v", msgs)
	}
	tr.said("alice (mode off)", "/source add https://example.org/feed", msgs)
	golden(t, "source_refusals.txt", tr.b.String())
}

// In open mode a suggestion that checks out is watched at once, and polled.
func TestSuggestedSourceOpenMode(t *testing.T) {
	t.Parallel()
	feed := newSuggestFeed(t, rssItem("t1", "Morning briefing", "Tue, 14 May 2024 09:00:00 GMT"))
	h := newHarness(t, harnessOptions{Bot: func(o *Options) {
		o.UserSources = UserSourceOptions{Mode: UserSourcesOpen, Fetcher: sources.NewFetcher(sources.FetcherOptions{}), PollInterval: 50 * time.Millisecond}
	}})
	h.start()
	m := h.reply(aliceChat, alice, "/source add "+feed.URL+"/live.rss")
	golden(t, "source_open.html", strings.ReplaceAll(m.Text, feed.URL, "http://FEED"))
	h.waitStore("the source polled", func() bool {
		st, err := h.store.SourceState(h.ctx, "TRT World live")
		return err == nil && !st.LastSuccess.IsZero()
	})
	// The same address again is known; so is its name after a restart.
	h.restart()
	if m := h.reply(aliceChat, alice, "/source add "+feed.URL+"/live.rss"); !strings.Contains(m.Text, "already watch this as <b>TRT World live</b>") {
		t.Fatalf("the same address again: %s", m.Text)
	}
}

// A rejected suggestion is not watched, the chat that asked is told, and its address may be
// suggested again.
func TestSuggestedSourceRejected(t *testing.T) {
	t.Parallel()
	olga := fakebotapi.User{ID: 1003, FirstName: "Olga", LanguageCode: "en"}
	olgaChat := fakebotapi.PrivateChat(olga)
	feed := newSuggestFeed(t, rssItem("t1", "Morning briefing", "Tue, 14 May 2024 09:00:00 GMT"))
	h := newHarness(t, harnessOptions{Admins: []int64{olga.ID}, Bot: func(o *Options) {
		liftChatLimits(o)
		o.UserSources = UserSourceOptions{Mode: UserSourcesApproval, Fetcher: sources.NewFetcher(sources.FetcherOptions{})}
	}})
	h.start()
	h.reply(olgaChat, olga, "/start")
	h.reply(newsGroupAdmin(h), alice, "/source add "+feed.URL+"/live.rss")
	request := h.waitTexts(olga.ID, "A source suggestion")
	req := request[len(request)-1]
	if !strings.Contains(req.Text, "in Newsroom") {
		t.Fatalf("the request does not say where: %s", req.Text)
	}
	reject := req.ReplyMarkup.InlineKeyboard[0][1].CallbackData
	if answer := h.press(olgaChat, olga, req.ID, reject); answer != "Rejected" {
		t.Fatalf("reject: %q", answer)
	}
	told := h.waitTexts(newsGroup.ID, "was not approved")
	golden(t, "source_rejected.html", strings.ReplaceAll(told[len(told)-1].Text, feed.URL, "http://FEED"))
	if len(h.bot.sourceSet().list) != 0 {
		t.Fatalf("a rejected source is watched: %v", h.bot.sourceSet().names())
	}
	if m := h.reply(newsGroup, alice, "/source add "+feed.URL+"/live.rss"); !strings.Contains(m.Text, "Sent to the operators") {
		t.Fatalf("suggested again: %s", m.Text)
	}
}

// newsGroupAdmin makes alice an administrator of newsGroup and returns it.
func newsGroupAdmin(h *harness) fakebotapi.Chat {
	h.api.SetMemberStatus(newsGroup.ID, alice.ID, models.ChatMemberTypeAdministrator)
	return newsGroup
}
