package bot

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"livealert/sources"
)

// tgChannelPost is one post of a test channel page: its number, time and the HTML of its text.
type tgChannelPost struct {
	n    int
	at   string // RFC 3339
	text string
}

// tgChannelPage renders posts as Telegram's web preview of the channel vvgladkov shows them.
func tgChannelPage(posts ...tgChannelPost) string { return tgChannelPageBefore(0, posts...) }

// tgChannelPageBefore is tgChannelPage for a page with older posts before post before (0:
// none).
func tgChannelPageBefore(before int, posts ...tgChannelPost) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Вячеслав Гладков – Telegram</title>` +
		`<link rel="canonical" href="/s/vvgladkov"/>`)
	if before > 0 {
		fmt.Fprintf(&b, `<link rel="prev" href="/s/vvgladkov?before=%d">`, before)
	}
	b.WriteString(`</head><body class="widget_frame_base tgme_webpreview_body">` +
		`<main class="tgme_main"><section class="tgme_channel_history js-message_history">`)
	for _, p := range posts {
		fmt.Fprintf(&b, `<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="vvgladkov/%d">`+
			`<div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text js-message_text" dir="auto">%s</div>`+
			`<div class="tgme_widget_message_footer compact"><div class="tgme_widget_message_info short"><span class="tgme_widget_message_views">12K</span>`+
			`<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/vvgladkov/%d"><time datetime="%s" class="time">%s</time></a></span>`+
			`</div></div></div></div></div>`, p.n, p.text, p.n, p.at, p.at[11:16])
	}
	b.WriteString(`</section></main></body></html>`)
	return b.String()
}

// A channel is watched like any source: a new post that matches what a chat follows is
// alerted, with its permalink on t.me.
func TestTelegramChannelPostAlerts(t *testing.T) {
	t.Parallel()
	var (
		mu   sync.Mutex
		page = tgChannelPage(
			tgChannelPost{4511, "2024-05-14T10:02:00+00:00", "Отбой ракетной опасности."},
			tgChannelPost{4512, "2024-05-14T10:40:00+00:00", "<b>Итоги дня в Белгороде</b><br/>Обстановка спокойная."},
		)
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	channel := sources.Source{Name: "Гладков", URL: srv.URL + "/s/vvgladkov", Format: sources.FormatTelegram, PollInterval: 50 * time.Millisecond}
	h := newHarness(t, harnessOptions{Bot: func(o *Options) { o.Sources = []sources.Source{channel} }})
	h.start()
	h.reply(aliceChat, alice, "/follow Белгород")
	// The first poll records the page without alerting anyone.
	h.waitStore("first poll of the channel", func() bool {
		st, err := h.store.SourceState(h.ctx, channel.Name)
		return err == nil && st.LastPost == 4512
	})

	mu.Lock()
	page = tgChannelPage(
		tgChannelPost{4511, "2024-05-14T10:02:00+00:00", "Отбой ракетной опасности."},
		tgChannelPost{4512, "2024-05-14T10:40:00+00:00", "<b>Итоги дня в Белгороде</b><br/>Обстановка спокойная."},
		tgChannelPost{4513, "2024-05-14T11:58:00+00:00", `<i class="emoji"><b>❗</b></i><b>Внимание! Ракетная опасность</b><br/><br/>В Белгороде и Белгородском районе объявлена ракетная опасность. Всем пройти в укрытия.`},
	)
	mu.Unlock()

	msgs := h.waitTexts(alice.ID, "https://t.me/vvgladkov/4513")
	alerts := alertsIn(t, msgs)
	if len(alerts) != 1 {
		t.Fatalf("%d alerts, want 1: %+v", len(alerts), msgs)
	}
	if strings.Contains(alerts[0].Text, "4512") || strings.Contains(alerts[0].Text, "Итоги дня") {
		t.Fatalf("a post of the first poll was alerted: %s", alerts[0].Text)
	}
	golden(t, "telegram_channel_alert.html", alerts[0].Text)
}

// After downtime, the posts that scrolled off the channel's page are read from the pages
// before it and alerted.
func TestTelegramChannelCatchesUpAfterDowntime(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		posts []tgChannelPost // oldest first, numbered from 1
	)
	add := func(n int, text string) {
		mu.Lock()
		defer mu.Unlock()
		at := time.Date(2024, 5, 14, 9, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Minute)
		posts = append(posts, tgChannelPost{n, at.Format(time.RFC3339), text})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		end := len(posts) // posts[:end] are before the page's end
		if b := r.URL.Query().Get("before"); b != "" {
			if _, err := fmt.Sscan(b, &end); err != nil || end < 1 || end > len(posts)+1 {
				http.Error(w, "bad before", http.StatusBadRequest)
				return
			}
			end--
		}
		from := max(0, end-20)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		before := 0
		if from > 0 {
			before = posts[from].n
		}
		fmt.Fprint(w, tgChannelPageBefore(before, posts[from:end]...))
	}))
	t.Cleanup(srv.Close)
	for n := 1; n <= 10; n++ {
		add(n, fmt.Sprintf("Сводка номер %d: без происшествий.", n))
	}
	channel := sources.Source{Name: "Гладков", URL: srv.URL + "/s/vvgladkov", Format: sources.FormatTelegram, PollInterval: 50 * time.Millisecond}
	h := newHarness(t, harnessOptions{Bot: func(o *Options) { o.Sources = []sources.Source{channel} }})
	h.start()
	h.reply(aliceChat, alice, "/follow ракетная")
	h.waitStore("first poll of the channel", func() bool {
		st, err := h.store.SourceState(h.ctx, channel.Name)
		return err == nil && st.LastPost == 10
	})
	h.stop()

	// While livealert is down, 30 posts come: the one that matters is no longer on the page.
	add(11, "Сводка номер 11: без происшествий.")
	add(12, "<b>Ракетная опасность в Белгороде</b><br/>Всем пройти в укрытия.")
	for n := 13; n <= 40; n++ {
		add(n, fmt.Sprintf("Сводка номер %d: без происшествий.", n))
	}
	h.start()
	msgs := h.waitTexts(alice.ID, "https://t.me/vvgladkov/12")
	if alerts := alertsIn(t, msgs); len(alerts) != 1 || !strings.Contains(alerts[0].Text, "Ракетная опасность в Белгороде") {
		t.Fatalf("alerts %+v", alerts)
	}
	h.waitStore("the catch-up recorded", func() bool {
		st, err := h.store.SourceState(h.ctx, channel.Name)
		return err == nil && st.LastPost == 40
	})
}
