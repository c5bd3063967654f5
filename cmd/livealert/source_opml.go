package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"livealert/sources"
	"livealert/subscriptions"
)

const sourceExportUsage = "usage: livealert source export [-config FILE]\n\n" +
	"Prints an OPML 2.0 document of the configured sources and the approved ones users added.\n" +
	"Feeds are type=\"rss\" outlines; every outline keeps its format in livealert:format.\n" +
	"Selectors, container, follow and poll intervals are not kept (a note on stderr says so).\n\n"

const sourceImportUsage = "usage: livealert source import FILE.opml\n\n" +
	"Reads an OPML file (at most 1 MiB) and prints the sources: section to paste into the\n" +
	"config. Categories are flattened, repeated addresses dropped, names made unique; only\n" +
	"http(s) addresses and Telegram channels are kept. Writes nothing.\n\n"

// storeOpenTimeout bounds opening the store for `source export`.
const storeOpenTimeout = 15 * time.Second

// sourceExportCommand runs `livealert source export`.
func (p *program) sourceExportCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("livealert source export", flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	configPath := fs.String("config", "config.yaml", "the YAML configuration `file`")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), sourceExportUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &usageError{msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("source export: unexpected argument %q (see livealert source export -h)", fs.Arg(0))}
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	out := make([]sources.OPMLSource, 0, len(cfg.Sources))
	seen := map[string]bool{}
	for i, s := range cfg.Sources {
		if lost := lostInOPML(s); len(lost) > 0 {
			fmt.Fprintf(p.stderr, "note: sources[%d] %s: %s not kept in OPML\n", i, s.Name, strings.Join(lost, ", "))
		}
		format := sources.Format(s.Format)
		if format == "" {
			format = sources.FormatAuto
		}
		out = append(out, sources.OPMLSource{Name: s.Name, URL: s.URL, Format: format})
		seen[s.URL] = true
	}
	added, err := p.approvedUserSources(ctx, cfg)
	if err != nil {
		fmt.Fprintf(p.stderr, "note: %v: exporting the configured sources only\n", err)
	}
	for _, u := range added {
		if seen[u.URL] {
			continue
		}
		seen[u.URL] = true
		format := sources.Format(u.Format)
		if format == "" {
			format = sources.FormatAuto
		}
		out = append(out, sources.OPMLSource{Name: u.Name, URL: u.URL, Format: format})
	}
	return sources.WriteOPML(p.stdout, "livealert sources", out)
}

// lostInOPML names the settings of s an OPML outline does not keep.
func lostInOPML(s SourceConfig) []string {
	var lost []string
	if s.PollInterval != 0 {
		lost = append(lost, "poll_interval")
	}
	if s.Selectors != nil {
		lost = append(lost, "selectors")
	}
	if s.Container != "" {
		lost = append(lost, "container")
	}
	if s.SplitLiveBlogItems {
		lost = append(lost, "split_liveblog_items")
	}
	if s.AlertOnEdit {
		lost = append(lost, "alert_on_edit")
	}
	if s.Follow != "" {
		lost = append(lost, "follow")
	}
	return lost
}

// approvedUserSources returns the approved sources users added, from the store of cfg. A
// SQLite file that does not exist is not created: there are none.
func (p *program) approvedUserSources(ctx context.Context, cfg Config) ([]subscriptions.UserSource, error) {
	opts, name, err := p.storage(cfg)
	if err != nil {
		return nil, fmt.Errorf("source export: %w", err)
	}
	if opts.Driver == subscriptions.DriverSQLite {
		if _, err := os.Stat(opts.Path); err != nil {
			return nil, fmt.Errorf("source export: database %s: %w", name, err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, storeOpenTimeout)
	defer cancel()
	store, err := subscriptions.Open(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("source export: %w", err)
	}
	defer store.Close()
	added, err := store.UserSources(ctx, subscriptions.SourceApproved)
	if err != nil {
		return nil, fmt.Errorf("source export: %w", err)
	}
	return added, nil
}

// importedSource is one source `source import` prints: poll_interval and the rest are left
// to their defaults.
type importedSource struct {
	Name   string `yaml:"name"`
	URL    string `yaml:"url"`
	Format string `yaml:"format"`
}

// sourceImportCommand runs `livealert source import`.
func (p *program) sourceImportCommand(args []string) error {
	fs := flag.NewFlagSet("livealert source import", flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), sourceImportUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &usageError{msg: err.Error()}
	}
	if fs.NArg() != 1 {
		return &usageError{msg: "source import: give one OPML file (see livealert source import -h)"}
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("source import: %w", err)
	}
	defer f.Close()
	parsed, err := sources.ParseOPML(f)
	if err != nil {
		return fmt.Errorf("source import: %s: %s", path, strings.Join(strings.Fields(err.Error()), " "))
	}
	var out []importedSource
	for _, s := range parsed {
		sc := SourceConfig{Name: s.Name, URL: s.URL, Format: string(s.Format)}
		if problems := importProblems(sc); len(problems) > 0 {
			fmt.Fprintf(p.stderr, "skipped %q: %s\n", s.Name, strings.Join(problems, "; "))
			continue
		}
		out = append(out, importedSource{Name: sc.Name, URL: sc.URL, Format: sc.Format})
	}
	if len(out) == 0 {
		return fmt.Errorf("source import: %s holds no source livealert can watch", path)
	}
	fmt.Fprintf(p.stdout, "# %d sources from %s (livealert source import): paste under sources: in the config\n",
		len(out), filepath.Base(path))
	enc := yaml.NewEncoder(p.stdout)
	enc.SetIndent(2)
	if err := enc.Encode(struct {
		Sources []importedSource `yaml:"sources"`
	}{out}); err != nil {
		return fmt.Errorf("source import: %w", err)
	}
	return enc.Close()
}

// importProblems returns why s may not go into the config: its address is not http(s) nor a
// Telegram channel (an OPML file must not name local files), or Validate finds fault with it.
func importProblems(s SourceConfig) []string {
	if _, channel := sources.TelegramChannelURL(s.URL); !channel {
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return []string{fmt.Sprintf("url %q is not an http(s) address or a Telegram channel", s.URL)}
		}
	}
	cfg := defaultConfig()
	cfg.Sources = []SourceConfig{s}
	var problems []string
	for _, pr := range cfg.Validate() {
		if rest, ok := strings.CutPrefix(pr, "sources[0]."); ok {
			problems = append(problems, rest)
		}
	}
	return problems
}
