package sources

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// hashID returns a short hex id for parts: the first 8 bytes of the SHA-256 of the parts
// joined by NUL bytes, 16 hex digits.
func hashID(parts ...string) string {
	h := sha256.New()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// normTitle returns the form of a title its id is derived from: lower case, diacritics
// removed, every run of characters that are neither letters nor digits collapsed into one
// space, the ends trimmed. "Türkiye ‘ready’ — talks!" and "turkiye 'ready' talks" agree.
func normTitle(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining mark: the diacritic of the letter before it
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if gap && b.Len() > 0 {
				b.WriteByte(' ')
			}
			gap = false
			b.WriteRune(unicode.ToLower(r))
		default:
			gap = true
		}
	}
	return b.String()
}

// uniqueIDs makes the ids of entries unique, deterministically. Entries are visited from
// the last to the first, so on a page where updates are added at the top the entry that was
// there first keeps its plain id; a later entry whose id is taken gets alt(base, n) for the
// smallest n ≥ 2 not taken yet.
func uniqueIDs(entries []Entry, alt func(base string, n int) string) {
	taken := make(map[string]bool, len(entries))
	next := make(map[string]int) // the n to try first for a base, so k copies cost O(k)
	for i := len(entries) - 1; i >= 0; i-- {
		base := entries[i].ID
		id := base
		if taken[id] {
			n := max(next[base], 2)
			id = alt(base, n)
			for taken[id] {
				n++
				id = alt(base, n)
			}
			next[base] = n + 1
		}
		taken[id] = true
		entries[i].ID = id
	}
}

// suffixID is an alt for uniqueIDs that appends "~n" to the id: for ids that are a
// feed's own (GUIDs, links), which stay readable.
func suffixID(base string, n int) string {
	return base + "~" + strconv.Itoa(n)
}

// hashedID is an alt for uniqueIDs that hashes the id with n: for the hashed ids of
// live-blog updates, which all parsers make alike.
func hashedID(base string, n int) string {
	return hashID(base, strconv.Itoa(n))
}

// minuteTitleID is the id of a live-blog update from its UTC minute and normalised title.
// The text, JSON-LD and selector parsers all use it, so that one update read from the
// page's text, its JSON-LD or its markup gets one id.
func minuteTitleID(source string, at time.Time, title string) string {
	return hashID(source, at.UTC().Format("2006-01-02T15:04Z"), normTitle(title))
}

// permalinkID is the id of a structured entry that has a permalink: the permalink names it
// whatever its title and time, which an editor may change.
func permalinkID(source, permalink string) string {
	return hashID(source, "url", permalink)
}
