package bot

import "strings"

// maxLoggedError bounds an error message as logged: an error may carry the body of a reply
// from the Bot API server or a proxy in front of it.
const maxLoggedError = 500

// redactor masks secrets (the bot token, a webhook secret) in error messages in every form
// they can take there: as they are, or with any of their bytes percent-encoded (in either
// case of hex digits, as a path or a query quotes them, "+" for a space), so an error body
// that echoes a request URL leaks nothing.
type redactor struct {
	secrets []string
}

func newRedactor(secrets ...string) redactor {
	var r redactor
	for _, s := range secrets {
		if s != "" {
			r.secrets = append(r.secrets, s)
		}
	}
	return r
}

// redact returns err's message with every secret masked, cut to maxLoggedError bytes.
func (r redactor) redact(err error) string {
	if err == nil {
		return ""
	}
	msg := r.mask(err.Error())
	if len(msg) > maxLoggedError {
		cut := maxLoggedError
		for cut > 0 && msg[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		msg = msg[:cut] + "…"
	}
	return msg
}

// mask replaces every occurrence of a secret in msg, in any of its encodings, by <redacted>.
func (r redactor) mask(msg string) string {
	if len(r.secrets) == 0 {
		return msg
	}
	var b strings.Builder
	for i := 0; i < len(msg); {
		n := 0
		for _, s := range r.secrets {
			if n = encodedPrefix(msg[i:], s); n > 0 {
				break
			}
		}
		if n > 0 {
			b.WriteString("<redacted>")
			i += n
			continue
		}
		b.WriteByte(msg[i])
		i++
	}
	return b.String()
}

// encodedPrefix returns how many bytes of msg spell secret, each of its bytes as it is or
// percent-encoded, 0 when msg does not start with it.
func encodedPrefix(msg, secret string) int {
	j := 0
	for k := 0; k < len(secret); k++ {
		c := secret[k]
		switch {
		case j < len(msg) && msg[j] == c:
			j++
		case j+2 < len(msg) && msg[j] == '%' && hexByte(msg[j+1], msg[j+2]) == int(c):
			j += 3
		case c == ' ' && j < len(msg) && msg[j] == '+':
			j++
		default:
			return 0
		}
	}
	return j
}

// hexByte is the byte two hex digits spell, -1 when they are not hex digits.
func hexByte(hi, lo byte) int {
	h, l := unhex(hi), unhex(lo)
	if h < 0 || l < 0 {
		return -1
	}
	return h<<4 | l
}

// unhex is the value of a hex digit, -1 for another byte.
func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
