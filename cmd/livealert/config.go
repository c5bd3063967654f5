package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"livealert/bot/locale"
	"livealert/sources"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// Config is the YAML configuration file.
type Config struct {
	Telegram TelegramConfig `yaml:"telegram"`
	Storage  StorageConfig  `yaml:"storage"`
	Sources  []SourceConfig `yaml:"sources"`
	Topics   []TopicConfig  `yaml:"topics"`
	Digest   DigestConfig   `yaml:"digest"`
	// DefaultLanguage is the language of chats whose users' language the bot does not write:
	// en, uk or ru.
	DefaultLanguage string       `yaml:"default_language"`
	Log             LogConfig    `yaml:"log"`
	HTTP            HTTPConfig   `yaml:"http"`
	Access          AccessConfig `yaml:"access"`
	// SourcesAlertAfter is how long a source fails before each operator is told.
	SourcesAlertAfter Duration `yaml:"sources_alert_after"`
	// UserSources says whether and how users may suggest sources (/source add). It is a key
	// of its own because sources: is the list of the operator's sources.
	UserSources UserSourcesConfig `yaml:"user_sources"`
}

// UserSourcesConfig is how users suggest sources: mode off (they may not), approval (an
// operator approves each) or open (added at once).
type UserSourcesConfig struct {
	Mode string `yaml:"mode"`
	// AllowPrivate lets suggested sources be fetched from loopback, private and link-local
	// addresses; by default the fetcher refuses them (sources.PublicOnly).
	AllowPrivate bool `yaml:"allow_private"`
	// PendingPerChat and PerChat bound a chat's pending suggestions and its pending and
	// approved ones together.
	PendingPerChat int `yaml:"pending_per_chat"`
	PerChat        int `yaml:"per_chat"`
	// PollInterval is how often a suggested source is polled.
	PollInterval Duration `yaml:"poll_interval"`
}

// AccessConfig says who may use the bot: everyone (mode open), or only the listed users and
// chats and those an operator allows with /allow (mode allowlist). Operators always may.
type AccessConfig struct {
	Mode  string  `yaml:"mode"`
	Users []int64 `yaml:"users"`
	Chats []int64 `yaml:"chats"`
}

// HTTPConfig is the listener for /healthz, /readyz and /metrics.
type HTTPConfig struct {
	// Listen is the address to listen on (":9090", "127.0.0.1:9090"); "" for no listener.
	// $LIVEALERT_HTTP_LISTEN overrides it.
	Listen string `yaml:"listen"`
}

// TelegramConfig says how to reach the Bot API. The token itself comes from the environment
// variable LIVEALERT_TELEGRAM_TOKEN or from TokenFile, never from the config file.
type TelegramConfig struct {
	TokenFile string  `yaml:"token_file"`
	APIURL    string  `yaml:"api_url"`
	Admins    []int64 `yaml:"admins"`
	// Rate is how many messages a second the bot sends over all chats: at most 30, Telegram's
	// free limit, or 1000 with PaidBroadcast (allow_paid_broadcast, billed in Stars).
	Rate          float64 `yaml:"rate"`
	PaidBroadcast bool    `yaml:"paid_broadcast"`
	// Webhook, when its URL is set, has Telegram deliver updates instead of long polling.
	Webhook WebhookConfig `yaml:"webhook"`
}

// StorageConfig says where state lives: an SQLite file (driver sqlite: Path) or a PostgreSQL
// database (driver postgres: DSN, which $LIVEALERT_DATABASE_URL overrides so that the
// password can stay out of the file).
type StorageConfig struct {
	Driver string `yaml:"driver"`
	Path   string `yaml:"path"`
	DSN    string `yaml:"dsn"`
	// Shared: several instances run on this database, one of them (the leader) runs the bot
	// and the others wait as standbys to take over (cmd/livealert/leader.go).
	Shared bool `yaml:"shared"`
}

