package match

import (
	"slices"
	"strings"
	"sync"
)

// Document is an entry's text tokenized once for matching against many queries: the
// normalised terms of its title and of its body, each with positions, so that phrases and
// title-only words can be matched. It is immutable and safe for concurrent use.
type Document struct {
	title, body postingList
	// folded is the title and the paragraphs, one a line, through foldText: what regular
	// expression queries match. Worked out on first use, as most matchers have none.
	folded func() string
	source string // SourceKey of the entry's source; "" when not known
}

// NewEntryDocument is NewDocument of an entry of the source named source, which queries
// limited to a source (in:"…") are matched against.
func NewEntryDocument(source, title string, body []string) *Document {
	d := NewDocument(title, body)
	d.source = SourceKey(source)
	return d
}

// NewDocument tokenizes an entry's title and body paragraphs. Phrases match within one field
// and, in the body, within one paragraph: positions leave a gap between paragraphs.
func NewDocument(title string, body []string) *Document {
	n := len(title)
	for _, p := range body {
		n += len(p)
	}
	t := tokenizer{buf: make([]byte, 0, n), spans: make([]termSpan, 0, n/5+1)}
	t.text(title)
	nTitle := len(t.spans)
	t.pos = 0
	for _, p := range body {
		t.text(p)
		t.pos++ // the gap: no phrase spans two paragraphs
	}
	all := string(t.buf)
	return &Document{
		title: newPostingList(all, t.spans[:nTitle]),
		body:  newPostingList(all, t.spans[nTitle:]),
		folded: sync.OnceValue(func() string {
			return foldText(title + "\n" + strings.Join(body, "\n"))
		}),
	}
}

// sortedTerms returns the distinct terms of the document, title and body together, sorted: what an
// inverted index of queries would look up.
func (d *Document) sortedTerms() []string {
	out := make([]string, 0, len(d.title.terms)+len(d.body.terms))
	out = append(out, d.title.terms...)
	out = append(out, d.body.terms...)
	slices.Sort(out)
	return slices.Compact(out)
}

// postingList holds one field's terms with their positions, as sorted arrays: a term is found
// by binary search, and the terms starting with a prefix are a contiguous run.
type postingList struct {
	terms []string // distinct, sorted
	ends  []int32  // the positions of terms[i] are pos[ends[i-1]:ends[i]] (from 0 for i == 0)
	pos   []int32  // positions, ascending for each term
}

// newPostingList builds the posting list of the terms at spans, whose bytes are in all.
func newPostingList(all string, spans []termSpan) postingList {
	slices.SortFunc(spans, func(a, b termSpan) int {
		if c := strings.Compare(all[a.start:a.end], all[b.start:b.end]); c != 0 {
			return c
		}
		return int(a.pos - b.pos)
	})
	var p postingList
	p.pos = make([]int32, len(spans))
	distinct := 0
	for i, sp := range spans {
		if i == 0 || all[sp.start:sp.end] != all[spans[i-1].start:spans[i-1].end] {
			distinct++
		}
	}
	p.terms = make([]string, 0, distinct)
	p.ends = make([]int32, 0, distinct)
	for i, sp := range spans {
		term := all[sp.start:sp.end]
		if i > 0 && term != p.terms[len(p.terms)-1] {
			p.ends = append(p.ends, int32(i))
		}
		if i == 0 || term != p.terms[len(p.terms)-1] {
			p.terms = append(p.terms, term)
		}
		p.pos[i] = sp.pos
	}
	if len(spans) > 0 {
		p.ends = append(p.ends, int32(len(spans)))
	}
	return p
}

// find returns the index of term in p.terms, or -1.
func (p *postingList) find(term string) int {
	i, ok := slices.BinarySearch(p.terms, term)
	if !ok {
		return -1
	}
	return i
}

// positions returns the positions of the i-th term.
func (p *postingList) positions(i int) []int32 {
	start := int32(0)
	if i > 0 {
		start = p.ends[i-1]
	}
	return p.pos[start:p.ends[i]]
}

// prefixRange returns the indexes [lo, hi) of the terms that start with prefix.
func (p *postingList) prefixRange(prefix string) (lo, hi int) {
	lo, _ = slices.BinarySearch(p.terms, prefix)
	hi = lo
	for hi < len(p.terms) && strings.HasPrefix(p.terms[hi], prefix) {
		hi++
	}
	return lo, hi
}

// hasAt reports whether term (a prefix when prefix is set) occurs at position at.
func (p *postingList) hasAt(term string, prefix bool, at int32) bool {
	if !prefix {
		i := p.find(term)
		return i >= 0 && containsPos(p.positions(i), at)
	}
	lo, hi := p.prefixRange(term)
	for i := lo; i < hi; i++ {
		if containsPos(p.positions(i), at) {
			return true
		}
	}
	return false
}

// phrase reports whether the terms occur consecutively; when prefix is set the last term is a
// prefix of the term at its place.
func (p *postingList) phrase(terms []string, prefix bool) bool {
	if len(terms) == 1 {
		if prefix {
			lo, hi := p.prefixRange(terms[0])
			return lo < hi
		}
		return p.find(terms[0]) >= 0
	}
	first := p.find(terms[0])
	if first < 0 {
		return false
	}
	last := len(terms) - 1
	for _, start := range p.positions(first) {
		k := 1
		for ; k <= last; k++ {
			if !p.hasAt(terms[k], prefix && k == last, start+int32(k)) {
				break
			}
		}
		if k > last {
			return true
		}
	}
	return false
}

// appendPrefixed appends the terms that start with prefix.
func (p *postingList) appendPrefixed(dst []string, prefix string) []string {
	lo, hi := p.prefixRange(prefix)
	return append(dst, p.terms[lo:hi]...)
}

// containsPos reports whether the ascending list ps holds at.
func containsPos(ps []int32, at int32) bool {
	_, ok := slices.BinarySearch(ps, at)
	return ok
}
