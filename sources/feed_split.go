package sources

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// continueRE matches the "Continue reading…" link that ends a feed item's excerpt.
var continueRE = regexp.MustCompile(`(?i)^continue reading\b.*$`)

// splitLiveBlogItem splits a feed item whose content holds the latest blocks of a live blog
// — each block starts with a <time datetime="…"> element — into one entry per block, in
// the content's order. The text before the first block (the standfirst), the time
// elements' own text and a closing "Continue reading…" are dropped. A block's title is made
// from its paragraphs (leadTitle), the rest is its body; it is published at its datetime (in UTC),
// links to the item, and its id is a hash of the source, the item's id and the block's
// datetime as written, so it stays the same while the item's other blocks come and go. It
// returns nil when the content has no such block, and the item is kept whole.
func splitLiveBlogItem(item Entry, content string) []Entry {
	if !strings.Contains(content, "datetime") || !tagRE.MatchString(content) {
		return nil
	}
	nodes, err := html.ParseFragment(strings.NewReader(content), &html.Node{
		Type: html.ElementNode, Data: "body", DataAtom: atom.Body,
	})
	if err != nil {
		return nil
	}
	type mark struct {
		raw   string // the datetime attribute as written
		start int    // index of the block's first paragraph in w.paras
	}
	var (
		w     paragraphWriter
		marks []mark
	)
	w.skip = func(n *html.Node) bool {
		if n.DataAtom != atom.Time {
			return false
		}
		raw := strings.TrimSpace(attr(n, "datetime"))
		if _, ok := parseSchemaTime(raw); !ok {
			return false
		}
		w.flush()
		marks = append(marks, mark{raw: raw, start: len(w.paras)})
		return true
	}
	w.write(nodes...)
	w.flush()
	if len(marks) == 0 {
		return nil
	}
	var out []Entry
	for i, m := range marks {
		end := len(w.paras)
		if i+1 < len(marks) {
			end = marks[i+1].start
		}
		paras := make([]string, 0, end-m.start)
		for _, p := range w.paras[m.start:end] {
			if !continueRE.MatchString(p) {
				paras = append(paras, p)
			}
		}
		if len(paras) == 0 {
			continue
		}
		at, _ := parseSchemaTime(m.raw)
		title, body := leadTitle(paras)
		if len(body) == 0 {
			body = nil
		}
		out = append(out, Entry{
			Source:    item.Source,
			ID:        hashID(item.Source, item.ID, m.raw),
			Published: at,
			Title:     title,
			Body:      body,
			URL:       item.URL,
			Hash:      ContentHash(title, body),
		})
	}
	return out
}
