package bot

import (
	"fmt"
	"html"
	"sort"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"livealert/subscriptions"
)

// Telegram's limit on a message's text, in UTF-16 code units after entity parsing (see
// telegramLength).
const maxMessageLength = 4096

// Budgets, in characters, for text taken from sources.
const (
	maxTitleRunes = 300
	// maxBodyLength is an alert's budget for the entry's body, in UTF-16 code units.
	maxBodyLength = 700
)

// esc escapes text for Telegram's HTML parse mode.
func esc(s string) string { return html.EscapeString(s) }

// textLength is the length Telegram would count for plain text: UTF-16 code units.
func textLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// truncate shortens s to at most limit runes, cutting at a word boundary and adding "…".
func truncate(s string, limit int) string {
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

// sourceView is what rendering needs to know of a source.
type sourceView struct {
	Name string
	// PageURL is the source's page, linked when an entry has no permalink; "" for a file.
	PageURL string
}

// entryLink returns the link for an entry: its permalink, else its source's page.
func entryLink(e subscriptions.StoredEntry, src sourceView) string {
	if e.URL != "" {
		return e.URL
	}
	return src.PageURL
}

// clock formats t in loc as "14:48 UTC", prefixed with the date ("Fri 5 Jan ") when it is not
// on now's local day.
func clock(t, now time.Time, loc *time.Location) string {
	lt, ln := t.In(loc), now.In(loc)
	if lt.Year() == ln.Year() && lt.YearDay() == ln.YearDay() {
		return lt.Format("15:04 MST")
	}
	return lt.Format("Mon 2 Jan 15:04 MST")
}

// renderAlert renders the instant alert of one entry: what matched, the source, the time in
// the chat's zone, the bold title, the body up to a budget with the words that matched (terms,
// normalised) underlined, and the link.
func renderAlert(d subscriptions.Delivery, src sourceView, now time.Time, terms map[string]bool) string {
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
		b.WriteString("<b>" + esc(truncate(l, 60)) + "</b>")
	}
	fmt.Fprintf(&b, " · %s · %s\n", esc(src.Name), esc(clock(e.Published, now, d.TimeZone)))
	if e.Pinned {
		b.WriteString("📌 ")
	}
	b.WriteString("<b>" + esc(truncate(e.Title, maxTitleRunes)) + "</b>")
	if body := fitParagraphs(e.Body, maxBodyLength); body != "" {
		b.WriteString("\n\n" + highlight(body, terms))
	}
	if link := entryLink(e, src); link != "" {
		fmt.Fprintf(&b, "\n\n<a href=\"%s\">Read on %s</a>", esc(link), esc(src.Name))
	}
	return b.String()
}

// digestGroup is one topic's section of a digest.
type digestGroup struct {
	label string
	items []*subscriptions.DigestItem
}

// groupDigest puts each item under one label: of the labels it matched, the one with the most
// items, so that every entry appears once and the busiest topics come first.
func groupDigest(items []subscriptions.DigestItem) []digestGroup {
	count := map[string]int{}
	for _, it := range items {
		for _, l := range it.Labels {
			count[l]++
		}
	}
	var groups []digestGroup
	index := map[string]int{}
	for k := range items {
		it := &items[k]
		best := it.Labels[0]
		for _, l := range it.Labels[1:] {
			if count[l] > count[best] {
				best = l
			}
		}
		i, ok := index[best]
		if !ok {
			i = len(groups)
			index[best] = i
			groups = append(groups, digestGroup{label: best})
		}
		groups[i].items = append(groups[i].items, it)
	}
	sort.SliceStable(groups, func(i, j int) bool { return len(groups[i].items) > len(groups[j].items) })
	return groups
}

// renderDigest renders a chat's digest of items (oldest first) for the day of scheduled, split
// into messages under Telegram's limit at entry boundaries. It returns nil for no items.
func renderDigest(items []subscriptions.DigestItem, scheduled time.Time, loc *time.Location, sources map[string]sourceView) []string {
	if len(items) == 0 {
		return nil
	}
	groups := groupDigest(items)
	day := scheduled.In(loc).Format("Mon 2 Jan 2006")
	totals := fmt.Sprintf("%s in %s · times in %s", plural(len(items), "new entry", "new entries"),
		plural(len(groups), "topic", "topics"), loc.String())
	header := "📰 <b>Daily digest</b> · " + esc(day) + "\n" + esc(totals)
	headerLen := textLength("📰 Daily digest · " + day + "\n" + totals)
	cont := "📰 <b>Daily digest</b> · " + esc(day) + " (continued)"
	contLen := textLength("📰 Daily digest · " + day + " (continued)")

	var msgs []string
	var b strings.Builder
	b.WriteString(header)
	size := headerLen
	// Lengths are counted on the visible text of each piece, as Telegram counts them (HTML
	// escaping and tags take no room), without parsing the HTML again.
	for _, g := range groups {
		label := truncate(g.label, 60)
		heading := fmt.Sprintf("\n\n<b>%s</b> · %d", esc(label), len(g.items))
		headingLen := textLength(fmt.Sprintf("\n\n%s · %d", label, len(g.items)))
		for i, it := range g.items {
			e := it.Entry
			titleText := truncate(strings.Join(strings.Fields(e.Title), " "), maxTitleRunes) // one line
			title := esc(titleText)
			if link := entryLink(e, sources[e.Source]); link != "" {
				title = "<a href=\"" + esc(link) + "\">" + title + "</a>"
			}
			at := e.Published.In(loc).Format("Mon 15:04")
			line := "\n• " + at + " " + title
			lineLen := textLength("\n• "+at+" ") + textLength(titleText)
			if i == 0 {
				line, lineLen = heading+line, headingLen+lineLen
			}
			if size+lineLen > maxMessageLength {
				msgs = append(msgs, b.String())
				b.Reset()
				b.WriteString(cont)
				size = contLen
				if i > 0 {
					line, lineLen = heading+line, headingLen+lineLen // the topic's heading again atop the new message
				}
			}
			b.WriteString(line)
			size += lineLen
		}
	}
	return append(msgs, b.String())
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
