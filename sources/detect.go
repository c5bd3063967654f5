package sources

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// ErrUnsupportedFormat is returned (wrapped) by parseEntries for a body it has no parser for.
var ErrUnsupportedFormat = errors.New("unsupported format")

// ParseResult is what ParsePage made of a body.
type ParseResult struct {
	// Entries are the entries found, in page order.
	Entries []Entry
	// Format is the parser that read them: FormatFeed, FormatLiveBlog, FormatJSONLD,
	// FormatSelectors or FormatTelegram.
	Format Format
	// Notes are what an operator setting up the source should know, one sentence each:
	// why a parser was passed over, why times are missing.
	Notes []string
	// paging is set for a page that shows only the newest posts of a numbered history (a
	// Telegram channel); the watcher reads it to catch up after downtime.
	paging *paging
}

// parseEntries is ParsePage without the notes.
func parseEntries(src Source, resp Response) ([]Entry, Format, error) {
	r, err := ParsePage(src, resp)
	return r.Entries, r.Format, err
}

// ParsePage reads a fetched body into entries with the parser src.Format names, and says
// which parser that was.
//
// The body is first converted to UTF-8 (see toUTF8). With FormatAuto (or ""):
//   - a binary body (image, archive…) is an error wrapping ErrUnsupportedFormat;
//   - a feed content type (application/rss+xml, application/atom+xml, application/feed+json,
//     application/rdf+xml), an XML body whose root is <rss>, <feed> or <rdf:RDF>, or a JSON
//     body with a "version" of https://jsonfeed.org/… is read by parseFeed;
//   - a JSON body that holds a LiveBlogPosting is read by parseJSONLD;
//   - an HTML page with Telegram posts (a channel's web preview, see isTelegramPage) is read
//     by parseTelegram;
//   - any other HTML page is read, in this order, by the first of these that finds entries: its
//     JSON-LD, when the updates carry their own times; src.Selectors, when set; paragraph
//     mode (the block-level text of src.Container, else of the page's top-level <article>
//     elements, else its <main>, else its <body>, read by ParseLiveBlogText); its JSON-LD
//     without per-update times, whose entries then have a zero Published (callers date them
//     when first seen) and a note says so;
//   - any other text (text/plain, or a body that is text) is read by ParseLiveBlogText;
//   - other XML or JSON is an error wrapping ErrUnsupportedFormat.
//
// FormatLiveBlog reads an HTML body in paragraph mode; FormatJSONLD reads the page's
// JSON-LD (or a bare JSON-LD body) even without per-update times; FormatSelectors needs
// src.Selectors; FormatTelegram reads any HTML page as a channel's web preview. Parsers get resp.URL (else src.URL) as the page URL and resp.Date as the
// fallback date. Entries carry src.Name as their Source.
func ParsePage(src Source, resp Response) (ParseResult, error) {
	if resp.NotModified {
		return ParseResult{}, fmt.Errorf("sources: parse %q: a not-modified response has no body", src.Name)
	}
	format := src.Format
	if format == "" {
		format = FormatAuto
	}
	if format == FormatAuto && isBinary(resp.Body) {
		return ParseResult{}, fmt.Errorf("sources: parse %q: %w: binary body (content type %q)",
			src.Name, ErrUnsupportedFormat, resp.ContentType)
	}
	body := toUTF8(resp.Body, resp.ContentType)
	kind := sniff(body, resp.ContentType)
	p := pageParse{src: src, resp: resp, body: body, kind: kind}
	if p.pageURL() == "" {
		p.resp.URL = src.URL
	}
	if format == FormatAuto {
		switch {
		case kind == kindFeed:
			format = FormatFeed
		case kind != kindHTML && isJSONLDBody(body):
			format = FormatJSONLD
		case kind == kindHTML && isTelegramPage(body):
			format = FormatTelegram
		case kind == kindHTML:
			return p.autoHTML()
		case kind == kindText:
			format = FormatLiveBlog
		default:
			return ParseResult{}, fmt.Errorf("sources: parse %q: %w (content type %q)",
				src.Name, ErrUnsupportedFormat, resp.ContentType)
		}
	}
	switch format {
	case FormatFeed:
		entries, err := parseFeed(src.Name, body, feedOptions{SplitLiveBlogItems: src.SplitLiveBlogItems})
		return ParseResult{Entries: entries, Format: FormatFeed}, err
	case FormatLiveBlog:
		return p.paragraphs()
	case FormatJSONLD:
		return p.jsonLD(true)
	case FormatSelectors:
		return p.selectors()
	case FormatTelegram:
		return p.telegram()
	}
	return ParseResult{}, fmt.Errorf("sources: parse %q: %w %q", src.Name, ErrUnsupportedFormat, format)
}

