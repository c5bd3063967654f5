package sources

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Selectors say where a page's updates are in its markup: CSS selectors, read with goquery.
// Every selector but Entry is relative to an entry; an empty one means the entry element
// itself.
type Selectors struct {
	// Entry selects one element per update. Required.
	Entry string
	// Title selects the update's headline; its text is the title. Empty means no headline
	// element: the title is made from the body (its first paragraph, or first sentence).
	Title string
	// Time selects the element that holds the update's time; TimeAttr names the attribute
	// that holds it ("" = the element's text). TimeLayout is a Go time layout that names the
	// year, month and day, "unix" for seconds since 1970, "unixms" for milliseconds, or ""
	// for RFC 3339 and the other schema.org forms. A layout without a zone is read in
	// TimeZone (nil = UTC).
	Time       string
	TimeAttr   string
	TimeLayout string
	TimeZone   *time.Location
	// Body selects the elements whose block-level text are the body's paragraphs. Empty
	// means the entry, without the title and time elements.
	Body string
	// Permalink selects the element that holds the permalink; PermalinkAttr names the
	// attribute ("" = href). A value that is an element id (the attribute is "id" or
	// "name") is a #fragment of the page. Empty Permalink and PermalinkAttr mean none.
	Permalink     string
	PermalinkAttr string
}

// Check returns one problem per bad field, each starting with the field's YAML key
// ("entry: …"); nil when the selectors are usable.
func (s Selectors) Check() []string {
	var problems []string
	if strings.TrimSpace(s.Entry) == "" {
		problems = append(problems, "entry: missing: a selector for one element per update")
	}
	for _, f := range []struct{ key, sel string }{
		{"entry", s.Entry}, {"title", s.Title}, {"time", s.Time}, {"body", s.Body}, {"permalink", s.Permalink},
	} {
		if strings.TrimSpace(f.sel) == "" {
			continue
		}
		if _, err := cascadia.Compile(f.sel); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %q is not a CSS selector: %v", f.key, f.sel, err))
		}
	}
	switch s.TimeLayout {
	case "", "unix", "unixms":
	default:
		// A reference time whose year, month and day all differ from time.Parse's defaults,
		// so that a layout that leaves one out reads it back wrong.
		ref := time.Date(2009, 11, 17, 20, 34, 58, 0, time.UTC)
		t, err := time.Parse(s.TimeLayout, ref.Format(s.TimeLayout))
		switch {
		case err != nil || !strings.ContainsAny(s.TimeLayout, "0123456789"):
			problems = append(problems, fmt.Sprintf("time_layout: %q is not a Go time layout like 2006-01-02T15:04", s.TimeLayout))
		case t.Year() != ref.Year() || t.Month() != ref.Month() || t.Day() != ref.Day():
			// Entries would be dated in year 0: the selector reader has no day to put a
			// bare clock time on.
			problems = append(problems, fmt.Sprintf("time_layout: %q has no date: it must name the year, month and day, like 2 Jan 2006 15:04", s.TimeLayout))
		}
	}
	return problems
}

// CheckSelector returns an error when sel is not a CSS selector goquery can run.
func CheckSelector(sel string) error {
	_, err := cascadia.Compile(sel)
	return err
}

// compiledSelectors are Selectors ready to run; nil matchers mean "the entry itself".
type compiledSelectors struct {
	Selectors
	entry, title, when, body, permalink goquery.Matcher
}

func compileSelectors(s Selectors) (*compiledSelectors, error) {
	if p := s.Check(); len(p) > 0 {
		return nil, errors.New("selectors: " + strings.Join(p, "; "))
	}
	c := &compiledSelectors{Selectors: s}
	for _, f := range []struct {
		dst *goquery.Matcher
		sel string
	}{
		{&c.entry, s.Entry}, {&c.title, s.Title}, {&c.when, s.Time}, {&c.body, s.Body}, {&c.permalink, s.Permalink},
	} {
		if strings.TrimSpace(f.sel) == "" {
			continue
		}
		sel, err := cascadia.Compile(f.sel)
		if err != nil {
			return nil, err
		}
		*f.dst = sel
	}
	return c, nil
}

// selectorOptions carry what the selector reader knows of a page besides its markup.
type selectorOptions struct {
	// PageURL is the page's address: permalinks are resolved against it.
	PageURL string
	// FallbackDate dates entries whose time is missing or unreadable (zero: they stay zero).
	FallbackDate time.Time
}

// parseSelectors reads a page's updates with sel: one entry per element Entry selects, in
// page order. Title, body and time are read as Selectors says; Body holds the block-level
// text of the body elements as paragraphs, with tags stripped and entities decoded. IDs are
// made as parseJSONLD makes them: from the permalink when there is one, else from the UTC
// minute and the normalised title — so an update read from markup and from the page's
// JSON-LD gets the same id. An entry with neither title nor body is left out. The page is
// converted to UTF-8 as its <meta> charset (else its bytes) say. A page with no
// entries gives no entries and no error; bad selectors are an error.
func parseSelectors(source string, page []byte, sel Selectors, opts selectorOptions) ([]Entry, error) {
	doc, err := html.Parse(bytes.NewReader(toUTF8(page, "")))
	if err != nil {
		return nil, fmt.Errorf("sources: selectors %q: %w", source, err)
	}
	return parseSelectorsDoc(source, doc, sel, opts)
}

