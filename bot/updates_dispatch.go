package bot

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/go-telegram/bot/models"
)

// Bounds of the update dispatcher.
const (
	maxPendingUpdates = 1024 // updates taken but not yet handled, over all chats
	maxActiveChats    = 32   // chats whose updates are being handled at once
)

// dispatcher handles updates concurrently across chats and in order within one. Each chat
// (see updateKey) with updates waiting has one goroutine that handles them one after another,
// in the order Telegram sent them; at most maxActiveChats handle at once, and at most
// maxPendingUpdates are taken before take blocks (which holds back getUpdates).
//
// An update is done once its handler has returned and every reply it queued (see holdUpdate)
// has been sent or given up on. The saved offset is the highest id up to which every update
// is done, never an id with a lower one still queued or under way: a restart then neither
// handles an update again nor skips one. Updates not done when ctx ends are handled again
// after a restart.
type dispatcher struct {
	handle func(context.Context, *models.Update)
	save   func(context.Context, int64) error
	log    *slog.Logger

	pending chan struct{} // one token per update taken and not yet handled
	active  chan struct{} // one token per chat being handled
	wg      sync.WaitGroup

	mu      sync.Mutex
	queues  map[int64][]*models.Update // by chat key; a key present has its goroutine
	taken   []int64                    // ids taken and not yet counted in the offset, ascending
	done    map[int64]bool             // ids among taken that are done
	through int64                      // every update up to this id is done (or was before a restart)
	waiters map[int64][]chan bool      // by id taken with takeOnce and not yet done

	onceMu sync.Mutex // orders takeOnce calls

	saveMu sync.Mutex
	saved  int64 // the offset last saved
}

func newDispatcher(log *slog.Logger, handle func(context.Context, *models.Update), save func(context.Context, int64) error) *dispatcher {
	return &dispatcher{
		handle:  handle,
		save:    save,
		log:     log,
		pending: make(chan struct{}, maxPendingUpdates),
		active:  make(chan struct{}, maxActiveChats),
		queues:  map[int64][]*models.Update{},
		done:    map[int64]bool{},
		waiters: map[int64][]chan bool{},
	}
}

// resume tells the dispatcher that every update up to id was done before a restart (the
// saved offset): takeOnce treats them as done.
func (d *dispatcher) resume(id int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.through = max(d.through, id)
	d.saveMu.Lock()
	d.saved = max(d.saved, id)
	d.saveMu.Unlock()
}

