package locale

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// placeholderRE finds a template's placeholders: {{.Name}}.
var placeholderRE = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// messageFile reads a message file as id → plural form (or "other") → text.
func messageFile(t *testing.T, lang Lang) map[string]map[string]string {
	t.Helper()
	data, err := files.ReadFile("messages/" + string(lang) + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	out := map[string]map[string]string{}
	for id, v := range raw {
		switch v := v.(type) {
		case string:
			out[id] = map[string]string{"other": v}
		case map[string]any:
			out[id] = map[string]string{}
			for form, text := range v {
				s, ok := text.(string)
				if !ok {
					t.Fatalf("%s: %s.%s is not a string", lang, id, form)
				}
				out[id][form] = s
			}
		default:
			t.Fatalf("%s: %s is a %T", lang, id, v)
		}
	}
	return out
}

// placeholders returns the placeholders of every form of a message.
func placeholders(forms map[string]string) []string {
	set := map[string]bool{}
	for _, text := range forms {
		for _, m := range placeholderRE.FindAllStringSubmatch(text, -1) {
			set[m[1]] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// pluralForms are the CLDR categories each language's plural messages must give.
var pluralForms = map[Lang][]string{
	English:   {"one", "other"},
	Ukrainian: {"few", "many", "one", "other"},
	Russian:   {"few", "many", "one", "other"},
}

// TestMessagesComplete checks that every language has exactly English's message ids, each with
// the same placeholders, and every plural form its language needs.
func TestMessagesComplete(t *testing.T) {
	en := messageFile(t, English)
	if got := Languages(); !slices.Equal(got, []Lang{English, Russian, Ukrainian}) {
		t.Errorf("languages %v", got)
	}
	for _, lang := range Languages() {
		msgs := messageFile(t, lang)
		for id, forms := range en {
			tr, ok := msgs[id]
			if !ok {
				t.Errorf("%s: message %q missing", lang, id)
				continue
			}
			if want, got := placeholders(forms), placeholders(tr); !slices.Equal(want, got) {
				t.Errorf("%s: %q has placeholders %v, English has %v", lang, id, got, want)
			}
			if len(forms) > 1 || forms["one"] != "" {
				for _, form := range pluralForms[lang] {
					if tr[form] == "" {
						t.Errorf("%s: %q lacks the plural form %q", lang, id, form)
					}
				}
			}
		}
		for id := range msgs {
			if _, ok := en[id]; !ok {
				t.Errorf("%s: message %q is not in English", lang, id)
			}
		}
	}
}

// TestPlurals checks the CLDR plural forms, the way a person counts.
func TestPlurals(t *testing.T) {
	for _, tc := range []struct {
		lang Lang
		n    int
		want string
	}{
		{English, 1, "1 entry"}, {English, 2, "2 entries"}, {English, 0, "0 entries"}, {English, 21, "21 entries"},
		{Ukrainian, 1, "1 запис"}, {Ukrainian, 2, "2 записи"}, {Ukrainian, 5, "5 записів"},
		{Ukrainian, 11, "11 записів"}, {Ukrainian, 21, "21 запис"}, {Ukrainian, 22, "22 записи"},
		{Ukrainian, 0, "0 записів"}, {Ukrainian, 111, "111 записів"},
		{Russian, 1, "1 запись"}, {Russian, 2, "2 записи"}, {Russian, 5, "5 записей"},
		{Russian, 11, "11 записей"}, {Russian, 21, "21 запись"}, {Russian, 24, "24 записи"},
	} {
		if got := For(tc.lang).N("entries", tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	if got := For(Ukrainian).N("digest_entries", 3); got != "3 нові записи" {
		t.Errorf("uk digest_entries 3: %q", got)
	}
	if got := For(Russian).N("sources_failures", 5); got != " · 5 сбоев подряд" {
		t.Errorf("ru sources_failures 5: %q", got)
	}
	for _, tc := range []struct {
		lang Lang
		n    int
		want string
	}{
		{English, 1, "(1 poll)"}, {English, 3, "(3 polls in a row)"},
		{Ukrainian, 1, "(1 невдале опитування поспіль)"}, {Ukrainian, 3, "(3 невдалі опитування поспіль)"},
		{Ukrainian, 5, "(5 невдалих опитувань поспіль)"}, {Ukrainian, 21, "(21 невдале опитування поспіль)"},
		{Russian, 1, "(1 неудачный опрос подряд)"}, {Russian, 3, "(3 неудачных опроса подряд)"},
		{Russian, 5, "(5 неудачных опросов подряд)"}, {Russian, 21, "(21 неудачный опрос подряд)"},
	} {
		if got := For(tc.lang).N("source_down", tc.n, "Source", "S", "Since", "D"); !strings.HasSuffix(got, tc.want+".") {
			t.Errorf("%s source_down %d: %q, want it to end %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

// TestDates checks weekday and month names and the 24-hour clock per language.
func TestDates(t *testing.T) {
	kyiv, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		t.Fatal(err)
	}
	fri := time.Date(2024, time.January, 5, 14, 5, 0, 0, kyiv)
	sun := time.Date(2024, time.September, 22, 21, 30, 0, 0, kyiv)
	for _, tc := range []struct {
		lang      Lang
		t         time.Time
		date      string
		dateYear  string
		dateTimeZ string
	}{
		{English, fri, "Fri 5 Jan", "Fri 5 Jan 2024", "Fri 5 Jan 14:05 EET"},
		{English, sun, "Sun 22 Sep", "Sun 22 Sep 2024", "Sun 22 Sep 21:30 EEST"},
		{Ukrainian, fri, "пт, 5 січня", "пт, 5 січня 2024", "пт, 5 січня 14:05 EET"},
		{Ukrainian, sun, "нд, 22 вересня", "нд, 22 вересня 2024", "нд, 22 вересня 21:30 EEST"},
		{Russian, fri, "пт, 5 января", "пт, 5 января 2024", "пт, 5 января 14:05 EET"},
		{Russian, sun, "вс, 22 сентября", "вс, 22 сентября 2024", "вс, 22 сентября 21:30 EEST"},
	} {
		l := For(tc.lang)
		if got := l.Date(tc.t); got != tc.date {
			t.Errorf("%s Date: %q, want %q", tc.lang, got, tc.date)
		}
		if got := l.DateYear(tc.t); got != tc.dateYear {
			t.Errorf("%s DateYear: %q, want %q", tc.lang, got, tc.dateYear)
		}
		if got := l.DateTimeZone(tc.t); got != tc.dateTimeZ {
			t.Errorf("%s DateTimeZone: %q, want %q", tc.lang, got, tc.dateTimeZ)
		}
	}
	// Every month and weekday has its own name.
	for _, lang := range Languages() {
		l := For(lang)
		seen := map[string]bool{}
		for m := time.January; m <= time.December; m++ {
			seen[l.Month(time.Date(2024, m, 1, 0, 0, 0, 0, time.UTC))] = true
		}
		for d := 1; d <= 7; d++ {
			seen[l.Weekday(time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC))] = true
		}
		if len(seen) != 19 {
			t.Errorf("%s: %d distinct names of months and weekdays, want 19", lang, len(seen))
		}
	}
}

func TestParse(t *testing.T) {
	for code, want := range map[string]Lang{"uk": Ukrainian, "ru-RU": Russian, "en-GB": English, "UK": Ukrainian} {
		if got, ok := Parse(code); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v", code, got, ok)
		}
	}
	for _, code := range []string{"", "de", "be", "x"} {
		if got, ok := Parse(code); ok {
			t.Errorf("Parse(%q) = %q, true", code, got)
		}
	}
	if For("de") != For(English) {
		t.Error("For(de) is not English")
	}
}

// TestUkrainianHasNoRussianLetters guards the Ukrainian file against Russian spelling: ы, э,
// ъ and ё are not Ukrainian letters.
func TestUkrainianHasNoRussianLetters(t *testing.T) {
	for id, forms := range messageFile(t, Ukrainian) {
		for _, text := range forms {
			if strings.ContainsAny(strings.ToLower(text), "ыэъё") {
				t.Errorf("uk %q: %q", id, text)
			}
		}
	}
}

// TestDurations checks durations per language: the units, the two-unit forms, and the days
// counted with their plural forms.
func TestDurations(t *testing.T) {
	const (
		ms   = time.Millisecond
		s    = time.Second
		min  = time.Minute
		h    = time.Hour
		days = 24 * time.Hour
	)
	for _, tc := range []struct {
		d          time.Duration
		en, uk, ru string
	}{
		{-s, "0 s", "0 с", "0 с"},
		{0, "0 s", "0 с", "0 с"},
		{300 * time.Microsecond, "1 ms", "1 мс", "1 мс"},
		{50 * ms, "50 ms", "50 мс", "50 мс"},
		{45 * s, "45 s", "45 с", "45 с"},
		{5 * min, "5 min", "5 хв", "5 мин"},
		{5*min + 59*s, "5 min", "5 хв", "5 мин"},
		{h, "1 h", "1 год", "1 ч"},
		{2*h + 5*min, "2 h 5 min", "2 год 5 хв", "2 ч 5 мин"},
		{23*h + 59*min, "23 h 59 min", "23 год 59 хв", "23 ч 59 мин"},
		{days, "1 day", "1 день", "1 день"},
		{2 * days, "2 days", "2 дні", "2 дня"},
		{3*days + 4*h, "3 days 4 h", "3 дні 4 год", "3 дня 4 ч"},
		{5 * days, "5 days", "5 днів", "5 дней"},
		{11*days + 30*min, "11 days", "11 днів", "11 дней"},
		{21*days + h, "21 days 1 h", "21 день 1 год", "21 день 1 ч"},
	} {
		for lang, want := range map[Lang]string{English: tc.en, Ukrainian: tc.uk, Russian: tc.ru} {
			if got := For(lang).Duration(tc.d); got != want {
				t.Errorf("%s Duration(%v) = %q, want %q", lang, tc.d, got, want)
			}
		}
	}
}
