package subscriptions

import "fmt"

// The store's SQL is written once, for SQLite, and PostgreSQL reads the same text: its
// placeholders (? and ?N) are rebound to $N by the connection itself (see rebind.go), and the
// few constructs the two databases spell differently come from a dialect, one method each.
// Everything else is SQL both read alike: RETURNING instead of LastInsertId, ON CONFLICT,
// CAST(… AS BIGINT) (an INTEGER is 32 bits on PostgreSQL), explicit casts of parameters whose
// type PostgreSQL cannot infer (in a SELECT list, in VALUES read by a SELECT).

// dialect is the SQL of one database where SQLite's and PostgreSQL's differ.
type dialect struct {
	postgres bool
}

// jsonInts is a FROM item named alias with one column, value: the integers of a JSON array
// bound to param ("[1,2,3]", as appendJSONInts writes it).
func (d dialect) jsonInts(param, alias string) string {
	if d.postgres {
		// '[1,2]' is the array literal '{1,2}' once its brackets are braces.
		return fmt.Sprintf("unnest(CAST(translate(%s, '[]', '{}') AS BIGINT[])) AS %s(value)", param, alias)
	}
	return fmt.Sprintf("json_each(%s) %s", param, alias)
}

// jsonPairs is a FROM item named alias over a JSON array of pairs of integers bound to param
// ("[[1,2],[3,4]]"), and the expressions of each pair's place in the array (from 0) and its
// two numbers.
func (d dialect) jsonPairs(param, alias string) (from, index, first, second string) {
	if d.postgres {
		return fmt.Sprintf("jsonb_array_elements(CAST(%s AS jsonb)) WITH ORDINALITY AS %s(value, n)", param, alias),
			alias + ".n - 1",
			"CAST(" + alias + ".value ->> 0 AS BIGINT)",
			"CAST(" + alias + ".value ->> 1 AS BIGINT)"
	}
	return fmt.Sprintf("json_each(%s) %s", param, alias), alias + ".key", alias + ".value ->> 0", alias + ".value ->> 1"
}

// joinText is the aggregate that joins the text values of expr with commas.
func (d dialect) joinText(expr string) string {
	if d.postgres {
		return "string_agg(" + expr + ", ',')"
	}
	return "group_concat(" + expr + ", ',')"
}

// byteLength is the length of the text expr in bytes (UTF-8).
func (d dialect) byteLength(expr string) string {
	if d.postgres {
		return "octet_length(" + expr + ")"
	}
	return "length(CAST(" + expr + " AS BLOB))"
}

// param is a placeholder whose type is typ (an SQL type), for where PostgreSQL cannot infer
// it; SQLite needs no type.
func (d dialect) param(typ string) string {
	if d.postgres {
		return "CAST(? AS " + typ + ")"
	}
	return "?"
}

// forShare, after a SELECT in a write transaction, locks the rows read against other writers
// until the transaction ends: on PostgreSQL; SQLite's write transaction excludes every other
// writer already.
func (d dialect) forShare() string {
	if d.postgres {
		return " FOR SHARE"
	}
	return ""
}
