package subscriptions

import "testing"

func TestRebind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"VALUES (?1, ?2) SET x = ?2 WHERE y = ?1", "VALUES ($1, $2) SET x = $2 WHERE y = $1"},
		{"?2 ? ?1 ?", "$2 $3 $1 $4"}, // SQLite: a bare ? is one more than the largest so far
		{"x = '?' AND y = ?", "x = '?' AND y = $1"},
		{"x = 'it''s ?' AND y = ?", "x = 'it''s ?' AND y = $1"},
		{`"odd?name" = ?`, `"odd?name" = $1`},
		{"-- who? what?\nx = ?", "-- who? what?\nx = $1"},
		{"/* ? */ x = ? /* ?", "/* ? */ x = $1 /* ?"},
		{"x = ? -- tail?", "x = $1 -- tail?"},
		{"x = 'open ?", "x = 'open ?"},
		{"x = $1", "x = $1"},
		{"x = ?10", "x = $10"},
	} {
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactDSN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"postgres://bot:s3cret@db.example.org:5432/livealert?sslmode=require",
			"postgres://bot:xxxxx@db.example.org:5432/livealert?sslmode=require"},
		{"postgresql://bot@db/livealert", "postgresql://bot@db/livealert"},
		{"postgres://bot@db/livealert?password=s3cret&sslmode=disable",
			"postgres://bot@db/livealert?password=xxxxx&sslmode=disable"},
		{"host=db user=bot password=s3cret dbname=livealert", "host=db user=bot password=xxxxx dbname=livealert"},
		{"host=db password = 's3 cret\\' x' dbname=l", "host=db password = xxxxx dbname=l"},
		{"host=db PASSWORD=s3cret", "host=db PASSWORD=xxxxx"},
		{"postgres://bot:s3cret@db:port/x", "(a DSN that is not a valid URL)"},
		{"mysql://bot:s3cret@db/x", "mysql://bot:xxxxx@db/x"},
	} {
		if got := RedactDSN(tc.in); got != tc.want {
			t.Errorf("RedactDSN(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
