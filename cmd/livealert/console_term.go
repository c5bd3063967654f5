package main

import (
	"context"
	"io"
	"os"
)

// terminalOf returns stdin as a terminal when both stdin and stdout are one.
func terminalOf(stdin io.Reader, stdout io.Writer) (*os.File, bool) {
	return nil, false
}

func (c *consoleSession) runTerminal(ctx context.Context, in *os.File, botDone <-chan error) error {
	return nil
}
