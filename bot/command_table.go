package bot

import (
	"context"
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
	// menu is the line in Telegram's command menu; "" keeps the command out of menus.
	menu string
	// help is the command's line in /help (HTML), "" for none.
	help   string
	access access
	where  place
	// own commands act on the private chat they are sent in even while it manages a channel;
	// the others act on the channel then.
	own bool
	// stateless commands neither need nor start the chat's record.
	stateless bool
	// elsewhere answers the command sent where it does not run; nil ignores it.
	elsewhere func() string
	run       commandFunc
}

// commandTable returns the command table, in the order of the menus and /help. It is a
// function, not a variable, because handlers such as /help read the table themselves.
func commandTable() []commandSpec {
	return []commandSpec{
		{name: "start", access: anyone, where: everywhere, own: true, run: (*Bot).startCommand},
		{name: "topics", menu: "Follow or unfollow topics", help: "/topics — follow or unfollow catalog topics",
			access: anyone, where: everywhere, run: (*Bot).topicsCommand},
		{name: "follow", menu: "Follow your own keywords",
			help:   "/follow <i>words</i> — follow your own keywords: <code>/follow drones</code>, <code>/follow \"peace talks\" OR ceasefire</code>, <code>/follow Belgorod -weather</code>",
			access: chatAdmins, where: everywhere, run: (*Bot).follow},
		{name: "unfollow", menu: "Stop following something", help: "/unfollow <i>words or topic</i> — stop following (no words: pick from a list)",
			access: chatAdmins, where: everywhere, run: (*Bot).unfollow},
		{name: "list", menu: "What this chat follows", help: "/list — what this chat follows",
			access: anyone, where: everywhere, run: (*Bot).listCommand},
		{name: "latest", menu: "The newest entries that match", help: "/latest [<i>topic or words</i>] — the last 5 entries that match (no words: what this chat follows)",
			access: anyone, where: everywhere, run: (*Bot).latest},
		{name: "search", menu: "Search what was published", help: "/search <i>words</i> — search everything I have stored, newest first",
			access: anyone, where: everywhere, run: (*Bot).search},
		{name: "channel", menu: "Manage a channel's alerts", help: "/channel <i>@name</i> — manage a channel's alerts from this private chat",
			access: anyone, where: inPrivate, own: true, elsewhere: channelOnlyPrivateText, run: (*Bot).channel},
		{name: "digest", menu: "Daily digest time, or off", help: "/digest <i>HH:MM</i> or <code>/digest off</code> — when the daily digest comes",
			access: chatAdmins, where: everywhere, run: (*Bot).digestCommand},
		{name: "timezone", aliases: []string{"tz"}, menu: "This chat's time zone", help: "/timezone <i>zone or city</i> — this chat's time zone",
			access: chatAdmins, where: everywhere, run: (*Bot).timezoneCommand},
		{name: "mode", menu: "Alerts, digest or both", help: "/mode <i>instant|digest|both</i> — alerts, the digest, or both",
			access: chatAdmins, where: everywhere, run: (*Bot).modeCommand},
		{name: "quiet", menu: "Quiet hours", help: "/quiet <i>23:00-07:00</i> or <code>/quiet off</code> — hold alerts at night",
			access: chatAdmins, where: everywhere, run: (*Bot).quietCommand},
		{name: "mute", menu: "Mute alerts for a while", help: "/mute <i>2h|1d|off</i> — pause alerts for a while",
			access: chatAdmins, where: everywhere, run: (*Bot).muteCommand},
		{name: "help", menu: "How livealert works", access: anyone, where: everywhere, own: true, stateless: true, run: (*Bot).helpCommand},
		{name: "stop", menu: "Forget this chat", help: "/stop — forget this chat and everything it follows",
			access: chatAdmins, where: everywhere, own: true, stateless: true, run: (*Bot).stopCommand},
		{name: "allow", menu: "Let a user or chat use the bot", help: "/allow <i>id</i> — let a user or chat use this private bot",
			access: operators, where: inPrivate | inGroup, own: true, run: (*Bot).allowCommand},
		{name: "deny", menu: "Shut a user or chat out", help: "/deny <i>id</i> — shut a user or chat out of this bot, and stop its alerts",
			access: operators, where: inPrivate | inGroup, own: true, run: (*Bot).denyCommand},
		{name: "stats", menu: "Delivery state", help: "/stats — the state of delivery: queue, dead letters, inactive chats",
			access: operators, where: inPrivate | inGroup, own: true, run: (*Bot).statsCommand},
		{name: "sources", menu: "Health of every source", help: "/sources — the health of every watched source",
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
}

func newCommandSet() *commandSet {
	s := &commandSet{
		list:       commandTable(),
		index:      map[string]*commandSpec{},
		startTopic: commandSpec{name: "start", access: chatAdmins, where: everywhere, own: true, run: (*Bot).startTopicCommand},
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
	return s.index[cmd.name]
}
