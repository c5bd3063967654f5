package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"livealert/bot"
	"livealert/bot/locale"
	"livealert/sources"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// tokenEnv is the environment variable that holds the bot token.
const tokenEnv = "LIVEALERT_TELEGRAM_TOKEN"

// program is livealert with its surroundings: the process's streams and environment, and the
// clock and digest tick that tests replace.
type program struct {
	stdin          io.Reader // nil reads as empty
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	digestTick     string        // cron spec; "" means every minute
	pollTimeout    time.Duration // getUpdates long polling; 0 means the bot's default
	// groupInterval is the least time between two messages to one group; 0 means the bot's
	// default (Telegram's 20 a minute), negative no limit (a fake Bot API that enforces none).
	groupInterval time.Duration
	// httpClient, if set, makes the requests of `source check` (tests route them to a test
	// server); nil fetches from the network.
	httpClient *http.Client
}

func newProgram() *program {
	return &program{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}
}

// run parses the command line and runs livealert until ctx ends.
func (p *program) run(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "source" {
		return p.sourceCommand(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "healthcheck" {
		return p.healthcheckCommand(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "db" {
		return p.dbCommand(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "console" {
		return p.consoleCommand(ctx, args[1:])
	}
	fs := flag.NewFlagSet("livealert", flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	configPath := fs.String("config", "config.yaml", "the YAML configuration `file`")
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: livealert [-config FILE]\n       livealert console [-config FILE] [-replay FILE|URL] [-speed N] [-db FILE]\n       livealert source check URL|FILE [-format F]\n       livealert source export [-config FILE]\n       livealert source import FILE.opml\n       livealert db copy -from FILE.db [-to postgres://…|FILE.db]\n       livealert healthcheck [-config FILE]\n       livealert -version\n\n"+
			"Runs the bot. The token comes from $%s or telegram.token_file.\n\n", tokenEnv)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &usageError{msg: err.Error()}
	}
	if *showVersion {
		fmt.Fprintln(p.stdout, "livealert", buildVersion())
		return nil
	}
	if fs.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("unexpected argument %q (see livealert -h)", fs.Arg(0))}
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	token, err := p.token(cfg)
	if err != nil {
		return err
	}
	if err := p.checkWebhook(cfg, *configPath); err != nil {
		return err
	}
	logger := newLogger(p.stderr, cfg.Log)
	return p.serve(ctx, cfg, token, logger)
}

func newLogger(w io.Writer, c LogConfig) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level)) // Validate accepted it
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// serve opens the store and runs the bot until ctx ends.
func (p *program) serve(ctx context.Context, cfg Config, token string, logger *slog.Logger) error {
	store, err := p.openStore(ctx, cfg, p.now, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	var lead func(context.Context) (context.Context, error)
	if cfg.Storage.Shared {
		l := newLeadership(store, p.now, logger)
		lead = l.lead
		defer func() { // after the bot, before the store closes
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), leaseRenew)
			defer cancel()
			l.release(ctx)
		}()
	}
	_, storage, _ := p.storage(cfg) // openStore checked it
	srcs := make([]sources.Source, 0, len(cfg.Sources))
	for _, s := range cfg.Sources {
		srcs = append(srcs, s.source())
	}
	var listener net.Listener
	if addr := p.httpListen(cfg); addr != "" {
		if listener, err = net.Listen("tcp", addr); err != nil {
			return fmt.Errorf("http.listen: %w", err)
		}
		logger.Info("serving health and metrics", "address", listener.Addr().String())
	}
	logger.Info("livealert starting", "version", buildVersion(), "storage", storage, "shared", cfg.Storage.Shared, "sources", len(srcs), "topics", len(cfg.Topics))
	err = p.runBot(ctx, cfg, store, token, srcs, p.now, logger, serving{
		listener:      listener,
		webhookURL:    cfg.Telegram.Webhook.URL,
		webhookSecret: p.getenv(webhookSecretEnv),
		lead:          lead,
	})
	logger.Info("livealert stopped")
	return err
}

// openStore opens the store of cfg: its database, catalog and digest defaults, on the clock now.
func (p *program) openStore(ctx context.Context, cfg Config, now func() time.Time, logger *slog.Logger) (*subscriptions.Store, error) {
	zone, _ := subscriptions.ParseZone(cfg.Digest.TimeZone) // Validate accepted it
	topics := make([]match.Topic, 0, len(cfg.Topics))
	for _, t := range cfg.Topics {
		topics = append(topics, match.Topic{Name: t.Name, Description: t.Description, Keywords: t.Keywords, Exclude: t.Exclude, Names: t.Names})
	}
	opts, _, err := p.storage(cfg)
	if err != nil {
		return nil, err
	}
	opts.Topics, opts.DigestTime, opts.TimeZone, opts.Now, opts.Logger = topics, cfg.Digest.Time, zone, now, logger
	return subscriptions.Open(ctx, opts)
}

// serving is how a running livealert is reached besides long polling: the HTTP listener
// (health, metrics, and the webhook when its URL is set); and lead, when several instances
// share the database (bot.Options.Lead). The console has none.
type serving struct {
	listener                  net.Listener
	webhookURL, webhookSecret string
	lead                      func(context.Context) (context.Context, error)
}

// runBot runs the bot of cfg on store, watching srcs, with the clock now, until ctx ends.
func (p *program) runBot(ctx context.Context, cfg Config, store *subscriptions.Store, token string, srcs []sources.Source, now func() time.Time, logger *slog.Logger, srv serving) error {
	return bot.Run(ctx, bot.Options{
		Token:             token,
		APIURL:            cfg.Telegram.APIURL,
		Admins:            cfg.Telegram.Admins,
		Language:          locale.Lang(cfg.DefaultLanguage),
		Store:             store,
		Sources:           srcs,
		Fetcher:           sources.NewFetcher(sources.FetcherOptions{UserAgent: userAgent()}),
		Logger:            logger,
		Now:               now,
		DigestTick:        p.digestTick,
		PollTimeout:       p.pollTimeout,
		HTTP:              srv.listener,
		WebhookURL:        srv.webhookURL,
		WebhookSecret:     srv.webhookSecret,
		SourcesAlertAfter: time.Duration(cfg.SourcesAlertAfter),
		Access:            bot.AccessOptions{Private: cfg.Access.Mode == "allowlist", Users: cfg.Access.Users, Chats: cfg.Access.Chats},
		GroupInterval:     p.groupInterval,
		Rate:              cfg.Telegram.Rate,
		PaidBroadcast:     cfg.Telegram.PaidBroadcast,
		UserSources:       userSourceOptions(cfg.UserSources),
		Lead:              srv.lead,
	})
}

// userSourceOptions are the bot's options for users' sources. Their fetcher is guarded
// (sources.PublicOnly) unless allow_private; configured sources are the operator's own and
// are not: an operator may well watch a page on the local network.
func userSourceOptions(c UserSourcesConfig) bot.UserSourceOptions {
	fo := sources.FetcherOptions{UserAgent: userAgent(), CheckAddress: sources.PublicOnly}
	if c.AllowPrivate {
		fo.CheckAddress = nil
	}
	return bot.UserSourceOptions{
		Mode:         c.Mode,
		Fetcher:      sources.NewFetcher(fo),
		Limits:       subscriptions.SuggestLimits{Pending: c.PendingPerChat, Total: c.PerChat},
		PollInterval: time.Duration(c.PollInterval),
	}
}
