package sources

import (
	"bytes"
	"mime"
	"regexp"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// byteOrderMarks are the BOMs toUTF8 recognises, with the encoding each one names.
var byteOrderMarks = []struct {
	bom  []byte
	name string
}{
	{[]byte{0xEF, 0xBB, 0xBF}, "utf-8"},
	{[]byte{0xFE, 0xFF}, "utf-16be"},
	{[]byte{0xFF, 0xFE}, "utf-16le"},
}

// xmlEncodingRE finds the encoding declared in an XML declaration; group 1 is the label.
var xmlEncodingRE = regexp.MustCompile(`^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// metaCharsetRE finds a charset declared in an HTML <meta> element; group 1 is the label.
var metaCharsetRE = regexp.MustCompile(`(?i)<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)`)

// prescanLen is how far into a body toUTF8 looks for a <meta> charset, as browsers do.
const prescanLen = 1024

// toUTF8 converts a body to UTF-8. Its encoding is, in order: the one named by a byte-order
// mark (which is removed), by the charset parameter of contentType, by an XML declaration, by
// an HTML <meta> within the first 1024 bytes; else UTF-8 if the body is valid UTF-8, else
// windows-1252. Labels are read as browsers read them (golang.org/x/net/html/charset).
// Bytes invalid in the encoding become U+FFFD. An XML declaration in the result declares
// UTF-8, so that an XML parser does not decode it a second time.
func toUTF8(body []byte, contentType string) []byte {
	name := ""
	for _, b := range byteOrderMarks {
		if bytes.HasPrefix(body, b.bom) {
			body, name = body[len(b.bom):], b.name
			break
		}
	}
	if name == "" {
		name = declaredEncoding(body, contentType)
	}
	if name == "" {
		if utf8.Valid(body) {
			return fixXMLDeclaration(body)
		}
		name = "windows-1252"
	}
	out := body
	if name == "utf-8" {
		out = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	} else if e, _ := charset.Lookup(name); e != nil {
		decoded, err := e.NewDecoder().Bytes(body)
		if err != nil {
			decoded = bytes.ToValidUTF8(body, []byte("\uFFFD"))
		}
		out = decoded
	}
	return fixXMLDeclaration(out)
}

// declaredEncoding returns the canonical name of the encoding the content type, an XML
// declaration or an HTML <meta> of body declares, or "" for none (or one unknown). A UTF-16
// declaration without a byte-order mark cannot be true of a body it could be read in; it
// is taken as UTF-8, as browsers do.
func declaredEncoding(body []byte, contentType string) string {
	type label struct {
		name   string
		inBody bool // declared inside the body, not by the content type
	}
	var labels []label
	if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
		labels = append(labels, label{params["charset"], false})
	}
	if m := xmlEncodingRE.FindSubmatch(body); m != nil {
		labels = append(labels, label{string(m[1]), true})
	}
	head := body[:min(len(body), prescanLen)]
	if m := metaCharsetRE.FindSubmatch(head); m != nil {
		labels = append(labels, label{string(m[1]), true})
	}
	for _, l := range labels {
		_, name := charset.Lookup(l.name)
		switch {
		case name == "" || name == "replacement":
			continue
		case l.inBody && (name == "utf-16le" || name == "utf-16be"):
			return "utf-8" // declared inside an ASCII-readable body
		}
		return name
	}
	return ""
}

// fixXMLDeclaration rewrites the encoding of an XML declaration at the start of body, if
// any, to UTF-8.
func fixXMLDeclaration(body []byte) []byte {
	m := xmlEncodingRE.FindSubmatchIndex(body)
	if m == nil || bytes.EqualFold(body[m[2]:m[3]], []byte("utf-8")) {
		return body
	}
	out := make([]byte, 0, len(body))
	out = append(out, body[:m[2]]...)
	out = append(out, "UTF-8"...)
	return append(out, body[m[3]:]...)
}
