package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"livealert/subscriptions"
)

// exportCommand is /export: the chat's subscriptions and settings as a JSON file
// (livealert-<chat>.json, the format of subscriptions.Export), sent as a document to the chat
// that asked, which /import reads back.
func (b *Bot) exportCommand(ctx context.Context, in incoming, _ subscriptions.Chat, _ string) (reply, error) {
	e, err := b.store.Export(ctx, in.chat.ID)
	if err != nil {
		return reply{}, err
	}
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return reply{}, fmt.Errorf("bot: export of chat %d: %w", in.chat.ID, err)
	}
	chatID, threadID := in.chat.ID, in.threadID
	if in.replyTo != 0 {
		chatID, threadID = in.replyTo, 0
	}
	_, err = b.tg.SendDocument(ctx, &tgbot.SendDocumentParams{
		ChatID:          chatID,
		MessageThreadID: threadID,
		Document:        &models.InputFileUpload{Filename: fmt.Sprintf("livealert-%d.json", in.chat.ID), Data: bytes.NewReader(append(data, '\n'))},
		Caption:         in.l.T("export_caption", "Count", len(e.Follows)),
		ParseMode:       models.ParseModeHTML,
	})
	if err != nil {
		b.log.Warn("send export failed", "chat_id", chatID, "error", b.redact(err))
		return reply{text: in.l.T("went_wrong")}, nil
	}
	return reply{}, nil
}
