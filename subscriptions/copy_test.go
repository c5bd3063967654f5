package subscriptions

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"livealert/subscriptions/match"
	"livealert/subscriptions/storetest"
)

// copySourceRows fills every table of a livealert database: three rows each or more, so that
// a copy two rows per batch crosses batches in every table. Values are chosen to be lost by a
// careless copy: 64-bit chat ids, NULLs, non-ASCII text, bytes that are not UTF-8.
var copySourceRows = []string{
	`INSERT INTO chats (id, type, title, active, time_zone, digest_time, next_digest_at, digest_cursor, created_at, muted_until, quiet_start, quiet_end, last_digest_date, last_digest_at, language) VALUES
		(1001, 'private', 'Alice', 1, 'Europe/Kyiv', '08:00', 1715666400, 3, 1715500000, 0, '23:00', '07:00', '2024-05-13', 1715580000, 'uk'),
		(1002, 'private', 'Bob', 0, 'UTC', '', NULL, 0, 1715500100, 1715700000, '', '', '', 0, ''),
		(-1001000000001, 'supergroup', 'Newsroom «Київ»', 1, 'Asia/Tokyo', '21:30', 1715689800, 0, 1715500200, 0, '', '', '', 0, 'ru'),
		(-1001000000002, 'channel', 'Harbour channel', 1, 'UTC', '08:00', 1715673600, 0, 1715500300, 0, '', '', '', 0, '')`,
	`INSERT INTO subscriptions (id, chat_id, thread_id, topic, query, created_at, mode, muted_until) VALUES
		(1, 1001, 0, 'drones', '', 1715500000, 'both', 0),
		(2, 1001, 0, '', '"peace talks" OR ceasefire', 1715500001, 'instant', 0),
		(5, -1001000000001, 17, 'belgorod', '', 1715500002, 'digest', 1715800000),
		(9, -1001000000002, 0, '', 'Türkiye', 1715500003, 'both', 0)`,
	`INSERT INTO channel_links (user_chat_id, channel_id, created_at) VALUES
		(1001, -1001000000002, 1715500400),
		(1002, -1001000000002, 1715500500),
		(-1001000000001, -1001000000002, 1715500600)`,
	`INSERT INTO access (id, state, changed_by, changed_at) VALUES
		(1002, 'allowed', 1001, 1715500000), (7007, 'denied', 1001, 1715500010), (8008, 'refused', 0, 1715500020)`,
	`INSERT INTO source_state (name, etag, last_modified, last_success, failures, last_error, primed, page, last_post) VALUES
		('Harbour Wire', '"abc"', 'Tue, 14 May 2024 10:00:00 GMT', 1715680000, 0, '', 1, '', 0),
		('TRT World', '', '', 1715680000, 2, 'fetch: 503 Service Unavailable', 1, 'https://trt.example/live/2024-05-14', 0),
		('@kyivindependent', '', '', 1715680000, 0, '', 1, '', 48213)`,
	`INSERT INTO entries (id, source, entry_key, published, title, body, url, pinned, hash, first_seen) VALUES
		(1, 'Harbour Wire', '1418-storm', 1715696280, 'Storm surge floods the harbour road', 'Water reached the ferry terminal.
Buses are diverted.', 'https://news.example/1', 0, 'h1', 1715696300),
		(2, 'TRT World', 'trt-2', 1715696400, 'Дрони над Бєлгородом', 'Тіло новини', '', 1, 'h2', 1715696410),
		(3, '@kyivindependent', '48213', 1715696500, 'Peace talks resume', '', 'https://t.me/kyivindependent/48213', 0, 'h3', 1715696510),
		(7, 'Harbour Wire', '1500-ferry', 1715698800, 'Ferries stop', 'All of them.', '', 0, 'h7', 1715698810)`,
	`INSERT INTO entry_stories (entry_id, story_id, source, shingles, created_at) VALUES
		(1, 1, 'Harbour Wire', X'00FF10C3', 1715696300),
		(2, 2, 'TRT World', X'', 1715696410),
		(7, 1, 'Harbour Wire', X'FEEDFACE00', 1715698810)`,
	`INSERT INTO matches (id, chat_id, entry_id, subscription_id, label) VALUES
		(1, 1001, 2, 1, 'Drones'), (2, 1001, 3, 2, '"peace talks" OR ceasefire'), (4, -1001000000001, 2, 5, 'Belgorod')`,
	`INSERT INTO outbox (id, chat_id, thread_id, kind, entry_id, labels, text, due_at, attempts, last_error, created_at, failing_since, subscription_ids, terms, also_of) VALUES
		(3, 1001, 0, 'alert', 3, '"peace talks" OR ceasefire', '', 1715696510, 2, 'telegram: 502 Bad Gateway', 1715696510, 1715696520, '[2]', '["peace","talk"]', NULL),
		(4, -1001000000001, 17, 'alert', 2, 'Belgorod', '', 1715750000, 0, '', 1715696410, 0, NULL, NULL, NULL),
		(8, -1001000000002, 0, 'digest', NULL, '', '<b>Daily digest</b>', 1715673600, 0, '', 1715673600, 0, NULL, NULL, NULL),
		(9, 1001, 0, 'notice', NULL, '', 'Maintenance tonight', 1715700000, 0, '', 1715699000, 0, NULL, NULL, NULL),
		(10, 1001, 0, 'alert', 7, 'Drones', '', 1715698810, 0, '', 1715698810, 0, '[1]', '["ferry"]', 1)`,
	`INSERT INTO story_alerts (chat_id, thread_id, story_id, entry_id, message_id, text, keyboard, created_at) VALUES
		(1001, 0, 1, 1, 555, '<b>Storm surge</b>', '{"inline_keyboard":[]}', 1715696300),
		(1001, 0, 2, 2, 0, '', '', 1715696410),
		(-1001000000001, 17, 2, 2, 77, 'Дрони', '', 1715696410)`,
	`INSERT INTO dead_letters (id, chat_id, kind, entry_id, text, reason, created_at) VALUES
		(1, 1002, 'alert', 1, '', 'Forbidden: bot was blocked by the user', 1715690000),
		(2, 1002, 'digest', NULL, '<b>Daily digest</b>', 'Forbidden: bot was blocked by the user', 1715690001),
		(6, 1002, 'notice', NULL, 'Hello', 'Bad Request: chat not found', 1715690002)`,
	`INSERT INTO digest_runs (chat_id, local_date, entries, created_at, scheduled_at) VALUES
		(1001, '2024-05-12', 4, 1715493600, 1715493600),
		(1001, '2024-05-13', 0, 1715580000, 1715580000),
		(-1001000000001, '2024-05-13', 2, 1715603400, 1715603400)`,
	`INSERT INTO key_values (key, value) VALUES
		('telegram_update_offset', '4242'), ('telegram_send_pause_until', '1709287207250'), ('outbox_dropped_inactive', '3')`,
	`INSERT INTO user_sources (id, name, url, format, requested_by, user_id, status, created_at, decided_by, decided_at) VALUES
		(1, 'Kyiv live', 'https://example.org/kyiv', 'feed', 1001, 1001, 'approved', 1715690000, 42, 1715690100),
		(2, 'Харків', 'https://t.me/s/kharkiv_news', 'telegram', 1001, 1001, 'pending', 1715690200, 0, 0),
		(3, 'Old wire', 'https://example.org/old', 'liveblog', -1001000000001, 7, 'rejected', 1715690300, 42, 1715690400)`,
}

