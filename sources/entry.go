// Package sources knows what news exists: it fetches live blogs and feeds, parses them into
// entries with stable ids, and watches each source at its interval. It knows nothing of users,
// subscriptions or Telegram.
package sources

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Entry is one update of a source: a live-blog post or a feed item.
type Entry struct {
	// Source is the name of the source it came from, as configured.
	Source string
	// ID identifies the entry within its source and stays the same across polls, even when
	// its body is edited.
	ID string
	// Published is when the entry was published, in UTC.
	Published time.Time
	// Title is the entry's headline, plain text.
	Title string
	// Body holds the entry's paragraphs as plain text, in order, none empty.
	Body []string
	// URL is the entry's permalink, or "" when it has none.
	URL string
	// Pinned is true for a live blog's pinned lead.
	Pinned bool
	// Hash is the content hash of the title and body: it changes when the entry is edited.
	Hash string
}

// FirstParagraph returns the first paragraph of the body, or "".
func (e Entry) FirstParagraph() string {
	if len(e.Body) == 0 {
		return ""
	}
	return e.Body[0]
}

// ContentHash returns the hash an entry with this title and body carries.
func ContentHash(title string, body []string) string {
	h := sha256.New()
	h.Write([]byte(title))
	for _, p := range body {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// normalizeSpace collapses runs of white space into one space and trims the ends.
func normalizeSpace(s string) string {
	if isSingleSpaced(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isSingleSpaced reports whether s has no white space but single ASCII spaces between
// words: normalizeSpace would return it unchanged.
func isSingleSpaced(s string) bool {
	prevSpace := true // so that a leading space fails
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			return false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false
			}
			i += size - 1
			prevSpace = false
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}
