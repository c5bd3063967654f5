package render

import (
	"strings"

	"golang.org/x/net/html"
)

// PlainText is what a message in Telegram's HTML parse mode shows, without its formatting:
// the text between the tags, unescaped. It is the fallback sent without a parse mode when
// Telegram refuses the HTML, so it must never be longer than what Telegram would show.
func PlainText(src string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		}
	}
}
