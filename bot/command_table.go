package bot

import (
	"context"
	"livealert/bot/locale"
	"strings"

	"github.com/go-telegram/bot/models"

	"livealert/subscriptions"
)

// Every command the bot understands is one entry of commands: its name, its menu line, its
// /help line, who may run it, where, and its handler. The menus per scope (menus.go), /help,
// the gate (gate.go) and the routing to a linked channel are derived from it; nothing else
// lists commands.

// access says who may run a command or press a button.
type access int

const (
	// anyone may run it: it only reads.
	anyone access = iota
	// chatAdmins may run it: it changes the chat. In a private chat that is its user; in a
	// group its administrators (an anonymous one too); in a channel its posts, or an
	// administrator of the channel managing it from a private chat, whose rights are checked
	// again for every change.
	chatAdmins
	// operators may run it: the bot's operators (Options.Admins). It answers in the
	// operator's private chat only, wherever it was sent.
	operators
)

// place is a set of kinds of chat a command runs in.
type place uint8

const (
	inPrivate  place = 1 << iota
	inGroup          // groups, supergroups and their forum topics
	inChannel        // a channel's own posts, or a private chat managing a linked channel
	everywhere = inPrivate | inGroup | inChannel
)

// placeOf is the kind of chat in acts on.
func placeOf(in incoming) place {
	switch models.ChatType(in.chat.Type) {
	case models.ChatTypePrivate:
		return inPrivate
	case models.ChatTypeChannel:
		return inChannel
	}
	return inGroup
}

// commandFunc carries out a command in in.chat (already started: chat is its settings) and
// returns the answer; an empty answer sends nothing.
type commandFunc func(b *Bot, ctx context.Context, in incoming, chat subscriptions.Chat, args string) (reply, error)

// commandSpec is one command.
type commandSpec struct {
	name    string
	aliases []string
	// menu is the message id of the command's line in Telegram's command menu; "" keeps the
	// command out of menus.
	menu string
	// help is the message id of the command's line in /help (HTML), "" for none.
	help   string
	access access
	where  place
	// own commands act on the private chat they are sent in even while it manages a channel;
	// the others act on the channel then.
	own bool
	// stateless commands neither need nor start the chat's record.
	stateless bool
	// elsewhere answers the command sent where it does not run; nil ignores it.
	elsewhere func(*locale.Locale) string
	run       commandFunc
}

