package sources

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// jsonLDResult is what parseJSONLD found.
type jsonLDResult struct {
	// Entries are the updates of every LiveBlogPosting found, in document order.
	Entries []Entry
	// Postings counts the LiveBlogPosting objects found (with or without updates).
	Postings int
	// PerUpdateTimes is false when the updates' datePublished values are not the updates'
	// own times: two or more updates that all carry the same one (the Guardian gives every
	// update the page's datePublished), or an update without one. Entries then have a zero
	// Published, and callers date them otherwise (page markup, or the time first seen).
	PerUpdateTimes bool
}

// jsonLDOptions carry what the JSON-LD reader knows of a page besides its scripts.
type jsonLDOptions struct {
	// PageURL is the page's address: relative update URLs are resolved against it.
	PageURL string
}

// parseJSONLD reads the schema.org LiveBlogPosting objects of JSON-LD documents (the
// contents of <script type="application/ld+json"> elements, or a bare JSON-LD file). A
// document may be one object, an array of objects, or an object with an @graph; a posting
// may also sit under mainEntity. Updates are read from liveBlogUpdate, else blogPosts, else
// updates, each an object or an array.
//
// For each update:
//   - Title is the headline (else name), HTML entities decoded and tags stripped; when it is
//     empty or the posting's own headline (the Guardian repeats it on every update), the
//     title is made from the body instead (leadTitle).
//   - Body is articleBody (else text, else description) as plain paragraphs.
//   - Published is datePublished (else dateCreated) in UTC, offsets honoured; zero when the
//     result does not have PerUpdateTimes.
//   - URL is the update's url resolved against the page when it differs from the page's
//     address (a "#fragment" permalink); else "".
//   - ID is a hash of the source and the permalink when there is one, else of the source and
//     the update's @id, else of the source, the UTC minute and the normalised title, as the
//     live-blog text parser does. Ids are made unique as uniqueIDs does.
//
// Documents that are not valid JSON are skipped; it is an error only when none of them is
// valid JSON. It never panics.
func parseJSONLD(source string, docs [][]byte, opts jsonLDOptions) (jsonLDResult, error) {
	var (
		r       jsonldReader
		valid   int
		lastErr error
	)
	r.page, _ = url.Parse(opts.PageURL)
	for _, doc := range docs {
		doc = bytes.TrimSpace(doc)
		if len(doc) == 0 {
			continue
		}
		if ok, err := r.readFast(doc); err != nil {
			lastErr = err
			continue
		} else if !ok {
			if err := r.readValue(json.RawMessage(doc), 0); err != nil {
				lastErr = err
				continue
			}
		}
		valid++
	}
	if valid == 0 && lastErr != nil {
		return jsonLDResult{}, fmt.Errorf("sources: json-ld %q: %w", source, lastErr)
	}
	return r.result(source), nil
}

// maxJSONLDDepth bounds how deep parseJSONLD looks for postings.
const maxJSONLDDepth = 8

// jsonldReader gathers the updates of the postings of one page.
type jsonldReader struct {
	page     *url.URL
	postings int
	updates  []jsonldUpdate
	heads    []string // the headline of the posting of each update
	// headTitles caches the plain text of posting headlines.
	headTitles map[string]string
}

// jsonldNode holds the members of a JSON-LD object the reader looks at.
type jsonldNode struct {
	Type           ldStrings       `json:"@type"`
	Graph          json.RawMessage `json:"@graph"`
	MainEntity     json.RawMessage `json:"mainEntity"`
	Headline       ldString        `json:"headline"`
	LiveBlogUpdate json.RawMessage `json:"liveBlogUpdate"`
	BlogPosts      json.RawMessage `json:"blogPosts"`
	Updates        json.RawMessage `json:"updates"`
}

// jsonldUpdate holds the members of an update the reader uses.
type jsonldUpdate struct {
	ID            ldString `json:"@id"`
	Headline      ldString `json:"headline"`
	Name          ldString `json:"name"`
	ArticleBody   ldString `json:"articleBody"`
	Text          ldString `json:"text"`
	Description   ldString `json:"description"`
	DatePublished ldString `json:"datePublished"`
	DateCreated   ldString `json:"dateCreated"`
	URL           ldString `json:"url"`
}

