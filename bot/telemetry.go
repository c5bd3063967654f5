package bot

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"livealert/bot/deliver"
	"livealert/sources"
	"livealert/subscriptions"
)

// telemetry is the bot's Prometheus metrics, on a registry of its own (no globals). Counters
// move as things happen; the outbox and the sources are read from the store at each scrape.
type telemetry struct {
	reg *prometheus.Registry

	sent         *prometheus.CounterVec   // kind
	failed       *prometheus.CounterVec   // kind, reason
	pauses       prometheus.Counter       // 429s
	pauseSeconds prometheus.Counter       // seconds of 429 pauses
	sendSeconds  prometheus.Histogram     // sendMessage round trip
	alertDelay   *prometheus.HistogramVec // since: published, seen
	entries      *prometheus.CounterVec   // source: new entries recorded
	polls        *prometheus.CounterVec   // source, result: ok, not_modified, failed
	fetchSeconds *prometheus.HistogramVec // source: a poll's duration
	digestTicks  prometheus.Counter
	refused      *prometheus.CounterVec // reason: webhook deliveries refused
}

// scrapeTimeout bounds the store reads of one scrape.
const scrapeTimeout = 5 * time.Second

func newTelemetry(store *subscriptions.Store, now func() time.Time) *telemetry {
	t := &telemetry{
		reg: prometheus.NewRegistry(),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "livealert_messages_sent_total",
			Help: "Messages of the outbox Telegram accepted, by kind (alert, digest)."}, []string{"kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "livealert_messages_failed_total",
			Help: "Sends of outbox messages that failed, by kind and reason (rate_limited, migrated, forbidden, bad_request, error)."},
			[]string{"kind", "reason"}),
		pauses: prometheus.NewCounter(prometheus.CounterOpts{Name: "livealert_telegram_pauses_total",
			Help: "Telegram's 429 answers, each pausing every send."}),
		pauseSeconds: prometheus.NewCounter(prometheus.CounterOpts{Name: "livealert_telegram_pause_seconds_total",
			Help: "Seconds of sending paused by Telegram's 429 answers."}),
		sendSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "livealert_send_duration_seconds",
			Help: "Round trip of a sendMessage call for an outbox message.", Buckets: prometheus.ExponentialBuckets(0.01, 2, 12)}),
		alertDelay: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "livealert_alert_delay_seconds",
			Help:    "From an entry's publication (since=published) or from when livealert first saw it (since=seen) to its alert's delivery.",
			Buckets: []float64{1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600}}, []string{"since"}),
		entries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "livealert_source_entries_total",
			Help: "New entries recorded, by source."}, []string{"source"}),
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "livealert_source_polls_total",
			Help: "Polls of a source, by result: ok (entries read), not_modified (conditional GET), failed."}, []string{"source", "result"}),
		fetchSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "livealert_source_poll_duration_seconds",
			Help: "A poll's duration: fetching, parsing and recording its entries.", Buckets: prometheus.ExponentialBuckets(0.01, 2, 12)},
			[]string{"source"}),
		digestTicks: prometheus.NewCounter(prometheus.CounterOpts{Name: "livealert_digest_ticks_total",
			Help: "Runs of the digest tick."}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "livealert_webhook_refused_total",
			Help: "Webhook requests refused, by reason: method, secret, too_large, not_an_update."}, []string{"reason"}),
	}
	t.reg.MustRegister(t.sent, t.failed, t.pauses, t.pauseSeconds, t.sendSeconds, t.alertDelay,
		t.entries, t.polls, t.fetchSeconds, t.digestTicks, t.refused, storeCollector{store: store, now: now})
	return t
}

// watchSender reports the sender's sends in flight and their bound at each scrape.
func (t *telemetry) watchSender(s *deliver.Sender) {
	t.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "livealert_sends_in_flight",
			Help: "Outbox messages sent and not yet answered or recorded: what a crash could repeat."},
			func() float64 { n, _ := s.InFlight(); return float64(n) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "livealert_sends_in_flight_limit",
			Help: "The bound on the sends in flight: what the rate needs at the measured round trip."},
			func() float64 { _, n := s.InFlight(); return float64(n) }))
}

