package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"livealert/bot/locale"
	"livealert/bot/render"
	"livealert/subscriptions"
)

// /import reads back a file /export made: the user sends the file with the caption /import.
// The bot downloads it (at most subscriptions.MaxExportBytes, within importDownloadTimeout),
// validates it strictly (subscriptions.ParseExport), and answers with a preview of what would
// change and Confirm / Cancel buttons; Confirm applies it in one transaction. What waits for
// confirmation is kept in memory for importTTL: after a restart, the file is sent again.

const (
	importConfirmPrefix   = "imp:ok"
	importCancelPrefix    = "imp:no"
	importTTL             = 30 * time.Minute
	importDownloadTimeout = 15 * time.Second
)

// pendingImport is a validated import waiting for its Confirm button.
type pendingImport struct {
	export   subscriptions.Export
	threadID int
	expires  time.Time
}

// pendingImports holds the imports waiting for confirmation, one per chat.
type pendingImports struct {
	mu sync.Mutex
	m  map[int64]pendingImport
}

func (p *pendingImports) put(chatID int64, pi pendingImport) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[int64]pendingImport{}
	}
	for id, old := range p.m { // expired ones go, so the map stays small
		if old.expires.Before(pi.expires.Add(-importTTL)) {
			delete(p.m, id)
		}
	}
	p.m[chatID] = pi
}

// take removes and returns the chat's pending import, false when none is waiting at now.
func (p *pendingImports) take(chatID int64, now time.Time) (pendingImport, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pi, ok := p.m[chatID]
	delete(p.m, chatID)
	return pi, ok && now.Before(pi.expires)
}

var errImportTooLarge = errors.New("bot: import file too large")

func (b *Bot) importCommand(ctx context.Context, in incoming, _ subscriptions.Chat, _ string) (reply, error) {
	if in.document == nil {
		return reply{text: in.l.T("import_usage")}, nil
	}
	data, err := b.download(ctx, in.document, subscriptions.MaxExportBytes)
	if errors.Is(err, errImportTooLarge) {
		return reply{text: in.l.T("import_too_large", "Max", subscriptions.MaxExportBytes/1024)}, nil
	}
	if err != nil {
		b.log.Warn("import download failed", "chat_id", in.chat.ID, "error", b.redact(err))
		return reply{text: in.l.T("import_download_failed")}, nil
	}
	var langs []string
	for _, l := range locale.Languages() {
		langs = append(langs, string(l))
	}
	e, err := subscriptions.ParseExport(data, b.store.Catalog(), langs)
	var ee *subscriptions.ExportError
	if errors.As(err, &ee) {
		return reply{text: importErrorText(in.l, ee)}, nil
	}
	if err != nil {
		return reply{}, err
	}
	chat, err := b.store.Chat(ctx, in.chat.ID)
	if err != nil {
		return reply{}, err
	}
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return reply{}, err
	}
	text, added := b.importPreviewText(in.l, chat, subs, e, in.threadID)
	if len(subs)+added > subscriptions.MaxSubscriptions {
		return reply{text: in.l.T("import_too_many", "Max", subscriptions.MaxSubscriptions, "Have", len(subs), "Added", added)}, nil
	}
	b.imports.put(in.chat.ID, pendingImport{export: e, threadID: in.threadID, expires: b.opts.Now().Add(importTTL)})
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: in.l.T("import_confirm_button"), CallbackData: importConfirmPrefix},
		{Text: in.l.T("import_cancel_button"), CallbackData: importCancelPrefix},
	}}}
	return reply{text: text, keyboard: kb}, nil
}

