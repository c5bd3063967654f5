package bot

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
	"livealert/bot/render"
	"livealert/sources"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// gateScene is one fresh chat for one case of TestGateEveryCommandAndButton: who acts where,
// and on which chat's state.
type gateScene struct {
	send   fakebotapi.Chat // where the actor types and presses
	thread int
	actor  fakebotapi.User
	admin  fakebotapi.User // who brings up keyboards before the actor acts
	state  int64           // the chat whose settings and subscriptions are compared
	alerts fakebotapi.Chat // where the state chat's alerts arrive
	query  string          // the scene's own followed query, matched by nothing else
	demote func()          // takes the actor's rights away after the keyboards are up
}

// gateRole is one kind of person the gate meets.
type gateRole struct {
	name string
	// allowed: the role may change the chat.
	allowed bool
	// private: the actor types in a private chat (its own, or one managing a channel).
	private bool
	scene   func(h *harness, n int64) gateScene
}

// gateCommandArgs are the arguments each command of the table is tried with: for a command
// that changes the chat, ones that do change it. QUERY is the scene's followed query.
var gateCommandArgs = map[string]string{
	"start": "", "topics": "", "follow": "storm", "unfollow": "QUERY", "list": "", "latest": "",
	"search": "ferry", "channel": "", "digest": "07:00", "timezone": "Tokyo", "language": "uk", "mode": "digest",
	"quiet": "23:00-07:00", "mute": "2h", "help": "", "stop": "", "stats": "", "sources": "", "allow": "4242", "deny": "4242", "broadcast": "hello",
	"source": "add FEED",
	"export": "", "import": "",
}

// gateCommandFiles are the files sent with a command, as a document with the command as its
// caption. An /import's preview, waiting for its Confirm button, counts as a change.
var gateCommandFiles = map[string]string{
	"import": `{"kind": "livealert.subscriptions", "version": 1, "settings": {"time_zone": "Asia/Tokyo", "digest_time": "06:00"}, "follows": [{"topic": "Storms", "mode": "digest"}]}`,
}

// gateSay sends text into the scene's chat as from, with the command's file when it has one.
func gateSay(h *harness, sc gateScene, from fakebotapi.User, text string) []fakebotapi.Message {
	h.t.Helper()
	name, _, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	if file, ok := gateCommandFiles[name]; ok {
		return h.sendFile(sc.send, from, name+".json", []byte(file), text)
	}
	return h.say(sc.send, from, sc.thread, text)
}

// gateButtons bring up each kind of button as the scene's admin: a command whose answer
// carries it, or an alert (with a press first for the undo buttons).
var gateButtons = map[string]struct {
	command string // sent by the admin; "" for an alert's buttons
	press   string // the admin presses this first (an alert's undo buttons)
	many    bool   // the alert is for more subscriptions than get a row each (a picker)
	data    string // the button's data, prefix included; QUERY-free
	// operator: the button is under a message to the operator, which command (sent by the
	// scene's admin, or by the operator for an operator's command) brings up.
	operator bool
}{
	sourceApprovePrefix: {operator: true, command: "/source add FEED", data: sourceApprovePrefix},
	sourceRejectPrefix:  {operator: true, command: "/source add FEED", data: sourceRejectPrefix},
	sourceFollowPrefix:  {operator: true, command: "/sources", data: sourceFollowPrefix},
	toggleTopicPrefix:   {command: "/topics", data: toggleTopicPrefix + "storms"},
	topicsPagePrefix:    {command: "/topics", data: topicsPagePrefix + "1"},
	unfollowPrefix:      {command: "/unfollow", data: unfollowPrefix},
	searchPagePrefix:    {command: "/search ferry", data: searchPagePrefix},
	alertMutePrefix:     {data: alertMutePrefix},
	alertDigestPrefix:   {data: alertDigestPrefix},
	alertUnfollowPrefix: {data: alertUnfollowPrefix},
	alertUnmutePrefix:   {press: alertMutePrefix, data: alertUnmutePrefix},
	alertBothPrefix:     {press: alertDigestPrefix, data: alertBothPrefix},
	alertPickPrefix:     {many: true, data: alertPickPrefix},
	languagePrefix:      {command: "/language", data: languagePrefix + "uk"},
	"imp:":              {command: "/import", data: importConfirmPrefix},
}

