package subscriptions

import (
	"context"
	"fmt"
	"time"

	"livealert/subscriptions/match"
)

// Matcher returns the matcher of the subscriptions as they were after the last change.
func (s *Store) Matcher() *match.Matcher { return s.matcher.Load() }

// rebuildMatcher compiles the subscriptions of every active chat and swaps the new matcher in;
// matching goes on with the old one until then.
func (s *Store) rebuildMatcher(ctx context.Context) error {
	s.rebuild.Lock()
	defer s.rebuild.Unlock()
	start := time.Now()
	rows, err := s.reader.QueryContext(ctx, `
		SELECT s.id, s.chat_id, s.thread_id, s.topic, s.query
		FROM subscriptions s JOIN chats c ON c.id = s.chat_id
		WHERE c.active = 1
		ORDER BY s.id`)
	if err != nil {
		return fmt.Errorf("subscriptions: load subscriptions: %w", err)
	}
	defer rows.Close()
	var subs []match.Row
	for rows.Next() {
		var r match.Row
		if err := rows.Scan(&r.SubscriptionID, &r.ChatID, &r.ThreadID, &r.Topic, &r.Query); err != nil {
			return fmt.Errorf("subscriptions: load subscriptions: %w", err)
		}
		subs = append(subs, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("subscriptions: load subscriptions: %w", err)
	}
	s.matcher.Store(match.NewMatcher(s.catalog, subs, s.matcher.Load(), s.log))
	s.matcherBuild.Store(int64(time.Since(start)))
	return nil
}

// MatcherBuildTime is how long the last build of the matcher took (loading the subscriptions
// and compiling them).
func (s *Store) MatcherBuildTime() time.Duration { return time.Duration(s.matcherBuild.Load()) }
