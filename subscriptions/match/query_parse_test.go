package match

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name, query string
		want        string   // String()
		terms       []string // Terms()
	}{
		{"word", "drones", "drone", []string{"drone"}},
		{"case and plural", "UAVs", "uav", []string{"uav"}},
		{"diacritics", "Türkiye", "turkiye", []string{"turkiye"}},
		{"implicit and", "drones Belgorod", "drone AND belgorod", []string{"belgorod", "drone"}},
		{"explicit and", "drones AND Belgorod", "drone AND belgorod", []string{"belgorod", "drone"}},
		{"phrase", `"peace talks"`, `"peace talk"`, []string{"peace", "talk"}},
		{"typographic quotes", `“peace talks”`, `"peace talk"`, []string{"peace", "talk"}},
		{"guillemets", `«мирные переговоры»`, `"мирн переговор"`, []string{"мирн", "переговор"}},
		{"or", "drones OR missiles", "drone OR missile", []string{"drone", "missile"}},
		{"pipe", "drones|missiles | uav", "drone OR missile OR uav", []string{"drone", "missile", "uav"}},
		{"ukrainian or", "дрони АБО ракети", "дрон OR ракет", []string{"дрон", "ракет"}},
		{"russian or", "дроны ИЛИ ракеты", "дрон OR ракет", []string{"дрон", "ракет"}},
		{"lowercase or is a word", "drones or missiles", "drone AND or AND missile", []string{"drone", "missile", "or"}},
		{"and binds tighter", "a b OR c", "(a AND b) OR c", []string{"a", "b", "c"}},
		{"brief example", `"peace talks" OR ceasefire -Gaza`, `("peace talk" OR ceasefire) NOT gaza`, []string{"ceasefire", "peace", "talk"}},
		{"exclusion applies to the group", "a -c OR b", "(a OR b) NOT c", []string{"a", "b"}},
		{"exclusion inside parentheses stays", "(a -c) OR b", "(a NOT c) OR b", []string{"a", "b"}},
		{"groups", "drone (uav OR shahed) NOT gaza", "drone AND (uav OR shahed) NOT gaza", []string{"drone", "shahed", "uav"}},
		{"exclusions last", "-gaza drones", "drone NOT gaza", []string{"drone"}},
		{"exclude phrase", `drones -"peace talks"`, `drone NOT "peace talk"`, []string{"drone"}},
		{"exclude group", "drones -(gaza OR israel)", "drone NOT (gaza OR israel)", []string{"drone"}},
		{"dash variants", "drones –gaza —israel −hamas --lebanon", "drone NOT gaza NOT israel NOT hamas NOT lebanon", []string{"drone"}},
		{"double negation", "-(-gaza)", "gaza", []string{"gaza"}},
		{"prefix", "dron*", "dron*", []string{"dron*"}},
		{"prefix stars", "dron**", "dron*", []string{"dron*"}},
		{"prefix in phrase", `"peace talk*"`, `"peace talk*"`, []string{"peace", "talk*"}},
		{"prefix folded", "Türk*", "turk*", []string{"turk*"}},
		{"title", "title:drones", "title:drone", []string{"drone"}},
		{"title capitalised", "Title:drones", "title:drone", []string{"drone"}},
		{"title phrase", `title:"peace talks"`, `title:"peace talk"`, []string{"peace", "talk"}},
		{"title group", "title:(drones OR missiles) Belgorod", "(title:drone OR title:missile) AND belgorod", []string{"belgorod", "drone", "missile"}},
		{"exclude title", "drones -title:gaza", "drone NOT title:gaza", []string{"drone"}},
		{"punctuated word is a phrase", "Shahed-136", `"shahed 136"`, []string{"136", "shahed"}},
		{"abbreviation", "N.Korea", `"n korea"`, []string{"korea", "n"}},
		{"possessive", "Kyiv’s", "kyiv", []string{"kyiv"}},
		{"emoji ignored", "Belgorod 🔥", "belgorod", []string{"belgorod"}},
		{"duplicates removed", "drones drone OR drone", "drone", []string{"drone"}},
		{"nested flattened", "((a b) c) OR (d OR e)", "(a AND b AND c) OR d OR e", []string{"a", "b", "c", "d", "e"}},
		{"han word is a phrase", "北京", `"北 京"`, []string{"京", "北"}},
		{"keywords in phrase are words", `"war OR peace"`, `"war or peace"`, []string{"or", "peace", "war"}},
		{"spaces", "  drones \t\n missiles ", "drone AND missile", []string{"drone", "missile"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery(tt.query)
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", tt.query, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("ParseQuery(%q).String() = %q, want %q", tt.query, got, tt.want)
			}
			if got := q.sortedTerms(); !slices.Equal(got, tt.terms) {
				t.Errorf("ParseQuery(%q).sortedTerms() = %q, want %q", tt.query, got, tt.terms)
			}
			again, err := ParseQuery(q.String())
			if err != nil || again.String() != q.String() {
				t.Errorf("String %q re-parses to %v, %v", q.String(), again, err)
			}
		})
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		name, query string
		kind        queryErrorKind
		pos         int
		example     string // "" for the kind's generic example
	}{
		{"empty", "", errEmpty, 0, ""},
		{"blank", "   ", errEmpty, 0, ""},
		{"no words", "🔥 !!!", errEmpty, 0, ""},
		{"too long", strings.Repeat("drones ", 30), errTooLong, maxQueryLen, strings.TrimSpace(strings.Repeat("drones ", 28))},
		{"too long cut before an open phrase", strings.Repeat("uav ", 48) + `"peace talks now"`, errTooLong, maxQueryLen, strings.TrimSpace(strings.Repeat("uav ", 48))},
		{"too long with nothing valid to keep", strings.Repeat("x", 201), errTooLong, maxQueryLen, ""},
		{"unclosed quote", `drones "peace talks`, errQuote, 7, `drones "peace talks"`},
		{"three quotes", `"a" "b`, errQuote, 4, `"a" "b"`},
		{"unclosed paren", "(drones OR uav", errOpenParen, 0, "(drones OR uav)"},
		{"unclosed inner paren", "x ((a) OR b", errOpenParen, 2, "x ((a) OR b)"},
		{"stray close paren", "drones) OR uav", errCloseParen, 6, "drones OR uav"},
		{"empty parens", "drones ()", errEmptyParens, 7, ""},
		{"only exclusion", "-gaza", errOnlyExclusions, 0, "drones -gaza"},
		{"only exclusions", "-gaza NOT israel", errOnlyExclusions, 0, "drones -gaza NOT israel"},
		{"exclusion group alone", "(-gaza)", errOnlyExclusions, 1, "(drones -gaza)"},
		{"or side only exclusion", "drones OR -gaza", errOrBranch, 7, "drones -gaza"},
		{"or side only exclusion first", "-gaza OR drones", errOrBranch, 6, "-gaza drones"},
		{"or side of group only exclusions", "(-a -b) OR c", errOrBranch, 1, ""},
		{"dangling or at end", "drones OR", errDanglingOr, 7, "drones"},
		{"dangling or at start", "OR drones", errDanglingOr, 0, "drones"},
		{"double or", "drones OR OR uav", errDanglingOr, 7, "drones OR uav"},
		{"dangling pipe", "drones |", errDanglingOr, 7, "drones"},
		{"or before paren", "(drones OR) uav", errDanglingOr, 8, "(drones) uav"},
		{"dangling and", "drones AND", errDanglingAnd, 7, "drones"},
		{"dangling not", "drones NOT", errDanglingNot, 7, "drones"},
		{"detached minus", "drones - gaza", errDash, 7, "drones -gaza"},
		{"minus at end", "drones -", errDash, 7, "drones"},
		{"detached title", "title: drones", errTitle, 0, "title:drones"},
		{"title before minus", "title:-drones", errTitle, 0, ""},
		{"star too short", "d*", errStarShort, 1, ""},
		{"star alone", "drones *", errStarShort, 7, ""},
		{"star after one letter of a phrase word", "Shahed-1*", errStarShort, 8, ""},
		{"star detached in phrase", `"peace *"`, errStarShort, 7, ""},
		{"star in the middle", "dr*ne", errStarMiddle, 2, ""},
		{"star in a phrase's middle", `"dron* attacks"`, errStarMiddle, 5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseQuery(tt.query)
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("ParseQuery(%q) error = %v, want a *QueryError", tt.query, err)
			}
			if qe.kind != tt.kind || qe.Pos != tt.pos {
				t.Errorf("ParseQuery(%q) = %q at %d (kind %d), want kind %d at %d", tt.query, qe.Msg, qe.Pos, qe.kind, tt.kind, tt.pos)
			}
			want := tt.example
			if want == "" {
				want = queryErrorTexts[tt.kind].example
			}
			if qe.Example != want {
				t.Errorf("ParseQuery(%q) example = %q, want %q", tt.query, qe.Example, want)
			}
			if qe.Msg == "" || !strings.Contains(qe.Error(), qe.Msg) {
				t.Errorf("error %q lacks its message", qe.Error())
			}
		})
	}
}

// TestQueryErrorExamplesParse checks that every generic example is a valid query.
func TestQueryErrorExamplesParse(t *testing.T) {
	for kind, txt := range queryErrorTexts {
		if _, err := ParseQuery(txt.example); err != nil || txt.msg == "" {
			t.Errorf("kind %d: example %q: %v", kind, txt.example, err)
		}
	}
}

// A correction of a query at the length limit may not grow past it: ParseQuery accepts
// every Example.
func TestQueryErrorExampleWithinLimit(t *testing.T) {
	word := strings.Repeat("a", maxQueryLen-1)
	tests := []struct{ name, query string }{
		{"unclosed quote", `"` + word},
		{"unclosed paren", "(" + word},
		{"only an exclusion", "-" + word},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseQuery(tt.query)
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("ParseQuery error = %v, want a *QueryError", err)
			}
			if _, err := ParseQuery(qe.Example); err != nil {
				t.Errorf("example of %d runes does not parse: %v", len([]rune(qe.Example)), err)
			}
		})
	}
}
