package migrations

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"
)

// TestUpAppliesALowerNumberLate upgrades a database that had every migration but 00011
// (merged after 00012 and 00013): Up applies it.
func TestUpAppliesALowerNumberLate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "old.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	without := fstest.MapFS{}
	names, err := fs.Glob(files, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if name == "00011_user_sources.sql" {
			continue
		}
		data, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatal(err)
		}
		without[name] = &fstest.MapFile{Data: data}
	}
	provider, err := goose.NewProvider(goose.DialectSQLite3, db, without)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `SELECT 1 FROM user_sources`); err == nil {
		t.Fatal("user_sources exists before 00011")
	}
	if err := Up(ctx, db, SQLite); err != nil {
		t.Fatalf("Up with 00011 missing: %v", err)
	}
	if _, err := db.ExecContext(ctx, `SELECT 1 FROM user_sources`); err != nil {
		t.Fatalf("user_sources after Up: %v", err)
	}
}
