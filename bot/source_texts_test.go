package bot

import (
	"strings"
	"testing"
	"time"

	"livealert/bot/locale"
	"livealert/sources"
	"livealert/subscriptions"
)

// TestSourceTextsGolden renders every message of suggested sources in each language the bot
// writes, with the plural forms of the entry count, into one golden file per language.
func TestSourceTextsGolden(t *testing.T) {
	t.Parallel()
	u := subscriptions.UserSource{ID: 7, Name: "TRT World live", URL: "https://trtworld.example/live?a=1&b=2", Format: "feed",
		RequestedBy: -1002000000001, UserID: 1001, Status: subscriptions.SourcePending}
	at := time.Date(2024, 5, 14, 11, 40, 0, 0, time.UTC)
	entries := []sources.Entry{
		{Title: "Ceasefire talks resume <in> Doha", Published: at},
		{Title: "", Body: []string{"An undated paragraph & more"}},
		{Title: "Morning briefing", Published: at.Add(-3 * time.Hour)},
		{Title: "Overnight", Published: at.Add(-5 * time.Hour)},
		{Title: "Older", Published: at.Add(-6 * time.Hour)},
	}
	for _, lang := range locale.Languages() {
		t.Run(string(lang), func(t *testing.T) {
			l := locale.For(lang)
			var b strings.Builder
			add := func(id, text string) {
				checkTelegramHTML(t, text)
				b.WriteString("## " + id + "\n" + text + "\n\n")
			}
			for _, n := range []int{1, 2, 5} {
				add("found "+itoa(int64(n)), foundText(l, u, sources.Checked{ParseResult: sources.ParseResult{Entries: entries[:n], Format: sources.FormatFeed}}, time.UTC))
			}
			add("request private", sourceRequestText(l, u, incoming{chat: subscriptions.ChatInfo{ID: 1001, Type: "private"}}))
			add("request group", sourceRequestText(l, u, incoming{chat: subscriptions.ChatInfo{ID: u.RequestedBy, Type: "supergroup", Title: "News & <views>"}}))
			for _, id := range []string{"source_usage", "source_off", "source_refused_address", "source_taken", "source_approve_button",
				"source_reject_button", "source_remove_usage", "sources_list_none", "operators_only_answer"} {
				add(id, l.T(id))
			}
			for _, st := range []string{subscriptions.SourcePending, subscriptions.SourceApproved, subscriptions.SourceRejected, subscriptions.SourceRemoved} {
				add("source_status_"+st, l.T("source_status_"+st))
				if st != subscriptions.SourcePending {
					add("source_decided_already "+st, l.T("source_decided_already", "Status", l.T("source_status_"+st)))
				}
			}
			add("source_bad_address", l.T("source_bad_address", "Address", quote("ftp://x.example/<feed>")))
			add("source_known", l.T("source_known", "Name", "TRT World live"))
			add("source_known_pending", l.T("source_known_pending", "Name", "TRT World live"))
			add("source_check_timeout", l.T("source_check_timeout", "Seconds", 20))
			add("source_check_failed", l.T("source_check_failed", "Error", "sources: fetch https://x.example/: http status 503 Service Unavailable"))
			add("source_check_empty", l.T("source_check_empty", "Format", "liveblog"))
			add("source_limit_pending", l.T("source_limit_pending", "Max", 3))
			add("source_limit_total", l.T("source_limit_total", "Max", 10))
			add("source_pending", l.T("source_pending", "Name", u.Name))
			add("source_added", l.T("source_added", "Name", u.Name, "Example", followExample(u.Name)))
			add("source_decided_approved", l.T("source_decided_approved", "OperatorID", 1003))
			add("source_decided_rejected", l.T("source_decided_rejected", "OperatorID", 1003))
			add("source_approved_user", l.T("source_approved_user", "Name", u.Name, "Example", followExample(u.Name)))
			add("source_rejected_user", l.T("source_rejected_user", "Name", u.Name, "URL", "https://trtworld.example/live?a=1&amp;b=2"))
			add("source_remove_configured", l.T("source_remove_configured", "Name", "Harbour Wire"))
			add("source_remove_unknown", l.T("source_remove_unknown", "Name", quote("Nope"), "Names", "<code>TRT World live</code>"))
			add("source_removed", l.T("source_removed", "Name", u.Name))
			add("source_follow_hint", l.T("source_follow_hint", "Name", u.Name, "Example", followExample(u.Name)))
			add("sources_follow_button", l.T("sources_follow_button", "Name", u.Name))
			add("follow_unknown_source", l.T("follow_unknown_source", "Name", quote("BBC"), "Names", "<code>Harbour Wire</code>, <code>TRT World live</code>"))
			add("query_err_in_source", l.T("query_err_in_source"))
			add("pending list", strings.TrimSpace(pendingSourcesText(l, []subscriptions.UserSource{u, {Name: "Kyiv live", URL: "https://kyiv.example/", UserID: 1002, RequestedBy: 1002}})))
			add("sources with a suggestion", sourcesText(l, []sources.Source{{Name: u.Name, URL: u.URL, Format: sources.FormatFeed, PollInterval: 2 * time.Minute}},
				map[string]sources.State{u.Name: {LastSuccess: at}}, at.Add(time.Minute), time.UTC, map[string]subscriptions.UserSource{u.Name: u}))
			golden(t, "source_texts_"+string(lang)+".txt", b.String())
		})
	}
}
