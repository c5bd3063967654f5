package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// httpListenEnv overrides http.listen: the Docker image sets it, so that its health check
// needs no configuration file.
const httpListenEnv = "LIVEALERT_HTTP_LISTEN"

// httpListen is the address of the HTTP listener: $LIVEALERT_HTTP_LISTEN, else http.listen;
// "" for none.
func (p *program) httpListen(cfg Config) string {
	if v := p.getenv(httpListenEnv); v != "" {
		return v
	}
	return cfg.HTTP.Listen
}

// healthcheckCommand is `livealert healthcheck`: it asks the running livealert's /healthz
// and exits 0 when it answers 200, 1 otherwise. The distroless image has no curl; its
// HEALTHCHECK runs this.
func (p *program) healthcheckCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("livealert healthcheck", flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	configPath := fs.String("config", "config.yaml", "the YAML configuration `file`, for http.listen")
	rawURL := fs.String("url", "", "the `URL` to ask instead (default: /healthz on http.listen)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &usageError{msg: err.Error()}
	}
	target := *rawURL
	if target == "" {
		listen := p.getenv(httpListenEnv)
		if listen == "" {
			cfg, err := loadConfig(*configPath)
			if err != nil {
				return err
			}
			listen = cfg.HTTP.Listen
		}
		if listen == "" {
			return &usageError{msg: "healthcheck: no HTTP listener: set http.listen or $" + httpListenEnv}
		}
		host, port, err := net.SplitHostPort(listen)
		if err != nil {
			return &usageError{msg: fmt.Sprintf("healthcheck: http.listen %q: %v", listen, err)}
		}
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "127.0.0.1"
		}
		target = "http://" + net.JoinHostPort(host, port) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s: %s", target, resp.Status, body)
	}
	fmt.Fprintf(p.stdout, "%s", body)
	return nil
}
