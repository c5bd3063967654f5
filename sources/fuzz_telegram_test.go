package sources

import (
	"strconv"
	"strings"
	"testing"
)

func FuzzTelegram(f *testing.F) {
	for _, name := range []string{"telegram_vvgladkov.html", "telegram_vvgladkov_later.html", "telegram_synegubov.html"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(tgPost("a_b/1", `<b><i class="emoji"><b>x</b></i></b><a href="https://x">y<br>z</a><br><b>w</b>`)))
	f.Add([]byte(channelPage("belgorod_news", 1, 4)))
	f.Add([]byte(`<div class="tgme_widget_message service_message" data-post="x/9"><div class="tgme_widget_message_text">a</div>` +
		`<div class="tgme_widget_message" data-post="x/2"><div class="tgme_widget_message_text"><div class="tgme_widget_message_text">b</div></div></div></div>`))
	f.Fuzz(func(t *testing.T, page []byte) {
		r, err := ParsePage(Source{Name: "fuzz", Format: FormatTelegram}, Response{Body: page, URL: "https://t.me/s/fuzz_channel"})
		if err != nil {
			return
		}
		checkFuzzEntries(t, r.Entries)
		if len(r.Entries) > 0 && r.paging == nil {
			t.Fatalf("%d entries without posts", len(r.Entries))
		}
		for i, e := range r.Entries {
			channel, num, ok := strings.Cut(e.ID, "/")
			n, err := strconv.ParseInt(num, 10, 64)
			if !ok || err != nil || n < r.paging.Oldest || n > r.paging.Newest {
				t.Fatalf("entry %d: id %q outside posts %d…%d", i, e.ID, r.paging.Oldest, r.paging.Newest)
			}
			if e.URL != "https://t.me/"+channel+"/"+num || e.Source != "fuzz" {
				t.Fatalf("entry %d: %+v", i, e)
			}
			if len(e.Title) > 4*maxLeadTitle+3 || len(strings.Join(e.Body, "")) > maxTelegramText+maxForwardedLine+len("…")+len(e.Title) {
				t.Fatalf("entry %d: title or body too long: %d, %d", i, len(e.Title), len(strings.Join(e.Body, "")))
			}
		}
		if pg := r.paging; pg != nil {
			if pg.Oldest <= 0 || pg.Oldest > pg.Newest {
				t.Fatalf("paging %+v", pg)
			}
			if pg.Before != "" && pg.Before != "https://t.me/s/fuzz_channel?before="+strconv.FormatInt(pg.Oldest, 10) {
				t.Fatalf("before %q", pg.Before)
			}
		}
	})
}