// download fetches a document through getFile, refusing one larger than max bytes.
func (b *Bot) download(ctx context.Context, d *models.Document, max int) ([]byte, error) {
	if d.FileSize > int64(max) {
		return nil, errImportTooLarge
	}
	ctx, cancel := context.WithTimeout(ctx, importDownloadTimeout)
	defer cancel()
	f, err := b.tg.GetFile(ctx, &tgbot.GetFileParams{FileID: d.FileID})
	if err != nil {
		return nil, fmt.Errorf("bot: get file: %w", err)
	}
	if f.FileSize > int64(max) {
		return nil, errImportTooLarge
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.tg.FileDownloadLink(f), nil)
	if err != nil {
		return nil, fmt.Errorf("bot: download file: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("bot: download file: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("bot: download file: status %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(max)+1))
	if err != nil {
		return nil, fmt.Errorf("bot: download file: %w", err)
	}
	if len(data) > max {
		return nil, errImportTooLarge
	}
	return data, nil
}

// importErrorText says why a file is not an export the bot takes.
func importErrorText(l *locale.Locale, e *subscriptions.ExportError) string {
	return l.T("import_invalid", "Reason", l.T("import_err_"+e.Code, "Item", quote(e.Item),
		"Max", subscriptions.MaxSubscriptions, "Version", subscriptions.ExportVersion))
}

// importPreviewText lists what importing e into the chat would change, and returns how many
// follows it would add.
func (b *Bot) importPreviewText(l *locale.Locale, c subscriptions.Chat, subs []subscriptions.Subscription, e subscriptions.Export, threadID int) (string, int) {
	var s strings.Builder
	s.WriteString(l.T("import_preview_head"))
	catalog := b.store.Catalog()
	added := 0
	for _, f := range e.Follows {
		var have *subscriptions.Subscription
		for i := range subs {
			sub := &subs[i]
			if sub.ThreadID == threadID && (f.Topic != "" && sub.Topic != "" && b.topicKey(f.Topic) == sub.Topic || f.Query != "" && sub.Query == f.Query) {
				have = sub
			}
		}
		name := "<code>" + render.Esc(f.Query) + "</code>"
		if f.Topic != "" {
			t, _ := catalog.Lookup(f.Topic)
			name = "<b>" + render.Esc(topicName(l, t)) + "</b>"
		}
		switch {
		case have == nil:
			added++
			s.WriteString("\n➕ " + name + " · " + modeName(l, f.Mode))
		case have.Mode != f.Mode:
			s.WriteString("\n✏️ " + name + " · " + modeName(l, have.Mode) + " → " + modeName(l, f.Mode))
		default:
			s.WriteString("\n✔️ " + name + l.T("import_preview_same"))
		}
	}
	st := e.Settings
	change := func(what, from, to string) {
		if from != to {
			s.WriteString("\n⚙️ " + l.T(what) + ": " + render.Esc(orNone(l, from)) + " → " + render.Esc(orNone(l, to)))
		}
	}
	change("import_setting_zone", c.TimeZone.String(), st.TimeZone)
	change("import_setting_digest", c.DigestTime, st.DigestTime)
	change("import_setting_quiet", hours(c.QuietStart, c.QuietEnd), hours(st.QuietStart, st.QuietEnd))
	change("import_setting_language", c.Language, st.Language)
	muted := ""
	if st.MutedUntil != nil && st.MutedUntil.After(b.opts.Now()) {
		muted = until(l, *st.MutedUntil, c.TimeZone)
	}
	current := ""
	if c.MutedUntil.After(b.opts.Now()) {
		current = until(l, c.MutedUntil, c.TimeZone)
	}
	change("import_setting_mute", current, muted)
	s.WriteString("\n\n" + l.T("import_preview_foot"))
	return s.String(), added
}

func hours(start, end string) string {
	if start == "" {
		return ""
	}
	return start + "–" + end
}

func orNone(l *locale.Locale, s string) string {
	if s == "" {
		return l.T("import_setting_none")
	}
	return s
}

// importButton applies (imp:ok) or drops (imp:no) the chat's pending import and edits the
// preview to say which.
func (b *Bot) importButton(ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
	pi, ok := b.imports.take(in.chat.ID, b.opts.Now())
	if !ok {
		b.editMessage(ctx, m, reply{text: in.l.T("import_expired")})
		return in.l.T("import_expired"), nil
	}
	if arg != "ok" {
		b.editMessage(ctx, m, reply{text: in.l.T("import_cancelled")})
		return in.l.T("import_cancelled"), nil
	}
	added, err := b.store.Import(ctx, in.chat.ID, pi.threadID, pi.export)
	if errors.Is(err, subscriptions.ErrTooManySubscriptions) {
		b.editMessage(ctx, m, reply{text: tooManyText(in.l)})
		return "", nil
	}
	if err != nil {
		return "", err
	}
	text := in.l.T("import_done", "Added", added)
	b.editMessage(ctx, m, reply{text: text})
	return render.PlainText(text), nil
}
