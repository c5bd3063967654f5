package match

import (
	"slices"
	"testing"
)

func TestQueryMatch(t *testing.T) {
	doc := func(title string, body ...string) *Document { return NewDocument(title, body) }
	kyiv := doc("Ukraine says Russia attacked with 29 drones overnight",
		`"A total of 29 Shahed-136/131 strike UAVs (unmanned aerial vehicles) were launched," Ukraine's air force said.`,
		"Türkiye offered to host peace talks in Kyiv’s view.")
	tests := []struct {
		name, query string
		doc         *Document
		want        bool
	}{
		{"case", "UKRAINE", kyiv, true},
		{"plural in document", "drone", kyiv, true},
		{"plural in query", "drones", doc("a drone fell"), true},
		{"plural ies", "city", doc("Many cities"), true},
		{"plural uses", "virus", doc("Two viruses spread"), true},
		{"plural uses in query", "buses", doc("The bus was hit"), true},
		{"singular use", "causes", doc("The cause is unknown"), true},
		{"diacritics in document", "Turkiye", kyiv, true},
		{"diacritics in query", "Türkiye", doc("Turkiye says"), true},
		{"possessive in document", "Kyiv", kyiv, true},
		{"possessive in query", "Belgorod's", doc("Belgorod region"), true},
		{"punctuated word", "Shahed-136", kyiv, true},
		{"punctuated word spaced", "Shahed 136", kyiv, true},
		{"punctuated word as phrase", `"Shahed 131"`, kyiv, false},
		{"slash part", `"136 131"`, kyiv, true},
		{"acronym plural", "UAV", kyiv, true},
		{"phrase", `"unmanned aerial vehicle"`, kyiv, true},
		{"phrase order", `"aerial unmanned"`, kyiv, false},
		{"phrase not adjacent", `"29 Shahed"`, kyiv, true},
		{"phrase across punctuation", `"vehicles were launched"`, kyiv, true},
		{"phrase across fields", `"overnight total"`, kyiv, false},
		{"phrase across paragraphs", `"launched turkiye"`, doc("t", "were launched", "Türkiye offered"), false},
		{"phrase in title", `"29 drones overnight"`, kyiv, true},
		{"russian locative", "Белгород", doc("Атака дронов на Белгороде"), true},
		{"russian adjective", "Белгород", doc("В Белгородской области объявлена тревога"), true},
		{"russian phrase inflected", `"Белгородская область"`, doc("t", "в Белгородской области"), true},
		{"russian yo", "ёлка", doc("Новогодняя елка"), true},
		{"ukrainian locative", "Бєлгород", doc("Вибухи у Бєлгороді"), true},
		{"ukrainian adjective", "Бєлгород", doc("Бєлгородської області"), true},
		{"russian not another word", "Белгород", doc("Белград принял делегацию"), false},
		{"and", "drones Türkiye", kyiv, true},
		{"and fails", "drones Gaza", kyiv, false},
		{"or", "Gaza OR drones", kyiv, true},
		{"or fails", "Gaza OR Israel", kyiv, false},
		{"exclusion", "drones -Gaza", kyiv, true},
		{"exclusion hits", "drones -Shahed", kyiv, false},
		{"exclusion hits anywhere in the group", `Gaza OR drones -"peace talks"`, kyiv, false},
		{"exclusion phrase absent", `drones -"talks peace"`, kyiv, true},
		{"exclusion group", "drones -(Gaza OR Shahed)", kyiv, false},
		{"prefix", "unman*", kyiv, true},
		{"prefix is whole word too", "drone*", kyiv, true},
		{"prefix no match", "xyz*", kyiv, false},
		{"prefix in phrase", `"strike uav*"`, kyiv, true},
		{"prefix in phrase wrong place", `"strike aer*"`, kyiv, false},
		{"title", "title:drones", kyiv, true},
		{"title only", "title:Shahed", kyiv, false},
		{"title phrase", `title:"Russia attacked"`, kyiv, true},
		{"title group", "title:(Gaza OR overnight)", kyiv, true},
		{"exclude from title only", "Shahed -title:Shahed", kyiv, true},
		{"parentheses", "(Gaza OR Shahed) (Israel OR Türkiye)", kyiv, true},
		{"parentheses fail", "(Gaza OR Shahed) (Israel OR Lebanon)", kyiv, false},
		{"and binds tighter", "Gaza Israel OR Shahed", kyiv, true},
		{"whole word war", "war", doc("a warship sank"), false},
		{"whole word Kiev", "Kiev", doc("Kievan Rus"), false},
		{"hyphen separates", "drone", doc("drones-heavy attack"), true},
		{"prefix reaches warship", "war*", doc("a warship sank"), true},
		{"cyrillic case", "белгород", doc("Атака на БЕЛГОРОД"), true},
		{"cyrillic yo", "ёлка", doc("елка"), true},
		{"cyrillic short i is not i", "мой", doc("мои"), false},
		{"han phrase", "北京", doc("我爱北京天安门"), true},
		{"han order", "京北", doc("我爱北京天安门"), false},
		{"arabic without harakat", "احمد", doc("قال أَحْمَد"), true},
		{"digits", "2024", doc("in ٢٠٢٤"), true},
		{"emoji in document", "updates", doc("More updates 👇"), true},
		{"lowercase or is a word", "Gaza or Shahed", kyiv, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery(tt.query)
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", tt.query, err)
			}
			if got := q.Match(tt.doc); got != tt.want {
				t.Errorf("%q (understood as %s) matches = %v, want %v", tt.query, q, got, tt.want)
			}
			if got := q.MatchedTerms(tt.doc) != nil; got != tt.want {
				t.Errorf("%q: MatchedTerms is %v while it should match: %v", tt.query, q.MatchedTerms(tt.doc), tt.want)
			}
		})
	}
}

func TestMatchedTerms(t *testing.T) {
	d := NewDocument("Drones hit Belgorod", []string{"Drone debris and unmanned vehicles; not Gaza."})
	tests := []struct {
		query string
		want  []string
	}{
		{"drones", []string{"drone"}},
		{"Gaza OR Belgorod OR Kyiv", []string{"belgorod", "gaza"}},
		{"unman* (hit OR Kyiv)", []string{"hit", "unmanned"}},
		{`"unmanned vehicles" -Kyiv`, []string{"unmanned", "vehicle"}},
		{"(Kyiv debris) OR drones", []string{"drone"}},
		{"Kyiv", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			if got := q.MatchedTerms(d); !slices.Equal(got, tt.want) {
				t.Errorf("MatchedTerms = %q, want %q", got, tt.want)
			}
		})
	}
}
