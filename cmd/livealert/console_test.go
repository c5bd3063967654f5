package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"livealert/bot/locale"
	"livealert/sources"
	"livealert/subscriptions/match"
)

// TestConsoleCatalogIsTheExample keeps the console's embedded copy of config.example.yaml
// equal to the file.
func TestConsoleCatalogIsTheExample(t *testing.T) {
	t.Parallel()
	want, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(exampleConfig, want) {
		t.Fatal("cmd/livealert/console/config.example.yaml differs from config.example.yaml: cp config.example.yaml cmd/livealert/console/")
	}
}

// runningClock is a clock that starts at start and runs with the wall clock: dates in the
// output are fixed, and time passes for the replay and the sender.
func runningClock(start time.Time) func() time.Time {
	t0 := time.Now()
	return func() time.Time { return start.Add(time.Since(t0)) }
}

// runConsolePiped runs `livealert console args…` with stdin as its standard input and returns
// what it wrote to standard output.
func runConsolePiped(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	p := &program{
		stdin:  strings.NewReader(stdin),
		stdout: &stdout,
		stderr: &syncWriter{w: &stderr},
		getenv: func(string) string { return "" },
		now:    runningClock(time.Date(2026, 5, 7, 9, 0, 0, 0, time.UTC)),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := p.run(ctx, append([]string{"console"}, args...)); err != nil {
		t.Fatalf("console: %v\n%s", err, stderr.String())
	}
	return stdout.String()
}

// TestConsolePiped sends commands on standard input — /start, a topic tapped by its
// number, /follow — then the replay of a page runs and ends with the digest; the output is
// plain text.
func TestConsolePiped(t *testing.T) {
	t.Parallel()
	out := runConsolePiped(t, "/start\n2\n/follow ceasefire\n",
		"-config", "../../config.example.yaml", "-replay", "testdata/console_replay.txt", "-speed", "600")
	if strings.ContainsRune(out, '\x1b') {
		t.Error("piped output has escape codes")
	}
	golden(t, "console_piped.txt", out)
}

// TestConsolePipedCorpus is the README's piped example: following drones during the replay
// of the seed live blog prints an alert for each entry that mentions drones, once, and no
// other entry.
func TestConsolePipedCorpus(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(seedPath); err != nil {
		t.Skip("the corpus is absent: ", seedPath)
	}
	entries, err := parseReplay(context.Background(), sources.Source{Name: "seed"}, seedPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err := match.ParseQuery("drones")
	if err != nil {
		t.Fatal(err)
	}
	out := runConsolePiped(t, "/follow drones\n", "-replay", seedPath, "-speed", "36000") // the example runs at 3600; ten times faster reads the same
	alerts := 0
	for _, e := range entries {
		n := strings.Count(out, "\n"+e.Title+"\n")
		if q.Match(match.NewDocument(e.Title, e.Body)) {
			alerts++
			if n != 1 {
				t.Errorf("%q (mentions drones) appears %d times, want an alert once", e.Title, n)
			}
		} else if n != 0 {
			t.Errorf("%q (no drones) appears %d times as an alert", e.Title, n)
		}
	}
	if alerts == 0 {
		t.Fatal("no entry of the seed mentions drones")
	}
	if got := strings.Count(out, "🔔"); got != alerts {
		t.Errorf("%d alerts, want %d:\n%s", got, alerts, out)
	}
}

// TestConsolePipedUkrainian is TestConsolePiped with -lang uk, plus :help and a button that
// does not exist: the person writes to the bot in Ukrainian (its language_code is uk), and
// the bot's replies, buttons, alerts and digest and the console's own lines are in Ukrainian.
func TestConsolePipedUkrainian(t *testing.T) {
	t.Parallel()
	out := runConsolePiped(t, "/start\n2\n:help\n99\n/follow ceasefire\n",
		"-config", "../../config.example.yaml", "-replay", "testdata/console_replay.txt", "-speed", "600", "-lang", "uk")
	golden(t, "console_piped_uk.txt", out)
}

func TestConsoleLanguage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		flag string
		env  map[string]string
		want locale.Lang
	}{
		{"", nil, locale.English},
		{"uk", map[string]string{"LANG": "ru_RU.UTF-8"}, locale.Ukrainian},
		{"ru-RU", nil, locale.Russian},
		{"", map[string]string{"LANG": "uk_UA.UTF-8"}, locale.Ukrainian},
		{"", map[string]string{"LANG": "ru_UA.UTF-8@euro"}, locale.Russian},
		{"", map[string]string{"LANG": "uk.UTF-8"}, locale.Ukrainian},
		{"", map[string]string{"LC_MESSAGES": "ru_RU.UTF-8", "LANG": "uk_UA.UTF-8"}, locale.Russian},
		{"", map[string]string{"LC_ALL": "uk_UA.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}, locale.Ukrainian},
		// The first one set decides, even when the bot does not write in it.
		{"", map[string]string{"LC_ALL": "C", "LANG": "uk_UA.UTF-8"}, locale.English},
		{"", map[string]string{"LANG": "de_DE.UTF-8"}, locale.English},
	} {
		got, err := consoleLanguage(tc.flag, func(k string) string { return tc.env[k] })
		if err != nil || got != tc.want {
			t.Errorf("-lang %q, %v: %q, %v; want %q", tc.flag, tc.env, got, err, tc.want)
		}
	}
	if _, err := consoleLanguage("de", func(string) string { return "" }); err == nil {
		t.Error("-lang de is accepted")
	}
}

// TestConsoleUsageLanguage: `livealert console -h` is in the environment's language, or
// -lang's when it comes first.
func TestConsoleUsageLanguage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		lang string
		want string
	}{
		{[]string{"-h"}, "", "Runs the real bot"},
		{[]string{"-h"}, "uk_UA.UTF-8", "Запускає справжнього бота"},
		{[]string{"-lang", "ru", "-h"}, "uk_UA.UTF-8", "Запускает настоящего бота"},
	} {
		var stderr bytes.Buffer
		p := &program{stdout: io.Discard, stderr: &stderr, now: time.Now,
			getenv: func(k string) string {
				if k == "LANG" {
					return tc.lang
				}
				return ""
			}}
		if err := p.run(context.Background(), append([]string{"console"}, tc.args...)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stderr.String(), tc.want) || !strings.Contains(stderr.String(), "-lang") {
			t.Errorf("%v, LANG=%q: usage lacks %q:\n%s", tc.args, tc.lang, tc.want, stderr.String())
		}
	}
}