// fastNode is jsonldNode for the usual shape of a document — @graph an array of objects,
// mainEntity an object, updates in arrays — which it decodes in one pass.
type fastNode struct {
	Type           ldStrings      `json:"@type"`
	Graph          []fastNode     `json:"@graph"`
	MainEntity     *fastNode      `json:"mainEntity"`
	Headline       ldString       `json:"headline"`
	LiveBlogUpdate []jsonldUpdate `json:"liveBlogUpdate"`
	BlogPosts      []jsonldUpdate `json:"blogPosts"`
	Updates        []jsonldUpdate `json:"updates"`
}

// readFast reads doc in one pass when it has the usual shape. It reports false, having
// read nothing, for a document of another shape (a type mismatch), which readValue then
// reads; and an error for one that is not JSON.
func (r *jsonldReader) readFast(doc []byte) (bool, error) {
	var nodes []fastNode
	var err error
	if doc[0] == '[' {
		err = json.Unmarshal(doc, &nodes)
	} else {
		var n fastNode
		err = json.Unmarshal(doc, &n)
		nodes = []fastNode{n}
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		return false, nil
	case err != nil:
		return false, err
	}
	var walk func(nodes []fastNode, depth int)
	walk = func(nodes []fastNode, depth int) {
		if depth > maxJSONLDDepth {
			return
		}
		for i := range nodes {
			n := &nodes[i]
			if n.Type.has("LiveBlogPosting") {
				r.postings++
				for _, list := range [][]jsonldUpdate{n.LiveBlogUpdate, n.BlogPosts, n.Updates} {
					if len(list) > 0 {
						r.addUpdates(list, string(n.Headline))
						break
					}
				}
			}
			walk(n.Graph, depth+1)
			if n.MainEntity != nil {
				walk([]fastNode{*n.MainEntity}, depth+1)
			}
		}
	}
	walk(nodes, 0)
	return true, nil
}

func (r *jsonldReader) addUpdates(list []jsonldUpdate, postingHeadline string) {
	r.updates = append(r.updates, list...)
	for range list {
		r.heads = append(r.heads, postingHeadline)
	}
}

func (r *jsonldReader) readValue(raw json.RawMessage, depth int) error {
	if depth > maxJSONLDDepth || len(raw) == 0 {
		return nil
	}
	switch raw[0] {
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return err
		}
		for _, it := range items {
			if err := r.readValue(it, depth+1); err != nil {
				return err
			}
		}
	case '{':
		var n jsonldNode
		if err := json.Unmarshal(raw, &n); err != nil {
			return err
		}
		if n.Type.has("LiveBlogPosting") {
			r.postings++
			for _, list := range []json.RawMessage{n.LiveBlogUpdate, n.BlogPosts, n.Updates} {
				if len(list) == 0 || bytes.Equal(list, []byte("null")) {
					continue
				}
				if err := r.readUpdates(list, string(n.Headline)); err != nil {
					return err
				}
				break
			}
		}
		if err := r.readValue(n.Graph, depth+1); err != nil {
			return err
		}
		return r.readValue(n.MainEntity, depth+1)
	}
	return nil
}

// readUpdates reads an update or an array of them.
func (r *jsonldReader) readUpdates(raw json.RawMessage, postingHeadline string) error {
	var list []jsonldUpdate
	if raw[0] == '{' {
		var u jsonldUpdate
		if err := json.Unmarshal(raw, &u); err != nil {
			return err
		}
		list = append(list, u)
	} else if err := json.Unmarshal(raw, &list); err != nil {
		return err
	}
	r.addUpdates(list, postingHeadline)
	return nil
}

