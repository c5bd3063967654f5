package bot

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions"
)

// TestAlertButtons presses each button under an alert in turn — mute, undo, digest only,
// undo, unfollow — and checks the edits (golden transcript) and what each did to the store.
func TestAlertButtons(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	tr := &transcript{t: t}
	tr.said("alice", "/follow Storms", h.say(aliceChat, alice, 0, "/follow Storms"))
	h.ingest(newEntry("0", "Old news from before the bot watched")) // the first poll alerts nobody
	h.ingest(newEntry("1", "Storm surge floods the harbour road", "Water reached the ferry terminal."))
	msgs := h.waitMessages(alice.ID, 2)
	alert := msgs[len(msgs)-1]
	tr.message(alert)
	if alert.ReplyMarkup == nil || len(alert.ReplyMarkup.InlineKeyboard) != 2 {
		t.Fatalf("alert keyboard %+v, want two rows of buttons", alert.ReplyMarkup)
	}
	sub := h.subscription(alice.ID)
	id := func(prefix string) string { return prefix + itoa(sub.ID) }

	press := func(data string) {
		t.Helper()
		answer := h.press(aliceChat, alice, alert.ID, data)
		edited := messageByID(t, h, alice.ID, alert.ID)
		tr.pressed("alice", data, answer, edited)
		if !strings.HasPrefix(edited.PlainText, alert.PlainText) || !reflect.DeepEqual(edited.Entities, alert.Entities) {
			t.Errorf("the edit lost the alert's text or formatting:\n%q %+v\nwas\n%q %+v", edited.PlainText, edited.Entities, alert.PlainText, alert.Entities)
		}
	}
	press(id(alertMutePrefix))
	if s := h.subscription(alice.ID); !s.MutedUntil.Equal(h.clock.Now().Add(24 * time.Hour).Truncate(time.Minute)) {
		t.Errorf("muted until %v, want 24h from now", s.MutedUntil)
	}
	press(id(alertUnmutePrefix))
	if s := h.subscription(alice.ID); !s.MutedUntil.IsZero() {
		t.Errorf("still muted until %v after undo", s.MutedUntil)
	}
	press(id(alertDigestPrefix))
	if s := h.subscription(alice.ID); s.Mode != subscriptions.ModeDigest {
		t.Errorf("mode %s, want digest", s.Mode)
	}
	press(id(alertBothPrefix))
	if s := h.subscription(alice.ID); s.Mode != subscriptions.ModeBoth {
		t.Errorf("mode %s, want both after undo", s.Mode)
	}
	press(id(alertUnfollowPrefix))
	if subs, _ := h.store.Subscriptions(context.Background(), alice.ID); len(subs) != 0 {
		t.Errorf("%d subscriptions left after unfollow", len(subs))
	}
	final := messageByID(t, h, alice.ID, alert.ID)
	if n := strings.Count(final.Text, "\n\n"); n != 2 || final.ReplyMarkup != nil {
		t.Errorf("after unfollow: %d paragraph breaks (want the alert's one and the confirmation's), keyboard %+v", n, final.ReplyMarkup)
	}
	golden(t, "alert_buttons.txt", tr.b.String())
}

