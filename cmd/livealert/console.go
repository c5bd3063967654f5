package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
	"livealert/bot/locale"
	"livealert/sources"
	"livealert/subscriptions"
)

// exampleConfig is config.example.yaml (kept equal to it by a test): the console's catalog
// when there is no configuration.
//
//go:embed console/config.example.yaml
var exampleConfig []byte

// demoLiveBlog is the console's built-in demo: a fictional day of a live blog.
//
//go:embed console/demo-liveblog.txt
var demoLiveBlog []byte

// demoSpeed replays the demo's half-hourly updates three seconds apart.
const demoSpeed = 600

// consoleSynopsis is the first line of the console's usage; the rest is the message
// console_usage in the console's language.
const consoleSynopsis = "usage: livealert console [-config FILE] [-replay FILE|URL] [-speed N] [-db FILE] [-lang en|uk|ru] [-v]\n\n"

// consoleUser is the person at the console; its language_code is the console's language.
func consoleUser(lang locale.Lang) fakebotapi.User {
	return fakebotapi.User{ID: 1001, FirstName: "You", Username: "you", LanguageCode: string(lang)}
}

// consoleGroupOwner adds the bot to the group where the person is only a member; it speaks
// the console's language, which the group then takes.
func consoleGroupOwner(lang locale.Lang) fakebotapi.User {
	return fakebotapi.User{ID: 1002, FirstName: "Alex", Username: "alex_admin", LanguageCode: string(lang)}
}

// The simulated groups, titled in the console's language: in the first the person is an
// administrator, in the second a member.
func consoleAdminGroup(l *locale.Locale) fakebotapi.Chat {
	return fakebotapi.Chat{ID: -1001000000001, Type: "supergroup", Title: l.T("console_admin_group")}
}

func consoleMemberGroup(l *locale.Locale) fakebotapi.Chat {
	return fakebotapi.Chat{ID: -1001000000002, Type: "supergroup", Title: l.T("console_member_group")}
}

// consoleOptions are the console's command line.
type consoleOptions struct {
	config, replay, db, lang string
	speed                    float64
	verbose                  bool
	l                        *locale.Locale // the console's language, from lang or the environment
}

// consoleLanguage is the console's language: flagLang (-lang) when given, else that of the
// first of $LC_ALL, $LC_MESSAGES and $LANG that is set ("uk_UA.UTF-8" is uk), else English.
// A set locale the bot does not write in ("de_DE.UTF-8", "C") is English; a -lang it does
// not write in is a usage error.
func consoleLanguage(flagLang string, getenv func(string) string) (locale.Lang, error) {
	if flagLang != "" {
		if lang, ok := locale.Parse(flagLang); ok {
			return lang, nil
		}
		return "", &usageError{msg: fmt.Sprintf("console: -lang %q: want en, uk or ru", flagLang)}
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		v, _, _ = strings.Cut(v, ".")
		v, _, _ = strings.Cut(v, "@")
		if lang, ok := locale.Parse(v); ok {
			return lang, nil
		}
		break
	}
	return locale.English, nil
}

// consoleCommand runs `livealert console`.
func (p *program) consoleCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("livealert console", flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	var o consoleOptions
	fs.StringVar(&o.config, "config", "", "")
	fs.StringVar(&o.replay, "replay", "", "")
	fs.Float64Var(&o.speed, "speed", 0, "")
	fs.StringVar(&o.db, "db", "", "")
	fs.StringVar(&o.lang, "lang", "", "")
	fs.BoolVar(&o.verbose, "v", false, "")
	// The usage is in the console's language as known when it is asked for: -lang when it
	// came before -h, else the environment's.
	fs.Usage = func() {
		lang, err := consoleLanguage(o.lang, p.getenv)
		if err != nil {
			lang = locale.English
		}
		l := locale.For(lang)
		fs.VisitAll(func(f *flag.Flag) { f.Usage = l.T("console_flag_" + f.Name) })
		fmt.Fprint(fs.Output(), consoleSynopsis+l.T("console_usage"))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &usageError{msg: err.Error()}
	}
	lang, err := consoleLanguage(o.lang, p.getenv)
	if err != nil {
		return err
	}
	o.l = locale.For(lang)
	if fs.NArg() > 0 {
		return &usageError{msg: o.l.T("console_unexpected_arg", "Arg", fmt.Sprintf("%q", fs.Arg(0)))}
	}
	if o.speed < 0 {
		return &usageError{msg: o.l.T("console_bad_speed")}
	}
	return p.console(ctx, o)
}

