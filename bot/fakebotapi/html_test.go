package fakebotapi

import (
	"html"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

func ent(t models.MessageEntityType, offset, length int) models.MessageEntity {
	return models.MessageEntity{Type: t, Offset: offset, Length: length}
}

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		plain    string
		entities []models.MessageEntity
		err      string // the whole error message; "" for success
	}{
		{name: "plain text", in: "just text", plain: "just text"},
		{name: "bare greater-than is text", in: "a > b", plain: "a > b"},
		{name: "valid nested tags", in: "<b>bold <i>both</i></b> plain", plain: "bold both plain",
			entities: []models.MessageEntity{ent("bold", 0, 9), ent("italic", 5, 4)}},
		{name: "tag names are case-insensitive", in: "<B>x</B><Strong>y</sTrong>", plain: "xy",
			entities: []models.MessageEntity{ent("bold", 0, 1), ent("bold", 1, 1)}},
		{name: "all simple tags", in: "<i>1</i><em>2</em><u>3</u><ins>4</ins><s>5</s><strike>6</strike><del>7</del><code>8</code><tg-spoiler>9</tg-spoiler>",
			plain: "123456789",
			entities: []models.MessageEntity{ent("italic", 0, 1), ent("italic", 1, 1), ent("underline", 2, 1),
				ent("underline", 3, 1), ent("strikethrough", 4, 1), ent("strikethrough", 5, 1),
				ent("strikethrough", 6, 1), ent("code", 7, 1), ent("spoiler", 8, 1)}},
		{name: "link with escaped ampersand in URL", in: `<a href="https://example.com/?a=1&amp;b=2">link</a>`, plain: "link",
			entities: []models.MessageEntity{{Type: "text_link", Offset: 0, Length: 4, URL: "https://example.com/?a=1&b=2"}}},
		{name: "link in single quotes", in: `<a href='https://example.com/x'>x</a>`, plain: "x",
			entities: []models.MessageEntity{{Type: "text_link", Offset: 0, Length: 1, URL: "https://example.com/x"}}},
		{name: "link without href uses its text", in: `<a>example.com</a>`, plain: "example.com",
			entities: []models.MessageEntity{{Type: "text_link", Offset: 0, Length: 11, URL: "http://example.com"}}},
		{name: "user mention link", in: `<a href="tg://user?id=42">Bob</a>`, plain: "Bob",
			entities: []models.MessageEntity{{Type: "text_mention", Offset: 0, Length: 3, User: &models.User{ID: 42}}}},
		{name: "spoiler span", in: `<span class="tg-spoiler">x</span>`, plain: "x",
			entities: []models.MessageEntity{ent("spoiler", 0, 1)}},
		{name: "pre with language", in: `<pre><code class="language-go">x := 1</code></pre>`, plain: "x := 1",
			entities: []models.MessageEntity{{Type: "pre", Offset: 0, Length: 6, Language: "go"}}},
		{name: "code language is dropped outside pre", in: `<code class="language-go">x</code>`, plain: "x",
			entities: []models.MessageEntity{ent("code", 0, 1)}},
		{name: "expandable blockquote", in: `<blockquote expandable>q</blockquote><blockquote>r</blockquote>`, plain: "qr",
			entities: []models.MessageEntity{ent("expandable_blockquote", 0, 1), ent("blockquote", 1, 1)}},
		{name: "custom emoji", in: `<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, plain: "👍",
			entities: []models.MessageEntity{{Type: "custom_emoji", Offset: 0, Length: 2, CustomEmojiID: "5368324170671202286"}}},
		{name: "empty tags make no entity", in: "a<b></b>c", plain: "ac"},
		{name: "short end tag closes the open tag", in: "<b>x</>", plain: "x",
			entities: []models.MessageEntity{ent("bold", 0, 1)}},
		{name: "named entities", in: "&lt;b&gt; &amp; &quot;q&quot;", plain: `<b> & "q"`},
		{name: "numeric entities", in: "&#60;&#x3E;&#39;&#34;&#128512;&#x1F600;", plain: `<>'"😀😀`},
		{name: "entities count in UTF-16", in: "😀 <b>&#128512;x</b>", plain: "😀 😀x",
			entities: []models.MessageEntity{ent("bold", 3, 3)}},
		{name: "offsets count UTF-16 not bytes", in: "Привет <i>мир</i>", plain: "Привет мир",
			entities: []models.MessageEntity{ent("italic", 7, 3)}},

		{name: "bare less-than", in: "a < b", err: `Unsupported start tag "" at byte offset 2`},
		{name: "less-than before a word", in: "1 <x> 2", err: `Unsupported start tag "x" at byte offset 2`},
		{name: "less-than at the end", in: "a <", err: "Unclosed start tag at byte offset 2"},
		{name: "bare ampersand", in: "AT&T", err: `Unescaped "&" at byte offset 2, use "&amp;"`},
		{name: "ampersand before space", in: "a & b", err: `Unescaped "&" at byte offset 2, use "&amp;"`},
		{name: "ampersand in an attribute", in: `<a href="https://x.test/?a=1&b=2">x</a>`, err: `Unescaped "&" at byte offset 28, use "&amp;"`},
		{name: "unknown entity", in: "a&nbsp;b", err: `Unsupported HTML entity "&nbsp;" at byte offset 1`},
		{name: "entity without semicolon", in: "&lt b", err: `HTML entity "&lt" at byte offset 0 must end with ";"`},
		{name: "numeric zero", in: "&#0;", err: `Invalid numeric HTML entity "&#0;" at byte offset 0`},
		{name: "numeric too long", in: "&#00000065;", err: `Invalid numeric HTML entity "&#00000065;" at byte offset 0`},
		{name: "numeric above Unicode", in: "&#x110000;", err: `Invalid numeric HTML entity "&#x110000;" at byte offset 0`},
		{name: "numeric without digits", in: "&#;", err: `Invalid numeric HTML entity "&#;" at byte offset 0`},
		{name: "numeric surrogate", in: "&#xD83D;", err: "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units"},
		{name: "unknown tag", in: "<p>text</p>", err: `Unsupported start tag "p" at byte offset 0`},
		{name: "self-closing tag", in: "a<br/>b", err: `Unsupported start tag "br/" at byte offset 1`},
		{name: "unclosed tag", in: "<b>bold", err: `Can't find end tag corresponding to start tag "b"`},
		{name: "misnested tags", in: "<b><i>x</b></i>", err: `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{name: "end tag without start tag", in: "x</b>", err: "Unexpected end tag at byte offset 1"},
		{name: "unclosed end tag", in: "<b>x</b", err: "Unclosed end tag at byte offset 4"},
		{name: "junk in end tag", in: "<b>x</b y>", err: "Unclosed end tag at byte offset 4"},
		{name: "span without spoiler class", in: "<span>x</span>", err: `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{name: "unquoted URL", in: "<a href=https://x.test>x</a>", err: "Unexpected end of name token at byte offset 8"},
		{name: "attribute without name", in: `<b ="x">y</b>`, err: `Empty attribute name in the tag "b" at byte offset 0`},
		{name: "attribute value missing", in: `<a href=`, err: `Unclosed start tag "a" at byte offset 0`},
		{name: "unterminated attribute", in: `<a href="x>y</a>`, err: `Unclosed start tag at byte offset 0`},
		{name: "bad custom emoji id", in: `<tg-emoji emoji-id="abc">👍</tg-emoji>`, err: "Invalid custom emoji identifier specified"},
		{name: "bad date format", in: `<tg-time unix="1700000000" format="x">now</tg-time>`, err: "Invalid date format used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain, entities, err := parseHTML(tt.in)
			if tt.err != "" {
				if err == nil {
					t.Fatalf("parseHTML(%q) = %q, %v; want error %q", tt.in, plain, entities, tt.err)
				}
				if err.Error() != tt.err {
					t.Fatalf("parseHTML(%q) error = %q, want %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseHTML(%q) error = %v", tt.in, err)
			}
			if plain != tt.plain {
				t.Errorf("plain = %q, want %q", plain, tt.plain)
			}
			if len(entities) != 0 || len(tt.entities) != 0 {
				if !reflect.DeepEqual(entities, tt.entities) {
					t.Errorf("entities = %+v, want %+v", entities, tt.entities)
				}
			}
		})
	}
}

// The byte offsets in errors point at the offending '<' or '&' in the input.
func TestParseHTMLOffsetsPointAtInput(t *testing.T) {
	in := "ok <b>fine</b> then <oops> here"
	_, _, err := parseHTML(in)
	if err == nil {
		t.Fatal("want an error")
	}
	want := `Unsupported start tag "oops" at byte offset 20`
	if err.Error() != want || in[20] != '<' {
		t.Fatalf("error = %q, want %q (byte 20 is %q)", err, want, in[20])
	}
}

func TestFormatTextLengths(t *testing.T) {
	emoji := strings.Repeat("😀", 2048) // 4096 UTF-16 units, 8192 bytes
	tests := []struct {
		name      string
		text      string
		parseMode string
		err       string // description, "" for success
		plainLen  int    // UTF-16 length of the stored text, checked on success
	}{
		{name: "exactly 4096 units of surrogate pairs", text: emoji, plainLen: 4096},
		{name: "4097 units", text: emoji + "a", err: "Bad Request: message is too long"},
		{name: "tags do not count", text: "<b>" + strings.Repeat("a", 4096) + "</b>", parseMode: "HTML", plainLen: 4096},
		{name: "entities count once decoded", text: strings.Repeat("&lt;", 4096), parseMode: "HTML", plainLen: 4096},
		{name: "decoded text over the limit", text: strings.Repeat("&amp;", 4097), parseMode: "HTML", err: "Bad Request: message is too long"},
		{name: "HTML emoji at the limit", text: "<i>" + emoji + "</i>", parseMode: "html", plainLen: 4096},
		{name: "trailing space is trimmed before counting", text: strings.Repeat("a", 4096) + "   \n", plainLen: 4096},
		{name: "empty", text: "", err: "Bad Request: message text is empty"},
		{name: "blank", text: " \n ", err: "Bad Request: text must be non-empty"},
		{name: "blank after parsing", text: "<b> </b>", parseMode: "HTML", err: "Bad Request: text must be non-empty"},
		{name: "raw text over 32 KiB", text: strings.Repeat("<b></b>", 5000) + "x", parseMode: "HTML", err: "Bad Request: text is too long"},
		{name: "unknown parse mode", text: "x", parseMode: "BBCode", err: "Bad Request: unsupported parse_mode"},
		{name: "invalid UTF-8", text: "a\xffb", err: "Bad Request: strings must be encoded in UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft, apiErr := formatText(tt.text, tt.parseMode, "")
			if tt.err != "" {
				if apiErr == nil || apiErr.description != tt.err || apiErr.code != 400 {
					t.Fatalf("formatText error = %+v, want 400 %q", apiErr, tt.err)
				}
				return
			}
			if apiErr != nil {
				t.Fatalf("formatText error = %+v", apiErr)
			}
			if got := utf16Len(ft.plain); got != tt.plainLen {
				t.Fatalf("plain text is %d UTF-16 units, want %d", got, tt.plainLen)
			}
		})
	}
}

