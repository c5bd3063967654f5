package deliver

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"

	"livealert/subscriptions"
)

// maxQueuedReplies bounds the replies waiting for one chat; queueing one more blocks the
// handler that queues it (and so that chat's later updates) until one has gone.
const maxQueuedReplies = 16

// replies sends answers to commands outside the outbox: per chat in the order they were
// queued, each within the same limits as alerts (the global limiter, any 429 pause and the
// chat's own limiter, shared with the alerts to that chat). A reply identical to one still
// waiting for the same chat (same thread, text and keyboard) is not sent again: the waiting
// one answers both. Each chat with replies waiting has one goroutine; it ends once the chat's
// queue is empty or ctx ends (then what waits is dropped).
type replies struct {
	s *Sender
	// unpaced leaves the chats' limiters out: only the global limit and 429 pauses hold
	// replies back. For tests against a fake that does not enforce Telegram's limits.
	unpaced bool

	mu    sync.Mutex
	chats map[int64]*replyQueue
	wg    sync.WaitGroup
}

type replyQueue struct {
	chat  subscriptions.DueChat // whose limiter the replies take
	items []*queuedReply
	space chan struct{} // closed and replaced whenever a reply leaves items
}

type queuedReply struct {
	p    *tgbot.SendMessageParams
	key  string
	done []func() // called once the reply was sent or given up on
}

func newReplies(s *Sender, unpaced bool) *replies {
	return &replies{s: s, unpaced: unpaced, chats: map[int64]*replyQueue{}}
}

// Reply queues the reply p to its chat (whose type is chatType: "private", "group", ...) and
// returns; done is called once it was sent, given up on, or answered by an identical reply
// still waiting (see replies). It blocks while maxQueuedReplies wait for the chat. When ctx
// ends first, p is dropped and done not called; the chat's queue is dropped too once ctx ends.
// Replies go out while Run runs (it hands out the global limiter's slots).
func (s *Sender) Reply(ctx context.Context, chatType string, p *tgbot.SendMessageParams, done func()) {
	s.replies.queue(ctx, chatType, p, done)
}

// WaitReplies returns once every goroutine Reply started has ended: each ends once its chat's
// queue is empty or the ctx given to Reply ends. Call it once nothing calls Reply any more.
func (s *Sender) WaitReplies() { s.replies.wait() }

// queue queues the reply p to its chat; see Sender.Reply.
func (r *replies) queue(ctx context.Context, chatType string, p *tgbot.SendMessageParams, done func()) {
	chatID, _ := p.ChatID.(int64)
	key := replyKey(p)
	for {
		r.mu.Lock()
		q := r.chats[chatID]
		if q == nil {
			q = &replyQueue{chat: subscriptions.DueChat{ID: chatID, Type: chatType}, space: make(chan struct{})}
			r.chats[chatID] = q
			r.wg.Add(1)
			go r.drain(ctx, q)
		}
		for _, w := range q.items {
			if w.key == key {
				w.done = append(w.done, done)
				r.mu.Unlock()
				return
			}
		}
		if len(q.items) < maxQueuedReplies {
			q.items = append(q.items, &queuedReply{p: p, key: key, done: []func(){done}})
			r.mu.Unlock()
			return
		}
		space := q.space
		r.mu.Unlock()
		select {
		case <-space:
		case <-ctx.Done():
			return
		}
	}
}

// replyKey identifies a reply's content: its thread, text and keyboard.
func replyKey(p *tgbot.SendMessageParams) string {
	kb, _ := json.Marshal(p.ReplyMarkup)
	th, _ := json.Marshal(p.MessageThreadID)
	return string(th) + "\x00" + p.Text + "\x00" + string(kb)
}

// drain sends q's replies in order until q is empty or ctx ends.
func (r *replies) drain(ctx context.Context, q *replyQueue) {
	defer r.wg.Done()
	for {
		r.mu.Lock()
		if len(q.items) == 0 || ctx.Err() != nil {
			delete(r.chats, q.chat.ID)
			q.items = nil
			close(q.space)
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
		// The reply stays in the queue, where identical ones join it, until its slot comes.
		finish, err := r.waitTurn(ctx, q.chat)
		if err != nil {
			continue // ctx ended: the next round drops the queue
		}
		r.mu.Lock()
		w := q.items[0]
		q.items = q.items[1:]
		close(q.space)
		q.space = make(chan struct{})
		r.mu.Unlock()
		r.send(ctx, q.chat, w.p, finish)
		for _, done := range w.done {
			done()
		}
	}
}

// wait returns once every goroutine replies started has ended (after ctx ended).
func (r *replies) wait() { r.wg.Wait() }

// waitTurn returns once the chat's limiter would let a message go, then waits for a global
// slot and takes the chat's slot. finish, to call with the send's round trip once it is
// answered, ends its place in the send window (see Sender.waitTurn). It returns ctx's error
// if ctx ends first.
func (r *replies) waitTurn(ctx context.Context, c subscriptions.DueChat) (finish func(trip time.Duration), err error) {
	s := r.s
	if r.unpaced {
		return s.waitTurn(ctx)
	}
	for {
		wait := s.limits.chatWait(c, time.Now())
		if wait <= 0 {
			break
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return nil, err
		}
	}
	if finish, err = s.waitTurn(ctx); err != nil {
		return nil, err
	}
	if wait := s.limits.takeChat(c, time.Now()); wait > 0 {
		if err := sleepCtx(ctx, wait); err != nil {
			finish(0)
			return nil, err
		}
	}
	return finish, nil
}

// call makes the sendMessage call of a reply whose turn has come and ends its place in the
// send window.
func (r *replies) call(ctx context.Context, p *tgbot.SendMessageParams, finish func(time.Duration)) error {
	start := time.Now()
	_, err := r.s.tg.SendMessage(ctx, p)
	finish(time.Since(start))
	return err
}

// send makes the sendMessage call of a reply whose turn has come (see waitTurn). A
// 429 pauses every send and the reply is tried once more after the pause; a chat that has
// blocked the bot is marked inactive; other failures are logged: the user can simply ask again.
func (r *replies) send(ctx context.Context, c subscriptions.DueChat, p *tgbot.SendMessageParams, finish func(time.Duration)) {
	s := r.s
	err := r.call(ctx, p, finish)
	var tooMany *tgbot.TooManyRequestsError
	if errors.As(err, &tooMany) {
		until := time.Now().Add(time.Duration(max(1, tooMany.RetryAfter)) * time.Second)
		s.log.Warn("telegram rate limit, pausing all sends", "chat_id", c.ID, "kind", "reply", "retry_after", tooMany.RetryAfter)
		s.setPause(until)
		if err := setSendPause(ctx, s.store, until); err != nil {
			s.log.Error("store send pause failed", "error", err)
		}
		if finish, err = r.waitTurn(ctx, c); err == nil {
			err = r.call(ctx, p, finish)
		}
	}
	if err == nil || ctx.Err() != nil {
		return
	}
	s.log.Warn("reply failed", "chat_id", c.ID, "error", s.opts.Redact(err))
	if errors.Is(err, tgbot.ErrorForbidden) {
		if _, err := s.store.DeactivateChat(ctx, c.ID); err != nil {
			s.log.Error("deactivate chat failed", "chat_id", c.ID, "error", err)
		}
	}
}
