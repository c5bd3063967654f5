package sources

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// tgWant is what a test expects of one channel post.
type tgWant struct {
	id    string
	at    string // UTC, RFC 3339; "" for none
	title string
	body  []string
}

// checkTelegram compares entries with wants: ids, exact UTC times, permalinks, titles,
// bodies, hashes.
func checkTelegram(t *testing.T, got []Entry, wants []tgWant) {
	t.Helper()
	if len(got) != len(wants) {
		for i, e := range got {
			t.Logf("got[%d] %s %q %q", i, e.ID, e.Title, e.Body)
		}
		t.Fatalf("got %d entries, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		e := got[i]
		if e.ID != w.id {
			t.Errorf("entry %d: id %q, want %q", i, e.ID, w.id)
		}
		at := ""
		if !e.Published.IsZero() {
			at = e.Published.Format(time.RFC3339)
			if e.Published.Location() != time.UTC {
				t.Errorf("entry %s: time %v not in UTC", e.ID, e.Published)
			}
		}
		if at != w.at {
			t.Errorf("entry %s: published %q, want %q", e.ID, at, w.at)
		}
		if url := "https://t.me/" + w.id; e.URL != url {
			t.Errorf("entry %s: url %q, want %q", e.ID, e.URL, url)
		}
		if e.Title != w.title {
			t.Errorf("entry %s: title %q, want %q", e.ID, e.Title, w.title)
		}
		if !slices.Equal(e.Body, w.body) {
			t.Errorf("entry %s: body\n%q\nwant\n%q", e.ID, e.Body, w.body)
		}
		if e.Hash != ContentHash(e.Title, e.Body) || e.Pinned || e.Source != "channel" {
			t.Errorf("entry %s: hash, pinned or source wrong: %+v", e.ID, e)
		}
	}
}

func TestParseTelegramFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file           string
		url            string
		format         Format // as asked; FormatTelegram must be detected from auto too
		oldest, newest int64
		before         string
		wants          []tgWant
	}{
		{
			file: "telegram_vvgladkov.html", url: "https://t.me/s/vvgladkov", format: FormatAuto,
			oldest: 4510, newest: 4519, before: "https://t.me/s/vvgladkov?before=4510",
			wants: []tgWant{
				// 4510 "Channel photo updated": a service message.
				{id: "vvgladkov/4511", at: "2024-01-05T14:18:00Z", title: "Внимание! Ракетная опасность",
					body: []string{"В Белгороде и Белгородском районе объявлена ракетная опасность. Всем пройти в укрытия.",
						"Находитесь в укрытиях до отбоя — он придёт отдельным сообщением."}},
				// A photo with its caption: a long first sentence cut, links kept, no link preview.
				{id: "vvgladkov/4512", at: "2024-01-05T14:31:09Z",
					title: "Последствия обстрела в Белгороде: в результате атаки ВСУ повреждены 11 частных домов, 3 многоквартирных дома и 9 автомобилей на улицах Щорса и Губкина…",
					body: []string{"Последствия обстрела в Белгороде: в результате атаки ВСУ повреждены 11 частных домов, 3 многоквартирных дома и 9 автомобилей на улицах Щорса и Губкина, пострадавших госпитализировали в областную клиническую больницу, где им оказывают всю необходимую помощь, их состояние врачи оценивают как среднетяжёлое. Оперативные службы работают на месте. Список адресов пунктов временного размещения — на сайте правительства (https://belregion.ru/press/news/index.php?ID=54821). Справки по телефону +7 4722 32-00-00.",
						"#Белгород @vvgladkov https://belregion.ru/"}},
				// A video with its caption.
				{id: "vvgladkov/4513", at: "2024-01-05T14:47:30Z", title: "Отбой ракетной опасности.",
					body: []string{"Спасибо всем, кто соблюдал меры безопасности."}},
				{id: "vvgladkov/4514", at: "2024-01-05T15:05:12Z", title: "В Шебекинском городском округе при атаке FPV-дрона ранен мирный житель.",
					body: []string{"Forwarded from Оперштаб Белгородской области", "Мужчине оказана медицинская помощь."}},
				// 4515: an album without a caption; 4517: a pinned message.
				// An edited reply, its time given at +03:00: the bold sentence is the title.
				{id: "vvgladkov/4518", at: "2024-01-05T15:40:00Z", title: "Уточнённые данные о последствиях атаки.",
					body: []string{"Пострадавших — двое, оба госпитализированы. Повреждены линия электропередачи и газопровод."}},
				{id: "vvgladkov/4519", at: "2024-01-05T16:02:00Z", title: "Drone attack on Belgorod: the air defence shot down two drones over the city, debris fell on Narodny Boulevard, no one was hurt."},
			},
		},
		{
			file: "telegram_vvgladkov_later.html", url: "https://t.me/s/vvgladkov", format: FormatTelegram,
			oldest: 4519, newest: 4520, before: "https://t.me/s/vvgladkov?before=4519",
			wants: []tgWant{
				{id: "vvgladkov/4519", at: "2024-01-05T16:02:00Z", title: "Drone attack on Belgorod: the air defence shot down three drones over the city, debris fell on Narodny Boulevard, one woman was slightly hurt."},
				{id: "vvgladkov/4520", at: "2024-01-05T16:30:00Z", title: "Занятия в школах Белгорода 9 января пройдут дистанционно.",
					body: []string{"Решение принято из-за угрозы обстрелов."}},
			},
		},
		{
			// The start of a channel: nothing before it. A sticker has no text.
			file: "telegram_synegubov.html", url: "https://t.me/s/synegubov", format: FormatAuto,
			oldest: 1, newest: 4,
			wants: []tgWant{
				{id: "synegubov/2", at: "2022-02-24T05:12:00Z", title: "Харків: ворог завдав удару по Київському району",
					body: []string{"Є постраждалі, на місці працюють усі екстрені служби.", "Просимо залишатися в укриттях."}},
				{id: "synegubov/4", at: "2022-02-24T06:05:00Z",
					title: "Станом на ранок у Харківській області тривають бойові дії поблизу Чугуєва та на півночі області біля кордону де ворог намагається просунутися у напрямку…",
					body: []string{"Станом на ранок у Харківській області тривають бойові дії поблизу Чугуєва та на півночі області біля кордону де ворог намагається просунутися у напрямку Харкова а наші захисники тримають оборону і не дають окупантам пройти далі ніж вони вже зайшли вночі",
						"Слідкуйте за офіційними повідомленнями."}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			r, err := ParsePage(Source{Name: "channel", URL: tt.url, Format: tt.format},
				Response{Body: readFixture(t, tt.file), ContentType: "text/html; charset=utf-8", URL: tt.url})
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != FormatTelegram || len(r.Notes) > 0 {
				t.Fatalf("format %q, notes %q", r.Format, r.Notes)
			}
			checkTelegram(t, r.Entries, tt.wants)
			if r.paging == nil || *r.paging != (paging{Oldest: tt.oldest, Newest: tt.newest, Before: tt.before}) {
				t.Errorf("paging %+v, want %d…%d before %q", r.paging, tt.oldest, tt.newest, tt.before)
			}
		})
	}
}

