package bot

import (
	"context"
	"log/slog"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// chatUpdate is an update with id in chat.
func chatUpdate(id, chat int64) *models.Update {
	return &models.Update{ID: id, Message: &models.Message{Chat: models.Chat{ID: chat}}}
}

// testDispatcher runs a dispatcher with handle until the test ends; the offsets it saves
// arrive on the returned channel.
func testDispatcher(t *testing.T, handle func(context.Context, *models.Update)) (*dispatcher, context.Context, <-chan int64) {
	t.Helper()
	saves := make(chan int64, maxPendingUpdates)
	d := newDispatcher(slog.New(slog.DiscardHandler), handle, func(_ context.Context, id int64) error {
		saves <- id
		return nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), harnessTimeout)
	t.Cleanup(func() { cancel(); d.wait() })
	return d, ctx, saves
}

// waitSaved blocks until the dispatcher saves offset want, and fails on a save past it.
func waitSaved(t *testing.T, ctx context.Context, saves <-chan int64, want int64) {
	t.Helper()
	for {
		select {
		case got := <-saves:
			if got == want {
				return
			}
			if got > want {
				t.Fatalf("saved offset %d, want %d first", got, want)
			}
		case <-ctx.Done():
			t.Fatalf("offset %d never saved", want)
		}
	}
}

func TestDispatcherKeepsOrderWithinAChat(t *testing.T) {
	t.Parallel()
	const chats, perChat = 5, 60
	var mu sync.Mutex
	seen := map[int64][]int64{}
	d, ctx, saves := testDispatcher(t, func(_ context.Context, u *models.Update) {
		runtime.Gosched()
		mu.Lock()
		defer mu.Unlock()
		seen[u.Message.Chat.ID] = append(seen[u.Message.Chat.ID], u.ID)
	})
	id := int64(0)
	for range perChat {
		for c := range int64(chats) {
			id++
			d.take(ctx, chatUpdate(id, c))
		}
	}
	waitSaved(t, ctx, saves, id)
	mu.Lock()
	defer mu.Unlock()
	for c, ids := range seen {
		if len(ids) != perChat {
			t.Errorf("chat %d: %d updates handled, want %d", c, len(ids), perChat)
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] < ids[i-1] {
				t.Fatalf("chat %d handled update %d after %d", c, ids[i], ids[i-1])
			}
		}
	}
}

// TestDispatcherSavesOnlyWhatIsDone: the offset saved never passes an update still queued,
// under way, or waiting for its reply, whatever later updates of other chats are done.
func TestDispatcherSavesOnlyWhatIsDone(t *testing.T) {
	t.Parallel()
	unblock := make(chan struct{})
	handled := make(chan int64, 8)
	replies := make(chan func(), 8) // the reply holds of updates 2 and 4
	d, ctx, saves := testDispatcher(t, func(ctx context.Context, u *models.Update) {
		switch u.ID {
		case 1:
			<-unblock
		case 2, 4:
			replies <- holdUpdate(ctx)
		}
		handled <- u.ID
	})
	d.take(ctx, chatUpdate(1, 10)) // chat 10 is busy with 1 …
	d.take(ctx, chatUpdate(2, 20))
	d.take(ctx, chatUpdate(3, 20))
	d.take(ctx, chatUpdate(4, 10)) // … and 4 waits behind it
	// Chat 20 is not held up by chat 10.
	for _, want := range []int64{2, 3} {
		if got := <-handled; got != want {
			t.Fatalf("handled %d, want %d", got, want)
		}
	}
	reply2 := <-replies
	reply2() // 2 and 3 are done, 1 is not: nothing may be saved
	select {
	case got := <-saves:
		t.Fatalf("saved offset %d while update 1 is under way", got)
	default:
	}
	close(unblock)
	waitSaved(t, ctx, saves, 3)
	if got := <-handled; got != 1 {
		t.Fatalf("handled %d, want 1", got)
	}
	if got := <-handled; got != 4 {
		t.Fatalf("handled %d, want 4", got)
	}
	reply4 := <-replies
	select {
	case got := <-saves:
		t.Fatalf("saved offset %d while update 4's reply waits", got)
	default:
	}
	reply4()
	waitSaved(t, ctx, saves, 4)
}

// TestDispatcherEndsWithCtx: goroutines end when ctx ends, and what was not handled is not
// counted as handled.
func TestDispatcherEndsWithCtx(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	d, ctx, saves := testDispatcher(t, func(ctx context.Context, u *models.Update) {
		if u.ID == 1 {
			close(started)
			<-ctx.Done()
		}
	})
	ctx, cancel := context.WithCancel(ctx)
	d.take(ctx, chatUpdate(1, 10))
	d.take(ctx, chatUpdate(2, 10))
	<-started
	cancel()
	done := make(chan struct{})
	go func() { d.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(harnessTimeout):
		t.Fatal("dispatcher goroutines still running after ctx ended")
	}
	select {
	case got := <-saves:
		t.Fatalf("saved offset %d after ctx ended", got)
	default:
	}
}

// takeOnce handles an update once however often it comes: a second delivery while it is
// under way waits for it, one after it is done or at or below the saved offset is done at
// once, and one that cannot be taken as the dispatcher stops is not done.
func TestDispatcherTakeOnce(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var mu sync.Mutex
	handled := map[int64]int{}
	d, ctx, saves := testDispatcher(t, func(_ context.Context, u *models.Update) {
		mu.Lock()
		handled[u.ID]++
		mu.Unlock()
		if u.ID == 11 {
			<-release
		}
	})
	d.resume(10)
	if ok := <-d.takeOnce(ctx, chatUpdate(9, 1)); !ok {
		t.Fatal("an update below the saved offset is not done")
	}
	first := d.takeOnce(ctx, chatUpdate(11, 1))
	again := d.takeOnce(ctx, chatUpdate(11, 1))
	select {
	case <-first:
		t.Fatal("update 11 done while its handler runs")
	case <-again:
		t.Fatal("redelivered update 11 done while its handler runs")
	default:
	}
	close(release)
	if !<-first || !<-again {
		t.Fatal("update 11 not reported done")
	}
	waitSaved(t, ctx, saves, 11)
	if ok := <-d.takeOnce(ctx, chatUpdate(11, 1)); !ok {
		t.Fatal("a redelivery after the update was done is not done")
	}
	mu.Lock()
	if handled[9] != 0 || handled[11] != 1 {
		t.Fatalf("handled %v, want update 11 once and 9 never", handled)
	}
	mu.Unlock()

	stopped, cancel := context.WithCancel(ctx)
	cancel()
	for range maxPendingUpdates { // fill the pending tokens so that take must wait
		d.pending <- struct{}{}
	}
	if ok := <-d.takeOnce(stopped, chatUpdate(12, 1)); ok {
		t.Fatal("an update taken as the dispatcher stopped is reported done")
	}
	for range maxPendingUpdates {
		<-d.pending
	}
}
