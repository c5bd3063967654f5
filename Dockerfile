# livealert: build with cgo (SQLite) on Debian 12, run on distroless Debian 12 as non-root.
ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/livealert ./cmd/livealert \
 && mkdir -p /out/data

FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/livealert /usr/local/bin/livealert
COPY --from=build --chown=65532:65532 /out/data /data
COPY config.example.yaml /etc/livealert/config.yaml
# State (the SQLite database) lives here; mount a volume to keep it.
VOLUME /data
WORKDIR /data
USER nonroot:nonroot
# /healthz, /readyz and /metrics (http.listen); `livealert healthcheck` asks /healthz, as the
# image has no curl.
ENV LIVEALERT_HTTP_LISTEN=:9090
EXPOSE 9090
HEALTHCHECK --interval=30s --timeout=6s --start-period=20s CMD ["/usr/local/bin/livealert", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/livealert"]
CMD ["-config", "/etc/livealert/config.yaml"]
