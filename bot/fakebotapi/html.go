package fakebotapi

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// This file is a port of Telegram's HTML parse mode (tdlib's parse_html in
// td/telegram/MessageEntity.cpp, which the Bot API server runs on every text
// sent with parse_mode=HTML): the same tags, the same attribute rules, the same
// UTF-16 offsets and the same error messages at the same byte offsets.
//
// It is deliberately stricter than Telegram in one respect. Telegram copies an
// '&' that does not start one of its entities verbatim ("AT&T", "&nbsp;",
// "&lt" without ';' is even decoded). Each of these is an escaping bug in the
// sender, one that silently corrupts text such as "a&ltb", so parseHTML rejects
// them, with messages worded like Telegram's own.

// htmlError is a parse failure. Its message is what Telegram puts after
// "Bad Request: can't parse entities: ".
type htmlError struct{ msg string }

func (e *htmlError) Error() string { return e.msg }

func htmlErrorf(format string, args ...any) *htmlError {
	return &htmlError{msg: fmt.Sprintf(format, args...)}
}

// openTag is a start tag waiting for its end tag.
type openTag struct {
	name     string
	arg      string // href, code language, span class without "tg-", emoji id, tg-time format, "1" for expandable
	offset   int    // UTF-16 offset in the plain text where the tag's content starts
	outBegin int    // byte offset in the plain text where the tag's content starts
}

// htmlParser holds the state of one parseHTML call.
type htmlParser struct {
	src      string
	out      strings.Builder
	utf16    int // UTF-16 length of out
	entities []models.MessageEntity
	stack    []openTag
}

// parseHTML parses src in Telegram's HTML parse mode. It returns the plain
// text (tags removed, entities decoded) and the message entities, with
// offsets and lengths in UTF-16 code units and sorted by offset, then by
// length descending. On malformed input it returns an *htmlError. It never
// panics, whatever src holds. src must be valid UTF-8 (callers check first);
// on invalid UTF-8 the result is still well defined but UTF-16 counts are
// approximate.
func parseHTML(src string) (string, []models.MessageEntity, error) {
	p := &htmlParser{src: src}
	if err := p.run(); err != nil {
		return "", nil, err
	}
	return p.out.String(), p.entities, nil
}

// at returns src[i], or 0 past the end: tdlib reads a NUL-terminated string
// and several rules depend on seeing that 0.
func (p *htmlParser) at(i int) byte {
	if i < len(p.src) {
		return p.src[i]
	}
	return 0
}

func (p *htmlParser) run() error {
	for i := 0; i < len(p.src); i++ {
		c := p.src[i]
		if c == '&' {
			r, next, err := p.decodeEntity(i)
			if err != nil {
				return err
			}
			p.appendRune(r)
			i = next - 1 // the loop increments i
			continue
		}
		if c != '<' {
			if c&0xC0 != 0x80 { // first byte of a UTF-8 sequence
				p.utf16++
				if c >= 0xF0 { // four bytes: a surrogate pair in UTF-16
					p.utf16++
				}
			}
			p.out.WriteByte(c)
			continue
		}
		var err error
		if p.at(i+1) != '/' {
			i, err = p.startTag(i)
		} else {
			i, err = p.endTag(i)
		}
		if err != nil {
			return err
		}
	}
	if len(p.stack) > 0 {
		return htmlErrorf("Can't find end tag corresponding to start tag \"%s\"", p.stack[len(p.stack)-1].name)
	}
	for k := range p.entities {
		if p.entities[k].Type == models.MessageEntityTypeCode {
			p.entities[k].Language = "" // kept only to build "pre" entities
		}
	}
	sort.SliceStable(p.entities, func(a, b int) bool {
		ea, eb := p.entities[a], p.entities[b]
		if ea.Offset != eb.Offset {
			return ea.Offset < eb.Offset
		}
		return ea.Length > eb.Length
	})
	return nil
}