func (r *jsonldReader) result(source string) jsonLDResult {
	res := jsonLDResult{Postings: r.postings, PerUpdateTimes: len(r.updates) > 0}
	times := make([]time.Time, len(r.updates))
	for i, u := range r.updates {
		raw := string(u.DatePublished)
		if raw == "" {
			raw = string(u.DateCreated)
		}
		t, ok := parseSchemaTime(raw)
		if !ok {
			res.PerUpdateTimes = false
		}
		times[i] = t
	}
	if len(times) > 1 {
		same := true
		for _, t := range times[1:] {
			if !t.Equal(times[0]) {
				same = false
				break
			}
		}
		if same {
			res.PerUpdateTimes = false
		}
	}
	entries := make([]Entry, 0, len(r.updates))
	for i, u := range r.updates {
		body := markupParagraphs(validUTF8(firstNonEmpty(string(u.ArticleBody), string(u.Text), string(u.Description))))
		title := markupText(validUTF8(firstNonEmpty(string(u.Headline), string(u.Name))))
		if (title == "" || (r.heads[i] != "" && title == r.postingTitle(i))) && len(body) > 0 {
			title, body = leadTitle(body)
		}
		if title == "" {
			continue
		}
		if len(body) == 0 {
			body = nil
		}
		e := Entry{Source: source, Title: title, Body: body, Hash: ContentHash(title, body)}
		if res.PerUpdateTimes {
			e.Published = times[i]
		}
		e.URL = r.permalink(string(u.URL))
		switch {
		case e.URL != "":
			e.ID = permalinkID(source, e.URL)
		case u.ID != "":
			e.ID = hashID(source, "@id", string(u.ID))
		default:
			e.ID = minuteTitleID(source, e.Published, title)
		}
		entries = append(entries, e)
	}
	uniqueIDs(entries, hashedID)
	res.Entries = entries
	return res
}

// postingTitle returns the plain-text headline of the posting of update i.
func (r *jsonldReader) postingTitle(i int) string {
	if r.headTitles == nil {
		r.headTitles = make(map[string]string)
	}
	t, ok := r.headTitles[r.heads[i]]
	if !ok {
		t = markupText(validUTF8(r.heads[i]))
		r.headTitles[r.heads[i]] = t
	}
	return t
}

// permalink resolves an update's url against the page. It is a permalink when it has a
// #fragment, or is a page of its own (another host or path than the page's); the page's
// own address is not.
func (r *jsonldReader) permalink(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if r.page != nil {
		u = r.page.ResolveReference(u)
	}
	if !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	if u.Fragment == "" && r.page != nil && pageLocation(u.String()) == pageLocation(r.page.String()) {
		return ""
	}
	return u.String()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// schemaTimeLayouts are the forms of schema.org dates seen on live blogs, tried in order.
// Layouts without a zone are read as UTC.
var schemaTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

// parseSchemaTime parses a schema.org date-time into UTC.
func parseSchemaTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range schemaTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// ldString is a JSON-LD value read as a string: a string, a number, the first of an array,
// or an object's @value (else its @id, else its url). Anything else is "".
type ldString string

func (s *ldString) UnmarshalJSON(b []byte) error {
	*s = ""
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		if len(b) >= 2 && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
			// No escapes: the literal is the string (the decoder checked it is one).
			*s = ldString(b[1 : len(b)-1])
			return nil
		}
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = ldString(v)
	case '[':
		var list []ldString
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		for _, v := range list {
			if v != "" {
				*s = v
				break
			}
		}
	case '{':
		var obj struct {
			Value ldString `json:"@value"`
			ID    ldString `json:"@id"`
			URL   ldString `json:"url"`
		}
		if err := json.Unmarshal(b, &obj); err != nil {
			return err
		}
		*s = ldString(firstNonEmpty(string(obj.Value), string(obj.ID), string(obj.URL)))
	case 'n', 't', 'f':
		// null, true, false
	default:
		*s = ldString(b) // a number
	}
	return nil
}

// ldStrings is a JSON-LD value that may be a string or an array of strings (@type).
type ldStrings []string

func (s *ldStrings) UnmarshalJSON(b []byte) error {
	*s = nil
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = ldStrings{v}
	case '[':
		var list []ldString
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		for _, v := range list {
			*s = append(*s, string(v))
		}
	}
	return nil
}

// has reports whether one of the types is name, with or without a schema.org prefix.
func (s ldStrings) has(name string) bool {
	for _, t := range s {
		t = strings.TrimPrefix(strings.TrimPrefix(t, "http://schema.org/"), "https://schema.org/")
		t = strings.TrimPrefix(t, "schema:")
		if t == name {
			return true
		}
	}
	return false
}
