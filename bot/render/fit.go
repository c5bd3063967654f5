package render

import (
	"strings"
	"unicode"
	"unicode/utf16"

	"livealert/subscriptions/match"
)

// fitParagraphs returns as much of paragraphs (plain text) as fits in budget UTF-16 code
// units, joined by blank lines: whole paragraphs while they fit; when not even the first does,
// the first cut at the last sentence end that fits, else the last word boundary, else the last
// whole character, with "…" appended. Cutting plain text before it is escaped means no cut
// falls inside a tag or an entity, and cutting between runes means none splits a surrogate
// pair.
func fitParagraphs(paragraphs []string, budget int) string {
	var kept []string
	size := 0
	for _, p := range paragraphs {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		add := Length(p)
		if len(kept) > 0 {
			add += 2 // "\n\n"
		}
		if size+add > budget {
			if len(kept) == 0 {
				return Cut(p, budget)
			}
			return strings.Join(kept, "\n\n") + "\n\n…"
		}
		kept = append(kept, p)
		size += add
	}
	return strings.Join(kept, "\n\n")
}

// Cut shortens s to at most limit UTF-16 code units, "…" included, preferring the end of
// a sentence (keeping at least a third of what fits), then of a word (at least half).
func Cut(s string, limit int) string {
	if Length(s) <= limit {
		return s
	}
	limit-- // room for "…"
	end, size := 0, 0
	sentence, word := -1, -1
	var prev rune
	for i, r := range s {
		n := utf16.RuneLen(r)
		if size+n > limit {
			break
		}
		if unicode.IsSpace(r) && i > 0 {
			word = i
			if strings.ContainsRune(".!?…。！？", prev) {
				sentence = i
			}
		}
		size += n
		end = i + len(string(r))
		prev = r
	}
	switch {
	case sentence > end/3:
		return strings.TrimSpace(s[:sentence]) + " …"
	case word > end/2:
		return strings.TrimRight(s[:word], " ,;:-—") + "…"
	}
	return s[:end] + "…"
}

// highlight escapes text for Telegram's HTML and underlines each word whose normalised term
// is among terms (see match.Tokenize).
func highlight(text string, terms map[string]bool) string {
	if len(terms) == 0 {
		return Esc(text)
	}
	var b strings.Builder
	start := -1 // of the current word
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := text[start:end]
		if wordMatches(w, terms) {
			b.WriteString("<u>" + Esc(w) + "</u>")
		} else {
			b.WriteString(Esc(w))
		}
		start = -1
	}
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) ||
			(start >= 0 && (r == '\'' || r == '’') && i+len(string(r)) < len(text))
		if inWord {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		b.WriteString(Esc(string(r)))
	}
	flush(len(text))
	return b.String()
}

// wordMatches reports whether one word of a text stands for one of terms once normalised as
// documents are.
func wordMatches(word string, terms map[string]bool) bool {
	for _, tk := range match.Tokenize(word) {
		if terms[tk.Term] {
			return true
		}
	}
	return false
}
