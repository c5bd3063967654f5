package render

import (
	"fmt"
	"livealert/bot/locale"
	"strings"
	"time"

	"livealert/subscriptions"
)

// maxListTitleRunes bounds each title in a list of entries, so that a page of them stays far
// under Telegram's limit.
const maxListTitleRunes = 200

// EntryLines renders entries one a line, "• Fri 5 Jan 14:48 UTC <a>Title</a> · Source", times
// in loc relative to now, dates in l's language.
func EntryLines(l *locale.Locale, entries []subscriptions.StoredEntry, now time.Time, loc *time.Location, sources map[string]Source) string {
	var b strings.Builder
	for _, e := range entries {
		title := Esc(Truncate(e.Title, maxListTitleRunes))
		if link := entryLink(e, sources[e.Source]); link != "" {
			title = fmt.Sprintf("<a href=\"%s\">%s</a>", Esc(link), title)
		}
		fmt.Fprintf(&b, "\n• %s %s · %s", Esc(clock(l, e.Published, now, loc)), title, Esc(e.Source))
	}
	return b.String()
}
