package bot

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"livealert/bot/deliver"
	"livealert/bot/fakebotapi"
	"livealert/sources"
	"livealert/subscriptions"
)

// followStorms makes chat (as alice) follow the Storms topic and primes the live blog, so
// that the next entries ingested are news.
func followStorms(h *harness, chat fakebotapi.Chat) {
	h.t.Helper()
	if chat.ID != alice.ID {
		// Only administrators change a group's subscriptions.
		h.api.SetMemberStatus(chat.ID, alice.ID, models.ChatMemberTypeAdministrator)
	}
	h.reply(chat, alice, "/follow storms")
	h.ingest(newEntry("0", "Old news from before the bot watched"))
}

func stormEntry(i int) string { return fmt.Sprintf("Storm update %d: the sea wall holds", i) }

func TestSenderTooManyRequestsPausesAndRetries(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	followStorms(h, aliceChat)
	sends := h.api.Calls("sendMessage")
	h.api.FailNext("sendMessage", alice.ID, fakebotapi.TooManyRequests(2))
	h.ingest(newEntry("1", stormEntry(1)))
	if err := h.api.WaitFor(h.waitCtx(), func() bool { return h.api.TooManyRequestsServed() == 1 }); err != nil {
		t.Fatal(err)
	}
	refused := time.Now()
	h.waitStore("the 429's pause is stored", func() bool {
		pause, err := deliver.SendPause(h.ctx, h.store)
		return err == nil && pause.After(refused.Add(time.Second))
	})
	// A restart in the middle of the pause honours it.
	h.restart()
	h.waitTexts(alice.ID, stormEntry(1))
	if waited := time.Since(refused); waited < 1900*time.Millisecond {
		t.Fatalf("the alert was retried %v after a 429 with retry_after 2", waited)
	}
	if got := h.api.Calls("sendMessage") - sends; got != 2 {
		t.Fatalf("%d sendMessage calls, want 2: the refused one and its retry after the pause", got)
	}
	if alerts := alertsIn(t, h.api.Messages(alice.ID)); len(alerts) != 1 {
		t.Fatalf("%d alerts, want exactly 1", len(alerts))
	}
}

func TestSenderForbiddenDeactivatesUntilStart(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	followStorms(h, aliceChat)
	h.api.BlockChat(alice.ID)
	h.ingest(newEntry("1", stormEntry(1)), newEntry("2", stormEntry(2)))
	h.waitOutbox("both alerts dropped and counted, the chat inactive", func(st subscriptions.OutboxStats) bool {
		return st.Queued == 0 && st.Dropped == 2 && st.InactiveChats == 1
	})
	h.ingest(newEntry("3", stormEntry(3))) // nobody to alert while inactive
	h.api.UnblockChat(alice.ID)
	h.reply(aliceChat, alice, "/start")
	h.ingest(newEntry("4", stormEntry(4)))
	msgs := h.waitTexts(alice.ID, stormEntry(4))
	for _, m := range msgs {
		for _, gone := range []int{1, 2, 3} {
			if strings.Contains(m.Text, stormEntry(gone)) {
				t.Fatalf("alert %d was sent after the chat came back: %s", gone, m.Text)
			}
		}
	}
}

func TestSenderMigratedGroupMovesAndRetries(t *testing.T) {
	t.Parallel()
	const oldID, newID = -5001, -1001000005001
	group := fakebotapi.Chat{ID: oldID, Type: "group", Title: "Harbour watchers"}
	h := newHarness(t, harnessOptions{})
	h.start()
	followStorms(h, group)
	h.api.MigrateChat(oldID, newID)
	h.ingest(newEntry("1", stormEntry(1)))
	h.waitTexts(newID, stormEntry(1))
	if _, err := h.store.Chat(h.ctx, oldID); !errors.Is(err, subscriptions.ErrNotFound) {
		t.Fatalf("old chat: %v, want it moved away", err)
	}
	subs, err := h.store.Subscriptions(h.ctx, newID)
	if err != nil || len(subs) != 1 {
		t.Fatalf("new chat's subscriptions %+v (%v), want the old chat's one", subs, err)
	}
	h.ingest(newEntry("2", stormEntry(2)))
	h.waitTexts(newID, stormEntry(2))
	if n := len(alertsIn(t, h.api.Messages(newID))); n != 2 {
		t.Fatalf("%d alerts in the supergroup, want 2", n)
	}
}

