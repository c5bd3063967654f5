package sources

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxTelegramText bounds the text read from one post, in bytes: Telegram allows 4096
// characters in a message and 1024 in a caption, so this is only reached by a page that is
// not Telegram's.
const maxTelegramText = 16 << 10

// maxForwardedLine bounds the "Forwarded from …" line, in bytes.
const maxForwardedLine = 256

// telegramPage is what parseTelegram found on a channel's web preview (t.me/s/<name>).
type telegramPage struct {
	// Entries are the posts with text, in page order (oldest first).
	Entries []Entry
	// Posts counts the posts found, service messages and posts without text included.
	Posts int
	// Oldest and Newest are the lowest and highest post numbers on the page, service
	// messages and posts without text included; 0 when it has none.
	Oldest, Newest int64
	// More is true when the page says there are older posts (its <link rel="prev">).
	More bool
}

// isTelegramPage reports whether body, an HTML page, looks like a Telegram channel's web
// preview: it has posts (tgme_widget_message elements with a data-post).
func isTelegramPage(body []byte) bool {
	return bytes.Contains(body, []byte("tgme_widget_message")) && bytes.Contains(body, []byte("data-post="))
}

// parseTelegram reads the posts of a Telegram channel's web preview. Each element
// .tgme_widget_message with a data-post of "<channel>/<number>" is a post; of these:
//   - service messages (class service_message, or in a service_message_wrap: "Channel photo
//     updated", pinned…) and posts without text or caption (a photo alone, a sticker) are
//     counted but are no entries; a post number seen twice is read once;
//   - ID is "<channel>/<number>", as data-post has it: an edited post (its meta says
//     "edited") keeps its id, and only its Hash changes;
//   - URL is https://t.me/<channel>/<number>;
//   - Published is the <time datetime> of .tgme_widget_message_date, in UTC; zero without
//     one;
//   - the text is that of .tgme_widget_message_text (the caption of a photo or video; not a
//     reply's quote nor a link preview), split into paragraphs at <br> and block elements;
//     a link keeps its address after its text, "text (https://…)", unless the text is the
//     address itself, a #hashtag or an @mention;
//   - Title is the bold start of the text when it is the whole first line (emoji aside),
//     or when it has 20 to 160 characters and more follows on its line (that rest opening
//     the body); else the first line, or its first sentence, as leadTitle makes it;
//   - Body is the rest, after "Forwarded from <name>" for a forwarded post.
//
// It never panics; a page that is not a channel's has no posts.
func parseTelegram(source string, doc *html.Node) telegramPage {
	var page telegramPage
	d := goquery.NewDocumentFromNode(doc)
	page.More = d.Find(`link[rel~="prev"]`).Length() > 0
	seen := make(map[int64]bool)
	d.Find(".tgme_widget_message[data-post]").Each(func(_ int, s *goquery.Selection) {
		post, _ := s.Attr("data-post")
		channel, number, ok := splitTelegramPost(post)
		if !ok || seen[number] {
			return
		}
		seen[number] = true
		page.Posts++
		if page.Oldest == 0 || number < page.Oldest {
			page.Oldest = number
		}
		page.Newest = max(page.Newest, number)
		if s.HasClass("service_message") || s.Parent().HasClass("service_message_wrap") {
			return
		}
		if e, ok := readTelegramPost(source, channel, number, s); ok {
			page.Entries = append(page.Entries, e)
		}
	})
	return page
}

// splitTelegramPost splits a data-post value, "<channel>/<number>": a channel of 1 to 64
// letters, digits and underscores and a positive number of at most 18 digits.
func splitTelegramPost(post string) (string, int64, bool) {
	channel, num, ok := strings.Cut(strings.TrimSpace(post), "/")
	if !ok || channel == "" || len(channel) > 64 || num == "" || len(num) > 18 {
		return "", 0, false
	}
	for i := 0; i < len(channel); i++ {
		c := channel[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return "", 0, false
		}
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return "", 0, false
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return "", 0, false
	}
	return channel, n, true
}

// readTelegramPost reads one post element; false when it has no text.
func readTelegramPost(source, channel string, number int64, s *goquery.Selection) (Entry, bool) {
	text := s.Find(".tgme_widget_message_text").FilterFunction(func(_ int, t *goquery.Selection) bool {
		return t.ParentsFiltered(".tgme_widget_message_reply, .tgme_widget_message_link_preview").Length() == 0
	}).First()
	if text.Length() == 0 {
		return Entry{}, false
	}
	var w telegramTextWriter
	w.write(text.Get(0))
	w.flush()
	if len(w.paras) == 0 {
		return Entry{}, false
	}
	title, body := telegramTitle(w.paras, w.bold)
	if title == "" {
		return Entry{}, false
	}
	if fwd := s.Find(".tgme_widget_message_forwarded_from").First(); fwd.Length() > 0 {
		line := normalizeSpace(fwd.Text())
		if name := normalizeSpace(fwd.Find(".tgme_widget_message_forwarded_from_name").First().Text()); name != "" &&
			!strings.HasPrefix(line, "Forwarded from") {
			line = "Forwarded from " + name
		}
		if len(line) > maxForwardedLine {
			line = strings.ToValidUTF8(line[:maxForwardedLine], "") + "…"
		}
		if line != "" {
			body = append([]string{line}, body...)
		}
	}
	if len(body) == 0 {
		body = nil
	}
	e := Entry{
		Source: source,
		ID:     channel + "/" + strconv.FormatInt(number, 10),
		Title:  title,
		Body:   body,
		URL:    "https://t.me/" + channel + "/" + strconv.FormatInt(number, 10),
		Hash:   ContentHash(title, body),
	}
	if dt, ok := s.Find(".tgme_widget_message_date time[datetime]").First().Attr("datetime"); ok {
		if t, ok := parseSchemaTime(dt); ok {
			e.Published = t
		}
	}
	return e, true
}

