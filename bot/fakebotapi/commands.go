package fakebotapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Telegram's limits on bot commands.
const (
	maxCommandLength     = 32
	maxCommandDescLength = 256
)

// defaultScope is the canonical JSON of BotCommandScopeDefault.
const defaultScope = `{"type":"default"}`

// commandsKey identifies a command list by scope (canonical JSON) and
// language code.
func commandsKey(scopeJSON, lang string) (string, *apiError) {
	scope := defaultScope
	if strings.TrimSpace(scopeJSON) != "" {
		var v map[string]any
		d := json.NewDecoder(strings.NewReader(scopeJSON))
		d.UseNumber() // keep chat ids exact
		if err := d.Decode(&v); err != nil || v == nil {
			return "", badRequest("can't parse BotCommandScope JSON object")
		}
		b, _ := json.Marshal(v) // map keys come out sorted: canonical
		scope = string(b)
	}
	return scope + "\x00" + lang, nil
}

// setMyCommands validates commands as Telegram does (1-32 characters of
// a-z, 0-9 and _, a leading "/" dropped; descriptions 1-256 characters after
// trimming) and records them for the scope and language.
func (s *Server) setMyCommands(p params) (any, *apiError) {
	key, apiErr := commandsKey(p["scope"], p["language_code"])
	if apiErr != nil {
		return nil, apiErr
	}
	var commands []models.BotCommand
	if raw := p["commands"]; raw != "" {
		if err := json.Unmarshal([]byte(raw), &commands); err != nil {
			return nil, badRequest("can't parse commands JSON object")
		}
	}
	for i, c := range commands {
		c.Command = strings.TrimPrefix(strings.TrimSpace(c.Command), "/")
		c.Description = strings.TrimSpace(c.Description)
		switch {
		case c.Command == "":
			return nil, badRequest("command must be non-empty")
		case utf8.RuneCountInString(c.Command) > maxCommandLength:
			return nil, badRequest(fmt.Sprintf("command length must not exceed %d", maxCommandLength))
		case !validCommand(c.Command):
			return nil, badRequest("BOT_COMMAND_INVALID")
		case c.Description == "":
			return nil, badRequest("command description must be non-empty")
		case utf8.RuneCountInString(c.Description) > maxCommandDescLength:
			return nil, badRequest(fmt.Sprintf("command description length must not exceed %d", maxCommandDescLength))
		}
		commands[i] = c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.commands == nil {
		s.commands = map[string][]models.BotCommand{}
	}
	if len(commands) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = commands
	}
	s.notifyLocked()
	return true, nil
}

// validCommand reports whether c has only the characters Telegram allows.
func validCommand(c string) bool {
	for i := 0; i < len(c); i++ {
		if !('a' <= c[i] && c[i] <= 'z' || isDigit(c[i]) || c[i] == '_') {
			return false
		}
	}
	return true
}

// getMyCommands returns the commands recorded for the scope and language.
func (s *Server) getMyCommands(p params) (any, *apiError) {
	key, apiErr := commandsKey(p["scope"], p["language_code"])
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]models.BotCommand{}, s.commands[key]...), nil
}

// deleteMyCommands forgets the commands of the scope and language.
func (s *Server) deleteMyCommands(p params) (any, *apiError) {
	key, apiErr := commandsKey(p["scope"], p["language_code"])
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	s.notifyLocked()
	return true, nil
}

// Commands returns the commands the bot set for the default scope and no
// language code (setMyCommands without scope and language_code), nil if
// none.
func (s *Server) Commands() []models.BotCommand {
	return s.CommandsFor(nil, "")
}

// CommandsFor returns the commands the bot set for scope (nil: default) and
// languageCode, nil if none.
func (s *Server) CommandsFor(scope models.BotCommandScope, languageCode string) []models.BotCommand {
	scopeJSON := ""
	if scope != nil {
		b, err := scope.MarshalCustom()
		if err != nil {
			return nil
		}
		scopeJSON = string(b)
	}
	key, apiErr := commandsKey(scopeJSON, languageCode)
	if apiErr != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]models.BotCommand(nil), s.commands[key]...)
}