// updateKey is the chat whose updates u must be handled in order with: the chat a message,
// post, button or membership change happened in; the presser for a button under a message too
// old to say; 0 for anything else.
func updateKey(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.ChannelPost != nil:
		return u.ChannelPost.Chat.ID
	case u.CallbackQuery != nil:
		switch m := u.CallbackQuery.Message; {
		case m.Message != nil:
			return m.Message.Chat.ID
		case m.InaccessibleMessage != nil:
			return m.InaccessibleMessage.Chat.ID
		}
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

// take queues u behind its chat's earlier updates. Updates should be taken by increasing id,
// as getUpdates returns them: one taken after a higher one is handled after it in its chat. It
// blocks while maxPendingUpdates are pending, and reports false when ctx ended first: u is
// then left for a restart.
func (d *dispatcher) take(ctx context.Context, u *models.Update) bool {
	select {
	case d.pending <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	key := updateKey(u)
	d.mu.Lock()
	defer d.mu.Unlock()
	i := len(d.taken)
	for i > 0 && d.taken[i-1] > u.ID {
		i--
	}
	d.taken = slices.Insert(d.taken, i, u.ID)
	q, running := d.queues[key]
	d.queues[key] = append(q, u)
	if !running {
		d.wg.Add(1)
		go d.drain(ctx, key)
	}
	return true
}

// takeOnce is take for an update that may arrive more than once (a webhook delivery Telegram
// repeats when it got no 200). The returned channel receives true once u is done — at once
// when it already is: its id is at or below the saved offset or the offset the dispatcher
// reached, or it was done since — and false when it could not be taken or ctx ended before it
// was done, so that it is to be delivered again. An update taken and not yet done is not taken
// again: the channel receives when the first is done.
func (d *dispatcher) takeOnce(ctx context.Context, u *models.Update) <-chan bool {
	ch := make(chan bool, 1)
	d.onceMu.Lock()
	defer d.onceMu.Unlock()
	d.mu.Lock()
	switch {
	case u.ID <= d.through || d.done[u.ID]:
		d.mu.Unlock()
		ch <- true
		return ch
	case d.waiters[u.ID] != nil:
		d.waiters[u.ID] = append(d.waiters[u.ID], ch)
		d.mu.Unlock()
		return ch
	}
	d.waiters[u.ID] = []chan bool{ch}
	d.mu.Unlock()
	if !d.take(ctx, u) {
		d.mu.Lock()
		delete(d.waiters, u.ID)
		d.mu.Unlock()
		ch <- false
	}
	return ch
}

// drain handles chat key's updates in order until none is left or ctx ends.
func (d *dispatcher) drain(ctx context.Context, key int64) {
	defer d.wg.Done()
	select {
	case d.active <- struct{}{}:
		defer func() { <-d.active }()
	case <-ctx.Done():
	}
	for {
		d.mu.Lock()
		q := d.queues[key]
		if len(q) == 0 || ctx.Err() != nil {
			delete(d.queues, key)
			d.mu.Unlock()
			for range q {
				<-d.pending
			}
			return
		}
		u := q[0]
		d.queues[key] = q[1:]
		d.mu.Unlock()
		d.run(ctx, u)
		<-d.pending
	}
}

// run handles u; u is done once the handler returned and its replies are out.
func (d *dispatcher) run(ctx context.Context, u *models.Update) {
	w := &updateWork{finish: func() { d.finish(ctx, u.ID) }}
	w.holds.Store(1)
	defer w.release()
	defer func() {
		if r := recover(); r != nil {
			d.log.Error("update handler panicked", "update_id", u.ID, "panic", r)
		}
	}()
	d.handle(context.WithValue(ctx, updateWorkKey{}, w), u)
}

// finish marks id done and saves the offset if it moved.
func (d *dispatcher) finish(ctx context.Context, id int64) {
	d.mu.Lock()
	d.done[id] = true
	var offset int64
	for len(d.taken) > 0 && d.done[d.taken[0]] {
		offset = d.taken[0]
		delete(d.done, offset)
		d.taken = d.taken[1:]
	}
	d.through = max(d.through, offset)
	for _, ch := range d.waiters[id] {
		ch <- ctx.Err() == nil
	}
	delete(d.waiters, id)
	d.mu.Unlock()
	if offset == 0 || ctx.Err() != nil {
		return
	}
	d.saveMu.Lock()
	defer d.saveMu.Unlock()
	if offset <= d.saved {
		return
	}
	if err := d.save(ctx, offset); err != nil {
		d.log.Error("save update offset failed", "error", err)
		return
	}
	d.saved = offset
}

// wait returns once every goroutine the dispatcher started has ended (after ctx ended).
func (d *dispatcher) wait() { d.wg.Wait() }

// updateWork counts what keeps an update from being done: its handler, and each reply it
// queued.
type updateWork struct {
	holds  atomic.Int32
	finish func()
}

func (w *updateWork) release() {
	if w.holds.Add(-1) == 0 {
		w.finish()
	}
}

type updateWorkKey struct{}

// holdUpdate keeps the update ctx's handler is handling from being done until the returned
// function is called (once); for a ctx outside a handler it returns a function doing nothing.
func holdUpdate(ctx context.Context) func() {
	w, _ := ctx.Value(updateWorkKey{}).(*updateWork)
	if w == nil {
		return func() {}
	}
	w.holds.Add(1)
	var once sync.Once
	return func() { once.Do(w.release) }
}
