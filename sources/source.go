package sources

import (
	"context"
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
)

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
