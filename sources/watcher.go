package sources

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	// DefaultPollInterval is the interval of a source whose PollInterval is zero.
	DefaultPollInterval = time.Minute
	// maxBackoff caps the wait after failures (unless the poll interval is longer still).
	maxBackoff = 30 * time.Minute
	// backoffJitter is the relative spread of the wait after a failure: ±20%.
	backoffJitter = 0.2
)

// WatcherOptions configure a Watcher.
type WatcherOptions struct {
	// Sources are the sources to watch; their names must be unique and non-empty.
	Sources []Source
	// Fetcher fetches them; nil means NewFetcher(FetcherOptions{}).
	Fetcher *Fetcher
	// State keeps each source's State between polls; required.
	State StateStore
	// Logger logs failed polls; nil discards.
	Logger *slog.Logger
	// Now is the clock for LastSuccess; nil means time.Now.
	Now func() time.Time
	// Observe, when set, is told how every poll went, for metrics. It must not block.
	Observe func(Poll)
}

// Poll is how one poll of a source went, as WatcherOptions.Observe is told it.
type Poll struct {
	Source string
	// Took is the poll's duration: fetching, parsing and handing the entries over.
	Took time.Duration
	// NotModified: the server said the page had not changed (a conditional GET).
	NotModified bool
	// Failed: the poll failed (the source's State says why).
	Failed bool
}

// Watcher polls sources and hands their entries to a Handler. Sources may be added and
// removed while it runs (Add, Remove).
type Watcher struct {
	opts WatcherOptions

	mu      sync.Mutex
	sources map[string]bool        // names of the sources watched or to be watched
	added   []Source               // added before Run started
	running map[string]*watchState // while Run runs: the sources polled
	runCtx  context.Context        // Run's; nil before it starts
	handle  Handler
	wg      sync.WaitGroup // the sources' goroutines
	stopped bool           // Run has returned
}

// watchState is a source's goroutine: cancel stops it, done is closed once it has.
type watchState struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// NewWatcher returns a Watcher with opts, defaults filled in.
func NewWatcher(opts WatcherOptions) *Watcher {
	if opts.Fetcher == nil {
		opts.Fetcher = NewFetcher(FetcherOptions{})
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	w := &Watcher{opts: opts, sources: map[string]bool{}, running: map[string]*watchState{}}
	for _, src := range opts.Sources {
		w.sources[src.Name] = true // Run checks them
	}
	return w
}

// Add watches src too: at once when Run is running, from its start when it is not yet. It
// fails for a source without a name or with the name of a source watched already, and once
// Run has returned.
func (w *Watcher) Add(src Source) error {
	if src.Name == "" {
		return fmt.Errorf("sources: watcher: source %s has no name", src.URL)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.stopped:
		return errors.New("sources: watcher: stopped")
	case w.sources[src.Name]:
		return fmt.Errorf("sources: watcher: two sources named %q", src.Name)
	}
	w.sources[src.Name] = true
	if w.runCtx == nil {
		w.added = append(w.added, src)
		return nil
	}
	w.start(src)
	return nil
}

// Remove stops watching the source named name and returns once its poll in progress, if
// any, has ended, so that its handler is not called again; it reports whether the source
// was watched. It must not be called from the Handler.
func (w *Watcher) Remove(name string) bool {
	w.mu.Lock()
	if !w.sources[name] {
		w.mu.Unlock()
		return false
	}
	delete(w.sources, name)
	w.added = slices.DeleteFunc(w.added, func(s Source) bool { return s.Name == name })
	st := w.running[name]
	delete(w.running, name)
	w.mu.Unlock()
	if st != nil {
		st.cancel()
		<-st.done
	}
	return true
}

// start starts src's goroutine. w.mu is held and Run is running.
func (w *Watcher) start(src Source) {
	ctx, cancel := context.WithCancel(w.runCtx)
	st := &watchState{cancel: cancel, done: make(chan struct{})}
	w.running[src.Name] = st
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer close(st.done)
		defer cancel()
		w.watch(ctx, src, w.handle)
	}()
}

