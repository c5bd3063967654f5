package match

import (
	"slices"
	"testing"
)

func TestNewDocument(t *testing.T) {
	d := NewDocument("Drones, drones: Belgorod's drones", []string{"Belgorod", "", "drones over Belgorod"})
	if got, want := d.title.terms, []string{"belgorod", "drone"}; !slices.Equal(got, want) {
		t.Errorf("title terms = %q, want %q", got, want)
	}
	if got, want := d.title.positions(d.title.find("drone")), []int32{0, 1, 3}; !slices.Equal(got, want) {
		t.Errorf("title positions of drone = %v, want %v", got, want)
	}
	// Paragraphs are separated by a gap of one position; an empty one adds its own.
	if got, want := d.body.positions(d.body.find("belgorod")), []int32{0, 5}; !slices.Equal(got, want) {
		t.Errorf("body positions of belgorod = %v, want %v", got, want)
	}
	if got, want := d.sortedTerms(), []string{"belgorod", "drone", "over"}; !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
	empty := NewDocument("", nil)
	if len(empty.sortedTerms()) != 0 || empty.title.phrase([]string{"a"}, false) || empty.body.phrase([]string{"a", "b"}, true) {
		t.Errorf("empty document has terms")
	}
}

func TestPostingListPrefix(t *testing.T) {
	d := NewDocument("", []string{"war warship warsaw wa wax award"})
	lo, hi := d.body.prefixRange("war")
	if got, want := d.body.terms[lo:hi], []string{"war", "warsaw", "warship"}; !slices.Equal(got, want) {
		t.Errorf("prefix war = %q, want %q", got, want)
	}
	if !d.body.hasAt("warsa", true, 2) || d.body.hasAt("warsa", true, 1) || !d.body.hasAt("award", false, 5) {
		t.Errorf("hasAt prefix wrong")
	}
}
