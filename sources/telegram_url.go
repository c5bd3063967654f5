package sources

import (
	"net/url"
	"strings"
)

// Bounds of a Telegram username (a public channel's @name).
const (
	minTelegramName = 5
	maxTelegramName = 32
)

// telegramReserved are t.me paths of the right shape that name no channel.
var telegramReserved = map[string]bool{
	"joinchat": true, "addstickers": true, "addemoji": true, "addtheme": true, "addlist": true,
	"setlanguage": true, "share": true, "proxy": true, "socks": true, "login": true,
	"confirmphone": true, "invoice": true, "boost": true, "contact": true, "iv": true,
}

// TelegramChannelURL returns the address of the public web preview of the Telegram channel s
// names, https://t.me/s/<name>, and true; or "" and false when s names no channel. s may be
// "@name", "name" after t.me/ or telegram.me/ with or without http(s):// and www., with or
// without the /s/ of the preview, with or without a trailing slash; nothing else (no query,
// fragment, post number or user info). The name must be a Telegram username: 5 to 32
// letters, digits and underscores, starting with a letter; its case is kept.
func TelegramChannelURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	var name string
	if rest, ok := strings.CutPrefix(s, "@"); ok {
		name = rest
	} else {
		raw := s
		if !strings.Contains(raw, "://") {
			raw = "https://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil ||
			u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Port() != "" {
			return "", false
		}
		switch strings.ToLower(u.Hostname()) {
		case "t.me", "www.t.me", "telegram.me", "www.telegram.me":
		default:
			return "", false
		}
		path := strings.TrimSuffix(u.EscapedPath(), "/")
		path = strings.TrimPrefix(path, "/")
		path = strings.TrimPrefix(path, "s/")
		name = path
	}
	if !isTelegramName(name) || telegramReserved[strings.ToLower(name)] {
		return "", false
	}
	return "https://t.me/s/" + name, true
}

// isTelegramName reports whether s is a Telegram username: 5 to 32 ASCII letters, digits and
// underscores, starting with a letter.
func isTelegramName(s string) bool {
	if len(s) < minTelegramName || len(s) > maxTelegramName {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '_'):
		default:
			return false
		}
	}
	return true
}
