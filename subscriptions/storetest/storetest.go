// Package storetest gives tests a PostgreSQL database of their own. It is imported by _test
// files only.
//
// Tests find a server through LIVEALERT_TEST_POSTGRES, a DSN whose role may CREATE DATABASE
// (postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable). Without it PostgreSQL tests
// are skipped, loudly, unless LIVEALERT_REQUIRE_POSTGRES=1 (as CI sets it): then they fail.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The environment variables PostgresDSN reads.
const (
	EnvPostgres        = "LIVEALERT_TEST_POSTGRES"
	EnvRequirePostgres = "LIVEALERT_REQUIRE_POSTGRES"
)

// PostgresDSN creates a fresh, empty database (livealert_test_<random>) on the server of
// LIVEALERT_TEST_POSTGRES, drops it when the test ends (closing what is still connected), and
// returns its DSN. See the package comment for a server that is not configured.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		if os.Getenv(EnvRequirePostgres) == "1" {
			t.Fatalf("%s=1 but %s is not set: PostgreSQL tests cannot run", EnvRequirePostgres, EnvPostgres)
		}
		t.Skipf("!!! PostgreSQL tests not run: set %s to a DSN that may CREATE DATABASE "+
			"(e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable) !!!", EnvPostgres)
	}
	var suffix [8]byte
	rand.Read(suffix[:])
	name := "livealert_test_" + hex.EncodeToString(suffix[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("storetest: connect to %s: %v", EnvPostgres, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("storetest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("storetest: connect to drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
	})
	dsn, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("storetest: %s: %v", EnvPostgres, err)
	}
	return dsn
}

// withDatabase returns dsn, a URL (postgres://…) or keyword/value DSN, naming database name.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", errors.New("not a valid postgres:// URL") // url's error would show the password
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	return dsn + " dbname=" + name, nil // a later keyword overrides an earlier one
}

// EnvDriver names the driver the store's tests run on: "postgres" for PostgreSQL (see
// PostgresDSN), anything else for SQLite. CI runs the store's tests once with each.
const EnvDriver = "LIVEALERT_TEST_DRIVER"

// Driver returns the driver the store's tests run on: "postgres" or "sqlite".
func Driver() string {
	if os.Getenv(EnvDriver) == "postgres" {
		return "postgres"
	}
	return "sqlite"
}
