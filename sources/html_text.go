package sources

import (
	"bytes"
	"io"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skippedElements hold no readable text: they and everything inside them are dropped.
var skippedElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Svg: true, atom.Math: true, atom.Canvas: true, atom.Select: true, atom.Textarea: true,
	atom.Button: true, atom.Form: true, atom.Nav: true, atom.Aside: true, atom.Footer: true,
}

// blockElements end the paragraph before them and start a new one after them.
var blockElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Blockquote: true, atom.Body: true,
	atom.Caption: true, atom.Dd: true, atom.Details: true, atom.Dialog: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Li: true, atom.Main: true,
	atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true, atom.Summary: true,
	atom.Table: true, atom.Td: true, atom.Th: true, atom.Tr: true, atom.Ul: true,
	atom.Br: true, atom.Html: true,
}

// paragraphWriter gathers text into paragraphs.
type paragraphWriter struct {
	cur   strings.Builder
	paras []string
	// skip, if set, is asked about every element: true drops it and everything inside it.
	skip func(n *html.Node) bool
}

// flush ends the current paragraph; an empty one is left out.
func (w *paragraphWriter) flush() {
	if p := normalizeSpace(w.cur.String()); p != "" {
		w.paras = append(w.paras, p)
	}
	w.cur.Reset()
}

// write adds the text of the trees rooted at nodes: every block-level element and every <br>
// ends a paragraph, elements without readable text (script, style, nav…) are dropped. The walk
// is iterative, so deep nesting cannot exhaust the stack.
func (w *paragraphWriter) write(nodes ...*html.Node) {
	type step struct {
		n    *html.Node
		exit bool
	}
	stack := make([]step, 0, 32)
	for i := len(nodes) - 1; i >= 0; i-- {
		stack = append(stack, step{n: nodes[i]})
	}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := s.n
		if s.exit {
			w.flush()
			continue
		}
		switch n.Type {
		case html.TextNode:
			w.cur.WriteString(n.Data)
			continue
		case html.ElementNode:
			if skippedElements[n.DataAtom] || (w.skip != nil && w.skip(n)) {
				continue
			}
			if blockElements[n.DataAtom] {
				w.flush()
				stack = append(stack, step{n: n, exit: true})
			}
		case html.DocumentNode:
		default: // comments, doctypes
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, step{n: c})
		}
	}
}

// htmlParagraphs returns the plain-text paragraphs of an HTML fragment, as it would sit in a
// <body>: entities decoded, tags stripped, white space normalised, none empty. It reads the
// fragment's tokens (tokenParagraphs) without building a tree: a fragment's text and where
// its blocks end need no tree, and the Mirror's 428 bodies are read a third faster.
func htmlParagraphs(fragment string) []string {
	return tokenParagraphs(strings.NewReader(fragment))
}

// tokenParagraphs reads the paragraphs of HTML from its tokens, without a tree (so that no
// nesting is too deep for it): block tags end paragraphs, and the content of skipped
// elements is dropped up to their end tag.
func tokenParagraphs(r io.Reader) []string {
	var w paragraphWriter
	z := html.NewTokenizer(r)
	skip := 0 // how many skipped elements the tokenizer is inside
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			w.flush()
			return w.paras
		case html.TextToken:
			if skip == 0 {
				w.cur.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case skippedElements[a] && tt == html.StartTagToken:
				skip++
			case skippedElements[a] && tt == html.EndTagToken:
				skip = max(skip-1, 0)
			case blockElements[a]:
				w.flush()
			}
		}
	}
}

// tagRE finds something that looks like an HTML tag or comment.
var tagRE = regexp.MustCompile(`<(?:[a-zA-Z][a-zA-Z0-9-]*[\s/>]|/[a-zA-Z]|!--)`)

// markupParagraphs returns the paragraphs of s, which is HTML or plain text: HTML is read as
// by htmlParagraphs; plain text is split at blank lines (or at every line break when it has
// no blank line), with entities decoded.
func markupParagraphs(s string) []string {
	if tagRE.MatchString(s) {
		return htmlParagraphs(s)
	}
	return textParagraphs(html.UnescapeString(s))
}

// markupText returns s, HTML or plain text, as one line of plain text.
func markupText(s string) string {
	return strings.Join(markupParagraphs(s), " ")
}

// textParagraphs splits plain text into paragraphs at blank lines, or at every line break
// when it has no blank line; white space is normalised and empty paragraphs left out.
func textParagraphs(s string) []string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	var blocks []string
	if containsBlankLine(s) {
		blocks = splitBlankLines(s)
	} else {
		blocks = strings.Split(s, "\n")
	}
	paras := make([]string, 0, len(blocks))
	for _, b := range blocks {
		if p := normalizeSpace(b); p != "" {
			paras = append(paras, p)
		}
	}
	return paras
}

// containsBlankLine reports whether s has a line holding only white space between two others.
func containsBlankLine(s string) bool {
	first := strings.IndexByte(s, '\n')
	if first < 0 {
		return false
	}
	start := first + 1
	for {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			return false // the last line is not between two others
		}
		if strings.TrimSpace(s[start:start+end]) == "" {
			return true
		}
		start += end + 1
	}
}

// splitBlankLines splits s at lines that hold only white space.
func splitBlankLines(s string) []string {
	var blocks []string
	var cur []string
	for line := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(line) == "" {
			blocks = append(blocks, strings.Join(cur, " "))
			cur = cur[:0]
			continue
		}
		cur = append(cur, line)
	}
	return append(blocks, strings.Join(cur, " "))
}

// htmlPageText returns the readable text of an HTML page, one paragraph a line, for the
// live-blog text parser: the text of its top-level <article> elements if it has any, else of
// its <main>, else of its <body>.
func htmlPageText(page []byte) []byte {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		// Nesting too deep for the tree builder: read the tokens of the whole page instead.
		return []byte(strings.Join(tokenParagraphs(bytes.NewReader(page)), "\n"))
	}
	return containerText(doc, nil)
}

// findElements returns the outermost elements of type a under n, in document order.
func findElements(n *html.Node, a atom.Atom) []*html.Node {
	var found []*html.Node
	stack := []*html.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Type == html.ElementNode && n.DataAtom == a {
			found = append(found, n)
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
	return found
}
