// Package bot is livealert's Telegram side and its daemon loops: commands and keyboards,
// the digest tick, and the pipeline that hands what the watcher finds to the store; it wires
// the sender (bot/deliver) that drains the outbox and sends the replies. With its
// subpackages it is the only importer of go-telegram/bot.
package bot

import (
	"context"
	"errors"
	"fmt"
	"livealert/bot/locale"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/sync/errgroup"

	"livealert/bot/deliver"
	"livealert/bot/render"
	"livealert/sources"
	"livealert/subscriptions"
)

// Options configure the bot.
type Options struct {
	// Token is the Bot API token. It never appears in a log line or an error.
	Token string
	// APIURL is the Bot API server: Telegram's own or a self-hosted one.
	APIURL string
	// Admins are the Telegram user ids allowed the operator's commands.
	Admins []int64
	Store  *subscriptions.Store
	// Sources are watched with Fetcher; their names label alerts.
	Sources []sources.Source
	Fetcher *sources.Fetcher
	Logger  *slog.Logger
	// Now is the clock of digests and alerts; time.Now when nil.
	Now func() time.Time
	// DigestTick is the cron spec of the digest tick; every minute when "".
	DigestTick string
	// PollTimeout is getUpdates' long-polling timeout, and in webhook mode how often the bot
	// asks getWebhookInfo; 50s when zero.
	PollTimeout time.Duration
	// Rate caps messages per second over all chats: deliver.DefaultRate (25) when zero, no cap
	// when negative.
	Rate float64
	// PaidBroadcast sends alerts with allow_paid_broadcast, for which Telegram accepts up to
	// 1000 messages a second (and charges Stars).
	PaidBroadcast bool
	// PrivateInterval is the least time between two alerts to one private chat (1s when zero),
	// GroupInterval to one group or channel (3.1s when zero: 20 a minute with a margin for
	// jitter); no limit when negative.
	PrivateInterval, GroupInterval time.Duration
	// Language is the language of chats that have none of their own and of users whose
	// language_code the bot does not write (see bot/locale); English when "".
	Language locale.Lang
	// Senders bounds the messages in flight at once (DefaultSenders, or DefaultPaidSenders
	// with PaidBroadcast, when zero); within it, the sends in flight follow what the rate
	// needs at the measured round trip. A crash duplicates at most the sends in flight.
	Senders int
	// SourcesAlertAfter is how long a source fails before the operators are told;
	// DefaultSourcesAlertAfter when zero.
	SourcesAlertAfter time.Duration
	// Access makes the bot private (an allowlist); open to everyone when zero.
	Access AccessOptions
	// HTTP, when set, is where the bot serves /healthz, /readyz and /metrics until it stops;
	// the bot closes it.
	HTTP net.Listener
	// WebhookURL, when set, is the public URL Telegram delivers updates to instead of long
	// polling (setWebhook); the bot serves its path on HTTP, which must be set (a reverse
	// proxy may stand between). When "", the bot long-polls and deletes any webhook.
	WebhookURL string
	// WebhookSecret is the secret_token Telegram sends with every delivery (1-256 of
	// A-Z a-z 0-9 _ -); a random one at each start when "". It never appears in a log line.
	WebhookSecret string
	// Lead, when set, makes this one of several instances on one database, of which one, the
	// leader, runs the bot (see runLed). Lead returns once this instance leads, with a
	// context that ends, with its cause, when it stops leading.
	Lead func(ctx context.Context) (context.Context, error)

	// UserSources says whether and how users suggest sources (/source add); off when its
	// Mode is "".
	UserSources UserSourceOptions

	// unpacedReplies leaves the chats' limiters out of replies (deliver.Options.UnpacedReplies):
	// for tests against a fake that does not enforce Telegram's limits.
	unpacedReplies bool
}

// Modes of UserSourceOptions.
const (
	UserSourcesOff      = "off"      // users may not suggest sources
	UserSourcesApproval = "approval" // each suggestion waits for an operator's approval
	UserSourcesOpen     = "open"     // a suggestion that checks out is watched at once
)

// UserSourceOptions are how users suggest sources.
type UserSourceOptions struct {
	// Mode is UserSourcesOff ("" too), UserSourcesApproval or UserSourcesOpen.
	Mode string
	// Fetcher checks and polls suggested sources. nil means a fetcher guarded by
	// sources.PublicOnly; give an unguarded one only to allow private addresses.
	Fetcher *sources.Fetcher
	// Limits bound each chat's suggestions.
	Limits subscriptions.SuggestLimits
	// PollInterval is how often a suggested source is polled (2m when zero).
	PollInterval time.Duration
	// CheckTimeout bounds the check of a suggestion (20s when zero).
	CheckTimeout time.Duration
}

// DefaultSenders and DefaultPaidSenders (with PaidBroadcast) bound the sends in flight
// unless Options.Senders says otherwise: the most messages a crash can duplicate.
const (
	DefaultSenders     = deliver.DefaultSenders
	DefaultPaidSenders = deliver.DefaultPaidSenders
)

