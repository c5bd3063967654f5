package bot

import (
	"context"

	"livealert/bot/locale"
)

// Operators are told when dead letters pile up. (A long 429 pause is logged and counted in
// the metrics, not messaged: a message through the paused token could only arrive after it.)

// deadLettersStep: each time the dead letters grow by this many since the last notice, the
// operators are told again.
const deadLettersStep = 10

// deadLettersToldKey is the key-value key of the dead-letter count last told, so that a
// restart repeats no notice.
const deadLettersToldKey = "operators.dead_letters"

// watchDelivery tells every operator once per deadLettersStep new dead letters. It runs with
// each minute's tick.
func (b *Bot) watchDelivery(ctx context.Context) {
	if len(b.opts.Admins) == 0 {
		return
	}
	st, err := b.store.OutboxStats(ctx)
	if err != nil {
		b.log.Error("delivery watch failed", "error", err)
		return
	}
	told, err := b.intValue(ctx, deadLettersToldKey)
	if err != nil {
		b.log.Error("delivery watch failed", "error", err)
		return
	}
	if n := int64(st.DeadLetters); n >= told+deadLettersStep {
		if err := b.store.RaiseInt(ctx, deadLettersToldKey, n); err == nil {
			b.log.Warn("dead letters piling up, operators told", "dead_letters", n)
			b.tellOperators(ctx, func(l *locale.Locale) string {
				return l.N("dead_letters", int(n-told), "Total", n)
			})
		}
	}
}
