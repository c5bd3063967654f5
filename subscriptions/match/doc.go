// Package match decides whether an entry's text is what a subscription asks for: text folding
// and stemming (Tokenize, Document), the query language (ParseQuery, Query, QueryError), the
// catalog of topics (Topic, Catalog) and the Matcher, an inverted index of every
// subscription's query evaluated once per entry. It touches no database and knows nothing of
// chats beyond the ids a Row carries.
package match
