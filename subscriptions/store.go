package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3"

	"livealert/subscriptions/match"
	"livealert/subscriptions/migrations"
)

// ErrNotFound is returned when the chat, subscription or row asked for does not exist.
var ErrNotFound = errors.New("subscriptions: not found")

// Drivers: the databases a Store keeps its state in.
const (
	DriverSQLite   = migrations.SQLite
	DriverPostgres = migrations.Postgres
)

// Options configure a Store.
type Options struct {
	// Driver is DriverSQLite (when "") or DriverPostgres.
	Driver string
	// Path is the SQLite database file; it is created when missing.
	Path string
	// DSN is the PostgreSQL database (postgres://user:password@host:port/db?sslmode=…, or
	// keyword/value); it must exist. Errors and logs show it with its password masked.
	DSN string
	// Topics is the catalog chats may follow.
	Topics []match.Topic
	// DigestTime ("HH:MM") and TimeZone are what a new chat starts with.
	DigestTime string
	TimeZone   *time.Location
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives the store's few log lines; discarded when nil.
	Logger *slog.Logger
}

// Store holds all durable state — chats, subscriptions, entries, the outbox, digest runs and
// source state — and matches entries against subscriptions. All writes go through one
// connection (SQLite allows one writer; on PostgreSQL too, so that a transaction that reads
// then writes sees no other writer of this process between); reads use a pool.
type Store struct {
	writer  *sql.DB
	reader  *sql.DB
	dialect dialect
	name    string // the database, for errors: the SQLite path or the masked DSN
	opts    Options
	catalog *match.Catalog
	log     *slog.Logger

	rebuild      sync.Mutex                    // serialises matcher rebuilds
	matcher      atomic.Pointer[match.Matcher] // the matcher of the current subscriptions
	matcherBuild atomic.Int64                  // nanoseconds the last matcher build took
	zones        sync.Map                      // zone name → *time.Location, see location

	prepMu   sync.Mutex
	prepared map[string]*sql.Stmt // hot read queries, prepared once on the read pool

	fence fence // the lease epoch writes are checked against, see lease.go
}

// Open opens (creating if needed) and migrates the database of opts (an SQLite file, or a
// PostgreSQL database), and builds the matcher of its subscriptions. A catalog that does not
// compile is an error.
func Open(ctx context.Context, opts Options) (*Store, error) {
	switch opts.Driver {
	case "", DriverSQLite:
		opts.Driver = DriverSQLite
		if opts.Path == "" {
			return nil, errors.New("subscriptions: open: empty path")
		}
	case DriverPostgres:
		if opts.DSN == "" {
			return nil, errors.New("subscriptions: open: empty PostgreSQL DSN")
		}
	default:
		return nil, fmt.Errorf("subscriptions: open: unknown driver %q (sqlite or postgres)", opts.Driver)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.TimeZone == nil {
		opts.TimeZone = time.UTC
	}
	if opts.DigestTime == "" {
		opts.DigestTime = "08:00"
	}
	if _, _, err := ParseClock(opts.DigestTime); err != nil {
		return nil, fmt.Errorf("subscriptions: open: digest time: %w", err)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	catalog, err := match.NewCatalog(opts.Topics)
	if err != nil {
		return nil, err
	}
	s := &Store{opts: opts, catalog: catalog, log: opts.Logger}
	if opts.Driver == DriverPostgres {
		err = s.openPostgres(ctx)
	} else {
		err = s.openSQLite(ctx)
	}
	if err != nil {
		return nil, err
	}
	if err := s.rebuildMatcher(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openSQLite opens the writer and the readers of the SQLite file opts.Path, and migrates it.
func (s *Store) openSQLite(ctx context.Context) error {
	var err error
	s.name = s.opts.Path
	path := sqlitePath.Replace(s.opts.Path)
	s.writer, err = sql.Open("sqlite3", "file:"+path+"?_txlock=immediate&_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=NORMAL&_stmt_cache_size=64")
	if err != nil {
		return fmt.Errorf("subscriptions: open %s: %w", s.name, err)
	}
	s.writer.SetMaxOpenConns(1)
	s.writer.SetConnMaxIdleTime(0)
	if err := s.prepareWriter(ctx, migrations.SQLite); err != nil {
		s.writer.Close()
		return err
	}
	s.reader, err = sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_query_only=true&_stmt_cache_size=64")
	if err != nil {
		s.writer.Close()
		return fmt.Errorf("subscriptions: open %s: %w", s.name, err)
	}
	s.reader.SetMaxOpenConns(4)
	return nil
}

// prepareWriter checks that the writer reaches a database it may write, and migrates it.
func (s *Store) prepareWriter(ctx context.Context, driver string) error {
	if err := s.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("subscriptions: open %s: %w", s.name, err)
	}
	if err := checkWritable(ctx, s.writer); err != nil {
		return fmt.Errorf("subscriptions: database %s is not writable: %w", s.name, err)
	}
	if err := migrations.Up(ctx, s.writer, driver); err != nil {
		return fmt.Errorf("subscriptions: open %s: %w", s.name, err)
	}
	return nil
}

// checkWritable makes a change to db's schema in a write transaction and rolls it back: it
// fails when SQLite may only read the database (the file or its directory not writable by
// the process, a read-only file system, a file format newer than this SQLite writes), so that
// a store that could not record anything is not opened at all.
func checkWritable(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: takes the write lock
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `CREATE TABLE livealert_writable_check (x INTEGER)`)
	return err
}

// sqlitePath escapes the characters that mean something in an SQLite URI filename.
var sqlitePath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Close closes the database.
func (s *Store) Close() error {
	s.prepMu.Lock()
	for _, st := range s.prepared {
		st.Close()
	}
	s.prepared = nil
	s.prepMu.Unlock()
	return errors.Join(s.reader.Close(), s.writer.Close())
}

// prepare returns query prepared on the read pool, preparing it on first use.
func (s *Store) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	if st, ok := s.prepared[query]; ok {
		return st, nil
	}
	st, err := s.reader.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if s.prepared == nil {
		s.prepared = map[string]*sql.Stmt{}
	}
	s.prepared[query] = st
	return st, nil
}

// Catalog returns the topics chats may follow.
func (s *Store) Catalog() *match.Catalog { return s.catalog }

// now returns the store's clock reading, truncated to whole seconds as stored.
func (s *Store) now() time.Time { return s.opts.Now().UTC() }

// write runs fn in a write transaction (BEGIN IMMEDIATE) and commits it when fn returns nil.
// A fenced store first checks the lease (see Fence): ErrFenced, and nothing written, when
// another instance leads now.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := s.checkFence(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
