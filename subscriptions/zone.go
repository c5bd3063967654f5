package subscriptions

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cityZones maps common city names, lowercased, to their IANA zones, so that people need not
// know the IANA spelling of where they live.
var cityZones = map[string]string{
	"kyiv": "Europe/Kyiv", "kiev": "Europe/Kyiv", "kharkiv": "Europe/Kyiv", "odesa": "Europe/Kyiv", "lviv": "Europe/Kyiv",
	"moscow": "Europe/Moscow", "saint petersburg": "Europe/Moscow", "st petersburg": "Europe/Moscow",
	"istanbul": "Europe/Istanbul", "ankara": "Europe/Istanbul",
	"london": "Europe/London", "dublin": "Europe/Dublin", "lisbon": "Europe/Lisbon",
	"berlin": "Europe/Berlin", "paris": "Europe/Paris", "madrid": "Europe/Madrid", "rome": "Europe/Rome",
	"amsterdam": "Europe/Amsterdam", "brussels": "Europe/Brussels", "vienna": "Europe/Vienna",
	"warsaw": "Europe/Warsaw", "prague": "Europe/Prague", "stockholm": "Europe/Stockholm",
	"helsinki": "Europe/Helsinki", "athens": "Europe/Athens", "bucharest": "Europe/Bucharest",
	"chisinau": "Europe/Chisinau", "minsk": "Europe/Minsk", "vilnius": "Europe/Vilnius", "riga": "Europe/Riga", "tallinn": "Europe/Tallinn",
	"tbilisi": "Asia/Tbilisi", "yerevan": "Asia/Yerevan", "baku": "Asia/Baku",
	"tel aviv": "Asia/Jerusalem", "jerusalem": "Asia/Jerusalem", "beirut": "Asia/Beirut", "cairo": "Africa/Cairo",
	"dubai": "Asia/Dubai", "doha": "Asia/Qatar", "riyadh": "Asia/Riyadh", "tehran": "Asia/Tehran",
	"almaty": "Asia/Almaty", "tashkent": "Asia/Tashkent", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata",
	"mumbai": "Asia/Kolkata", "kolkata": "Asia/Kolkata", "bangkok": "Asia/Bangkok", "singapore": "Asia/Singapore",
	"hong kong": "Asia/Hong_Kong", "beijing": "Asia/Shanghai", "shanghai": "Asia/Shanghai", "seoul": "Asia/Seoul",
	"tokyo": "Asia/Tokyo", "sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne", "auckland": "Pacific/Auckland",
	"new york": "America/New_York", "nyc": "America/New_York", "washington": "America/New_York", "toronto": "America/Toronto",
	"chicago": "America/Chicago", "denver": "America/Denver", "los angeles": "America/Los_Angeles", "la": "America/Los_Angeles",
	"san francisco": "America/Los_Angeles", "vancouver": "America/Vancouver", "mexico city": "America/Mexico_City",
	"sao paulo": "America/Sao_Paulo", "são paulo": "America/Sao_Paulo", "buenos aires": "America/Argentina/Buenos_Aires",
	"lagos": "Africa/Lagos", "nairobi": "Africa/Nairobi", "johannesburg": "Africa/Johannesburg",
}

// ParseZone reads a time zone as people type it: an IANA name ("Europe/Kyiv", any case), a
// fixed offset ("UTC+3", "UTC-03:30", "GMT+5:45"), or a city of cityZones ("Kyiv", "new york").
// The location's String() is the canonical name the store keeps; LoadZone reads it back.
func ParseZone(s string) (*time.Location, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("subscriptions: empty time zone")
	}
	if loc, ok := fixedZone(s); ok {
		return loc, nil
	}
	key := strings.Join(strings.Fields(strings.ToLower(strings.NewReplacer("_", " ", "-", " ", ".", "").Replace(s))), " ")
	if name, ok := cityZones[key]; ok {
		return LoadZone(name)
	}
	if loc, err := LoadZone(s); err == nil {
		return loc, nil
	}
	if loc, err := LoadZone(ianaCase(s)); err == nil {
		return loc, nil
	}
	return nil, fmt.Errorf("subscriptions: %q is not a time zone, a UTC offset or a city I know", s)
}

// LoadZone loads a zone by its canonical name: an IANA name or a fixed offset as ParseZone
// names it ("UTC+03:00"). "Local" and "" are refused: the server's zone is nobody's.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := fixedZone(name); ok {
		return loc, nil
	}
	if name == "" || strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("subscriptions: %q is not a time zone", name)
	}
	if name == "Europe/Kyiv" { // older tzdata knows only the old spelling
		if loc, err := time.LoadLocation(name); err == nil {
			return loc, nil
		}
		name = "Europe/Kiev"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: time zone %q: %w", name, err)
	}
	return loc, nil
}

// fixedZone reads "UTC", "UTC+3", "UTC+03", "UTC-3:30", "UTC+0530" (GMT alike) as a fixed
// zone named "UTC+03:00"; "UTC" alone is time.UTC.
func fixedZone(s string) (*time.Location, bool) {
	upper := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	rest, ok := strings.CutPrefix(upper, "UTC")
	if !ok {
		if rest, ok = strings.CutPrefix(upper, "GMT"); !ok {
			return nil, false
		}
	}
	if rest == "" || rest == "+0" || rest == "-0" || rest == "+00:00" {
		return time.UTC, true
	}
	if len(rest) < 2 || (rest[0] != '+' && rest[0] != '-') {
		return nil, false
	}
	sign := 1
	if rest[0] == '-' {
		sign = -1
	}
	hText, mText, colon := strings.Cut(rest[1:], ":")
	if !colon && len(hText) == 4 {
		hText, mText = hText[:2], hText[2:]
	}
	h, err := strconv.Atoi(hText)
	if err != nil || len(hText) > 2 || h > 14 {
		return nil, false
	}
	m := 0
	if mText != "" || colon {
		if m, err = strconv.Atoi(mText); err != nil || len(mText) != 2 || m%15 != 0 || m >= 60 {
			return nil, false
		}
	}
	if h == 14 && m > 0 {
		return nil, false
	}
	offset := sign * (h*3600 + m*60)
	if offset == 0 {
		return time.UTC, true
	}
	signText := "+"
	if sign < 0 {
		signText = "-"
	}
	return time.FixedZone(fmt.Sprintf("UTC%s%02d:%02d", signText, h, m), offset), true
}

// ianaCase capitalises each part of an IANA name typed in the wrong case:
// "europe/kyiv" → "Europe/Kyiv", "america/new_york" → "America/New_York".
func ianaCase(s string) string {
	b := []byte(strings.ToLower(s))
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '/' || c == '_' || c == '-'
	}
	return string(b)
}
