package sources

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strings"
)

// ErrUnsupportedFormat is returned (wrapped) by Parse for a body it has no parser for.
var ErrUnsupportedFormat = errors.New("unsupported format")

// Parse reads a fetched body into entries with the parser src.Format names, and says which
// parser that was: FormatFeed or FormatLiveBlog.
//
// The body is first converted to UTF-8 (see toUTF8). With FormatAuto (or ""):
//   - a binary body (image, archive…) is an error wrapping ErrUnsupportedFormat;
//   - a feed content type (application/rss+xml, application/atom+xml, application/feed+json,
//     application/rdf+xml), an XML body whose root is <rss>, <feed> or <rdf:RDF>, or a JSON
//     body with a "version" of https://jsonfeed.org/… is read by ParseFeed;
//   - an HTML page (by content type or body) is turned into lines — the block-level text of
//     its top-level <article> elements, else its <main>, else its <body> — and read by
//     ParseLiveBlogText;
//   - any other text (text/plain, or a body that is text) is read by ParseLiveBlogText;
//   - other XML or JSON is an error wrapping ErrUnsupportedFormat.
//
// FormatLiveBlog turns an HTML body into lines the same way. The live-blog parser gets
// resp.URL (else src.URL) as its page URL and resp.Date as its fallback date. Entries carry
// src.Name as their Source.
func Parse(src Source, resp Response) ([]Entry, Format, error) {
	if resp.NotModified {
		return nil, "", fmt.Errorf("sources: parse %q: a not-modified response has no body", src.Name)
	}
	format := src.Format
	if format == "" {
		format = FormatAuto
	}
	if format == FormatAuto && isBinary(resp.Body) {
		return nil, "", fmt.Errorf("sources: parse %q: %w: binary body (content type %q)",
			src.Name, ErrUnsupportedFormat, resp.ContentType)
	}
	body := toUTF8(resp.Body, resp.ContentType)
	kind := sniff(body, resp.ContentType)
	if format == FormatAuto {
		switch kind {
		case kindFeed:
			format = FormatFeed
		case kindHTML, kindText:
			format = FormatLiveBlog
		default:
			return nil, "", fmt.Errorf("sources: parse %q: %w (content type %q)",
				src.Name, ErrUnsupportedFormat, resp.ContentType)
		}
	}
	switch format {
	case FormatFeed:
		entries, err := ParseFeed(src.Name, body)
		return entries, FormatFeed, err
	case FormatLiveBlog:
		if kind == kindHTML {
			body = htmlPageText(body)
		}
		opts := TextOptions{PageURL: resp.URL, FallbackDate: resp.Date}
		if opts.PageURL == "" {
			opts.PageURL = src.URL
		}
		entries, err := ParseLiveBlogText(src.Name, body, opts)
		return entries, FormatLiveBlog, err
	}
	return nil, "", fmt.Errorf("sources: parse %q: %w %q", src.Name, ErrUnsupportedFormat, format)
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
