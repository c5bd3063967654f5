// Package locale holds every text a person reads, per language, and the plural rules and date
// formats of each language. Messages live in messages/<code>.yaml (go-i18n v2 message files,
// embedded); English is the reference every other language must match id for id and
// placeholder for placeholder (see the package's tests). A Locale is cheap to pass around and
// safe for concurrent use.
package locale

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	yaml "go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

// Lang is a language code the bot writes in: "en", "uk", "ru".
type Lang string

// The languages with a message file.
const (
	English   Lang = "en"
	Ukrainian Lang = "uk"
	Russian   Lang = "ru"
)

//go:embed messages/*.yaml
var files embed.FS

// catalog is the bundle of every message file, loaded once.
type catalog struct {
	bundle  *i18n.Bundle
	langs   []Lang
	locales map[Lang]*Locale
}

var (
	loadOnce sync.Once
	loaded   catalog
)

// load parses the embedded message files; a broken file is a programming error.
func load() *catalog {
	loadOnce.Do(func() {
		b := i18n.NewBundle(language.English)
		b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
		names, err := fs.Glob(files, "messages/*.yaml")
		if err != nil {
			panic("locale: " + err.Error())
		}
		loaded = catalog{bundle: b, langs: []Lang{English}, locales: map[Lang]*Locale{}}
		for _, name := range names {
			if _, err := b.LoadMessageFileFS(files, name); err != nil {
				panic("locale: " + err.Error())
			}
			code := Lang(strings.TrimSuffix(strings.TrimPrefix(name, "messages/"), ".yaml"))
			if code != English {
				loaded.langs = append(loaded.langs, code)
			}
		}
		for _, code := range loaded.langs {
			l := &Locale{lang: code, loc: i18n.NewLocalizer(b, string(code))}
			l.weekdays = fields(l.T("weekdays"), 7, code)
			l.months = fields(l.T("months"), 12, code)
			loaded.locales[code] = l
		}
	})
	return &loaded
}

// fields splits a list of names, which must have n of them.
func fields(list string, n int, code Lang) []string {
	f := strings.Fields(list)
	if len(f) != n {
		panic(fmt.Sprintf("locale: %s: %d names in %q, want %d", code, len(f), list, n))
	}
	return f
}

// Languages returns the languages there are messages for, English first.
func Languages() []Lang { return append([]Lang(nil), load().langs...) }

// Parse returns the language of a code such as Telegram's language_code ("uk", "ru-RU",
// "en-GB"): one the bot writes in, or false.
func Parse(code string) (Lang, bool) {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(code)), "-")
	base, _, _ = strings.Cut(base, "_")
	_, ok := load().locales[Lang(base)]
	return Lang(base), ok && base != ""
}

// For returns the Locale of lang; English for a language without messages.
func For(lang Lang) *Locale {
	c := load()
	if l, ok := c.locales[lang]; ok {
		return l
	}
	return c.locales[English]
}

// Locale writes the messages of one language. A nil *Locale writes English.
type Locale struct {
	lang     Lang
	loc      *i18n.Localizer
	weekdays []string // Sunday first
	months   []string // as a date writes them ("5 січня": genitive where the language wants it)
}

// Lang is the Locale's language.
func (l *Locale) Lang() Lang { return l.or().lang }

// or is l, or English for nil.
func (l *Locale) or() *Locale {
	if l == nil {
		return For(English)
	}
	return l
}

// T returns message id with its placeholders filled from key, value pairs
// (T("followed", "Query", q)). Values are inserted as they are: escape HTML beforehand. A
// message missing in the language comes in English; an unknown id comes back as itself.
func (l *Locale) T(id string, kv ...any) string {
	return l.localize(id, nil, kv)
}

// N is T for a message with plural forms, chosen by n by the language's CLDR rules; n is the
// placeholder Count.
func (l *Locale) N(id string, n int, kv ...any) string {
	return l.localize(id, n, append(kv, "Count", n))
}

func (l *Locale) localize(id string, count any, kv []any) string {
	l = l.or()
	var data map[string]any
	if len(kv) > 0 {
		data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			data[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if s == "" && err != nil {
		return id
	}
	return s
}

// Weekday is t's weekday, short: "Fri", "пт".
func (l *Locale) Weekday(t time.Time) string { return l.or().weekdays[t.Weekday()] }

// Month is t's month as a date writes it: "Jan", "січня", "января".
func (l *Locale) Month(t time.Time) string { return l.or().months[t.Month()-1] }

// Date is t's day: "Fri 5 Jan", "пт, 5 січня".
func (l *Locale) Date(t time.Time) string {
	return l.T("date", "Weekday", l.Weekday(t), "Day", t.Day(), "Month", l.Month(t))
}

// DateYear is t's day with its year: "Fri 5 Jan 2024", "пт, 5 січня 2024".
func (l *Locale) DateYear(t time.Time) string {
	return l.T("date_year", "Weekday", l.Weekday(t), "Day", t.Day(), "Month", l.Month(t), "Year", t.Year())
}

// DateTime is t's day and time on the 24-hour clock: "Fri 5 Jan 14:05".
func (l *Locale) DateTime(t time.Time) string { return l.Date(t) + " " + t.Format("15:04") }

// DateTimeZone is DateTime with the zone's abbreviation: "Fri 5 Jan 14:05 EET".
func (l *Locale) DateTimeZone(t time.Time) string { return l.DateTime(t) + " " + t.Format("MST") }

// WeekdayTime is t's weekday and time: "Fri 14:48".
func (l *Locale) WeekdayTime(t time.Time) string { return l.Weekday(t) + " " + t.Format("15:04") }

// Duration writes d as a person reads it, in at most two units, the smaller one dropped when
// it is zero: "50 ms", "45 s", "5 min", "2 h 10 min", "3 days 4 h" ("5 хв", "2 год 10 хв",
// "3 дні 4 год"). Sub-second durations come in milliseconds, never less than 1 ms; a
// negative d is 0 s. Durations under a day are cut to the minute, longer ones to the hour.
func (l *Locale) Duration(d time.Duration) string {
	l = l.or()
	unit := func(id string, n int) string { return l.T(id, "N", n) }
	pair := func(a, b string, n int) string {
		if n == 0 {
			return a
		}
		return a + " " + b
	}
	switch {
	case d <= 0:
		return unit("duration_s", 0)
	case d < time.Second:
		return unit("duration_ms", max(1, int(d.Round(time.Millisecond)/time.Millisecond)))
	case d < time.Minute:
		return unit("duration_s", int(d/time.Second))
	case d < time.Hour:
		return unit("duration_min", int(d/time.Minute))
	case d < 24*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		return pair(unit("duration_h", h), unit("duration_min", m), m)
	}
	days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	return pair(l.N("duration_days", days), unit("duration_h", h), h)
}