// isJSONLDBody reports whether body is JSON that names a LiveBlogPosting.
func isJSONLDBody(body []byte) bool {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	return (bytes.HasPrefix(trimmed, []byte("{")) || bytes.HasPrefix(trimmed, []byte("["))) &&
		bytes.Contains(body, []byte("LiveBlogPosting"))
}

// pageParse is one ParsePage call.
type pageParse struct {
	src  Source
	resp Response
	body []byte // in UTF-8
	kind bodyKind
	doc  *html.Node // the parsed page, once htmlDoc ran; nil for a page too deep to parse
	done bool       // htmlDoc ran
}

func (p *pageParse) pageURL() string { return p.resp.URL }

// htmlDoc returns the page's tree, parsing it the first time; nil when it cannot be built
// (nesting too deep).
func (p *pageParse) htmlDoc() *html.Node {
	if !p.done {
		p.done = true
		if doc, err := html.Parse(bytes.NewReader(p.body)); err == nil {
			p.doc = doc
		}
	}
	return p.doc
}

// autoHTML tries the HTML parsers in FormatAuto's order.
func (p *pageParse) autoHTML() (ParseResult, error) {
	ld, ldErr := p.jsonLD(false)
	if ldErr == nil && len(ld.Entries) > 0 && ld.Notes == nil {
		return ld, nil
	}
	notes := ld.Notes
	if p.src.Selectors != nil {
		r, err := p.selectors()
		if err != nil {
			return ParseResult{}, err
		}
		if len(r.Entries) > 0 {
			r.Notes = append(notes, r.Notes...)
			return r, nil
		}
		notes = append(notes, fmt.Sprintf("the selectors matched no update (entry: %q)", p.src.Selectors.Entry))
	}
	r, err := p.paragraphs()
	if err == nil && len(r.Entries) > 0 {
		r.Notes = append(notes, r.Notes...)
		return r, nil
	}
	if len(ld.Entries) > 0 {
		ld.Notes = append(notes, "paragraph mode found no time-stamped updates, so the JSON-LD updates are used undated: each is dated when first seen")
		return ld, nil
	}
	if err != nil {
		return ParseResult{}, err
	}
	r.Notes = append(notes, r.Notes...)
	return r, nil
}

// jsonLD reads the page's JSON-LD (or the body as JSON-LD). Without per-update times the
// entries are returned undated with a note.
func (p *pageParse) jsonLD(explicit bool) (ParseResult, error) {
	var docs [][]byte
	if p.kind == kindHTML {
		doc := p.htmlDoc()
		if doc == nil {
			return ParseResult{Format: FormatJSONLD}, nil
		}
		docs = jsonLDScripts(doc)
		if len(docs) == 0 {
			if explicit {
				return ParseResult{Format: FormatJSONLD, Notes: []string{"the page has no <script type=\"application/ld+json\">"}}, nil
			}
			return ParseResult{Format: FormatJSONLD}, nil
		}
	} else {
		docs = [][]byte{p.body}
	}
	res, err := parseJSONLD(p.src.Name, docs, jsonLDOptions{PageURL: p.pageURL()})
	if err != nil {
		return ParseResult{Format: FormatJSONLD}, err
	}
	out := ParseResult{Entries: res.Entries, Format: FormatJSONLD}
	switch {
	case res.Postings == 0 && explicit:
		out.Notes = append(out.Notes, "the JSON-LD has no LiveBlogPosting")
	case len(res.Entries) > 0 && !res.PerUpdateTimes:
		out.Notes = append(out.Notes, fmt.Sprintf("the JSON-LD's %d updates do not carry their own times "+
			"(all share one datePublished, or some have none): configure selectors for the page's markup to get them", len(res.Entries)))
	}
	return out, nil
}

// selectors reads the page with src.Selectors.
func (p *pageParse) selectors() (ParseResult, error) {
	if p.src.Selectors == nil {
		return ParseResult{}, fmt.Errorf("sources: parse %q: format selectors needs selectors", p.src.Name)
	}
	doc := p.htmlDoc()
	if doc == nil {
		return ParseResult{}, fmt.Errorf("sources: selectors %q: page nested too deep to parse", p.src.Name)
	}
	entries, err := parseSelectorsDoc(p.src.Name, doc, *p.src.Selectors, selectorOptions{PageURL: p.pageURL()})
	return ParseResult{Entries: entries, Format: FormatSelectors}, err
}