// TestAlertButtonsMuteStopsAlerts checks the effect of the buttons on later entries: muted,
// no alert; digest only, no alert but the digest has it.
func TestAlertButtonsMuteStopsAlerts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{Bot: liftChatLimits}) // not about the per-chat limits
	h.start()
	h.say(aliceChat, alice, 0, "/follow Storms")
	h.say(aliceChat, alice, 0, "/follow Ferries")
	h.ingest(newEntry("0", "Old news"))
	h.ingest(newEntry("1", "Storm warning for the coast"))
	alert := h.waitMessages(alice.ID, 3)[2]
	subs, _ := h.store.Subscriptions(context.Background(), alice.ID)
	storms, ferries := subs[0], subs[1]
	h.press(aliceChat, alice, alert.ID, alertMutePrefix+itoa(storms.ID))
	h.ingest(newEntry("2", "Ferry cancelled"))
	ferryAlert := h.waitMessages(alice.ID, 4)[3]
	h.press(aliceChat, alice, ferryAlert.ID, alertDigestPrefix+itoa(ferries.ID))
	h.ingest(newEntry("3", "Storm floods the ferry pier"), newEntry("4", "Second ferry route suspended"))
	h.ingest(newEntry("5", "Storm passes"))
	// A marker alert: the sender goes oldest first, so anything wrongly queued above would
	// arrive before it.
	h.say(aliceChat, alice, 0, "/follow Council")
	h.ingest(newEntry("6", "Council meets"))
	msgs := h.waitMessages(alice.ID, 6)
	if len(msgs) != 6 || !strings.Contains(msgs[5].Text, "Council meets") {
		t.Fatalf("%d messages, the last %q; want no alert after mute and digest only, then the marker", len(msgs), msgs[len(msgs)-1].Text)
	}
	h.clock.Set(time.Date(2024, 5, 15, 8, 0, 0, 0, time.UTC))
	h.digestTick()
	digest := h.waitMessages(alice.ID, 7)[6]
	for _, want := range []string{"Ferry cancelled", "Storm floods the ferry pier", "Second ferry route suspended"} {
		if !strings.Contains(digest.Text, want) {
			t.Errorf("digest lacks %q:\n%s", want, digest.Text)
		}
	}
	for _, muted := range []string{"Storm warning", "Storm passes"} {
		if strings.Contains(digest.Text, muted) {
			t.Errorf("digest has %q of the muted topic:\n%s", muted, digest.Text)
		}
	}
}

func TestAlertButtonsCallbackData(t *testing.T) {
	t.Parallel()
	kb := alertButtons(en, 1<<63-1, strings.Repeat("a very long topic name ", 5))
	for _, row := range kb.InlineKeyboard {
		for _, btn := range row {
			if len(btn.CallbackData) > 64 {
				t.Errorf("%q: %d bytes of callback data", btn.Text, len(btn.CallbackData))
			}
			if s, _ := lookupButton(buttonTable(), btn.CallbackData); s == nil {
				t.Errorf("%q: the button table does not know %q", btn.Text, btn.CallbackData)
			}
		}
	}
}

