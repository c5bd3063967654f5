package bot

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"livealert/bot/deliver"
	"livealert/bot/fakebotapi"
	"livealert/sources"
	"livealert/subscriptions"
)

// benchBot runs a bot for a benchmark against api, on a database with n private chats (ids
// 1..n) following Storms and the live blog already primed. It returns the running bot; it
// stops with the benchmark.
func benchBot(b *testing.B, api *fakebotapi.Server, n int, adjust func(*Options)) *Bot {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	path := filepath.Join(b.TempDir(), "bench.db")
	seedStormFollowers(b, path, n)
	store, err := subscriptions.Open(ctx, subscriptions.Options{Path: path, Topics: testTopics})
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{
		// PollTimeout stays at its default, as in production: go-telegram/bot asks for a
		// timeout a second shorter than it, so one second would make getUpdates spin.
		Token: api.Token(), APIURL: api.URL(), Store: store, DigestTick: "@every 8760h",
		Fetcher: sources.NewFetcher(sources.FetcherOptions{}),
	}
	if adjust != nil {
		adjust(&opts)
	}
	bot, err := newBot(opts)
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- bot.run(ctx) }()
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("bot: %v", err)
		}
		store.Close()
	})
	if err := api.WaitCalls(ctx, "setMyCommands", 1); err != nil {
		b.Fatal(err)
	}
	return bot
}

