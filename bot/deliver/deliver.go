package deliver

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// maxBatch bounds how many due messages of one chat a worker reads at once; more than fit
// in one Telegram message anyway.
const maxBatch = 64

// giveUpAfter is how long a message may keep failing with server or network errors before
// it is dead-lettered.
const giveUpAfter = 24 * time.Hour

// sendTimeout bounds one sendMessage call.
const sendTimeout = 30 * time.Second

// outgoing is one Telegram message made of one or more queued messages of a chat.
type outgoing struct {
	chat     subscriptions.DueChat // whose limiter the send takes
	chatID   int64
	threadID int
	kind     string
	text     string
	rows     []subscriptions.Delivery
	// also is true for an "also" row (Delivery.AlsoOf), sent alone; edit is then the message
	// it edits (0: it goes out as an alert of its own) and kb that message's keyboard.
	also bool
	edit int
	kb   *models.InlineKeyboardMarkup
}

func (o outgoing) ids() []int64 {
	ids := make([]int64, len(o.rows))
	for i, d := range o.rows {
		ids[i] = d.ID
	}
	return ids
}

// deliverChat sends the next message of chat c from its due queue (c.Due, read when no
// worker held the chat): its oldest due digest part, or its oldest due alerts of one forum
// topic together. It returns an error only when the store failed.
func (s *Sender) deliverChat(ctx context.Context, c subscriptions.DueChat) error {
	if len(c.Due) == 0 {
		return nil
	}
	o := s.compose(c.ID, c.Due)
	o.chat = c
	if o.also {
		done, err := s.prepareAlso(ctx, &o)
		if err != nil || done {
			return err
		}
	}
	return s.deliver(ctx, o)
}

// prepareAlso makes o, an "also" row, the edit of its story's first alert to the chat's
// thread: that message as it stands with a line for o's entry added. When the first alert
// was not sent (or is gone), o goes out as an alert of its own. done is true when there is
// nothing to send: the line would make the message too long, so the row is taken off.
func (s *Sender) prepareAlso(ctx context.Context, o *outgoing) (done bool, err error) {
	d := o.rows[0]
	m, err := s.store.StoryMessage(ctx, d.ChatID, d.ThreadID, d.AlsoOf)
	if err != nil {
		return false, err
	}
	if m.MessageID == 0 || s.opts.RenderAlso == nil {
		o.text, _ = s.opts.Render(o.rows)
		return false, nil
	}
	text, ok := s.opts.RenderAlso(m.Text, d)
	if !ok {
		s.log.Info("story alert too long for another source, left as it is", "chat_id", d.ChatID, "message_id", m.MessageID)
		return true, s.acks.delivered(context.WithoutCancel(ctx), subscriptions.SentMessage{IDs: o.ids(), ChatID: o.chatID})
	}
	o.text, o.edit = text, m.MessageID
	if m.Keyboard != "" {
		var kb models.InlineKeyboardMarkup
		if err := json.Unmarshal([]byte(m.Keyboard), &kb); err == nil {
			o.kb = &kb
		}
	}
	return false, nil
}

// compose makes the next message of a chat from its due rows, oldest first.
func (s *Sender) compose(chatID int64, ds []subscriptions.Delivery) outgoing {
	first := ds[0]
	o := outgoing{chatID: first.ChatID, threadID: first.ThreadID, kind: first.Kind}
	if first.Kind != subscriptions.KindAlert {
		o.text, o.rows = first.Text, ds[:1]
		return o
	}
	if first.AlsoOf != 0 {
		o.rows, o.also = ds[:1], true // its text is made by prepareAlso
		return o
	}
	var alerts []subscriptions.Delivery
	for _, d := range ds {
		if d.Kind != subscriptions.KindAlert {
			break // a digest part waits its turn, in order
		}
		if d.ThreadID == first.ThreadID && d.AlsoOf == 0 { // an also row goes alone
			alerts = append(alerts, d)
		}
	}
	s.mu.Lock()
	if len(alerts) <= 1 {
		delete(s.solo, chatID)
	} else if s.solo[chatID] {
		alerts = alerts[:1]
	}
	s.mu.Unlock()
	text, n := s.opts.Render(alerts)
	o.text, o.rows = text, alerts[:n]
	return o
}

