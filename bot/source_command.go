package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"livealert/bot/locale"
	"livealert/bot/render"
	"livealert/sources"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// Callback prefixes of the buttons of suggested sources.
const (
	sourceApprovePrefix = "srcok:" // + user source id: an operator approves it
	sourceRejectPrefix  = "srcno:" // + user source id: an operator rejects it
	sourceFollowPrefix  = "srcf:"  // + c<index of a configured source> or u<user source id>
)

// Bounds of a suggestion.
const (
	maxSourceURL      = 2048 // bytes of the address given
	maxSourceName     = 40   // runes of a name derived from a title
	sourceFoundShown  = 3    // newest entries shown of what the check found
	maxCheckErrorRune = 200
)

// sourceCommand is /source add <url or @channel>: a chat suggests a source. /source remove
// is sourceRemoveCommand (operators), routed by the command table.
func (b *Bot) sourceCommand(ctx context.Context, in incoming, chat subscriptions.Chat, args string) (reply, error) {
	sub, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	if strings.ToLower(sub) != "add" || strings.TrimSpace(rest) == "" {
		return reply{text: in.l.T("source_usage")}, nil
	}
	return b.sourceAdd(ctx, in, chat, strings.TrimSpace(rest))
}

// isSourceRemove reports whether /source's arguments ask to remove a source.
func isSourceRemove(args string) bool {
	sub, _, _ := strings.Cut(strings.TrimSpace(args), " ")
	return strings.EqualFold(sub, "remove")
}

// sourceAdd checks the source target names and records the suggestion: pending for the
// operators (each is sent it with Approve and Reject buttons), or watched at once in open mode.
func (b *Bot) sourceAdd(ctx context.Context, in incoming, chat subscriptions.Chat, target string) (reply, error) {
	mode := b.opts.UserSources.Mode
	if mode != UserSourcesApproval && mode != UserSourcesOpen {
		return reply{text: in.l.T("source_off")}, nil
	}
	address, ok := sourceAddress(target)
	if !ok {
		return reply{text: in.l.T("source_bad_address", "Address", quote(target))}, nil
	}
	name, known, err := b.knownSource(ctx, address)
	switch {
	case err != nil:
		return reply{}, err
	case known == knownWatched:
		return reply{text: in.l.T("source_known", "Name", render.Esc(name))}, nil
	case known == knownPending:
		return reply{text: in.l.T("source_known_pending", "Name", render.Esc(name))}, nil
	}
	status := subscriptions.SourcePending
	if mode == UserSourcesOpen {
		status = subscriptions.SourceApproved
	}
	// The limits are looked at before fetching anything, so that a chat at its limit makes
	// the bot fetch nothing; AddUserSource looks again as it records the suggestion.
	if r, over, err := b.suggestLimitReply(b.store.CheckSuggestLimits(ctx, in.chat.ID, status, b.opts.UserSources.Limits), in.l); over || err != nil {
		return r, err
	}
	checkCtx, cancel := context.WithTimeout(ctx, b.opts.UserSources.CheckTimeout)
	defer cancel()
	found, err := sources.Check(checkCtx, b.opts.UserSources.Fetcher, sources.Source{Name: "check", URL: address})
	switch {
	case errors.Is(err, sources.ErrAddressRefused):
		b.log.Warn("source suggestion refused", "reason", "address", "chat_id", in.chat.ID, "url", address)
		return reply{text: in.l.T("source_refused_address")}, nil
	case err != nil && checkCtx.Err() != nil && ctx.Err() == nil:
		return reply{text: in.l.T("source_check_timeout", "Seconds", int(b.opts.UserSources.CheckTimeout/time.Second))}, nil
	case err != nil:
		if ctx.Err() != nil {
			return reply{}, ctx.Err()
		}
		return reply{text: in.l.T("source_check_failed", "Error", render.Esc(truncateRunes(err.Error(), maxCheckErrorRune)))}, nil
	case len(found.Entries) == 0:
		return reply{text: in.l.T("source_check_empty", "Format", string(found.Format))}, nil
	}
	u, err := b.store.AddUserSource(ctx, subscriptions.UserSource{
		Name: b.freeSourceName(ctx, found.Title, address), URL: address, Format: string(found.Format),
		RequestedBy: in.chat.ID, UserID: in.from, Status: status,
	}, b.opts.UserSources.Limits)
	if r, over, err := b.suggestLimitReply(err, in.l); over || err != nil {
		return r, err
	}
	b.log.Info("source suggested", "user_source_id", u.ID, "source", u.Name, "url", u.URL, "chat_id", in.chat.ID, "status", u.Status)
	summary := foundText(in.l, u, found, chat.TimeZone)
	if status == subscriptions.SourceApproved {
		b.watchUserSource(u)
		return reply{text: summary + "\n\n" + in.l.T("source_added", "Name", render.Esc(u.Name), "Example", followExample(u.Name))}, nil
	}
	b.tellOperatorsWith(ctx, func(l *locale.Locale) reply {
		return reply{
			text: sourceRequestText(l, u, in) + "\n\n" + foundText(l, u, found, time.UTC),
			keyboard: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
				{Text: l.T("source_approve_button"), CallbackData: sourceApprovePrefix + strconv.FormatInt(u.ID, 10)},
				{Text: l.T("source_reject_button"), CallbackData: sourceRejectPrefix + strconv.FormatInt(u.ID, 10)},
			}}},
		}
	})
	return reply{text: summary + "\n\n" + in.l.T("source_pending", "Name", render.Esc(u.Name))}, nil
}

