package sources

import (
	"bytes"
	"context"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Checked is what Check found at a source.
type Checked struct {
	// Index is, for a source that follows links, the index read first; "" otherwise.
	Index string
	// Response is what the page read served (after any redirects: Response.URL).
	Response Response
	// ParseResult is what ParsePage made of it.
	ParseResult
	// Title is the feed's title, the page's og:title or <title>, or a Telegram channel's
	// name, trimmed; "" when there is none.
	Title string
}

// Check fetches and parses src once with f, the way the watcher polls it but without any
// stored state: for a source that follows links, its index first, then the page the index
// names. It fails when a fetch or the parse does; a page in which nothing was found is not a
// failure (len(Entries) == 0: callers say what that means to them).
func Check(ctx context.Context, f *Fetcher, src Source) (Checked, error) {
	var out Checked
	page := src
	if src.Follow != nil {
		index, err := f.Fetch(ctx, src.URL, State{})
		if err != nil {
			return Checked{}, err
		}
		link, err := FollowLink(index, src.Follow)
		if err != nil {
			return Checked{}, err
		}
		out.Index, page.URL = src.URL, link
	}
	resp, err := f.Fetch(ctx, page.URL, State{})
	if err != nil {
		return Checked{}, err
	}
	r, err := ParsePage(page, resp)
	if err != nil {
		return Checked{}, err
	}
	out.Response, out.ParseResult = resp, r
	out.Title = pageTitle(resp, r.Format)
	return out, nil
}

// maxTitleRunes bounds the title Check reports.
const maxTitleRunes = 120

// pageTitle returns the title of a body read as format: a feed's title, else an HTML page's
// og:title, else its <title> (for a Telegram channel, og:title is the channel's name).
func pageTitle(resp Response, format Format) string {
	body := toUTF8(resp.Body, resp.ContentType)
	var title string
	if format == FormatFeed {
		if feed, err := parseGofeed(body); err == nil {
			title = feed.Title
		}
	} else {
		title = htmlTitle(body)
	}
	title = strings.Join(strings.Fields(title), " ")
	if r := []rune(title); len(r) > maxTitleRunes {
		title = strings.TrimSpace(string(r[:maxTitleRunes-1])) + "…"
	}
	return title
}

// htmlTitle returns an HTML page's og:title, else its <title>, from the page's head: it
// stops at <body>.
func htmlTitle(body []byte) string {
	z := html.NewTokenizer(bytes.NewReader(body))
	var title string
	inTitle := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return title
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Body:
				return title
			case atom.Title:
				inTitle = title == ""
			case atom.Meta:
				var prop, content string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch string(k) {
					case "property", "name":
						prop = string(v)
					case "content":
						content = string(v)
					}
				}
				if prop == "og:title" && strings.TrimSpace(content) != "" {
					return content
				}
			}
		case html.TextToken:
			if inTitle {
				title += string(z.Text())
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Title {
				inTitle = false
			}
		}
	}
}
