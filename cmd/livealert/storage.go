package main

import (
	"regexp"

	"livealert/subscriptions"
)

// databaseURLEnv overrides storage.dsn, so that the database's password need not be in the
// config file.
const databaseURLEnv = "LIVEALERT_DATABASE_URL"

// postgresDSN is what a PostgreSQL DSN looks like: a postgres:// URL, or keyword=value pairs.
var postgresDSN = regexp.MustCompile(`^(postgres(ql)?://\S+|\s*[a-z_]+\s*=.*)$`)

// storage returns the store's options for the database of cfg: the SQLite file, or the
// PostgreSQL DSN ($LIVEALERT_DATABASE_URL, else storage.dsn), and the name logs show for it
// (a DSN with its password masked).
func (p *program) storage(cfg Config) (opts subscriptions.Options, name string, err error) {
	if cfg.Storage.Driver != subscriptions.DriverPostgres {
		return subscriptions.Options{Driver: subscriptions.DriverSQLite, Path: cfg.Storage.Path}, cfg.Storage.Path, nil
	}
	dsn := cfg.Storage.DSN
	if v := p.getenv(databaseURLEnv); v != "" {
		dsn = v
	}
	if dsn == "" {
		return subscriptions.Options{}, "", &usageError{msg: "storage.dsn: missing for driver postgres: set it or $" + databaseURLEnv}
	}
	if !postgresDSN.MatchString(dsn) {
		return subscriptions.Options{}, "", &usageError{msg: "$" + databaseURLEnv + ": " + subscriptions.RedactDSN(dsn) +
			" is not a PostgreSQL DSN like postgres://user@host:5432/livealert"}
	}
	return subscriptions.Options{Driver: subscriptions.DriverPostgres, DSN: dsn}, subscriptions.RedactDSN(dsn), nil
}