// Run polls every source, each in its own goroutine, until ctx ends, and returns nil once
// all have stopped. A source is polled at once, then PollInterval (default 1m) after each
// successful poll; after a failed poll the wait is min(interval·2^failures, 30m) — never less
// than the interval — ±20%.
//
// A poll loads the source's State, fetches the source with its validators (for a source
// that follows links, the page its index names: see fetchAndHand) and, unless it is not
// modified, parses the body (see ParsePage) and calls handle with all its entries; a feed
// may have none. Only after handle returned nil are the new validators saved, with
// LastSuccess set and Failures and LastError cleared; a not-modified poll is a success that
// hands nothing. A failure (fetch, parse, handler, a page that is not a feed with no
// entries) is logged, and saved as Failures+1 and LastError with the old validators kept,
// so the next poll fetches the whole body again. A page without entries does not back off:
// the source is polled again at its interval.
//
// A Telegram channel's page shows only its newest posts: when its oldest post is more than
// one after State.LastPost, the poll first reads the pages before it (catchUp, at most 5,
// each with the fetcher's limits) and hands their entries over with the page's, oldest
// first. LastPost is then saved as the page's newest post — unless reading an older page
// failed, which leaves it for the next poll that brings a new body to try again.
//
// Run returns an error at once, polling nothing, when there is no StateStore or the source
// names are not unique and non-empty, or when it was called before. Sources added (Add)
// before it started are polled with the configured ones.
func (w *Watcher) Run(ctx context.Context, handle Handler) error {
	if w.opts.State == nil {
		return errors.New("sources: watcher: no state store")
	}
	if handle == nil {
		return errors.New("sources: watcher: no handler")
	}
	w.mu.Lock()
	if w.runCtx != nil || w.stopped {
		w.mu.Unlock()
		return errors.New("sources: watcher: Run called twice")
	}
	seen := make(map[string]bool, len(w.opts.Sources))
	for _, src := range w.opts.Sources {
		if src.Name == "" {
			w.mu.Unlock()
			return fmt.Errorf("sources: watcher: source %s has no name", src.URL)
		}
		if seen[src.Name] {
			w.mu.Unlock()
			return fmt.Errorf("sources: watcher: two sources named %q", src.Name)
		}
		seen[src.Name] = true
	}
	w.runCtx, w.handle = ctx, handle
	for _, src := range append(slices.Clone(w.opts.Sources), w.added...) {
		w.start(src)
	}
	w.added = nil
	w.mu.Unlock()

	<-ctx.Done()
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	w.wg.Wait()
	return nil
}

// watch polls one source until ctx ends.
func (w *Watcher) watch(ctx context.Context, src Source, handle Handler) {
	interval := src.PollInterval
	if interval <= 0 {
		interval = DefaultPollInterval
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		failures := w.poll(ctx, src, handle)
		if ctx.Err() != nil {
			return
		}
		timer.Reset(nextPoll(interval, failures))
	}
}

// fetcher returns the fetcher of src: its own, else the watcher's.
func (w *Watcher) fetcher(src Source) *Fetcher {
	if src.Fetcher != nil {
		return src.Fetcher
	}
	return w.opts.Fetcher
}

// nextPoll returns the wait before the next poll of a source after failures failed polls
// in a row.
func nextPoll(interval time.Duration, failures int) time.Duration {
	if failures <= 0 {
		return interval
	}
	limit := max(maxBackoff, interval)
	wait := interval
	for i := 0; i < failures && wait < limit; i++ {
		wait *= 2
	}
	wait = min(wait, limit)
	spread := (rand.Float64()*2 - 1) * backoffJitter
	return wait + time.Duration(float64(wait)*spread)
}

