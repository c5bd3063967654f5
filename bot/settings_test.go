package bot

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// settingsClock is a settable clock for the settings commands' tests.
type settingsClock struct{ t time.Time }

func (c *settingsClock) Now() time.Time { return c.t }

// newSettingsBot is the real bot (not running) over a real store, with the fake Bot API as its
// server; commands are run directly.
func newSettingsBot(t *testing.T, clock *settingsClock) *Bot {
	t.Helper()
	store, err := subscriptions.Open(context.Background(), subscriptions.Options{
		Path: filepath.Join(t.TempDir(), "bot.db"),
		Topics: []match.Topic{
			{Name: "Drones", Keywords: []string{"drone"}},
			{Name: "Black Sea", Keywords: []string{`"black sea"`}},
		},
		Now: clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	fake := fakebotapi.New(fakebotapi.Options{})
	t.Cleanup(fake.Close)
	b, err := newBot(Options{Token: fake.Token(), APIURL: fake.URL(), Store: store, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	b.me = &models.User{Username: "livealert_bot"}
	return b
}

// TestSettingsCommands runs scripts of commands in one private chat and compares the
// transcript of replies with a golden file.
func TestSettingsCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		script []string
	}{
		{"timezone", []string{"/timezone", "/timezone Kyiv", "/timezone utc-3:30", "/timezone america/new_york", "/timezone Atlantis <b>", "/tz Lord_Howe", "/timezone Australia/Lord_Howe"}},
		{"mode", []string{"/mode", "/follow Drones", "/follow \"black sea\" OR ports", "/mode", "/mode digest", "/mode drones instant", "/mode", "/mode drones sometimes", "/mode nothing both"}},
		{"quiet", []string{"/quiet", "/quiet 23:00-07:00", "/quiet", "/quiet 7pm", "/quiet 12:00-12:00", "/quiet off"}},
		{"mute", []string{"/mute", "/mute 2h", "/mute", "/mute off", "/follow Drones", "/mute drones 1d", "/mute drones off", "/mute forever", "/mute ports 1d"}},
		{"digest and timezone", []string{"/digest 07:30", "/timezone Tokyo", "/digest off", "/timezone London"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &settingsClock{t: time.Date(2024, 1, 5, 14, 48, 0, 0, time.UTC)}
			b := newSettingsBot(t, clock)
			in := incoming{chat: subscriptions.ChatInfo{ID: 42, Type: "private", Title: "Alice"}}
			var transcript strings.Builder
			for _, line := range tt.script {
				cmd, ok := parseCommand(line, "livealert_bot")
				if !ok {
					t.Fatalf("%q is not a command", line)
				}
				r, err := b.runCommand(context.Background(), &in, cmd)
				if err != nil {
					t.Fatalf("%s: %v", line, err)
				}
				checkTelegramHTML(t, r.text)
				transcript.WriteString("> " + line + "\n" + r.text + "\n\n")
				clock.t = clock.t.Add(time.Minute)
			}
			golden(t, "settings_"+strings.ReplaceAll(tt.name, " ", "_")+".txt", transcript.String())
		})
	}
}
