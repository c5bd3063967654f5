package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// tokenRE is the shape of a Bot API token: the bot's id, a colon, the secret.
var tokenRE = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)

// token reads the bot token from the environment, else from telegram.token_file. White space
// and a byte-order mark around it are dropped. Its errors are *usageError and never hold the
// token or any part of it: a value that is not shaped like a token is refused here, because
// the bot builds request URLs from it and an escaped URL in an HTTP error would slip past the
// bot's redaction of the raw token.
func (p *program) token(cfg Config) (string, error) {
	if t := cleanToken(p.getenv(tokenEnv)); t != "" {
		if !tokenRE.MatchString(t) {
			return "", &usageError{msg: fmt.Sprintf("%s does not hold a bot token like 123456:ABC-DEF1234 (one line from @BotFather)", tokenEnv)}
		}
		return t, nil
	}
	if cfg.Telegram.TokenFile != "" {
		data, err := os.ReadFile(cfg.Telegram.TokenFile)
		if err != nil {
			return "", &usageError{msg: fmt.Sprintf("telegram.token_file: %v", err)}
		}
		t := cleanToken(string(data))
		switch {
		case t == "":
			return "", &usageError{msg: fmt.Sprintf("telegram.token_file: %s is empty", cfg.Telegram.TokenFile)}
		case !tokenRE.MatchString(t):
			return "", &usageError{msg: fmt.Sprintf("telegram.token_file: %s does not hold a bot token like 123456:ABC-DEF1234 (one line from @BotFather)", cfg.Telegram.TokenFile)}
		}
		return t, nil
	}
	return "", &usageError{msg: fmt.Sprintf("no bot token: set %s=<token from @BotFather> (or telegram.token_file in the config)", tokenEnv)}
}

// cleanToken trims white space and byte-order marks from both ends of s.
func cleanToken(s string) string {
	return strings.Trim(s, " \t\r\n\v\f\ufeff")
}
