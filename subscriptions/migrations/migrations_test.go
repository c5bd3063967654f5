package migrations

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"
)

// TestKeyValuesKeepsBotState upgrades a database from before key_values: the rows of
// bot_state (the bot's update offset and send pause) are still there under the new name.
func TestKeyValuesKeepsBotState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "old.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	provider, err := goose.NewProvider(goose.DialectSQLite3, db, files)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.UpTo(ctx, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO bot_state (key, value) VALUES
		('telegram_update_offset', '4242'), ('telegram_send_pause_until', '1709287207250')`); err != nil {
		t.Fatal(err)
	}
	if err := Up(ctx, db); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"telegram_update_offset": "4242", "telegram_send_pause_until": "1709287207250"} {
		var got string
		if err := db.QueryRowContext(ctx, `SELECT value FROM key_values WHERE key = ?`, key).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", key, got, err, want)
		}
	}
	if _, err := db.ExecContext(ctx, `SELECT 1 FROM bot_state`); err == nil {
		t.Error("bot_state is still there")
	}
}

// TestDownAndUpAgain checks that every migration's Down undoes its Up.
func TestDownAndUpAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "a.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	provider, err := goose.NewProvider(goose.DialectSQLite3, db, files)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := provider.DownTo(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if err := Up(ctx, db); err != nil {
		t.Fatal(err)
	}
}
