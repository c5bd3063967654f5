package match

import (
	"slices"
	"strings"
	"sync"
)

// This file holds the compact compiled form of many queries and the inverted index that
// pre-filters them, the way Lucene's Monitor and the Elasticsearch percolator do: each query
// is indexed under one term it cannot match without per OR alternative (the rarest among the
// indexed queries), so a document is verified only against the queries indexed under one of
// its terms. Every leaf of a valid query has a term and every way a valid query matches goes
// through a leaf outside exclusions, so every query has such terms; a prefix is indexed as a
// prefix and found through the prefixes of the document's terms. The exception is a regular
// expression with no word it requires (see query_regex.go): a unit that has no keys is
// verified against every document.

// matchNode is one node of a compiled query, 8 bytes: the kids of a list node are
// nodes[first:first+n], the terms of a leaf are terms[first:first+n] (ids in the dictionary),
// a regex is regexes[first].
type matchNode struct {
	op    queryOp
	flags uint8 // leafTitle, leafPrefix
	n     uint16
	first uint32
}

const (
	leafTitle  uint8 = 1 << iota // only the title counts
	leafPrefix                   // the last term is a prefix
)

// matchIndex is an immutable set of compiled queries ("units", numbered from 0) with the
// inverted index over them. It is safe for concurrent use.
type matchIndex struct {
	words   []string          // term id → term (a prefix without its star)
	ids     map[string]uint32 // term → id
	nodes   []matchNode       // every unit's nodes
	terms   []uint32          // every leaf's term ids
	roots   []uint32          // unit → its root in nodes
	exact   []uint32          // postings of exact terms, CSR: units of term id t are exact[starts[t]:starts[t+1]]
	starts  []uint32
	prefix  map[string][]uint32 // prefix → units indexed under it
	maxPre  int                 // longest prefix in bytes, 0 when there is none
	regexes []*queryNode        // the regex leaves of every unit
	always  []uint32            // units with no keys: candidates for every document
	seen    sync.Pool           // of empty *unitSet of every unit, for candidates
}

// matchIndexBuilder compiles queries into a matchIndex.
type matchIndexBuilder struct {
	ix matchIndex
}

// indexKey is a term a unit is indexed under.
type indexKey struct {
	id     uint32
	prefix bool
}

func newMatchIndexBuilder() *matchIndexBuilder {
	return &matchIndexBuilder{ix: matchIndex{ids: map[string]uint32{}, prefix: map[string][]uint32{}}}
}

// add compiles a query tree as the next unit and returns its number.
func (b *matchIndexBuilder) add(root *queryNode) uint32 {
	unit := uint32(len(b.ix.roots))
	slot := len(b.ix.nodes)
	b.ix.nodes = append(b.ix.nodes, matchNode{})
	b.place(slot, root)
	b.ix.roots = append(b.ix.roots, uint32(slot))
	return unit
}

// addTopic compiles a catalog topic as the next unit: any keyword and no exclusion.
func (b *matchIndexBuilder) addTopic(ct *CompiledTopic) uint32 {
	kw := make([]*queryNode, len(ct.keywords))
	for i, q := range ct.keywords {
		kw[i] = q.root
	}
	// Built by hand, not by newListNode: keywords are not deduplicated by rendering, which
	// costs nothing here, and an exclusion with a NOT inside stays as it was written.
	var root *queryNode
	if len(kw) == 1 {
		root = kw[0]
	} else {
		root = &queryNode{op: opOr, kids: kw}
	}
	if len(ct.exclude) > 0 {
		and := &queryNode{op: opAnd, kids: []*queryNode{root}}
		for _, q := range ct.exclude {
			and.kids = append(and.kids, &queryNode{op: opNot, kids: []*queryNode{q.root}})
		}
		root = and
	}
	return b.add(root)
}

