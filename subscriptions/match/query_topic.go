package match

import (
	"fmt"
)

// Topic is a catalog entry of the config: a named subject chats can follow without writing a
// query.
type Topic struct {
	Name        string
	Description string
	// Keywords are queries; the topic matches an entry that any of them matches.
	Keywords []string
	// Exclude are queries; an entry any of them matches is not the topic's, whatever its
	// keywords say.
	Exclude []string
	// Names are the topic's name in other languages, by language code ("uk": "Дрони"); a
	// topic is found by any of them as by Name.
	Names map[string]string
}

// NameIn is the topic's name in a language: its translation, else Name.
func (t Topic) NameIn(lang string) string {
	if n := t.Names[lang]; n != "" {
		return n
	}
	return t.Name
}

// CompiledTopic is a Topic with its queries parsed. It is immutable and safe for concurrent
// use.
type CompiledTopic struct {
	Topic    Topic
	keywords []*Query
	exclude  []*Query
}

// compileTopic parses the topic's keywords and exclusions. An error names the topic and the
// bad keyword or exclusion, and wraps its *QueryError. A topic needs at least one keyword.
func compileTopic(t Topic) (*CompiledTopic, error) {
	if len(t.Keywords) == 0 {
		return nil, fmt.Errorf("match: topic %q: no keywords", t.Name)
	}
	ct := &CompiledTopic{Topic: t}
	for i, k := range t.Keywords {
		q, err := ParseQuery(k)
		if err != nil {
			return nil, fmt.Errorf("match: topic %q: keyword %d %q: %w", t.Name, i+1, k, err)
		}
		ct.keywords = append(ct.keywords, q)
	}
	for i, k := range t.Exclude {
		q, err := ParseQuery(k)
		if err != nil {
			return nil, fmt.Errorf("match: topic %q: exclusion %d %q: %w", t.Name, i+1, k, err)
		}
		ct.exclude = append(ct.exclude, q)
	}
	return ct, nil
}

// Match reports whether some keyword query matches the document and no exclusion does.
func (ct *CompiledTopic) Match(d *Document) bool {
	for _, q := range ct.keywords {
		if q.Match(d) {
			return !ct.excluded(d)
		}
	}
	return false
}

// MatchedTerms returns the distinct document terms that made the topic match (those of every
// matching keyword), sorted, for highlighting; nil when the topic does not match.
func (ct *CompiledTopic) MatchedTerms(d *Document) []string {
	var hits []string
	matched := false
	for _, q := range ct.keywords {
		if h := q.MatchedTerms(d); h != nil {
			matched = true
			hits = append(hits, h...)
		}
	}
	if !matched || ct.excluded(d) {
		return nil
	}
	return uniqueSorted(hits)
}

// sortedTerms returns the distinct terms of the topic's keywords (see Query.sortedTerms), sorted.
func (ct *CompiledTopic) sortedTerms() []string {
	var terms []string
	for _, q := range ct.keywords {
		terms = append(terms, q.terms...)
	}
	return uniqueSorted(terms)
}

func (ct *CompiledTopic) excluded(d *Document) bool {
	for _, q := range ct.exclude {
		if q.Match(d) {
			return true
		}
	}
	return false
}