// poll polls src once and returns the number of failed polls in a row after it: 0 after
// a success.
func (w *Watcher) poll(ctx context.Context, src Source, handle Handler) int {
	log := w.opts.Logger.With("source", src.Name)
	st, err := w.opts.State.SourceState(ctx, src.Name)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("source state load failed", "error", err)
		}
		// Without the stored count, back off as after one failure.
		return 1
	}
	start := time.Now()
	notModified, err := w.fetchAndHand(ctx, src, st, handle, log)
	if ctx.Err() != nil {
		// Shutting down: whatever failed, it is not the source's fault.
		return st.Failures
	}
	if w.opts.Observe != nil {
		w.opts.Observe(Poll{Source: src.Name, Took: time.Since(start), NotModified: notModified, Failed: err != nil})
	}
	if err != nil {
		st.Failures++
		st.LastError = err.Error()
		if serr := w.opts.State.SaveSourceState(ctx, src.Name, st); serr != nil {
			log.Error("source state save failed", "error", serr)
		}
		if errors.Is(err, errNoEntries) {
			// The page was read; it is the page that is empty. Keep polling at the interval.
			log.Warn("source page has no entries", "error", err, "failures", st.Failures)
			return 0
		}
		log.Error("source poll failed", "error", err, "failures", st.Failures)
		return st.Failures
	}
	return 0
}

// errNoEntries is returned (wrapped) for a page, not a feed, in which no entry was found:
// a health error to show the operator, but no reason to back off.
var errNoEntries = errors.New("no entries found")

// fetchAndHand does the work of a poll and reports whether the page had not changed. On
// success it saves the new state itself.
//
// A source that follows links first fetches its URL, the index, in full and picks the page
// to read with FollowLink; when that is another page than st.Page, the old validators are
// dropped. Its entries without a permalink link to the page read. A page that is not a
// feed and yields no entries is an error wrapping errNoEntries, and nothing is handed over
// (a channel page whose posts have no text is not: it has posts).
func (w *Watcher) fetchAndHand(ctx context.Context, src Source, st State, handle Handler, log *slog.Logger) (notModified bool, err error) {
	page := src
	if src.Follow != nil {
		index, err := w.fetcher(src).Fetch(ctx, src.URL, State{})
		if err != nil {
			return false, err
		}
		link, err := FollowLink(index, src.Follow)
		if err != nil {
			return false, err
		}
		if link != st.Page {
			log.Info("source follows a new page", "page", link, "previous", st.Page)
			st.ETag, st.LastModified, st.Page = "", "", link
		}
		page.URL = link
	}
	resp, err := w.fetcher(src).Fetch(ctx, page.URL, st)
	if err != nil {
		return false, err
	}
	if !resp.NotModified {
		r, err := ParsePage(page, resp)
		if err != nil {
			return false, err
		}
		for _, note := range r.Notes {
			log.Debug("source parse note", "note", note, "format", r.Format)
		}
		if len(r.Entries) == 0 && r.Format != FormatFeed && r.paging == nil {
			reason := ""
			if len(r.Notes) > 0 {
				reason = ": " + strings.Join(r.Notes, "; ")
			}
			return false, fmt.Errorf("sources: %q: %w in %d bytes read as %s%s", src.Name, errNoEntries, len(resp.Body), r.Format, reason)
		}
		caughtUp := true
		if r.paging != nil {
			var older []Entry
			older, caughtUp = w.catchUp(ctx, page, r.paging, st.LastPost, log)
			r.Entries = joinEntries(older, r.Entries)
		}
		if src.Follow != nil {
			// The page read, not the index, is where an entry without a permalink is.
			for i := range r.Entries {
				if r.Entries[i].URL == "" {
					r.Entries[i].URL = resp.URL
				}
			}
		}
		if err := handle(ctx, src, r.Entries); err != nil {
			return false, fmt.Errorf("sources: handler: %w", err)
		}
		st.ETag, st.LastModified = resp.ETag, resp.LastModified
		if r.paging != nil && caughtUp {
			st.LastPost = max(st.LastPost, r.paging.Newest)
		}
	}
	st.LastSuccess = w.opts.Now().UTC()
	st.Failures, st.LastError = 0, ""
	if err := w.opts.State.SaveSourceState(ctx, src.Name, st); err != nil {
		return false, fmt.Errorf("sources: save state: %w", err)
	}
	log.Debug("source polled", "not_modified", resp.NotModified, "url", resp.URL)
	return resp.NotModified, nil
}
