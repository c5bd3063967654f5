package migrations

import (
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// Latest is the version of the newest migration: the schema version this binary writes.
func Latest() (int64, error) {
	names, err := fs.Glob(files, "*.sql")
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	var latest int64
	for _, name := range names {
		v, err := goose.NumericComponent(name)
		if err != nil {
			return 0, fmt.Errorf("migrations: %s: %w", name, err)
		}
		latest = max(latest, v)
	}
	return latest, nil
}

// VersionTable is goose's table of the migrations a database has had.
const VersionTable = "goose_db_version"
