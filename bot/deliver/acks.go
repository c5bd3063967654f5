package deliver

import (
	"context"

	"livealert/subscriptions"
)

// acks records what Telegram accepted, committing the acknowledgements of workers that
// finish together in one transaction (group commit). A worker waits for its commit before it
// lets its chat go, so a crash still leaves at most Options.Senders messages sent but not
// recorded.
type acks struct {
	store *subscriptions.Store
	reqs  chan ackRequest
}

type ackRequest struct {
	msg  subscriptions.SentMessage
	done chan error
}

func newAcks(store *subscriptions.Store) *acks {
	return &acks{store: store, reqs: make(chan ackRequest)}
}

// delivered records msg as delivered and returns once that is committed.
func (a *acks) delivered(ctx context.Context, msg subscriptions.SentMessage) error {
	req := ackRequest{msg: msg, done: make(chan error, 1)}
	select {
	case a.reqs <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run commits acknowledgements until ctx ends.
func (a *acks) run(ctx context.Context) {
	for {
		var batch []ackRequest
		select {
		case <-ctx.Done():
			return
		case req := <-a.reqs:
			batch = append(batch, req)
		}
	more:
		for len(batch) < 64 {
			select {
			case req := <-a.reqs:
				batch = append(batch, req)
			default:
				break more
			}
		}
		msgs := make([]subscriptions.SentMessage, len(batch))
		for i, req := range batch {
			msgs[i] = req.msg
		}
		err := a.store.Delivered(ctx, msgs)
		for _, req := range batch {
			req.done <- err
		}
	}
}
