package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"livealert/sources"
)

const sourceCheckUsage = "usage: livealert source check URL|FILE|@channel [-format F] [-container SEL] [-follow RE] [-n N]\n" +
	"       livealert source check -config FILE -source NAME [URL|FILE]\n\n" +
	"Fetches a page or feed once, the way the bot would, and shows what it finds: the format\n" +
	"detected and every entry (UTC time, id, pinned, title, the first words of the body).\n" +
	"A public Telegram channel is @name or t.me/name (read from https://t.me/s/name).\n" +
	"Ids depend on the source's name: they are those of a source named \"check\" unless\n" +
	"-source names a configured one. Exits 1, saying why, when nothing is found.\n\n"

// sourceCommand runs `livealert source check|export|import …`.
func (p *program) sourceCommand(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "export" {
		return p.sourceExportCommand(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "import" {
		return p.sourceImportCommand(args[1:])
	}
	if len(args) == 0 || args[0] != "check" {
		return &usageError{msg: strings.TrimSpace(strings.SplitN(sourceCheckUsage, "\n\n", 2)[0]) +
			"\n       livealert source export [-config FILE]\n       livealert source import FILE.opml"}
	}
	fs := flag.NewFlagSet("livealert source check", flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	format := fs.String("format", "", "read the body as `F`: "+formatList(" or ")+" (default auto)")
	container := fs.String("container", "", "paragraph mode: the CSS `selector` of the part of the page to read")
	follow := fs.String("follow", "", "URL is an index page or feed: read its newest link matching this `regexp`")
	limit := fs.Int("n", 0, "show at most `N` entries (0: all)")
	configPath := fs.String("config", "", "take the settings of -source from this configuration `file`")
	name := fs.String("source", "", "check the configured source with this `name` (its url unless one is given)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), sourceCheckUsage)
		fs.PrintDefaults()
	}
	// Flags may come before or after the URL.
	var positional []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return &usageError{msg: err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(positional) > 1 {
		return &usageError{msg: fmt.Sprintf("source check: one URL or file, not %d (see livealert source check -h)", len(positional))}
	}

	src := sources.Source{Name: "check", Format: sources.FormatAuto}
	if *name != "" || *configPath != "" {
		if *name == "" || *configPath == "" {
			return &usageError{msg: "source check: -config and -source go together"}
		}
		cfg, err := loadConfig(*configPath)
		if err != nil {
			return err
		}
		found := false
		for _, s := range cfg.Sources {
			if strings.EqualFold(s.Name, *name) {
				src, found = s.source(), true
				break
			}
		}
		if !found {
			return &usageError{msg: fmt.Sprintf("source check: %s names no source %q", *configPath, *name)}
		}
	}
	if len(positional) == 1 {
		src.URL = positional[0]
	}
	if channel, ok := sources.TelegramChannelURL(src.URL); ok {
		src.URL = channel
	}
	if src.URL == "" {
		return &usageError{msg: "source check: give a URL or a file (see livealert source check -h)"}
	}
	if *format != "" {
		src.Format = sources.Format(*format)
		if !isFormat(src.Format) {
			return &usageError{msg: fmt.Sprintf("source check: -format %q is not one of %s", *format, formatList(", "))}
		}
	}
	if *container != "" {
		if err := sources.CheckSelector(*container); err != nil {
			return &usageError{msg: fmt.Sprintf("source check: -container %q is not a CSS selector: %v", *container, err)}
		}
		src.Container = *container
	}
	if *follow != "" {
		re, err := regexp.Compile(*follow)
		if err != nil {
			return &usageError{msg: fmt.Sprintf("source check: -follow %q: %v", *follow, err)}
		}
		src.Follow = re
	}
	return p.checkSource(ctx, src, *limit)
}

// formatList names the formats a source may have, in order, the last two joined by last.
func formatList(last string) string {
	names := make([]string, 0, len(sources.Formats()))
	for _, f := range sources.Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names[:len(names)-1], ", ") + last + names[len(names)-1]
}

func isFormat(f sources.Format) bool {
	for _, known := range sources.Formats() {
		if f == known {
			return true
		}
	}
	return false
}

// checkSource fetches and parses src once and prints what it found.
func (p *program) checkSource(ctx context.Context, src sources.Source, limit int) error {
	fetcher := sources.NewFetcher(sources.FetcherOptions{UserAgent: userAgent(), Client: p.httpClient})
	out := p.stdout
	c, err := sources.Check(ctx, fetcher, src)
	if err != nil {
		return err
	}
	if c.Index != "" {
		fmt.Fprintf(out, "Index    %s\n", c.Index)
	}
	resp, r, target := c.Response, c.ParseResult, src.URL
	if c.Index != "" {
		target = resp.URL
	}
	asked := src.Format
	if asked == "" {
		asked = sources.FormatAuto
	}
	detected := string(r.Format)
	if asked == sources.FormatAuto {
		detected = "auto → " + detected
	}
	fmt.Fprintf(out, "Source   %s\n", resp.URL)
	fmt.Fprintf(out, "Format   %s\n", detected)
	fetched := []string{groupDigits(len(resp.Body)) + " bytes"}
	if resp.ContentType != "" {
		fetched = append(fetched, resp.ContentType)
	}
	if resp.LastModified != "" {
		fetched = append(fetched, "Last-Modified "+resp.LastModified)
	}
	fmt.Fprintf(out, "Fetched  %s\n", strings.Join(fetched, " · "))
	for _, n := range r.Notes {
		fmt.Fprintf(out, "Note     %s\n", n)
	}
	if len(r.Entries) == 0 {
		if r.Format == sources.FormatFeed {
			return errors.New("source check: the feed has no items")
		}
		return fmt.Errorf("source check: no entries found in %s read as %s (try -format, -container, or selectors in the config)", target, r.Format)
	}
	printEntries(out, r.Entries, limit)
	return nil
}

// printEntries prints a summary line and each entry: time and id, then title, the first
// words of the body and the permalink, indented.
func printEntries(w io.Writer, entries []sources.Entry, limit int) {
	var newest, oldest time.Time
	undated := 0
	for _, e := range entries {
		if e.Published.IsZero() {
			undated++
			continue
		}
		if newest.IsZero() || e.Published.After(newest) {
			newest = e.Published
		}
		if oldest.IsZero() || e.Published.Before(oldest) {
			oldest = e.Published
		}
	}
	summary := []string{plural(len(entries), "entry", "entries")}
	if !newest.IsZero() {
		summary = append(summary, "newest "+utcMinute(newest), "oldest "+utcMinute(oldest))
	}
	if undated > 0 {
		summary = append(summary, plural(undated, "undated entry", "undated entries")+" (dated when first seen)")
	}
	fmt.Fprintf(w, "\n%s\n", strings.Join(summary, " · "))
	shown := entries
	if limit > 0 && len(shown) > limit {
		shown = shown[:limit]
	}
	for _, e := range shown {
		when := "undated             "
		if !e.Published.IsZero() {
			when = utcMinute(e.Published)
		}
		line := when + "  " + e.ID
		if e.Pinned {
			line += "  📌 pinned"
		}
		fmt.Fprintf(w, "\n%s\n", line)
		fmt.Fprintf(w, "  %s\n", truncateRunes(e.Title, 100))
		if len(e.Body) > 0 {
			fmt.Fprintf(w, "  %s\n", firstWords(strings.Join(e.Body, " "), 16))
		}
		if e.URL != "" {
			fmt.Fprintf(w, "  %s\n", e.URL)
		}
	}
	if len(shown) < len(entries) {
		fmt.Fprintf(w, "\n… and %s (-n 0 shows all)\n", plural(len(entries)-len(shown), "more entry", "more entries"))
	}
}

func utcMinute(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// firstWords returns the first n words of s, with "…" when there were more.
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:n], " ") + " …"
}

// truncateRunes cuts s to at most n runes, ending with "…" when it was cut.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// groupDigits writes n with thousands separators: 248,970.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// userAgent is the User-Agent livealert fetches with.
func userAgent() string {
	return "livealert/" + buildVersion() + " (+https://github.com/livealert)"
}
