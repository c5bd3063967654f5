package subscriptions

import (
	"testing"
	"time"
)

// FuzzParseSettings feeds what people type after /timezone, /quiet, /mute and /mode to the
// parsers: none may panic, and whatever they accept must be usable.
func FuzzParseSettings(f *testing.F) {
	for _, s := range []string{
		"Europe/Kyiv", "kyiv", "New York", "UTC+3", "UTC-03:30", "GMT+5:45", "UTC+0530", "utc", "Local", "",
		"../../etc/passwd", "America/", "UTC+", "UTC+99:99", "23:00-07:00", "7pm", "22:30–06:15", "13:00 to 14:00",
		"2h", "1d", "1w", "90m", "1h30m", "-5m", "9999999d", "digest", "Instant", "both", "\x00", "Ж/Ж",
	} {
		f.Add(s)
	}
	now := time.Date(2024, 3, 31, 0, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if loc, err := ParseZone(s); err == nil {
			back, err := LoadZone(loc.String())
			if err != nil || back.String() != loc.String() {
				t.Fatalf("ParseZone(%q) = %s, which LoadZone reads as %v, %v", s, loc, back, err)
			}
			if next := NextDigest(now, "02:30", loc); !next.After(now) {
				t.Fatalf("NextDigest in %s is %v, not after %v", loc, next, now)
			}
		}
		if start, end, err := ParseQuietHours(s); err == nil {
			if until, quiet := quietUntil(now, start, end, time.UTC); quiet && !until.After(now) {
				t.Fatalf("quiet hours %q end at %v, not after %v", s, until, now)
			}
		}
		if d, err := ParseMuteDuration(s); err == nil && (d < time.Minute || d > maxMute) {
			t.Fatalf("ParseMuteDuration(%q) = %v, outside its bounds", s, d)
		}
		if m, ok := ParseMode(s); ok && m != ModeInstant && m != ModeDigest && m != ModeBoth {
			t.Fatalf("ParseMode(%q) = %q", s, m)
		}
	})
}
