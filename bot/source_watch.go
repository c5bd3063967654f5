package bot

import (
	"context"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"

	"livealert/bot/locale"
	"livealert/bot/render"
	"livealert/sources"
	"livealert/subscriptions"
)

// DefaultSourcesAlertAfter is how long a source fails before the operators are told.
const DefaultSourcesAlertAfter = 30 * time.Minute

// Key-value keys of the operators' source notices: each holds a mark of the failure run it
// was sent for (its last success, in unix seconds, plus one), so a restart sends neither
// notice twice.
const (
	sourceDownKey = "operators.source_down." // + source name: the run the "down" notice was for
	sourceUpKey   = "operators.source_up."   // + source name: the run the "works again" notice closed
)

// watchSources tells every operator, in their private chat, once when a source has failed for
// Options.SourcesAlertAfter (which source, since when, the last error) and once when it works
// again. It runs with each minute's tick.
func (b *Bot) watchSources(ctx context.Context) {
	srcs := b.sourceSet().list
	if len(b.opts.Admins) == 0 || len(srcs) == 0 {
		return
	}
	states, err := b.store.SourceStates(ctx)
	if err != nil {
		b.log.Error("source watch failed", "error", err)
		return
	}
	now := b.opts.Now()
	for _, src := range srcs {
		st := states[src.Name]
		// A failure run is known by the success before it; a source that never worked is in
		// one run, mark 1, however often livealert restarts.
		since, mark := st.LastSuccess, int64(1)
		if since.IsZero() {
			since = b.started
		} else {
			mark = since.Unix() + 1
		}
		down, err := b.intValue(ctx, sourceDownKey+src.Name)
		if err != nil {
			b.log.Error("source watch failed", "source", src.Name, "error", err)
			continue
		}
		switch {
		case st.Failures > 0 && now.Sub(since) >= b.opts.SourcesAlertAfter && down < mark:
			if err := b.store.RaiseInt(ctx, sourceDownKey+src.Name, mark); err != nil {
				b.log.Error("source watch failed", "source", src.Name, "error", err)
				continue
			}
			b.log.Warn("source down, operators told", "source", src.Name, "failures", st.Failures)
			b.tellOperators(ctx, func(l *locale.Locale) string { return sourceDownText(l, src, st, since) })
		case st.Failures == 0 && down > 0:
			up, err := b.intValue(ctx, sourceUpKey+src.Name)
			if err != nil || up >= down {
				continue
			}
			if err := b.store.RaiseInt(ctx, sourceUpKey+src.Name, down); err != nil {
				b.log.Error("source watch failed", "source", src.Name, "error", err)
				continue
			}
			b.log.Info("source works again, operators told", "source", src.Name)
			b.tellOperators(ctx, func(l *locale.Locale) string { return sourceUpText(l, src) })
		}
	}
}

// intValue reads an integer of the store's key-value, 0 when there is none.
func (b *Bot) intValue(ctx context.Context, key string) (int64, error) {
	v, ok, err := b.store.Value(ctx, key)
	if err != nil || !ok {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// tellOperators sends every operator, in their private chat, the text made in the bot's
// default language.
func (b *Bot) tellOperators(ctx context.Context, text func(l *locale.Locale) string) {
	l := locale.For(b.opts.Language)
	for _, id := range b.opts.Admins {
		b.send(ctx, incoming{chat: privateChat(id), l: l}, reply{text: text(l)})
	}
}

func sourceDownText(l *locale.Locale, src sources.Source, st sources.State, since time.Time) string {
	text := l.N("source_down", st.Failures, "Source", render.Esc(src.Name), "Since", render.Esc(l.DateTimeZone(since.UTC())))
	if st.LastError != "" {
		text += "\n" + l.T("source_down_error", "Error", render.Esc(render.Truncate(st.LastError, 300)))
	}
	return text + "\n" + l.T("source_down_more")
}

func sourceUpText(l *locale.Locale, src sources.Source) string {
	return l.T("source_up", "Source", render.Esc(src.Name))
}

// privateChat is the private chat with a user.
func privateChat(userID int64) subscriptions.ChatInfo {
	return subscriptions.ChatInfo{ID: userID, Type: string(models.ChatTypePrivate)}
}
