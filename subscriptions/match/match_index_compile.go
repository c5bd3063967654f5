package match

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// querySource is one distinct query text to compile into a unit: parsed, or copied from unit
// prev of the index being replaced when prev >= 0.
type querySource struct {
	text string
	prev int32
}

// compileQueries compiles each source into one unit, in order, leaving out those that do not
// parse, and returns the builder holding them with each source's error (nil for the compiled
// ones, which are units 0, 1, ... in the order of srcs). prev is the index the sources' prev
// units are in; it is read only.
//
// The work is spread over GOMAXPROCS goroutines, which return before compileQueries does:
// each compiles runs of consecutive sources into builders of their own, with their own term
// dictionaries, and the runs are then joined in order. A parse tree is garbage as soon as it
// is compiled, so the heap stays small and the collector has little to do.
func compileQueries(srcs []querySource, prev *matchIndex) (*matchIndexBuilder, []error) {
	errs := make([]error, len(srcs))
	workers := min(runtime.GOMAXPROCS(0), len(srcs)/1000+1)
	// A few runs a goroutine, so that one the machine runs less often does not hold up the
	// others; not many more, as each run's dictionary is joined on its own.
	run := max(1000, (len(srcs)+4*workers-1)/(4*workers))
	parts := make([]*matchIndexBuilder, (len(srcs)+run-1)/run)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for p := int(next.Add(1) - 1); p < len(parts); p = int(next.Add(1) - 1) {
				lo, hi := p*run, min((p+1)*run, len(srcs))
				parts[p] = compileRun(srcs[lo:hi], prev, errs[lo:hi])
			}
		})
	}
	wg.Wait()
	return joinBuilders(parts), errs
}

// compileRun compiles srcs into a new builder, setting errs[i] for a source that does not
// parse.
func compileRun(srcs []querySource, prev *matchIndex, errs []error) *matchIndexBuilder {
	b := newMatchIndexBuilder()
	for i, s := range srcs {
		if s.prev >= 0 {
			b.addFrom(prev, uint32(s.prev))
			continue
		}
		root, err := parseQueryForIndex(s.text)
		if err != nil {
			errs[i] = err
			continue
		}
		b.add(root)
	}
	return b
}

// parseQueryForIndex parses a query as ParseQuery does, returning only the tree.
func parseQueryForIndex(text string) (*queryNode, error) {
	if utf8.RuneCountInString(text) > maxQueryLen && !isRegexQuery(text) {
		_, err := ParseQuery(text)
		return nil, err
	}
	root, _, e := parseQueryTree(text)
	if e != nil {
		_, err := ParseQuery(text) // for the error as ParseQuery words it
		return nil, err
	}
	return root, nil
}

// joinBuilders returns a builder with the units of parts, in order.
func joinBuilders(parts []*matchIndexBuilder) *matchIndexBuilder {
	switch len(parts) {
	case 0:
		return newMatchIndexBuilder()
	case 1:
		return parts[0]
	}
	var nodes, terms, roots int
	for _, p := range parts {
		nodes, terms, roots = nodes+len(p.ix.nodes), terms+len(p.ix.terms), roots+len(p.ix.roots)
	}
	b := newMatchIndexBuilder()
	b.ix.nodes = make([]matchNode, 0, nodes)
	b.ix.terms = make([]uint32, 0, terms)
	b.ix.roots = make([]uint32, 0, roots)
	for _, p := range parts {
		b.appendUnits(p)
	}
	return b
}

// appendUnits appends the units of part after b's, in order, with b's term ids. part is
// spent.
func (b *matchIndexBuilder) appendUnits(part *matchIndexBuilder) {
	ids := make([]uint32, len(part.ix.words)) // part's term id → b's
	for i, w := range part.ix.words {
		ids[i] = b.id(w)
	}
	nodeBase, termBase := uint32(len(b.ix.nodes)), uint32(len(b.ix.terms))
	regexBase := uint32(len(b.ix.regexes))
	b.ix.regexes = append(b.ix.regexes, part.ix.regexes...)
	for _, n := range part.ix.nodes {
		switch n.op {
		case opLeaf:
			n.first += termBase
		case opRegex:
			n.first += regexBase
		default:
			n.first += nodeBase
		}
		b.ix.nodes = append(b.ix.nodes, n)
	}
	for _, t := range part.ix.terms {
		b.ix.terms = append(b.ix.terms, ids[t])
	}
	for _, r := range part.ix.roots {
		b.ix.roots = append(b.ix.roots, r+nodeBase)
	}
}
