package match

// match reports whether d matches the node; when it does and hits is not nil, the terms that
// made it match are appended to *hits.
func (n *queryNode) match(d *Document, hits *[]string) bool {
	switch n.op {
	case opRegex:
		found, ok := regexMatch(n.re, d)
		if ok && hits != nil {
			*hits = append(*hits, tokenTerms(found)...)
		}
		return ok
	case opLeaf:
		ok := d.title.phrase(n.terms, n.prefix) || !n.title && d.body.phrase(n.terms, n.prefix)
		if ok && hits != nil {
			n.appendHits(d, hits)
		}
		return ok
	case opAnd:
		mark := 0
		if hits != nil {
			mark = len(*hits)
		}
		for _, k := range n.kids {
			if !k.match(d, hits) {
				if hits != nil {
					*hits = (*hits)[:mark]
				}
				return false
			}
		}
		return true
	case opOr:
		ok := false
		for _, k := range n.kids {
			if k.match(d, hits) {
				ok = true
				if hits == nil {
					break
				}
			}
		}
		return ok
	case opNot:
		return !n.kids[0].match(d, nil)
	}
	panic("match: unknown query op")
}

// appendHits appends the document terms a matching leaf stands for.
func (n *queryNode) appendHits(d *Document, hits *[]string) {
	last := len(n.terms) - 1
	*hits = append(*hits, n.terms[:last]...)
	if !n.prefix {
		*hits = append(*hits, n.terms[last])
		return
	}
	*hits = d.title.appendPrefixed(*hits, n.terms[last])
	if !n.title {
		*hits = d.body.appendPrefixed(*hits, n.terms[last])
	}
}
