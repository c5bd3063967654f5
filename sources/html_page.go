package sources

import (
	"bytes"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// jsonLDScripts returns the text of every <script type="application/ld+json"> of a page,
// in document order.
func jsonLDScripts(doc *html.Node) [][]byte {
	var out [][]byte
	stack := []*html.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Type == html.ElementNode && n.DataAtom == atom.Script {
			if isJSONLDType(attr(n, "type")) {
				var b bytes.Buffer
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.TextNode {
						b.WriteString(c.Data)
					}
				}
				out = append(out, b.Bytes())
			}
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
	return out
}

func isJSONLDType(t string) bool {
	t, _, _ = strings.Cut(t, ";")
	return strings.EqualFold(strings.TrimSpace(t), "application/ld+json")
}

// canonicalLink returns the href of the page's <link rel="canonical">, or "".
func canonicalLink(doc *html.Node) string {
	stack := []*html.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Link:
				for _, rel := range strings.Fields(attr(n, "rel")) {
					if strings.EqualFold(rel, "canonical") {
						return strings.TrimSpace(attr(n, "href"))
					}
				}
				continue
			case atom.Body:
				continue // a canonical link belongs in the head
			}
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
	return ""
}

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// writeExcept is write for the tree at n, leaving out the subtrees rooted at the skip nodes
// (nil ones are ignored).
func (w *paragraphWriter) writeExcept(n *html.Node, skip ...*html.Node) {
	var removed []struct{ node, parent, next *html.Node }
	for _, s := range skip {
		if s == nil || s == n || s.Parent == nil {
			continue
		}
		removed = append(removed, struct{ node, parent, next *html.Node }{s, s.Parent, s.NextSibling})
		s.Parent.RemoveChild(s)
	}
	w.write(n)
	// Put the tree back as it was, last removed first.
	for i := len(removed) - 1; i >= 0; i-- {
		r := removed[i]
		r.parent.InsertBefore(r.node, r.next)
	}
}

// containerText returns the text of a page for the live-blog text parser, one paragraph a
// line: the block-level text of the outermost elements container selects, or, with no container, of
// the page's top-level <article> elements, else its <main>, else its <body>.
func containerText(doc *html.Node, container goquery.Matcher) []byte {
	var roots []*html.Node
	if container != nil {
		roots = outermost(goquery.NewDocumentFromNode(doc).FindMatcher(container).Nodes)
		if len(roots) == 0 {
			return nil
		}
	} else {
		roots = findElements(doc, atom.Article)
		if len(roots) == 0 {
			roots = findElements(doc, atom.Main)
		}
		if len(roots) == 0 {
			roots = []*html.Node{doc}
		}
	}
	var w paragraphWriter
	w.write(roots...)
	w.flush()
	return []byte(strings.Join(w.paras, "\n"))
}

// outermost returns the nodes that are not inside another of nodes, in their order: a
// container selector that matches nested elements reads their text once.
func outermost(nodes []*html.Node) []*html.Node {
	if len(nodes) < 2 {
		return nodes
	}
	in := make(map[*html.Node]bool, len(nodes))
	for _, n := range nodes {
		in[n] = true
	}
	out := nodes[:0:0]
	for _, n := range nodes {
		inside := false
		for a := n.Parent; a != nil; a = a.Parent {
			if in[a] {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, n)
		}
	}
	return out
}
