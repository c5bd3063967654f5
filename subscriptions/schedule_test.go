package subscriptions

import (
	"testing"
	"time"
)

func TestNextDigest(t *testing.T) {
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	ny, kyiv, lordHowe := load("America/New_York"), load("Europe/Kyiv"), load("Australia/Lord_Howe")
	at := func(loc *time.Location, y int, mo time.Month, d, h, m int) time.Time {
		return time.Date(y, mo, d, h, m, 0, 0, loc)
	}
	tests := []struct {
		name  string
		after time.Time
		hhmm  string
		loc   *time.Location
		want  time.Time
	}{
		{"later today", at(time.UTC, 2024, 1, 5, 7, 0), "08:00", time.UTC, at(time.UTC, 2024, 1, 5, 8, 0)},
		{"exactly now is tomorrow", at(time.UTC, 2024, 1, 5, 8, 0), "08:00", time.UTC, at(time.UTC, 2024, 1, 6, 8, 0)},
		{"past today", at(time.UTC, 2024, 1, 5, 9, 0), "08:00", time.UTC, at(time.UTC, 2024, 1, 6, 8, 0)},
		{"year end", at(time.UTC, 2024, 12, 31, 23, 0), "08:00", time.UTC, at(time.UTC, 2025, 1, 1, 8, 0)},
		{"in Kyiv", at(time.UTC, 2024, 1, 5, 7, 0), "08:00", kyiv, time.Date(2024, 1, 6, 6, 0, 0, 0, time.UTC)},
		{"New York spring forward skips 02:30 to 03:00", at(ny, 2024, 3, 10, 0, 0), "02:30", ny, time.Date(2024, 3, 10, 7, 0, 0, 0, time.UTC)},
		{"New York day after spring forward", at(ny, 2024, 3, 10, 4, 0), "02:30", ny, time.Date(2024, 3, 11, 6, 30, 0, 0, time.UTC)},
		{"New York fall back takes the first 01:30", at(ny, 2024, 11, 3, 0, 0), "01:30", ny, time.Date(2024, 11, 3, 5, 30, 0, 0, time.UTC)},
		{"New York fall back after the first 01:30 is tomorrow", time.Date(2024, 11, 3, 5, 30, 0, 0, time.UTC), "01:30", ny, time.Date(2024, 11, 4, 6, 30, 0, 0, time.UTC)},
		{"Lord Howe half-hour spring forward", at(lordHowe, 2024, 10, 6, 0, 0), "02:15", lordHowe, time.Date(2024, 10, 5, 15, 30, 0, 0, time.UTC)},
		{"Lord Howe half-hour fall back takes the first", at(lordHowe, 2024, 4, 7, 0, 0), "01:45", lordHowe, time.Date(2024, 4, 6, 14, 45, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextDigest(tt.after, tt.hhmm, tt.loc)
			if !got.Equal(tt.want) {
				t.Fatalf("NextDigest(%v, %s, %s) = %v (%v local), want %v (%v local)", tt.after, tt.hhmm, tt.loc,
					got.UTC(), got.In(tt.loc), tt.want.UTC(), tt.want.In(tt.loc))
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	for _, s := range []string{"08:00", "8:05", "23:59", "00:00"} {
		if _, _, err := ParseClock(s); err != nil {
			t.Errorf("ParseClock(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "24:00", "8", "08:60", "8am", "08:00:00"} {
		if _, _, err := ParseClock(s); err == nil {
			t.Errorf("ParseClock(%q) accepted", s)
		}
	}
}