// paragraphs reads the page in paragraph mode (an HTML page) or as text.
func (p *pageParse) paragraphs() (ParseResult, error) {
	text := p.body
	if p.kind == kindHTML {
		var container goquery.Matcher
		if p.src.Container != "" {
			sel, err := cascadia.Compile(p.src.Container)
			if err != nil {
				return ParseResult{}, fmt.Errorf("sources: parse %q: container %q: %w", p.src.Name, p.src.Container, err)
			}
			container = sel
		}
		if doc := p.htmlDoc(); doc != nil {
			text = containerText(doc, container)
		} else {
			// Nesting too deep for the tree builder: read the tokens of the whole page.
			text = []byte(strings.Join(tokenParagraphs(bytes.NewReader(p.body)), "\n"))
		}
	}
	opts := TextOptions{PageURL: p.pageURL(), FallbackDate: p.resp.Date}
	entries, err := ParseLiveBlogText(p.src.Name, text, opts)
	r := ParseResult{Entries: entries, Format: FormatLiveBlog}
	if err == nil && len(entries) == 0 && p.kind == kindHTML && p.src.Container != "" && len(text) == 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("the container %q matched nothing", p.src.Container))
	}
	return r, err
}

// bodyKind is what sniff takes a body to be.
type bodyKind uint8

const (
	kindUnknown bodyKind = iota
	kindFeed
	kindHTML
	kindText
)

// feedContentTypes are the media types that mean a feed whatever the body looks like.
var feedContentTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/rdf+xml":   true,
	"application/x-rss+xml": true,
}

// htmlContentTypes are the media types of HTML pages.
var htmlContentTypes = map[string]bool{
	"text/html":             true,
	"application/xhtml+xml": true,
}

// jsonFeedRE finds the version member of a JSON Feed.
var jsonFeedRE = regexp.MustCompile(`"version"\s*:\s*"https?://jsonfeed\.org/`)

// xmlRootRE finds the name of the first element of an XML or HTML document, after any
// declaration, processing instructions, comments and doctype.
var xmlRootRE = regexp.MustCompile(`^(?:\s+|<\?[^>]*\?>|<!--(?s:.*?)-->|<!DOCTYPE[^>]*>|<!doctype[^>]*>)*<([A-Za-z][A-Za-z0-9_.:-]*)`)

// htmlTagRE finds a tag only HTML pages have.
var htmlTagRE = regexp.MustCompile(`(?i)<(?:html|head|body|article|main|div|p)[\s>]`)

// sniffLen is how much of a body sniff looks at.
const sniffLen = 4096

// sniff says what a body, already in UTF-8, is from its first bytes and its content type: a
// feed, an HTML page, text, or something else.
func sniff(body []byte, contentType string) bodyKind {
	media, _, _ := mime.ParseMediaType(contentType)
	media = strings.ToLower(media)
	if feedContentTypes[media] {
		return kindFeed
	}
	head := body[:min(len(body), sniffLen)]
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	switch {
	case bytes.HasPrefix(trimmed, []byte("{")):
		if jsonFeedRE.Match(head) {
			return kindFeed
		}
		if media == "text/plain" {
			return kindText
		}
		return kindUnknown // JSON that is not a feed
	case bytes.HasPrefix(trimmed, []byte("<")):
		if m := xmlRootRE.FindSubmatch(trimmed); m != nil {
			switch strings.ToLower(string(m[1])) {
			case "rss", "feed", "rdf:rdf":
				return kindFeed
			case "html":
				return kindHTML
			}
		}
		if htmlContentTypes[media] || htmlTagRE.Match(head) {
			return kindHTML
		}
		if media == "text/plain" {
			return kindText
		}
		return kindUnknown // XML of some other kind
	}
	if htmlContentTypes[media] {
		return kindHTML
	}
	return kindText
}

// isBinary reports whether body is not text at all: an image, an archive, or bytes no text
// holds (http.DetectContentType's judgement). A body with a UTF-16 byte-order mark is text.
func isBinary(body []byte) bool {
	ct := http.DetectContentType(body)
	if strings.HasPrefix(ct, "text/") {
		return false
	}
	switch {
	case ct == "application/octet-stream",
		strings.HasPrefix(ct, "image/"), strings.HasPrefix(ct, "audio/"),
		strings.HasPrefix(ct, "video/"), strings.HasPrefix(ct, "font/"),
		ct == "application/pdf", ct == "application/zip", ct == "application/x-gzip",
		ct == "application/x-rar-compressed", ct == "application/wasm",
		ct == "application/vnd.ms-fontobject", ct == "application/postscript":
		return true
	}
	return false
}