// telegramTitle makes a post's title from its paragraphs and the text of its bold start
// ("" when it does not start bold): see parseTelegram. It returns the title and the body.
func telegramTitle(paras []string, bold string) (string, []string) {
	first := paras[0]
	if n := utf8.RuneCountInString(bold); n > 0 && n <= maxLeadTitle {
		if i := strings.Index(first, bold); i >= 0 {
			rest := strings.TrimSpace(first[i+len(bold):])
			switch {
			case !hasWord(first[:i]) && !hasWord(rest):
				// The whole first line is bold, emoji aside.
				return bold, paras[1:]
			case n >= minSentence && !hasWord(first[:i]):
				body := make([]string, 0, len(paras))
				body = append(body, rest)
				return bold, append(body, paras[1:]...)
			}
		}
	}
	return leadTitle(paras)
}

// hasWord reports whether s has a letter or a digit.
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// telegramTextWriter gathers the paragraphs of a post's text.
type telegramTextWriter struct {
	cur   strings.Builder
	paras []string
	size  int // bytes of text written, bounded by maxTelegramText
	// bold is the text of the <b> or <strong> the text starts with (emoji before it
	// aside), once it is known; started is set once anything else came first.
	bold    string
	started bool
}

// flush ends the current paragraph; an empty one is left out.
func (w *telegramTextWriter) flush() {
	if p := normalizeSpace(w.cur.String()); p != "" {
		w.paras = append(w.paras, p)
	}
	w.cur.Reset()
}

// writeText adds text, up to maxTelegramText in all.
func (w *telegramTextWriter) writeText(s string) {
	if w.size >= maxTelegramText {
		return
	}
	if room := maxTelegramText - w.size; len(s) > room {
		s = strings.ToValidUTF8(s[:room], "")
	}
	w.size += len(s)
	w.cur.WriteString(s)
}

// write adds the text of the tree at root: <br> and block elements end paragraphs, elements
// without readable text are dropped, links keep their address (see parseTelegram). The walk
// is iterative, so deep nesting cannot exhaust the stack.
func (w *telegramTextWriter) write(root *html.Node) {
	type step struct {
		n    *html.Node
		exit bool
		link string // on exit from a link: the address to add after its text
		from int    // on exit from a link: where its text starts in cur
	}
	stack := []step{{n: root}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := s.n
		if s.exit {
			switch {
			case n.DataAtom == atom.A:
				cur := w.cur.String()
				if s.from > len(cur) {
					s.from = 0 // a <br> inside the link ended a paragraph
				}
				if anchor := normalizeSpace(cur[s.from:]); linkAddsAddress(anchor, s.link) {
					w.writeText(" (" + s.link + ")")
				}
			case blockElements[n.DataAtom]:
				w.flush()
			}
			continue
		}
		switch n.Type {
		case html.TextNode:
			if !w.started && strings.TrimSpace(n.Data) != "" {
				w.started = true
			}
			w.writeText(n.Data)
			continue
		case html.ElementNode:
			if skippedElements[n.DataAtom] {
				continue
			}
			if n != root && !w.started {
				switch {
				case isEmoji(n):
					w.writeText(nodeText(n))
					continue
				case n.DataAtom == atom.B || n.DataAtom == atom.Strong:
					w.bold = normalizeSpace(nodeText(n))
					w.started = true
				}
			}
			switch {
			case n.DataAtom == atom.Br:
				w.flush()
				continue
			case blockElements[n.DataAtom] && n != root:
				w.flush()
				stack = append(stack, step{n: n, exit: true})
			case n.DataAtom == atom.A:
				if href := strings.TrimSpace(attr(n, "href")); strings.HasPrefix(href, "https://") || strings.HasPrefix(href, "http://") {
					stack = append(stack, step{n: n, exit: true, link: href, from: w.cur.Len()})
				}
			}
		default: // comments, doctypes
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, step{n: c})
		}
	}
}

// isEmoji reports whether n is Telegram's picture of an emoji (<i class="emoji">, or a
// custom <tg-emoji>), whose text is the emoji itself.
func isEmoji(n *html.Node) bool {
	if n.Data == "tg-emoji" {
		return true
	}
	return n.DataAtom == atom.I && strings.Contains(" "+attr(n, "class")+" ", " emoji ")
}

// nodeText returns the text inside n.
func nodeText(n *html.Node) string {
	return goquery.NewDocumentFromNode(n).Text()
}

// linkAddsAddress reports whether a link's address is worth keeping after its text: the
// text is not empty, not a #hashtag or @mention, and does not look like an address itself.
func linkAddsAddress(text, href string) bool {
	if text == "" || strings.HasPrefix(text, "#") || strings.HasPrefix(text, "@") || text == href {
		return false
	}
	return strings.ContainsRune(text, ' ') || !strings.ContainsAny(text, "./")
}

// telegram reads the page as a Telegram channel's web preview.
func (p *pageParse) telegram() (ParseResult, error) {
	doc := p.htmlDoc()
	if doc == nil {
		return ParseResult{}, fmt.Errorf("sources: telegram %q: page nested too deep to parse", p.src.Name)
	}
	tg := parseTelegram(p.src.Name, doc)
	r := ParseResult{Entries: tg.Entries, Format: FormatTelegram}
	if tg.Posts == 0 {
		r.Notes = append(r.Notes, "the page has no Telegram posts (.tgme_widget_message with a data-post)")
		return r, nil
	}
	r.paging = &paging{Oldest: tg.Oldest, Newest: tg.Newest}
	if tg.More {
		r.paging.Before = beforeURL(p.pageURL(), tg.Oldest)
	}
	return r, nil
}