// Bot is a running livealert bot.
type Bot struct {
	opts     Options
	tg       *tgbot.Bot
	store    *subscriptions.Store
	log      *slog.Logger
	me       *models.User
	admins   map[int64]bool
	secrets  redactor // masks the token in what is logged
	access   accessList
	started  time.Time // when the bot was made, on its clock
	metrics  *telemetry
	telegram *answered // when the Bot API server last answered
	sender   *deliver.Sender
	cmds     *commandSet
	buttons  []buttonSpec

	chatAdmins adminCache // who administers which group or channel (admin_cache.go)
	budget     *commandBudget
	updates    *dispatcher
	webhook    *webhookConfig // nil when long polling

	watcher *sources.Watcher
	srcs    atomic.Pointer[sourceSet] // the sources watched now (source_set.go)
	srcMu   sync.Mutex                // orders changes of srcs and of the watcher's sources
	imports pendingImports            // imports waiting for their Confirm button (import.go)
}

// Run connects to the Bot API and runs the bot until ctx ends: it answers commands, watches
// the sources, sends alerts and digests. It returns nil when ctx ended, or the first error
// that stopped it.
func Run(ctx context.Context, opts Options) error {
	if opts.Lead != nil {
		return runLed(ctx, opts)
	}
	b, err := newBot(opts)
	if err != nil {
		return err
	}
	return b.run(ctx)
}

// run runs the bot's loops until ctx ends; see Run. Sources are watched and digests composed
// from the start, whether or not Telegram is reachable yet: what they queue waits in the
// outbox. Commands and sending start once connect has succeeded.
func (b *Bot) run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	if b.opts.HTTP != nil && b.opts.Lead == nil { // a led bot's HTTP is served from the start: see runLed
		g.Go(func() error { return serveHTTP(ctx, b.opts.HTTP, b.handler(ctx)) })
	}
	g.Go(func() error { return b.watcher.Run(ctx, b.ingest) })
	g.Go(func() error { return b.runDigests(ctx) })
	g.Go(func() error {
		if err := b.connect(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		g.Go(func() error { return b.sender.Run(ctx) })
		if b.webhook != nil {
			b.webhook.online.Store(true) // serveHTTP hands deliveries to the dispatcher
			b.watchWebhook(ctx)
		} else {
			b.tg.Start(ctx)
		}
		b.updates.wait()
		b.sender.WaitReplies()
		return nil
	})
	return g.Wait()
}

