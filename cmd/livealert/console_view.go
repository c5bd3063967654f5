package main

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// textStyle says how the console writes a message: ANSI escapes for a terminal, or plain
// text.
type textStyle struct {
	ansi bool
	// hideLink reports whether a link points somewhere the person cannot go (the replay's
	// own feed): its text is shown without it.
	hideLink func(url string) bool
}

// SGR codes of the entity types the console renders in a terminal.
var sgr = map[models.MessageEntityType]string{
	models.MessageEntityTypeBold:                 "1",
	models.MessageEntityTypeItalic:               "3",
	models.MessageEntityTypeUnderline:            "4",
	models.MessageEntityTypeStrikethrough:        "9",
	models.MessageEntityTypeSpoiler:              "2",
	models.MessageEntityTypeCode:                 "36",
	models.MessageEntityTypePre:                  "36",
	models.MessageEntityTypeBlockquote:           "3",
	models.MessageEntityTypeExpandableBlockquote: "3",
}

// entityText renders a message's text with its entities (offsets in UTF-16 units, as
// Telegram counts). In a terminal: bold, italic, underline, strikethrough and code as SGR
// attributes, links as OSC 8 hyperlinks. In both styles a link whose text is not its
// address is followed by the address in brackets, so that it can be read and copied.
func (st textStyle) entityText(text string, entities []models.MessageEntity) string {
	var b strings.Builder
	units := utf16.Encode([]rune(text))
	var active []string // SGR codes in force
	var link string     // the link being written, "" for none
	pos := 0            // UTF-16 offset of the next rune
	linkAt := func(pos int) string {
		for _, e := range entities {
			if (e.Type == models.MessageEntityTypeTextLink || e.Type == models.MessageEntityTypeURL) &&
				e.Offset <= pos && pos < e.Offset+e.Length {
				if e.Type == models.MessageEntityTypeURL {
					return string(utf16.Decode(units[e.Offset : e.Offset+e.Length]))
				}
				return e.URL
			}
		}
		return ""
	}
	linkText := strings.Builder{}
	closeLink := func() {
		if link == "" {
			return
		}
		shown := linkText.String()
		if st.ansi {
			b.WriteString("\x1b]8;;\x1b\\")
		}
		if strings.TrimSpace(shown) != link {
			if st.ansi {
				b.WriteString("\x1b[0;2m <" + link + ">\x1b[0m")
				if len(active) > 0 {
					b.WriteString("\x1b[" + strings.Join(active, ";") + "m")
				}
			} else {
				b.WriteString(" <" + link + ">")
			}
		}
		link = ""
		linkText.Reset()
	}
	for _, r := range text {
		var codes []string
		if st.ansi {
			for _, e := range entities {
				if c, ok := sgr[e.Type]; ok && e.Offset <= pos && pos < e.Offset+e.Length && !slices.Contains(codes, c) {
					codes = append(codes, c)
				}
			}
			if l := linkAt(pos); l != "" && !(st.hideLink != nil && st.hideLink(l)) && !slices.Contains(codes, "4") {
				codes = append(codes, "4")
			}
		}
		if l := linkAt(pos); l != link || r == '\n' {
			closeLink()
			if l != "" && !(st.hideLink != nil && st.hideLink(l)) && r != '\n' {
				link = l
				if st.ansi {
					b.WriteString("\x1b]8;;" + l + "\x1b\\")
				}
			}
		}
		if st.ansi && !slices.Equal(codes, active) {
			b.WriteString("\x1b[0m")
			if len(codes) > 0 {
				b.WriteString("\x1b[" + strings.Join(codes, ";") + "m")
			}
			active = codes
		}
		b.WriteRune(r)
		if link != "" {
			linkText.WriteRune(r)
		}
		pos += len(utf16.Encode([]rune{r}))
	}
	closeLink()
	if st.ansi && len(active) > 0 {
		b.WriteString("\x1b[0m")
	}
	return b.String()
}

// buttonRef is a button the person can press by its number.
type buttonRef struct {
	chatID    int64
	messageID int
	data      string
}

// keyboardLines renders an inline keyboard, a line per row, numbering its callback buttons
// from next on: "[1] ✅ Belgorod   [2] ▫️ Drones". URL buttons show their address. It
// returns the numbered buttons in order.
func (st textStyle) keyboardLines(kb *models.InlineKeyboardMarkup, chatID int64, messageID int, next int) ([]string, []buttonRef) {
	if kb == nil {
		return nil, nil
	}
	var lines []string
	var refs []buttonRef
	for _, row := range kb.InlineKeyboard {
		var cells []string
		for _, btn := range row {
			switch {
			case btn.CallbackData != "":
				num := fmt.Sprintf("[%d]", next+len(refs))
				if st.ansi {
					num = "\x1b[1;7m" + num + "\x1b[0m"
				}
				cells = append(cells, num+" "+btn.Text)
				refs = append(refs, buttonRef{chatID: chatID, messageID: messageID, data: btn.CallbackData})
			case btn.URL != "":
				cells = append(cells, "["+btn.Text+" <"+btn.URL+">]")
			default:
				cells = append(cells, "["+btn.Text+"]")
			}
		}
		if len(cells) > 0 {
			lines = append(lines, strings.Join(cells, "   "))
		}
	}
	return lines, refs
}
