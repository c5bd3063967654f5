package subscriptions

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenRefusesReadOnlyDatabase opens a database SQLite may only read. File modes do not
// stop root, which tests may run as, so the file is made read-only for every user the way
// SQLite defines it: a file format write version (header byte 18) above 2, which this
// SQLite must not write.
func TestOpenRefusesReadOnlyDatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ro.db")
	s, err := Open(context.Background(), Options{Path: path, Topics: testTopics})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{3}, 18); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(context.Background(), Options{Path: path, Topics: testTopics})
	if err == nil {
		s.Close()
		t.Fatal("opened a read-only database")
	}
	if want := "subscriptions: database " + path + " is not writable: "; !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %q, want it to start %q", err, want)
	}
}

// TestOpenRefusesReadOnlyFile opens a database file whose mode forbids writing; root ignores
// modes, so the test needs another user.
func TestOpenRefusesReadOnlyFile(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root writes read-only files; TestOpenRefusesReadOnlyDatabase covers root")
	}
	path := filepath.Join(t.TempDir(), "ro.db")
	s, err := Open(context.Background(), Options{Path: path, Topics: testTopics})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	s, err = Open(context.Background(), Options{Path: path, Topics: testTopics})
	if err == nil {
		s.Close()
		t.Fatal("opened a read-only database file")
	}
	if want := "subscriptions: database " + path + " is not writable: "; !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %q, want it to start %q", err, want)
	}
}
