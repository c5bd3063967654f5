package bot

import (
	"context"
	"livealert/bot/locale"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// menu is one command menu and the scope and language_code Telegram shows it in ("" for
// users whose language has no menu of its own).
type menu struct {
	scope        models.BotCommandScope
	languageCode string
	commands     []models.BotCommand
}

// menus derives the command menus from the table, per scope and language: in the default
// language without a language_code, and in every other language for its code.
func menus(table []commandSpec, operatorIDs []int64, defaultLang locale.Lang) []menu {
	ms := scopeMenus(table, operatorIDs, locale.For(defaultLang), "")
	for _, lang := range locale.Languages() {
		if lang != defaultLang {
			ms = append(ms, scopeMenus(table, operatorIDs, locale.For(lang), string(lang))...)
		}
	}
	return ms
}

// scopeMenus derives the menus of one language from the table: private chats see every
// command that runs there; group members the reading ones; group administrators those and
// the changing ones; each operator, in their private chat, also the operators' commands. The
// default scope is the private menu.
func scopeMenus(table []commandSpec, operatorIDs []int64, l *locale.Locale, code string) []menu {
	pick := func(where place, ok func(access) bool) []models.BotCommand {
		var out []models.BotCommand
		for _, c := range table {
			if c.menu != "" && c.where&where != 0 && ok(c.access) {
				out = append(out, models.BotCommand{Command: c.name, Description: l.T(c.menu)})
			}
		}
		return out
	}
	notOperators := func(a access) bool { return a != operators }
	private := pick(inPrivate, notOperators)
	ms := []menu{
		{scope: &models.BotCommandScopeDefault{}, commands: private},
		{scope: &models.BotCommandScopeAllPrivateChats{}, commands: private},
		{scope: &models.BotCommandScopeAllGroupChats{}, commands: pick(inGroup, func(a access) bool { return a == anyone })},
		{scope: &models.BotCommandScopeAllChatAdministrators{}, commands: pick(inGroup, notOperators)},
	}
	operator := pick(inPrivate, func(access) bool { return true })
	for _, id := range operatorIDs {
		ms = append(ms, menu{scope: &models.BotCommandScopeChat{ChatID: id}, commands: operator})
	}
	for i := range ms {
		ms[i].languageCode = code
	}
	return ms
}

// setMenus registers the command menus with Telegram; a failure is logged, not fatal.
func (b *Bot) setMenus(ctx context.Context) {
	for _, m := range menus(b.cmds.list, b.opts.Admins, b.opts.Language) {
		if _, err := b.tg.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: m.commands, Scope: m.scope, LanguageCode: m.languageCode}); err != nil {
			b.log.Warn("set commands failed", "error", b.redact(err))
		}
	}
}
