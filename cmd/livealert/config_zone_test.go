package main

import (
	"strings"
	"testing"
)

// TestConfigDigestTimeZone: digest.time_zone is read as /timezone reads it.
func TestConfigDigestTimeZone(t *testing.T) {
	tests := []struct {
		zone string
		ok   bool
	}{
		{"UTC", true}, {"Europe/Kyiv", true}, {"Kyiv", true}, {"new york", true}, {"UTC+3", true}, {"UTC-03:30", true},
		{"Local", false}, {"", false}, {"Mars/Olympus", false}, {"UTC+15", false},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			c := defaultConfig()
			c.Digest.TimeZone = tt.zone
			bad := false
			for _, p := range c.Validate() {
				bad = bad || strings.HasPrefix(p, "digest.time_zone:")
			}
			if bad == tt.ok {
				t.Fatalf("digest.time_zone %q: refused %v, want accepted %v", tt.zone, bad, tt.ok)
			}
		})
	}
}
