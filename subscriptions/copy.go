package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"livealert/subscriptions/migrations"
)

// copyTables is every table of the store's schema but copySkipped, each after the tables its
// foreign keys name: the order CopyFrom fills a database in. A migration that adds a table
// adds it here or to copySkipped (TestCopyTablesAreTheSchema fails until it does).
var copyTables = []string{
	"chats",
	"subscriptions",
	"channel_links",
	"access",
	"source_state",
	"entries",
	"entry_stories",
	"matches",
	"outbox",
	"story_alerts",
	"dead_letters",
	"digest_runs",
	"key_values",
	"user_sources",
}

// copySkipped are the tables CopyFrom leaves alone, each with the reason.
var copySkipped = map[string]string{
	migrations.VersionTable: "the target has its own, from being migrated when it was opened",
	"leader_lease":          "the running instances' own: the target starts with no leader",
}

// copyBatchRows is how many rows CopyFrom writes in one transaction.
const copyBatchRows = 1000

// CopyFrom copies every row of the livealert SQLite database at path into s: table by table
// in copyTables' order, each in primary key order, copyBatchRows rows per transaction, with a
// line per table on progress. The source is read in one read transaction — a consistent
// snapshot — and never written; its schema must be at this binary's version (else the error
// says what to do).
//
// A row whose primary key s holds already is skipped, whatever its content: a copy
// interrupted anywhere resumes by being run again, and a second run copies nothing. The
// target is meant to be a database no bot has written to: once a table is copied, the target
// must hold as many of its rows as the source, else the copy fails naming the table (rows the
// source lacks are in the target). Generated ids go on after the highest copied.
func (s *Store) CopyFrom(ctx context.Context, path string, progress io.Writer) error {
	return copier{batchRows: copyBatchRows, progress: progress}.run(ctx, path, s)
}

// copier is CopyFrom with what tests change: the rows per transaction, and a hook after each
// committed batch (an error from it stops the copy there).
type copier struct {
	batchRows  int
	progress   io.Writer
	afterBatch func(table string) error
}

func (c copier) run(ctx context.Context, path string, dst *Store) error {
	// SQLite would create a missing file, even read-only: look first.
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("subscriptions: copy: %w", err)
	}
	src, err := sql.Open("sqlite3", "file:"+sqlitePath.Replace(path)+"?mode=ro&_query_only=true&_busy_timeout=10000")
	if err != nil {
		return fmt.Errorf("subscriptions: copy from %s: %w", path, err)
	}
	defer src.Close()
	tx, err := src.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("subscriptions: copy from %s: %w", path, err)
	}
	defer tx.Rollback()
	if err := checkSourceVersion(ctx, tx, path); err != nil {
		return err
	}
	for _, table := range copyTables {
		if err := c.table(ctx, tx, dst, table); err != nil {
			return fmt.Errorf("subscriptions: copy %s: %w", table, err)
		}
	}
	return dst.rebuildMatcher(ctx) // it matches for the copied subscriptions too
}

// checkSourceVersion refuses a source whose schema is not the one this binary writes.
func checkSourceVersion(ctx context.Context, src *sql.Tx, path string) error {
	latest, err := migrations.Latest()
	if err != nil {
		return err
	}
	var version sql.NullInt64
	err = src.QueryRowContext(ctx, `SELECT MAX(version_id) FROM `+migrations.VersionTable).Scan(&version)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return fmt.Errorf("subscriptions: copy: %s is not a livealert database (it has no %s table)", path, migrations.VersionTable)
	}
	if err != nil {
		return fmt.Errorf("subscriptions: copy from %s: %w", path, err)
	}
	switch {
	case version.Int64 < latest:
		return fmt.Errorf("subscriptions: copy: %s has schema version %d, this livealert writes %d: start this livealert once on the file (it migrates it), stop it, and copy again", path, version.Int64, latest)
	case version.Int64 > latest:
		return fmt.Errorf("subscriptions: copy: %s has schema version %d, newer than this livealert's %d: copy with the livealert that wrote it", path, version.Int64, latest)
	}
	return nil
}

