package bot

import "testing"

func TestParseTick(t *testing.T) {
	tests := []struct {
		name string
		spec string
		ok   bool
	}{
		{"every minute", "* * * * *", true},
		{"every five minutes", "*/5 * * * *", true},
		{"descriptor", "@every 30s", true},
		{"zone prefix alone would panic cron's parser", "CRON_TZ=UTC", false},
		{"zone prefix", "TZ=Europe/Kyiv * * * * *", false},
		{"a chat's clock is not a spec", "08:00", false},
		{"empty", "", false},
		{"too many fields", "* * * * * *", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTick(tt.spec)
			if (err == nil) != tt.ok {
				t.Fatalf("parseTick(%q) error %v, want ok %v", tt.spec, err, tt.ok)
			}
		})
	}
}