// place compiles n into nodes[slot].
func (b *matchIndexBuilder) place(slot int, n *queryNode) {
	if n.op == opRegex {
		b.placeRegex(slot, n)
		return
	}
	if n.op == opLeaf {
		var flags uint8
		if n.title {
			flags |= leafTitle
		}
		if n.prefix {
			flags |= leafPrefix
		}
		first := uint32(len(b.ix.terms))
		for _, t := range n.terms {
			b.ix.terms = append(b.ix.terms, b.id(t))
		}
		b.ix.nodes[slot] = matchNode{op: opLeaf, flags: flags, n: uint16(len(n.terms)), first: first}
		return
	}
	first := len(b.ix.nodes)
	b.ix.nodes = append(b.ix.nodes, make([]matchNode, len(n.kids))...)
	b.ix.nodes[slot] = matchNode{op: n.op, n: uint16(len(n.kids)), first: uint32(first)}
	for i, k := range n.kids {
		b.place(first+i, k)
	}
}

// placeRegex compiles the regex leaf n into nodes[slot], its required word into the
// dictionary.
func (b *matchIndexBuilder) placeRegex(slot int, n *queryNode) {
	if n.key != "" {
		b.id(n.key)
	}
	b.ix.nodes[slot] = matchNode{op: opRegex, first: uint32(len(b.ix.regexes))}
	b.ix.regexes = append(b.ix.regexes, n)
}

// id returns the dictionary id of a term, adding it when new.
func (b *matchIndexBuilder) id(term string) uint32 {
	if id, ok := b.ix.ids[term]; ok {
		return id
	}
	id := uint32(len(b.ix.words))
	term = strings.Clone(term) // not a piece of a larger string kept alive
	b.ix.ids[term] = id
	b.ix.words = append(b.ix.words, term)
	return id
}

// addFrom copies unit u of another index as the next unit, and returns its number: a query
// compiled once is not parsed again when the index is rebuilt.
func (b *matchIndexBuilder) addFrom(src *matchIndex, u uint32) uint32 {
	unit := uint32(len(b.ix.roots))
	slot := len(b.ix.nodes)
	b.ix.nodes = append(b.ix.nodes, matchNode{})
	b.copyNode(src, src.roots[u], slot)
	b.ix.roots = append(b.ix.roots, uint32(slot))
	return unit
}

// copyNode copies node i of src, and what is under it, into nodes[slot].
func (b *matchIndexBuilder) copyNode(src *matchIndex, i uint32, slot int) {
	n := src.nodes[i]
	if n.op == opRegex {
		b.placeRegex(slot, src.regexes[n.first])
		return
	}
	if n.op == opLeaf {
		first := uint32(len(b.ix.terms))
		for _, t := range src.terms[n.first : n.first+uint32(n.n)] {
			b.ix.terms = append(b.ix.terms, b.id(src.words[t]))
		}
		n.first = first
		b.ix.nodes[slot] = n
		return
	}
	first := len(b.ix.nodes)
	b.ix.nodes = append(b.ix.nodes, make([]matchNode, n.n)...)
	b.ix.nodes[slot] = matchNode{op: n.op, n: n.n, first: uint32(first)}
	for k := range int(n.n) {
		b.copyNode(src, n.first+uint32(k), first+k)
	}
}

