package main

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"livealert/sources"
)

// SelectorsConfig says where a page's updates are in its markup (sources.Selectors): CSS
// selectors, all but entry relative to an entry; an empty one means the entry itself.
type SelectorsConfig struct {
	Entry         string `yaml:"entry"`
	Title         string `yaml:"title"`
	Time          string `yaml:"time"`
	TimeAttr      string `yaml:"time_attr"`
	TimeLayout    string `yaml:"time_layout"`
	TimeZone      string `yaml:"time_zone"`
	Body          string `yaml:"body"`
	Permalink     string `yaml:"permalink"`
	PermalinkAttr string `yaml:"permalink_attr"`
}

// validateReading adds the problems of the fields that say how the source is read and
// followed, each under its YAML path (at is the source's, "sources[2]").
func (s SourceConfig) validateReading(at string, p *problems) {
	format := sources.Format(s.Format)
	if format != "" && !slices.Contains(sources.Formats(), format) {
		names := make([]string, len(sources.Formats()))
		for i, f := range sources.Formats() {
			names[i] = string(f)
		}
		p.add(at+".format", "%q is not one of %s", s.Format, strings.Join(names, ", "))
	}
	if format == sources.FormatSelectors && s.Selectors == nil {
		p.add(at+".selectors", "missing: format selectors needs selectors (entry, title, time, body…)")
	}
	if s.Selectors != nil {
		for _, problem := range s.Selectors.selectors(time.UTC).Check() {
			key, msg, _ := strings.Cut(problem, ": ")
			p.add(at+".selectors."+key, "%s", msg)
		}
		if s.Selectors.TimeZone != "" {
			if _, err := time.LoadLocation(s.Selectors.TimeZone); err != nil {
				p.add(at+".selectors.time_zone", "%q is not a time zone like UTC or Europe/London", s.Selectors.TimeZone)
			}
		}
	}
	if s.Container != "" {
		if err := sources.CheckSelector(s.Container); err != nil {
			p.add(at+".container", "%q is not a CSS selector: %v", s.Container, err)
		}
	}
	if s.Follow != "" {
		if _, err := regexp.Compile(s.Follow); err != nil {
			p.add(at+".follow", "%q is not a regular expression: %v", s.Follow, err)
		}
	}
}

// selectors returns the sources.Selectors the configuration names; zone is the time zone
// already loaded.
func (c *SelectorsConfig) selectors(zone *time.Location) sources.Selectors {
	return sources.Selectors{
		Entry: c.Entry, Title: c.Title,
		Time: c.Time, TimeAttr: c.TimeAttr, TimeLayout: c.TimeLayout, TimeZone: zone,
		Body: c.Body, Permalink: c.Permalink, PermalinkAttr: c.PermalinkAttr,
	}
}

// sourceURL is the address the source is fetched from: a Telegram channel's web preview
// for @name or a t.me link (sources.TelegramChannelURL), else url as written.
func (s SourceConfig) sourceURL() string {
	if channel, ok := sources.TelegramChannelURL(s.URL); ok {
		return channel
	}
	return s.URL
}

// source returns the sources.Source a validated configuration describes.
func (s SourceConfig) source() sources.Source {
	format := sources.Format(s.Format)
	if format == "" {
		format = sources.FormatAuto
	}
	interval := time.Duration(s.PollInterval)
	if interval == 0 {
		interval = time.Duration(defaultPollInterval)
	}
	src := sources.Source{
		Name: s.Name, URL: s.sourceURL(), Format: format, PollInterval: interval,
		Container: s.Container, SplitLiveBlogItems: s.SplitLiveBlogItems, AlertOnEdit: s.AlertOnEdit,
	}
	if s.Selectors != nil {
		zone := time.UTC
		if s.Selectors.TimeZone != "" {
			zone, _ = time.LoadLocation(s.Selectors.TimeZone) // Validate accepted it
		}
		sel := s.Selectors.selectors(zone)
		src.Selectors = &sel
	}
	if s.Follow != "" {
		src.Follow = regexp.MustCompile(s.Follow) // Validate accepted it
	}
	return src
}

// looksLikeTelegram reports whether a source's url is meant as a Telegram channel: @name, or
// an address on t.me or telegram.me.
func looksLikeTelegram(raw string) bool {
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, "@") {
		return true
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") {
	case "t.me", "telegram.me":
		return true
	}
	return false
}