// seedStormFollowers writes n private chats following Storms, and a primed Harbour Wire, into
// a new database at path.
func seedStormFollowers(b *testing.B, path string, n int) {
	b.Helper()
	ctx := context.Background()
	store, err := subscriptions.Open(ctx, subscriptions.Options{Path: path, Topics: testTopics})
	if err != nil {
		b.Fatal(err)
	}
	store.Close()
	db, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate&_foreign_keys=on")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for id := 1; id <= n; id++ {
		if _, err := tx.Exec(`INSERT INTO chats (id, type, time_zone, created_at) VALUES (?, 'private', 'UTC', 1)`, id); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO subscriptions (chat_id, topic, created_at) VALUES (?, 'storms', 1)`, id); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := tx.Exec(`INSERT INTO source_state (name, primed) VALUES ('Harbour Wire', 1)`); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

func benchIngest(b *testing.B, bot *Bot, id string) {
	b.Helper()
	e := sources.Entry{Source: "Harbour Wire", ID: id, Title: "Storm surge floods the harbour road " + id,
		Body: []string{"Water reached the ferry terminal."}, Published: time.Now()}
	e.Hash = sources.ContentHash(e.Title, e.Body)
	if err := bot.ingest(context.Background(), sources.Source{Name: "Harbour Wire"}, []sources.Entry{e}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSenderThroughput measures sends a second with every limit lifted, against a fake
// Bot API that answers at once: each op fans one entry out to 2,000 chats. Target 2,000
// msg/s; cpu-µs/msg (the fake's share included) is the number to compare on a shared
// machine: ~400-520 since alert keyboards came from the matcher (750-900 before).
func BenchmarkSenderThroughput(b *testing.B) {
	const chats = 2000
	api := fakebotapi.New(fakebotapi.Options{})
	b.Cleanup(api.Close)
	bot := benchBot(b, api, chats, func(o *Options) { o.Rate, o.PrivateInterval, o.GroupInterval = -1, -1, -1 })
	ctx := context.Background()
	cpu := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		benchIngest(b, bot, fmt.Sprint(i))
		if err := api.WaitCalls(ctx, "sendMessage", (i+1)*chats); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*chats)/b.Elapsed().Seconds(), "msg/s")
	// The CPU a message costs, the fake's share included, says what the machine allows when
	// it is not shared.
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N*chats), "cpu-µs/msg")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSenderDefaultLimits measures, with the default limits (25 a second), the rate
// achieved over a window as a fraction of the configured rate, against a fake that answers
// 429 where Telegram would. The window is 60s when LIVEALERT_BENCH_WINDOW=60s, else 5s.
func BenchmarkSenderDefaultLimits(b *testing.B) {
	window := benchWindow(5 * time.Second)
	chats := int(window.Seconds()*deliver.DefaultRate) + 500
	var fraction float64
	var tooMany int
	for range b.N {
		api := fakebotapi.New(fakebotapi.Options{EnforceLimits: true})
		bot := benchBot(b, api, chats, nil)
		start := time.Now()
		benchIngest(b, bot, "1")
		time.Sleep(time.Until(start.Add(window)))
		sent := api.Calls("sendMessage") - api.TooManyRequestsServed()
		fraction = float64(sent) / (window.Seconds() * deliver.DefaultRate)
		tooMany += api.TooManyRequestsServed()
		api.Close()
	}
	b.ReportMetric(fraction, "of_rate")
	b.ReportMetric(float64(tooMany)/float64(b.N), "429s/op")
}

// benchWindow is LIVEALERT_BENCH_WINDOW when set, else def.
func benchWindow(def time.Duration) time.Duration {
	if w, err := time.ParseDuration(os.Getenv("LIVEALERT_BENCH_WINDOW")); err == nil {
		return w
	}
	return def
}

// BenchmarkSenderAtLatency measures, against a fake Bot API that takes 100 ms to answer each
// request (Telegram's round trip from far away), the rate sustained at rate 1000 with paid
// broadcasts over a 20 s window (LIVEALERT_BENCH_WINDOW), as a fraction of 1000/s (target
// ≥ 0.97), with the in-flight bound it settled on and the CPU per message.
func BenchmarkSenderAtLatency(b *testing.B) {
	const rate, latency = 1000, 100 * time.Millisecond
	window := benchWindow(20 * time.Second)
	chats := int(window.Seconds()*rate) + 3000
	var fraction, limit float64
	cpuPerMsg := 0.0
	for range b.N {
		api := fakebotapi.New(fakebotapi.Options{})
		api.SetLatency(latency)
		bot := benchBot(b, api, chats, func(o *Options) { o.Rate, o.PaidBroadcast = rate, true })
		ctx := context.Background()
		benchIngest(b, bot, "1")
		if err := api.WaitCalls(ctx, "sendMessage", 1); err != nil {
			b.Fatal(err)
		}
		// Measured from one second in, when the in-flight bound has followed the round trip.
		time.Sleep(time.Second)
		first, cpu, start := api.Calls("sendMessage"), cpuTime(), time.Now()
		time.Sleep(window)
		sent := api.Calls("sendMessage") - first
		elapsed := time.Since(start)
		fraction = float64(sent) / elapsed.Seconds() / rate
		cpuPerMsg = float64((cpuTime() - cpu).Microseconds()) / float64(sent)
		_, l := bot.sender.InFlight()
		limit = float64(l)
		api.Close()
	}
	b.ReportMetric(fraction, "of_rate")
	b.ReportMetric(limit, "in_flight")
	b.ReportMetric(cpuPerMsg, "cpu-µs/msg")
}

// BenchmarkSenderNo429 fans one alert out to 1,000 private chats at the default rate (25 a
// second) against a fake that answers 429 where Telegram would, counting arrivals the way
// Telegram does, and reports the 429s per op: the target is 0. LIVEALERT_BENCH_LATENCY sets
// the fake's round trip (0 by default).
func BenchmarkSenderNo429(b *testing.B) {
	const chats = 1000
	latency, _ := time.ParseDuration(os.Getenv("LIVEALERT_BENCH_LATENCY"))
	tooMany := 0
	for range b.N {
		api := fakebotapi.New(fakebotapi.Options{EnforceLimits: true})
		api.SetLatency(latency)
		bot := benchBot(b, api, chats, nil)
		benchIngest(b, bot, "1")
		err := api.WaitFor(context.Background(), func() bool {
			return api.Calls("sendMessage")-api.TooManyRequestsServed() >= chats
		})
		if err != nil {
			b.Fatal(err)
		}
		tooMany += api.TooManyRequestsServed()
		api.Close()
	}
	b.ReportMetric(float64(tooMany)/float64(b.N), "429s/op")
}
