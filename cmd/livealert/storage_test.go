package main

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions"
	"livealert/subscriptions/storetest"
)

// TestPostgresFromEnvironment runs livealert on PostgreSQL, its DSN (with a password, which
// the test server's trust authentication ignores) given in $LIVEALERT_DATABASE_URL only: a
// user's subscription lands in that database, and no log line shows the password.
func TestPostgresFromEnvironment(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(storetest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "s3cret-pw")
	dsn := u.String()
	api := fakebotapi.New(fakebotapi.Options{})
	t.Cleanup(api.Close)
	config := writeConfig(t, "telegram:\n  api_url: "+api.URL()+"\nstorage:\n  driver: postgres\n"+
		"sources:\n  - name: wire\n    url: "+filepath.Join(t.TempDir(), "live.txt")+"\n")
	clock := &e2eClock{now: time.Date(2024, 1, 5, 19, 0, 0, 0, time.UTC)}
	lr := startLivealertWith(t, api, config, clock, func(p *program) {
		p.getenv = func(k string) string {
			return map[string]string{tokenEnv: api.Token(), databaseURLEnv: dsn}[k]
		}
	})
	user := fakebotapi.User{ID: 501, FirstName: "Dana"}
	api.SendMessage(fakebotapi.PrivateChat(user), user, "/start")
	api.SendMessage(fakebotapi.PrivateChat(user), user, "/follow drones")
	wait, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := api.WaitMessages(wait, user.ID, 2); err != nil {
		t.Fatal(err)
	}
	lr.stop()
	logs := lr.stderr.String()
	if strings.Contains(logs, "s3cret-pw") {
		t.Fatalf("the logs show the database password:\n%s", logs)
	}
	if want := `storage="` + subscriptions.RedactDSN(dsn) + `"`; !strings.Contains(logs, want) {
		t.Errorf("the logs do not name the database as %q:\n%s", want, logs)
	}
	store, err := subscriptions.Open(context.Background(), subscriptions.Options{Driver: subscriptions.DriverPostgres, DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	subs, err := store.Subscriptions(context.Background(), user.ID)
	if err != nil || len(subs) != 1 || subs[0].Query != "drones" {
		t.Fatalf("subscriptions in PostgreSQL: %+v (%v), want the one to drones", subs, err)
	}
}

// TestPostgresWithoutDSN starts livealert with driver postgres and no DSN anywhere: it exits
// at once with a usage error naming both places a DSN may come from.
func TestPostgresWithoutDSN(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, "storage:\n  driver: postgres\n"+minimalConfig)
	p := &program{stdout: &strings.Builder{}, stderr: &strings.Builder{}, now: time.Now,
		getenv: func(k string) string { return map[string]string{tokenEnv: "123456:x"}[k] }}
	err := p.run(context.Background(), []string{"-config", config})
	if err == nil || !strings.Contains(err.Error(), "storage.dsn") || !strings.Contains(err.Error(), databaseURLEnv) {
		t.Fatalf("run returned %v, want a usage error naming storage.dsn and $%s", err, databaseURLEnv)
	}
	if code := exitCode(err); code != 2 {
		t.Fatalf("exit code %d, want 2", code)
	}
}