// build chooses the terms each unit is indexed under and returns the index; the builder is
// spent.
func (b *matchIndexBuilder) build() *matchIndex {
	ix := &b.ix
	// How many units have each term outside exclusions: the proxy for how often it occurs.
	weight := make([]uint32, len(ix.words))
	var seen []uint32
	for u := range ix.roots {
		seen = ix.appendPositiveTerms(seen[:0], ix.roots[u])
		slices.Sort(seen)
		for _, id := range slices.Compact(seen) {
			weight[id]++
		}
	}
	counts := make([]uint32, len(ix.words)+1)
	keyStarts := make([]uint32, len(ix.roots)+1) // unit u's keys are keys[keyStarts[u]:keyStarts[u+1]]
	var keys []indexKey
	for u := range ix.roots {
		from := len(keys)
		var ok bool
		if keys, ok = ix.requiredKeys(keys, ix.roots[u], weight); !ok {
			ix.always = append(ix.always, uint32(u)) // a regex with no word it requires
		}
		mine := keys[from:]
		slices.SortFunc(mine, func(a, b indexKey) int {
			if a.id != b.id {
				return int(a.id) - int(b.id)
			}
			return boolInt(a.prefix) - boolInt(b.prefix)
		})
		keys = append(keys[:from], slices.Compact(mine)...)
		keyStarts[u+1] = uint32(len(keys))
		for _, k := range keys[from:] {
			if !k.prefix {
				counts[k.id+1]++
			}
		}
	}
	ix.starts = make([]uint32, len(ix.words)+1)
	for t := 1; t <= len(ix.words); t++ {
		ix.starts[t] = ix.starts[t-1] + counts[t]
	}
	ix.exact = make([]uint32, ix.starts[len(ix.words)])
	fill := slices.Clone(ix.starts[:len(ix.words)])
	for u := range ix.roots {
		for _, k := range keys[keyStarts[u]:keyStarts[u+1]] {
			if k.prefix {
				p := ix.words[k.id]
				ix.prefix[p] = append(ix.prefix[p], uint32(u))
				ix.maxPre = max(ix.maxPre, len(p))
				continue
			}
			ix.exact[fill[k.id]] = uint32(u)
			fill[k.id]++
		}
	}
	ix.nodes = slices.Clip(ix.nodes)
	ix.terms = slices.Clip(ix.terms)
	ix.roots = slices.Clip(ix.roots)
	units := len(ix.roots)
	ix.seen.New = func() any { s := make(unitSet, (units+63)/64); return &s }
	return ix
}

// appendPositiveTerms appends the term ids of the leaves under node i outside exclusions.
func (ix *matchIndex) appendPositiveTerms(dst []uint32, i uint32) []uint32 {
	n := ix.nodes[i]
	switch n.op {
	case opLeaf:
		return append(dst, ix.terms[n.first:n.first+uint32(n.n)]...)
	case opAnd, opOr:
		for k := n.first; k < n.first+uint32(n.n); k++ {
			dst = ix.appendPositiveTerms(dst, k)
		}
	}
	return dst
}

// requiredKeys appends terms such that node i cannot match a document that has none of them:
// a leaf's lightest exact term (its prefix when it is a lone prefix), every alternative's
// keys for an OR, and for an AND the keys of the kid whose keys weigh least in all. It
// reports false, appending nothing, for a node that can match without any term of its own
// (an exclusion). dst past its length is scratch space, so building allocates little.
func (ix *matchIndex) requiredKeys(dst []indexKey, i uint32, weight []uint32) ([]indexKey, bool) {
	n := ix.nodes[i]
	base := len(dst)
	switch n.op {
	case opRegex:
		if key := ix.regexes[n.first].key; key != "" {
			return append(dst, indexKey{id: ix.ids[key]}), true
		}
		return dst, false
	case opLeaf:
		terms := ix.terms[n.first : n.first+uint32(n.n)]
		exact := terms
		if n.flags&leafPrefix != 0 {
			exact = terms[:len(terms)-1]
		}
		if len(exact) == 0 {
			return append(dst, indexKey{id: terms[0], prefix: true}), true
		}
		best := exact[0]
		for _, t := range exact[1:] {
			if weight[t] < weight[best] || weight[t] == weight[best] && len(ix.words[t]) > len(ix.words[best]) {
				best = t
			}
		}
		return append(dst, indexKey{id: best}), true
	case opOr:
		for k := n.first; k < n.first+uint32(n.n); k++ {
			var ok bool
			if dst, ok = ix.requiredKeys(dst, k, weight); !ok {
				return dst[:base], false
			}
		}
		return dst, true
	case opAnd:
		bestLen, bestCost := -1, uint64(0)
		for k := n.first; k < n.first+uint32(n.n); k++ {
			// The best so far is dst[base:base+bestLen]; the kid's keys go after it.
			from := len(dst)
			next, ok := ix.requiredKeys(dst, k, weight)
			if !ok {
				continue
			}
			cost := uint64(0)
			for _, key := range next[from:] {
				w := uint64(weight[key.id])
				if key.prefix {
					w += 1 << 20 // a prefix is looked up in a map and may stand for many words
				}
				cost += w
			}
			if bestLen < 0 || cost < bestCost {
				bestLen, bestCost = copy(next[base:], next[from:]), cost
			}
			dst = next[:base+max(bestLen, 0)]
		}
		return dst, bestLen >= 0
	}
	return dst, false
}

