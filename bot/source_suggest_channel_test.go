package bot

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/sources"
	"livealert/subscriptions"
)

// A user suggests a public Telegram channel by its @name, an operator approves it from the
// button, the user follows a topic within it, and a new post of the channel brings an alert
// with its t.me permalink. t.me is the test's server: every connection is dialled to it.
func TestSuggestedChannelApprovedFollowedAndAlerted(t *testing.T) {
	t.Parallel()
	olga := fakebotapi.User{ID: 1003, FirstName: "Olga", LanguageCode: "en"}
	olgaChat := fakebotapi.PrivateChat(olga)
	var mu sync.Mutex
	posts := []tgChannelPost{
		{4511, "2024-05-14T10:02:00+00:00", "Отбой ракетной опасности."},
		{4512, "2024-05-14T10:40:00+00:00", "<b>Итоги дня в Белгороде</b><br/>Обстановка спокойная."},
	}
	var paths []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		paths = append(paths, r.Host+r.URL.Path)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, tgChannelPage(posts...))
	}))
	t.Cleanup(srv.Close)
	toServer := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
		},
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
	h := newHarness(t, harnessOptions{Admins: []int64{olga.ID}, Bot: func(o *Options) {
		liftChatLimits(o)
		o.UserSources = UserSourceOptions{
			Mode:         UserSourcesApproval,
			Fetcher:      sources.NewFetcher(sources.FetcherOptions{Client: &http.Client{Transport: toServer}}),
			Limits:       subscriptions.SuggestLimits{Pending: 1, Total: 5},
			PollInterval: 50 * time.Millisecond,
		}
	}})
	h.start()
	h.reply(olgaChat, olga, "/start")

	msgs := h.say(aliceChat, alice, 0, "/source add @vvgladkov")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Sent to the operators") {
		t.Fatalf("suggestion: %+v", msgs)
	}
	request := h.waitTexts(olga.ID, "A source suggestion", "https://t.me/s/vvgladkov")
	req := request[len(request)-1]
	if req.ReplyMarkup == nil || len(req.ReplyMarkup.InlineKeyboard) != 1 {
		t.Fatalf("request without its buttons: %+v", req)
	}
	h.press(olgaChat, olga, req.ID, req.ReplyMarkup.InlineKeyboard[0][0].CallbackData)
	h.waitTexts(alice.ID, "was approved")
	approved, err := h.store.UserSources(h.ctx, subscriptions.SourceApproved)
	if err != nil || len(approved) != 1 || approved[0].Format != string(sources.FormatTelegram) || approved[0].URL != "https://t.me/s/vvgladkov" {
		t.Fatalf("approved: %+v %v", approved, err)
	}
	name := approved[0].Name

	if got := h.reply(aliceChat, alice, `/follow Белгород in:"`+name+`"`).Text; strings.Contains(got, "⚠️") {
		t.Fatalf("/follow within the channel: %q", got)
	}
	h.waitStore("first poll of the suggested channel", func() bool {
		st, err := h.store.SourceState(h.ctx, name)
		return err == nil && st.LastPost == 4512
	})
	mu.Lock()
	posts = append(posts, tgChannelPost{4513, "2024-05-14T11:58:00+00:00", "<b>Внимание! Ракетная опасность</b><br/>В Белгороде объявлена ракетная опасность."})
	mu.Unlock()

	alerts := alertsIn(t, h.waitTexts(alice.ID, "https://t.me/vvgladkov/4513"))
	if len(alerts) != 1 || !strings.Contains(alerts[0].Text, "Ракетная опасность") {
		t.Fatalf("alerts: %+v", alerts)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range paths {
		if p != "t.me/s/vvgladkov" {
			t.Errorf("fetched %s, want only t.me/s/vvgladkov", p)
		}
	}
}
