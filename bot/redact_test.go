package bot

import (
	"errors"
	"strings"
	"testing"
)

func TestRedactEveryForm(t *testing.T) {
	t.Parallel()
	const token = "123456:ABC-def_ghi/+="
	r := newRedactor(token, "webhook secret")
	for _, form := range []string{
		"Post \"https://api.telegram.org/bot123456:ABC-def_ghi/+=/getMe\": dial tcp: i/o timeout",
		"bad gateway: <html>GET /bot123456%3AABC-def_ghi%2F+=/getMe</html>",
		"bad gateway: GET /bot123456%3aABC-def_ghi%2f+=/getMe",
		"proxy: /getMe?token=123456%3AABC-def_ghi%2F%2B%3D",
		"echo: 123456%3aABC%2ddef_ghi%2f%2b%3d",
		"the secret webhook secret and webhook+secret and webhook%20secret",
	} {
		got := r.redact(errors.New(form))
		for _, leak := range []string{"ABC-def", "ABC%2ddef", "webhook secret", "webhook+secret", "webhook%20secret"} {
			if strings.Contains(got, leak) {
				t.Errorf("%q → %q: leaks %q", form, got, leak)
			}
		}
		if !strings.Contains(got, "<redacted>") {
			t.Errorf("%q → %q: nothing masked", form, got)
		}
	}
	long := r.redact(errors.New(strings.Repeat("é", 2*maxLoggedError)))
	if len(long) > maxLoggedError+len("…") || !strings.HasSuffix(long, "…") {
		t.Errorf("a long error is logged as %d bytes", len(long))
	}
	if got := (redactor{}).redact(errors.New("plain")); got != "plain" {
		t.Errorf("no secrets: %q", got)
	}
}