// An edited post is the same entry with another hash: Store.Ingest updates it (and alerts
// again only with alert_on_edit).
func TestParseTelegramEditKeepsID(t *testing.T) {
	t.Parallel()
	parse := func(file string) map[string]Entry {
		r, err := ParsePage(Source{Name: "channel", Format: FormatTelegram}, Response{Body: readFixture(t, file), URL: "https://t.me/s/vvgladkov"})
		if err != nil {
			t.Fatal(err)
		}
		out := make(map[string]Entry)
		for _, e := range r.Entries {
			out[e.ID] = e
		}
		return out
	}
	before, after := parse("telegram_vvgladkov.html"), parse("telegram_vvgladkov_later.html")
	b, a := before["vvgladkov/4519"], after["vvgladkov/4519"]
	if b.ID == "" || a.ID == "" {
		t.Fatalf("post 4519 missing: %v %v", b, a)
	}
	if a.Hash == b.Hash || !a.Published.Equal(b.Published) || a.URL != b.URL {
		t.Fatalf("edit: before %+v after %+v", b, a)
	}
	if !strings.Contains(a.Title, "three drones") {
		t.Fatalf("edited title %q", a.Title)
	}
}

// tgPost returns a page of one channel post whose text element holds text.
func tgPost(dataPost, text string) string {
	return `<html><body><div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="` + dataPost + `">` +
		`<div class="tgme_widget_message_text js-message_text">` + text + `</div>` +
		`<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="#"><time datetime="2024-01-05T14:18:00+00:00">14:18</time></a></span>` +
		`</div></div></body></html>`
}

