package subscriptions

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"livealert/subscriptions/match"
)

// An alert's subscription ids and terms are kept on its outbox row as two JSON arrays
// (subscription_ids, terms): written by the same multi-row INSERT that queues the alert and
// read by the same SELECT that takes it, with no second table to insert into or join. NULL in
// both marks an alert queued before they were recorded (see legacyMatched).

// appendJSONInts appends ids as a JSON array.
func appendJSONInts(dst []byte, ids []int64) []byte {
	dst = append(dst, '[')
	for i, id := range ids {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendInt(dst, id, 10)
	}
	return append(dst, ']')
}

// appendJSONStrings appends ss as a JSON array of strings. Invalid UTF-8 is written as
// U+FFFD, as encoding/json does.
func appendJSONStrings(dst []byte, ss []string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		for k := 0; k < len(s); {
			c := s[k]
			if c < utf8.RuneSelf {
				switch {
				case c == '"' || c == '\\':
					dst = append(dst, '\\', c)
				case c < 0x20:
					dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
				default:
					dst = append(dst, c)
				}
				k++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[k:])
			if r == utf8.RuneError && size == 1 {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			} else {
				dst = append(dst, s[k:k+size]...)
			}
			k += size
		}
		dst = append(dst, '"')
	}
	return append(dst, ']')
}

// decodeMatched fills an alert's SubscriptionIDs and Terms from its row's columns.
func decodeMatched(d *Delivery, ids, terms string) error {
	var err error
	if d.SubscriptionIDs, err = decodeJSONInts(ids); err != nil {
		return fmt.Errorf("outbox %d: subscription ids: %w", d.ID, err)
	}
	if d.Terms, err = decodeJSONStrings(terms); err != nil {
		return fmt.Errorf("outbox %d: terms: %w", d.ID, err)
	}
	return nil
}

// decodeJSONInts reads a JSON array of integers as appendJSONInts writes it.
func decodeJSONInts(s string) ([]int64, error) {
	inner, opened := strings.CutPrefix(s, "[")
	inner, closed := strings.CutSuffix(inner, "]")
	if !opened || !closed || inner == "" {
		var out []int64
		return out, json.Unmarshal([]byte(s), &out)
	}
	out := make([]int64, 0, strings.Count(inner, ",")+1)
	for f := range strings.SplitSeq(inner, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// decodeJSONStrings reads a JSON array of strings. Without a backslash, no element can hold
// a quote, so the elements are what lies between the `","` separators; anything else is
// left to encoding/json.
func decodeJSONStrings(s string) ([]string, error) {
	if !strings.Contains(s, `\`) {
		if inner, ok := strings.CutPrefix(s, `["`); ok {
			if inner, ok = strings.CutSuffix(inner, `"]`); ok {
				return strings.Split(inner, `","`), nil
			}
		}
	}
	var out []string
	return out, json.Unmarshal([]byte(s), &out)
}

// legacyMatched works out, for an alert queued before its subscription ids and terms were
// recorded, what Ingest records now: the subscription the matcher shows as each label (0
// when it has none: gone, or a topic no longer offered) and the terms of the entry that the
// labels' topics or queries match.
func legacyMatched(d *Delivery, matcher *match.Matcher, catalog *match.Catalog) {
	doc := match.NewEntryDocument(d.Entry.Source, d.Entry.Title, d.Entry.Body)
	d.SubscriptionIDs = make([]int64, len(d.Labels))
	var terms []string
	for i, label := range d.Labels {
		d.SubscriptionIDs[i], _ = matcher.SubscriptionFor(d.ChatID, d.ThreadID, label)
		if ct, ok := catalog.Compiled(label); ok {
			terms = append(terms, ct.MatchedTerms(doc)...)
		} else if q, err := match.ParseQuery(label); err == nil {
			terms = append(terms, q.MatchedTerms(doc)...)
		}
	}
	slices.Sort(terms)
	d.Terms = slices.Compact(terms)
}