var gateRoles = []gateRole{
	{name: "private chat", allowed: true, private: true, scene: func(h *harness, n int64) gateScene {
		u := fakebotapi.User{ID: 50_000 + n, FirstName: "Priya"}
		c := fakebotapi.PrivateChat(u)
		return gateScene{send: c, actor: u, admin: u, state: c.ID, alerts: c}
	}},
	{name: "group administrator", allowed: true, scene: func(h *harness, n int64) gateScene {
		g := fakebotapi.Chat{ID: -1002000000000 - n, Type: "supergroup", Title: "Group " + itoa(n)}
		h.api.SetMemberStatus(g.ID, alice.ID, models.ChatMemberTypeAdministrator)
		return gateScene{send: g, actor: alice, admin: alice, state: g.ID, alerts: g}
	}},
	{name: "group member", scene: func(h *harness, n int64) gateScene {
		g := fakebotapi.Chat{ID: -1003000000000 - n, Type: "supergroup", Title: "Group " + itoa(n)}
		h.api.SetMemberStatus(g.ID, alice.ID, models.ChatMemberTypeAdministrator)
		return gateScene{send: g, actor: bob, admin: alice, state: g.ID, alerts: g}
	}},
	{name: "forum topic member", scene: func(h *harness, n int64) gateScene {
		f := fakebotapi.Chat{ID: -1004000000000 - n, Type: "supergroup", Title: "Forum " + itoa(n), IsForum: true}
		h.api.SetMemberStatus(f.ID, alice.ID, models.ChatMemberTypeOwner)
		return gateScene{send: f, thread: 5, actor: bob, admin: alice, state: f.ID, alerts: f}
	}},
	{name: "linked channel administrator", allowed: true, private: true, scene: func(h *harness, n int64) gateScene {
		return linkedChannelScene(h, n, false)
	}},
	{name: "non-administrator of the channel", private: true, scene: func(h *harness, n int64) gateScene {
		return linkedChannelScene(h, n, true)
	}},
}

// linkedChannelScene links a fresh channel to a fresh user's private chat; demoted: the user
// stops being the channel's administrator once the keyboards are up.
func linkedChannelScene(h *harness, n int64, demoted bool) gateScene {
	u := fakebotapi.User{ID: 60_000 + n, FirstName: "Chan"}
	c := fakebotapi.Chat{ID: -1005000000000 - n, Type: "channel", Title: "Channel " + itoa(n), Username: "chan_" + itoa(n)}
	h.waitHandled(h.api.ChannelPost(c, "hello"))
	h.api.SetMemberStatus(c.ID, h.api.Bot().ID, models.ChatMemberTypeAdministrator)
	h.api.SetMemberStatus(c.ID, u.ID, models.ChatMemberTypeAdministrator)
	if got := h.reply(fakebotapi.PrivateChat(u), u, "/channel @"+c.Username).Text; !strings.HasPrefix(got, "📣 Managing") {
		h.t.Fatalf("link channel: %s", got)
	}
	sc := gateScene{send: fakebotapi.PrivateChat(u), actor: u, admin: u, state: c.ID, alerts: c}
	if demoted {
		sc.demote = func() {
			h.api.SetMemberStatus(c.ID, u.ID, models.ChatMemberTypeMember)
			h.clock.Advance(adminCacheTTL + time.Second)
		}
	}
	return sc
}

// gateState is what a chat follows and how, and the sources it suggested, as text to compare.
func gateState(h *harness, chatID int64) string {
	h.t.Helper()
	chat, err := h.store.Chat(h.ctx, chatID)
	subs, serr := h.store.Subscriptions(h.ctx, chatID)
	suggested, uerr := h.store.UserSources(h.ctx)
	suggested = slices.DeleteFunc(suggested, func(u subscriptions.UserSource) bool { return u.RequestedBy != chatID })
	return fmt.Sprintf("%+v %v\n%+v %v\n%+v %v", chat, err, subs, serr, suggested, uerr)
}

// gateOperator is the operator of TestGateEveryCommandAndButton's bot: none of its roles.
var gateOperator = fakebotapi.User{ID: 7007, FirstName: "Oskar"}

