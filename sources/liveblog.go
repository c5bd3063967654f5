package sources

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// TextOptions carries what the live-blog text parser knows of a page besides its text.
type TextOptions struct {
	// PageURL is the address of the page. It is context only: it names the page in errors, and
	// a line inside an entry that is a link to a #fragment of this page (same host and path)
	// is taken as that entry's permalink. Otherwise entries of a text page have no URL.
	PageURL string
	// FallbackDate dates the entries when the page has no date line: take it from the HTTP
	// Last-Modified header, else the Date header, else the fetch time. The newest entry is put
	// on the day that makes it no later than FallbackDate plus fallbackSlack. Its zone does not
	// matter.
	FallbackDate time.Time
}

// fallbackSlack is how far an entry may lie after FallbackDate (clock skew, a Last-Modified
// a little behind the page) before it is taken to belong to the day before.
const fallbackSlack = time.Hour

// ParseLiveBlogText reads the text of a live-blog page into its entries, in page order.
//
// The page is a sequence of lines. A header line — a time, a zone label, a dash, the title:
// "1418 GMT — Title", "14:18 UTC – Title", "9:05BST - Title" — starts an entry; the non-empty
// lines after it, up to the next header, date line or marker, are its body paragraphs. A date
// line ("Friday, January 5, 2024", "5 January 2024") sets the current day. Updates run newest
// first: an update whose time is later than the one above it belongs to the day before. A
// "More updates 👇" marker ends the pinned section: the entries above it are pinned (Pinned is
// true) and take no part in that day rollback; text above the marker with no header of its own
// (after the last date line above the marker, if any) is a pinned lead with no time, titled by
// its first line, which takes the time of the newest timed entry. Navigation and credit lines
// ("Read more", "Click here…", "For our live updates from …, click here.", "Photo: …", "(AA)")
// belong to no body, and other text outside any entry (a page heading) is dropped.
//
// Times are converted to UTC with the header's zone. Entry.ID is a hash of the source, the UTC
// minute and the normalised title (see normTitle), so editing a body keeps the id; a timeless
// pinned lead hashes "pinned" instead of a minute, so that new updates do not change its id.
// Entries that would share an id are told apart deterministically: counting from the bottom of
// the page, the first keeps the id and the others get a hash of it and a counter (uniqueIDs).
// Entry.Hash is ContentHash(title, body).
//
// A page with no entries gives no entries and no error. It is an error for text that is not
// valid UTF-8 or holds NUL bytes, or for entries that cannot be dated: no date line and a zero
// FallbackDate.
func ParseLiveBlogText(source string, text []byte, opts TextOptions) ([]Entry, error) {
	if !utf8.Valid(text) {
		return nil, fmt.Errorf("sources: live blog %s: text is not valid UTF-8", pageName(source, opts))
	}
	if bytes.IndexByte(text, 0) >= 0 {
		return nil, fmt.Errorf("sources: live blog %s: text holds NUL bytes", pageName(source, opts))
	}
	p := liveBlogParser{opts: opts, page: pageLocation(opts.PageURL)}
	entries, err := p.parse(source, splitLines(string(text)))
	if err != nil {
		return nil, fmt.Errorf("sources: live blog %s: %w", pageName(source, opts), err)
	}
	return entries, nil
}

// pageName names a page in errors.
func pageName(source string, opts TextOptions) string {
	if opts.PageURL == "" {
		return strconv.Quote(source)
	}
	return strconv.Quote(source) + " (" + opts.PageURL + ")"
}

// errNoDate is returned for entries that cannot be dated.
var errNoDate = errors.New("page has no date line and no fallback date")

// liveBlogParser holds the state of one parse.
type liveBlogParser struct {
	opts TextOptions
	page string // pageLocation(opts.PageURL)

	// The day cursor: the current day, whether there is one, and the time of the last
	// unpinned entry placed since the day was last set (zero after a date line).
	day     civilDate
	haveDay bool
	prev    time.Time
}

// draft is an entry being read.
type draft struct {
	title  string
	body   []string
	url    string
	pinned bool
	timed  bool
	at     time.Time
}