func (p *htmlParser) appendRune(r rune) {
	p.out.WriteRune(r)
	p.utf16++
	if r > 0xFFFF {
		p.utf16++
	}
}

// decodeEntity decodes the character reference starting at src[i] == '&' and
// returns the character and the index just past the reference. Accepted are
// &lt; &gt; &amp; &quot; and numeric references &#NNN; / &#xHHH; with the
// limits tdlib applies (non-zero, below U+10FFFF, at most 9 bytes before ';').
func (p *htmlParser) decodeEntity(i int) (rune, int, error) {
	end := i + 1
	var code uint64
	if p.at(i+1) == '#' {
		end++
		if p.at(i+2) == 'x' {
			end++
			for isHexDigit(p.at(end)) {
				if code < 1<<32 {
					code = code*16 + uint64(hexValue(p.at(end)))
				}
				end++
			}
		} else {
			for isDigit(p.at(end)) {
				if code < 1<<32 {
					code = code*10 + uint64(p.at(end)-'0')
				}
				end++
			}
		}
		if code == 0 || code >= 0x10FFFF || end-i >= 10 {
			return 0, 0, htmlErrorf("Invalid numeric HTML entity \"%s\" at byte offset %d", p.entityText(i, end), i)
		}
		if code >= 0xD800 && code <= 0xDFFF {
			return 0, 0, htmlErrorf("Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units")
		}
	} else {
		for isAlpha(p.at(end)) {
			end++
		}
		switch p.src[i+1 : end] {
		case "lt":
			code = '<'
		case "gt":
			code = '>'
		case "amp":
			code = '&'
		case "quot":
			code = '"'
		default:
			if p.at(end) != ';' {
				return 0, 0, htmlErrorf("Unescaped \"&\" at byte offset %d, use \"&amp;\"", i)
			}
			return 0, 0, htmlErrorf("Unsupported HTML entity \"%s\" at byte offset %d", p.src[i:end+1], i)
		}
	}
	if p.at(end) != ';' {
		return 0, 0, htmlErrorf("HTML entity \"%s\" at byte offset %d must end with \";\"", p.src[i:end], i)
	}
	return rune(code), end + 1, nil
}

// entityText is the reference starting at i for an error message, with its
// ';' if it has one.
func (p *htmlParser) entityText(i, end int) string {
	if p.at(end) == ';' {
		end++
	}
	return p.src[i:end]
}