// SourceConfig is one page or feed to watch.
type SourceConfig struct {
	Name         string   `yaml:"name"`
	URL          string   `yaml:"url"`
	Format       string   `yaml:"format"`
	PollInterval Duration `yaml:"poll_interval"`
	// How a page is read and followed: see config_sources.go.
	Selectors          *SelectorsConfig `yaml:"selectors"`
	Container          string           `yaml:"container"`
	SplitLiveBlogItems bool             `yaml:"split_liveblog_items"`
	AlertOnEdit        bool             `yaml:"alert_on_edit"`
	Follow             string           `yaml:"follow"`
}

// TopicConfig is one catalog topic.
type TopicConfig struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Keywords    []string `yaml:"keywords"`
	Exclude     []string `yaml:"exclude"`
	// Names are the topic's name in other languages, by language code: {uk: Дрони, ru: Дроны}.
	Names map[string]string `yaml:"names"`
}

// DigestConfig holds what new chats start with.
type DigestConfig struct {
	Time     string `yaml:"time"`
	TimeZone string `yaml:"time_zone"`
}

// LogConfig shapes the log.
type LogConfig struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// Duration is a time.Duration written the Go way in YAML ("90s", "1m", "1h30m").
type Duration time.Duration

// UnmarshalYAML reads a duration; a malformed one is reported, with its line, among the
// decoder's other type errors.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %q is not a duration like 90s, 1m or 1h30m", n.Line, n.Value)}}
	}
	*d = Duration(v)
	return nil
}

const (
	defaultAPIURL       = "https://api.telegram.org"
	defaultStoragePath  = "livealert.db"
	defaultPollInterval = Duration(time.Minute)
	defaultRate         = 25   // messages a second
	maxFreeRate         = 30   // Telegram's limit without paid broadcasts
	maxPaidRate         = 1000 // with allow_paid_broadcast
)

// defaultConfig returns the configuration an empty file means.
func defaultConfig() Config {
	return Config{
		Telegram:          TelegramConfig{APIURL: defaultAPIURL, Rate: defaultRate},
		Storage:           StorageConfig{Driver: subscriptions.DriverSQLite, Path: defaultStoragePath},
		Digest:            DigestConfig{Time: "08:00", TimeZone: "UTC"},
		Log:               LogConfig{Level: "info", Format: "text"},
		Access:            AccessConfig{Mode: "open"},
		UserSources:       UserSourcesConfig{Mode: "approval", PendingPerChat: 3, PerChat: 10, PollInterval: Duration(2 * time.Minute)},
		SourcesAlertAfter: Duration(30 * time.Minute),
		DefaultLanguage:   string(locale.English),
	}
}

// knownLanguage reports whether the bot writes the language of code exactly ("uk", not "uk-UA").
func knownLanguage(code string) bool {
	lang, ok := locale.Parse(code)
	return ok && string(lang) == code
}

// languageList lists the languages the bot writes: "en, ru, uk".
func languageList() string {
	var codes []string
	for _, l := range locale.Languages() {
		codes = append(codes, string(l))
	}
	slices.Sort(codes)
	return strings.Join(codes, ", ")
}

// ConfigError lists every problem found in a configuration, each prefixed with its YAML path.
type ConfigError struct {
	File     string
	Problems []string
}

func (e *ConfigError) Error() string {
	if len(e.Problems) == 1 {
		return fmt.Sprintf("config %s: %s", e.File, e.Problems[0])
	}
	var b strings.Builder
	fmt.Fprintf(&b, "config %s: %d problem", e.File, len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p)
	}
	return b.String()
}

// loadConfig reads the file, decodes it strictly over the defaults and validates it. Every
// problem is reported at once in a *ConfigError.
func loadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Config{}, &ConfigError{File: path, Problems: []string{fmt.Sprintf("no such file (copy config.example.yaml to %s, or name another with -config)", path)}}
		}
		return Config{}, &ConfigError{File: path, Problems: []string{err.Error()}}
	}
	cfg, problems := decodeConfig(data)
	problems = append(problems, cfg.Validate()...)
	if len(problems) > 0 {
		return Config{}, &ConfigError{File: path, Problems: problems}
	}
	return cfg, nil
}

