package bot

import (
	"fmt"
	"strings"
	"time"

	"livealert/bot/render"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// The replies of the settings commands: /timezone, /mode, /quiet, /mute, and the alert buttons.

// zoneNow says what the chat's clock shows now: "Europe/Kyiv, where it is 14:05 (Fri 5 Jan)".
func zoneNow(loc *time.Location, now time.Time) string {
	l := now.In(loc)
	return fmt.Sprintf("<b>%s</b>, where it is <b>%s</b> (%s)", render.Esc(loc.String()), l.Format("15:04"), l.Format("Mon 2 Jan"))
}

func timezoneUsageText(c subscriptions.Chat, now time.Time) string {
	return "🕰 This chat's time zone is " + zoneNow(c.TimeZone, now) + ".\n" +
		"Change it with <code>/timezone Europe/Kyiv</code>, <code>/timezone UTC+3</code> or a city: " +
		"<code>/timezone New York</code>."
}

func timezoneUnknownText(arg string) string {
	return "⚠️ I don't know the time zone <b>" + quote(arg) + "</b>. Try an IANA name like " +
		"<code>Europe/Istanbul</code>, an offset like <code>UTC+3</code> or <code>UTC-3:30</code>, " +
		"or a city like <code>London</code>, <code>Berlin</code>, <code>Tokyo</code>."
}

func timezoneSetText(c subscriptions.Chat, now time.Time) string {
	text := "🕰 Time zone set: " + zoneNow(c.TimeZone, now) + "."
	if c.DigestTime != "" {
		text += fmt.Sprintf("\nDaily digest at <b>%s</b> there; next one: %s.", render.Esc(c.DigestTime),
			render.Esc(c.NextDigest.In(c.TimeZone).Format("Mon 2 Jan 15:04")))
	}
	return text
}

func quietUsageText(c subscriptions.Chat) string {
	state := "This chat has no quiet hours."
	if c.QuietStart != "" {
		state = fmt.Sprintf("Quiet hours: <b>%s–%s</b> (%s).", render.Esc(c.QuietStart), render.Esc(c.QuietEnd), render.Esc(c.TimeZone.String()))
	}
	return "🌙 " + state + "\nSet them with <code>/quiet 23:00-07:00</code>, remove them with <code>/quiet off</code>. " +
		"Alerts in quiet hours wait until the hours end (or come in the digest, if it comes first)."
}

func quietSetText(c subscriptions.Chat) string {
	if c.QuietStart == "" {
		return "🔔 No quiet hours: alerts arrive as they happen."
	}
	return fmt.Sprintf("🌙 Quiet hours <b>%s–%s</b> (%s): alerts in them wait until %s.",
		render.Esc(c.QuietStart), render.Esc(c.QuietEnd), render.Esc(c.TimeZone.String()), render.Esc(c.QuietEnd))
}

// until formats a mute's end in the chat's zone.
func until(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2 Jan 15:04 MST")
}

func muteUsageText(c subscriptions.Chat, now time.Time) string {
	state := "Alerts are on."
	if c.MutedUntil.After(now) {
		state = "Alerts are muted until <b>" + render.Esc(until(c.MutedUntil, c.TimeZone)) + "</b>."
	}
	return "🔕 " + state + "\nMute them with <code>/mute 2h</code> or <code>/mute 1d</code>, one topic with " +
		"<code>/mute drones 1d</code>; <code>/mute off</code> unmutes. The daily digest still comes."
}

func chatMutedText(c subscriptions.Chat, now time.Time) string {
	if !c.MutedUntil.After(now) {
		return "🔔 Alerts are on again."
	}
	return "🔕 Alerts muted until <b>" + render.Esc(until(c.MutedUntil, c.TimeZone)) + "</b>. " +
		"What matches meanwhile still goes into the daily digest. <code>/mute off</code> unmutes."
}

func subscriptionMutedText(label string, t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return fmt.Sprintf("🔔 <b>%s</b> is no longer muted.", quote(label))
	}
	return fmt.Sprintf("🔕 <b>%s</b> muted until %s: no alerts, and left out of the digest.", render.Esc(label), render.Esc(until(t, loc)))
}

// modeNames says what each mode means, for people.
var modeNames = map[string]string{
	subscriptions.ModeInstant: "alerts only",
	subscriptions.ModeDigest:  "digest only",
	subscriptions.ModeBoth:    "alerts and digest",
}

func modeUsageText() string {
	return "<code>/mode digest</code> sets every subscription here; <code>/mode drones instant</code> one of them. " +
		"Modes: <code>instant</code> (alerts only), <code>digest</code> (daily digest only), <code>both</code>."
}

func modeListText(subs []subscriptions.Subscription, catalog *match.Catalog) string {
	if len(subs) == 0 {
		return "This chat follows nothing yet. /topics or /follow to start."
	}
	var b strings.Builder
	b.WriteString("<b>How each subscription arrives</b>")
	for _, s := range subs {
		fmt.Fprintf(&b, "\n• %s — %s", render.Esc(render.Truncate(s.Label(catalog), 60)), modeNames[s.Mode])
	}
	b.WriteString("\n\n" + modeUsageText())
	return b.String()
}

func modeAllSetText(n int, mode string) string {
	if n == 0 {
		return "This chat follows nothing here yet. /topics or /follow to start."
	}
	return fmt.Sprintf("✅ %s now: %s.", render.Plural(n, "subscription", "subscriptions"), modeNames[mode])
}

func modeSetText(label, mode string) string {
	return fmt.Sprintf("✅ <b>%s</b>: %s.", quote(label), modeNames[mode])
}
