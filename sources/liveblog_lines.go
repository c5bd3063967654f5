package sources

import (
	"regexp"
	"strconv"
	"strings"
)

// lineKind is what a line of a live-blog text page is.
type lineKind uint8

const (
	lineText   lineKind = iota // a paragraph
	lineHeader                 // "1418 GMT — Title": starts an entry
	lineDate                   // "Friday, January 5, 2024": sets the current day
	lineMarker                 // "More updates 👇": ends the pinned section
	lineNav                    // "Read more", "For our live updates from …, click here.", "Photo: …"
)

// header is a parsed entry header.
type header struct {
	hour, minute int
	offset       int // minutes east of UTC
	title        string
}

// headerRE matches an entry header: a time (1418, 14:18, 9:05), a zone label (GMT, UTC, BST,
// CET, CEST, EET, EEST, MSK, or a numeric offset such as +03:00), an em dash, en dash or
// hyphen, and the title.
var headerRE = regexp.MustCompile(`^(?:(\d{1,2}):(\d{2})|(\d{2})(\d{2}))\s*` +
	`((?i:GMT|UTC)?\s?[+-]\d{1,2}(?::?\d{2})?|(?i:GMT|UTC|BST|CEST|CET|EEST|EET|MSK))` +
	`\s*[—–-]\s*(.*)$`)

// parseHeader reports whether line is an entry header.
func parseHeader(line string) (header, bool) {
	if line == "" || !isDigit(line[0]) {
		return header{}, false
	}
	m := headerRE.FindStringSubmatch(line)
	if m == nil {
		return header{}, false
	}
	hh, mm := m[1], m[2]
	if hh == "" {
		hh, mm = m[3], m[4]
	}
	hour, _ := strconv.Atoi(hh)
	minute, _ := strconv.Atoi(mm)
	if hour > 23 || minute > 59 {
		return header{}, false
	}
	off, ok := zoneOffset(m[5])
	if !ok {
		return header{}, false
	}
	return header{hour: hour, minute: minute, offset: off, title: m[6]}, true
}

// markerRE matches the line that separates a pinned lead from the updates below it:
// "More updates 👇", "More updates👇", "Latest updates below ⬇️".
var markerRE = regexp.MustCompile(`(?i)^(?:more|latest) updates(?:\s+below)?\s*:?\s*[👇⬇↓🔽\x{FE0F}\s]*$`)

// navRE matches navigation and credit lines, which belong to no entry's body.
var navRE = regexp.MustCompile(`(?i)^(?:` +
	`for\b.*\bclick here\b.*` + // For our live updates from Thursday, January 4, click here.
	`|click here\b.*` +
	`|read more\b.*` +
	`|(?:photo|image|picture|video)s?(?: credits?)?\s*:.*` +
	`|credits?\s*:.*` +
	`|\([\pL][\pL .&/-]{0,30}\)` + // (AA), (Reuters)
	`)$`)

// navFirstBytes are the bytes a line navRE matches can start with.
const navFirstBytes = "fFcCrRpPiIvV("

// maxNavLen is the longest line taken for navigation: a long line is a paragraph.
const maxNavLen = 200

// classify returns what kind of line line is and, for a header or a date line, what it holds.
func classify(line string) (lineKind, header, civilDate) {
	if h, ok := parseHeader(line); ok {
		return lineHeader, h, civilDate{}
	}
	if d, ok := parseDateLine(line); ok {
		return lineDate, header{}, d
	}
	switch line[0] {
	case 'm', 'M', 'l', 'L':
		if len(line) < 64 && markerRE.MatchString(line) {
			return lineMarker, header{}, civilDate{}
		}
	}
	if len(line) <= maxNavLen && strings.IndexByte(navFirstBytes, line[0]) >= 0 && navRE.MatchString(line) {
		return lineNav, header{}, civilDate{}
	}
	return lineText, header{}, civilDate{}
}

// splitLines splits text into cleaned, non-empty lines. Any of \n, \r, U+2028 and U+2029
// breaks a line.
func splitLines(text string) []string {
	lines := make([]string, 0, strings.Count(text, "\n")+1)
	start := 0
	add := func(end int) {
		if line := cleanLine(text[start:end]); line != "" {
			lines = append(lines, line)
		}
	}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n', '\r':
			add(i)
			start = i + 1
		case 0xE2: // U+2028 and U+2029 are E2 80 A8 and E2 80 A9
			if i+2 < len(text) && text[i+1] == 0x80 && (text[i+2] == 0xA8 || text[i+2] == 0xA9) {
				add(i)
				i += 2
				start = i + 1
			}
		}
	}
	add(len(text))
	return lines
}

// isZeroWidth reports whether r is an invisible character cleanLine removes.
func isZeroWidth(r rune) bool {
	return r == '\u200b' || r == '\u2060' || r == '\ufeff'
}

// cleanLine removes zero-width characters, collapses runs of white space into one space and
// trims the ends. It returns line itself, without allocating, when there is nothing to do.
func cleanLine(line string) string {
	if isSingleSpaced(line) && !hasZeroWidth(line) {
		return line
	}
	return normalizeSpace(strings.Map(func(r rune) rune {
		if isZeroWidth(r) {
			return -1
		}
		return r
	}, line))
}

// hasZeroWidth reports whether s holds a character isZeroWidth reports.
func hasZeroWidth(s string) bool {
	return strings.Contains(s, "\u200b") || strings.Contains(s, "\u2060") || strings.Contains(s, "\ufeff")
}
