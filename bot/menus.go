package bot

import (
	"context"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// menu is one command menu and the scope Telegram shows it in.
type menu struct {
	scope    models.BotCommandScope
	commands []models.BotCommand
}

// menus derives the command menus from the table: private chats see every command that runs
// there; group members the reading ones; group administrators those and the changing ones;
// each operator, in their private chat, also the operators' commands. The default scope is
// the private menu.
func menus(table []commandSpec, operatorIDs []int64) []menu {
	pick := func(where place, ok func(access) bool) []models.BotCommand {
		var out []models.BotCommand
		for _, c := range table {
			if c.menu != "" && c.where&where != 0 && ok(c.access) {
				out = append(out, models.BotCommand{Command: c.name, Description: c.menu})
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
	return ms
}

// setMenus registers the command menus with Telegram; a failure is logged, not fatal.
func (b *Bot) setMenus(ctx context.Context) {
	for _, m := range menus(b.cmds.list, b.opts.Admins) {
		if _, err := b.tg.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: m.commands, Scope: m.scope}); err != nil {
			b.log.Warn("set commands failed", "error", b.redact(err))
		}
	}
}