// suggestLimitReply turns an error of the store's suggestion limits or names into the reply
// that says so (over true); other errors are returned.
func (b *Bot) suggestLimitReply(err error, l *locale.Locale) (r reply, over bool, _ error) {
	switch {
	case err == nil:
		return reply{}, false, nil
	case errors.Is(err, subscriptions.ErrPendingLimit):
		return reply{text: l.T("source_limit_pending", "Max", b.opts.UserSources.Limits.Pending)}, true, nil
	case errors.Is(err, subscriptions.ErrTotalLimit):
		return reply{text: l.T("source_limit_total", "Max", b.opts.UserSources.Limits.Total)}, true, nil
	case errors.Is(err, subscriptions.ErrSourceTaken):
		return reply{text: l.T("source_taken")}, true, nil
	}
	return reply{}, false, err
}

// sourceAddress returns the address a suggestion names: a Telegram channel's web preview for
// @name or a t.me link, else an http(s) URL with a host and no user name or password. Anything
// else (a file path, another scheme) is not an address a user may give.
func sourceAddress(target string) (string, bool) {
	if len(target) > maxSourceURL || strings.ContainsAny(target, " \t\n") {
		return "", false
	}
	if channel, ok := sources.TelegramChannelURL(target); ok {
		return channel, true
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return "", false
	}
	u.Fragment = ""
	return u.String(), true
}

// How knownSource knows an address.
const (
	knownNot     = iota
	knownWatched // a watched source has it
	knownPending // a pending suggestion has it
)

// knownSource returns the name of a watched or pending source at address, and which it is.
func (b *Bot) knownSource(ctx context.Context, address string) (string, int, error) {
	for _, src := range b.sourceSet().list {
		if src.URL == address {
			return src.Name, knownWatched, nil
		}
	}
	pending, err := b.store.UserSources(ctx, subscriptions.SourcePending)
	if err != nil {
		return "", knownNot, err
	}
	for _, u := range pending {
		if u.URL == address {
			return u.Name, knownPending, nil
		}
	}
	return "", knownNot, nil
}

