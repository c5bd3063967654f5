package sources

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
)

// maxCatchUpPages bounds the older pages one poll reads to catch up on a channel.
const maxCatchUpPages = 5

// paging is where a page stands in a numbered history of posts (a Telegram channel).
type paging struct {
	// Oldest and Newest are the lowest and highest post numbers on the page.
	Oldest, Newest int64
	// Before is the address of the page of the posts before Oldest; "" when the page says
	// there are none, or has no http(s) address.
	Before string
}

// beforeURL returns pageURL with its query set to before=n, Telegram's address of the posts
// before n; "" when pageURL is not an http(s) URL. The page's own <link rel="prev"> is not
// followed: a page says only whether there is more, never where to fetch it from.
func beforeURL(pageURL string, n int64) string {
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.RawQuery = url.Values{"before": {strconv.FormatInt(n, 10)}}.Encode()
	u.Fragment = ""
	return u.String()
}

// catchUp reads the posts a channel page no longer shows but that came after the last post
// handed over (last; 0 when none is known): while the oldest post read is more than one
// after last, it fetches the page before it, newest first, at most maxCatchUpPages, each
// with the fetcher's limits. It returns the entries found, oldest first, and whether the
// catch-up is over: true when it reached last, the channel's first post or its bound (the
// posts before are then given up, logged); false when a fetch or parse failed (logged), so
// that a later poll tries again. Nothing is caught up for a source seen for the first time
// (last 0), whose first poll alerts nobody anyway.
func (w *Watcher) catchUp(ctx context.Context, src Source, pg *paging, last int64, log *slog.Logger) ([]Entry, bool) {
	if pg == nil || last <= 0 || pg.Oldest <= last+1 {
		return nil, true
	}
	var pages [][]Entry
	oldest, before := pg.Oldest, pg.Before
	done := false
	for range maxCatchUpPages {
		if before == "" || oldest <= last+1 {
			done = true
			break
		}
		page := src
		page.URL = before
		resp, err := w.fetcher(src).Fetch(ctx, before, State{})
		var r ParseResult
		if err == nil {
			r, err = ParsePage(page, resp)
		}
		if err == nil && r.paging == nil {
			err = fmt.Errorf("sources: %q: no posts in %s", src.Name, before)
		}
		if err == nil && r.paging.Oldest >= oldest {
			err = fmt.Errorf("sources: %q: %s goes no further back than post %d", src.Name, before, oldest)
		}
		if err != nil {
			log.Warn("source catch-up failed", "url", before, "error", err)
			break
		}
		pages = append(pages, r.Entries)
		oldest, before = r.paging.Oldest, r.paging.Before
	}
	if !done && len(pages) == maxCatchUpPages {
		done = true
		if before != "" && oldest > last+1 {
			log.Warn("source catch-up stopped", "pages", len(pages), "oldest_post", oldest, "last_post", last)
		}
	}
	var out []Entry
	for i := len(pages) - 1; i >= 0; i-- {
		out = append(out, pages[i]...)
	}
	return out, done
}

// joinEntries returns older followed by newer, each id once: an entry of newer replaces one
// of older with its id.
func joinEntries(older, newer []Entry) []Entry {
	if len(older) == 0 {
		return newer
	}
	ids := make(map[string]bool, len(newer))
	for _, e := range newer {
		ids[e.ID] = true
	}
	out := make([]Entry, 0, len(older)+len(newer))
	for _, e := range older {
		if !ids[e.ID] {
			ids[e.ID] = true
			out = append(out, e)
		}
	}
	return append(out, newer...)
}
