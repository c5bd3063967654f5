// Package render turns data into the text of Telegram messages in HTML parse mode: instant
// alerts, digests and lists of entries, fitted to Telegram's limit of 4096 UTF-16 code units,
// with the plain-text fallback and the highlighting of matched words. Its functions are pure:
// no I/O, no clock (the current time is a parameter), and no dependency on a Telegram client.
package render

import (
	"fmt"
	"html"
	"livealert/bot/locale"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"livealert/subscriptions"
)

// MaxMessageLength is Telegram's limit on a message's text, in UTF-16 code units after entity
// parsing: Length(PlainText(html)) for a message in HTML parse mode.
const MaxMessageLength = 4096

// Budgets, in characters, for text taken from sources.
const (
	maxTitleRunes = 300
	// maxBodyLength is an alert's budget for the entry's body, in UTF-16 code units.
	maxBodyLength = 700
)

// Esc escapes text for Telegram's HTML parse mode.
func Esc(s string) string { return html.EscapeString(s) }

// Length is the length Telegram would count for plain text: UTF-16 code units.
func Length(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Truncate shortens s to at most limit runes, cutting at a word boundary and adding "…".
func Truncate(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	cut := 0
	for i := range s {
		if cut == limit-1 {
			s = s[:i]
			break
		}
		cut++
	}
	if sp := strings.LastIndexAny(s, " \u00a0"); sp > len(s)/2 {
		s = s[:sp]
	}
	return strings.TrimRight(s, " ,;:-—") + "…"
}

// Source is what rendering needs to know of a source.
type Source struct {
	Name string
	// PageURL is the source's page, linked when an entry has no permalink; "" for a file.
	PageURL string
}

// entryLink returns the link for an entry: its permalink, else its source's page.
func entryLink(e subscriptions.StoredEntry, src Source) string {
	if e.URL != "" {
		return e.URL
	}
	return src.PageURL
}

// clock formats t in loc as "14:48 UTC", prefixed with the date in l's language ("Fri 5 Jan ")
// when it is not on now's local day.
func clock(l *locale.Locale, t, now time.Time, loc *time.Location) string {
	lt, ln := t.In(loc), now.In(loc)
	if lt.Year() == ln.Year() && lt.YearDay() == ln.YearDay() {
		return lt.Format("15:04 MST")
	}
	return l.DateTimeZone(lt)
}

// Alert renders the instant alert of one entry, in the chat's language (d.Language; the
// caller resolves "" to its default): what matched, the source, the time in the chat's zone, the bold title, the body up to a budget with the words that matched (terms,
// normalised) underlined, and the link.
func Alert(d subscriptions.Delivery, src Source, now time.Time, terms map[string]bool) string {
	l := locale.For(locale.Lang(d.Language))
	e := d.Entry
	if src.Name == "" {
		src.Name = e.Source // a source no longer configured is still named
	}
	var b strings.Builder
	b.WriteString("🔔 ")
	for i, l := range d.Labels {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("<b>" + Esc(Truncate(l, 60)) + "</b>")
	}
	fmt.Fprintf(&b, " · %s · %s\n", Esc(src.Name), Esc(clock(l, e.Published, now, d.TimeZone)))
	if e.Pinned {
		b.WriteString("📌 ")
	}
	b.WriteString("<b>" + Esc(Truncate(e.Title, maxTitleRunes)) + "</b>")
	if body := fitParagraphs(e.Body, maxBodyLength); body != "" {
		b.WriteString("\n\n" + highlight(body, terms))
	}
	if link := entryLink(e, src); link != "" {
		b.WriteString("\n\n" + l.T("read_on", "Link", Esc(link), "Source", Esc(src.Name)))
	}
	return b.String()
}

// WithAlso returns text, the Telegram HTML of a story's first alert as it stands, with a line
// for d, an alert of the same story from another source (src): "Also: <source> · <link>", in
// the chat's language. It is false when the result would not fit in a message.
func WithAlso(text string, d subscriptions.Delivery, src Source) (string, bool) {
	l := locale.For(locale.Lang(d.Language))
	if src.Name == "" {
		src.Name = d.Entry.Source
	}
	line := l.T("alert_also_nolink", "Source", Esc(src.Name))
	if link := entryLink(d.Entry, src); link != "" {
		line = l.T("alert_also", "Source", Esc(src.Name), "Link", Esc(link))
	}
	out := text + "\n" + line
	return out, Length(PlainText(out)) <= MaxMessageLength
}
