package bot

import (
	"fmt"
	"strings"

	"livealert/bot/render"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// Every reply the bot writes is built here, from escaped dynamic strings.

// maxQuoteRunes bounds what a reply quotes of a user's input: a quote never makes a reply
// longer than Telegram takes.
const maxQuoteRunes = 200

// quote escapes a user's input for a reply, cut to maxQuoteRunes with an ellipsis.
func quote(s string) string { return render.Esc(render.Truncate(s, maxQuoteRunes)) }

func welcomeText(c subscriptions.Chat) string {
	return "👋 <b>livealert</b> watches live blogs and news feeds and tells you the moment " +
		"something you follow is published.\n\n" +
		"• Tap a topic below to follow it, or send <code>/follow</code> with your own words, " +
		"e.g. <code>/follow drones</code> or <code>/follow \"peace talks\"</code>.\n" +
		"• " + digestSentence(c) + "\n\n" +
		"/help lists everything I understand."
}

// groupWelcomeText greets a group the bot was just added to.
func groupWelcomeText(title string) string {
	return "👋 Hello, <b>" + quote(title) + "</b>! I am <b>livealert</b>: I post an alert here for " +
		"every new entry of the live blogs and feeds I watch that matches what this group follows, " +
		"and a daily digest.\n\n" +
		"An administrator sets me up: /topics to pick topics, <code>/follow drones</code> for your " +
		"own words, <code>/digest 08:00</code> for the digest's time. Everyone can use /list, " +
		"/latest and /search."
}

func topicsText() string {
	return "<b>Topics</b> — tap to follow or unfollow (✅ = following):"
}

// helpText lists the commands of the table that run where, with the operators' commands for
// an operator.
func helpText(table []commandSpec, where place, operator bool) string {
	var b strings.Builder
	b.WriteString("<b>livealert</b> sends an alert for every new entry of a live blog or feed that " +
		"matches what this chat follows, and a daily digest of them.\n")
	for _, c := range table {
		if c.help == "" || c.where&where == 0 || c.access == operators && !operator {
			continue
		}
		b.WriteString("\n" + c.help)
	}
	if where == inGroup {
		b.WriteString("\n\nIn a group, only its administrators change what it follows; anyone can " +
			"use /list, /latest and /search.")
	}
	b.WriteString("\n\nMatching ignores case and accents and knows plurals: <i>drone</i> also finds " +
		"<i>drones</i>, <i>Turkiye</i> finds <i>Türkiye</i>.")
	return b.String()
}

func followUsageText() string {
	return "Tell me what to follow, e.g. <code>/follow drones</code>, " +
		"<code>/follow \"peace talks\" OR ceasefire</code> or <code>/follow Belgorod -weather</code>.\n" +
		"Catalog topics: /topics"
}

func followedText(query, understood string, created bool) string {
	if !created {
		return fmt.Sprintf("You already follow <b>%s</b>.", quote(query))
	}
	return fmt.Sprintf("✅ Following <b>%s</b>\nI read it as: <code>%s</code>\n"+
		"Every new entry that matches gets an alert here, and goes into the daily digest.",
		quote(query), quote(understood))
}

func queryErrorText(err error) string {
	var b strings.Builder
	b.WriteString("⚠️ I couldn't read that: " + quote(err.Error()))
	if qe, ok := err.(*match.QueryError); ok && qe.Example != "" {
		b.WriteString("\nTry: <code>/follow " + render.Esc(qe.Example) + "</code>")
	}
	return b.String()
}

func tooManyText() string {
	return fmt.Sprintf("⚠️ This chat already follows %d things, the most it can. /unfollow something first, "+
		"or join queries into one with OR, e.g. <code>/follow drones OR missiles</code>.", subscriptions.MaxSubscriptions)
}

func unfollowedText(label string, removed bool) string {
	if !removed {
		return fmt.Sprintf("This chat doesn't follow <b>%s</b>. /list shows what it follows.", quote(label))
	}
	return fmt.Sprintf("Stopped following <b>%s</b>.", quote(label))
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
				b.WriteString("<b>" + render.Esc(s.Label(catalog)) + "</b> (topic)")
			} else {
				b.WriteString("<code>" + render.Esc(s.Query) + "</code>")
			}
			if s.ThreadID != 0 {
				fmt.Fprintf(&b, " — in forum topic %d", s.ThreadID)
			}
			if name, ok := modeNames[s.Mode]; ok {
				b.WriteString(" · " + name)
			}
			if !s.MutedUntil.IsZero() {
				b.WriteString(" · 🔕 until " + render.Esc(until(s.MutedUntil, c.TimeZone)))
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
	return fmt.Sprintf("Daily digest at <b>%s</b> (%s).", render.Esc(c.DigestTime), render.Esc(c.TimeZone.String()))
}

func digestSetText(c subscriptions.Chat) string {
	if c.DigestTime == "" {
		return "Daily digest is off. Alerts still arrive as they happen."
	}
	return fmt.Sprintf("🗓 Daily digest at <b>%s</b> (%s). Next one: %s.",
		render.Esc(c.DigestTime), render.Esc(c.TimeZone.String()), render.Esc(c.NextDigest.In(c.TimeZone).Format("Mon 2 Jan 15:04")))
}

func digestUsageText(c subscriptions.Chat) string {
	return digestSentence(c) + "\nChange it with <code>/digest 07:30</code>, or <code>/digest off</code>."
}

func stoppedText() string {
	return "Done: I forgot this chat, what it followed and its settings. /start brings me back."
}

func unknownCommandText(name string) string {
	return fmt.Sprintf("I don't know /%s. /help lists what I understand.", quote(name))
}

func operatorsOnlyText(name string) string {
	return fmt.Sprintf("🔒 /%s is for the bot's operators.", render.Esc(name))
}

func notCommandText() string {
	return "Send <code>/follow</code> with words to follow, or /topics to pick topics. /help explains more."
}