// freeSourceName returns a name for a suggested source: its title (else the address's host),
// cut to maxSourceName runes, with " 2", " 3"… when a watched or pending source has it.
func (b *Bot) freeSourceName(ctx context.Context, title, address string) string {
	base := strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r == '"' || r == '“' || r == '”' || r == '«' || r == '»' || r < ' ' {
			return ' ' // a name must be writable in in:"…"
		}
		return r
	}, title)), " ")
	if base == "" {
		if u, err := url.Parse(address); err == nil {
			base = strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	if utf8.RuneCountInString(base) > maxSourceName {
		base = strings.TrimSpace(string([]rune(base)[:maxSourceName]))
	}
	taken := map[string]bool{}
	for _, n := range b.sourceSet().names() {
		taken[match.SourceKey(n)] = true
	}
	if pending, err := b.store.UserSources(ctx, subscriptions.SourcePending); err == nil {
		for _, u := range pending {
			taken[match.SourceKey(u.Name)] = true
		}
	}
	name := base
	for i := 2; taken[match.SourceKey(name)]; i++ {
		name = fmt.Sprintf("%s %d", base, i)
	}
	return name
}

// foundText says what the check of u found: the format, how many entries, the newest three
// with their times in loc.
func foundText(l *locale.Locale, u subscriptions.UserSource, found sources.Checked, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	var b strings.Builder
	b.WriteString(l.N("source_found", len(found.Entries), "Name", render.Esc(u.Name), "URL", render.Esc(u.URL), "Format", string(found.Format)))
	entries := slices.Clone(found.Entries)
	slices.SortStableFunc(entries, func(x, y sources.Entry) int { return y.Published.Compare(x.Published) })
	for _, e := range entries[:min(len(entries), sourceFoundShown)] {
		when := l.T("source_found_undated")
		if !e.Published.IsZero() {
			when = l.DateTime(e.Published.In(loc))
		}
		title := e.Title
		if title == "" && len(e.Body) > 0 {
			title = e.Body[0]
		}
		b.WriteString("\n" + l.T("source_found_entry", "When", render.Esc(when), "Title", quote(oneLine(title))))
	}
	return b.String()
}

// sourceRequestText is the head of the request the operators get: who asked, where.
func sourceRequestText(l *locale.Locale, u subscriptions.UserSource, in incoming) string {
	where := l.T("source_request_private")
	if in.chat.Type != string(models.ChatTypePrivate) {
		where = l.T("source_request_chat", "Title", quote(in.chat.Title), "ChatID", in.chat.ID)
	}
	return l.T("source_request", "UserID", u.UserID, "Where", where)
}

// followExample is how to follow a topic within the source named name.
func followExample(name string) string {
	return render.Esc(`/follow drones in:"` + name + `"`)
}

// tellOperatorsWith sends every operator, in their private chat, the reply made in the bot's
// default language.
func (b *Bot) tellOperatorsWith(ctx context.Context, r func(l *locale.Locale) reply) {
	l := locale.For(b.opts.Language)
	for _, id := range b.opts.Admins {
		b.send(ctx, incoming{chat: privateChat(id), l: l}, r(l))
	}
}

// sourceDecisionButton is an operator's Approve or Reject under a suggestion: the first
// decision counts; the requester is told it; the operator's message shows it.
func (b *Bot) sourceDecisionButton(ctx context.Context, in incoming, m *models.Message, arg string, status string) (string, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return in.l.T("button_gone_short"), nil
	}
	u, decided, err := b.store.DecideUserSource(ctx, id, status, in.from)
	if errors.Is(err, subscriptions.ErrNotFound) {
		return in.l.T("button_gone_short"), nil
	}
	if err != nil {
		return "", err
	}
	if !decided {
		b.editKeyboard(ctx, m, &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}})
		return in.l.T("source_decided_already", "Status", in.l.T("source_status_"+u.Status)), nil
	}
	b.log.Info("source suggestion decided", "user_source_id", u.ID, "source", u.Name, "status", u.Status, "operator", in.from)
	if status == subscriptions.SourceApproved {
		b.watchUserSource(u)
	}
	b.editMessage(ctx, m, reply{text: render.Esc(m.Text) + "\n\n" + in.l.T("source_decided_"+u.Status, "OperatorID", in.from)})
	b.tellRequester(ctx, u)
	return in.l.T("source_status_" + u.Status), nil
}

// tellRequester tells the chat that suggested u how it was decided, in the chat's language.
func (b *Bot) tellRequester(ctx context.Context, u subscriptions.UserSource) {
	chat, err := b.store.Chat(ctx, u.RequestedBy)
	if err != nil {
		b.log.Error("requester not told", "user_source_id", u.ID, "chat_id", u.RequestedBy, "error", err)
		return
	}
	if !chat.Active {
		return
	}
	l := b.chatLocale(chat.Language)
	in := incoming{chat: subscriptions.ChatInfo{ID: chat.ID, Type: chat.Type, Title: chat.Title, Language: chat.Language}, l: l}
	text := l.T("source_rejected_user", "Name", render.Esc(u.Name), "URL", render.Esc(u.URL))
	if u.Status == subscriptions.SourceApproved {
		text = l.T("source_approved_user", "Name", render.Esc(u.Name), "Example", followExample(u.Name))
	}
	b.send(ctx, in, reply{text: text})
}

