package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"livealert/subscriptions"
)

// TestReadOnlyDatabaseRefusesToStart runs livealert on a database SQLite may only read: it
// exits with an error naming the file instead of running and failing every command. The file
// is made read-only by its header (a file format write version above 2), which holds for
// root too.
func TestReadOnlyDatabaseRefusesToStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "state.db")
	store, err := subscriptions.Open(context.Background(), subscriptions.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{3}, 18); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	config := writeConfig(t, "telegram:\n  api_url: http://127.0.0.1:1\nstorage:\n  path: "+db+
		"\nsources:\n  - name: wire\n    url: "+filepath.Join(dir, "live.txt")+"\n")
	p := &program{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, now: time.Now,
		getenv: func(k string) string { return map[string]string{tokenEnv: "123456:x"}[k] }}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = p.run(ctx, []string{"-config", config})
	if err == nil || ctx.Err() != nil {
		t.Fatalf("run returned %v after %v; want it to refuse at once", err, ctx.Err())
	}
	if want := "database " + db + " is not writable"; !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not say %q", err, want)
	}
	if code := exitCode(err); code == 0 {
		t.Fatalf("exit code 0 for %v", err)
	}
}