// consoleConfig is the console's configuration: the file named, else config.yaml when
// present, else config.example.yaml as embedded. It reports whether a file was read.
func consoleConfig(path string) (Config, bool, error) {
	if path == "" {
		if _, err := os.Stat("config.yaml"); err != nil {
			cfg, problems := decodeConfig(exampleConfig)
			problems = append(problems, cfg.Validate()...)
			if len(problems) > 0 {
				return Config{}, false, &ConfigError{File: "config.example.yaml (built in)", Problems: problems}
			}
			return cfg, false, nil
		}
		path = "config.yaml"
	}
	cfg, err := loadConfig(path)
	return cfg, true, err
}

// console runs the console until the person quits, or, piped, until the replay is over.
func (p *program) console(ctx context.Context, o consoleOptions) error {
	cfg, fromFile, err := consoleConfig(o.config)
	if err != nil {
		return err
	}
	logger := slog.New(slog.DiscardHandler)
	if o.verbose {
		logger = newLogger(p.stderr, cfg.Log)
	}

	// What to replay: -replay, else the demo unless a configuration names real sources.
	var rp *replay
	var srcs []sources.Source
	clock := &consoleClock{base: p.now}
	switch {
	case o.replay != "":
		src := sources.Source{Name: replayName(o.replay), Format: sources.FormatAuto}
		entries, err := parseReplay(ctx, src, o.replay, nil)
		if err != nil {
			return err
		}
		rp = newReplay(entries, o.speed, p.now)
	case !fromFile:
		src := sources.Source{Name: o.l.T("console_demo_source"), Format: sources.FormatLiveBlog}
		entries, err := parseReplay(ctx, src, "demo-liveblog.txt", demoLiveBlog)
		if err != nil {
			return err
		}
		speed := o.speed
		if speed == 0 {
			speed = demoSpeed
		}
		rp = newReplay(entries, speed, p.now)
	default:
		for _, s := range cfg.Sources {
			srcs = append(srcs, s.source())
		}
	}
	if rp != nil {
		defer rp.Close()
		name := o.l.T("console_demo_source")
		if o.replay != "" {
			name = replayName(o.replay)
		}
		srcs = []sources.Source{{Name: name, URL: rp.URL(), Format: sources.FormatFeed, PollInterval: 200 * time.Millisecond}}
	}

	api := fakebotapi.New(fakebotapi.Options{BotUsername: "livealert_bot", BotName: "livealert"})
	defer api.Close()
	cfg.Telegram.APIURL = api.URL()
	cfg.Storage.Driver, cfg.Storage.Path = subscriptions.DriverSQLite, o.db // a dry run: never the configured database
	if o.db == "" {
		dir, err := os.MkdirTemp("", "livealert-console-")
		if err != nil {
			return fmt.Errorf("console: %w", err)
		}
		defer os.RemoveAll(dir)
		cfg.Storage.Path = filepath.Join(dir, "livealert.db")
	}
	store, err := p.openStore(ctx, cfg, clock.Now, logger)
	if err != nil {
		return err
	}
	defer store.Close()

	q := *p
	if q.digestTick == "" {
		q.digestTick = "@every 1s" // a digest falls due within a second of its time
	}
	if q.pollTimeout == 0 {
		q.pollTimeout = 10 * time.Second
	}
	botCtx, stopBot := context.WithCancel(ctx)
	botStopped := make(chan struct{})
	var botErr error
	go func() {
		defer close(botStopped)
		botErr = q.runBot(botCtx, cfg, store, api.Token(), srcs, clock.Now, logger, serving{})
	}()

	user := consoleUser(o.l.Lang())
	c := &consoleSession{api: api, store: store, clock: clock, replay: rp, l: o.l, user: user, chat: fakebotapi.PrivateChat(user),
		owner: consoleGroupOwner(o.l.Lang()), adminGroup: consoleAdminGroup(o.l), memberGroup: consoleMemberGroup(o.l),
		seen: map[consoleMsgKey]int{}, answered: map[string]bool{}}
	c.chats = []fakebotapi.Chat{c.chat}
	if rp != nil {
		replayURL := rp.srv.URL
		c.style.hideLink = func(u string) bool { return strings.HasPrefix(u, replayURL) }
	}
	var sessionErr error
	if in, ok := terminalOf(p.stdin, p.stdout); ok {
		sessionErr = c.runTerminal(ctx, in, p.stdout, botStopped, consoleIntro(o, cfg, rp, srcs))
	} else {
		c.out = p.stdout
		sessionErr = c.runPiped(ctx, p.stdin, botStopped)
	}
	stopBot()
	<-botStopped
	if sessionErr != nil {
		return sessionErr
	}
	return botErr
}

