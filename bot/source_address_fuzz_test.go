package bot

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSourceAddress: whatever a user types after /source add, an address accepted is an
// http(s) URL with a host and no user name or password, within maxSourceURL bytes — never a
// file path or another scheme — and accepting it again gives the same address.
func FuzzSourceAddress(f *testing.F) {
	for _, s := range []string{
		"https://example.org/live", "http://127.0.0.1:8080/feed", "@vvgladkov", "t.me/vvgladkov",
		"https://t.me/s/vvgladkov", "file:///etc/passwd", "/etc/passwd", "ftp://example.org/",
		"https://user:pw@example.org/", "https://example.org/a#frag", "HTTP://EXAMPLE.ORG", "https:///x",
		"http://[::1]:80/", "javascript:alert(1)", "//example.org/x", "https://exa mple.org/", "@ab",
		"https://" + strings.Repeat("a", maxSourceURL),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		address, ok := sourceAddress(target)
		if !ok {
			return
		}
		u, err := url.Parse(address)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
			t.Fatalf("%q accepted as %q", target, address)
		}
		if len(address) > maxSourceURL+len("https://t.me/s/") {
			t.Fatalf("%q accepted as %d bytes", target, len(address))
		}
		if again, ok := sourceAddress(address); !ok || again != address {
			t.Fatalf("%q → %q → %q, %v", target, address, again, ok)
		}
	})
}