// decodeConfig decodes data over the defaults, rejecting unknown keys, and returns what it
// could decode along with every decoding problem, each named by its YAML path.
func decodeConfig(data []byte) (Config, []string) {
	cfg := defaultConfig()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return cfg, []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	paths := indexPaths(&doc)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(&cfg)
	var typeErr *yaml.TypeError
	switch {
	case err == nil || errors.Is(err, io.EOF):
		return cfg, nil
	case errors.As(err, &typeErr):
		problems := make([]string, 0, len(typeErr.Errors))
		for _, e := range typeErr.Errors {
			problems = append(problems, paths.explain(e))
		}
		return cfg, problems
	default:
		return cfg, []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
}

// Validate returns every semantic problem of the configuration, each prefixed with its YAML
// path.
func (c *Config) Validate() []string {
	var p problems
	if u, err := url.Parse(c.Telegram.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.add("telegram.api_url", "%q is not an http(s) URL", c.Telegram.APIURL)
	}
	for i, id := range c.Telegram.Admins {
		if id <= 0 {
			p.add(fmt.Sprintf("telegram.admins[%d]", i), "%d is not a Telegram user id", id)
		}
	}
	switch {
	case c.Telegram.Rate <= 0:
		p.add("telegram.rate", "must be positive (messages a second; default %d)", defaultRate)
	case c.Telegram.PaidBroadcast && c.Telegram.Rate > maxPaidRate:
		p.add("telegram.rate", "%g is over %d, Telegram's limit even with paid broadcasts", c.Telegram.Rate, maxPaidRate)
	case !c.Telegram.PaidBroadcast && c.Telegram.Rate > maxFreeRate:
		p.add("telegram.rate", "%g is over %d, Telegram's limit (up to %d with telegram.paid_broadcast: true, billed in Stars)", c.Telegram.Rate, maxFreeRate, maxPaidRate)
	}
	c.Telegram.Webhook.validate(&p)
	if c.SourcesAlertAfter <= 0 {
		p.add("sources_alert_after", "must be positive, like 30m")
	}
	switch c.Access.Mode {
	case "open", "allowlist":
	default:
		p.add("access.mode", "%q is not open or allowlist", c.Access.Mode)
	}
	for i, id := range c.Access.Users {
		if id <= 0 {
			p.add(fmt.Sprintf("access.users[%d]", i), "%d is not a Telegram user id", id)
		}
	}
	for i, id := range c.Access.Chats {
		if id == 0 {
			p.add(fmt.Sprintf("access.chats[%d]", i), "0 is not a Telegram chat id")
		}
	}
	switch c.UserSources.Mode {
	case "off", "approval", "open":
	default:
		p.add("user_sources.mode", "%q is not off, approval or open", c.UserSources.Mode)
	}
	if c.UserSources.PendingPerChat < 1 {
		p.add("user_sources.pending_per_chat", "must be at least 1")
	}
	if c.UserSources.PerChat < 1 {
		p.add("user_sources.per_chat", "must be at least 1")
	}
	if c.UserSources.PollInterval < Duration(10*time.Second) {
		p.add("user_sources.poll_interval", "must be at least 10s")
	}
	if c.HTTP.Listen != "" {
		if _, port, err := net.SplitHostPort(c.HTTP.Listen); err != nil || port == "" {
			p.add("http.listen", "%q is not an address to listen on, like :9090 or 127.0.0.1:9090", c.HTTP.Listen)
		}
	}
	switch c.Storage.Driver {
	case subscriptions.DriverSQLite:
		if c.Storage.Path == "" {
			p.add("storage.path", "must not be empty")
		}
	case subscriptions.DriverPostgres:
		if d := c.Storage.DSN; d != "" && !postgresDSN.MatchString(d) {
			p.add("storage.dsn", "%q is not a PostgreSQL DSN like postgres://user@host:5432/livealert or host=… dbname=…",
				subscriptions.RedactDSN(d))
		}
	default:
		p.add("storage.driver", "%q is not sqlite or postgres", c.Storage.Driver)
	}
	if len(c.Sources) == 0 {
		p.add("sources", "missing: name at least one live blog or feed to watch")
	}
	names := map[string]int{}
	for i, s := range c.Sources {
		at := fmt.Sprintf("sources[%d]", i)
		switch {
		case strings.TrimSpace(s.Name) == "":
			p.add(at+".name", "missing: every source needs a name")
		case names[strings.ToLower(s.Name)] > 0:
			p.add(at+".name", "%q is also the name of sources[%d]", s.Name, names[strings.ToLower(s.Name)]-1)
		default:
			names[strings.ToLower(s.Name)] = i + 1
		}
		_, channel := sources.TelegramChannelURL(s.URL)
		if s.URL == "" {
			p.add(at+".url", "missing: give an http(s) URL or a file path")
		} else if !channel && looksLikeTelegram(s.URL) {
			p.add(at+".url", "%q is not a Telegram channel: @name or t.me/name, a name of 5-32 letters, digits and underscores", s.URL)
		} else if u, err := url.Parse(s.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host == "" {
			p.add(at+".url", "%q has no host", s.URL)
		} else if strings.Contains(s.URL, "://") && (err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file")) {
			// The fetcher reads http(s) and file:// URLs and plain paths, nothing else.
			p.add(at+".url", "%q is not an http(s) URL or a file path", s.URL)
		}
		s.validateReading(at, &p)
		if s.PollInterval < 0 {
			p.add(at+".poll_interval", "must be positive")
		}
	}
	if !knownLanguage(c.DefaultLanguage) {
		p.add("default_language", "%q is not a language the bot writes (%s)", c.DefaultLanguage, languageList())
	}
	topics := map[string]int{}
	for i, t := range c.Topics {
		at := fmt.Sprintf("topics[%d]", i)
		key := match.TopicKey(t.Name)
		switch {
		case key == "":
			p.add(at+".name", "missing: every topic needs a name")
		case len(key) > maxTopicKey:
			p.add(at+".name", "%q is longer than %d bytes", t.Name, maxTopicKey)
		case topics[key] > 0:
			p.add(at+".name", "%q is also the name of topics[%d]", t.Name, topics[key]-1)
		default:
			topics[key] = i + 1
		}
		for _, lang := range slices.Sorted(maps.Keys(t.Names)) {
			name, nkey := t.Names[lang], match.TopicKey(t.Names[lang])
			switch {
			case !knownLanguage(lang):
				p.add(at+".names."+lang, "%q is not a language the bot writes (%s)", lang, languageList())
			case nkey == "":
				p.add(at+".names."+lang, "empty name")
			case len(nkey) > maxTopicKey:
				p.add(at+".names."+lang, "%q is longer than %d bytes", name, maxTopicKey)
			case topics[nkey] > 0 && topics[nkey] != i+1:
				p.add(at+".names."+lang, "%q is also the name of topics[%d]", name, topics[nkey]-1)
			default:
				topics[nkey] = i + 1
			}
		}
		if len(t.Keywords) == 0 {
			p.add(at+".keywords", "missing: a topic needs at least one keyword")
		}
		for j, k := range t.Keywords {
			if _, err := match.ParseQuery(k); err != nil {
				p.add(fmt.Sprintf("%s.keywords[%d]", at, j), "%q: %v", k, err)
			}
		}
		for j, k := range t.Exclude {
			if _, err := match.ParseQuery(k); err != nil {
				p.add(fmt.Sprintf("%s.exclude[%d]", at, j), "%q: %v", k, err)
			}
		}
	}
	if _, _, err := subscriptions.ParseClock(c.Digest.Time); err != nil {
		p.add("digest.time", "%q is not a time of day like 08:00", c.Digest.Time)
	}
	if _, err := subscriptions.ParseZone(c.Digest.TimeZone); err != nil { // as /timezone reads it
		p.add("digest.time_zone", "%q is not a time zone like UTC, UTC+3, Europe/Kyiv or Kyiv", c.Digest.TimeZone)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		p.add("log.level", "%q is not one of debug, info, warn, error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		p.add("log.format", "%q is not one of text, json", c.Log.Format)
	}
	return p
}

// maxTopicKey bounds topic names so that a button's callback data stays within Telegram's 64
// bytes.
const maxTopicKey = 40

type problems []string

func (p *problems) add(path, format string, args ...any) {
	*p = append(*p, path+": "+fmt.Sprintf(format, args...))
}
