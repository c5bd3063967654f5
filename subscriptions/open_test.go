package subscriptions

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"livealert/subscriptions/storetest"
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

// TestOpenRefusesReadOnlyPostgres opens a PostgreSQL database whose sessions may only read
// (as a hot standby's are): the store is not opened, and the error shows no password.
func TestOpenRefusesReadOnlyPostgres(t *testing.T) {
	t.Parallel()
	dsn := storetest.PostgresDSN(t)
	admin := openRawDB(t, Options{Driver: DriverPostgres, DSN: dsn})
	var name string
	if err := admin.QueryRow(`SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`ALTER DATABASE ` + name + ` SET default_transaction_read_only = on`); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "s3cret") // trust auth ignores it
	s, err := Open(context.Background(), Options{Driver: DriverPostgres, DSN: u.String(), Topics: testTopics})
	if err == nil {
		s.Close()
		t.Fatal("opened a read-only database")
	}
	if want := "subscriptions: database " + RedactDSN(u.String()) + " is not writable: "; !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %q, want it to start %q", err, want)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error %q shows the password", err)
	}
}
