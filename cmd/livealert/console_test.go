package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

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
	out := runConsolePiped(t, "/follow drones\n", "-replay", seedPath, "-speed", "3600")
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
