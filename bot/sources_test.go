package bot

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/bot/locale"
	"livealert/sources"
	"livealert/subscriptions"
)

func TestSourcesCommandForAdmins(t *testing.T) {
	t.Parallel()
	// A page that never answers while the test runs: its source is never polled to the end.
	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hanging.Close()
	defer close(release)

	h := newHarness(t, harnessOptions{
		Admins: []int64{alice.ID},
		Page:   "Tuesday, May 14, 2024\n0930 GMT — Ferry services resume\nThe first crossing left at nine.",
		Bot: func(o *Options) {
			o.Sources = append(o.Sources,
				sources.Source{Name: "Broken file", URL: "/nonexistent/livealert-test/page.txt", Format: sources.FormatLiveBlog, PollInterval: time.Hour},
				sources.Source{Name: "Slow host", URL: hanging.URL + "/live", PollInterval: 5 * time.Minute,
					Follow: regexp.MustCompile(`/live/\d+`)},
			)
		},
	})
	h.start()
	// Wait until the watcher has recorded the good and the broken source.
	for deadline := time.Now().Add(harnessTimeout); ; time.Sleep(5 * time.Millisecond) {
		states, err := h.store.SourceStates(h.ctx)
		if err == nil && !states["Harbour Wire"].LastSuccess.IsZero() && states["Broken file"].Failures == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sources not polled: %+v, %v", states, err)
		}
	}
	tr := &transcript{t: t}
	tr.said("alice (admin)", "/sources", []fakebotapi.Message{h.reply(aliceChat, alice, "/sources")})
	tr.said("bob", "/sources", []fakebotapi.Message{h.reply(bobChat, bob, "/sources")})
	if msgs := h.say(newsGroup, bob, 0, "/sources"); len(msgs) != 0 {
		t.Errorf("a non-admin's /sources in a group was answered: %+v", msgs)
	}
	golden(t, "sources_command.txt", strings.ReplaceAll(tr.b.String(), hanging.URL, "http://SLOW"))
}

// TestSourcesAndStatsTexts renders /sources and /stats per language: durations and times in
// the language, times in the chat's zone.
func TestSourcesAndStatsTexts(t *testing.T) {
	t.Parallel()
	kyiv, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 5, 14, 12, 0, 0, 0, time.UTC)
	srcs := []sources.Source{
		{Name: "Harbour Wire", Format: sources.FormatLiveBlog, PollInterval: 5 * time.Minute},
		{Name: "Broken", Format: sources.FormatFeed, PollInterval: 2*time.Hour + 30*time.Minute},
	}
	states := map[string]sources.State{
		"Harbour Wire": {LastSuccess: now.Add(-2*time.Hour - 5*time.Minute)},
		"Broken":       {LastSuccess: now.Add(-76 * time.Hour), Failures: 3},
	}
	stats := subscriptions.OutboxStats{Queued: 2, Due: 1, OldestDue: now.Add(-5*time.Minute - 20*time.Second)}
	for _, tc := range []struct {
		lang         locale.Lang
		wire, broken string
		oldest       string
	}{
		{locale.English,
			"✅ <b>Harbour Wire</b> · liveblog, every 5 min\nlast success Tue 14 May 12:55 EEST (2 h 5 min ago)",
			"⚠️ <b>Broken</b> · feed, every 2 h 30 min\nlast success Sat 11 May 11:00 EEST (3 days 4 h ago) · 3 failures in a row",
			"Oldest due: 5 min ago"},
		{locale.Ukrainian,
			"✅ <b>Harbour Wire</b> · liveblog, раз на 5 хв\nвостаннє успішно вт, 14 травня 12:55 EEST (2 год 5 хв тому)",
			"⚠️ <b>Broken</b> · feed, раз на 2 год 30 хв\nвостаннє успішно сб, 11 травня 11:00 EEST (3 дні 4 год тому) · 3 збої поспіль",
			"Найстаріше в черзі: 5 хв тому"},
		{locale.Russian,
			"✅ <b>Harbour Wire</b> · liveblog, раз в 5 мин\nпоследний успех вт, 14 мая 12:55 EEST (2 ч 5 мин назад)",
			"⚠️ <b>Broken</b> · feed, раз в 2 ч 30 мин\nпоследний успех сб, 11 мая 11:00 EEST (3 дня 4 ч назад) · 3 сбоя подряд",
			"Самое старое в очереди: 5 мин назад"},
	} {
		l := locale.For(tc.lang)
		got := sourcesText(l, srcs, states, now, kyiv, nil)
		for _, want := range []string{tc.wire, tc.broken} {
			if !strings.Contains(got, want) {
				t.Errorf("%s /sources lacks %q:\n%s", tc.lang, want, got)
			}
		}
		if got := statsText(l, stats, now); !strings.Contains(got, tc.oldest) {
			t.Errorf("%s /stats lacks %q:\n%s", tc.lang, tc.oldest, got)
		}
	}
}
