package match

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestCompileTopic(t *testing.T) {
	topic := Topic{
		Name:     "Air defence",
		Keywords: []string{"drones", `"air defence"`, "Shahed*"},
		Exclude:  []string{"Gaza", `"video game"`},
	}
	ct, err := compileTopic(topic)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, title string
		body        []string
		want        bool
		terms       []string
	}{
		{"keyword", "Drones over Kyiv", nil, true, []string{"drone"}},
		{"second keyword", "Kyiv", []string{"Air defences worked"}, true, []string{"air", "defence"}},
		{"several keywords", "Shaheds and drones", nil, true, []string{"drone", "shahed"}},
		{"exclusion", "Drones over Gaza", nil, false, nil},
		{"exclusion phrase", "Drones", []string{"a video game"}, false, nil},
		{"no keyword", "Peace talks", nil, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDocument(tt.title, tt.body)
			if got := ct.Match(d); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
			if got := ct.MatchedTerms(d); !slices.Equal(got, tt.terms) {
				t.Errorf("MatchedTerms = %q, want %q", got, tt.terms)
			}
		})
	}
	if got, want := ct.sortedTerms(), []string{"air", "defence", "drone", "shahed*"}; !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
}

func TestCompileTopicErrors(t *testing.T) {
	tests := []struct {
		name  string
		topic Topic
		want  string // in the error
	}{
		{"no keywords", Topic{Name: "x"}, `match: topic "x": no keywords`},
		{"bad keyword", Topic{Name: "x", Keywords: []string{"drones", `"peace talks`}}, `match: topic "x": keyword 2 "\"peace talks"`},
		{"bad exclusion", Topic{Name: "x", Keywords: []string{"drones"}, Exclude: []string{"-gaza"}}, `match: topic "x": exclusion 1 "-gaza"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compileTopic(tt.topic)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("compileTopic error = %v, want one containing %q", err, tt.want)
			}
			var qe *QueryError
			if tt.name != "no keywords" && !errors.As(err, &qe) {
				t.Errorf("error %v does not wrap a *QueryError", err)
			}
		})
	}
}

// TestCatalogTranslatedNames: a topic is found by its name in any language, shown in each.
func TestCatalogTranslatedNames(t *testing.T) {
	c, err := NewCatalog([]Topic{{Name: "Drones", Keywords: []string{"drone"}, Names: map[string]string{"uk": "Дрони", "ru": "Дроны"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Drones", "drones", "Дрони", "дроны"} {
		if tp, ok := c.Lookup(name); !ok || tp.Name != "Drones" {
			t.Errorf("Lookup(%q) = %q, %v", name, tp.Name, ok)
		}
		if _, ok := c.Compiled(name); !ok {
			t.Errorf("Compiled(%q) not found", name)
		}
	}
	tp, _ := c.Lookup("drones")
	if tp.NameIn("uk") != "Дрони" || tp.NameIn("de") != "Drones" {
		t.Errorf("NameIn: %q, %q", tp.NameIn("uk"), tp.NameIn("de"))
	}
	if _, err := NewCatalog([]Topic{{Name: "A", Keywords: []string{"a"}}, {Name: "B", Keywords: []string{"b"}, Names: map[string]string{"uk": "a"}}}); err == nil {
		t.Error("a translated name equal to another topic's name is accepted")
	}
}
