package fakebotapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/go-telegram/bot/models"
)

// Update ids start high, like Telegram's, so that a bot assuming they start
// at 0 or 1 shows it.
const firstUpdateID = 100_000_001

// Telegram's getUpdates bounds.
const (
	maxPollTimeout = 50 * time.Second
	maxPollLimit   = 100
)

// queuedUpdate is an update waiting to be confirmed. It is encoded when it is
// queued: encoding some models types writes to them, and several getUpdates
// calls may send the same update.
type queuedUpdate struct {
	id   int64
	kind string // "message", "callback_query", ... as in allowed_updates
	raw  json.RawMessage
}

// longPoll is a getUpdates call waiting for updates; closing abort makes it
// answer 409, as Telegram does when another getUpdates call arrives.
type longPoll struct {
	abort chan struct{}
}

// enqueueLocked gives u the next update id, queues it and wakes long polls.
// s.mu must be held.
func (s *Server) enqueueLocked(kind string, u models.Update) int64 {
	u.ID = s.nextUpdateID
	s.nextUpdateID++
	raw, err := json.Marshal(&u)
	if err != nil {
		panic("fakebotapi: encode update: " + err.Error()) // only on a bug in this package
	}
	s.queue = append(s.queue, queuedUpdate{id: u.ID, kind: kind, raw: raw})
	if s.sent == nil {
		s.sent = map[int64]json.RawMessage{}
	}
	s.sent[u.ID] = raw
	s.notifyLocked()
	return u.ID
}

// PendingUpdates is how many injected updates the bot has not confirmed yet
// (by calling getUpdates with a higher offset), delivered or not.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// getUpdates implements Telegram's long polling. offset N > 0 confirms (drops)
// every update with id < N and returns those >= N; offset -N drops all but
// the last N; offset 0 confirms nothing. With nothing to return and timeout
// > 0 (at most 50 s) the call blocks until an update arrives, the timeout
// passes, the client goes away or the server closes. A new getUpdates call
// ends a blocked one with 409 Conflict, as in Telegram. allowed_updates, when
// given, replaces the set of update types delivered; updates of other types
// are dropped when they come up for delivery. While a webhook is set it
// answers 409 Conflict, as Telegram does.
func (s *Server) getUpdates(ctx context.Context, p params) (any, *apiError) {
	offset, ok1 := p.int64("offset")
	limit, ok2 := p.int("limit")
	timeoutSec, ok3 := p.int("timeout")
	if !ok1 || !ok2 || !ok3 {
		return nil, badRequest("invalid getUpdates parameters")
	}
	if limit <= 0 || limit > maxPollLimit {
		limit = maxPollLimit
	}
	timeout := min(max(time.Duration(timeoutSec)*time.Second, 0), maxPollTimeout)
	var allowed []string
	if raw := p["allowed_updates"]; raw != "" {
		if err := json.Unmarshal([]byte(raw), &allowed); err != nil {
			return nil, badRequest("can't parse allowed_updates JSON array")
		}
	}

	s.mu.Lock()
	if s.webhook != nil {
		s.mu.Unlock()
		return nil, webhookConflict
	}
	if p["allowed_updates"] != "" {
		s.allowedUpdates = nil
		if len(allowed) > 0 {
			s.allowedUpdates = map[string]bool{}
			for _, a := range allowed {
				s.allowedUpdates[a] = true
			}
		}
	}
	if s.poll != nil {
		close(s.poll.abort)
		s.poll = nil
	}
	s.confirmLocked(offset)
	if offset < 0 {
		offset = 0
	}
	updates := s.collectLocked(offset, limit)
	if len(updates) > 0 || timeout == 0 {
		s.mu.Unlock()
		return updates, nil
	}
	me := &longPoll{abort: make(chan struct{})}
	s.poll = me
	s.notifyLocked()
	s.mu.Unlock()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	defer func() {
		s.mu.Lock()
		if s.poll == me {
			s.poll = nil
			s.notifyLocked()
		}
		s.mu.Unlock()
	}()
	for {
		s.mu.Lock()
		updates = s.collectLocked(offset, limit)
		changed := s.changed
		s.mu.Unlock()
		if len(updates) > 0 {
			return updates, nil
		}
		select {
		case <-changed:
		case <-me.abort:
			s.mu.Lock()
			s.served409++
			s.mu.Unlock()
			return nil, &apiError{code: http.StatusConflict,
				description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		case <-timer.C:
			return []json.RawMessage{}, nil
		case <-ctx.Done():
			return nil, nil // nobody reads the answer
		case <-s.closed:
			return []json.RawMessage{}, nil
		}
	}
}

// confirmLocked applies getUpdates' offset to the queue. s.mu must be held.
func (s *Server) confirmLocked(offset int64) {
	n := 0
	switch {
	case offset > 0:
		for n < len(s.queue) && s.queue[n].id < offset {
			n++
		}
	case offset < 0:
		n = max(len(s.queue)-int(-offset), 0)
	}
	if n > 0 {
		s.queue = append(s.queue[:0:0], s.queue[n:]...)
		s.notifyLocked()
	}
}

// collectLocked returns up to limit queued updates with id >= offset,
// dropping those allowed_updates excludes. s.mu must be held.
func (s *Server) collectLocked(offset int64, limit int) []json.RawMessage {
	var out []json.RawMessage
	kept := s.queue[:0]
	for _, u := range s.queue {
		if !s.allowedLocked(u.kind) {
			continue
		}
		kept = append(kept, u)
		if u.id >= offset && len(out) < limit {
			out = append(out, u.raw)
		}
	}
	if len(kept) != len(s.queue) {
		clear(s.queue[len(kept):])
		s.queue = kept
		s.notifyLocked()
	}
	return out
}

// allowedLocked reports whether updates of kind are delivered. Like Telegram,
// by default every kind but chat_member, message_reaction and
// message_reaction_count is.
func (s *Server) allowedLocked(kind string) bool {
	if s.allowedUpdates != nil {
		return s.allowedUpdates[kind]
	}
	switch kind {
	case models.AllowedUpdateChatMember, models.AllowedUpdateMessageReaction, models.AllowedUpdateMessageReactionCount:
		return false
	}
	return true
}

// deleteWebhook removes the webhook, if any, so that getUpdates works again;
// with drop_pending_updates it drops the queue.
func (s *Server) deleteWebhook(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bool("drop_pending_updates") {
		s.queue = nil
	}
	s.webhook = nil
	s.notifyLocked()
	return true, nil
}

// ConflictsServed is how many long polls were ended with 409 Conflict because another
// getUpdates came: two bot instances polling at once.
func (s *Server) ConflictsServed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served409
}
