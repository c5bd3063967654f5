package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"livealert/subscriptions"
)

const dbCopyUsage = "usage: livealert db copy -from FILE.db [-to postgres://…|FILE.db]\n\n" +
	"Copies every table of a livealert SQLite database into another database, creating its\n" +
	"schema first: PostgreSQL (a postgres:// URL or host=… dbname=…, by default\n" +
	"$" + databaseURLEnv + ") or another SQLite file. Stop livealert first. The source is\n" +
	"only read, and must be at this livealert's schema version (start it on the file once).\n" +
	"A row whose key the target holds is skipped: run the copy again to resume one that was\n" +
	"interrupted; a second run copies nothing. Writes one line per table to stderr.\n\n"

// dbCommand runs `livealert db …`: only `db copy` so far.
func (p *program) dbCommand(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "copy" {
		return &usageError{msg: strings.TrimSpace(strings.SplitN(dbCopyUsage, "\n\n", 2)[0])}
	}
	fs := flag.NewFlagSet("livealert db copy", flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	from := fs.String("from", "", "the livealert SQLite database `file` to copy")
	to := fs.String("to", "", "the database to copy into: a PostgreSQL `DSN` (default $"+databaseURLEnv+") or an SQLite file")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), dbCopyUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &usageError{msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("db copy: unexpected argument %q (see livealert db copy -h)", fs.Arg(0))}
	}
	if *from == "" {
		return &usageError{msg: "db copy: -from names no file (see livealert db copy -h)"}
	}
	if *to == "" {
		*to = p.getenv(databaseURLEnv)
	}
	if *to == "" {
		return &usageError{msg: "db copy: no target: give -to or set $" + databaseURLEnv}
	}
	// Look before opening the target, which creates it.
	if _, err := os.Stat(*from); err != nil {
		return fmt.Errorf("db copy: %w", err)
	}
	target, name := copyTarget(*to)
	if target.Path != "" && sameFile(target.Path, *from) {
		return &usageError{msg: fmt.Sprintf("db copy: -from and -to are both %s", *from)}
	}
	store, err := subscriptions.Open(ctx, target)
	if err != nil {
		return fmt.Errorf("db copy: %w", err)
	}
	defer store.Close()
	fmt.Fprintf(p.stderr, "copying %s to %s\n", *from, name)
	if err := store.CopyFrom(ctx, *from, p.stderr); err != nil {
		return fmt.Errorf("db copy: %w", err)
	}
	fmt.Fprintf(p.stderr, "copied %s to %s\n", *from, name)
	return nil
}

// copyTarget returns the store options of the target -to names — a PostgreSQL DSN, else an
// SQLite file — and how to name it to the operator (never with its password).
func copyTarget(to string) (subscriptions.Options, string) {
	if postgresDSN.MatchString(to) {
		return subscriptions.Options{Driver: subscriptions.DriverPostgres, DSN: to}, subscriptions.RedactDSN(to)
	}
	return subscriptions.Options{Driver: subscriptions.DriverSQLite, Path: to}, to
}

// sameFile reports whether the paths a and b name one file, as far as their text says.
func sameFile(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}
