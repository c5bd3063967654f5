package sources

import "testing"

func TestTelegramChannelURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // "" when it names no channel
	}{
		{"@vvgladkov", "https://t.me/s/vvgladkov"},
		{"  @vvgladkov\n", "https://t.me/s/vvgladkov"},
		{"t.me/vvgladkov", "https://t.me/s/vvgladkov"},
		{"https://t.me/vvgladkov", "https://t.me/s/vvgladkov"},
		{"http://t.me/vvgladkov/", "https://t.me/s/vvgladkov"},
		{"https://t.me/s/vvgladkov", "https://t.me/s/vvgladkov"},
		{"t.me/s/vvgladkov/", "https://t.me/s/vvgladkov"},
		{"https://www.t.me/Kharkiv_Live", "https://t.me/s/Kharkiv_Live"},
		{"telegram.me/synegubov", "https://t.me/s/synegubov"},
		{"HTTPS://T.ME/synegubov", "https://t.me/s/synegubov"},
		{"@abcde", "https://t.me/s/abcde"},
		{"@a2345678901234567890123456789012", "https://t.me/s/a2345678901234567890123456789012"},

		{"@abcd", ""}, // too short
		{"@a23456789012345678901234567890123", ""}, // 33 characters
		{"@1abcde", ""},                     // starts with a digit
		{"@_abcde", ""},                     // starts with an underscore
		{"@вячеслав", ""},                   // not ASCII
		{"@vv-gladkov", ""},                 // a hyphen
		{"@", ""},                           // nothing
		{"", ""},                            // nothing
		{"vvgladkov", ""},                   // a bare word is a file name
		{"https://t.me/vvgladkov/4521", ""}, // a post, not a channel
		{"https://t.me/s/vvgladkov?before=4500", ""}, // a query
		{"https://t.me/vvgladkov#x", ""},             // a fragment
		{"https://t.me:8443/vvgladkov", ""},          // a port
		{"https://user:pw@t.me/vvgladkov", ""},       // user info
		{"https://t.me.evil.org/vvgladkov", ""},      // another host
		{"https://evil.org/t.me/vvgladkov", ""},      // another host
		{"ftp://t.me/vvgladkov", ""},                 // another scheme
		{"https://t.me/joinchat", ""},                // reserved
		{"https://t.me/+AbCdEfGhIjK", ""},            // an invite link
		{"https://t.me/s/", ""},                      // no name
		{"https://t.me/c/123456/7", ""},              // a private chat's post
		{"https://t.me/vv%67ladkov", ""},             // escaped
	}
	for _, tt := range tests {
		got, ok := TelegramChannelURL(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("TelegramChannelURL(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}
