package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"livealert/bot/fakebotapi"
)

// seedPath is the real live blog of the corpus; the end-to-end test serves it.
const seedPath = "../../../shared/corpus/trtworld-liveblog-2024-01-05.txt"

// e2eClock is the injected clock of the end-to-end test.
type e2eClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *e2eClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *e2eClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// liveBlog serves one page whose text the test changes, and counts the polls.
type liveBlog struct {
	mu    sync.Mutex
	text  string
	polls int // answered with the page, not with an error
	srv   *httptest.Server
}

func newLiveBlog(t *testing.T, text string) *liveBlog {
	lb := &liveBlog{text: text}
	lb.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		lb.mu.Lock()
		defer lb.mu.Unlock()
		if lb.text == "" {
			http.Error(w, "not yet", http.StatusServiceUnavailable)
			return
		}
		lb.polls++
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(lb.text))
	}))
	t.Cleanup(lb.srv.Close)
	return lb
}

func (lb *liveBlog) set(text string) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	lb.text = text
}

func (lb *liveBlog) pollCount() int {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	return lb.polls
}

// waitPolls blocks until the page has been served n more times than now.
func (lb *liveBlog) waitPolls(t *testing.T, n int) {
	t.Helper()
	want := lb.pollCount() + n
	deadline := time.Now().Add(20 * time.Second)
	for lb.pollCount() < want {
		if time.Now().After(deadline) {
			t.Fatalf("the live blog was polled %d times, waiting for %d", lb.pollCount(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// exampleConfigFor is config.example.yaml — its real catalog and settings — pointed at the
// fake Bot API, a database in dir and the one live blog at pageURL.
func exampleConfigFor(t *testing.T, apiURL, dir, pageURL string) string {
	t.Helper()
	data, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	set := func(path []string, value *yaml.Node) {
		n := doc.Content[0]
		for i, key := range path {
			found := false
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == key {
					if i == len(path)-1 {
						n.Content[j+1] = value
					}
					n, found = n.Content[j+1], true
					break
				}
			}
			if !found {
				t.Fatalf("config.example.yaml has no %s", strings.Join(path[:i+1], "."))
			}
		}
	}
	scalar := func(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }
	set([]string{"telegram", "api_url"}, scalar(apiURL))
	set([]string{"storage", "path"}, scalar(filepath.Join(dir, "livealert.db")))
	var src yaml.Node
	if err := yaml.Unmarshal([]byte("- name: TRT World\n  url: "+pageURL+"\n  format: liveblog\n  poll_interval: 30ms\n"), &src); err != nil {
		t.Fatal(err)
	}
	set([]string{"sources"}, src.Content[0])
	set([]string{"log", "level"}, scalar("warn"))
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// running is livealert started in-process by run(), as main starts it.
type running struct {
	cancel context.CancelFunc
	done   chan error
	stderr *bytes.Buffer
}

func startLivealert(t *testing.T, api *fakebotapi.Server, config string, clock *e2eClock) *running {
	t.Helper()
	return startLivealertWith(t, api, config, clock, func(*program) {})
}

// startLivealertWith is startLivealert with the program adjusted first.
func startLivealertWith(t *testing.T, api *fakebotapi.Server, config string, clock *e2eClock, adjust func(*program)) *running {
	t.Helper()
	connected := api.Calls("setMyCommands") + 1
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1), stderr: &bytes.Buffer{}}
	p := &program{
		stdout:      &bytes.Buffer{},
		stderr:      &syncWriter{w: r.stderr},
		getenv:      func(k string) string { return map[string]string{tokenEnv: api.Token()}[k] },
		now:         clock.Now,
		digestTick:  "@every 1s",
		pollTimeout: 10 * time.Second, // the client takes 1s off: 1s would poll without pause
	}
	adjust(p)
	go func() { r.done <- p.run(ctx, []string{"-config", config}) }()
	t.Cleanup(r.stop)
	wait, cancelWait := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancelWait()
	if err := api.WaitCalls(wait, "setMyCommands", connected); err != nil {
		r.stop()
		t.Fatalf("livealert did not connect: %v\n%s", err, r.stderr)
	}
	return r
}

func (r *running) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	if err := <-r.done; err != nil {
		panic("livealert stopped with " + err.Error())
	}
	r.cancel = nil
}

// syncWriter serialises writes from the program's goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *syncWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// seedPages returns the seed as first served — its date line and oldest five entries — and
// whole.
func seedPages(t *testing.T) (first, whole string) {
	t.Helper()
	data, err := os.ReadFile(seedPath)
	if os.IsNotExist(err) {
		t.Skip("the corpus is absent: ", seedPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	whole = string(data)
	dateLine, _, _ := strings.Cut(whole, "\n")
	i := strings.Index(whole, "\n1024 GMT")
	if i < 0 {
		t.Fatal("the seed has no 1024 GMT entry")
	}
	return dateLine + whole[i:], whole
}

type e2eChat struct {
	user    fakebotapi.User
	command string
	alerts  []string // titles, in order
}

// TestEndToEnd runs livealert as an operator would, with config.example.yaml's catalog,
// against the fake Bot API and the seed live blog served over HTTP, and checks what each
// chat gets: the new matching entries once, no flood from the first poll, nothing again after
// a restart, one digest each.
func TestEndToEnd(t *testing.T) {
	first, whole := seedPages(t)
	dir := t.TempDir()
	api := fakebotapi.New(fakebotapi.Options{EnforceLimits: true})
	t.Cleanup(api.Close)
	blog := newLiveBlog(t, "") // down until everyone has subscribed
	config := exampleConfigFor(t, api.URL(), dir, blog.srv.URL+"/live")
	clock := &e2eClock{now: time.Date(2024, 1, 5, 19, 0, 0, 0, time.UTC)}

	lr := startLivealert(t, api, config, clock)

	chats := []e2eChat{
		{user: fakebotapi.User{ID: 501, FirstName: "Dana"}, command: "/follow drones",
			alerts: []string{"Russia claims it downed Ukrainian missile, drones"}},
		{user: fakebotapi.User{ID: 502, FirstName: "Boris"}, command: "/follow Belgorod",
			alerts: []string{"Russia's Belgorod region bordering Ukraine offered to move some residents from its capital to safety, after Kiev's forces pounded the city with intense bouts of shelling."}},
		{user: fakebotapi.User{ID: 503, FirstName: "Dilek"}, command: "/follow Diplomacy",
			alerts: []string{"Türkiye 'ready' to hold Russia-Ukraine peace talks: Erdogan to Zelenskyy"}},
		{user: fakebotapi.User{ID: 504, FirstName: "Quiet"}, command: "/follow weather",
			alerts: nil},
	}
	wait, cancelWait := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancelWait()
	for _, c := range chats {
		api.SendMessage(fakebotapi.PrivateChat(c.user), c.user, "/start")
		api.SendMessage(fakebotapi.PrivateChat(c.user), c.user, c.command)
		if _, err := api.WaitMessages(wait, c.user.ID, 2); err != nil {
			t.Fatal(err)
		}
	}

	// The first poll that works records what is there and alerts nobody, although the
	// Belgorod chat already follows what it holds.
	blog.set(first)
	blog.waitPolls(t, 2) // the first has been handled once the second is asked for
	for _, c := range chats {
		if n := len(api.Messages(c.user.ID)); n != 2 {
			t.Fatalf("%s got %d messages from the first poll, want none", c.user.FirstName, n-2)
		}
	}

	blog.set(whole)
	for _, c := range chats {
		if len(c.alerts) > 0 {
			if _, err := api.WaitMessages(wait, c.user.ID, 2+len(c.alerts)); err != nil {
				t.Fatal(err)
			}
		}
	}
	blog.waitPolls(t, 3) // time for anything extra to arrive
	for _, c := range chats {
		msgs := api.Messages(c.user.ID)[2:]
		if len(msgs) != len(c.alerts) {
			t.Fatalf("%s (%s) got %d alerts, want %d: %+v", c.user.FirstName, c.command, len(msgs), len(c.alerts), msgs)
		}
		for i, m := range msgs {
			if m.ParseMode != "HTML" || !m.LinkPreviewDisabled {
				t.Errorf("%s's alert %d: parse mode %q, link previews disabled %v; want HTML without previews", c.user.FirstName, i, m.ParseMode, m.LinkPreviewDisabled)
			}
			if !strings.Contains(m.PlainText, c.alerts[i]) || !strings.Contains(m.PlainText, "TRT World") {
				t.Errorf("%s's alert %d:\n%s\nwant the title %q and the source", c.user.FirstName, i, m.PlainText, c.alerts[i])
			}
		}
	}

	// The next morning's digest: one per chat with something new, holding just its entries.
	clock.Set(time.Date(2024, 1, 6, 8, 0, 30, 0, time.UTC))
	for _, c := range chats {
		if len(c.alerts) == 0 {
			continue
		}
		msgs, err := api.WaitMessages(wait, c.user.ID, 3+len(c.alerts))
		if err != nil {
			t.Fatal(err)
		}
		digest := msgs[len(msgs)-1].PlainText
		if !strings.Contains(digest, "Daily digest") {
			t.Fatalf("%s's last message is not a digest:\n%s", c.user.FirstName, digest)
		}
		for _, title := range c.alerts {
			if !strings.Contains(digest, truncatedTitle(title)) {
				t.Errorf("%s's digest lacks %q:\n%s", c.user.FirstName, title, digest)
			}
		}
	}

	// A restart sends nothing again: not the alerts, not the digests, not the command answers.
	before := len(api.AllMessages())
	lr.stop()
	startLivealert(t, api, config, clock)
	blog.waitPolls(t, 3)
	time.Sleep(2500 * time.Millisecond) // two digest ticks
	if after := api.AllMessages(); len(after) != before {
		t.Fatalf("after a restart the bot sent %d more messages: %+v", len(after)-before, after[before:])
	}
	// The fake enforces Telegram's limits, which the sender's pacing keeps within.
	if n := api.TooManyRequestsServed(); n != 0 {
		t.Fatalf("Telegram answered 429 %d times", n)
	}
}

// truncatedTitle is the part of a title a digest line surely shows.
func truncatedTitle(title string) string {
	if r := []rune(title); len(r) > 40 {
		return string(r[:40])
	}
	return title
}

func TestNoTokenExitsTwoWithOneLine(t *testing.T) {
	var stderr bytes.Buffer
	p := &program{stdout: &bytes.Buffer{}, stderr: &stderr, getenv: func(string) string { return "" }, now: time.Now}
	err := p.run(context.Background(), []string{"-config", "../../config.example.yaml"})
	if err == nil || exitCode(err) != 2 {
		t.Fatalf("err %v, exit code %d; want exit code 2", err, exitCode(err))
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, tokenEnv+"=") {
		t.Fatalf("want one line saying how to set %s, got %q", tokenEnv, msg)
	}
	if stderr.Len() != 0 {
		t.Fatalf("wrote to stderr before failing: %q", stderr.String())
	}
}

func TestConfigErrorsExitTwoWithEveryPath(t *testing.T) {
	path := writeConfig(t, "telegram:\n  api_url: nowhere\nsources:\n  - name: a\n    poll_interval: soon\ndigest:\n  time_zone: Mars/Olympus\n")
	p := &program{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "1:x" }, now: time.Now}
	err := p.run(context.Background(), []string{"-config", path})
	if exitCode(err) != 2 {
		t.Fatalf("exit code %d for %v, want 2", exitCode(err), err)
	}
	for _, want := range []string{"telegram.api_url:", "sources[0].url:", "sources[0].poll_interval:", "digest.time_zone:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not name %s:\n%v", want, err)
		}
	}
}

func TestVersion(t *testing.T) {
	var stdout bytes.Buffer
	p := &program{stdout: &stdout, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }, now: time.Now}
	if err := p.run(context.Background(), []string{"-version"}); err != nil {
		t.Fatal(err)
	}
	if got := stdout.String(); got != "livealert "+buildVersion()+"\n" {
		t.Fatalf("-version printed %q", got)
	}
}
