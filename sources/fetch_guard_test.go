package sources

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

func TestPublicOnlyAddresses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr   string
		public bool
	}{
		{"127.0.0.1", false},
		{"127.8.9.10", false},
		{"::1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false},
		{"fe80::1", false},
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"224.0.0.1", false},
		{"ff02::1", false},
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"::", false},
		{"100.64.0.1", false},
		{"100.127.255.254", false},
		{"255.255.255.255", false},
		{"198.18.0.1", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"::ffff:169.254.169.254", false},
		{"64:ff9b::7f00:1", false}, // NAT64 of 127.0.0.1
		{"2002:a00:1::1", false},   // 6to4 of 10.0.0.1
		{"fe80::1%eth0", false},    // zoned link-local
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"100.128.0.1", true}, // just past CGNAT
		{"2606:4700:4700::1111", true},
		{"::ffff:8.8.8.8", true},
		{"64:ff9b::808:808", true}, // NAT64 of 8.8.8.8
	} {
		ip := netip.MustParseAddr(tc.addr)
		err := PublicOnly(netip.AddrPortFrom(ip, 80))
		if got := err == nil; got != tc.public {
			t.Errorf("PublicOnly(%s) = %v, want public %v", tc.addr, err, tc.public)
		}
		if err != nil && !errors.Is(err, ErrAddressRefused) {
			t.Errorf("PublicOnly(%s) = %v, not wrapping ErrAddressRefused", tc.addr, err)
		}
	}
}

// countingServer serves a tiny feed and counts the requests it got.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestGuardedFetcherRefusesPrivateAddresses(t *testing.T) {
	t.Parallel()
	srv, hits := countingServer(t)
	u, _ := url.Parse(srv.URL)
	f := NewFetcher(FetcherOptions{CheckAddress: PublicOnly})
	for _, target := range []string{
		srv.URL + "/feed",                        // 127.0.0.1, a server that answers
		"http://localhost:" + u.Port() + "/feed", // a name resolving to loopback
		"http://[::1]:" + u.Port() + "/",
		"http://10.0.0.1/",
		"http://169.254.169.254/latest/meta-data/",
		"http://[::ffff:127.0.0.1]:" + u.Port() + "/",
		"http://0.0.0.0:" + u.Port() + "/",
		"http://100.64.0.1/",
	} {
		_, err := f.Fetch(context.Background(), target, State{})
		if !errors.Is(err, ErrAddressRefused) {
			t.Errorf("Fetch(%s) = %v, want ErrAddressRefused", target, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the loopback server got %d requests, want 0", n)
	}
	// The same server is reached without the guard: the refusals above are the guard's.
	if _, err := NewFetcher(FetcherOptions{}).Fetch(context.Background(), srv.URL+"/feed", State{}); err != nil {
		t.Fatalf("unguarded fetch: %v", err)
	}
}

func TestGuardedFetcherChecksEveryRedirect(t *testing.T) {
	t.Parallel()
	private, privateHits := countingServer(t)
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/direct" {
			w.Write([]byte("first hop"))
			return
		}
		http.Redirect(w, r, private.URL+"/secret", http.StatusFound)
	}))
	t.Cleanup(first.Close)
	allowed := netip.MustParseAddrPort(first.Listener.Addr().String())
	// The first server is let through by name, as if it were public; everything else must be.
	check := func(addr netip.AddrPort) error {
		if addr == allowed {
			return nil
		}
		return PublicOnly(addr)
	}
	f := NewFetcher(FetcherOptions{CheckAddress: check})
	resp, err := f.Fetch(context.Background(), first.URL+"/direct", State{})
	if err != nil || string(resp.Body) != "first hop" {
		t.Fatalf("first hop: %q, %v; want it allowed", resp.Body, err)
	}
	_, err = f.Fetch(context.Background(), first.URL+"/go", State{})
	if !errors.Is(err, ErrAddressRefused) {
		t.Fatalf("redirect to %s: %v, want ErrAddressRefused", private.URL, err)
	}
	if n := privateHits.Load(); n != 0 {
		t.Errorf("the private server got %d requests through a redirect, want 0", n)
	}
}

func TestGuardedFetcherRefusesFiles(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(path, []byte("<rss/>"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := NewFetcher(FetcherOptions{CheckAddress: PublicOnly})
	for _, target := range []string{path, "file://" + path} {
		if _, err := f.Fetch(context.Background(), target, State{}); err == nil {
			t.Errorf("guarded Fetch(%s) read a local file", target)
		}
	}
}