func parseSelectorsDoc(source string, doc *html.Node, sel Selectors, opts selectorOptions) ([]Entry, error) {
	c, err := compileSelectors(sel)
	if err != nil {
		return nil, fmt.Errorf("sources: selectors %q: %w", source, err)
	}
	base := pageBase(doc, opts.PageURL)
	d := goquery.NewDocumentFromNode(doc)
	var entries []Entry
	d.FindMatcher(c.entry).Each(func(_ int, s *goquery.Selection) {
		if e, ok := c.read(source, s, base, opts.FallbackDate); ok {
			entries = append(entries, e)
		}
	})
	uniqueIDs(entries, hashedID)
	return entries, nil
}

// find returns the element sel selects in entry, entry itself for no selector.
func find(entry *goquery.Selection, sel goquery.Matcher) *goquery.Selection {
	if sel == nil {
		return entry
	}
	return entry.FindMatcher(sel).First()
}

// read reads one entry element.
func (c *compiledSelectors) read(source string, s *goquery.Selection, base *url.URL, fallback time.Time) (Entry, bool) {
	var titleNode, timeNode *html.Node
	title := ""
	if c.title != nil {
		t := s.FindMatcher(c.title).First()
		if t.Length() > 0 {
			titleNode = t.Get(0)
			title = normalizeSpace(t.Text())
		}
	}
	at := fallback
	ts := find(s, c.when)
	if ts.Length() > 0 {
		if c.when != nil {
			timeNode = ts.Get(0)
		}
		raw := normalizeSpace(ts.Text())
		if c.TimeAttr != "" {
			raw, _ = ts.Attr(c.TimeAttr)
		}
		if t, ok := c.parseTime(raw); ok {
			at = t
		}
	}
	if !at.IsZero() {
		at = at.UTC()
	}
	var w paragraphWriter
	if c.body != nil {
		for _, n := range s.FindMatcher(c.body).Nodes {
			w.write(n)
			w.flush()
		}
	} else {
		w.writeExcept(s.Get(0), titleNode, timeNode)
		w.flush()
	}
	body := w.paras
	if title == "" && len(body) > 0 {
		title, body = leadTitle(body)
	}
	if title == "" {
		return Entry{}, false
	}
	if len(body) == 0 {
		body = nil
	}
	e := Entry{Source: source, Title: title, Body: body, Published: at, Hash: ContentHash(title, body)}
	if c.Permalink != "" || c.PermalinkAttr != "" {
		e.URL = c.readPermalink(find(s, c.permalink), base)
	}
	if e.URL != "" {
		e.ID = permalinkID(source, e.URL)
	} else {
		e.ID = minuteTitleID(source, at, title)
	}
	return e, true
}

// parseTime reads a time as TimeLayout says.
func (c *compiledSelectors) parseTime(raw string) (time.Time, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return time.Time{}, false
	}
	switch c.TimeLayout {
	case "":
		if c.TimeZone != nil {
			for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
				if t, err := time.ParseInLocation(layout, raw, c.TimeZone); err == nil {
					return t.UTC(), true
				}
			}
		}
		return parseSchemaTime(raw)
	case "unix", "unixms":
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			return time.Time{}, false
		}
		if c.TimeLayout == "unixms" {
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	zone := c.TimeZone
	if zone == nil {
		zone = time.UTC
	}
	t, err := time.ParseInLocation(c.TimeLayout, raw, zone)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// readPermalink reads the permalink from the element s, resolved against base.
func (c *compiledSelectors) readPermalink(s *goquery.Selection, base *url.URL) string {
	if s.Length() == 0 {
		return ""
	}
	attr := c.PermalinkAttr
	if attr == "" {
		attr = "href"
	}
	raw, ok := s.Attr(attr)
	raw = strings.TrimSpace(raw)
	if !ok || raw == "" {
		return ""
	}
	if attr == "id" || attr == "name" {
		raw = "#" + raw
	}
	ref, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if base != nil {
		ref = base.ResolveReference(ref)
	}
	if !ref.IsAbs() || (ref.Scheme != "http" && ref.Scheme != "https") {
		return ""
	}
	return ref.String()
}

// pageBase is the address permalinks of a page are resolved against: its
// <link rel="canonical"> when it has an absolute one, else pageURL; nil when neither is an
// absolute URL.
func pageBase(doc *html.Node, pageURL string) *url.URL {
	if doc != nil {
		if href := canonicalLink(doc); href != "" {
			if u, err := url.Parse(href); err == nil && u.IsAbs() {
				u.Fragment = ""
				return u
			}
		}
	}
	u, err := url.Parse(pageURL)
	if err != nil || !u.IsAbs() {
		return nil
	}
	u.Fragment = ""
	return u
}