// newCopySource returns the path of a livealert database at this binary's schema version,
// holding copySourceRows.
func newCopySource(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "source.db")
	s, err := Open(context.Background(), Options{Driver: DriverSQLite, Path: path, Topics: testTopics})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	execSQLite(t, path, copySourceRows...)
	return path
}

// execSQLite runs statements on the SQLite file at path, foreign keys on.
func execSQLite(t *testing.T, path string, statements ...string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, st := range statements {
		if _, err := db.Exec(st); err != nil {
			t.Fatalf("%v\n%s", err, st)
		}
	}
}

// copyTargets are the databases CopyFrom is tested into: a new SQLite file, and a new
// PostgreSQL database (skipped, loudly, without a server: see storetest).
var copyTargets = []struct {
	driver string
	open   func(t *testing.T) Options
}{
	{DriverSQLite, func(t *testing.T) Options {
		return Options{Driver: DriverSQLite, Path: filepath.Join(t.TempDir(), "target.db"), Topics: testTopics}
	}},
	{DriverPostgres, func(t *testing.T) Options {
		return Options{Driver: DriverPostgres, DSN: storetest.PostgresDSN(t), Topics: testTopics}
	}},
}

// eachCopyTarget runs test in a parallel subtest per target, with a new, empty store of it.
func eachCopyTarget(t *testing.T, test func(t *testing.T, target *Store)) {
	for _, target := range copyTargets {
		t.Run(target.driver, func(t *testing.T) {
			t.Parallel()
			s, err := Open(context.Background(), target.open(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			test(t, s)
		})
	}
}

// dumpTables returns every row of every table of copyTables in db, each value with its Go
// type, the rows of a table sorted: what two databases holding the same rows agree on. layout
// names the columns of each table (sourceColumns).
func dumpTables(t *testing.T, db *sql.DB, layout map[string][]string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	dump := map[string][]string{}
	for _, table := range copyTables {
		columns := layout[table]
		rows, err := db.QueryContext(ctx, `SELECT `+quoteNames(columns)+` FROM `+quoteName(table))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			row := make([]any, len(columns))
			ptrs := make([]any, len(columns))
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range row {
				fmt.Fprintf(&b, "%s=%T:%q ", columns[i], v, fmt.Sprint(v))
			}
			dump[table] = append(dump[table], b.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(dump[table])
	}
	return dump
}

// sourceColumns returns the columns of each table of copyTables in the SQLite file at path.
func sourceColumns(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	layout := map[string][]string{}
	for _, table := range copyTables {
		columns, _, err := tableColumns(context.Background(), tx, table)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		layout[table] = columns
	}
	return layout
}

func dumpFile(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return dumpTables(t, db, sourceColumns(t, path))
}

// diffDumps reports the tables whose rows differ.
func diffDumps(t *testing.T, got, want map[string][]string) {
	t.Helper()
	for _, table := range copyTables {
		if !slices.Equal(got[table], want[table]) {
			t.Errorf("%s holds\n\t%s\nwant\n\t%s", table, strings.Join(got[table], "\n\t"), strings.Join(want[table], "\n\t"))
		}
	}
}

// TestCopyTablesAreTheSchema fails when a migration adds a table neither copyTables nor
// copySkipped names (or drops one they name), or when a table comes before one its foreign
// keys name.
func TestCopyTablesAreTheSchema(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("sqlite3", "file:"+newCopySource(t)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var schema []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		schema = append(schema, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	listed := slices.Sorted(slices.Values(append(slices.Collect(maps.Keys(copySkipped)), copyTables...)))
	if !slices.Equal(schema, listed) {
		t.Fatalf("the schema's tables are\n\t%v\ncopyTables and copySkipped (subscriptions/copy.go) list\n\t%v", schema, listed)
	}
	for i, table := range copyTables {
		refs, err := db.Query(`SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		for refs.Next() {
			var parent string
			if err := refs.Scan(&parent); err != nil {
				t.Fatal(err)
			}
			if j := slices.Index(copyTables, parent); j >= i && parent != table {
				t.Errorf("copyTables lists %s before %s, which its foreign keys name", table, parent)
			}
		}
		refs.Close()
	}
}

// The source fixture leaves no table empty, so that a table the copy skips shows.
func TestCopySourceFillsEveryTable(t *testing.T) {
	t.Parallel()
	dump := dumpFile(t, newCopySource(t))
	for _, table := range copyTables {
		if len(dump[table]) < 3 {
			t.Errorf("copySourceRows puts %d rows in %s, want 3 or more", len(dump[table]), table)
		}
	}
}

// TestCopyFrom copies a database, then copies it again: the second run copies nothing, and
// the target holds every row of the source, value for value. Ids the target generates next
// come after the copied ones.
func TestCopyFrom(t *testing.T) {
	t.Parallel()
	source := newCopySource(t)
	want := dumpFile(t, source)
	layout := sourceColumns(t, source)
	eachCopyTarget(t, func(t *testing.T, target *Store) {
		ctx := context.Background()
		var progress bytes.Buffer
		if err := target.CopyFrom(ctx, source, &progress); err != nil {
			t.Fatal(err)
		}
		diffDumps(t, dumpTables(t, target.writer, layout), want)
		for _, table := range copyTables {
			line := fmt.Sprintf("%d copied, 0 there already", len(want[table]))
			if !strings.Contains(progress.String(), table) || !strings.Contains(progress.String(), line) {
				t.Errorf("progress lacks %s with %q:\n%s", table, line, progress.String())
			}
		}

		progress.Reset()
		if err := target.CopyFrom(ctx, source, &progress); err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(progress.String(), ": 0 copied,"); got != len(copyTables) {
			t.Errorf("the second run copied rows:\n%s", progress.String())
		}
		diffDumps(t, dumpTables(t, target.writer, layout), want)
		diffDumps(t, dumpFile(t, source), want) // the source was read, not written

		for table, insert := range map[string]string{
			"entries":      `INSERT INTO entries (source, entry_key, published, title, body, hash, first_seen) VALUES ('Harbour Wire', 'new', 1, 't', 'b', 'h', 1) RETURNING id`,
			"dead_letters": `INSERT INTO dead_letters (chat_id, kind, reason, created_at) VALUES (1002, 'alert', 'r', 1) RETURNING id`,
			"outbox":       `INSERT INTO outbox (chat_id, kind, text, due_at, created_at) VALUES (1001, 'notice', 'n', 1, 1) RETURNING id`,
		} {
			var id, highest int64
			if err := target.writer.QueryRowContext(ctx, `SELECT MAX(id) FROM `+table).Scan(&highest); err != nil {
				t.Fatal(err)
			}
			if err := target.writer.QueryRowContext(ctx, insert).Scan(&id); err != nil {
				t.Fatalf("a new row in %s after the copy: %v", table, err)
			}
			if id <= highest {
				t.Errorf("a new row in %s has id %d, not after the copied %d", table, id, highest)
			}
		}
	})
}

// TestCopyFromResumes interrupts a copy after n committed batches of two rows, at points in
// several tables, runs it again, and compares with a clean copy.
func TestCopyFromResumes(t *testing.T) {
	t.Parallel()
	source := newCopySource(t)
	want := dumpFile(t, source)
	layout := sourceColumns(t, source)
	last := copyTables[len(copyTables)-1]
	for _, n := range []int{1, 2, 5, 11, 17} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			eachCopyTarget(t, func(t *testing.T, target *Store) {
				ctx := context.Background()
				interrupted := errors.New("interrupted")
				batches := 0
				c := copier{batchRows: 2, afterBatch: func(string) error {
					if batches++; batches == n {
						return interrupted
					}
					return nil
				}}
				if err := c.run(ctx, source, target); !errors.Is(err, interrupted) {
					t.Fatalf("the interrupted copy returned %v", err)
				}
				if partial := dumpTables(t, target.writer, layout); slices.Equal(partial[last], want[last]) {
					t.Fatalf("the copy interrupted after %d batches was complete", n)
				}
				if err := target.CopyFrom(ctx, source, nil); err != nil {
					t.Fatal(err)
				}
				diffDumps(t, dumpTables(t, target.writer, layout), want)
			})
		})
	}
}

// TestCopyFromCancelled stops a copy by its context: it ends with the context's error, and a
// second run completes it.
func TestCopyFromCancelled(t *testing.T) {
	t.Parallel()
	source := newCopySource(t)
	want := dumpFile(t, source)
	layout := sourceColumns(t, source)
	eachCopyTarget(t, func(t *testing.T, target *Store) {
		ctx, cancel := context.WithCancel(context.Background())
		c := copier{batchRows: 2, afterBatch: func(table string) error {
			if table == "entries" {
				cancel()
			}
			return nil
		}}
		if err := c.run(ctx, source, target); !errors.Is(err, context.Canceled) {
			t.Fatalf("the cancelled copy returned %v", err)
		}
		if err := target.CopyFrom(context.Background(), source, nil); err != nil {
			t.Fatal(err)
		}
		diffDumps(t, dumpTables(t, target.writer, layout), want)
	})
}

// TestCopyFromRefuses: a source that is not at this binary's schema version, or not a
// livealert database, or missing, and a target holding rows the source lacks.
func TestCopyFromRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		source  func(t *testing.T) string
		target  []string // statements run on the target first
		wantErr string
	}{
		{"older schema", func(t *testing.T) string {
			path := newCopySource(t)
			execSQLite(t, path, `DELETE FROM goose_db_version WHERE version_id = (SELECT MAX(version_id) FROM goose_db_version)`)
			return path
		}, nil, "start this livealert once on the file (it migrates it), stop it, and copy again"},
		{"newer schema", func(t *testing.T) string {
			path := newCopySource(t)
			execSQLite(t, path, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)`)
			return path
		}, nil, "has schema version 99999, newer than this livealert's"},
		{"not livealert's", func(t *testing.T) string {
			path := filepath.Join(t.TempDir(), "other.db")
			execSQLite(t, path, `CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)`)
			return path
		}, nil, "is not a livealert database (it has no goose_db_version table)"},
		{"missing", func(t *testing.T) string {
			return filepath.Join(t.TempDir(), "missing.db")
		}, nil, "no such file or directory"},
		{"target written to", func(t *testing.T) string { return newCopySource(t) },
			[]string{`INSERT INTO chats (id, type, time_zone, created_at) VALUES (4242, 'private', 'UTC', 1)`},
			"subscriptions: copy chats: the target holds 5 rows, the source 4"},
		{"target row in the way of a unique key", func(t *testing.T) string { return newCopySource(t) },
			[]string{
				`INSERT INTO chats (id, type, time_zone, created_at) VALUES (1001, 'private', 'UTC', 1)`,
				`INSERT INTO subscriptions (id, chat_id, topic, created_at) VALUES (100, 1001, 'drones', 1)`,
			},
			"subscriptions: copy subscriptions: "}, // the driver's words for a unique violation
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			source := tt.source(t)
			eachCopyTarget(t, func(t *testing.T, target *Store) {
				for _, st := range tt.target {
					if _, err := target.writer.Exec(st); err != nil {
						t.Fatal(err)
					}
				}
				err := target.CopyFrom(context.Background(), source, nil)
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one holding %q", err, tt.wantErr)
				}
				if _, statErr := os.Stat(source); tt.name == "missing" && statErr == nil {
					t.Error("the copy created the missing source")
				}
			})
		})
	}
}

// TestCopyFromLiveSource copies a database a store still has open, its latest rows in the
// write-ahead log: the copy reads them, and the store copied into matches for the copied
// subscriptions at once.
func TestCopyFromLiveSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := newCopySource(t)
	live, err := Open(ctx, Options{Driver: DriverSQLite, Path: path, Topics: testTopics})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	mustStart(t, live, 3003, "private")
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Fatalf("the live source has no write-ahead log: %v", err)
	}
	eachCopyTarget(t, func(t *testing.T, target *Store) {
		if err := target.CopyFrom(ctx, path, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := target.Chat(ctx, 3003); err != nil {
			t.Fatalf("the chat in the write-ahead log was not copied: %v", err)
		}
		if hits := target.Matcher().Match(match.NewDocument("Drone strikes the port", nil)); len(hits) == 0 {
			t.Error("the target's matcher does not know the copied subscriptions")
		}
	})
}