// observe counts what became of an outbox message (deliver.Options.Observe).
func (t *telemetry) observe(o deliver.Outcome) {
	t.sendSeconds.Observe(o.Took.Seconds())
	if o.Failure != "" {
		t.failed.WithLabelValues(o.Kind, o.Failure).Inc()
		if o.Failure == "rate_limited" {
			t.pauses.Inc()
			t.pauseSeconds.Add(o.Pause.Seconds())
		}
		return
	}
	// The send is counted last: whoever sees it counted sees its delays too.
	defer t.sent.WithLabelValues(o.Kind).Inc()
	if o.Kind != subscriptions.KindAlert {
		return
	}
	for _, d := range o.Rows {
		if !d.Entry.Published.IsZero() {
			t.alertDelay.WithLabelValues("published").Observe(max(0, o.Sent.Sub(d.Entry.Published).Seconds()))
		}
		if !d.Entry.FirstSeen.IsZero() {
			t.alertDelay.WithLabelValues("seen").Observe(max(0, o.Sent.Sub(d.Entry.FirstSeen).Seconds()))
		}
	}
}

// observePoll counts a poll of a source (sources.WatcherOptions.Observe).
func (t *telemetry) observePoll(p sources.Poll) {
	result := "ok"
	switch {
	case p.Failed:
		result = "failed"
	case p.NotModified:
		result = "not_modified"
	}
	t.polls.WithLabelValues(p.Source, result).Inc()
	t.fetchSeconds.WithLabelValues(p.Source).Observe(p.Took.Seconds())
}

// storeCollector reads the outbox, the sources' health and the matcher from the store at each
// scrape.
type storeCollector struct {
	store *subscriptions.Store
	now   func() time.Time
}

var (
	outboxDepthDesc = prometheus.NewDesc("livealert_outbox_messages",
		"Messages waiting in the outbox, by state (queued, due).", []string{"state"}, nil)
	outboxOldestDesc = prometheus.NewDesc("livealert_outbox_oldest_due_seconds",
		"How long the longest-waiting due message has been due; 0 when none is.", nil, nil)
	deadLettersDesc = prometheus.NewDesc("livealert_outbox_dead_letters",
		"Messages Telegram refused for good.", nil, nil)
	sourceFailuresDesc = prometheus.NewDesc("livealert_source_failures",
		"Polls of a source that failed since its last success.", []string{"source"}, nil)
	sourceSinceDesc = prometheus.NewDesc("livealert_source_since_success_seconds",
		"Seconds since a source's last successful poll (absent before the first).", []string{"source"}, nil)
	matcherSizeDesc = prometheus.NewDesc("livealert_matcher_size",
		"What the matcher holds: units (catalog topics and distinct queries) and subscriptions.", []string{"of"}, nil)
	matcherBuildDesc = prometheus.NewDesc("livealert_matcher_build_seconds",
		"How long the last build of the matcher took.", nil, nil)
)

func (c storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{outboxDepthDesc, outboxOldestDesc, deadLettersDesc, sourceFailuresDesc, sourceSinceDesc, matcherSizeDesc, matcherBuildDesc} {
		ch <- d
	}
}

func (c storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	now := c.now()
	units, subs := c.store.Matcher().Size()
	ch <- prometheus.MustNewConstMetric(matcherSizeDesc, prometheus.GaugeValue, float64(units), "units")
	ch <- prometheus.MustNewConstMetric(matcherSizeDesc, prometheus.GaugeValue, float64(subs), "subscriptions")
	ch <- prometheus.MustNewConstMetric(matcherBuildDesc, prometheus.GaugeValue, c.store.MatcherBuildTime().Seconds())
	if st, err := c.store.OutboxStats(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, float64(st.Queued), "queued")
		ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, float64(st.Due), "due")
		oldest := 0.0
		if !st.OldestDue.IsZero() {
			oldest = max(0, now.Sub(st.OldestDue).Seconds())
		}
		ch <- prometheus.MustNewConstMetric(outboxOldestDesc, prometheus.GaugeValue, oldest)
		ch <- prometheus.MustNewConstMetric(deadLettersDesc, prometheus.GaugeValue, float64(st.DeadLetters))
	} else {
		ch <- prometheus.NewInvalidMetric(outboxDepthDesc, err)
	}
	states, err := c.store.SourceStates(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(sourceFailuresDesc, err)
		return
	}
	for name, st := range states {
		ch <- prometheus.MustNewConstMetric(sourceFailuresDesc, prometheus.GaugeValue, float64(st.Failures), name)
		if !st.LastSuccess.IsZero() {
			ch <- prometheus.MustNewConstMetric(sourceSinceDesc, prometheus.GaugeValue, max(0, now.Sub(st.LastSuccess).Seconds()), name)
		}
	}
}
