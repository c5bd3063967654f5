package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// consolePrompt is the terminal's prompt.
const consolePrompt = "› "

// terminalOf returns stdin when it and stdout are both a terminal: the console is then
// interactive.
func terminalOf(stdin io.Reader, stdout io.Writer) (*os.File, bool) {
	in, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) {
		return nil, false
	}
	out, ok := stdout.(*os.File)
	if !ok || !term.IsTerminal(int(out.Fd())) {
		return nil, false
	}
	return in, true
}

// runTerminal is the interactive console: line editing and history (golang.org/x/term),
// messages rendered with ANSI attributes and OSC 8 links, the replay running from the start
// and ending with the digest. It returns when the person quits (:quit, Ctrl-D or Ctrl-C),
// ctx ends or the bot stops.
func (c *consoleSession) runTerminal(ctx context.Context, in *os.File, out io.Writer, botStopped <-chan struct{}, intro []string) error {
	fd := int(in.Fd())
	saved, err := term.MakeRaw(fd)
	if err != nil {
		return fmt.Errorf("console: terminal: %w", err)
	}
	defer func() { _ = term.Restore(fd, saved) }()
	t := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{in, out}, consolePrompt)
	if w, h, err := term.GetSize(fd); err == nil {
		_ = t.SetSize(w, h)
	}
	c.mu.Lock()
	c.out = t
	c.style.ansi = true
	c.mu.Unlock()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	printed := make(chan struct{})
	go func() {
		defer close(printed)
		c.watch(ctx)
	}()
	defer func() { cancel(); <-printed }()

	for _, l := range intro {
		c.say(l)
	}
	if err := c.input(ctx, "/start", false); err != nil {
		return err
	}
	if c.replay != nil {
		go func() {
			if err := c.finishReplay(ctx); err == nil {
				c.flush()
				c.say(c.l.T("console_replay_over"))
			}
		}()
	}

	// The reader reads a line only when asked: the prompt comes back once the answer to the
	// line before has been printed.
	type read struct {
		line string
		err  error
	}
	next, got := make(chan struct{}), make(chan read, 1)
	go func() {
		for range next {
			line, err := t.ReadLine()
			got <- read{line, err}
		}
	}()
	defer close(next)
	for {
		select {
		case next <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		var r read
		select {
		case r = <-got:
		case <-ctx.Done():
			return nil
		case <-botStopped:
			return nil
		}
		if r.err != nil {
			if errors.Is(r.err, io.EOF) {
				return nil
			}
			return fmt.Errorf("console: terminal: %w", r.err)
		}
		if err := c.input(ctx, r.line, false); err != nil {
			if errors.Is(err, errQuit) {
				return nil
			}
			return err
		}
	}
}