func newBot(opts Options) (*Bot, error) {
	if opts.Store == nil {
		return nil, errors.New("bot: no store")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.PollTimeout == 0 {
		opts.PollTimeout = 50 * time.Second
	}
	if opts.Senders <= 0 {
		opts.Senders = deliver.MaxSenders(opts.PaidBroadcast)
	}
	if opts.SourcesAlertAfter == 0 {
		opts.SourcesAlertAfter = DefaultSourcesAlertAfter
	}
	if opts.DigestTick == "" {
		opts.DigestTick = "* * * * *"
	}
	if _, ok := locale.Parse(string(opts.Language)); !ok {
		opts.Language = locale.English
	}
	if opts.APIURL == "" {
		opts.APIURL = "https://api.telegram.org"
	}
	if opts.UserSources.Mode == "" {
		opts.UserSources.Mode = UserSourcesOff
	}
	if opts.UserSources.Fetcher == nil {
		opts.UserSources.Fetcher = sources.NewFetcher(sources.FetcherOptions{CheckAddress: sources.PublicOnly})
	}
	if opts.UserSources.PollInterval <= 0 {
		opts.UserSources.PollInterval = defaultUserPollInterval
	}
	if opts.UserSources.CheckTimeout <= 0 {
		opts.UserSources.CheckTimeout = defaultCheckTimeout
	}
	b := &Bot{
		opts:    opts,
		store:   opts.Store,
		log:     opts.Logger,
		admins:  map[int64]bool{},
		secrets: newRedactor(opts.Token),
		access:  newAccessList(opts.Access),
		started: opts.Now(),
		metrics: newTelemetry(opts.Store, opts.Now),
		cmds:    newCommandSet(),
		buttons: buttonTable(),
	}
	b.srcs.Store(newSourceSet(opts.Sources, nil))
	b.watcher = sources.NewWatcher(sources.WatcherOptions{
		Sources: opts.Sources,
		Fetcher: opts.Fetcher,
		State:   opts.Store,
		Logger:  b.log,
		Now:     opts.Now,
		Observe: b.metrics.observePoll,
	})
	if err := b.loadUserSources(context.Background()); err != nil {
		return nil, err
	}
	for _, id := range opts.Admins {
		b.admins[id] = true
	}
	if opts.WebhookURL != "" {
		wh, err := newWebhookConfig(opts.WebhookURL, opts.WebhookSecret)
		if err != nil {
			return nil, err
		}
		if opts.HTTP == nil {
			return nil, errors.New("bot: a webhook needs an HTTP listener (Options.HTTP)")
		}
		b.webhook = wh
		b.secrets = newRedactor(opts.Token, wh.secret)
	}
	b.budget = newCommandBudget(opts.Now)
	b.updates = newDispatcher(b.log, b.handleBudgeted, func(ctx context.Context, id int64) error {
		return deliver.SaveUpdateOffset(ctx, b.store, id)
	})
	b.telegram = &answered{next: transport(opts), now: opts.Now}
	offset, err := deliver.UpdateOffset(context.Background(), opts.Store)
	if err != nil {
		return nil, err
	}
	b.updates.resume(offset)
	tg, err := tgbot.New(opts.Token,
		tgbot.WithServerURL(strings.TrimRight(opts.APIURL, "/")),
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(opts.PollTimeout, &http.Client{Timeout: opts.PollTimeout + 15*time.Second, Transport: wholeBodies{next: b.telegram}}),
		// One worker calling the default handler inline: updates reach the dispatcher by
		// increasing id, which its offset rule needs.
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithInitialOffset(offset),
		tgbot.WithAllowedUpdates(tgbot.AllowedUpdates(allowedUpdates)),
		tgbot.WithDefaultHandler(func(ctx context.Context, _ *tgbot.Bot, u *models.Update) { b.updates.take(ctx, u) }),
		tgbot.WithErrorsHandler(func(err error) {
			b.log.Warn("telegram client error", "error", b.redact(err))
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("bot: %s", b.redact(err))
	}
	b.tg = tg
	b.sender = deliver.New(deliver.Options{
		Client:          tg,
		Store:           opts.Store,
		Logger:          b.log,
		Now:             opts.Now,
		Rate:            opts.Rate,
		PaidBroadcast:   opts.PaidBroadcast,
		PrivateInterval: opts.PrivateInterval,
		GroupInterval:   opts.GroupInterval,
		Senders:         opts.Senders,
		Render: func(ds []subscriptions.Delivery) (string, int) {
			return renderAlerts(b.localDeliveries(ds), b.renderSources(), opts.Now())
		},
		RenderAlso: func(text string, d subscriptions.Delivery) (string, bool) {
			d = b.localDeliveries([]subscriptions.Delivery{d})[0]
			return render.WithAlso(text, d, b.renderSources()[d.Entry.Source])
		},
		Keyboard:       b.alertKeyboard,
		Redact:         b.redact,
		Observe:        b.metrics.observe,
		UnpacedReplies: opts.unpacedReplies,
	})
	b.metrics.watchSender(b.sender)
	return b, nil
}

// allowedUpdates are the kinds of update the bot asks Telegram for.
var allowedUpdates = []string{
	models.AllowedUpdateMessage, models.AllowedUpdateChannelPost,
	models.AllowedUpdateCallbackQuery, models.AllowedUpdateMyChatMember,
}

// connect asks Telegram who the bot is, retrying while Telegram is unreachable, then
// registers the command menu and sets the webhook, or removes any webhook so that long
// polling works. A token Telegram rejects, or a webhook it refuses, is an error at once.
func (b *Bot) connect(ctx context.Context) error {
	delay := time.Second
	for {
		me, err := b.tg.GetMe(ctx)
		if err == nil {
			b.me = me
			break
		}
		if errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) {
			return fmt.Errorf("bot: telegram rejected the bot token (check LIVEALERT_TELEGRAM_TOKEN): %s", b.redact(err))
		}
		b.log.Warn("telegram unreachable, retrying", "error", b.redact(err), "retry_in", delay)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, time.Minute)
	}
	b.log.Info("connected to telegram", "bot_username", b.me.Username, "bot_id", b.me.ID)
	if b.webhook != nil {
		if err := b.setWebhook(ctx); err != nil {
			return err
		}
	} else if _, err := b.tg.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
		b.log.Warn("delete webhook failed", "error", b.redact(err))
	}
	b.setMenus(ctx)
	return nil
}

// redact returns err's message as it may be logged: the bot token masked in every form, and
// cut to a length a log line can hold.
func (b *Bot) redact(err error) string { return b.secrets.redact(err) }

// ingest is the watcher's handler: it records a poll's entries and queues their alerts.
func (b *Bot) ingest(ctx context.Context, src sources.Source, entries []sources.Entry) error {
	res, err := b.store.Ingest(ctx, src.Name, entries, subscriptions.IngestOptions{AlertOnEdit: src.AlertOnEdit})
	if err != nil {
		return err
	}
	b.metrics.entries.WithLabelValues(src.Name).Add(float64(res.New))
	if res.New > 0 || res.Edited > 0 {
		b.log.Info("entries recorded", "source", src.Name, "new", res.New, "edited", res.Edited, "alerts_queued", res.Queued, "first_poll", res.Primed)
	}
	if res.Queued > 0 {
		b.sender.Wake()
	}
	return nil
}

// transport keeps a connection open per sender, and one for long polling, so that sends do
// not open a connection each.
func transport(opts Options) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = opts.Senders + 2
	return t
}
