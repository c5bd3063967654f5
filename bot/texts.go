package bot

import (
	"fmt"
	"strings"

	"github.com/go-telegram/bot/models"

	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// Every reply the bot writes is built here, from escaped dynamic strings.

// commandMenu is the menu Telegram shows next to the message box.
func commandMenu() []models.BotCommand {
	return []models.BotCommand{
		{Command: "topics", Description: "Follow or unfollow topics"},
		{Command: "follow", Description: "Follow your own keywords"},
		{Command: "unfollow", Description: "Stop following something"},
		{Command: "list", Description: "What this chat follows"},
		{Command: "latest", Description: "The newest entries that match"},
		{Command: "search", Description: "Search what was published"},
		{Command: "digest", Description: "Daily digest time, or off"},
		{Command: "timezone", Description: "This chat's time zone"},
		{Command: "mode", Description: "Alerts, digest or both"},
		{Command: "quiet", Description: "Quiet hours"},
		{Command: "mute", Description: "Mute alerts for a while"},
		{Command: "help", Description: "How livealert works"},
		{Command: "stop", Description: "Forget this chat"},
	}
}

func welcomeText(c subscriptions.Chat) string {
	return "👋 <b>livealert</b> watches live blogs and news feeds and tells you the moment " +
		"something you follow is published.\n\n" +
		"• Tap a topic below to follow it, or send <code>/follow</code> with your own words, " +
		"e.g. <code>/follow drones</code> or <code>/follow \"peace talks\"</code>.\n" +
		"• " + digestSentence(c) + "\n\n" +
		"/help lists everything I understand."
}

func topicsText() string {
	return "<b>Topics</b> — tap to follow or unfollow (✅ = following):"
}

func helpText() string {
	return "<b>livealert</b> sends an alert for every new entry of a live blog or feed that " +
		"matches what this chat follows, and a daily digest of them.\n\n" +
		"/topics — follow or unfollow catalog topics\n" +
		"/follow <i>words</i> — follow your own keywords: <code>/follow drones</code>, " +
		"<code>/follow \"peace talks\" OR ceasefire</code>, <code>/follow Belgorod -weather</code>\n" +
		"/unfollow <i>words or topic</i> — stop following (no words: pick from a list)\n" +
		"/list — what this chat follows\n" +
		"/latest [<i>topic or words</i>] — the last 5 entries that match (no words: what this chat follows)\n" +
		"/search <i>words</i> — search everything I have stored, newest first\n" +
		"/channel <i>@name</i> — manage a channel's alerts from this private chat\n" +
		"/digest <i>HH:MM</i> or <code>/digest off</code> — when the daily digest comes\n" +
		"/timezone <i>zone or city</i> — this chat's time zone\n" +
		"/mode <i>instant|digest|both</i> — alerts, the digest, or both\n" +
		"/quiet <i>23:00-07:00</i> or <code>/quiet off</code> — hold alerts at night\n" +
		"/mute <i>2h|1d|off</i> — pause alerts for a while\n" +
		"/stop — forget this chat and everything it follows\n\n" +
		"Matching ignores case and accents and knows plurals: <i>drone</i> also finds " +
		"<i>drones</i>, <i>Turkiye</i> finds <i>Türkiye</i>."
}

func followUsageText() string {
	return "Tell me what to follow, e.g. <code>/follow drones</code>, " +
		"<code>/follow \"peace talks\" OR ceasefire</code> or <code>/follow Belgorod -weather</code>.\n" +
		"Catalog topics: /topics"
}

func followedText(query, understood string, created bool) string {
	if !created {
		return fmt.Sprintf("You already follow <b>%s</b>.", esc(query))
	}
	return fmt.Sprintf("✅ Following <b>%s</b>\nI read it as: <code>%s</code>\n"+
		"Every new entry that matches gets an alert here, and goes into the daily digest.",
		esc(query), esc(understood))
}

func queryErrorText(err error) string {
	var b strings.Builder
	b.WriteString("⚠️ I couldn't read that: " + esc(err.Error()))
	if qe, ok := err.(*match.QueryError); ok && qe.Example != "" {
		b.WriteString("\nTry: <code>/follow " + esc(qe.Example) + "</code>")
	}
	return b.String()
}

func tooManyText() string {
	return fmt.Sprintf("⚠️ This chat already follows %d things, the most it can. /unfollow something first, "+
		"or join queries into one with OR, e.g. <code>/follow drones OR missiles</code>.", subscriptions.MaxSubscriptions)
}

func unfollowedText(label string, removed bool) string {
	if !removed {
		return fmt.Sprintf("This chat doesn't follow <b>%s</b>. /list shows what it follows.", esc(label))
	}
	return fmt.Sprintf("Stopped following <b>%s</b>.", esc(label))
}

func unfollowPickText(n int) string {
	if n == 0 {
		return "This chat follows nothing yet. /topics or /follow to start."
	}
	return "Tap what to stop following:"
}

func listText(c subscriptions.Chat, subs []subscriptions.Subscription, catalog *match.Catalog) string {
	var b strings.Builder
	if len(subs) == 0 {
		b.WriteString("This chat follows nothing yet. /topics or /follow to start.")
	} else {
		b.WriteString("<b>This chat follows</b>")
		for _, s := range subs {
			b.WriteString("\n• ")
			if s.Topic != "" {
				b.WriteString("<b>" + esc(s.Label(catalog)) + "</b> (topic)")
			} else {
				b.WriteString("<code>" + esc(s.Query) + "</code>")
			}
			if s.ThreadID != 0 {
				fmt.Fprintf(&b, " — in forum topic %d", s.ThreadID)
			}
			if name, ok := modeNames[s.Mode]; ok {
				b.WriteString(" · " + name)
			}
			if !s.MutedUntil.IsZero() {
				b.WriteString(" · 🔕 until " + esc(until(s.MutedUntil, c.TimeZone)))
			}
		}
	}
	b.WriteString("\n\n" + digestSentence(c))
	return b.String()
}

// digestSentence says when the chat's digest comes.
func digestSentence(c subscriptions.Chat) string {
	if c.DigestTime == "" {
		return "Daily digest: off (<code>/digest 08:00</code> turns it on)."
	}
	return fmt.Sprintf("Daily digest at <b>%s</b> (%s).", esc(c.DigestTime), esc(c.TimeZone.String()))
}

func digestSetText(c subscriptions.Chat) string {
	if c.DigestTime == "" {
		return "Daily digest is off. Alerts still arrive as they happen."
	}
	return fmt.Sprintf("🗓 Daily digest at <b>%s</b> (%s). Next one: %s.",
		esc(c.DigestTime), esc(c.TimeZone.String()), esc(c.NextDigest.In(c.TimeZone).Format("Mon 2 Jan 15:04")))
}

func digestUsageText(c subscriptions.Chat) string {
	return digestSentence(c) + "\nChange it with <code>/digest 07:30</code>, or <code>/digest off</code>."
}

func stoppedText() string {
	return "Done: I forgot this chat, what it followed and its settings. /start brings me back."
}

func unknownCommandText(name string) string {
	return fmt.Sprintf("I don't know /%s. /help lists what I understand.", esc(name))
}

func notCommandText() string {
	return "Send <code>/follow</code> with words to follow, or /topics to pick topics. /help explains more."
}
