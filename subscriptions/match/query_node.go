package match

import (
	"regexp"
	"slices"
	"strings"
)

// queryOp is what a query node does.
type queryOp uint8

const (
	opLeaf  queryOp = iota // terms occur consecutively
	opAnd                  // every kid matches
	opOr                   // some kid matches
	opNot                  // the one kid does not match
	opRegex                // a regular expression matches the folded text (query_regex.go)
)

// queryNode is a node of a query's syntax tree. Trees are built by the newXxxNode functions,
// which keep them canonical: no AND directly under AND nor OR under OR, no NOT under NOT, no
// AND or OR with fewer than two kids or with two kids rendering alike.
type queryNode struct {
	op   queryOp
	kids []*queryNode
	pos  int // offset in runes of where the node starts in the query, for errors

	// Leaf only.
	terms  []string // one or more normalised terms, consecutive in the document
	prefix bool     // the last term is a prefix
	title  bool     // only the title counts

	// Regex only.
	pattern string         // as typed between the slashes
	re      *regexp.Regexp // the folded pattern, ignoring case
	key     string         // a term every match has (requiredWord), "" for none
}

// newLeafNode returns a leaf, or nil when terms is empty.
func newLeafNode(terms []string, prefix, title bool, pos int) *queryNode {
	if len(terms) == 0 {
		return nil
	}
	return &queryNode{op: opLeaf, terms: terms, prefix: prefix, title: title, pos: pos}
}

// newNotNode returns the negation of n.
func newNotNode(n *queryNode, pos int) *queryNode {
	if n.op == opNot {
		return n.kids[0]
	}
	return &queryNode{op: opNot, kids: []*queryNode{n}, pos: pos}
}

// newListNode returns the AND or OR (op) of kids, flattened and without duplicates, or nil
// when there are none.
func newListNode(op queryOp, kids []*queryNode) *queryNode {
	if len(kids) == 1 && kids[0].op != op {
		return kids[0] // what the loop below would return, without allocating
	}
	var flat []*queryNode
	for _, k := range kids {
		grand := []*queryNode{k}
		if k.op == op {
			grand = k.kids
		}
		for _, g := range grand {
			if !slices.ContainsFunc(flat, func(f *queryNode) bool { return sameRendering(f, g) }) {
				flat = append(flat, g)
			}
		}
	}
	switch len(flat) {
	case 0:
		return nil
	case 1:
		return flat[0]
	}
	return &queryNode{op: op, kids: flat, pos: flat[0].pos}
}

// sameRendering reports whether a.String() == b.String(), without rendering: rendering is
// one-to-one but for an AND, which shows its exclusions after its other kids.
func sameRendering(a, b *queryNode) bool {
	if a.op != b.op {
		return false
	}
	switch a.op {
	case opLeaf:
		return a.title == b.title && a.prefix == b.prefix && slices.Equal(a.terms, b.terms)
	case opRegex:
		return a.pattern == b.pattern
	case opOr, opNot:
		return slices.EqualFunc(a.kids, b.kids, sameRendering)
	}
	for _, not := range []bool{false, true} {
		i, j := 0, 0
		for {
			for i < len(a.kids) && (a.kids[i].op == opNot) != not {
				i++
			}
			for j < len(b.kids) && (b.kids[j].op == opNot) != not {
				j++
			}
			if i == len(a.kids) || j == len(b.kids) {
				if i != len(a.kids) || j != len(b.kids) {
					return false
				}
				break
			}
			if !sameRendering(a.kids[i], b.kids[j]) {
				return false
			}
			i++
			j++
		}
	}
	return true
}

// String renders the node in canonical form.
func (n *queryNode) String() string {
	var b strings.Builder
	n.render(&b)
	return b.String()
}

func (n *queryNode) render(b *strings.Builder) {
	switch n.op {
	case opRegex:
		b.WriteString(regexPrefix + n.pattern + "/")
	case opLeaf:
		if n.title {
			b.WriteString(titleField)
		}
		quote := len(n.terms) > 1
		if quote {
			b.WriteByte('"')
		}
		for i, t := range n.terms {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t)
		}
		if n.prefix {
			b.WriteByte('*')
		}
		if quote {
			b.WriteByte('"')
		}
	case opAnd:
		first := true
		for _, k := range n.kids {
			if k.op == opNot {
				continue
			}
			if !first {
				b.WriteString(" AND ")
			}
			first = false
			k.renderOperand(b, opOr)
		}
		for _, k := range n.kids {
			if k.op != opNot {
				continue
			}
			if !first {
				b.WriteByte(' ')
			}
			first = false
			k.render(b)
		}
	case opOr:
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(" OR ")
			}
			k.renderOperand(b, opAnd)
		}
	case opNot:
		b.WriteString("NOT ")
		n.kids[0].renderOperand(b, opAnd, opOr)
	}
}

// renderOperand renders n, in parentheses when it is one of the ops that would otherwise
// read ambiguously in its place.
func (n *queryNode) renderOperand(b *strings.Builder, parenthesized ...queryOp) {
	if !slices.Contains(parenthesized, n.op) {
		n.render(b)
		return
	}
	b.WriteByte('(')
	n.render(b)
	b.WriteByte(')')
}

// appendTerms appends the terms of the leaves outside exclusions, prefixes with a star, and
// the word a regex requires.
func (n *queryNode) appendTerms(dst []string) []string {
	switch n.op {
	case opRegex:
		if n.key != "" {
			return append(dst, n.key)
		}
	case opLeaf:
		last := len(n.terms) - 1
		dst = append(dst, n.terms[:last]...)
		if n.prefix {
			return append(dst, n.terms[last]+"*")
		}
		return append(dst, n.terms[last])
	case opAnd, opOr:
		for _, k := range n.kids {
			dst = k.appendTerms(dst)
		}
	}
	return dst
}

// positive returns nil when every way the node can match needs one of its terms outside
// exclusions, and otherwise the node to blame: an exclusion-only query or OR alternative.
func (n *queryNode) positive() *queryNode {
	switch n.op {
	case opLeaf, opRegex:
		return nil
	case opAnd:
		for _, k := range n.kids {
			if k.positive() == nil {
				return nil
			}
		}
		return n
	case opOr:
		for _, k := range n.kids {
			if bad := k.positive(); bad != nil {
				return bad
			}
		}
		return nil
	}
	return n
}
