package main

import (
	"testing"

	"livealert/subscriptions/match"
)

// TestExampleCatalogPhrases checks that the example catalog's phrases are phrases: in YAML a
// keyword written "shot down" is the two words anywhere, '"shot down"' the phrase.
func TestExampleCatalogPhrases(t *testing.T) {
	t.Parallel()
	cfg, err := loadConfig("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var topics []match.Topic
	for _, tc := range cfg.Topics {
		topics = append(topics, match.Topic{Name: tc.Name, Keywords: tc.Keywords, Exclude: tc.Exclude})
	}
	catalog, err := match.NewCatalog(topics)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		topic, title string
		want         bool
	}{
		{"Drones", "Kyiv fair shows small interceptor drones", true}, // the exclusion is the phrase "drone show"
		{"Drones", "A drone show lights up the sky over the river", false},
		{"Air defence", "Air defence shot down 19 of 24 drones", true},
		{"Air defence", "Power went down after the plant was shot at", false}, // not "shot down"
	} {
		ct, ok := catalog.Compiled(tt.topic)
		if !ok {
			t.Fatalf("the example catalog has no topic %q", tt.topic)
		}
		if got := ct.Match(match.NewDocument(tt.title, nil)); got != tt.want {
			t.Errorf("%s ~ %q = %v, want %v", tt.topic, tt.title, got, tt.want)
		}
	}
}