func TestParseTelegramPosts(t *testing.T) {
	t.Parallel()
	const at = "2024-01-05T14:18:00Z"
	tests := []struct {
		name  string
		page  string
		wants []tgWant
	}{
		{"links: text kept with its address, but not for an address, a hashtag or a mention",
			tgPost("kharkiv_news/77", `Read <a href="https://example.org/a">the report</a>, <a href="https://example.org/b">example.org/b</a>, <a href="?q=%23x">#Харків</a>, <a href="https://t.me/x">@x</a>, <a href="javascript:alert(1)">js</a>`),
			[]tgWant{{id: "kharkiv_news/77", at: at, title: "Read the report (https://example.org/a), example.org/b, #Харків, @x, js"}}},
		{"a <br> inside a link",
			tgPost("kharkiv_news/78", `First line<br/><a href="https://example.org/c">a<br/>link</a> after`),
			[]tgWant{{id: "kharkiv_news/78", at: at, title: "First line", body: []string{"a", "link (https://example.org/c) after"}}}},
		{"a short bold start is not the title",
			tgPost("kharkiv_news/79", `<b>Харків:</b> вибухи в місті. Подробиці згодом.`),
			[]tgWant{{id: "kharkiv_news/79", at: at, title: "Харків: вибухи в місті. Подробиці згодом."}}},
		{"custom emoji before a bold line",
			tgPost("kharkiv_news/80", `<tg-emoji emoji-id="5420323339723881652"><i class="emoji"><b>⚠️</b></i></tg-emoji> <b>Повітряна тривога в Харкові</b><br/>Пройдіть в укриття.`),
			[]tgWant{{id: "kharkiv_news/80", at: at, title: "Повітряна тривога в Харкові", body: []string{"Пройдіть в укриття."}}}},
		{"blockquote and pre are paragraphs",
			tgPost("kharkiv_news/81", `Заява:<blockquote>Ми тримаємося.</blockquote><pre>код 1</pre>`),
			[]tgWant{{id: "kharkiv_news/81", at: at, title: "Заява:", body: []string{"Ми тримаємося.", "код 1"}}}},
		{"empty text, bad post ids and a repeated post are not entries",
			tgPost("kharkiv_news/82", ` <br/> `) + tgPost("kharkiv news/83", "x") + tgPost("kharkiv_news/0", "x") +
				tgPost("kharkiv_news/-4", "x") + tgPost("kharkiv_news/84", "first") + tgPost("kharkiv_news/84", "second") +
				tgPost("kharkiv_news/99999999999999999999", "x"),
			[]tgWant{{id: "kharkiv_news/84", at: at, title: "first"}}},
		{"no time, a script in the text",
			`<div class="tgme_widget_message" data-post="kharkiv_news/85"><div class="tgme_widget_message_text">Текст<script>alert(1)</script></div></div>`,
			[]tgWant{{id: "kharkiv_news/85", title: "Текст"}}},
		{"a service message in its wrap",
			`<div class="tgme_widget_message_wrap service_message_wrap"><div class="tgme_widget_message" data-post="kharkiv_news/86"><div class="tgme_widget_message_text">Channel name was changed to «Харків»</div></div></div>`,
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := ParsePage(Source{Name: "channel", Format: FormatTelegram}, Response{Body: []byte(tt.page), URL: "https://t.me/s/kharkiv_news"})
			if err != nil {
				t.Fatal(err)
			}
			checkTelegram(t, r.Entries, tt.wants)
		})
	}
}

func TestParseTelegramLongText(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Белгород ", 10000) // 170 000 bytes
	r, err := ParsePage(Source{Name: "channel", Format: FormatTelegram}, Response{Body: []byte(tgPost("vvgladkov/1", long))})
	if err != nil || len(r.Entries) != 1 {
		t.Fatalf("%v, %d entries", err, len(r.Entries))
	}
	e := r.Entries[0]
	if n := len(e.Title) + len(strings.Join(e.Body, "")); n > maxTelegramText+len(e.Title) {
		t.Fatalf("%d bytes of text kept", n)
	}
	if e.Title == "" || !strings.HasSuffix(e.Title, "…") {
		t.Fatalf("title %q", e.Title)
	}
}

func TestParsePageTelegramNotes(t *testing.T) {
	t.Parallel()
	r, err := ParsePage(Source{Name: "channel", Format: FormatTelegram}, Response{Body: []byte(`<html><body><p>Not a channel</p></body></html>`)})
	if err != nil || len(r.Entries) != 0 || r.paging != nil || len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "no Telegram posts") {
		t.Fatalf("%+v, %v", r, err)
	}
	// Auto reads a page that merely mentions the class as what it is.
	r, err = ParsePage(Source{Name: "x"}, Response{Body: []byte(`<html><body><article><p>1418 GMT — tgme_widget_message</p></article></body></html>`), ContentType: "text/html", Date: time.Date(2024, 1, 5, 15, 0, 0, 0, time.UTC)})
	if err != nil || r.Format != FormatLiveBlog {
		t.Fatalf("%+v, %v", r, err)
	}
}
