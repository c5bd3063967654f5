package bot

import (
	"slices"
	"strings"

	"livealert/bot/locale"
	"livealert/bot/render"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// Every reply the bot writes is built here and in the command files, from the messages of the
// chat's language (bot/locale) and escaped dynamic strings.

// maxQuoteRunes bounds what a reply quotes of a user's input: a quote never makes a reply
// longer than Telegram takes.
const maxQuoteRunes = 200

// quote escapes a user's input for a reply, cut to maxQuoteRunes with an ellipsis.
func quote(s string) string { return render.Esc(render.Truncate(s, maxQuoteRunes)) }

func welcomeText(l *locale.Locale, c subscriptions.Chat) string {
	return l.T("welcome", "Digest", digestSentence(l, c))
}

// groupWelcomeText greets a group the bot was just added to.
func groupWelcomeText(l *locale.Locale, title string) string {
	return l.T("group_welcome", "Title", quote(title))
}

func topicsText(l *locale.Locale) string { return l.T("topics_head") }

// helpText lists the commands of the table that run where, with the operators' commands for
// an operator.
func helpText(l *locale.Locale, table []commandSpec, where place, operator bool) string {
	var b strings.Builder
	b.WriteString(l.T("help_intro"))
	for _, c := range table {
		if c.help == "" || c.where&where == 0 || c.access == operators && !operator {
			continue
		}
		b.WriteString("\n" + l.T(c.help))
	}
	if where == inGroup {
		b.WriteString("\n\n" + l.T("help_group"))
	}
	b.WriteString("\n\n" + l.T("help_matching"))
	return b.String()
}

func followUsageText(l *locale.Locale) string { return l.T("follow_usage") }

func followedText(l *locale.Locale, query, understood string, created bool) string {
	if !created {
		return l.T("follow_already", "Query", quote(query))
	}
	return l.T("followed", "Query", quote(query), "Understood", quote(understood))
}

// queryErrorText says why a query does not parse, with a corrected /command to try.
func queryErrorText(l *locale.Locale, err error, command string) string {
	qe, ok := err.(*match.QueryError)
	if !ok {
		return "⚠️ " + quote(err.Error())
	}
	reason := l.T("query_err_"+qe.Code(), "Max", match.MaxQueryLength, "Min", match.MinPrefixLength,
		"MaxRegex", match.MaxRegexLength, "Detail", qe.Detail)
	text := l.T("query_error", "Pos", qe.Pos+1, "Reason", quote(reason))
	if qe.Example != "" {
		text += l.T("query_error_try", "Command", command, "Example", render.Esc(qe.Example))
	}
	return text
}

func tooManyText(l *locale.Locale) string {
	return l.T("too_many", "Max", subscriptions.MaxSubscriptions)
}

func unfollowedText(l *locale.Locale, label string, removed bool) string {
	if !removed {
		return l.T("not_following", "Label", quote(label))
	}
	return l.T("unfollowed", "Label", quote(label))
}

func unfollowPickText(l *locale.Locale, n int) string {
	if n == 0 {
		return l.T("nothing_followed")
	}
	return l.T("unfollow_pick")
}

func listText(l *locale.Locale, c subscriptions.Chat, subs []subscriptions.Subscription, catalog *match.Catalog) string {
	var b strings.Builder
	if len(subs) == 0 {
		b.WriteString(l.T("nothing_followed"))
	} else {
		b.WriteString(l.T("list_head"))
		for _, s := range subs {
			b.WriteString("\n• ")
			if s.Topic != "" {
				b.WriteString("<b>" + render.Esc(label(l, s, catalog)) + "</b>" + l.T("list_topic"))
			} else {
				b.WriteString("<code>" + render.Esc(s.Query) + "</code>")
			}
			if s.ThreadID != 0 {
				b.WriteString(l.T("list_thread", "Thread", s.ThreadID))
			}
			if name := modeName(l, s.Mode); name != "" {
				b.WriteString(" · " + name)
			}
			if !s.MutedUntil.IsZero() {
				b.WriteString(l.T("list_muted", "Until", render.Esc(until(l, s.MutedUntil, c.TimeZone))))
			}
		}
	}
	b.WriteString("\n\n" + digestSentence(l, c))
	return b.String()
}

// label is how a subscription is shown in the chat's language: a topic's translated name, or
// the query as typed.
func label(l *locale.Locale, s subscriptions.Subscription, catalog *match.Catalog) string {
	if s.Topic != "" {
		if t, ok := catalog.Lookup(s.Topic); ok {
			return topicName(l, t)
		}
	}
	return s.Label(catalog)
}

// digestSentence says when the chat's digest comes.
func digestSentence(l *locale.Locale, c subscriptions.Chat) string {
	if c.DigestTime == "" {
		return l.T("digest_sentence_off")
	}
	return l.T("digest_sentence", "Time", render.Esc(c.DigestTime), "Zone", render.Esc(c.TimeZone.String()))
}

func digestSetText(l *locale.Locale, c subscriptions.Chat) string {
	if c.DigestTime == "" {
		return l.T("digest_set_off")
	}
	return l.T("digest_set", "Time", render.Esc(c.DigestTime), "Zone", render.Esc(c.TimeZone.String()),
		"Next", render.Esc(l.DateTime(c.NextDigest.In(c.TimeZone))))
}

func digestUsageText(l *locale.Locale, c subscriptions.Chat) string {
	return l.T("digest_usage", "State", digestSentence(l, c))
}

func stoppedText(l *locale.Locale) string { return l.T("stopped") }

func unknownCommandText(l *locale.Locale, name string) string {
	return l.T("unknown_command", "Name", quote(name))
}

func operatorsOnlyText(l *locale.Locale, name string) string {
	return l.T("operators_only", "Name", render.Esc(name))
}

func notCommandText(l *locale.Locale) string { return l.T("not_command") }

// topicName is a catalog topic's name in the chat's language.
func topicName(l *locale.Locale, t match.Topic) string { return t.NameIn(string(l.Lang())) }

// topicKey is the key of the catalog topic what names, in any language; for a name the
// catalog does not know, its TopicKey.
func (b *Bot) topicKey(what string) string {
	if t, ok := b.store.Catalog().Lookup(what); ok {
		return match.TopicKey(t.Name)
	}
	return match.TopicKey(what)
}

// localLabels returns labels with the names of catalog topics in l's language; labels itself
// when no name changes. A label is a topic's when it is the topic's Name exactly: a query
// typed alike in another case stays as typed.
func localLabels(catalog *match.Catalog, l *locale.Locale, labels []string) []string {
	var out []string
	for i, s := range labels {
		t, ok := catalog.Lookup(s)
		if !ok || t.Name != s {
			continue
		}
		if n := topicName(l, t); n != s {
			if out == nil {
				out = slices.Clone(labels)
			}
			out[i] = n
		}
	}
	if out == nil {
		return labels
	}
	return out
}

// localDigestItems returns items with their labels in l's language (see localLabels), items
// itself when none changes.
func localDigestItems(catalog *match.Catalog, l *locale.Locale, items []subscriptions.DigestItem) []subscriptions.DigestItem {
	var out []subscriptions.DigestItem
	for k := range items {
		labels := localLabels(catalog, l, items[k].Labels)
		if len(labels) > 0 && &labels[0] == &items[k].Labels[0] {
			continue
		}
		if out == nil {
			out = slices.Clone(items)
		}
		out[k].Labels = labels
	}
	if out == nil {
		return items
	}
	return out
}
