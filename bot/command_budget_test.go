package bot

import (
	"testing"
	"time"

	"livealert/subscriptions/match"
)

func TestCommandBudget(t *testing.T) {
	t.Parallel()
	clock := &harnessClock{now: time.Date(2024, 5, 14, 12, 0, 0, 0, time.UTC)}
	c := newCommandBudget(clock.Now)
	for i := range budgetBurst {
		if ok, first := c.allow(alice.ID); !ok || first {
			t.Fatalf("command %d: allow = %v, %v; want true, false", i+1, ok, first)
		}
	}
	if ok, first := c.allow(alice.ID); ok || !first {
		t.Fatalf("first command over budget: allow = %v, %v; want false, true", ok, first)
	}
	if ok, _ := c.allow(bob.ID); !ok {
		t.Fatal("another user's command refused")
	}
	clock.Advance(budgetTimeout - time.Second)
	if ok, first := c.allow(alice.ID); ok || first {
		t.Fatalf("while ignored: allow = %v, %v; want false, false", ok, first)
	}
	clock.Advance(time.Second)
	if ok, first := c.allow(alice.ID); !ok || first {
		t.Fatalf("after the timeout: allow = %v, %v; want true, false", ok, first)
	}
	var unlimited *commandBudget
	if ok, _ := unlimited.allow(alice.ID); !ok {
		t.Fatal("a nil budget refused")
	}
}

// TestCommandBudgetAnswersOnce: past the budget, one "slow down" message; later commands
// are ignored and a button press gets the same text as its answer and changes nothing, until
// the timeout has passed.
func TestCommandBudgetAnswersOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{Budget: true})
	h.start()
	kb := h.reply(aliceChat, alice, "/topics")
	for range budgetBurst - 1 {
		h.reply(aliceChat, alice, "/help")
	}
	if m := h.reply(aliceChat, alice, "/help"); m.Text != slowDownText {
		t.Fatalf("over budget: %q, want the slow-down text", m.Text)
	}
	golden(t, "budget_slow_down.txt", slowDownText+"\n")
	if msgs := h.say(aliceChat, alice, 0, "/list"); len(msgs) != 0 {
		t.Fatalf("ignored user got %d more messages: %+v", len(msgs), msgs)
	}
	if answer := h.press(aliceChat, alice, kb.ID, toggleTopicPrefix+match.TopicKey("Storms")); answer != slowDownText {
		t.Fatalf("press over budget answered %q", answer)
	}
	subs, err := h.store.Subscriptions(h.ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 0 {
		t.Fatalf("a press over budget changed the subscriptions: %+v", subs)
	}
	if msgs := h.say(bobChat, bob, 0, "/help"); len(msgs) != 1 {
		t.Fatalf("another user got %d answers, want 1", len(msgs))
	}
	h.clock.Advance(budgetTimeout)
	if m := h.reply(aliceChat, alice, "/help"); m.Text == slowDownText {
		t.Fatal("still refused after the timeout")
	}
}