// consoleIntro is what the terminal shows first, in the console's language: what runs, and
// what to try.
func consoleIntro(o consoleOptions, cfg Config, rp *replay, srcs []sources.Source) []string {
	l := o.l
	lines := []string{l.T("console_title")}
	switch {
	case rp != nil && o.replay == "":
		lines = append(lines, l.N("console_replaying_demo", len(rp.entries)))
	case rp != nil:
		lines = append(lines, l.N("console_replaying", len(rp.entries), "Target", o.replay, "Speed", fmt.Sprintf("%.0f", rp.speed)))
	default:
		lines = append(lines, l.N("console_polling", len(srcs)))
	}
	lines = append(lines, l.T("console_try"), l.T("console_try_groups"), "")
	return lines
}

// replayName names a replayed page in alerts: its file name, or its URL's host.
func replayName(target string) string {
	if u, err := url.Parse(target); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		return u.Host
	}
	return strings.TrimSuffix(filepath.Base(target), filepath.Ext(target))
}

// consoleClock is the bot's clock in the console: the program's clock moved forward by what
// the console skipped to bring a digest on.
type consoleClock struct {
	base   func() time.Time
	mu     sync.Mutex
	offset time.Duration
}

func (c *consoleClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base().Add(c.offset)
}

// advanceTo moves the clock forward to t, never back.
func (c *consoleClock) advanceTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := t.Sub(c.base().Add(c.offset)); d > 0 {
		c.offset += d
	}
}

// consoleMsgKey identifies a message of the bot.
type consoleMsgKey struct {
	chatID int64
	id     int
}

// consoleSession is the conversation between the person and the bot.
type consoleSession struct {
	api    *fakebotapi.Server
	store  *subscriptions.Store
	clock  *consoleClock
	replay *replay        // nil when real sources are polled
	l      *locale.Locale // the language of the console's own lines
	user   fakebotapi.User
	style  textStyle

	// The simulated groups, and the owner who adds the bot to the one the person is only a
	// member of.
	adminGroup, memberGroup fakebotapi.Chat
	owner                   fakebotapi.User

	mu       sync.Mutex // guards what follows and serialises writes to out
	out      io.Writer
	chat     fakebotapi.Chat   // where what the person types goes
	chats    []fakebotapi.Chat // every chat the person has been in, the private one first
	seen     map[consoleMsgKey]int
	buttons  []buttonRef // button n is buttons[n-1]
	answered map[string]bool
}

// errQuit ends a session at the person's request.
var errQuit = errors.New("console: quit")

// runPiped sends the lines of in, each after the reply to the one before, then runs the
// replay to its end and the digest after it, printing every message as plain text.
func (c *consoleSession) runPiped(ctx context.Context, in io.Reader, botStopped <-chan struct{}) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	printed := make(chan struct{})
	go func() {
		defer close(printed)
		c.watch(ctx)
	}()
	defer func() { cancel(); <-printed }()
	if in != nil {
		for line := range lines(in) {
			if err := c.input(ctx, line, true); err != nil {
				if errors.Is(err, errQuit) {
					return nil
				}
				return err
			}
		}
	}
	if c.replay == nil {
		// Real sources: run until interrupted.
		select {
		case <-ctx.Done():
		case <-botStopped:
		}
		return nil
	}
	if err := c.finishReplay(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	c.flush()
	return nil
}

// lines yields the lines of r, without their line ends.
func lines(r io.Reader) func(func(string) bool) {
	return func(yield func(string) bool) {
		buf := make([]byte, 0, 4096)
		tmp := make([]byte, 4096)
		for {
			n, err := r.Read(tmp)
			buf = append(buf, tmp[:n]...)
			for {
				i := strings.IndexByte(string(buf), '\n')
				if i < 0 {
					break
				}
				line := strings.TrimRight(string(buf[:i]), "\r")
				buf = buf[i+1:]
				if !yield(line) {
					return
				}
			}
			if err != nil {
				if len(buf) > 0 {
					yield(strings.TrimRight(string(buf), "\r"))
				}
				return
			}
		}
	}
}

