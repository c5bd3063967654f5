package sources

import (
	"context"
	"regexp"
	"slices"
	"time"
)

// Format says how a source's body is read.
type Format string

const (
	// FormatAuto detects the format from the content type and the body.
	FormatAuto Format = "auto"
	// FormatLiveBlog is the live-blog text format: time-stamped headers, paragraphs, newest first.
	FormatLiveBlog Format = "liveblog"
	// FormatFeed is RSS, Atom or JSON Feed.
	FormatFeed Format = "feed"
	// FormatJSONLD is the schema.org LiveBlogPosting JSON-LD of an HTML page (or a bare
	// JSON-LD document).
	FormatJSONLD Format = "jsonld"
	// FormatSelectors reads an HTML page's updates with the source's CSS selectors.
	FormatSelectors Format = "selectors"
	// FormatTelegram is a public Telegram channel's web preview, https://t.me/s/<name>: one
	// entry per post.
	FormatTelegram Format = "telegram"
)

// formats are the formats a source may name, in the order the documentation lists them.
var formats = []Format{FormatAuto, FormatLiveBlog, FormatJSONLD, FormatSelectors, FormatTelegram, FormatFeed}

// Formats returns the formats a source may name, in the order the documentation lists them.
func Formats() []Format { return slices.Clone(formats) }

// Source is one page or feed to watch.
type Source struct {
	// Name identifies the source; entries carry it and state is stored under it.
	Name string
	// URL is an http(s) URL or a local file path.
	URL string
	// Format is how the body is read; "" means FormatAuto.
	Format Format
	// PollInterval is the time between polls.
	PollInterval time.Duration
	// Selectors, if set, say where the updates of an HTML page are in its markup (see
	// Selectors); FormatAuto uses them when the page has no JSON-LD with per-update times.
	Selectors *Selectors
	// Container is a CSS selector for the part of an HTML page whose block-level text the
	// live-blog text parser reads ("paragraph mode"); "" means the page's <article>
	// elements, else its <main>, else its <body>.
	Container string
	// SplitLiveBlogItems splits a feed item whose description holds <time datetime=…>
	// blocks (a Guardian live blog in an RSS feed) into one entry per block.
	SplitLiveBlogItems bool
	// AlertOnEdit re-alerts an entry whose content changed; otherwise an edit only updates
	// the stored text.
	AlertOnEdit bool
	// Follow, if set, makes URL an index page or feed: each poll fetches it, picks the newest
	// link matching Follow, and reads that page as the source (a daily live blog).
	Follow *regexp.Regexp
	// Fetcher, if set, fetches this source instead of the watcher's (a source a user
	// suggested goes through a guarded one: FetcherOptions.CheckAddress).
	Fetcher *Fetcher
}

// State is what the watcher remembers of a source between polls and restarts.
type State struct {
	// ETag and LastModified are the validators of the last body handled successfully.
	ETag         string
	LastModified string
	// LastSuccess is when a poll last succeeded; zero if never.
	LastSuccess time.Time
	// Failures counts the polls that failed since the last success.
	Failures int
	// LastError is the last failure's message, "" after a success.
	LastError string
	// Page is, for a source that follows links (Source.Follow), the page read last; ETag and
	// LastModified are its validators. "" for other sources.
	Page string
	// LastPost is, for a source whose posts are numbered (a Telegram channel), the highest
	// post number handed over; 0 when none is known. A poll that finds the page's oldest
	// post further on catches up on the posts between (see Watcher.Run).
	LastPost int64
}

// StateStore keeps each source's State. SourceState returns the zero State for a source it
// has never seen.
type StateStore interface {
	SourceState(ctx context.Context, name string) (State, error)
	SaveSourceState(ctx context.Context, name string, st State) error
}

// Handler receives every entry currently on a source's page after each successful poll that
// brought a new body. The watcher saves the new validators (ETag, Last-Modified) only after
// the handler returned nil, so entries are never lost to a 304 after a failed hand-over.
type Handler func(ctx context.Context, src Source, entries []Entry) error