func TestSenderServerErrorsBackOffThenDeliver(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{Bot: func(o *Options) { o.PrivateInterval = -1 }})
	h.start()
	followStorms(h, aliceChat)
	failures := []fakebotapi.Failure{fakebotapi.ServerError(), fakebotapi.BadGateway(), fakebotapi.ServerError(),
		fakebotapi.BadGateway(), fakebotapi.ServerError()}
	for _, f := range failures {
		h.api.FailNext("sendMessage", alice.ID, f)
	}
	sends := h.api.Calls("sendMessage")
	h.ingest(newEntry("1", stormEntry(1)), newEntry("2", stormEntry(2)))
	for i := range failures {
		if err := h.api.WaitCalls(h.waitCtx(), "sendMessage", sends+i+1); err != nil {
			t.Fatal(err)
		}
		waitPostponed(t, h)
		h.clock.Advance(2 * time.Second << i * 12 / 10) // past the backoff, whatever its jitter
		h.bot.sender.Wake()
	}
	msgs := h.waitTexts(alice.ID, stormEntry(1), stormEntry(2))
	if n := len(alertsIn(t, msgs)); n != 1 {
		t.Fatalf("%d alert messages, want the two alerts coalesced in 1", n)
	}
	h.waitOutbox("all delivered", func(st subscriptions.OutboxStats) bool { return st.Queued == 0 && st.DeadLetters == 0 })
}

// waitPostponed waits until every queued alert is postponed: queued, none due.
func waitPostponed(t *testing.T, h *harness) {
	t.Helper()
	h.waitOutbox("alerts postponed", func(st subscriptions.OutboxStats) bool { return st.Queued > 0 && st.Due == 0 })
}

func TestSenderGivesUpAfterADayOfFailures(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	followStorms(h, aliceChat)
	for range 2 {
		h.api.FailNext("sendMessage", alice.ID, fakebotapi.ServerError())
	}
	h.ingest(newEntry("1", stormEntry(1)))
	waitPostponed(t, h)
	h.clock.Advance(25 * time.Hour)
	h.bot.sender.Wake()
	h.waitOutbox("the alert failing for 25h is dead-lettered", func(st subscriptions.OutboxStats) bool {
		return st.DeadLetters == 1 && st.Queued == 0
	})
}

func TestSenderBadRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		failure fakebotapi.Failure
		// delivered: the alert arrives anyway (as plain text); else it is dead-lettered.
		delivered bool
	}{
		{"can't parse entities: resent as plain text", fakebotapi.BadRequest(`can't parse entities: Unsupported start tag "storm" at byte offset 3`), true},
		{"other bad request: dead letter", fakebotapi.BadRequest("message is too long"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, harnessOptions{})
			h.start()
			followStorms(h, aliceChat)
			h.api.FailNext("sendMessage", alice.ID, tt.failure)
			h.ingest(newEntry("1", "Storm & <surge> floods the road"))
			if tt.delivered {
				msgs := alertsIn(t, h.waitTexts(alice.ID, "Storm & <surge> floods the road"))
				if len(msgs) != 1 || msgs[0].ParseMode != "" || strings.Contains(msgs[0].Text, "<b>") {
					t.Fatalf("want one plain-text alert, got %+v", msgs)
				}
				return
			}
			h.waitOutbox("dead-lettered", func(st subscriptions.OutboxStats) bool { return st.DeadLetters == 1 && st.Queued == 0 })
			if n := len(alertsIn(t, h.api.Messages(alice.ID))); n != 0 {
				t.Fatalf("%d alerts delivered, want none", n)
			}
		})
	}
}

func TestSenderCoalescesABurstUnderTheLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{Bot: func(o *Options) { o.PrivateInterval = -1 }})
	h.start()
	followStorms(h, aliceChat)
	long := strings.Repeat("The storm surge topped the sea wall again and again. ", 12)
	var titles []string
	for i := range 30 {
		titles = append(titles, stormEntry(i+1))
	}
	// Queue the burst before the sender sees any of it: one poll's entries are recorded and
	// their alerts queued in one transaction.
	var burst []sources.Entry
	for i, title := range titles {
		burst = append(burst, newEntry(fmt.Sprint(i+1), title, long))
	}
	h.ingest(burst...)
	msgs := alertsIn(t, h.waitTexts(alice.ID, titles...))
	if len(msgs) < 2 || len(msgs) > 10 {
		t.Fatalf("30 long alerts in %d messages, want them coalesced into a few", len(msgs))
	}
	seen := map[string]int{}
	for _, m := range msgs {
		for _, title := range titles {
			seen[title] += strings.Count(m.PlainText, title+"\n")
		}
	}
	for _, title := range titles {
		if seen[title] != 1 {
			t.Fatalf("%q appears %d times, want once (split at entry boundaries)", title, seen[title])
		}
	}
}

func TestSenderBacklogDoesNotDelayAnotherChat(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	followStorms(h, newsGroup)
	h.reply(aliceChat, alice, "/follow ferry")
	long := strings.Repeat("The storm surge topped the sea wall again and again. ", 12)
	for i := range 40 {
		h.ingest(newEntry(fmt.Sprint(i+1), stormEntry(i+1), long))
	}
	h.waitTexts(newsGroup.ID, stormEntry(1))
	h.ingest(newEntry("ferry", "Ferry cancelled"))
	h.waitTexts(alice.ID, "Ferry cancelled")
	if n := len(alertsIn(t, h.api.Messages(newsGroup.ID))); n > 2 {
		t.Fatalf("the group got %d messages of its backlog before alice got her first alert", n)
	}
}

func TestStatsIsForAdmins(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{Admins: []int64{alice.ID}})
	h.start()
	followStorms(h, newsGroup)
	h.api.BlockChat(newsGroup.ID)
	h.ingest(newEntry("1", stormEntry(1)))
	h.waitOutbox("the group inactive", func(st subscriptions.OutboxStats) bool { return st.InactiveChats == 1 })
	got := h.reply(aliceChat, alice, "/stats")
	checkTelegramHTML(t, got.Text)
	golden(t, "stats_admin.html", got.Text)
	if got := h.reply(bobChat, bob, "/stats"); got.Text != operatorsOnlyText(en, "stats") {
		t.Fatalf("a non-admin got %q", got.Text)
	}
	if got := h.say(newsGroup, alice, 0, "/stats"); len(got) != 0 {
		t.Fatalf("/stats answered in a group: %+v", got)
	}
}

func TestReplyHonoursTooManyRequests(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	h.api.FailNext("sendMessage", alice.ID, fakebotapi.TooManyRequests(1))
	start := time.Now()
	got := h.reply(aliceChat, alice, "/help")
	if !strings.Contains(got.Text, "/follow") {
		t.Fatalf("the help text was not sent after the 429: %q", got.Text)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Fatalf("retried %v after a 429 with retry_after 1", waited)
	}
}

func TestSenderPaidBroadcast(t *testing.T) {
	t.Parallel()
	for _, paid := range []bool{false, true} {
		t.Run(fmt.Sprintf("paid_broadcast=%v", paid), func(t *testing.T) {
			h := newHarness(t, harnessOptions{Bot: func(o *Options) { o.PaidBroadcast = paid }})
			h.start()
			followStorms(h, aliceChat)
			h.ingest(newEntry("1", stormEntry(1)))
			msgs := h.waitTexts(alice.ID, stormEntry(1))
			alert := msgs[len(msgs)-1]
			if alert.AllowPaidBroadcast != paid {
				t.Fatalf("alert sent with allow_paid_broadcast %v, want %v", alert.AllowPaidBroadcast, paid)
			}
		})
	}
}
