package bot

import (
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/sources"
	"livealert/subscriptions"
)

// TestOperatorsToldOfABrokenSource: a source that fails for SourcesAlertAfter makes each
// operator get one message, and one when it works again; nothing twice, across a restart too.
func TestOperatorsToldOfABrokenSource(t *testing.T) {
	t.Parallel()
	olga := fakebotapi.User{ID: 1003, FirstName: "Olga"}
	broken := sources.Source{Name: "Broken wire", URL: "/nonexistent/livealert-test/wire.txt", Format: sources.FormatLiveBlog, PollInterval: time.Hour}
	h := newHarness(t, harnessOptions{Admins: []int64{olga.ID}, Bot: func(o *Options) { o.Sources = []sources.Source{broken} }})
	h.start()
	failed := func() bool {
		st, err := h.store.SourceState(h.ctx, broken.Name)
		return err == nil && st.Failures > 0
	}
	eventually(t, failed) // the watcher's first poll

	h.bot.watchSources(h.ctx)
	if n := len(h.api.Messages(olga.ID)); n != 0 {
		t.Fatalf("operators told after a moment of failure: %d messages", n)
	}
	h.clock.Advance(DefaultSourcesAlertAfter)
	h.bot.watchSources(h.ctx)
	h.bot.watchSources(h.ctx)
	msgs := h.waitMessages(olga.ID, 1)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "<b>Broken wire</b> has failed since") || !strings.Contains(msgs[0].Text, "Last error") {
		t.Fatalf("the operator's notice: %+v", msgs)
	}
	h.restart()
	eventually(t, failed)
	h.clock.Advance(DefaultSourcesAlertAfter) // still the same run of failures
	h.bot.watchSources(h.ctx)

	st, _ := h.store.SourceState(h.ctx, broken.Name)
	st.Failures, st.LastError, st.LastSuccess = 0, "", h.clock.Now()
	if err := h.store.SaveSourceState(h.ctx, broken.Name, st); err != nil {
		t.Fatal(err)
	}
	h.bot.watchSources(h.ctx)
	h.bot.watchSources(h.ctx)
	msgs = h.waitMessages(olga.ID, 2)
	if len(msgs) != 2 || !strings.Contains(msgs[1].Text, "<b>Broken wire</b> works again") {
		t.Fatalf("the operator's messages: %+v", msgs)
	}
}

// TestOperatorsToldOfDeadLetters: ten messages Telegram refuses for good make each operator
// get one message; the next tick says nothing more.
func TestOperatorsToldOfDeadLetters(t *testing.T) {
	t.Parallel()
	olga := fakebotapi.User{ID: 1003, FirstName: "Olga"}
	h := newHarness(t, harnessOptions{Admins: []int64{olga.ID}, Bot: liftChatLimits})
	h.start()
	h.ingest(newEntry("0", "Old news"))
	for id := int64(1); id <= deadLettersStep; id++ {
		if _, _, err := h.store.StartChat(h.ctx, subscriptions.ChatInfo{ID: id, Type: "private"}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.store.FollowTopic(h.ctx, id, 0, "Storms"); err != nil {
			t.Fatal(err)
		}
		h.api.FailNext("sendMessage", id, fakebotapi.BadRequest("chat not found"))
	}
	h.ingest(newEntry("1", stormEntry(1)))
	eventually(t, func() bool {
		st, err := h.store.OutboxStats(h.ctx)
		return err == nil && st.DeadLetters == deadLettersStep
	})
	h.bot.watchDelivery(h.ctx)
	h.bot.watchDelivery(h.ctx)
	msgs := h.waitMessages(olga.ID, 1)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "10 more messages were refused") {
		t.Fatalf("the operator's messages: %+v", msgs)
	}
}
