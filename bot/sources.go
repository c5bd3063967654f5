package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"livealert/bot/locale"
	"livealert/bot/render"
	"livealert/sources"
	"livealert/subscriptions"
)

// sourcesCommand answers /sources: the health of every watched source (an operator's command).
func (b *Bot) sourcesCommand(ctx context.Context, in incoming, chat subscriptions.Chat, _ string) (reply, error) {
	states, err := b.store.SourceStates(ctx)
	if err != nil {
		return reply{}, err
	}
	set := b.sourceSet()
	pending, err := b.store.UserSources(ctx, subscriptions.SourcePending)
	if err != nil {
		return reply{}, err
	}
	text := sourcesText(in.l, set.list, states, b.opts.Now(), chat.TimeZone, set.user)
	return reply{text: text + pendingSourcesText(in.l, pending), keyboard: sourcesKeyboard(in.l, set)}, nil
}

// pendingSourcesText lists the suggestions waiting for an operator, "" when none is.
func pendingSourcesText(l *locale.Locale, pending []subscriptions.UserSource) string {
	if len(pending) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n\n" + l.T("sources_pending_head", "Count", len(pending)))
	for _, u := range pending {
		b.WriteString("\n" + l.T("sources_pending_line", "Name", render.Esc(u.Name), "URL", render.Esc(u.URL), "UserID", u.UserID, "ChatID", u.RequestedBy))
	}
	return b.String()
}

// maxErrorRunes bounds the last error shown for a source.
const maxErrorRunes = 300

// sourcesText renders the health of srcs, in configuration order: a headline counting the
// healthy ones, then per source its state (✅ last poll fine, ⚠️ failing, ⏳ not polled yet),
// format and interval, when it last succeeded, how many polls failed in a row and the last
// error, and, for a source that follows links, the page it reads now; for a source a user
// suggested (in suggested, by name), who asked. Durations and times are in l's language,
// times in loc (UTC when nil).
func sourcesText(l *locale.Locale, srcs []sources.Source, states map[string]sources.State, now time.Time, loc *time.Location, suggested map[string]subscriptions.UserSource) string {
	if loc == nil {
		loc = time.UTC
	}
	var b strings.Builder
	healthy := 0
	for _, s := range srcs {
		if st, ok := states[s.Name]; ok && st.Failures == 0 && !st.LastSuccess.IsZero() {
			healthy++
		}
	}
	if len(srcs) == 0 {
		return l.T("sources_none")
	}
	b.WriteString(l.T("sources_head", "Healthy", healthy, "Total", len(srcs)))
	for _, s := range srcs {
		st, seen := states[s.Name]
		icon := "✅"
		switch {
		case !seen || (st.LastSuccess.IsZero() && st.Failures == 0):
			icon = "⏳"
		case st.Failures > 0:
			icon = "⚠️"
		}
		format := string(s.Format)
		if format == "" {
			format = string(sources.FormatAuto)
		}
		interval := s.PollInterval
		if interval <= 0 {
			interval = sources.DefaultPollInterval
		}
		b.WriteString(l.T("sources_line", "Icon", icon, "Name", render.Esc(s.Name), "Format", render.Esc(format), "Every", l.Duration(interval)))
		if u, ok := suggested[s.Name]; ok {
			b.WriteString(l.T("sources_suggested", "URL", render.Esc(u.URL), "UserID", u.UserID, "ChatID", u.RequestedBy))
		}
		if s.Follow != nil {
			page := st.Page
			if page == "" {
				page = l.T("sources_page_unknown")
			}
			b.WriteString(l.T("sources_follows", "Pattern", render.Esc(s.Follow.String()), "URL", render.Esc(s.URL), "Page", render.Esc(page)))
		}
		switch {
		case !seen || (st.LastSuccess.IsZero() && st.Failures == 0):
			b.WriteString(l.T("sources_not_polled"))
			continue
		case st.LastSuccess.IsZero():
			b.WriteString(l.T("sources_never"))
		default:
			b.WriteString(l.T("sources_success", "When", render.Esc(l.DateTimeZone(st.LastSuccess.In(loc))), "Ago", l.Duration(now.Sub(st.LastSuccess))))
		}
		if st.Failures > 0 {
			b.WriteString(l.N("sources_failures", st.Failures))
		}
		b.WriteString("\n")
		if st.LastError != "" {
			fmt.Fprintf(&b, "<code>%s</code>\n", render.Esc(truncateRunes(st.LastError, maxErrorRunes)))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// truncateRunes cuts s to at most n runes, ending with "…" when it was cut.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
