package bot

import (
	"encoding/json"
	"strings"
	"testing"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions"
)

// sendFile sends a document with a caption into chat as from, waits until the bot has
// handled it and returns the messages the bot sent to chat meanwhile.
func (h *harness) sendFile(chat fakebotapi.Chat, from fakebotapi.User, name string, data []byte, caption string) []fakebotapi.Message {
	h.t.Helper()
	id := chat.ID
	if id == 0 {
		id = from.ID
	}
	before := len(h.api.Messages(id))
	h.waitHandled(h.api.SendDocument(chat, from, name, data, caption))
	return h.api.Messages(id)[before:]
}

// TestExportImport exports alice's chat, imports the file into bob's, and checks that both
// chats then list the same; the file, the preview and the confirmation are golden.
func TestExportImport(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	tr := &transcript{t: t}
	for _, cmd := range []string{
		"/follow Storms", `/follow re:/shell(ing|ed)\s+\w+/`, `/follow "sea wall" OR ferry`,
		`/mode "sea wall" OR ferry digest`, "/digest 07:30", "/timezone Europe/Kyiv", "/quiet 23:00-07:00",
	} {
		h.say(aliceChat, alice, 0, cmd)
	}
	exported := h.say(aliceChat, alice, 0, "/export")
	tr.said("alice", "/export", exported)
	if len(exported) != 1 || exported[0].Document == nil {
		t.Fatalf("/export sent %+v, want one document", exported)
	}
	doc := exported[0].Document
	if doc.FileName != "livealert-1001.json" || doc.MimeType != "application/json" {
		t.Fatalf("document %q (%s)", doc.FileName, doc.MimeType)
	}
	var e subscriptions.Export
	if err := json.Unmarshal(doc.Data, &e); err != nil || e.Kind != "livealert.subscriptions" || e.Version != 1 || len(e.Follows) != 3 {
		t.Fatalf("export %+v, %v", e, err)
	}
	tr.b.WriteString("--- " + doc.FileName + "\n" + string(doc.Data) + "\n")

	msgs := h.sendFile(bobChat, bob, doc.FileName, doc.Data, "/import")
	tr.said("bob", "[livealert-1001.json] /import", msgs)
	if len(msgs) != 1 || msgs[0].ReplyMarkup == nil {
		t.Fatalf("/import answered %+v, want a preview with buttons", msgs)
	}
	if subs, _ := h.store.Subscriptions(h.ctx, bob.ID); len(subs) != 0 {
		t.Fatalf("bob follows %d things before confirming", len(subs))
	}
	answer := h.press(bobChat, bob, msgs[0].ID, importConfirmPrefix)
	edited := h.api.Messages(bob.ID)
	tr.b.WriteString(">>> bob presses " + importConfirmPrefix + ": " + answer + "\n")
	tr.message(edited[len(edited)-1])
	golden(t, "export_import.txt", tr.b.String())

	listA := h.reply(aliceChat, alice, "/list").Text
	listB := h.reply(bobChat, bob, "/list").Text
	if listA != listB {
		t.Fatalf("alice's /list:\n%s\nbob's /list:\n%s", listA, listB)
	}
	if !strings.Contains(listA, "07:30") || !strings.Contains(listA, "shell") {
		t.Fatalf("/list = %q", listA)
	}
	// Importing the same file again adds nothing; cancelled, it changes nothing.
	again := h.sendFile(bobChat, bob, doc.FileName, doc.Data, "/import")
	if len(again) != 1 || strings.Contains(again[0].Text, "\n➕ <") || !strings.Contains(again[0].Text, "already followed") {
		t.Fatalf("second import preview: %+v", again)
	}
	if answer := h.press(bobChat, bob, again[0].ID, importCancelPrefix); answer != en.T("import_cancelled") {
		t.Fatalf("cancel answered %q", answer)
	}
	if subs, _ := h.store.Subscriptions(h.ctx, bob.ID); len(subs) != 3 {
		t.Fatalf("bob follows %d things, want 3", len(subs))
	}
}

// TestImportRefusals sends /import without a file, and files that are not exports or that
// break a limit: each gets a clear answer and changes nothing; in a group, only an
// administrator may import.
func TestImportRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	tr := &transcript{t: t}
	tr.said("bob", "/import", h.say(bobChat, bob, 0, "/import"))
	follows := func(n int, q string) string {
		var fs []string
		for range n {
			fs = append(fs, `{"query": `+q+`, "mode": "both"}`)
		}
		return strings.Join(fs, ",")
	}
	files := []struct{ name, data string }{
		{"notes.txt", "hello"},
		{"other.json", `{"kind": "something.else", "version": 1, "settings": {"time_zone": "UTC", "digest_time": ""}, "follows": []}`},
		{"v2.json", `{"kind": "livealert.subscriptions", "version": 2, "settings": {"time_zone": "UTC", "digest_time": ""}, "follows": []}`},
		{"extra.json", `{"kind": "livealert.subscriptions", "version": 1, "settings": {"time_zone": "UTC", "digest_time": ""}, "follows": [], "owner": 1}`},
		{"badquery.json", `{"kind": "livealert.subscriptions", "version": 1, "settings": {"time_zone": "UTC", "digest_time": ""}, "follows": [{"query": "re:/(a/", "mode": "both"}]}`},
		{"topic.json", `{"kind": "livealert.subscriptions", "version": 1, "settings": {"time_zone": "UTC", "digest_time": ""}, "follows": [{"topic": "Volcanoes", "mode": "both"}]}`},
		{"zone.json", `{"kind": "livealert.subscriptions", "version": 1, "settings": {"time_zone": "Mars/Olympus", "digest_time": ""}, "follows": []}`},
		{"many.json", `{"kind": "livealert.subscriptions", "version": 1, "settings": {"time_zone": "UTC", "digest_time": ""}, "follows": [` + follows(subscriptions.MaxSubscriptions+1, `"storm"`) + `]}`},
		{"huge.json", `{"kind": "livealert.subscriptions", "version": 1, "settings": {"time_zone": "UTC", "digest_time": ""}, "follows": [], "x": "` + strings.Repeat("a", subscriptions.MaxExportBytes) + `"}`},
	}
	for _, f := range files {
		msgs := h.sendFile(bobChat, bob, f.name, []byte(f.data), "/import")
		tr.said("bob", "["+f.name+"] /import", msgs)
		if len(msgs) != 1 || msgs[0].ReplyMarkup != nil || !strings.HasPrefix(msgs[0].Text, "⚠️") {
			t.Errorf("%s: answered %+v, want one warning without buttons", f.name, msgs)
		}
	}
	good := []byte(`{"kind": "livealert.subscriptions", "version": 1, "settings": {"time_zone": "UTC", "digest_time": "08:00"}, "follows": [{"topic": "Storms", "mode": "both"}]}`)
	msgs := h.sendFile(newsGroup, bob, "good.json", good, "/import")
	tr.said("bob in Newsroom", "[good.json] /import", msgs)
	if len(msgs) != 1 || msgs[0].Text != en.T("not_admin") {
		t.Errorf("a member's import in a group: %+v", msgs)
	}
	golden(t, "import_refusals.txt", tr.b.String())
	if subs, _ := h.store.Subscriptions(h.ctx, bob.ID); len(subs) != 0 {
		t.Fatalf("bob follows %d things", len(subs))
	}
}
