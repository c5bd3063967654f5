package sources

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// feedOptions change how parseFeed reads a feed.
type feedOptions struct {
	// SplitLiveBlogItems splits an item whose content holds <time datetime=…> elements (a
	// Guardian live blog's latest blocks) into one entry per block; see splitLiveBlogItem.
	SplitLiveBlogItems bool
}

// parseFeed reads an RSS, Atom or JSON Feed document into its entries, in document order.
// The body is read as served: an XML feed in the encoding its declaration names, else UTF-8
// (parseEntries converts bodies to UTF-8 before calling it).
//
// For each item:
//   - ID is the GUID (Atom id, JSON Feed id) made stable (see stableGUID), else the link,
//     else a hash of the title and the
//     item's own published time (and of the first paragraph when there is no title). An item
//     with the id and link of another is the same story listed twice and gives one entry
//     (see storyList). Ids are made unique as uniqueIDs does: a repeated id gets a "~n"
//     suffix, counted from the bottom.
//   - Published is the item's published time, else its updated time, else the feed's updated
//     (or published) time for RSS and Atom, in UTC; else zero, and callers date it
//     themselves (with the fetch time).
//   - Title is plain text: tags stripped, entities decoded, white space normalised.
//   - Body is the item's content, else its description (summary), as plain paragraphs: block
//     elements and <br> end paragraphs, scripts and styles are dropped.
//   - URL is the item's link.
//
// It returns an error, never panics, for a body that is not a feed.
func parseFeed(source string, body []byte, opts feedOptions) (entries []Entry, err error) {
	feed, err := parseGofeed(body)
	if err != nil {
		return nil, fmt.Errorf("sources: feed %q: %w", source, err)
	}
	var feedTime time.Time
	switch {
	case feed.FeedType == "json":
		// JSON Feed has no feed-level time; gofeed copies the first item's, which is no
		// date for another item.
	case feed.UpdatedParsed != nil:
		feedTime = *feed.UpdatedParsed
	case feed.PublishedParsed != nil:
		feedTime = *feed.PublishedParsed
	}
	var listed storyList
	for _, item := range feed.Items {
		if item == nil {
			continue
		}
		e := feedEntry(source, item, feedTime)
		rev := guidRevision(validUTF8(item.GUID))
		if opts.SplitLiveBlogItems {
			if blocks := splitLiveBlogItem(e, itemContent(item)); len(blocks) > 0 {
				for _, b := range blocks {
					listed.add(b, rev)
				}
				continue
			}
		}
		listed.add(e, rev)
	}
	entries = listed.entries
	if entries == nil {
		entries = []Entry{}
	}
	uniqueIDs(entries, suffixID)
	return entries, nil
}

// storyList gathers a feed's entries, one per story. An entry with the id and link of one
// already listed is the same story listed again when both GUIDs carry a revision (the BBC
// lists an old revision "#0" beside the new "#10") or the two have the same content (one
// item in two sections); then the listing with the highest revision wins, the first of
// equals, and stands where the story was first listed. Entries that only share an id are
// kept, for uniqueIDs to tell apart.
type storyList struct {
	entries []Entry
	revs    []int
	at      map[[2]string]int // id and link → index in entries
}

func (l *storyList) add(e Entry, rev int) {
	key := [2]string{e.ID, e.URL}
	if i, ok := l.at[key]; ok && (e.Hash == l.entries[i].Hash || (rev >= 0 && l.revs[i] >= 0)) {
		if rev > l.revs[i] {
			l.entries[i], l.revs[i] = e, rev
		}
		return
	}
	if l.at == nil {
		l.at = make(map[[2]string]int)
	}
	if _, ok := l.at[key]; !ok {
		l.at[key] = len(l.entries)
	}
	l.entries = append(l.entries, e)
	l.revs = append(l.revs, rev)
}

// guidRevision returns the revision counter of a GUID whose fragment is only digits
// ("…/articles/cz074vyvjzvo#10" is 10; see stableGUID), else -1.
func guidRevision(guid string) int {
	_, frag, ok := strings.Cut(strings.TrimSpace(guid), "#")
	if !ok || frag == "" || strings.Trim(frag, "0123456789") != "" {
		return -1
	}
	n, err := strconv.Atoi(frag)
	if err != nil {
		return -1 // too many digits to be a counter
	}
	return n
}

// parseGofeed runs gofeed on body. A panic inside gofeed on hostile input is returned as an
// error: parseFeed must never panic.
func parseGofeed(body []byte) (feed *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			feed, err = nil, fmt.Errorf("gofeed panicked: %v", r)
		}
	}()
	return gofeed.NewParser().Parse(bytes.NewReader(body))
}

// feedEntry converts one feed item.
func feedEntry(source string, item *gofeed.Item, feedTime time.Time) Entry {
	title := markupText(validUTF8(item.Title))
	body := markupParagraphs(itemContent(item))
	if len(body) == 0 {
		body = nil
	}
	var own time.Time // the item's own time, zero if it has none
	switch {
	case item.PublishedParsed != nil:
		own = item.PublishedParsed.UTC()
	case item.UpdatedParsed != nil:
		own = item.UpdatedParsed.UTC()
	}
	published := own
	if published.IsZero() && !feedTime.IsZero() {
		published = feedTime.UTC()
	}
	link := strings.TrimSpace(validUTF8(item.Link))
	if link == "" && len(item.Links) > 0 {
		link = strings.TrimSpace(validUTF8(item.Links[0]))
	}
	id := stableGUID(validUTF8(item.GUID))
	if id == "" {
		id = link
	}
	if id == "" {
		// Only the item's own time: the feed's changes with every build.
		stamp := ""
		if !own.IsZero() {
			stamp = own.Format(time.RFC3339)
		}
		parts := []string{source, title, stamp}
		if title == "" && len(body) > 0 {
			parts = append(parts, body[0])
		}
		id = hashID(parts...)
	}
	return Entry{
		Source:    source,
		ID:        id,
		Published: published,
		Title:     title,
		Body:      body,
		URL:       link,
		Hash:      ContentHash(title, body),
	}
}

// stableGUID returns the part of an item's GUID that stays the same while the item is
// updated, or "" when the GUID says nothing stable and the link should identify the item:
//   - a revision counter in the fragment (the BBC's "…/articles/cz074vyvjzvo#0", "#1" after
//     an update) is dropped;
//   - a URL of a site's home page with only a query (Al Jazeera's "https://www.aljazeera.com/?t=1738882009",
//     a timestamp) names no item: "".
func stableGUID(guid string) string {
	guid = strings.TrimSpace(guid)
	if !strings.HasPrefix(guid, "http://") && !strings.HasPrefix(guid, "https://") {
		return guid
	}
	u, err := url.Parse(guid)
	if err != nil {
		return guid
	}
	if (u.Path == "" || u.Path == "/") && u.RawQuery != "" {
		return ""
	}
	if u.Fragment != "" && strings.Trim(u.Fragment, "0123456789") == "" {
		return strings.TrimSuffix(guid, "#"+u.Fragment)
	}
	return guid
}

// itemContent returns the item's content, else its description, as valid UTF-8.
func itemContent(item *gofeed.Item) string {
	content := item.Content
	if strings.TrimSpace(content) == "" {
		content = item.Description
	}
	return validUTF8(content)
}

// validUTF8 replaces invalid UTF-8 in s with U+FFFD.
func validUTF8(s string) string {
	return strings.ToValidUTF8(s, "\uFFFD")
}