func (p *liveBlogParser) parse(source string, lines []string) ([]Entry, error) {
	kinds := make([]lineKind, len(lines))
	headers := make(map[int]header)
	dates := make(map[int]civilDate)
	for i, line := range lines {
		k, h, d := classify(line)
		kinds[i] = k
		switch k {
		case lineHeader:
			headers[i] = h
		case lineDate:
			dates[i] = d
		}
	}

	// The marker that ends the pinned section is the first one with a header below it; a
	// marker at the very bottom ("More updates" as a load-more button) pins nothing.
	markerAt := -1
	for i, k := range kinds {
		if k == lineMarker {
			markerAt = i
			break
		}
	}
	if markerAt >= 0 && !slices.Contains(kinds[markerAt+1:], lineHeader) {
		markerAt = -1
	}
	pinnedHasHeader := markerAt > 0 && slices.Contains(kinds[:markerAt], lineHeader)

	var (
		drafts []draft
		cur    *draft
		lead   []string // lines of a pinned lead without a time
	)
	finish := func() {
		if cur != nil && (cur.title != "" || len(cur.body) > 0) {
			drafts = append(drafts, *cur)
		}
		cur = nil
	}
	for i, line := range lines {
		switch kinds[i] {
		case lineHeader:
			finish()
			h := headers[i]
			pinned := i < markerAt
			at, err := p.place(h, pinned)
			if err != nil {
				return nil, err
			}
			cur = &draft{title: h.title, pinned: pinned, timed: true, at: at}
		case lineDate:
			finish()
			p.day, p.haveDay, p.prev = dates[i], true, time.Time{}
			if i < markerAt {
				lead = lead[:0] // what came before the day's date is the page's heading
			}
		case lineMarker:
			finish()
		case lineNav:
			// dropped
		case lineText:
			switch {
			case cur != nil:
				if cur.url == "" && p.isPermalink(line) {
					cur.url = line
					continue
				}
				cur.body = append(cur.body, line)
			case i < markerAt && !pinnedHasHeader:
				lead = append(lead, line)
			}
			// Any other line outside an entry is page furniture: dropped.
		}
	}
	finish()

	if len(lead) > 0 {
		at, err := p.leadTime(drafts)
		if err != nil {
			return nil, err
		}
		d := draft{title: lead[0], body: lead[1:], pinned: true, at: at}
		drafts = append([]draft{d}, drafts...)
	}

	entries := make([]Entry, 0, len(drafts))
	for _, d := range drafts {
		if d.title == "" {
			d.title, d.body = d.body[0], d.body[1:]
		}
		if len(d.body) == 0 {
			d.body = nil
		}
		e := Entry{
			Source:    source,
			Published: d.at,
			Title:     d.title,
			Body:      d.body,
			URL:       d.url,
			Pinned:    d.pinned,
			Hash:      ContentHash(d.title, d.body),
		}
		if d.timed {
			e.ID = minuteTitleID(source, d.at, d.title)
		} else {
			e.ID = hashID(source, "pinned", normTitle(d.title))
		}
		entries = append(entries, e)
	}
	uniqueIDs(entries, hashedID)
	return entries, nil
}

// place returns the UTC time of an entry with header h and moves the day cursor.
func (p *liveBlogParser) place(h header, pinned bool) (time.Time, error) {
	if !p.haveDay {
		fb := p.opts.FallbackDate
		if fb.IsZero() {
			return time.Time{}, errNoDate
		}
		t := dateIn(fb, h.offset).at(h.hour, h.minute, h.offset)
		if t.After(fb.Add(fallbackSlack)) {
			t = t.AddDate(0, 0, -1)
		}
		if !pinned {
			p.day, p.haveDay, p.prev = dateIn(t, h.offset), true, t
		}
		return t, nil
	}
	t := p.day.at(h.hour, h.minute, h.offset)
	if pinned {
		return t, nil
	}
	if !p.prev.IsZero() && t.After(p.prev) {
		// Later than the update above it: it was posted the day before.
		t = t.AddDate(0, 0, -1)
		p.day = dateIn(t, h.offset)
	}
	p.prev = t
	return t, nil
}

// leadTime returns the time of a pinned lead without one: that of the newest timed entry,
// else the fallback date, else midnight UTC of the current day.
func (p *liveBlogParser) leadTime(drafts []draft) (time.Time, error) {
	var newest time.Time
	for _, d := range drafts {
		if d.timed && d.at.After(newest) {
			newest = d.at
		}
	}
	switch {
	case !newest.IsZero():
		return newest, nil
	case !p.opts.FallbackDate.IsZero():
		return p.opts.FallbackDate.UTC().Truncate(time.Minute), nil
	case p.haveDay:
		return p.day.at(0, 0, 0), nil
	}
	return time.Time{}, errNoDate
}

// pageLocation returns the address of the page without query or fragment, "" for none.
func pageLocation(pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Host) + u.EscapedPath()
}

// isPermalink reports whether line is a link to a fragment of the page: an entry's permalink.
func (p *liveBlogParser) isPermalink(line string) bool {
	if p.page == "" || !strings.Contains(line, "#") || strings.ContainsAny(line, " \t") {
		return false
	}
	u, err := url.Parse(line)
	return err == nil && u.Fragment != "" && (u.Scheme == "http" || u.Scheme == "https") &&
		strings.ToLower(u.Host)+u.EscapedPath() == p.page
}
