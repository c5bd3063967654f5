package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// Fetcher defaults.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultFetchTimeout   = 30 * time.Second
	DefaultMaxBytes       = 10 << 20
	DefaultUserAgent      = "livealert/dev (+https://github.com/livealert)"
	// maxRedirects is how many redirects a fetch follows.
	maxRedirects = 5
)

// ErrBodyTooLarge is returned (wrapped) by Fetch for a body over FetcherOptions.MaxBytes.
var ErrBodyTooLarge = errors.New("body too large")

// StatusError is returned (wrapped) by Fetch for an HTTP status other than 2xx and 304.
type StatusError struct {
	Code   int
	Status string // e.g. "503 Service Unavailable"
}

func (e *StatusError) Error() string { return "http status " + e.Status }

// FetcherOptions configure a Fetcher. Zero fields take the defaults.
type FetcherOptions struct {
	// ConnectTimeout bounds dialing and the TLS handshake (default 10s). It is not used when
	// Client is set.
	ConnectTimeout time.Duration
	// Timeout bounds a whole request, reading the body included, once it is this host's turn
	// (default 30s).
	Timeout time.Duration
	// MaxBytes is the largest body accepted (default 10 MiB).
	MaxBytes int64
	// UserAgent is sent with every request (default DefaultUserAgent).
	UserAgent string
	// Client, if set, makes the requests (tests). It is copied; redirects are capped at 5
	// unless it has a CheckRedirect of its own.
	Client *http.Client
	// CheckAddress, if set, guards the fetcher against addresses it must not reach (see
	// PublicOnly): every connection, at every redirect, is made only to an address it allows,
	// checked after DNS resolution; no proxy is used; local files are refused. With Client,
	// Client's Transport (an *http.Transport, or nil) is copied and guarded.
	CheckAddress AddressCheck
}

// Response is what a fetch brought.
type Response struct {
	// Body is the body as served (gzip undone); nil when NotModified.
	Body []byte
	// NotModified is true when the source has not changed since the validators given to Fetch.
	NotModified bool
	// ETag and LastModified are the source's validators now, "" when it sent none.
	ETag, LastModified string
	// ContentType is the Content-Type header; "" for a local file.
	ContentType string
	// Date dates the body for parsers that need a fallback date: the Last-Modified time, else
	// the HTTP Date header, else the fetch time; UTC.
	Date time.Time
	// URL is the final URL, after redirects, without user name and password (for a local
	// file, the URL or path given).
	URL string
}

// Fetcher fetches sources: http(s) URLs with conditional GET, size and time limits, at most
// one request at a time per host; anything else is a local file. It is safe for concurrent
// use.
type Fetcher struct {
	client    *http.Client
	timeout   time.Duration
	maxBytes  int64
	userAgent string
	hosts     hostLimiter
	guarded   bool // only http(s), through a transport guarded by CheckAddress
}

// NewFetcher returns a Fetcher with opts, defaults filled in.
func NewFetcher(opts FetcherOptions) *Fetcher {
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultFetchTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	var client http.Client
	if opts.Client != nil {
		client = *opts.Client
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.DialContext = (&net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext
		tr.TLSHandshakeTimeout = opts.ConnectTimeout
		client.Transport = tr
	}
	if opts.CheckAddress != nil {
		client.Transport = guardTransport(client.Transport, opts.CheckAddress, opts.ConnectTimeout)
	}
	if client.CheckRedirect == nil {
		client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("stopped after %d redirects", maxRedirects)
			}
			return nil
		}
	}
	return &Fetcher{
		client:    &client,
		timeout:   opts.Timeout,
		maxBytes:  opts.MaxBytes,
		userAgent: opts.UserAgent,
		hosts:     hostLimiter{sems: make(map[string]chan struct{})},
		guarded:   opts.CheckAddress != nil,
	}
}

// Fetch fetches url, conditionally on prev's validators. An http(s) URL is requested with
// If-None-Match and If-Modified-Since from prev; a 304 gives a Response with NotModified set
// and no body. Any other URL is a local file path (a file:// URL is accepted too): its
// modification time is its LastModified, and it is NotModified when prev's validators match.
// Errors: a status other than 2xx or 304 (wrapping *StatusError), a body over MaxBytes
// (wrapping ErrBodyTooLarge), more than 5 redirects, the timeout, a cancelled ctx; each
// names the URL with its password masked (url.URL.Redacted). A guarded fetcher
// (FetcherOptions.CheckAddress) refuses local files, and addresses the check refuses
// (wrapping ErrAddressRefused).
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, prev State) (Response, error) {
	var (
		resp Response
		err  error
	)
	u, perr := url.Parse(rawURL)
	switch {
	case perr == nil && (u.Scheme == "http" || u.Scheme == "https"):
		resp, err = f.fetchHTTP(ctx, u, prev)
	case f.guarded:
		err = errors.New("only http and https urls may be fetched")
	case perr == nil && u.Scheme == "file":
		resp, err = f.fetchFile(ctx, rawURL, u.Path, prev)
	case strings.Contains(rawURL, "://"):
		err = errors.New("unsupported url scheme")
	default:
		resp, err = f.fetchFile(ctx, rawURL, rawURL, prev)
	}
	if err != nil {
		name := rawURL
		if perr == nil && u.User != nil {
			name = u.Redacted()
		}
		return Response{}, fmt.Errorf("sources: fetch %s: %w", name, err)
	}
	return resp, nil
}

func (f *Fetcher) fetchHTTP(ctx context.Context, u *url.URL, prev State) (Response, error) {
	// Waiting for the host's turn does not count against the timeout: another source's slow
	// fetch from the same host must not time this one out.
	release, err := f.hosts.acquire(ctx, u.Host)
	if err != nil {
		return Response{}, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Response{}, err
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, "+
		"application/xml;q=0.9, text/html;q=0.9, text/plain;q=0.9, */*;q=0.5")
	if prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	hr, err := f.client.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer hr.Body.Close()

	out := Response{
		ETag:         hr.Header.Get("ETag"),
		LastModified: hr.Header.Get("Last-Modified"),
		ContentType:  hr.Header.Get("Content-Type"),
		URL:          withoutUserinfo(hr.Request.URL),
		Date:         time.Now().UTC(),
	}
	if t, err := http.ParseTime(out.LastModified); err == nil {
		out.Date = t.UTC()
	} else if t, err := http.ParseTime(hr.Header.Get("Date")); err == nil {
		out.Date = t.UTC()
	}
	switch {
	case hr.StatusCode == http.StatusNotModified:
		out.NotModified = true
		if out.ETag == "" {
			out.ETag = prev.ETag
		}
		if out.LastModified == "" {
			out.LastModified = prev.LastModified
		}
		return out, nil
	case hr.StatusCode < 200 || hr.StatusCode > 299:
		return Response{}, &StatusError{Code: hr.StatusCode, Status: hr.Status}
	case hr.ContentLength > f.maxBytes:
		return Response{}, fmt.Errorf("%w: %d bytes, limit %d", ErrBodyTooLarge, hr.ContentLength, f.maxBytes)
	}
	out.Body, err = f.readLimited(hr.Body)
	if err != nil {
		return Response{}, err
	}
	return out, nil
}

// withoutUserinfo returns u as a string without its user name and password: the address
// entries link to and errors name.
func withoutUserinfo(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// readLimited reads r to the end, failing with ErrBodyTooLarge past maxBytes.
func (f *Fetcher) readLimited(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, f.maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > f.maxBytes {
		return nil, fmt.Errorf("%w: over %d bytes", ErrBodyTooLarge, f.maxBytes)
	}
	return body, nil
}

// fetchFile reads a local file. Its validators are its modification time, as LastModified
// in http.TimeFormat, and an ETag made of its modification time in nanoseconds and its
// size; it is NotModified when prev's ETag (or, without one, prev's LastModified) matches.
func (f *Fetcher) fetchFile(ctx context.Context, rawURL, path string, prev State) (Response, error) {
	if err := ctx.Err(); err != nil {
		return Response{}, err
	}
	if path == "" {
		return Response{}, errors.New("empty file path")
	}
	file, err := os.Open(path)
	if err != nil {
		return Response{}, err
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return Response{}, err
	}
	if !info.Mode().IsRegular() {
		return Response{}, errors.New("not a regular file")
	}
	mtime := info.ModTime().UTC()
	out := Response{
		ETag:         fmt.Sprintf(`"%x-%x"`, mtime.UnixNano(), info.Size()),
		LastModified: mtime.Format(http.TimeFormat),
		Date:         mtime,
		URL:          rawURL,
	}
	if (prev.ETag != "" && prev.ETag == out.ETag) ||
		(prev.ETag == "" && prev.LastModified != "" && prev.LastModified == out.LastModified) {
		out.NotModified = true
		return out, nil
	}
	if info.Size() > f.maxBytes {
		return Response{}, fmt.Errorf("%w: %d bytes, limit %d", ErrBodyTooLarge, info.Size(), f.maxBytes)
	}
	out.Body, err = f.readLimited(file)
	if err != nil {
		return Response{}, err
	}
	return out, nil
}

// hostLimiter lets one request at a time through per host.
type hostLimiter struct {
	mu   sync.Mutex
	sems map[string]chan struct{}
}

// acquire waits for host's turn, or for ctx to end. The caller must call release after.
func (h *hostLimiter) acquire(ctx context.Context, host string) (release func(), err error) {
	h.mu.Lock()
	sem, ok := h.sems[host]
	if !ok {
		sem = make(chan struct{}, 1)
		h.sems[host] = sem
	}
	h.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