// startTag parses the start tag beginning at src[begin] == '<' and returns the
// index of its closing '>'.
func (p *htmlParser) startTag(begin int) (int, error) {
	i := begin + 1
	for !isSpace(p.at(i)) && p.at(i) != '>' {
		i++
	}
	if p.at(i) == 0 {
		return 0, htmlErrorf("Unclosed start tag at byte offset %d", begin)
	}
	name := asciiLower(p.src[begin+1 : i])
	switch name {
	case "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
		"tg-spoiler", "tg-emoji", "tg-time", "span", "pre", "code", "blockquote":
	default:
		return 0, htmlErrorf("Unsupported start tag \"%s\" at byte offset %d", name, begin)
	}

	var arg string
	for p.at(i) != '>' {
		for p.at(i) != 0 && isSpace(p.at(i)) {
			i++
		}
		if p.at(i) == '>' {
			break
		}
		attrBegin := i
		for c := p.at(i); !isSpace(c) && c != '=' && c != '>' && c != '/' && c != '"' && c != '\''; c = p.at(i) {
			i++
		}
		attr := p.src[attrBegin:i]
		if attr == "" {
			return 0, htmlErrorf("Empty attribute name in the tag \"%s\" at byte offset %d", name, begin)
		}
		for p.at(i) != 0 && isSpace(p.at(i)) {
			i++
		}
		if p.at(i) != '=' {
			if p.at(i) == 0 {
				return 0, htmlErrorf("Unclosed start tag \"%s\" at byte offset %d", name, begin)
			}
			if name == "blockquote" && attr == "expandable" {
				arg = "1"
			}
			continue
		}
		i++
		for p.at(i) != 0 && isSpace(p.at(i)) {
			i++
		}
		if p.at(i) == 0 {
			return 0, htmlErrorf("Unclosed start tag \"%s\" at byte offset %d", name, begin)
		}

		var value string
		if q := p.at(i); q != '\'' && q != '"' {
			// A name token: letters, digits, periods and hyphens, case-insensitive.
			tokenBegin := i
			for isAlnum(p.at(i)) || p.at(i) == '.' || p.at(i) == '-' {
				i++
			}
			value = asciiLower(p.src[tokenBegin:i])
			if !isSpace(p.at(i)) && p.at(i) != '>' {
				return 0, htmlErrorf("Unexpected end of name token at byte offset %d", tokenBegin)
			}
		} else {
			i++
			var v strings.Builder
			for p.at(i) != q && p.at(i) != 0 {
				if p.at(i) == '&' {
					r, next, err := p.decodeEntity(i)
					if err != nil {
						return 0, err
					}
					v.WriteRune(r)
					i = next
					continue
				}
				v.WriteByte(p.at(i))
				i++
			}
			if p.at(i) == q {
				i++
			}
			value = v.String()
		}
		if p.at(i) == 0 {
			return 0, htmlErrorf("Unclosed start tag at byte offset %d", begin)
		}

		switch {
		case name == "a" && attr == "href":
			arg = value
		case name == "code" && attr == "class" && strings.HasPrefix(value, "language-"):
			arg = value[len("language-"):]
		case name == "span" && attr == "class" && strings.HasPrefix(value, "tg-"):
			arg = value[len("tg-"):]
		case name == "tg-emoji" && attr == "emoji-id":
			arg = value
		case name == "blockquote" && attr == "expandable":
			arg = "1"
		case name == "tg-time" && attr == "format":
			arg = value
		}
	}
	if name == "span" && arg != "spoiler" {
		return 0, htmlErrorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
	}
	p.stack = append(p.stack, openTag{name: name, arg: arg, offset: p.utf16, outBegin: p.out.Len()})
	return i, nil
}

// endTag parses the end tag beginning at src[begin] == '<', src[begin+1] ==
// '/', emits the entity of the start tag it closes and returns the index of
// its '>'. "</>" closes whatever tag is open, as in Telegram.
func (p *htmlParser) endTag(begin int) (int, error) {
	if len(p.stack) == 0 {
		return 0, htmlErrorf("Unexpected end tag at byte offset %d", begin)
	}
	i := begin + 1
	for !isSpace(p.at(i)) && p.at(i) != '>' {
		i++
	}
	endName := asciiLower(p.src[begin+2 : i])
	for p.at(i) != 0 && isSpace(p.at(i)) {
		i++
	}
	if p.at(i) != '>' {
		return 0, htmlErrorf("Unclosed end tag at byte offset %d", begin)
	}
	top := p.stack[len(p.stack)-1]
	if endName != "" && endName != top.name {
		return 0, htmlErrorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top.name, endName)
	}
	if p.utf16 > top.offset {
		if err := p.emit(top); err != nil {
			return 0, err
		}
	}
	p.stack = p.stack[:len(p.stack)-1]
	return i, nil
}

