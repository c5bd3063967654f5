package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"livealert/subscriptions/migrations"
)

// postgresReaders is how many connections the read pool of a PostgreSQL store opens at most.
const postgresReaders = 8

// openPostgres opens the writer (one connection: the writer discipline is SQLite's, see
// Store) and the readers (read-only sessions) of the PostgreSQL database opts.DSN, and
// migrates it. The placeholders of the store's SQL are rebound on the connections
// (rebindConnector). The database must exist; its schema is created by the migrations.
func (s *Store) openPostgres(ctx context.Context) error {
	s.name = RedactDSN(s.opts.DSN)
	s.dialect = dialect{postgres: true}
	config, err := pgx.ParseConfig(s.opts.DSN)
	if err != nil {
		return fmt.Errorf("subscriptions: open %s: bad DSN", s.name) // pgx's error may quote it
	}
	s.writer = sql.OpenDB(rebindConnector{stdlib.GetConnector(*config.Copy())})
	s.writer.SetMaxOpenConns(1)
	s.writer.SetConnMaxIdleTime(0)
	if err := s.prepareWriter(ctx, migrations.Postgres); err != nil {
		s.writer.Close()
		return err
	}
	readerConfig := config.Copy()
	readerConfig.RuntimeParams["default_transaction_read_only"] = "on"
	s.reader = sql.OpenDB(rebindConnector{stdlib.GetConnector(*readerConfig)})
	s.reader.SetMaxOpenConns(postgresReaders)
	s.reader.SetMaxIdleConns(postgresReaders)
	return nil
}

// passwordSetting is the password of a keyword/value DSN (password=secret, password='a b').
var passwordSetting = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]*)`)

// RedactDSN returns dsn, a PostgreSQL URL or keyword/value DSN, with its password replaced by
// xxxxx: what errors and logs may show.
func RedactDSN(dsn string) string {
	if strings.Contains(dsn, "://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "(a DSN that is not a valid URL)"
		}
		if q := u.Query(); q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.Redacted()
	}
	return passwordSetting.ReplaceAllString(dsn, "${1}xxxxx")
}
