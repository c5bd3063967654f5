package render

import (
	"livealert/bot/locale"
	"slices"
	"strconv"
	"strings"
	"time"

	"livealert/subscriptions"
)

// Digest renders a chat's digest of items (oldest first) for the day of scheduled, in l's
// language, split into messages under Telegram's limit at entry boundaries. It returns nil for
// no items.
func Digest(l *locale.Locale, items []subscriptions.DigestItem, scheduled time.Time, loc *time.Location, sources map[string]Source) []string {
	return NewDigestRenderer(sources).Render(l, items, scheduled, loc)
}

// DigestRenderer renders digests as Digest does, remembering what the digests of one
// tick share — each entry's linked title, each entry's time in each zone, each topic's
// heading — and reusing its buffers from one digest to the next. It is not safe for
// concurrent use.
type DigestRenderer struct {
	sources map[string]Source
	titles  map[int64]digestTitle
	times   map[digestTimeKey]digestPiece
	labels  map[string]digestPiece

	// Scratch reused by every render.
	buf    []byte
	counts []digestLabelCount
	groups []digestGroup
	member []int // member[k] is the group of items[k]
	sorted []*subscriptions.DigestItem
}

// digestTitle is an entry's title line as a digest shows it, with the fields it was made of:
// an entry whose fields differ (edited since, or another with the same row id) is made again.
type digestTitle struct {
	source, title, url string
	digestPiece
}

// digestPiece is a piece of a digest's text: its HTML and its visible length in UTF-16 code
// units (see Length).
type digestPiece struct {
	html   string
	length int
}

type digestTimeKey struct {
	lang locale.Lang
	loc  *time.Location
	sec  int64
}

type digestLabelCount struct {
	label string
	n     int
}

// digestGroup is one topic's section of a digest.
type digestGroup struct {
	label string
	items []*subscriptions.DigestItem
	size  int // len(items) once grouped
}

// NewDigestRenderer returns a DigestRenderer that names and links entries by sources, keyed
// by source name.
func NewDigestRenderer(sources map[string]Source) *DigestRenderer {
	return &DigestRenderer{
		sources: sources,
		titles:  map[int64]digestTitle{},
		times:   map[digestTimeKey]digestPiece{},
		labels:  map[string]digestPiece{},
	}
}

// title returns e's title line: one line, truncated, escaped, linked to the entry.
func (r *DigestRenderer) title(e *subscriptions.StoredEntry) digestPiece {
	if t, ok := r.titles[e.RowID]; ok && t.source == e.Source && t.title == e.Title && t.url == e.URL {
		return t.digestPiece
	}
	text := Truncate(strings.Join(strings.Fields(e.Title), " "), maxTitleRunes) // one line
	html := Esc(text)
	if link := entryLink(*e, r.sources[e.Source]); link != "" {
		html = "<a href=\"" + Esc(link) + "\">" + html + "</a>"
	}
	t := digestTitle{source: e.Source, title: e.Title, url: e.URL, digestPiece: digestPiece{html, Length(text)}}
	r.titles[e.RowID] = t
	return t.digestPiece
}

// time returns t's time of day and weekday in loc, in l's language ("Fri 14:48"); it is plain
// text.
func (r *DigestRenderer) time(l *locale.Locale, t time.Time, loc *time.Location) digestPiece {
	k := digestTimeKey{l.Lang(), loc, t.Unix()} // the format shows no seconds
	if p, ok := r.times[k]; ok {
		return p
	}
	at := l.WeekdayTime(t.In(loc))
	p := digestPiece{at, Length(at)}
	r.times[k] = p
	return p
}

// also returns the sources of a story's later entries, each linked to its entry, as a digest
// line ends with them: " · also: Feed, Other"; nothing for none.
func (r *DigestRenderer) also(l *locale.Locale, es []subscriptions.StoredEntry) digestPiece {
	if len(es) == 0 {
		return digestPiece{}
	}
	head := l.T("digest_also")
	p := digestPiece{html: head, length: Length(head)}
	for i := range es {
		if i > 0 {
			p.html += ", "
			p.length += 2
		}
		name := es[i].Source
		if src := r.sources[name]; src.Name != "" {
			name = src.Name
		}
		html := Esc(name)
		if link := entryLink(es[i], r.sources[es[i].Source]); link != "" {
			html = "<a href=\"" + Esc(link) + "\">" + html + "</a>"
		}
		p.html += html
		p.length += Length(name)
	}
	return p
}

