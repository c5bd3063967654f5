package bot

import (
	"fmt"
	"strings"
	"time"

	"livealert/bot/locale"
	"livealert/bot/render"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// The replies of the settings commands: /timezone, /mode, /quiet, /mute, and the alert buttons.

// zoneNow says what the chat's clock shows now: "Europe/Kyiv, where it is 14:05 (Fri 5 Jan)".
func zoneNow(l *locale.Locale, loc *time.Location, now time.Time) string {
	t := now.In(loc)
	return l.T("zone_now", "Zone", render.Esc(loc.String()), "Time", t.Format("15:04"), "Date", l.Date(t))
}

func timezoneUsageText(l *locale.Locale, c subscriptions.Chat, now time.Time) string {
	return l.T("timezone_usage", "Now", zoneNow(l, c.TimeZone, now))
}

func timezoneUnknownText(l *locale.Locale, arg string) string {
	return l.T("timezone_unknown", "Zone", quote(arg))
}

func timezoneSetText(l *locale.Locale, c subscriptions.Chat, now time.Time) string {
	text := l.T("timezone_set", "Now", zoneNow(l, c.TimeZone, now))
	if c.DigestTime != "" {
		text += l.T("timezone_set_digest", "Time", render.Esc(c.DigestTime),
			"Next", render.Esc(l.DateTime(c.NextDigest.In(c.TimeZone))))
	}
	return text
}

func quietUsageText(l *locale.Locale, c subscriptions.Chat) string {
	state := l.T("quiet_none")
	if c.QuietStart != "" {
		state = l.T("quiet_hours", "Start", render.Esc(c.QuietStart), "End", render.Esc(c.QuietEnd), "Zone", render.Esc(c.TimeZone.String()))
	}
	return l.T("quiet_usage", "State", state)
}

func quietSetText(l *locale.Locale, c subscriptions.Chat) string {
	if c.QuietStart == "" {
		return l.T("quiet_set_off")
	}
	return l.T("quiet_set", "Start", render.Esc(c.QuietStart), "End", render.Esc(c.QuietEnd), "Zone", render.Esc(c.TimeZone.String()))
}

// until formats a mute's end in the chat's zone.
func until(l *locale.Locale, t time.Time, loc *time.Location) string {
	return l.DateTimeZone(t.In(loc))
}

func muteUsageText(l *locale.Locale, c subscriptions.Chat, now time.Time) string {
	state := l.T("mute_on")
	if c.MutedUntil.After(now) {
		state = l.T("mute_until", "Until", render.Esc(until(l, c.MutedUntil, c.TimeZone)))
	}
	return l.T("mute_usage", "State", state)
}

func chatMutedText(l *locale.Locale, c subscriptions.Chat, now time.Time) string {
	if !c.MutedUntil.After(now) {
		return l.T("chat_unmuted")
	}
	return l.T("chat_muted", "Until", render.Esc(until(l, c.MutedUntil, c.TimeZone)))
}

func subscriptionMutedText(l *locale.Locale, label string, t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return l.T("subscription_unmuted", "Label", quote(label))
	}
	return l.T("subscription_muted", "Label", render.Esc(label), "Until", render.Esc(until(l, t, loc)))
}

// modeName says what a mode means, for people; "" for an unknown mode.
func modeName(l *locale.Locale, mode string) string {
	switch mode {
	case subscriptions.ModeInstant, subscriptions.ModeDigest, subscriptions.ModeBoth:
		return l.T("mode_" + mode)
	}
	return ""
}

func modeUsageText(l *locale.Locale) string { return l.T("mode_usage") }

func modeListText(l *locale.Locale, subs []subscriptions.Subscription, catalog *match.Catalog) string {
	if len(subs) == 0 {
		return l.T("nothing_followed")
	}
	var b strings.Builder
	b.WriteString(l.T("mode_list_head"))
	for _, s := range subs {
		fmt.Fprintf(&b, "\n• %s — %s", render.Esc(render.Truncate(label(l, s, catalog), 60)), modeName(l, s.Mode))
	}
	b.WriteString("\n\n" + modeUsageText(l))
	return b.String()
}

func modeAllSetText(l *locale.Locale, n int, mode string) string {
	if n == 0 {
		return l.T("mode_nothing_here")
	}
	return l.N("mode_all_set", n, "Mode", modeName(l, mode))
}

func modeSetText(l *locale.Locale, label, mode string) string {
	return l.T("mode_set", "Label", quote(label), "Mode", modeName(l, mode))
}
