package sources

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html/charset"
)

// OPMLNamespace is the XML namespace of livealert's own outline attribute, livealert:format,
// which keeps a source's format across an export and an import.
const OPMLNamespace = "https://livealert.invalid/opml"

// MaxOPMLSize is the most ParseOPML reads: a larger document is an error.
const MaxOPMLSize = 1 << 20

// OPMLSource is one source in an OPML document: its name, address and format.
type OPMLSource struct {
	Name   string
	URL    string
	Format Format
}

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr"`
	Type     string        `xml:"type,attr"`
	XMLURL   string        `xml:"xmlUrl,attr"`
	URL      string        `xml:"url,attr"`
	Format   string        `xml:"https://livealert.invalid/opml format,attr"`
	Outlines []opmlOutline `xml:"outline"`
}

// ParseOPML reads an OPML document of at most MaxOPMLSize bytes and returns its sources in
// document order, nested outlines (categories) flattened. An outline is a source when it has
// an xmlUrl or url; its name is its text, else its title, else its address; its format is its
// livealert:format, else FormatFeed for type rss or an xmlUrl, else FormatAuto. A source whose
// address an earlier one has (exactly, after trimming spaces) is dropped; names are made
// unique, ignoring case, by adding " (2)", " (3)"…. Formats are returned as written: the
// caller checks them.
func ParseOPML(r io.Reader) ([]OPMLSource, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxOPMLSize+1))
	if err != nil {
		return nil, fmt.Errorf("opml: %w", err)
	}
	if len(data) > MaxOPMLSize {
		return nil, fmt.Errorf("opml: larger than %d bytes", MaxOPMLSize)
	}
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	dec.CharsetReader = charset.NewReaderLabel
	var doc opmlDoc
	if err := dec.Decode(&doc); err != nil {
		var syntax *xml.SyntaxError
		if errors.As(err, &syntax) {
			return nil, fmt.Errorf("opml: line %d: %s", syntax.Line, syntax.Msg)
		}
		return nil, fmt.Errorf("opml: %w", err)
	}
	var out []OPMLSource
	seenURL := map[string]bool{}
	names := map[string]bool{}
	var walk func([]opmlOutline)
	walk = func(outlines []opmlOutline) {
		for _, o := range outlines {
			if s, ok := o.source(); ok && !seenURL[s.URL] {
				seenURL[s.URL] = true
				s.Name = uniqueName(s.Name, names)
				out = append(out, s)
			}
			walk(o.Outlines)
		}
	}
	walk(doc.Body)
	return out, nil
}

// source returns the source o describes, if it has an address.
func (o opmlOutline) source() (OPMLSource, bool) {
	s := OPMLSource{URL: strings.TrimSpace(o.XMLURL), Format: FormatFeed}
	if s.URL == "" {
		s.URL, s.Format = strings.TrimSpace(o.URL), FormatAuto
		if strings.EqualFold(o.Type, "rss") {
			s.Format = FormatFeed
		}
	}
	if s.URL == "" {
		return OPMLSource{}, false
	}
	if f := strings.TrimSpace(o.Format); f != "" {
		s.Format = Format(f)
	}
	s.Name = strings.Join(strings.Fields(o.Text), " ")
	if s.Name == "" {
		s.Name = strings.Join(strings.Fields(o.Title), " ")
	}
	if s.Name == "" {
		s.Name = s.URL
	}
	return s, true
}

// uniqueName returns name, or name with " (n)" added, that taken (lower-cased names) does
// not hold yet, and records it there.
func uniqueName(name string, taken map[string]bool) string {
	unique := name
	for n := 2; taken[strings.ToLower(unique)]; n++ {
		unique = name + " (" + strconv.Itoa(n) + ")"
	}
	taken[strings.ToLower(unique)] = true
	return unique
}

// WriteOPML writes an OPML 2.0 document titled title listing srcs, one outline each: a feed
// (FormatFeed) as type="rss" with xmlUrl, any other as type="link" with url; every outline
// carries livealert:format, so ParseOPML returns srcs as given.
func WriteOPML(w io.Writer, title string, srcs []OPMLSource) error {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<opml version="2.0" xmlns:livealert="` + OPMLNamespace + `">` + "\n")
	b.WriteString("  <head>\n    <title>" + escapeXML(title) + "</title>\n  </head>\n  <body>\n")
	for _, s := range srcs {
		format := s.Format
		if format == "" {
			format = FormatAuto
		}
		name := escapeXML(s.Name)
		if format == FormatFeed {
			fmt.Fprintf(&b, `    <outline type="rss" text="%s" title="%s" xmlUrl="%s" livealert:format="%s"/>`+"\n",
				name, name, escapeXML(s.URL), escapeXML(string(format)))
		} else {
			fmt.Fprintf(&b, `    <outline type="link" text="%s" title="%s" url="%s" livealert:format="%s"/>`+"\n",
				name, name, escapeXML(s.URL), escapeXML(string(format)))
		}
	}
	b.WriteString("  </body>\n</opml>\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("opml: %w", err)
	}
	return nil
}

// escapeXML escapes s for text and double-quoted attributes.
func escapeXML(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}