// emit appends the entity for a closed, non-empty tag.
func (p *htmlParser) emit(t openTag) error {
	e := models.MessageEntity{Offset: t.offset, Length: p.utf16 - t.offset}
	last := func() *models.MessageEntity {
		if len(p.entities) == 0 {
			return nil
		}
		l := &p.entities[len(p.entities)-1]
		if l.Offset != e.Offset || l.Length != e.Length {
			return nil
		}
		return l
	}
	switch t.name {
	case "i", "em":
		e.Type = models.MessageEntityTypeItalic
	case "b", "strong":
		e.Type = models.MessageEntityTypeBold
	case "s", "strike", "del":
		e.Type = models.MessageEntityTypeStrikethrough
	case "u", "ins":
		e.Type = models.MessageEntityTypeUnderline
	case "tg-spoiler", "span":
		e.Type = models.MessageEntityTypeSpoiler
	case "tg-emoji":
		id, err := strconv.ParseInt(t.arg, 10, 64)
		if err != nil || id == 0 {
			return htmlErrorf("Invalid custom emoji identifier specified")
		}
		e.Type = models.MessageEntityTypeCustomEmoji
		e.CustomEmojiID = t.arg
	case "tg-time":
		if !validDateFormat(t.arg) {
			return htmlErrorf("Invalid date format used")
		}
		return nil // models has no entity type for formatted dates
	case "a":
		link := t.arg
		if link == "" {
			link = p.out.String()[t.outBegin:]
		}
		if id, ok := mentionUserID(link); ok {
			e.Type = models.MessageEntityTypeTextMention
			e.User = &models.User{ID: id}
		} else if link = checkedLink(link); link != "" {
			e.Type = models.MessageEntityTypeTextLink
			e.URL = link
		} else {
			return nil // Telegram drops links it can't use, silently
		}
	case "pre":
		if l := last(); l != nil && l.Type == models.MessageEntityTypeCode && l.Language != "" {
			l.Type = models.MessageEntityTypePre
			return nil
		}
		e.Type = models.MessageEntityTypePre
	case "code":
		if l := last(); l != nil && l.Type == models.MessageEntityTypePre && t.arg != "" {
			l.Language = t.arg
			return nil
		}
		e.Type = models.MessageEntityTypeCode
		e.Language = t.arg
	case "blockquote":
		e.Type = models.MessageEntityTypeBlockquote
		if t.arg != "" {
			e.Type = models.MessageEntityTypeExpandableBlockquote
		}
	}
	p.entities = append(p.entities, e)
	return nil
}

// validDateFormat reports whether f is a tg-time format Telegram accepts:
// "r"/"R" (relative), or any combination of t, T, d, D, w, W.
func validDateFormat(f string) bool {
	if f == "r" || f == "R" {
		return true
	}
	for i := 0; i < len(f); i++ {
		if !strings.ContainsRune("tTdDwW", rune(f[i])) {
			return false
		}
	}
	return true
}

// mentionUserID recognises tg://user?id=N links, which become text mentions.
func mentionUserID(link string) (int64, bool) {
	u, err := url.Parse(link)
	if err != nil || !strings.EqualFold(u.Scheme, "tg") || !strings.EqualFold(u.Host, "user") && !strings.EqualFold(u.Opaque, "user") {
		return 0, false
	}
	id, err := strconv.ParseInt(u.Query().Get("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, false
	}
	return id, true
}

// checkedLink approximates Telegram's link check: a link without a scheme
// gets "http://", links with schemes Telegram doesn't open become "".
func checkedLink(link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	if !strings.Contains(link, "://") && !strings.HasPrefix(strings.ToLower(link), "tg:") {
		link = "http://" + link
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "tg", "ton", "ftp":
		if u.Host == "" && u.Opaque == "" && !strings.EqualFold(u.Scheme, "tg") {
			return ""
		}
		return link
	}
	return ""
}

// Character classes exactly as tdlib defines them (ASCII only; isSpace
// includes NUL).
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0 || c == '\v'
}
func isAlpha(c byte) bool    { c |= 0x20; return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool    { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool    { return isAlpha(c) || isDigit(c) }
func isHexDigit(c byte) bool { return isDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f') }

func hexValue(c byte) byte {
	if isDigit(c) {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

// asciiLower lower-cases ASCII letters only, keeping byte offsets intact.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// ParseHTML parses text as Telegram parses a message sent with parse_mode HTML and returns
// the plain text Telegram would store, or the error Telegram would answer (the part after
// "Bad Request: can't parse entities: "). Renderers' tests use it to prove their output is
// accepted without sending it.
func ParseHTML(text string) (string, error) {
	plain, _, err := parseHTML(text)
	if err != nil {
		return "", err
	}
	return plain, nil
}
