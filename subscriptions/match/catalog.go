package match

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Catalog is the ordered set of topics from the config that chats may follow.
type Catalog struct {
	topics   []Topic
	compiled []*CompiledTopic
	byKey    map[string]int
}

// NewCatalog compiles the topics. Names must be unique (ignoring case) and every keyword must
// be a valid query.
func NewCatalog(topics []Topic) (*Catalog, error) {
	c := &Catalog{byKey: make(map[string]int, len(topics))}
	for i, t := range topics {
		key := TopicKey(t.Name)
		if key == "" {
			return nil, fmt.Errorf("match: topic %d: empty name", i)
		}
		if _, dup := c.byKey[key]; dup {
			return nil, fmt.Errorf("match: topic %q: duplicate name", t.Name)
		}
		ct, err := compileTopic(t)
		if err != nil {
			return nil, err
		}
		c.byKey[key] = len(c.topics)
		for _, lang := range slices.Sorted(maps.Keys(t.Names)) {
			k := TopicKey(t.Names[lang])
			if k == "" || k == key {
				continue
			}
			if j, dup := c.byKey[k]; dup && j != len(c.topics) {
				return nil, fmt.Errorf("match: topic %q: name %q (%s) is another topic's", t.Name, t.Names[lang], lang)
			}
			c.byKey[k] = len(c.topics)
		}
		c.topics = append(c.topics, t)
		c.compiled = append(c.compiled, ct)
	}
	return c, nil
}

// Topics returns the catalog's topics in config order.
func (c *Catalog) Topics() []Topic { return c.topics }

// Lookup finds a topic by its name, a translated name or its key, ignoring case.
func (c *Catalog) Lookup(name string) (Topic, bool) {
	i, ok := c.byKey[TopicKey(name)]
	if !ok {
		return Topic{}, false
	}
	return c.topics[i], true
}

// TopicKey is the short, stable, case-folded identifier of a topic name ("Air defence" →
// "air-defence"): what subscriptions store and buttons carry.
func TopicKey(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(name)), "-")
}

// Compiled finds a topic's compiled form by its name, a translated name or its key, ignoring
// case.
func (c *Catalog) Compiled(name string) (*CompiledTopic, bool) {
	i, ok := c.byKey[TopicKey(name)]
	if !ok {
		return nil, false
	}
	return c.compiled[i], true
}
