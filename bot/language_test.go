package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions/match"
)

// languageTopics is testTopics with names in Ukrainian and Russian.
var languageTopics = []match.Topic{
	{Name: "Storms", Description: "Storms, floods and sea walls.", Keywords: []string{"storm", "flood", `"sea wall"`},
		Names: map[string]string{"uk": "Шторми", "ru": "Штормы"}},
	{Name: "Ferries", Description: "Ferry routes and crossings.", Keywords: []string{"ferry", "ferries"},
		Names: map[string]string{"uk": "Пороми", "ru": "Паромы"}},
	{Name: "Council", Description: "The town council.", Keywords: []string{"council", "mayor"},
		Names: map[string]string{"uk": "Міськрада", "ru": "Горсовет"}},
}

// TestPrivateConversationPerLanguage records, per language, the private conversation of a
// user whose Telegram is set to it: start, topics, follow, list, settings, an alert and a
// digest. The transcripts are golden files to be read by a speaker.
func TestPrivateConversationPerLanguage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang, ferries, storms string
	}{
		{"uk", "Пороми", "Шторми"},
		{"ru", "Паромы", "Штормы"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			t.Parallel()
			user := fakebotapi.User{ID: 3001, FirstName: "Olena", LanguageCode: tc.lang}
			chat := fakebotapi.PrivateChat(user)
			h := newHarness(t, harnessOptions{Topics: languageTopics})
			h.start()
			tr := &transcript{t: t}
			say := func(text string) []fakebotapi.Message {
				msgs := h.say(chat, user, 0, text)
				tr.said("olena", text, msgs)
				return msgs
			}
			start := say("/start")
			if len(start) != 1 || start[0].ReplyMarkup == nil {
				t.Fatalf("/start: %+v", start)
			}
			answer := h.press(chat, user, start[0].ID, toggleTopicPrefix+"storms")
			tr.pressed("olena", toggleTopicPrefix+"storms", answer, messageByID(t, h, user.ID, start[0].ID))
			say("/follow " + tc.ferries)
			if tc.lang == "uk" {
				say("/follow мер АБО council")
			} else {
				say("/follow мэр ИЛИ council")
			}
			say("/follow (unbalanced")
			say("/list")
			say("/timezone Europe/Kyiv")
			say("/digest 16:00")
			say("/quiet 23:00-07:00")
			say("/quiet off")
			say("/mute 2h")
			say("/mute off")
			say("/mode " + tc.storms + " digest")
			say("/mode")
			say("/help")
			say("/language")

			h.ingest() // the first poll records what is there, alerting nobody
			h.ingest(newEntry("1", "Ferry crossings suspended as storm nears", "The harbour master closed the route."))
			alerts := h.waitTexts(user.ID, "Ferry crossings suspended")
			tr.message(alerts[len(alerts)-1])

			h.clock.Set(time.Date(2024, 5, 14, 13, 0, 30, 0, time.UTC)) // 16:00 in Kyiv
			h.digestTick()
			msgs := h.waitMessages(user.ID, len(alerts)+1)
			tr.message(msgs[len(msgs)-1])
			golden(t, "conversation_private_"+tc.lang+".txt", tr.b.String())
		})
	}
}

// TestLanguageEndToEnd: users whose Telegram is in Ukrainian, Russian and German get
// Ukrainian, Russian and English; /language and its buttons switch a chat; groups take the
// language of the administrator who added the bot; the menus are registered for uk and ru.
func TestLanguageEndToEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{Topics: languageTopics})
	h.start()
	users := []struct {
		user fakebotapi.User
		want string // in the answer to /start
	}{
		{fakebotapi.User{ID: 4001, FirstName: "Oksana", LanguageCode: "uk"}, "Торкніться теми нижче"},
		{fakebotapi.User{ID: 4002, FirstName: "Ivan", LanguageCode: "ru-RU"}, "Нажмите на тему ниже"},
		{fakebotapi.User{ID: 4003, FirstName: "Jonas", LanguageCode: "de"}, "Tap a topic below"},
	}
	for _, u := range users {
		m := h.reply(fakebotapi.PrivateChat(u.user), u.user, "/start")
		if !strings.Contains(m.Text, u.want) {
			t.Errorf("%s: /start answered\n%s\nwant it to contain %q", u.user.LanguageCode, m.Text, u.want)
		}
	}
	uk := users[0].user
	ukChat := fakebotapi.PrivateChat(uk)
	if m := h.reply(ukChat, uk, "/follow Пороми"); !strings.Contains(m.Text, "Стежу за <b>Пороми</b>") {
		t.Errorf("/follow Пороми answered %s", m.Text)
	}
	// /language ru switches the chat; its answers are Russian from then on.
	if m := h.reply(ukChat, uk, "/language ru"); m.Text != "🌐 Теперь я пишу в этом чате по-русски." {
		t.Errorf("/language ru answered %q", m.Text)
	}
	if m := h.reply(ukChat, uk, "/list"); !strings.Contains(m.Text, "<b>Паромы</b> (тема)") {
		t.Errorf("/list after /language ru:\n%s", m.Text)
	}
	// /language with nothing offers buttons; a press switches back.
	m := h.reply(ukChat, uk, "/language")
	if m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard[0]) != 3 {
		t.Fatalf("/language: no buttons of the three languages: %+v", m)
	}
	if answer := h.press(ukChat, uk, m.ID, languagePrefix+"uk"); answer != "Українська" {
		t.Errorf("language button answered %q", answer)
	}
	if m := h.reply(ukChat, uk, "/list"); !strings.Contains(m.Text, "<b>Пороми</b> (тема)") {
		t.Errorf("/list after the uk button:\n%s", m.Text)
	}
	if m := h.reply(ukChat, uk, "/language de"); !strings.Contains(m.Text, "Мови <b>de</b> я не знаю") {
		t.Errorf("/language de answered %q", m.Text)
	}
	chat, err := h.store.Chat(h.ctx, uk.ID)
	if err != nil || chat.Language != "uk" {
		t.Errorf("stored language %q (%v), want uk", chat.Language, err)
	}

	// A group takes the language of the administrator who added the bot.
	ru := users[1].user
	group := fakebotapi.Chat{ID: -1001000000077, Type: "supergroup", Title: "Редакция"}
	h.api.SetMemberStatus(group.ID, ru.ID, models.ChatMemberTypeAdministrator)
	h.waitHandled(h.api.MyChatMember(group, ru, models.ChatMemberTypeMember))
	if msgs := h.waitMessages(group.ID, 1); !strings.Contains(msgs[0].Text, "Здравствуйте, <b>Редакция</b>") {
		t.Errorf("group welcome: %s", msgs[0].Text)
	}
	if m := h.reply(group, users[2].user, "/list"); !strings.Contains(m.Text, "Этот чат пока ни за чем не следит") {
		t.Errorf("/list by a German member of a Russian group: %s", m.Text)
	}

	// Menus: the default one in English, and one per language_code for uk and ru.
	for code, want := range map[string]string{"": "Follow or unfollow topics", "uk": "Підписатися на теми або відписатися", "ru": "Подписаться на темы или отписаться"} {
		cmds := h.api.CommandsFor(&models.BotCommandScopeAllPrivateChats{}, code)
		if len(cmds) == 0 || cmds[0].Description != want {
			t.Errorf("private menu for %q: %+v, want first %q", code, cmds, want)
		}
		if cmds := h.api.CommandsFor(&models.BotCommandScopeAllChatAdministrators{}, code); len(cmds) == 0 {
			t.Errorf("no administrators' menu for %q", code)
		}
	}
}
