// Command livealert is a Telegram bot that watches live blogs and news feeds, alerts chats
// the moment an entry matches what they follow, and sends each chat a daily digest.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones work on systems without zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p := newProgram()
	if err := p.run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "livealert:", err)
		os.Exit(exitCode(err))
	}
}

// exitCode is 2 for a usage or configuration problem and 1 for anything else.
func exitCode(err error) int {
	var cfgErr *ConfigError
	var usage *usageError
	if errors.As(err, &cfgErr) || errors.As(err, &usage) {
		return 2
	}
	return 1
}

// usageError is a problem with how livealert was invoked.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }
