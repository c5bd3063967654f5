package bot

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// wholeBodies is an http.RoundTripper that sends each request body in one piece, with its
// Content-Length. go-telegram/bot streams every request's multipart form through a pipe, so
// without it the transport sends the body chunked, flushing each multipart header and value
// in a write (a system call) of its own: a dozen for one sendMessage. The bodies are small
// (the bot uploads no files), so reading them whole first costs less than the writes it saves.
type wholeBodies struct {
	next http.RoundTripper
}

// RoundTrip reads a body of unknown length whole and sends req with it as a byte slice; other
// requests go as they are. Like any RoundTripper it closes req.Body.
func (w wholeBodies) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody || req.ContentLength != 0 {
		return w.next.RoundTrip(req)
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("bot: read request body: %w", err)
	}
	out := req.Clone(req.Context())
	out.ContentLength = int64(len(body))
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return w.next.RoundTrip(out)
}
