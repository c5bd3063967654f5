package fakebotapi

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/go-telegram/bot/models"
)

// maxCallbackData is Telegram's limit on callback_data, in bytes.
const maxCallbackData = 64

// parseReplyMarkup parses a reply_markup parameter as the Bot API does and
// returns the inline keyboard it holds, or nil when it is absent, empty or
// another kind of markup (reply keyboard, remove keyboard, force reply),
// which messages do not carry. Errors, with Telegram's wording: invalid JSON,
// anything but an object (including "null", which go-telegram/bot sends for a
// typed nil ReplyMarkup), rows that are not arrays, buttons without text,
// buttons with no action ("text buttons are unallowed") and callback_data
// over 64 bytes (BUTTON_DATA_INVALID).
//
// go-telegram/bot always sends "copy_text":{"text":""} with every button (the
// field is a struct tagged omitempty). Telegram would take a button with no
// other action for a copy-text button with nothing to copy; here a copy_text
// without text counts as absent, so such a button is refused.
func parseReplyMarkup(raw string) (*models.InlineKeyboardMarkup, *apiError) {
	if raw == "" {
		return nil, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &obj); err != nil {
		var v any
		if json.Unmarshal([]byte(raw), &v) == nil {
			return nil, badRequest("object expected as reply markup")
		}
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	if obj == nil {
		return nil, badRequest("object expected as reply markup")
	}
	rawRows, ok := obj["inline_keyboard"]
	if !ok || bytes.Equal(rawRows, []byte("null")) {
		return nil, nil
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(rawRows, &rows); err != nil {
		return nil, badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	markup := &models.InlineKeyboardMarkup{InlineKeyboard: make([][]models.InlineKeyboardButton, 0, len(rows))}
	for _, rawRow := range rows {
		var buttons []json.RawMessage
		if err := json.Unmarshal(rawRow, &buttons); err != nil {
			return nil, badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays")
		}
		row := make([]models.InlineKeyboardButton, 0, len(buttons))
		for _, rawButton := range buttons {
			b, apiErr := parseInlineButton(rawButton)
			if apiErr != nil {
				return nil, apiErr
			}
			row = append(row, b)
		}
		markup.InlineKeyboard = append(markup.InlineKeyboard, row)
	}
	return markup, nil
}

// parseInlineButton parses one InlineKeyboardButton, taking its action in
// the Bot API's order of precedence.
func parseInlineButton(raw json.RawMessage) (models.InlineKeyboardButton, *apiError) {
	var fields map[string]json.RawMessage
	var b models.InlineKeyboardButton
	if json.Unmarshal(raw, &fields) != nil || fields == nil {
		return b, badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return b, badRequest(fmt.Sprintf("can't parse inline keyboard button: %v", err))
	}
	var text *string
	if json.Unmarshal(fields["text"], &text) != nil || text == nil {
		return b, badRequest("can't parse inline keyboard button: Field \"text\" must be of type String")
	}
	has := func(name string) bool {
		v, ok := fields[name]
		return ok && !bytes.Equal(v, []byte("null"))
	}
	switch {
	case b.URL != "":
	case b.CallbackData != "":
		if len(b.CallbackData) > maxCallbackData {
			return b, badRequest("BUTTON_DATA_INVALID")
		}
	case has("callback_game"), has("pay"), has("switch_inline_query"), has("switch_inline_query_chosen_chat"),
		has("switch_inline_query_current_chat"), has("login_url"), has("web_app"):
	case b.CopyText.Text != "":
	default:
		return b, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	}
	return b, nil
}

// markupEqual reports whether two inline keyboards look the same to users;
// nil and an empty keyboard are equal.
func markupEqual(a, b *models.InlineKeyboardMarkup) bool {
	if a == nil || len(a.InlineKeyboard) == 0 {
		return b == nil || len(b.InlineKeyboard) == 0
	}
	if b == nil {
		return false
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// cloneMarkup copies m's rows so that callers can't reach the server's copy.
// Buttons' pointer fields are shared; the server never changes them.
func cloneMarkup(m *models.InlineKeyboardMarkup) *models.InlineKeyboardMarkup {
	if m == nil {
		return nil
	}
	c := &models.InlineKeyboardMarkup{InlineKeyboard: make([][]models.InlineKeyboardButton, len(m.InlineKeyboard))}
	for i, row := range m.InlineKeyboard {
		c.InlineKeyboard[i] = append([]models.InlineKeyboardButton(nil), row...)
	}
	return c
}

// hasCallbackButton reports whether m has a button sending data.
func hasCallbackButton(m *models.InlineKeyboardMarkup, data string) bool {
	if m == nil {
		return false
	}
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData == data && b.URL == "" {
				return true
			}
		}
	}
	return false
}
