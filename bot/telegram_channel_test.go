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
func tgChannelPage(posts ...tgChannelPost) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Вячеслав Гладков – Telegram</title>` +
		`<link rel="canonical" href="/s/vvgladkov"/></head><body class="widget_frame_base tgme_webpreview_body">` +
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
