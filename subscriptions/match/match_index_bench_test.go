package match

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"livealert/sources"
)

// loadSeedEntries parses the seed live blog of the shared corpus with the sources package,
// skipping when the corpus is absent.
func loadSeedEntries(tb testing.TB) []sources.Entry {
	tb.Helper()
	path := filepath.Join("..", "..", "..", "shared", "corpus", "trtworld-liveblog-2024-01-05.txt")
	text, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		tb.Skipf("corpus %s absent", path)
	}
	if err != nil {
		tb.Fatal(err)
	}
	entries, err := sources.ParseLiveBlogText("trtworld", text, sources.TextOptions{PageURL: "https://www.trtworld.com/live-blog/russia-ukraine-war"})
	if err != nil {
		tb.Fatal(err)
	}
	return entries
}

// benchVocabulary returns n distinct terms: the seed's own terms and made-up words, shuffled,
// so that Zipf ranks are not tied to how common a word is in the seed.
func benchVocabulary(r *rand.Rand, docs []*Document, n int) []string {
	seen := map[string]bool{}
	var vocab []string
	for _, d := range docs {
		for _, t := range d.sortedTerms() {
			if !seen[t] && len(vocab) < n {
				seen[t] = true
				vocab = append(vocab, t)
			}
		}
	}
	const consonants, vowels = "bcdfghklmnprstvz", "aeiou"
	for len(vocab) < n {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteByte(consonants[r.IntN(len(consonants))])
			b.WriteByte(vowels[r.IntN(len(vowels))])
		}
		b.WriteByte(consonants[r.IntN(len(consonants))])
		w := tokenTerms(b.String())[0]
		if !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	r.Shuffle(len(vocab), func(i, j int) { vocab[i], vocab[j] = vocab[j], vocab[i] })
	return vocab
}

// benchQueries draws n queries Zipf-like from vocab: 20 % phrases, 10 % with an exclusion,
// the rest one to three words, some as alternatives, a few prefixes.
func benchQueries(r *rand.Rand, vocab []string, n int) []string {
	z := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	word := func() string { return vocab[z.Uint64()] }
	out := make([]string, n)
	for i := range out {
		switch p := r.Float64(); {
		case p < 0.20:
			out[i] = `"` + word() + " " + word() + `"`
			if r.IntN(3) == 0 {
				out[i] += " " + word()
			}
		case p < 0.30:
			ex := word()
			if r.IntN(4) == 0 {
				ex = `"` + ex + " " + word() + `"`
			}
			out[i] = word() + " -" + ex
		case p < 0.33:
			w := word()
			if len(w) > 4 {
				w = w[:4]
			}
			out[i] = w + "*"
			if r.IntN(2) == 0 {
				out[i] = word() + " " + out[i]
			}
		case p < 0.45:
			out[i] = word() + " OR " + word()
		default:
			words := make([]string, 1+r.IntN(3))
			for k := range words {
				words[k] = word()
			}
			out[i] = strings.Join(words, " ")
		}
	}
	return out
}

// BenchmarkMatcher matches the seed's entries against 10k, 100k and 1M subscriptions drawn
// Zipf-like from a 20k-term vocabulary, through the index and, three times, through a scan
// that verifies every subscription on its own. One op matches every entry once. Metrics:
// ms/entry (median, indexed), scan-ms/entry and scan-x (median scan time over median indexed
// time), build-s and build-cpu-s (wall and CPU time, over GOMAXPROCS goroutines), rebuild-s
// (the build after one subscription more, from the previous matcher), B/sub (heap
// the matcher keeps, labels included), hits/entry, cand/entry
// (candidates verified) and units (distinct queries).
func BenchmarkMatcher(b *testing.B) {
	entries := loadSeedEntries(b)
	docs := make([]*Document, len(entries))
	for i, e := range entries {
		docs[i] = NewDocument(e.Title, e.Body)
	}
	catalog, err := NewCatalog(nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, uint64(n)))
			vocab := benchVocabulary(r, docs, 20_000)
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			rows := make([]Row, n)
			for i, q := range benchQueries(r, vocab, n) {
				rows[i] = Row{SubscriptionID: int64(i + 1), ChatID: int64(i/5 + 1), Query: q}
			}
			start, cpu0 := time.Now(), cpuTime()
			m := NewMatcher(catalog, rows, nil, discardLogger)
			build, buildCPU := time.Since(start), cpuTime()-cpu0
			// A subscription change: one more subscription, the matcher rebuilt from the old one.
			rows = append(rows, Row{SubscriptionID: int64(n + 1), ChatID: 1, Query: `"one more" query`})
			start = time.Now()
			rebuilt := NewMatcher(catalog, rows, m, discardLogger)
			rebuild := time.Since(start)
			if rebuilt.parsed != 1 {
				b.Fatalf("the rebuild parsed %d queries, want 1", rebuilt.parsed)
			}
			rebuilt = nil
			rows = nil
			var after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&after)

			var times []time.Duration
			hits, cands := 0, 0
			for b.Loop() {
				for _, d := range docs {
					t0 := time.Now()
					hits += len(m.Match(d))
					times = append(times, time.Since(t0))
					cands += len(m.index.candidates(nil, m.index.prepare(d)))
				}
			}
			b.StopTimer()
			var scan []time.Duration
			for range 3 {
				for _, d := range docs {
					t0 := time.Now()
					m.matchScan(d)
					scan = append(scan, time.Since(t0))
				}
			}
			med, scanMed := median(times), median(scan)
			matched := float64(len(times))
			b.ReportMetric(float64(med.Nanoseconds())/1e6, "ms/entry")
			b.ReportMetric(float64(scanMed.Nanoseconds())/1e6, "scan-ms/entry")
			b.ReportMetric(float64(scanMed)/float64(max(med, 1)), "scan-x")
			b.ReportMetric(build.Seconds(), "build-s")
			b.ReportMetric(buildCPU.Seconds(), "build-cpu-s")
			b.ReportMetric(rebuild.Seconds(), "rebuild-s")
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(n), "B/sub")
			b.ReportMetric(float64(hits)/matched, "hits/entry")
			b.ReportMetric(float64(cands)/matched, "cand/entry")
			b.ReportMetric(float64(len(m.labels)), "units")
			runtime.KeepAlive(m)
		})
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