func TestTrimText(t *testing.T) {
	plain, entities, err := parseHTML("\n  <b>x</b> y \n")
	if err != nil {
		t.Fatal(err)
	}
	got, gotEntities := trimText(plain, entities)
	if got != "x y" {
		t.Errorf("text = %q, want %q", got, "x y")
	}
	if want := []models.MessageEntity{ent("bold", 0, 1)}; !reflect.DeepEqual(gotEntities, want) {
		t.Errorf("entities = %+v, want %+v", gotEntities, want)
	}
	// Leading white space inside an entity stays.
	plain, entities, _ = parseHTML("<code>  x</code>")
	if got, _ := trimText(plain, entities); got != "  x" {
		t.Errorf("text = %q, want %q", got, "  x")
	}
}

// FuzzParseHTML checks that the parser never panics, that what it accepts is
// consistent, and that escaping any text with html.EscapeString (what the
// bot does) always parses back to that text.
func FuzzParseHTML(f *testing.F) {
	for _, s := range []string{
		"", "plain", "<b>bold <i>both</i></b>", `<a href="https://x.test/?a=1&amp;b=2">l</a>`,
		"a < b", "AT&T", "&nbsp;", "&#60;&#x3E;&#128512;", "<b>x", "<b><i>x</b></i>", "</b>", "</>",
		`<pre><code class="language-go">x</code></pre>`, `<span class="tg-spoiler">s</span>`,
		`<tg-emoji emoji-id="1">😀</tg-emoji>`, `<blockquote expandable>q</blockquote>`,
		`<a href='x' title=y z>t</a>`, "<b\x00>", "&#xD800;", "&#1114111;", "<a href=\"", "😀<b>&amp;</b>",
		`<tg-time unix="1" format="wDT">t</tg-time>`, "<b =x>", "\xff<\xfe>", "&#x", "&",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plain, entities, err := parseHTML(s)
		if err == nil && utf8.ValidString(s) { // callers reject invalid UTF-8 before parsing
			n := utf16Len(plain)
			for _, e := range entities {
				if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
					t.Fatalf("parseHTML(%q): entity %+v outside plain text of %d units", s, e, n)
				}
			}
			if !utf8.ValidString(plain) {
				t.Fatalf("parseHTML(%q): invalid UTF-8 plain text %q", s, plain)
			}
			if !strings.ContainsAny(s, "<&") && plain != s {
				t.Fatalf("parseHTML(%q): text without markup changed to %q", s, plain)
			}
		}
		if _, ok := err.(*htmlError); err != nil && !ok {
			t.Fatalf("parseHTML(%q): error of type %T", s, err)
		}

		escaped := html.EscapeString(s)
		plain, entities, err = parseHTML(escaped)
		if err != nil {
			t.Fatalf("parseHTML(html.EscapeString(%q)) error: %v", s, err)
		}
		if plain != s || len(entities) != 0 {
			t.Fatalf("parseHTML(html.EscapeString(%q)) = %q, %v", s, plain, entities)
		}
	})
}
