package bot

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/sources"
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

func TestShortDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0s"}, {50 * time.Millisecond, "50ms"}, {45 * time.Second, "45s"}, {5 * time.Minute, "5m"},
		{2*time.Hour + 10*time.Minute, "2h10m"}, {3 * time.Hour, "3h"}, {76 * time.Hour, "3d4h"}, {48 * time.Hour, "2d"},
	}
	for _, tt := range tests {
		if got := shortDuration(tt.d); got != tt.want {
			t.Errorf("shortDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
