package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"livealert/subscriptions"
	"livealert/subscriptions/storetest"
)

// newLivealertDB returns the path of a livealert database, created and migrated.
func newLivealertDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "livealert.db")
	s, err := subscriptions.Open(context.Background(), subscriptions.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	return path
}

// Every way of calling `livealert db copy` wrongly exits 2 and says what is wrong; a copy
// that runs and fails exits 1.
func TestDBCopyExitCodes(t *testing.T) {
	t.Parallel()
	source := newLivealertDB(t)
	old := newLivealertDB(t)
	db, err := sql.Open("sqlite3", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM goose_db_version WHERE version_id = (SELECT MAX(version_id) FROM goose_db_version)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	target := func() string { return filepath.Join(t.TempDir(), "copy.db") }
	tests := []struct {
		name     string
		args     []string
		env      string // $LIVEALERT_DATABASE_URL
		wantCode int
		wantErr  string
	}{
		{"a copy", []string{"db", "copy", "-from", source, "-to", target()}, "", 0, ""},
		{"target from the environment", []string{"db", "copy", "-from", source}, target(), 0, ""},
		{"help", []string{"db", "copy", "-h"}, "", 0, ""},
		{"no subcommand", []string{"db"}, "", 2, "usage: livealert db copy"},
		{"unknown subcommand", []string{"db", "move"}, "", 2, "usage: livealert db copy"},
		{"no -from", []string{"db", "copy", "-to", target()}, "", 2, "db copy: -from names no file"},
		{"no target", []string{"db", "copy", "-from", source}, "", 2, "db copy: no target: give -to or set $LIVEALERT_DATABASE_URL"},
		{"unknown flag", []string{"db", "copy", "-bogus"}, "", 2, "flag provided but not defined: -bogus"},
		{"extra argument", []string{"db", "copy", "-from", source, "-to", target(), "more"}, "", 2, `unexpected argument "more"`},
		{"onto itself", []string{"db", "copy", "-from", source, "-to", source}, "", 2, "-from and -to are both"},
		{"missing source", []string{"db", "copy", "-from", filepath.Join(t.TempDir(), "nope.db"), "-to", target()}, "", 1, "no such file or directory"},
		{"older schema", []string{"db", "copy", "-from", old, "-to", target()}, "", 1, "start this livealert once on the file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			env := map[string]string{databaseURLEnv: tt.env}
			p := &program{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }, now: time.Now}
			err := p.run(context.Background(), tt.args)
			if code := exitCodeOf(err); code != tt.wantCode {
				t.Fatalf("exit code %d (error %v), want %d\n%s", code, err, tt.wantCode, stderr.String())
			}
			if tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %q, want it to hold %q", err, tt.wantErr)
			}
		})
	}
}

// TestDBCopyHidesThePassword copies into PostgreSQL with a password in the DSN, to a server
// that is not there and to one that is: neither the output nor the error shows the password.
func TestDBCopyHidesThePassword(t *testing.T) {
	t.Parallel()
	const secret = "s3cret-Pa55"
	source := newLivealertDB(t)
	tests := []struct {
		name     string
		dsn      func(t *testing.T) string
		wantCode int
	}{
		{"no server", func(*testing.T) string {
			return "postgres://livealert:" + secret + "@" + freeAddress(t) + "/livealert?sslmode=disable&connect_timeout=5"
		}, 1},
		{"a server", func(t *testing.T) string {
			u, err := url.Parse(storetest.PostgresDSN(t))
			if err != nil {
				t.Fatal(err)
			}
			u.User = url.UserPassword(u.User.Username(), secret) // the test server trusts, ignoring it
			return u.String()
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			env := map[string]string{databaseURLEnv: tt.dsn(t)}
			p := &program{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }, now: time.Now}
			err := p.run(context.Background(), []string{"db", "copy", "-from", source})
			if code := exitCodeOf(err); code != tt.wantCode {
				t.Fatalf("exit code %d (error %v), want %d\n%s", code, err, tt.wantCode, stderr.String())
			}
			shown := stdout.String() + stderr.String()
			if err != nil {
				shown += err.Error()
			}
			if strings.Contains(shown, secret) {
				t.Fatalf("the password shows:\n%s", shown)
			}
			if !strings.Contains(shown, "xxxxx") && tt.wantCode == 0 {
				t.Errorf("the target is not named, masked:\n%s", shown)
			}
		})
	}
}