// subscription returns the chat's only subscription.
func (h *harness) subscription(chatID int64) subscriptions.Subscription {
	h.t.Helper()
	subs, err := h.store.Subscriptions(h.ctx, chatID)
	if err != nil || len(subs) != 1 {
		h.t.Fatalf("subscriptions of %d: %+v %v, want one", chatID, subs, err)
	}
	return subs[0]
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestAlertButtonsCoalesced presses buttons under messages of several alerts: with up to
// maxAlertRows subscriptions each has its row, and each row's buttons act on its own
// subscription; with more, a picker shows one subscription's row at a time. Golden
// transcript; the store is checked after every press.
func TestAlertButtonsCoalesced(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	tr := &transcript{t: t}
	for _, f := range []string{"/follow Storms", "/follow Ferries", "/follow Council"} {
		h.say(aliceChat, alice, 0, f)
	}
	h.ingest(newEntry("0", "Old news from before the bot watched"))
	subs := func() map[string]subscriptions.Subscription {
		t.Helper()
		list, err := h.store.Subscriptions(h.ctx, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]subscriptions.Subscription{}
		for _, s := range list {
			out[s.Label(h.store.Catalog())] = s
		}
		return out
	}
	before := subs()
	id := func(prefix, label string) string { return prefix + itoa(before[label].ID) }
	// One ingest queues the three alerts together: they go out as one message.
	sent := len(h.api.Messages(alice.ID))
	h.ingest(newEntry("1", "Storm warning for the coast"), newEntry("2", "Ferry cancelled"), newEntry("3", "Council meets"))
	msgs := h.waitTexts(alice.ID, "Storm warning", "Ferry cancelled", "Council meets")
	if len(msgs) != sent+1 {
		t.Fatalf("%d messages for the three alerts, want them coalesced in 1", len(msgs)-sent)
	}
	alert := msgs[len(msgs)-1]
	tr.message(alert)
	if alert.ReplyMarkup == nil || len(alert.ReplyMarkup.InlineKeyboard) != 3 {
		t.Fatalf("keyboard %+v, want a row per subscription", alert.ReplyMarkup)
	}
	press := func(m fakebotapi.Message, data string) {
		t.Helper()
		answer := h.press(aliceChat, alice, m.ID, data)
		tr.pressed("alice", data, answer, messageByID(t, h, alice.ID, m.ID))
	}
	// check compares each subscription with before: only those in changed may differ, and they must.
	check := func(changed ...string) {
		t.Helper()
		now := subs()
		for label, s := range before {
			differs := !reflect.DeepEqual(now[label], s)
			if want := slices.Contains(changed, label); differs != want {
				t.Errorf("%s: %+v → %+v; want changed %v", label, s, now[label], want)
			}
		}
		before = now
	}
	press(alert, id(alertMutePrefix, "Ferries"))
	check("Ferries")
	if !before["Ferries"].MutedUntil.After(h.clock.Now()) {
		t.Errorf("Ferries not muted: %+v", before["Ferries"])
	}
	press(alert, id(alertDigestPrefix, "Storms"))
	check("Storms")
	if before["Storms"].Mode != subscriptions.ModeDigest {
		t.Errorf("Storms mode %s, want digest", before["Storms"].Mode)
	}
	councilID := before["Council"].ID
	press(alert, id(alertUnfollowPrefix, "Council"))
	check("Council")
	if _, ok := before["Council"]; ok {
		t.Errorf("Council still followed")
	}
	press(alert, alertUnmutePrefix+itoa(before["Ferries"].ID))
	check("Ferries")
	if !before["Ferries"].MutedUntil.IsZero() {
		t.Errorf("Ferries still muted after undo")
	}
	final := messageByID(t, h, alice.ID, alert.ID)
	for _, row := range final.ReplyMarkup.InlineKeyboard {
		for _, btn := range row {
			if strings.HasSuffix(btn.CallbackData, ":"+itoa(councilID)) {
				t.Errorf("a button for the unfollowed Council is left: %+v", btn)
			}
		}
	}

	// More subscriptions than rows: a picker.
	for _, f := range []string{"/follow Council", "/follow lighthouse", "/follow Ferries"} {
		h.say(aliceChat, alice, 0, f)
	}
	h.press(aliceChat, alice, alert.ID, id(alertBothPrefix, "Storms"))
	before = subs()
	sent = len(h.api.Messages(alice.ID))
	h.ingest(newEntry("4", "Storm returns"), newEntry("5", "Ferry back"), newEntry("6", "Council again"),
		newEntry("7", "Lighthouse dark"))
	msgs = h.waitTexts(alice.ID, "Storm returns", "Ferry back", "Council again", "Lighthouse dark")
	if len(msgs) != sent+1 {
		t.Fatalf("%d messages for the four alerts, want them coalesced in 1", len(msgs)-sent)
	}
	picker := msgs[len(msgs)-1]
	tr.message(picker)
	press(picker, id(alertPickPrefix, "lighthouse"))
	check()
	press(picker, id(alertMutePrefix, "lighthouse"))
	check("lighthouse")
	press(picker, id(alertPickPrefix, "Council"))
	check()
	press(picker, id(alertPickPrefix, "Storms"))
	check()
	press(picker, id(alertUnfollowPrefix, "Storms"))
	check("Storms")
	golden(t, "alert_buttons_coalesced.txt", tr.b.String())
}

// TestAlertKeyboardLayouts checks the keyboards of messages of 1 to 5 subscriptions, with
// ids and labels as long as they come: every button is in the button table and its data
// within Telegram's 64 bytes.
func TestAlertKeyboardLayouts(t *testing.T) {
	t.Parallel()
	var subs []alertSubscription
	for n := 1; n <= 5; n++ {
		subs = append(subs, alertSubscription{id: math.MaxInt64 - int64(n) + 1, label: strings.Repeat("a very long query ", 30)})
		kb := alertKeyboardFor(en, subs)
		wantRows := map[int]int{1: 2, 2: 2, 3: 3, 4: 2, 5: 3}[n]
		if len(kb.InlineKeyboard) != wantRows {
			t.Errorf("%d subscriptions: %d rows, want %d", n, len(kb.InlineKeyboard), wantRows)
		}
		seen := map[int64]bool{}
		for _, row := range kb.InlineKeyboard {
			for _, btn := range row {
				if len(btn.CallbackData) > 64 {
					t.Errorf("%q: %d bytes of callback data", btn.Text, len(btn.CallbackData))
				}
				if s, _ := lookupButton(buttonTable(), btn.CallbackData); s == nil {
					t.Errorf("%q: the button table does not know %q", btn.Text, btn.CallbackData)
				}
				_, id, _ := alertButtonID(btn.CallbackData)
				seen[id] = true
			}
		}
		if len(seen) != n {
			t.Errorf("%d subscriptions: buttons for %d", n, len(seen))
		}
	}
}