// deliver sends o and records the outcome. It returns an error only when the store failed.
func (s *Sender) deliver(ctx context.Context, o outgoing) error {
	kb := o.kb
	if o.edit == 0 {
		kb = s.opts.Keyboard(ctx, o.rows)
	}
	res, sendErr := s.send(ctx, o, o.text, kb, true)
	// The send leaves the flight once its outcome is recorded: until then a crash repeats it.
	defer func() { res.release() }()
	msgID := res.msgID
	if o.edit != 0 && sendErr != nil && notModified(sendErr) {
		msgID, sendErr = o.edit, nil // the message already says it
	}
	s.observe(o, res.trip, sendErr)
	if sendErr == nil {
		// Recorded even when ctx ended meanwhile: a message Telegram accepted must leave the
		// queue, or a graceful restart would send it again.
		return s.acks.delivered(context.WithoutCancel(ctx), s.sent(o, msgID, o.text, kb))
	}
	if ctx.Err() != nil {
		return nil // shutting down: the rows stay queued
	}
	log := s.log.With("chat_id", o.chatID, "kind", o.kind, "rows", len(o.rows))
	var tooMany *tgbot.TooManyRequestsError
	var migrate *tgbot.MigrateError
	switch {
	case errors.As(sendErr, &tooMany):
		until := time.Now().Add(time.Duration(max(1, tooMany.RetryAfter)) * time.Second)
		log.Warn("telegram rate limit, pausing all sends", "retry_after", tooMany.RetryAfter)
		s.setPause(until)
		return setSendPause(ctx, s.store, until)
	case errors.As(sendErr, &migrate):
		log.Info("chat migrated, moving it", "new_chat_id", migrate.MigrateToChatID)
		defer s.Wake() // the rows are due under the new id
		return s.store.MigrateChat(ctx, o.chatID, int64(migrate.MigrateToChatID))
	case errors.Is(sendErr, tgbot.ErrorForbidden):
		dropped, err := s.store.DeactivateChat(ctx, o.chatID)
		log.Info("chat refused messages, deactivated", "dropped", dropped, "error", s.opts.Redact(sendErr))
		return err
	case errors.Is(sendErr, tgbot.ErrorBadRequest) && cantParse(sendErr):
		log.Error("telegram could not parse a rendered message, sending it as plain text",
			"template", o.kind, "error", s.opts.Redact(sendErr), "html", excerpt(o.text))
		res.release()
		var plainErr error
		res, plainErr = s.send(ctx, o, render.PlainText(o.text), kb, false)
		msgID := res.msgID
		if plainErr == nil {
			return s.acks.delivered(context.WithoutCancel(ctx), s.sent(o, msgID, "", kb))
		}
		return s.failed(ctx, log, o, plainErr)
	}
	return s.failed(ctx, log, o, sendErr)
}

// sent is what the store records of o once Telegram accepted it as message msgID showing
// text (Telegram HTML; "" when it went as plain text, which no later line can be added to)
// and kb.
func (s *Sender) sent(o outgoing, msgID int, text string, kb *models.InlineKeyboardMarkup) subscriptions.SentMessage {
	m := subscriptions.SentMessage{IDs: o.ids(), ChatID: o.chatID, Edit: o.edit != 0}
	if o.kind != subscriptions.KindAlert || text == "" {
		return m
	}
	m.MessageID, m.Text = msgID, text
	if kb != nil {
		if b, err := json.Marshal(kb); err == nil {
			m.Keyboard = string(b)
		}
	}
	return m
}

// observe tells Options.Observe how a send of o went.
func (s *Sender) observe(o outgoing, took time.Duration, err error) {
	if s.opts.Observe == nil || (err != nil && errors.Is(err, context.Canceled)) {
		return
	}
	out := Outcome{Kind: o.kind, Rows: o.rows, Took: took}
	var tooMany *tgbot.TooManyRequestsError
	var migrate *tgbot.MigrateError
	switch {
	case err == nil:
		out.Sent = s.opts.Now() // the clock of FirstSeen, for the latency people feel
	case errors.As(err, &tooMany):
		out.Failure, out.Pause = "rate_limited", time.Duration(max(1, tooMany.RetryAfter))*time.Second
	case errors.As(err, &migrate):
		out.Failure = "migrated"
	case errors.Is(err, tgbot.ErrorForbidden):
		out.Failure = "forbidden"
	case errors.Is(err, tgbot.ErrorBadRequest):
		out.Failure = "bad_request"
	default:
		out.Failure = "error"
	}
	s.opts.Observe(out)
}

// failed records a send that failed for a reason other than the rate limit, a migration or
// a refusal: a bad request is dead-lettered (a refused batch is first retried one alert at a
// time), anything else is retried with backoff for up to giveUpAfter.
func (s *Sender) failed(ctx context.Context, log *slog.Logger, o outgoing, sendErr error) error {
	reason := strings.TrimSpace(s.opts.Redact(sendErr))
	if errors.Is(sendErr, tgbot.ErrorBadRequest) {
		if len(o.rows) > 1 {
			log.Warn("telegram refused a batch of alerts, retrying them one by one", "error", reason)
			s.mu.Lock()
			s.solo[o.chatID] = true
			s.mu.Unlock()
			return nil
		}
		log.Error("telegram refused message, dead-lettered", "error", reason)
		return s.store.DeadLetterAll(ctx, o.ids(), reason)
	}
	now := s.opts.Now()
	first := o.rows[0]
	if !first.FailingSince.IsZero() && now.Sub(first.FailingSince) >= giveUpAfter {
		log.Error("send kept failing, dead-lettered", "error", reason, "failing_since", first.FailingSince)
		return s.store.DeadLetterAll(ctx, o.ids(), "gave up after "+giveUpAfter.String()+": "+reason)
	}
	delay := retryDelay(first.Attempts)
	log.Warn("send failed, will retry", "error", reason, "retry_in", delay)
	return s.store.PostponeAll(ctx, o.ids(), now.Add(delay), reason)
}

