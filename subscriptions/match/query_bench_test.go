package match

import "testing"

// BenchmarkNewDocument builds the document of each entry of a real live blog; one op is one
// entry.
func BenchmarkNewDocument(b *testing.B) {
	entries := loadCorpusBlog(b, "trtworld-liveblog-2024-01-05.txt")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e := entries[i%len(entries)]
		NewDocument(e.title, e.body)
	}
}

// BenchmarkQueryMatch matches typical queries against the entries of a real live blog; one op
// is one query against one document.
func BenchmarkQueryMatch(b *testing.B) {
	entries := loadCorpusBlog(b, "trtworld-liveblog-2024-01-05.txt")
	docs := make([]*Document, len(entries))
	for i, e := range entries {
		docs[i] = NewDocument(e.title, e.body)
	}
	var queries []*Query
	for _, s := range []string{
		"drones", "Belgorod", `"peace talks" OR ceasefire -Gaza`, "Shahed-136",
		"title:(drones OR missiles) -Korea*", "dron* (Kyiv OR Kiev)", `"air defence" Belgorod`,
		"Zaporizhzhia OR Kherson OR Odesa",
	} {
		q, err := ParseQuery(s)
		if err != nil {
			b.Fatal(err)
		}
		queries = append(queries, q)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		queries[i%len(queries)].Match(docs[(i/len(queries))%len(docs)])
	}
}

// BenchmarkParseQuery parses a typical query.
func BenchmarkParseQuery(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseQuery(`"peace talks" OR ceasefire -Gaza title:Türkiye*`); err != nil {
			b.Fatal(err)
		}
	}
}