// table copies the rows of table from src into dst.
func (c copier) table(ctx context.Context, src *sql.Tx, dst *Store, table string) error {
	columns, keys, err := tableColumns(ctx, src, table)
	if err != nil {
		return err
	}
	rows, err := src.QueryContext(ctx, `SELECT `+quoteNames(columns)+` FROM `+quoteName(table)+` ORDER BY `+quoteNames(keys))
	if err != nil {
		return err
	}
	defer rows.Close()
	types, err := dst.columnTypes(ctx, table, columns)
	if err != nil {
		return err
	}
	head := `INSERT INTO ` + quoteName(table) + ` (` + quoteNames(columns) + `) VALUES `
	tail := `ON CONFLICT (` + quoteNames(keys) + `) DO NOTHING`
	var read, inserted int64
	batch := make([][]any, 0, c.batchRows)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var n int64
		err := dst.write(ctx, func(tx *sql.Tx) error {
			b := newRowBatch(tx, dst.dialect, head, "", tail, types...)
			defer b.close()
			for _, row := range batch {
				if err := b.add(ctx, row...); err != nil {
					return err
				}
			}
			if err := b.flush(ctx); err != nil {
				return err
			}
			n = b.inserted
			return nil
		})
		if err != nil {
			return err
		}
		inserted += n
		batch = batch[:0]
		if c.afterBatch != nil {
			return c.afterBatch(table)
		}
		return nil
	}
	for rows.Next() {
		row := make([]any, len(columns))
		ptrs := make([]any, len(columns))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		read++
		batch = append(batch, row)
		if len(batch) == c.batchRows {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	var held int64
	if err := dst.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteName(table)).Scan(&held); err != nil {
		return err
	}
	if held != read {
		return fmt.Errorf("the target holds %d rows, the source %d: the target was written to by something else than this copy (copy into a new database)", held, read)
	}
	if reset := dst.dialect.resetIdentity(table, keys, types[slices.Index(columns, keys[0])]); reset != "" {
		if err := dst.write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, reset)
			return err
		}); err != nil {
			return err
		}
	}
	if c.progress != nil {
		fmt.Fprintf(c.progress, "%-14s %8d rows: %d copied, %d there already\n", table, read, inserted, read-inserted)
	}
	return nil
}

// tableColumns returns the columns of table in src, in order, and those of its primary key.
func tableColumns(ctx context.Context, src *sql.Tx, table string) (columns, keys []string, err error) {
	rows, err := src.QueryContext(ctx, `SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var pk []string // by position in the key
	for rows.Next() {
		var name string
		var pos int
		if err := rows.Scan(&name, &pos); err != nil {
			return nil, nil, err
		}
		columns = append(columns, name)
		if pos > 0 {
			for len(pk) < pos {
				pk = append(pk, "")
			}
			pk[pos-1] = name
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(columns) == 0 {
		return nil, nil, errors.New("no such table in the source")
	}
	if len(pk) == 0 {
		return nil, nil, errors.New("the table has no primary key")
	}
	return columns, pk, nil
}

// columnTypes returns the SQL types of columns of table in s, for rowBatch: PostgreSQL's (as
// its migrations made them); SQLite needs none.
func (s *Store) columnTypes(ctx context.Context, table string, columns []string) ([]string, error) {
	types := make([]string, len(columns))
	if !s.dialect.postgres {
		return types, nil
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ?`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byName := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		byName[name] = typ
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, c := range columns {
		if types[i] = byName[c]; types[i] == "" {
			return nil, fmt.Errorf("the target has no column %s", c)
		}
	}
	return types, nil
}

// resetIdentity is the statement that makes the ids table generates go on after the highest
// it holds, when its key is one integer column (of keyType, columnTypes' answer) that
// PostgreSQL may generate (an identity: pg_get_serial_sequence finds its sequence, else setval
// is given NULL and does nothing); "" for other keys and for SQLite, whose row ids always go on.
func (d dialect) resetIdentity(table string, key []string, keyType string) string {
	if !d.postgres || len(key) != 1 || keyType != "bigint" {
		return ""
	}
	literal := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	return `SELECT setval(pg_get_serial_sequence(` + literal(quoteName(table)) + `, ` + literal(key[0]) + `), ` +
		`COALESCE(MAX(` + quoteName(key[0]) + `), 0) + 1, false) FROM ` + quoteName(table)
}

// quoteName quotes an identifier the way SQLite and PostgreSQL both read it.
func quoteName(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteNames(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = quoteName(n)
	}
	return strings.Join(quoted, ", ")
}