// commandTable returns the command table, in the order of the menus and /help. It is a
// function, not a variable, because handlers such as /help read the table themselves.
func commandTable() []commandSpec {
	return []commandSpec{
		{name: "start", access: anyone, where: everywhere, own: true, run: (*Bot).startCommand},
		{name: "topics", menu: "menu_topics", help: "help_topics",
			access: anyone, where: everywhere, run: (*Bot).topicsCommand},
		{name: "follow", menu: "menu_follow", help: "help_follow",
			access: chatAdmins, where: everywhere, run: (*Bot).follow},
		{name: "unfollow", menu: "menu_unfollow", help: "help_unfollow",
			access: chatAdmins, where: everywhere, run: (*Bot).unfollow},
		{name: "list", menu: "menu_list", help: "help_list",
			access: anyone, where: everywhere, run: (*Bot).listCommand},
		{name: "latest", menu: "menu_latest", help: "help_latest",
			access: anyone, where: everywhere, run: (*Bot).latest},
		{name: "search", menu: "menu_search", help: "help_search",
			access: anyone, where: everywhere, run: (*Bot).search},
		{name: "channel", menu: "menu_channel", help: "help_channel",
			access: anyone, where: inPrivate, own: true, elsewhere: channelOnlyPrivateText, run: (*Bot).channel},
		{name: "source", menu: "menu_source", help: "help_source",
			access: chatAdmins, where: inPrivate | inGroup, own: true, run: (*Bot).sourceCommand},
		{name: "digest", menu: "menu_digest", help: "help_digest",
			access: chatAdmins, where: everywhere, run: (*Bot).digestCommand},
		{name: "timezone", aliases: []string{"tz"}, menu: "menu_timezone", help: "help_timezone",
			access: chatAdmins, where: everywhere, run: (*Bot).timezoneCommand},
		{name: "language", menu: "menu_language", help: "help_language",
			access: chatAdmins, where: everywhere, run: (*Bot).languageCommand},
		{name: "mode", menu: "menu_mode", help: "help_mode",
			access: chatAdmins, where: everywhere, run: (*Bot).modeCommand},
		{name: "quiet", menu: "menu_quiet", help: "help_quiet",
			access: chatAdmins, where: everywhere, run: (*Bot).quietCommand},
		{name: "mute", menu: "menu_mute", help: "help_mute",
			access: chatAdmins, where: everywhere, run: (*Bot).muteCommand},
		{name: "export", menu: "menu_export", help: "help_export",
			access: anyone, where: everywhere, run: (*Bot).exportCommand},
		{name: "import", menu: "menu_import", help: "help_import",
			access: chatAdmins, where: everywhere, run: (*Bot).importCommand},
		{name: "help", menu: "menu_help", access: anyone, where: everywhere, own: true, stateless: true, run: (*Bot).helpCommand},
		{name: "stop", menu: "menu_stop", help: "help_stop",
			access: chatAdmins, where: everywhere, own: true, stateless: true, run: (*Bot).stopCommand},
		{name: "allow", menu: "menu_allow", help: "help_allow",
			access: operators, where: inPrivate | inGroup, own: true, run: (*Bot).allowCommand},
		{name: "deny", menu: "menu_deny", help: "help_deny",
			access: operators, where: inPrivate | inGroup, own: true, run: (*Bot).denyCommand},
		{name: "broadcast", menu: "menu_broadcast", help: "help_broadcast",
			access: operators, where: inPrivate | inGroup, own: true, run: (*Bot).broadcastCommand},
		{name: "stats", menu: "menu_stats", help: "help_stats",
			access: operators, where: inPrivate | inGroup, own: true, run: (*Bot).statsCommand},
		{name: "sources", menu: "menu_sources", help: "help_sources",
			access: operators, where: inPrivate | inGroup, own: true, run: (*Bot).sourcesCommand},
	}
}

// startTopicPayload opens a deep link's payload that follows a catalog topic
// (t.me/<bot>?start=topic-drones).
const startTopicPayload = "topic-"

// commandSet is the command table with its index by name and alias.
type commandSet struct {
	list  []commandSpec
	index map[string]*commandSpec
	// startTopic is /start with a "topic-<key>" payload: it follows that catalog topic, so it
	// changes the chat. It is not in menus or /help.
	startTopic commandSpec
	// sourceRemove is /source remove <name>: an operator's, unlike /source add.
	sourceRemove commandSpec
}

func newCommandSet() *commandSet {
	s := &commandSet{
		list:       commandTable(),
		index:      map[string]*commandSpec{},
		startTopic: commandSpec{name: "start", access: chatAdmins, where: everywhere, own: true, run: (*Bot).startTopicCommand},
		sourceRemove: commandSpec{name: "source", access: operators, where: inPrivate | inGroup, own: true,
			run: (*Bot).sourceRemoveCommand},
	}
	for i := range s.list {
		c := &s.list[i]
		for _, n := range append([]string{c.name}, c.aliases...) {
			if s.index[n] != nil {
				panic("bot: command " + n + " twice in the table")
			}
			s.index[n] = c
		}
	}
	return s
}

// lookup returns the table entry of a parsed command, nil for an unknown one.
func (s *commandSet) lookup(cmd command) *commandSpec {
	if cmd.name == "start" && strings.HasPrefix(cmd.args, startTopicPayload) {
		return &s.startTopic
	}
	if cmd.name == "source" && isSourceRemove(cmd.args) {
		return &s.sourceRemove
	}
	return s.index[cmd.name]
}
