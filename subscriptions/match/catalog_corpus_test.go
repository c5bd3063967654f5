package match

import (
	"os"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// exampleTopics reads the catalog of config.example.yaml.
func exampleTopics(t *testing.T) []Topic {
	t.Helper()
	data, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Topics []struct {
			Name     string   `yaml:"name"`
			Keywords []string `yaml:"keywords"`
			Exclude  []string `yaml:"exclude"`
		} `yaml:"topics"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	var topics []Topic
	for _, tp := range cfg.Topics {
		topics = append(topics, Topic{Name: tp.Name, Keywords: tp.Keywords, Exclude: tp.Exclude})
	}
	return topics
}

// TestExampleCatalogOnSeed checks each catalog topic of config.example.yaml against the TRT
// World live blog of 5 January 2024. The expected entries were written from reading the
// nine entries, before running the topics on them:
//
//	1409 Belgorod offers to move residents to safety after shelling (two wounded)
//	1841 Türkiye ready to host peace talks; ceasefire; diplomatic contacts
//	1448 Russia says it downed a Ukrainian Neptune missile and 37 drones (air defence)
//	1418 Kiev says Russia used North Korean missiles
//	1024 29 Shahed drones overnight, 21 downed
//	0848 Kiev can't confirm DPRK missiles were used
//	0724 air defence systems and missiles are Zelenskyy's priority; threat to the energy sector
//	2155 UK condemns North Korean ballistic missiles; Foreign Office; sanctions regime
//	2147 Belgorod: air defence downs 10 targets, two injured; missile and drone attacks; civilians killed
func TestExampleCatalogOnSeed(t *testing.T) {
	entries := loadSeedEntries(t)
	catalog, err := NewCatalog(exampleTopics(t))
	if err != nil {
		t.Fatal(err)
	}
	times := make([]string, len(entries))
	docs := make([]*Document, len(entries))
	for i, e := range entries {
		times[i] = e.Published.Format("1504")
		docs[i] = NewDocument(e.Title, e.Body)
	}
	want := map[string][]string{
		"Belgorod":     {"1409", "2147"},
		"Drones":       {"1448", "1024", "2147"},
		"Diplomacy":    {"1841", "2155"},
		"Missiles":     {"1448", "1418", "0848", "0724", "2155", "2147"},
		"Air defence":  {"1448", "1024", "0724", "2147"},
		"Energy":       {"0724"},
		"Prisoners":    nil,
		"Humanitarian": {"1409", "2147"},
	}
	if len(want) != len(catalog.Topics()) {
		t.Errorf("the table covers %d topics, the catalog has %d", len(want), len(catalog.Topics()))
	}
	for i, tp := range catalog.Topics() {
		t.Run(tp.Name, func(t *testing.T) {
			exp, ok := want[tp.Name]
			if !ok {
				t.Fatalf("no expectation for topic %q", tp.Name)
			}
			var got []string
			for k, d := range docs {
				if catalog.compiled[i].Match(d) {
					got = append(got, times[k])
				}
			}
			if !slices.Equal(got, exp) {
				t.Errorf("%s matches %v, a reader expects %v", tp.Name, got, exp)
			}
		})
	}
}

// TestExampleCatalogAliases checks the catalog's keywords in other scripts on sentences
// written for the test.
func TestExampleCatalogAliases(t *testing.T) {
	catalog, err := NewCatalog(exampleTopics(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
		want       []string
	}{
		{"russian belgorod and drones", "Атака беспилотников на Белгородскую область", []string{"Belgorod", "Drones"}},
		{"ukrainian belgorod", "Вибухи у Бєлгороді", []string{"Belgorod"}},
		{"ukrainian drones", "Сили ППО збили 20 безпілотників", []string{"Drones", "Air defence"}},
		{"russian missiles", "Удар ракетами «Искандер» по Харькову", []string{"Missiles"}},
		{"russian evacuation", "В Белгороде объявлена эвакуация", []string{"Belgorod", "Humanitarian"}},
		{"ukrainian evacuation", "Триває евакуація з Куп'янська", []string{"Humanitarian"}},
		{"russian air defence", "ПВО сбила шахеды над Киевом", []string{"Drones", "Air defence"}},
		{"unrelated", "Погода в Москве", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDocument(tt.text, nil)
			var got []string
			for i, tp := range catalog.Topics() {
				if catalog.compiled[i].Match(d) {
					got = append(got, tp.Name)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%q is in topics %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}
