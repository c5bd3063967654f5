package fakebotapi

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Telegram's limits on message text.
const (
	maxTextUTF16 = 4096    // after entity parsing and trimming
	maxTextBytes = 1 << 15 // the raw parameter, before parsing
)

// formattedText is a message text as Telegram stores it.
type formattedText struct {
	raw       string // as sent
	parseMode string // as sent
	plain     string // after entity parsing and trimming
	entities  []models.MessageEntity
}

// formatText validates and parses a text parameter the way the Bot API does
// for sendMessage and editMessageText: an empty parameter, an over-long one,
// a parse error, a text that is blank after parsing and a text longer than
// 4096 UTF-16 code units after parsing are errors with Telegram's
// descriptions. HTML is parsed strictly (see html.go); Markdown and
// MarkdownV2 are accepted without validation and kept verbatim as plain
// text. entitiesJSON is the "entities" parameter, used when no parse mode is
// given.
func formatText(raw, parseMode, entitiesJSON string) (formattedText, *apiError) {
	ft := formattedText{raw: raw, parseMode: parseMode}
	if raw == "" {
		return ft, badRequest("message text is empty")
	}
	if len(raw) > maxTextBytes {
		return ft, badRequest("text is too long")
	}
	if !utf8.ValidString(raw) {
		return ft, badRequest("strings must be encoded in UTF-8")
	}
	switch strings.ToLower(parseMode) {
	case "", "none":
		ft.plain = raw
		if entitiesJSON != "" {
			if err := json.Unmarshal([]byte(entitiesJSON), &ft.entities); err != nil {
				return ft, badRequest("can't parse entities JSON object")
			}
		}
	case "html":
		plain, entities, err := parseHTML(raw)
		if err != nil {
			return ft, badRequest("can't parse entities: " + err.Error())
		}
		ft.plain, ft.entities = plain, entities
	case "markdown", "markdownv2":
		ft.plain = raw
	default:
		return ft, badRequest("unsupported parse_mode")
	}
	if strings.TrimFunc(ft.plain, unicode.IsSpace) == "" {
		return ft, badRequest("text must be non-empty")
	}
	ft.plain, ft.entities = trimText(ft.plain, ft.entities)
	if utf16Len(ft.plain) > maxTextUTF16 {
		return ft, badRequest("message is too long")
	}
	return ft, nil
}

// trimText strips what Telegram strips from a message: all trailing white
// space, and leading spaces and newlines up to the first entity. Entities are
// cut and shifted to match. s must not be blank.
func trimText(s string, entities []models.MessageEntity) (string, []models.MessageEntity) {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	end := utf16Len(s)
	kept := entities[:0:0]
	for _, e := range entities {
		if e.Offset >= end {
			continue
		}
		if e.Offset+e.Length > end {
			e.Length = end - e.Offset
		}
		kept = append(kept, e)
	}
	limit := len(s)
	for _, e := range kept {
		// Only ASCII is trimmed, so below limit UTF-16 units and bytes agree.
		limit = min(limit, e.Offset)
	}
	n := 0
	for n < limit && (s[n] == ' ' || s[n] == '\n') {
		n++
	}
	if n > 0 {
		s = s[n:]
		for k := range kept {
			kept[k].Offset -= n
		}
	}
	if len(kept) == 0 {
		kept = nil
	}
	return s, kept
}

// utf16Len is the length of s in UTF-16 code units, the unit of all of
// Telegram's text lengths and entity offsets.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r) // invalid bytes decode to U+FFFD: one unit
	}
	return n
}