// indexedDoc is a document prepared for one index: its terms as the index's term ids.
type indexedDoc struct {
	title, body idField
	doc         *Document
}

// idField is one field of a document with the terms the index knows: their ids (in pairs),
// and an open-addressing table from id to the term's place in the field's posting list.
type idField struct {
	p     *postingList
	pairs []idPair
	slots []idPair // len a power of two; id+1 in key, 0 for an empty slot
}

type idPair struct {
	key uint32 // in pairs the id; in slots the id + 1
	idx int32  // in p.terms
}

// find returns the index in f.p.terms of the term with that id, or -1.
func (f *idField) find(id uint32) int {
	mask := uint32(len(f.slots) - 1)
	for h := (id * 0x9e3779b1) & mask; ; h = (h + 1) & mask {
		switch f.slots[h].key {
		case id + 1:
			return int(f.slots[h].idx)
		case 0:
			return -1
		}
	}
}

// prepare looks the document's terms up in the index.
func (ix *matchIndex) prepare(d *Document) *indexedDoc {
	x := &indexedDoc{title: idField{p: &d.title}, body: idField{p: &d.body}, doc: d}
	for _, f := range []*idField{&x.title, &x.body} {
		f.pairs = make([]idPair, 0, len(f.p.terms))
		for i, term := range f.p.terms {
			if id, ok := ix.ids[term]; ok {
				f.pairs = append(f.pairs, idPair{key: id, idx: int32(i)})
			}
		}
		size := 4
		for size < 2*len(f.pairs) {
			size *= 2
		}
		f.slots = make([]idPair, size)
		mask := uint32(size - 1)
		for _, pr := range f.pairs {
			h := (pr.key * 0x9e3779b1) & mask
			for f.slots[h].key != 0 {
				h = (h + 1) & mask
			}
			f.slots[h] = idPair{key: pr.key + 1, idx: pr.idx}
		}
	}
	return x
}

// candidates appends the units indexed under a term of x, each once, in no particular order.
func (ix *matchIndex) candidates(dst []uint32, x *indexedDoc) []uint32 {
	seen := ix.seen.Get().(*unitSet)
	from := len(dst)
	add := func(units []uint32) {
		for _, u := range units {
			if !seen.has(u) {
				seen.add(u)
				dst = append(dst, u)
			}
		}
	}
	add(ix.always)
	for _, f := range []*idField{&x.title, &x.body} {
		for _, pr := range f.pairs {
			add(ix.exact[ix.starts[pr.key]:ix.starts[pr.key+1]])
		}
		if ix.maxPre == 0 {
			continue
		}
		for _, term := range f.p.terms {
			for i := range term { // i runs over the starts of runes
				if i > ix.maxPre {
					break
				}
				if i > 0 {
					add(ix.prefix[term[:i]])
				}
			}
			if len(term) <= ix.maxPre {
				add(ix.prefix[term])
			}
		}
	}
	for _, u := range dst[from:] {
		seen.remove(u)
	}
	ix.seen.Put(seen) // empty again
	return dst
}

// unitSet is a set of units as a bitmap.
type unitSet []uint64

func (s unitSet) has(u uint32) bool { return s[u/64]&(1<<(u%64)) != 0 }
func (s unitSet) add(u uint32)      { s[u/64] |= 1 << (u % 64) }
func (s unitSet) remove(u uint32)   { s[u/64] &^= 1 << (u % 64) }

// match reports whether unit u matches x.
func (ix *matchIndex) match(u uint32, x *indexedDoc) bool { return ix.matchNode(ix.roots[u], x) }

