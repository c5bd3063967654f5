package sources

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A source URL may carry a password (https://user:pass@host/feed); a failed fetch's error,
// which the watcher logs and stores as LastError, names the URL without it.
func TestFetchErrorHidesPassword(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	target := strings.Replace(srv.URL, "http://", "http://reader:s3cret-pw@", 1) + "/feed.xml"
	_, err := NewFetcher(FetcherOptions{}).Fetch(context.Background(), target, State{})
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("error %q shows the password", err)
	}
	if !strings.Contains(err.Error(), "reader:xxxxx@") || !strings.Contains(err.Error(), "503") {
		t.Errorf("error %q does not name the URL and the status", err)
	}
}

// The Response's URL, which pages resolve links against and entries may link to, has no
// user name or password.
func TestFetchResponseURLHasNoUserinfo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("Friday, January 5, 2024\n1200 GMT — A\nBody.\n"))
	}))
	defer srv.Close()
	target := strings.Replace(srv.URL, "http://", "http://reader:s3cret-pw@", 1) + "/live.txt"
	resp, err := NewFetcher(FetcherOptions{}).Fetch(context.Background(), target, State{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.URL != srv.URL+"/live.txt" {
		t.Errorf("URL %q, want %q", resp.URL, srv.URL+"/live.txt")
	}
}
