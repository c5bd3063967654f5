// Package migrations is the store's SQLite schema: numbered goose migrations (NNNNN_name.sql,
// each with its Up and Down) embedded in the binary, and Up to apply them.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/pressly/goose/v3"
)

//go:embed *.sql
var files embed.FS

// Up applies, in order and each in its own transaction, every migration db has not had yet.
// db must be an SQLite database opened with the "sqlite3" driver. A migration numbered below
// one db has had is applied too (branches merged in another order than they were numbered:
// 00011 came after 00012 and 00013); migrations therefore must not depend on later ones.
func Up(ctx context.Context, db *sql.DB) error {
	provider, err := goose.NewProvider(goose.DialectSQLite3, db, files, goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return nil
}
