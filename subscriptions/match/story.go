package match

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"slices"
)

// A story's fingerprint is the set of its word shingles: every run of storyShingle
// consecutive normalised terms (Tokenize's folding: case, accents, Cyrillic, plurals) of its
// title followed by the first storyWords terms of its body, each hashed to 64 bits. Two
// entries are the same story when the Jaccard similarity of their sets (shared shingles over
// all shingles) is at least SameStoryThreshold.
//
// Why shingles with Jaccard rather than SimHash: the texts are short (a headline and a few
// dozen words), where a 64-bit SimHash is noisy — one changed word moves several bits — and
// its features are single words, so two different stories about the same subject (two North
// Korean missile updates of one live blog share "Russia", "Ukraine", "North Korean missiles")
// come out close. Shingles keep word order, so a republished wire story shares most of its
// runs of words while another story on the same subject shares few; Jaccard on sets of a few
// dozen hashes is exact and cheap, and the candidates are only the entries of the last hours,
// so no locality-sensitive index is needed.
const (
	// storyShingle is the number of consecutive terms in a shingle.
	storyShingle = 2
	// storyWords is how many terms of the body count after the title: the opening words,
	// which a republished story keeps while its later paragraphs may be cut or added to.
	storyWords = 40
	// SameStoryThreshold is the least Jaccard similarity of two fingerprints of one story
	// (measured on labelled pairs: see TestSameStoryPrecisionRecall).
	SameStoryThreshold = 0.4
	// maxStoryShingles bounds a fingerprint (title terms are not bounded by storyWords).
	maxStoryShingles = 256
)

// Story is an entry's fingerprint: its shingle hashes, sorted, each once. The zero value is
// the fingerprint of an empty text, the same story as nothing.
type Story struct {
	shingles []uint64
}

// NewStory returns the fingerprint of an entry's title and body paragraphs.
func NewStory(title string, body []string) Story {
	terms := tokenTerms(title)
	n := len(terms)
	for _, p := range body {
		if len(terms)-n >= storyWords {
			break
		}
		terms = append(terms, tokenTerms(p)...)
	}
	terms = terms[:min(len(terms), n+storyWords)]
	if len(terms) < storyShingle {
		if len(terms) == 0 {
			return Story{}
		}
		return Story{shingles: []uint64{shingleHash(terms)}}
	}
	out := make([]uint64, 0, len(terms)-storyShingle+1)
	for i := 0; i+storyShingle <= len(terms) && len(out) < maxStoryShingles; i++ {
		out = append(out, shingleHash(terms[i:i+storyShingle]))
	}
	slices.Sort(out)
	return Story{shingles: slices.Compact(out)}
}

// shingleHash is FNV-1a of the terms, each followed by a zero byte (no term holds one).
func shingleHash(terms []string) uint64 {
	h := fnv.New64a()
	for _, t := range terms {
		h.Write([]byte(t))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// Empty reports whether the fingerprint has no shingle: a text without words, which is the
// same story as no other.
func (s Story) Empty() bool { return len(s.shingles) == 0 }

// Similarity returns the Jaccard similarity of two fingerprints, from 0 (nothing shared) to
// 1 (the same shingles); 0 when either is empty.
func (s Story) Similarity(o Story) float64 {
	a, b := s.shingles, o.shingles
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	shared := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			shared++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(shared) / float64(len(a)+len(b)-shared)
}

// SameStory reports whether two fingerprints are of one story: Similarity at least
// SameStoryThreshold.
func (s Story) SameStory(o Story) bool { return s.Similarity(o) >= SameStoryThreshold }

// MarshalBinary encodes the fingerprint as its hashes, 8 bytes each, big-endian.
func (s Story) MarshalBinary() ([]byte, error) {
	out := make([]byte, 0, 8*len(s.shingles))
	for _, h := range s.shingles {
		out = binary.BigEndian.AppendUint64(out, h)
	}
	return out, nil
}

// UnmarshalBinary decodes what MarshalBinary encoded; it refuses a length not a multiple of
// 8 and hashes out of order.
func (s *Story) UnmarshalBinary(b []byte) error {
	if len(b)%8 != 0 {
		return errors.New("match: story fingerprint: length not a multiple of 8")
	}
	out := make([]uint64, len(b)/8)
	for i := range out {
		out[i] = binary.BigEndian.Uint64(b[8*i:])
		if i > 0 && out[i] <= out[i-1] {
			return errors.New("match: story fingerprint: hashes out of order")
		}
	}
	s.shingles = out
	return nil
}
