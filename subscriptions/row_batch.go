package subscriptions

import (
	"context"
	"database/sql"
	"strings"
)

// rowBatchSize is how many rows one multi-row INSERT carries.
const rowBatchSize = 100

// rowBatch gathers the rows of one INSERT and writes them rowBatchSize at a time, in a
// transaction: the statement is head, then the rows as "(?, ?, …), …", then middle and tail.
// types are the SQL types of the columns, which PostgreSQL is told (see dialect.param).
// It counts the rows inserted (ON CONFLICT DO NOTHING skips are not counted).
type rowBatch struct {
	tx                 *sql.Tx
	head, middle, tail string
	columns            int
	row                string // one row's placeholders

	args     []any
	full     *sql.Stmt // prepared for a full batch, on first use
	inserted int64
}

func newRowBatch(tx *sql.Tx, d dialect, head, middle, tail string, types ...string) *rowBatch {
	params := make([]string, len(types))
	for i, t := range types {
		params[i] = d.param(t)
	}
	row := "(" + strings.Join(params, ", ") + ")"
	return &rowBatch{tx: tx, head: head, middle: middle, tail: tail, columns: len(types), row: row}
}

// add queues one row (columns values) and writes a full batch.
func (b *rowBatch) add(ctx context.Context, values ...any) error {
	b.args = append(b.args, values...)
	if len(b.args) < rowBatchSize*b.columns {
		return nil
	}
	if b.full == nil {
		st, err := b.tx.PrepareContext(ctx, b.statement(rowBatchSize))
		if err != nil {
			return err
		}
		b.full = st
	}
	return b.exec(ctx, b.full)
}

// flush writes the rows still queued.
func (b *rowBatch) flush(ctx context.Context) error {
	if len(b.args) == 0 {
		return nil
	}
	st, err := b.tx.PrepareContext(ctx, b.statement(len(b.args)/b.columns))
	if err != nil {
		return err
	}
	defer st.Close()
	return b.exec(ctx, st)
}

func (b *rowBatch) exec(ctx context.Context, st *sql.Stmt) error {
	r, err := st.ExecContext(ctx, b.args...)
	if err != nil {
		return err
	}
	n, err := r.RowsAffected()
	b.inserted += n
	b.args = b.args[:0]
	return err
}

func (b *rowBatch) statement(rows int) string {
	return b.head + strings.TrimSuffix(strings.Repeat(b.row+", ", rows), ", ") + b.middle + " " + b.tail
}

func (b *rowBatch) close() {
	if b.full != nil {
		b.full.Close()
	}
}
