package sources

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrNoFollowLink is returned (wrapped) by FollowLink when no link matches.
var ErrNoFollowLink = errors.New("no link matches")

// FollowLink returns the newest link of an index page or feed that pattern matches: in a
// feed, the matching item link with the latest published time (the first of equals); in
// an HTML page, the first matching <a href> in document order (index pages list the newest
// first); in text, the first matching http(s) URL. Links are resolved against resp.URL
// before they are matched, and returned without their #fragment; only http(s) links count.
func FollowLink(resp Response, pattern *regexp.Regexp) (string, error) {
	if pattern == nil {
		return "", errors.New("sources: follow: no pattern")
	}
	body := toUTF8(resp.Body, resp.ContentType)
	base, _ := url.Parse(resp.URL)
	resolve := func(raw string) string {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil {
			return ""
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return ""
		}
		u.Fragment = ""
		return u.String()
	}
	var link string
	switch sniff(body, resp.ContentType) {
	case kindFeed:
		entries, err := parseFeed("follow", body, feedOptions{})
		if err != nil {
			return "", fmt.Errorf("sources: follow %s: %w", resp.URL, err)
		}
		var newest Entry
		for _, e := range entries {
			if l := resolve(e.URL); l != "" && pattern.MatchString(l) && (link == "" || e.Published.After(newest.Published)) {
				link, newest = l, e
			}
		}
	case kindHTML:
		z := html.NewTokenizer(bytes.NewReader(body))
	tokens:
		for {
			switch z.Next() {
			case html.ErrorToken:
				break tokens
			case html.StartTagToken, html.SelfClosingTagToken:
				name, hasAttr := z.TagName()
				if atom.Lookup(name) != atom.A || !hasAttr {
					continue
				}
				for {
					key, val, more := z.TagAttr()
					if string(key) == "href" {
						if l := resolve(string(val)); l != "" && pattern.MatchString(l) {
							link = l
							break tokens
						}
					}
					if !more {
						break
					}
				}
			}
		}
	default:
		for _, m := range textURLRE.FindAllString(string(body), -1) {
			if l := resolve(m); l != "" && pattern.MatchString(l) {
				link = l
				break
			}
		}
	}
	if link == "" {
		return "", fmt.Errorf("sources: follow %s: %w %s", resp.URL, ErrNoFollowLink, pattern)
	}
	return link, nil
}

// textURLRE finds http(s) URLs in text.
var textURLRE = regexp.MustCompile(`https?://[^\s<>"']+`)