// TestGateEveryCommandAndButton tries every command of the table and every button of the
// button table as each kind of person: those who may not change a chat change nothing and are
// told why, those who may change it, and reading works for everyone.
func TestGateEveryCommandAndButton(t *testing.T) {
	t.Parallel()
	manyTopics := append([]match.Topic{}, testTopics...)
	for i := range topicsPerPage {
		manyTopics = append(manyTopics, match.Topic{Name: "Extra " + strconv.Itoa(i), Keywords: []string{"extra" + strconv.Itoa(i)}})
	}
	table := newCommandSet()
	for _, c := range table.list {
		if _, ok := gateCommandArgs[c.name]; !ok {
			t.Fatalf("command /%s has no case here: add one", c.name)
		}
	}
	for _, btn := range buttonTable() {
		if _, ok := gateButtons[btn.prefix]; !ok {
			t.Fatalf("button %q has no case here: add one", btn.prefix)
		}
	}
	for _, role := range gateRoles {
		t.Run(role.name, func(t *testing.T) {
			t.Parallel()
			feed := gateFeed(t)
			h := newHarness(t, harnessOptions{Topics: manyTopics, Admins: []int64{gateOperator.ID}, Bot: func(o *Options) {
				o.PrivateInterval, o.GroupInterval = -1, -1
				o.UserSources = UserSourceOptions{Mode: UserSourcesApproval, Fetcher: sources.NewFetcher(sources.FetcherOptions{})}
				o.Sources = []sources.Source{{Name: "Gate feed", URL: feed + "/configured", PollInterval: time.Hour}}
			}})
			h.start()
			h.ingest(newEntry("prime", "Before anyone followed anything"))
			for i := range searchPageSize + 2 {
				h.ingest(newEntry("ferry-"+itoa(int64(i)), "Ferry timetable "+itoa(int64(i))))
			}
			var n atomic.Int64
			scene := func() gateScene {
				i := n.Add(1)
				sc := role.scene(h, i)
				sc.query = "council" + itoa(i)
				title := sc.alerts.Title
				if sc.alerts.Type == "private" {
					title = sc.actor.FirstName // as Telegram's chat shows it
				}
				if _, _, err := h.store.StartChat(h.ctx, subscriptions.ChatInfo{ID: sc.state, Type: sc.alerts.Type, Title: title}); err != nil {
					t.Fatal(err)
				}
				if _, err := h.store.FollowTopic(h.ctx, sc.state, sc.thread, "Ferries"); err != nil {
					t.Fatal(err)
				}
				if _, err := h.store.Follow(h.ctx, sc.state, sc.thread, sc.query); err != nil {
					t.Fatal(err)
				}
				return sc
			}
			type commandCase struct {
				c    commandSpec
				text string
			}
			var cases []commandCase
			for _, c := range table.list {
				cases = append(cases, commandCase{c, strings.TrimSpace("/" + c.name + " " + gateCommandArgs[c.name])})
			}
			cases = append(cases, commandCase{table.startTopic, "/start " + startTopicPayload + "storms"})
			for _, cc := range cases {
				c, text := cc.c, cc.text
				t.Run(text, func(t *testing.T) {
					sc := scene()
					text := strings.ReplaceAll(strings.ReplaceAll(text, "QUERY", sc.query), "FEED", feed+"/"+sc.query)
					if sc.demote != nil {
						sc.demote()
					}
					// A private chat's own commands act on it even while it manages a channel.
					state, allowed := sc.state, role.allowed
					if c.own && role.private {
						state, allowed = sc.send.ID, true
					}
					before := gateState(h, state)
					answers := gateSay(h, sc, sc.actor, text)
					after := gateState(h, state)
					_, file := gateCommandFiles[c.name]
					changed := before != after || file && len(answers) == 1 && answers[0].ReplyMarkup != nil
					got := ""
					if len(answers) > 0 {
						got = answers[len(answers)-1].Text
					}
					refused := strings.Contains(got, "🔒")
					switch {
					case c.access == operators:
						if changed {
							t.Errorf("an operator's command changed the chat")
						}
						if want := role.private; (len(answers) == 1 && got == operatorsOnlyText(en, c.name)) != want || (!want && len(answers) != 0) {
							t.Errorf("not an operator: answers %+v", answers)
						}
					case c.where&inGroup == 0 && !role.private:
						if changed || len(answers) != 1 || got != c.elsewhere(en) {
							t.Errorf("a private chat's command in a group: changed %v, answers %+v", changed, answers)
						}
					case c.access == anyone:
						if changed || refused || len(answers) != 1 {
							t.Errorf("reading: changed %v, answers %+v", changed, answers)
						}
					case allowed:
						if !changed || refused || len(answers) != 1 {
							t.Errorf("allowed to change: changed %v, answers %+v", changed, answers)
						}
					default:
						if changed || !refused || len(answers) != 1 {
							t.Errorf("not allowed to change: changed %v (%s → %s), answers %+v", changed, before, after, answers)
						}
					}
				})
			}
			for _, btn := range buttonTable() {
				t.Run("press "+btn.prefix, func(t *testing.T) {
					sc := scene()
					how := gateButtons[btn.prefix]
					if how.many {
						// The alert's entry matches these too: with the query, more than
						// maxAlertRows subscriptions.
						for _, q := range []string{" meets", " friday", " meets friday"} {
							if _, err := h.store.Follow(h.ctx, sc.state, sc.thread, sc.query+q); err != nil {
								t.Fatal(err)
							}
						}
					}
					var chat fakebotapi.Chat
					var msg fakebotapi.Message
					if how.operator {
						chat, msg = gateOperatorKeyboard(h, sc, strings.ReplaceAll(how.command, "FEED", feed+"/"+sc.query), how.data)
					} else {
						chat, msg = gateKeyboard(h, sc, how.command, how.press)
					}
					data := ""
					for _, row := range msg.ReplyMarkup.InlineKeyboard {
						for _, b := range row {
							if strings.HasPrefix(b.CallbackData, how.data) && data == "" {
								data = b.CallbackData
							}
						}
					}
					if data == "" {
						t.Fatalf("no button %q under %q", how.data, msg.Text)
					}
					if sc.demote != nil {
						sc.demote()
					}
					before := gateState(h, sc.state)
					answer := h.press(chat, sc.actor, msg.ID, data)
					after := gateState(h, sc.state)
					changed := before != after
					refused := strings.HasPrefix(answer, "Only")
					switch {
					case btn.access == operators: // the scenes' people are not operators
						if changed || !refused {
							t.Errorf("an operator's button: changed %v, answer %q", changed, answer)
						}
					case btn.access == anyone:
						if changed || refused {
							t.Errorf("reading: changed %v, answer %q", changed, answer)
						}
					case role.allowed:
						if !changed || refused {
							t.Errorf("allowed to change: changed %v, answer %q", changed, answer)
						}
					default:
						if changed || !refused {
							t.Errorf("not allowed to change: changed %v, answer %q", changed, answer)
						}
					}
				})
			}
		})
	}
}