func (b *Bot) sourceApproveButton(ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
	return b.sourceDecisionButton(ctx, in, m, arg, subscriptions.SourceApproved)
}

func (b *Bot) sourceRejectButton(ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
	return b.sourceDecisionButton(ctx, in, m, arg, subscriptions.SourceRejected)
}

// sourceRemoveCommand is /source remove <name>: an operator stops watching a user's source.
func (b *Bot) sourceRemoveCommand(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	_, name, _ := strings.Cut(strings.TrimSpace(args), " ")
	name = strings.Trim(strings.TrimSpace(name), `"“”«»`)
	if name == "" {
		return reply{text: in.l.T("source_remove_usage")}, nil
	}
	u, err := b.store.RemoveUserSource(ctx, name, in.from)
	if errors.Is(err, subscriptions.ErrNotFound) {
		if src, ok := b.sourceSet().byKey(match.SourceKey(name)); ok {
			return reply{text: in.l.T("source_remove_configured", "Name", render.Esc(src.Name))}, nil
		}
		return reply{text: in.l.T("source_remove_unknown", "Name", quote(name), "Names", b.userSourceNames(in.l))}, nil
	}
	if err != nil {
		return reply{}, err
	}
	b.unwatchUserSource(u.Name)
	b.log.Info("user source removed", "user_source_id", u.ID, "source", u.Name, "operator", in.from)
	return reply{text: in.l.T("source_removed", "Name", render.Esc(u.Name))}, nil
}

// userSourceNames lists the users' watched sources' names, for a reply.
func (b *Bot) userSourceNames(l *locale.Locale) string {
	var names []string
	for _, u := range b.sourceSet().users() {
		names = append(names, "<code>"+render.Esc(u.source.Name)+"</code>")
	}
	if len(names) == 0 {
		return l.T("sources_list_none")
	}
	return strings.Join(names, ", ")
}

// sourceNames lists every watched source's name, for a reply.
func (b *Bot) sourceNames(l *locale.Locale) string {
	var names []string
	for _, n := range b.sourceSet().names() {
		names = append(names, "<code>"+render.Esc(n)+"</code>")
	}
	if len(names) == 0 {
		return l.T("sources_list_none")
	}
	return strings.Join(names, ", ")
}

// sourceFollowButton is "Follow here" under /sources: it says how to follow within that source.
func (b *Bot) sourceFollowButton(ctx context.Context, in incoming, _ *models.Message, arg string) (string, error) {
	set := b.sourceSet()
	var name string
	switch {
	case strings.HasPrefix(arg, "c"):
		i, err := strconv.Atoi(arg[1:])
		configured := set.configured()
		if err != nil || i < 0 || i >= len(configured) {
			return in.l.T("button_gone_short"), nil
		}
		name = configured[i].Name
	case strings.HasPrefix(arg, "u"):
		id, err := strconv.ParseInt(arg[1:], 10, 64)
		for _, u := range set.users() {
			if err == nil && u.row.ID == id {
				name = u.source.Name
			}
		}
		if name == "" {
			return in.l.T("button_gone_short"), nil
		}
	default:
		return in.l.T("button_gone_short"), nil
	}
	b.send(ctx, in, reply{text: in.l.T("source_follow_hint", "Name", render.Esc(name), "Example", followExample(name))})
	return "", nil
}

// sourcesKeyboard is the "Follow here" buttons under /sources, one a source.
func sourcesKeyboard(l *locale.Locale, set *sourceSet) *models.InlineKeyboardMarkup {
	var rows [][]models.InlineKeyboardButton
	for i, src := range set.configured() {
		rows = append(rows, []models.InlineKeyboardButton{{
			Text: l.T("sources_follow_button", "Name", render.Truncate(src.Name, 30)), CallbackData: sourceFollowPrefix + "c" + strconv.Itoa(i),
		}})
	}
	for _, u := range set.users() {
		rows = append(rows, []models.InlineKeyboardButton{{
			Text: l.T("sources_follow_button", "Name", render.Truncate(u.source.Name, 30)), CallbackData: sourceFollowPrefix + "u" + strconv.FormatInt(u.row.ID, 10),
		}})
	}
	if len(rows) == 0 {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}