// finishReplay starts the replay, waits until it is over and its alerts are sent, then
// brings on each chat's digest by moving the bot's clock to it, and waits until it is sent.
func (c *consoleSession) finishReplay(ctx context.Context) error {
	c.replay.start()
	if err := c.replay.waitOver(ctx); err != nil {
		return err
	}
	if err := c.waitSent(ctx); err != nil {
		return err
	}
	c.mu.Lock()
	chats := append([]fakebotapi.Chat(nil), c.chats...)
	c.mu.Unlock()
	for _, ch := range chats {
		chat, err := c.store.Chat(ctx, ch.ID)
		if errors.Is(err, subscriptions.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if !chat.Active || chat.NextDigest.IsZero() {
			continue
		}
		c.clock.advanceTo(chat.NextDigest)
		err = c.poll(ctx, func() (bool, error) {
			now, err := c.store.Chat(ctx, ch.ID)
			return now.NextDigest.After(chat.NextDigest), err
		})
		if err != nil {
			return err
		}
		if err := c.waitSent(ctx); err != nil {
			return err
		}
	}
	return nil
}

// waitSent blocks until the outbox holds nothing due: every alert and digest queued so far
// has been sent (a message leaves the outbox only once Telegram accepted it).
func (c *consoleSession) waitSent(ctx context.Context) error {
	return c.poll(ctx, func() (bool, error) {
		due, ok, err := c.store.NextDue(ctx)
		return !ok || due.After(c.clock.Now()), err
	})
}

// poll checks cond every 20ms until it holds, fails, or ctx ends. The store has no change
// notifications; the fake Bot API's come before the store records a send.
func (c *consoleSession) poll(ctx context.Context, cond func() (bool, error)) error {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		ok, err := cond()
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// watch prints every message of the bot as it comes or is edited, until ctx ends.
func (c *consoleSession) watch(ctx context.Context) {
	// WaitFor evaluates its condition after every change of the fake's state.
	_ = c.api.WaitFor(ctx, func() bool {
		c.flush()
		return false
	})
}

// flush prints the bot's messages not printed yet, and the edited ones again.
func (c *consoleSession) flush() {
	msgs := c.api.AllMessages()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range msgs {
		key := consoleMsgKey{m.ChatID, m.ID}
		edits, ok := c.seen[key]
		if ok && m.Edits <= edits {
			continue
		}
		c.seen[key] = m.Edits
		c.printMessageLocked(m, ok)
	}
}

// printMessageLocked writes one message: a header when it is edited or in another chat than
// the private one, its text, its keyboard. c.mu must be held.
func (c *consoleSession) printMessageLocked(m fakebotapi.Message, edited bool) {
	var b strings.Builder
	var head []string
	if m.ChatID != c.user.ID {
		head = append(head, c.chatTitle(m.ChatID))
	}
	if edited {
		head = append(head, c.l.T("console_edited"))
	}
	if c.style.ansi {
		when := c.clock.Now()
		if chat, err := c.store.Chat(context.Background(), m.ChatID); err == nil && chat.TimeZone != nil {
			when = when.In(chat.TimeZone)
		}
		head = append([]string{"livealert", when.Format("15:04")}, head...)
		b.WriteString("\x1b[2m── " + strings.Join(head, " · ") + "\x1b[0m\n")
	} else if len(head) > 0 {
		b.WriteString("(" + strings.Join(head, ", ") + ")\n")
	}
	b.WriteString(c.style.entityText(m.PlainText, m.Entities))
	b.WriteString("\n")
	kbLines, refs := c.style.keyboardLines(m.ReplyMarkup, m.ChatID, m.ID, len(c.buttons)+1)
	c.buttons = append(c.buttons, refs...)
	for _, l := range kbLines {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n")
	_, _ = io.WriteString(c.out, b.String())
}

// chatTitle names a chat for headers.
func (c *consoleSession) chatTitle(id int64) string {
	for _, ch := range []fakebotapi.Chat{c.adminGroup, c.memberGroup} {
		if ch.ID == id {
			return ch.Title
		}
	}
	return c.l.T("console_chat", "ID", id)
}

// say writes a line of the console's own (not the bot's), as given: callers translate it.
func (c *consoleSession) say(line string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.style.ansi {
		line = "\x1b[2m" + line + "\x1b[0m"
	}
	_, _ = io.WriteString(c.out, line+"\n")
}

// input acts on one line the person typed: a console command (":group"), a button's number,
// or a message to the bot. It returns once the bot has answered (or 10s passed); with echo,
// it first writes the line as typed.
func (c *consoleSession) input(ctx context.Context, line string, echo bool) error {
	line = strings.TrimSpace(line)
	if line == "" {
		return nil
	}
	if echo {
		c.mu.Lock()
		_, _ = io.WriteString(c.out, "> "+line+"\n\n")
		c.mu.Unlock()
	}
	switch line {
	case ":quit", ":q", ":exit":
		return errQuit
	case ":group":
		c.enter(c.adminGroup, models.ChatMemberTypeAdministrator)
		return c.awaitReply(ctx, c.adminGroup.ID, "")
	case ":member":
		c.enter(c.memberGroup, models.ChatMemberTypeMember)
		return c.awaitReply(ctx, c.memberGroup.ID, "")
	case ":private":
		c.mu.Lock()
		c.chat = fakebotapi.PrivateChat(c.user)
		c.mu.Unlock()
		c.say(c.l.T("console_private"))
		return nil
	case ":help":
		c.say(c.l.T("console_help"))
		return nil
	}
	if strings.HasPrefix(line, ":") {
		c.say(c.l.T("console_unknown", "Command", line))
		return nil
	}
	c.mu.Lock()
	chat := c.chat
	var btn *buttonRef
	if n, ok := buttonNumber(line); ok {
		if n > len(c.buttons) {
			c.mu.Unlock()
			c.say(c.l.T("console_no_button", "N", n))
			return nil
		}
		b := c.buttons[n-1]
		btn = &b
	}
	c.mu.Unlock()
	if btn != nil {
		pressAs := chat
		pressAs.ID = btn.chatID
		if btn.chatID == c.user.ID {
			pressAs = fakebotapi.PrivateChat(c.user)
		}
		id, err := c.api.PressButton(pressAs, c.user, btn.messageID, btn.data)
		if err != nil {
			c.say(c.l.T("console_button_gone"))
			return nil
		}
		return c.awaitReply(ctx, btn.chatID, id)
	}
	c.api.SendMessage(chat, c.user, line)
	return c.awaitReply(ctx, chat.ID, "")
}

// buttonNumber reads a line that is only a button's number.
func buttonNumber(s string) (int, bool) {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > 1e6 {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, n > 0
}

// enter moves the person into group ch, with the status given; the first time, the bot is
// added to it (by the person when they administer it, else by the group's owner).
func (c *consoleSession) enter(ch fakebotapi.Chat, status models.ChatMemberType) {
	c.mu.Lock()
	c.chat = ch
	known := false
	for _, k := range c.chats {
		known = known || k.ID == ch.ID
	}
	if !known {
		c.chats = append(c.chats, ch)
	}
	c.mu.Unlock()
	if known {
		c.say(c.l.T("console_in_group", "Title", ch.Title))
		return
	}
	if status == models.ChatMemberTypeAdministrator {
		c.say(c.l.T("console_joined_admin", "Title", ch.Title))
	} else {
		c.say(c.l.T("console_joined_member", "Title", ch.Title))
	}
	c.api.SetMemberStatus(ch.ID, c.user.ID, status)
	adder := c.user
	if status != models.ChatMemberTypeAdministrator {
		c.api.SetMemberStatus(ch.ID, c.owner.ID, models.ChatMemberTypeAdministrator)
		adder = c.owner
	}
	c.api.MyChatMember(ch, adder, models.ChatMemberTypeAdministrator)
}

// awaitReply blocks until the bot answered in chatID — a new message or an edit there, and
// for a button press (queryID not "") the press answered — or 10s passed, then until the
// answer is printed.
func (c *consoleSession) awaitReply(ctx context.Context, chatID int64, queryID string) error {
	before := c.chatState(chatID)
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := c.api.WaitFor(wait, func() bool {
		if queryID != "" && !c.api.Answered(queryID) {
			return false
		}
		return c.chatState(chatID) != before
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	_ = err // no answer in time: go on, as a person would
	c.flush()
	if queryID != "" {
		c.printAnswer(queryID)
	}
	return nil
}

// chatState sums up the bot's messages in chatID: how many, and how many edits.
func (c *consoleSession) chatState(chatID int64) [2]int {
	var s [2]int
	for _, m := range c.api.Messages(chatID) {
		s[0]++
		s[1] += m.Edits
	}
	return s
}

// printAnswer shows the text of the bot's answer to a button press, as Telegram shows it
// over the chat for a moment.
func (c *consoleSession) printAnswer(queryID string) {
	for _, a := range c.api.CallbackAnswers() {
		if a.QueryID == queryID && a.Text != "" {
			c.say("(" + a.Text + ")")
		}
	}
}