// gateFeed serves a small RSS feed at every path, for suggestions: its entries match none of
// the scenes' queries or topics.
func gateFeed(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Gate feed</title>`+
			`<item><title>Lighthouse repainted</title><guid>g1</guid><pubDate>Tue, 14 May 2024 09:00:00 GMT</pubDate></item>`+
			`</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// gateOperatorKeyboard brings up a message to the operator with a button whose data starts
// with data: command sent by the scene's admin (a suggestion, whose request the operator gets)
// or, for an operator's command, by the operator. It returns the operator's chat and the
// message.
func gateOperatorKeyboard(h *harness, sc gateScene, command, data string) (fakebotapi.Chat, fakebotapi.Message) {
	h.t.Helper()
	opChat := fakebotapi.PrivateChat(gateOperator)
	if strings.HasPrefix(command, "/sources") {
		msgs := h.say(opChat, gateOperator, 0, command)
		if len(msgs) != 1 || msgs[0].ReplyMarkup == nil {
			h.t.Fatalf("%s: %+v", command, msgs)
		}
		return opChat, msgs[0]
	}
	h.say(sc.send, sc.admin, sc.thread, command)
	url := strings.TrimPrefix(command, "/source add ")
	for _, m := range h.waitTexts(gateOperator.ID, render.Esc(url)) {
		if m.ReplyMarkup == nil || !strings.Contains(m.Text, render.Esc(url)+"\n") {
			continue
		}
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				if strings.HasPrefix(b.CallbackData, data) {
					return opChat, m
				}
			}
		}
	}
	h.t.Fatalf("no request for %s with a %q button", url, data)
	return opChat, fakebotapi.Message{}
}

// gateKeyboard brings up the message whose buttons a case presses: the answer to command
// sent by the scene's admin, or an alert for the scene's query (pressing press under it
// first). It returns the chat the message is in and the message as it is now.
func gateKeyboard(h *harness, sc gateScene, command, press string) (fakebotapi.Chat, fakebotapi.Message) {
	h.t.Helper()
	if command != "" {
		msgs := gateSay(h, sc, sc.admin, command)
		if len(msgs) != 1 || msgs[0].ReplyMarkup == nil {
			h.t.Fatalf("%s: %+v", command, msgs)
		}
		return sc.send, msgs[0]
	}
	title := "The " + sc.query + " meets on Friday"
	h.ingest(newEntry(sc.query, title))
	alert := h.waitTexts(sc.alerts.ID, title)[0]
	if press != "" {
		data := press + itoa(h.subscriptionFor(sc.state, sc.query).ID)
		h.press(sc.alerts, sc.admin, alert.ID, data)
		alert = messageByID(h.t, h, sc.alerts.ID, alert.ID)
	}
	return sc.alerts, alert
}

// subscriptionFor returns the chat's subscription to query.
func (h *harness) subscriptionFor(chatID int64, query string) subscriptions.Subscription {
	h.t.Helper()
	subs, err := h.store.Subscriptions(h.ctx, chatID)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, s := range subs {
		if s.Query == query {
			return s
		}
	}
	h.t.Fatalf("chat %d does not follow %q: %+v", chatID, query, subs)
	return subscriptions.Subscription{}
}