// label returns a topic's label as its heading shows it: truncated and escaped.
func (r *DigestRenderer) label(l string) digestPiece {
	if p, ok := r.labels[l]; ok {
		return p
	}
	text := Truncate(l, 60)
	p := digestPiece{Esc(text), Length(text)}
	r.labels[l] = p
	return p
}

// group puts each item under one label: of the labels it matched, the one with the most
// items (the first of those in its order on a tie), so that every entry appears once; groups
// come busiest first, in order of first appearance on a tie, with items in their order. The
// result is valid until the next call.
func (r *DigestRenderer) group(items []subscriptions.DigestItem) []digestGroup {
	counts := r.counts[:0]
	for k := range items {
		for _, l := range items[k].Labels {
			if i := labelIndex(counts, l); i >= 0 {
				counts[i].n++
			} else {
				counts = append(counts, digestLabelCount{l, 1})
			}
		}
	}
	groups := r.groups[:0]
	member := slices.Grow(r.member[:0], len(items))[:len(items)]
	for k := range items {
		labels := items[k].Labels
		best, bestN := labels[0], counts[labelIndex(counts, labels[0])].n
		for _, l := range labels[1:] {
			if n := counts[labelIndex(counts, l)].n; n > bestN {
				best, bestN = l, n
			}
		}
		g := slices.IndexFunc(groups, func(g digestGroup) bool { return g.label == best })
		if g < 0 {
			g = len(groups)
			groups = append(groups, digestGroup{label: best})
		}
		member[k] = g
		groups[g].size++
	}
	// The groups' items lie one group after the other in one slice, each group's in item order.
	sorted := slices.Grow(r.sorted[:0], len(items))[:len(items)]
	at := 0
	for g := range groups {
		groups[g].items = sorted[at : at : at+groups[g].size]
		at += groups[g].size
	}
	for k := range items {
		g := member[k]
		groups[g].items = append(groups[g].items, &items[k])
	}
	slices.SortStableFunc(groups, func(a, b digestGroup) int { return len(b.items) - len(a.items) })
	r.counts, r.groups, r.member, r.sorted = counts, groups, member, sorted
	return groups
}

func labelIndex(counts []digestLabelCount, l string) int {
	for i := range counts {
		if counts[i].label == l {
			return i
		}
	}
	return -1
}

// Render renders as Digest does, reusing what earlier calls made.
func (r *DigestRenderer) Render(l *locale.Locale, items []subscriptions.DigestItem, scheduled time.Time, loc *time.Location) []string {
	if len(items) == 0 {
		return nil
	}
	groups := r.group(items)
	day := l.DateYear(scheduled.In(loc))
	zone := loc.String()
	headHTML := l.T("digest_head")
	headLen := Length(PlainText(headHTML))
	continued := l.T("digest_continued")

	buf := append(r.buf[:0], headHTML...)
	buf = append(buf, Esc(day)...)
	buf = append(buf, '\n')
	totals := l.T("digest_totals", "Entries", l.N("digest_entries", len(items)), "Topics", l.N("digest_topics", len(groups)))
	buf = append(buf, totals...)
	size := headLen + Length(day) + 1 + Length(totals) + Length(zone)
	buf = append(buf, Esc(zone)...)

	var msgs []string
	// Lengths are counted on the visible text of each piece, as Telegram counts them (HTML
	// escaping and tags take no room), without parsing the HTML again.
	for _, g := range groups {
		label := r.label(g.label)
		count := strconv.Itoa(len(g.items))
		headingLen := 2 + label.length + 3 + len(count) // "\n\n" label " · " count
		for i, it := range g.items {
			title := r.title(&it.Entry)
			at := r.time(l, it.Entry.Published, loc)
			also := r.also(l, it.Also)
			lineLen := 3 + at.length + 1 + title.length + also.length // "\n• " at " " title also
			heading := i == 0
			if heading {
				lineLen += headingLen
			}
			if size+lineLen > MaxMessageLength {
				msgs = append(msgs, string(buf))
				buf = append(buf[:0], headHTML...)
				buf = append(buf, Esc(day)...)
				buf = append(buf, continued...)
				size = headLen + Length(day) + Length(continued)
				if !heading {
					heading, lineLen = true, lineLen+headingLen // the topic's heading again atop the new message
				}
			}
			if heading {
				buf = append(buf, "\n\n<b>"...)
				buf = append(buf, label.html...)
				buf = append(buf, "</b> · "...)
				buf = append(buf, count...)
			}
			buf = append(buf, "\n• "...)
			buf = append(buf, at.html...)
			buf = append(buf, ' ')
			buf = append(buf, title.html...)
			buf = append(buf, also.html...)
			size += lineLen
		}
	}
	r.buf = buf
	return append(msgs, string(buf))
}
