package main

import (
	"fmt"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// pathIndex maps the lines of a YAML document to the paths of what stands on them
// ("sources[1].poll_interval"), so that the decoder's line-numbered errors can name paths.
type pathIndex struct {
	keys   map[int]map[string]string // line → key as written → path
	values map[int]string            // line → path of the innermost value starting there
}

func indexPaths(doc *yaml.Node) pathIndex {
	ix := pathIndex{keys: map[int]map[string]string{}, values: map[int]string{}}
	ix.walk(doc, "")
	return ix
}

func (ix pathIndex) walk(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			ix.walk(c, path)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if ix.keys[k.Line] == nil {
				ix.keys[k.Line] = map[string]string{}
			}
			ix.keys[k.Line][k.Value] = p
			ix.values[v.Line] = p
			ix.walk(v, p)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			ix.values[c.Line] = p
			ix.walk(c, p)
		}
	}
}

var (
	lineError    = regexp.MustCompile(`^line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	fieldTwice   = regexp.MustCompile(`^field (\S+) already set in type \S+$`)
	cannotDecode = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (\\S+)$")
)

// explain rewrites one of the decoder's "line N: …" errors as "path: problem".
func (ix pathIndex) explain(msg string) string {
	m := lineError.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	line, _ := strconv.Atoi(m[1])
	rest := m[2]
	if f := unknownField.FindStringSubmatch(rest); f != nil {
		if p, ok := ix.keys[line][f[1]]; ok {
			return p + ": unknown key"
		}
		return fmt.Sprintf("line %d: unknown key %q", line, f[1])
	}
	if f := fieldTwice.FindStringSubmatch(rest); f != nil {
		if p, ok := ix.keys[line][f[1]]; ok {
			return p + ": set twice"
		}
	}
	if f := cannotDecode.FindStringSubmatch(rest); f != nil {
		rest = fmt.Sprintf("%q is not %s", f[2], goTypeInWords(f[3]))
	}
	if p, ok := ix.values[line]; ok {
		return p + ": " + rest
	}
	return msg
}

func goTypeInWords(t string) string {
	switch t {
	case "int", "int64", "int32":
		return "a whole number"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	}
	if len(t) > 2 && t[:2] == "[]" {
		return "a list"
	}
	return "a " + t
}