// sendResult is a send's outcome: the message's id, the call's round trip, and release, which ends
// its place in flight once the outcome is recorded (a no-op when the call was not made).
type sendResult struct {
	msgID   int
	trip    time.Duration
	release func()
}

// send makes one sendMessage call for o (editMessageText of o.edit when not 0), in HTML
// parse mode or as plain text, with the keyboard kb (nil for none), once the global limiter,
// any 429 pause, the chat's limiter and the in-flight bound allow: taking the slots right
// before the call keeps the sends on the wire as evenly spaced as the limiters' slots.
func (s *Sender) send(ctx context.Context, o outgoing, text string, kb *models.InlineKeyboardMarkup, asHTML bool) (res sendResult, err error) {
	res.release = func() {}
	finish, err := s.waitTurn(ctx)
	if err != nil {
		return res, err
	}
	if wait := s.limits.takeChat(o.chat, time.Now()); wait > 0 {
		if err := sleepCtx(ctx, wait); err != nil {
			finish(0)
			return res, err
		}
	}
	release, err := s.flight.acquire(ctx)
	if err != nil {
		finish(0)
		return res, err
	}
	res.release = release
	p := MessageParams(o.chatID, o.threadID, text, kb)
	if !asHTML {
		p.ParseMode = ""
	}
	p.AllowPaidBroadcast = s.opts.PaidBroadcast
	// A send under way is finished, not abandoned, when ctx ends: Telegram may already have
	// accepted it, and only its answer lets the rows leave the queue.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
	defer cancel()
	start := time.Now()
	defer func() {
		res.trip = time.Since(start)
		finish(res.trip)
	}()
	if o.edit != 0 {
		e := &tgbot.EditMessageTextParams{ChatID: p.ChatID, MessageID: o.edit, Text: p.Text, ParseMode: p.ParseMode,
			LinkPreviewOptions: p.LinkPreviewOptions}
		if kb != nil {
			e.ReplyMarkup = kb
		}
		_, err = s.tg.EditMessageText(ctx, e)
		res.msgID = o.edit
		return res, err
	}
	m, err := s.tg.SendMessage(ctx, p)
	if err != nil {
		return res, err
	}
	res.msgID = m.ID
	return res, nil
}

// waitTurn returns when the pacer grants a send, no 429 pause is in force and the sends
// Telegram may count in the last second leave room (see sendWindow). finish, to call with
// the send's round trip once it is answered, ends the send's place in the window.
func (s *Sender) waitTurn(ctx context.Context) (finish func(trip time.Duration), err error) {
	if s.limits.global.Limit() == rate.Inf {
		return func(time.Duration) {}, s.waitPause(ctx)
	}
	select {
	case <-s.slots:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := s.waitPause(ctx); err != nil {
		return nil, err
	}
	return s.limits.window.take(ctx)
}

// pace hands out the global limiter's slots, one at a time, to senders ready to use them,
// until ctx ends. Taking the slots in one goroutine, only when someone takes them, means a
// stall (a slow machine, a pause) is followed by no more than the limiter's small burst.
func (s *Sender) pace(ctx context.Context) {
	if s.limits.global.Limit() == rate.Inf {
		return
	}
	for {
		if err := s.limits.global.Wait(ctx); err != nil {
			return
		}
		if err := s.waitPause(ctx); err != nil {
			return
		}
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
	}
}

// MessageParams returns the parameters of one message in Telegram HTML to chatID (in forum
// topic threadID when not 0), with link previews off and the keyboard kb (nil for none).
func MessageParams(chatID int64, threadID int, text string, kb *models.InlineKeyboardMarkup) *tgbot.SendMessageParams {
	p := &tgbot.SendMessageParams{
		ChatID:             chatID,
		MessageThreadID:    threadID,
		Text:               text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
	}
	if kb != nil {
		p.ReplyMarkup = kb
	}
	return p
}

// notModified reports whether Telegram refused an edit that changes nothing.
func notModified(err error) bool {
	return errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(err.Error(), "message is not modified")
}

// cantParse reports whether Telegram refused a message's markup.
func cantParse(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "can't parse entities")
}

// excerpt is the start of a message, for a log line.
func excerpt(s string) string {
	const n = 300
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(c byte) bool { return c&0xC0 != 0x80 }

// retryDelay is the wait before the next attempt after attempts failures: exponential from
// 2s, capped at 10 minutes, with ±20% jitter.
func retryDelay(attempts int) time.Duration {
	d := 2 * time.Second << min(attempts, 9)
	d = min(d, 10*time.Minute)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}
