package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"livealert/sources"
)

// replayLead is the wall time between the start of a replay and its first entry.
const replayLead = time.Second

// replayFit is how long a replay takes when no speed is given: its speed is chosen so that
// its first and last entries are this far apart.
const replayFit = 40 * time.Second

// replay serves the entries of a page as a JSON Feed that grows as a replay clock passes
// each entry's published time: the real watcher polls it like any feed. Until start is
// called, and until the feed has been served once empty, it is empty: the watcher's first
// poll records nothing, so every entry of the page is news.
type replay struct {
	entries []sources.Entry // oldest first; undated ones first of all
	first   time.Time       // the replay clock at start: replayLead before the oldest entry
	speed   float64
	now     func() time.Time // the wall clock the replay runs on
	srv     *httptest.Server

	mu          sync.Mutex
	started     time.Time // zero until start
	servedEmpty bool
	fullServes  int // polls answered with every entry
	changed     chan struct{}
}

// parseReplay fetches and parses the page at target once, as the source src would (its
// name and format; its URL is target), and returns its entries oldest first.
func parseReplay(ctx context.Context, src sources.Source, target string, body []byte) ([]sources.Entry, error) {
	var resp sources.Response
	if body != nil {
		resp = sources.Response{Body: body, URL: target, Date: time.Now().UTC()}
	} else {
		var err error
		resp, err = sources.NewFetcher(sources.FetcherOptions{UserAgent: userAgent()}).Fetch(ctx, target, sources.State{})
		if err != nil {
			return nil, fmt.Errorf("console: replay: %w", err)
		}
	}
	src.URL = target
	r, err := sources.ParsePage(src, resp)
	if err != nil {
		return nil, fmt.Errorf("console: replay: %w", err)
	}
	if len(r.Entries) == 0 {
		return nil, fmt.Errorf("console: replay: no entries found in %s read as %s (try livealert source check)", target, r.Format)
	}
	entries := slices.Clone(r.Entries)
	// Undated entries come first, in page order; dated ones by time; a stable sort keeps
	// the page's order among equal times reversed (pages list the newest first).
	slices.Reverse(entries)
	slices.SortStableFunc(entries, func(a, b sources.Entry) int { return a.Published.Compare(b.Published) })
	return entries, nil
}

// newReplay serves entries (oldest first) at speed times the speed they were published;
// speed 0 fits the replay into replayFit.
func newReplay(entries []sources.Entry, speed float64, now func() time.Time) *replay {
	var oldest, newest time.Time
	for _, e := range entries {
		if e.Published.IsZero() {
			continue
		}
		if oldest.IsZero() {
			oldest = e.Published
		}
		newest = e.Published
	}
	if speed <= 0 {
		speed = max(1, float64(newest.Sub(oldest))/float64(replayFit))
	}
	r := &replay{
		entries: entries,
		first:   oldest.Add(-time.Duration(float64(replayLead) * speed)),
		speed:   speed,
		now:     now,
		changed: make(chan struct{}),
	}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serveHTTP))
	return r
}

// URL is the address of the feed.
func (r *replay) URL() string { return r.srv.URL + "/feed.json" }

// Close stops serving.
func (r *replay) Close() { r.srv.Close() }

// start starts the replay clock.
func (r *replay) start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started.IsZero() {
		r.started = r.now()
	}
}

// clockLocked is the replay clock: the published time the replay has reached.
func (r *replay) clockLocked() time.Time {
	return r.first.Add(time.Duration(float64(r.now().Sub(r.started)) * r.speed))
}

// visibleLocked is how many entries the feed holds now.
func (r *replay) visibleLocked() int {
	if r.started.IsZero() || !r.servedEmpty {
		return 0
	}
	clock := r.clockLocked()
	n := 0
	for n < len(r.entries) && !r.entries[n].Published.After(clock) {
		n++
	}
	return n
}

// waitOver blocks until the replay is over, or ctx ends: every entry has been served and
// the poll that first served them all has been handled (the watcher polls a source
// sequentially, so a second poll answered with every entry means the first one's entries
// are stored).
func (r *replay) waitOver(ctx context.Context) error {
	for {
		r.mu.Lock()
		done, changed := r.fullServes >= 2, r.changed
		r.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// jsonFeed is the JSON Feed 1.1 document the replay serves.
type jsonFeed struct {
	Version string         `json:"version"`
	Title   string         `json:"title"`
	Items   []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string `json:"id"`
	URL           string `json:"url,omitempty"`
	Title         string `json:"title,omitempty"`
	ContentHTML   string `json:"content_html,omitempty"`
	DatePublished string `json:"date_published,omitempty"`
}

func (r *replay) serveHTTP(w http.ResponseWriter, _ *http.Request) {
	r.mu.Lock()
	n := r.visibleLocked()
	if n == 0 {
		r.servedEmpty = true
	}
	if n == len(r.entries) {
		r.fullServes++
	}
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()

	feed := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: "livealert replay", Items: []jsonFeedItem{}}
	for i := n - 1; i >= 0; i-- { // newest first, as feeds list them
		e := r.entries[i]
		item := jsonFeedItem{ID: e.ID, URL: e.URL, Title: e.Title}
		var body strings.Builder
		for _, p := range e.Body {
			body.WriteString("<p>" + html.EscapeString(p) + "</p>")
		}
		item.ContentHTML = body.String()
		if !e.Published.IsZero() {
			item.DatePublished = e.Published.UTC().Format(time.RFC3339)
		}
		feed.Items = append(feed.Items, item)
	}
	w.Header().Set("Content-Type", "application/feed+json")
	if err := json.NewEncoder(w).Encode(feed); err != nil && !errors.Is(err, http.ErrHandlerTimeout) {
		return // the watcher went away; it polls again
	}
}
