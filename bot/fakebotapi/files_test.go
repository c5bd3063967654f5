package fakebotapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// TestSendDocumentAndDownload uploads a document with the real client, as multipart, and
// downloads it again through getFile and the file path.
func TestSendDocumentAndDownload(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{})
	ctx := testContext(t)
	b := newClient(t, s)
	s.SendMessage(Chat{}, alice, "hi") // the chat exists once the user wrote
	data := []byte(`{"version": 1}`)
	m, err := b.SendDocument(ctx, &tgbot.SendDocumentParams{
		ChatID:    alice.ID,
		Document:  &models.InputFileUpload{Filename: "livealert-1001.json", Data: bytes.NewReader(data)},
		Caption:   "<b>Your</b> subscriptions",
		ParseMode: models.ParseModeHTML,
	})
	if err != nil {
		t.Fatal(err)
	}
	d := m.Document
	if d == nil || d.FileName != "livealert-1001.json" || d.MimeType != "application/json" || d.FileSize != int64(len(data)) || d.FileID == "" || d.FileUniqueID == "" {
		t.Fatalf("document = %+v", d)
	}
	if m.Caption != "Your subscriptions" || m.Text != "" || len(m.CaptionEntities) != 1 {
		t.Fatalf("caption %q (%v), text %q", m.Caption, m.CaptionEntities, m.Text)
	}
	sent := s.Messages(alice.ID)
	if len(sent) != 1 || sent[0].Document == nil || !bytes.Equal(sent[0].Document.Data, data) || sent[0].Text != "<b>Your</b> subscriptions" {
		t.Fatalf("messages = %+v", sent)
	}

	f, err := b.GetFile(ctx, &tgbot.GetFileParams{FileID: d.FileID})
	if err != nil {
		t.Fatal(err)
	}
	if f.FileSize != int64(len(data)) || f.FilePath == "" || f.FileUniqueID != d.FileUniqueID {
		t.Fatalf("file = %+v", f)
	}
	resp, err := http.Get(b.FileDownloadLink(f))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, data) {
		t.Fatalf("download: %d %q", resp.StatusCode, got)
	}

	// The same file sent again by its file_id.
	again, err := b.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: alice.ID, Document: &models.InputFileString{Data: d.FileID}})
	if err != nil || again.Document == nil || again.Document.FileID != d.FileID {
		t.Fatalf("resend by file_id: %+v, %v", again, err)
	}
}

func TestDocumentErrors(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{})
	ctx := testContext(t)
	b := newClient(t, s)
	s.SendMessage(Chat{}, alice, "hi")
	big := bytes.Repeat([]byte("x"), maxDownloadBytes+1)
	bigID := sentUpdate(t, s, s.SendDocument(Chat{}, alice, "big.bin", big, "")).Message.Document.FileID
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"empty file", func() error {
			_, err := b.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: alice.ID, Document: &models.InputFileUpload{Filename: "a.json", Data: bytes.NewReader(nil)}})
			return err
		}, "file must be non-empty"},
		{"unknown file_id", func() error {
			_, err := b.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: alice.ID, Document: &models.InputFileString{Data: "nope"}})
			return err
		}, "wrong file identifier"},
		{"caption too long", func() error {
			_, err := b.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: alice.ID, Caption: strings.Repeat("a", maxCaptionRunes+1),
				Document: &models.InputFileUpload{Filename: "a.json", Data: strings.NewReader("{}")}})
			return err
		}, "caption is too long"},
		{"getFile unknown", func() error {
			_, err := b.GetFile(ctx, &tgbot.GetFileParams{FileID: "nope"})
			return err
		}, "invalid file_id"},
		{"getFile too big", func() error {
			_, err := b.GetFile(ctx, &tgbot.GetFileParams{FileID: bigID})
			return err
		}, "file is too big"},
	}
	for _, tt := range tests {
		if err := tt.call(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
	if n := len(s.Messages(alice.ID)); n != 0 {
		t.Fatalf("%d messages sent, want none", n)
	}
	for _, path := range []string{"/file/bot" + s.Token() + "/documents/nope.json", "/file/botWRONG/documents/file_1.bin"} {
		resp, err := http.Get(s.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("GET %s: 200", path)
		}
	}
}

// A user's document with a command caption arrives with caption_entities, and getFile
// serves it.
func TestInjectedDocument(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{})
	ctx := testContext(t)
	b := newClient(t, s)
	m := sentUpdate(t, s, s.SendDocument(Chat{}, alice, "subs.json", []byte("{}"), "/import")).Message
	if m == nil || m.Document == nil || m.Caption != "/import" || len(m.CaptionEntities) != 1 || m.CaptionEntities[0].Type != models.MessageEntityTypeBotCommand {
		t.Fatalf("update message = %+v", m)
	}
	f, err := b.GetFile(ctx, &tgbot.GetFileParams{FileID: m.Document.FileID})
	if err != nil || f.FileSize != 2 {
		t.Fatalf("getFile = %+v, %v", f, err)
	}
}

// sentUpdate is the update with that id as the server delivers it.
func sentUpdate(t *testing.T, s *Server, id int64) models.Update {
	t.Helper()
	s.mu.Lock()
	raw := s.sent[id]
	s.mu.Unlock()
	var u models.Update
	if err := json.Unmarshal(raw, &u); err != nil {
		t.Fatal(err)
	}
	return u
}