func (ix *matchIndex) matchNode(i uint32, x *indexedDoc) bool {
	n := ix.nodes[i]
	switch n.op {
	case opRegex:
		_, ok := regexMatch(ix.regexes[n.first].re, x.doc)
		return ok
	case opLeaf:
		terms := ix.terms[n.first : n.first+uint32(n.n)]
		prefix := n.flags&leafPrefix != 0
		return ix.phrase(&x.title, terms, prefix) || n.flags&leafTitle == 0 && ix.phrase(&x.body, terms, prefix)
	case opAnd:
		for k := n.first; k < n.first+uint32(n.n); k++ {
			if !ix.matchNode(k, x) {
				return false
			}
		}
		return true
	case opOr:
		for k := n.first; k < n.first+uint32(n.n); k++ {
			if ix.matchNode(k, x) {
				return true
			}
		}
		return false
	case opNot:
		return !ix.matchNode(n.first, x)
	}
	panic("match: unknown query op")
}

// matchedTerms returns the distinct document terms that made unit u match x, sorted, as
// Query.MatchedTerms does for the query the unit was compiled from; nil when it does not match.
func (ix *matchIndex) matchedTerms(u uint32, x *indexedDoc) []string {
	hits := []string{}
	if !ix.collectTerms(ix.roots[u], x, &hits) {
		return nil
	}
	return uniqueSorted(hits)
}

// collectTerms is matchNode that, when node i matches, appends to *hits the terms that made
// it match: queryNode.match over the compiled form.
func (ix *matchIndex) collectTerms(i uint32, x *indexedDoc, hits *[]string) bool {
	n := ix.nodes[i]
	switch n.op {
	case opRegex:
		found, ok := regexMatch(ix.regexes[n.first].re, x.doc)
		if ok {
			*hits = append(*hits, tokenTerms(found)...)
		}
		return ok
	case opLeaf:
		if !ix.matchNode(i, x) {
			return false
		}
		terms := ix.terms[n.first : n.first+uint32(n.n)]
		last := len(terms) - 1
		for _, t := range terms[:last] {
			*hits = append(*hits, ix.words[t])
		}
		if n.flags&leafPrefix == 0 {
			*hits = append(*hits, ix.words[terms[last]])
			return true
		}
		*hits = x.title.p.appendPrefixed(*hits, ix.words[terms[last]])
		if n.flags&leafTitle == 0 {
			*hits = x.body.p.appendPrefixed(*hits, ix.words[terms[last]])
		}
		return true
	case opAnd:
		mark := len(*hits)
		for k := n.first; k < n.first+uint32(n.n); k++ {
			if !ix.collectTerms(k, x, hits) {
				*hits = (*hits)[:mark]
				return false
			}
		}
		return true
	case opOr:
		ok := false
		for k := n.first; k < n.first+uint32(n.n); k++ {
			if ix.collectTerms(k, x, hits) {
				ok = true
			}
		}
		return ok
	case opNot:
		return !ix.matchNode(n.first, x)
	}
	panic("match: unknown query op")
}

// phrase is postingList.phrase for terms given by id.
func (ix *matchIndex) phrase(f *idField, terms []uint32, prefix bool) bool {
	last := len(terms) - 1
	if last == 0 {
		if prefix {
			lo, hi := f.p.prefixRange(ix.words[terms[0]])
			return lo < hi
		}
		return f.find(terms[0]) >= 0
	}
	first := f.find(terms[0])
	if first < 0 {
		return false
	}
	var buf [8]int
	rest := buf[:0] // the posting index of each later exact term
	if last > len(buf) {
		rest = make([]int, 0, last)
	}
	rest = rest[:last]
	for k := 1; k <= last; k++ {
		if prefix && k == last {
			continue
		}
		if rest[k-1] = f.find(terms[k]); rest[k-1] < 0 {
			return false
		}
	}
	for _, start := range f.p.positions(first) {
		k := 1
		for ; k <= last; k++ {
			at := start + int32(k)
			if prefix && k == last {
				if !f.p.hasAt(ix.words[terms[k]], true, at) {
					break
				}
			} else if !containsPos(f.p.positions(rest[k-1]), at) {
				break
			}
		}
		if k > last {
			return true
		}
	}
	return false
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
