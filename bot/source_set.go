package bot

import (
	"context"
	"net/url"
	"slices"
	"time"

	"livealert/bot/render"
	"livealert/sources"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// sourceSet is what the bot watches at one moment: the configured sources, then the approved
// sources users suggested, oldest first. It is immutable: adding or removing a user's source
// swaps in a new one (Bot.setSources), so readers (renderers, /sources) take it without locks.
type sourceSet struct {
	list   []sources.Source
	user   map[string]subscriptions.UserSource // by source name: the users' ones
	render map[string]render.Source            // by source name: how alerts name and link it
}

// newSourceSet returns the set of configured and user sources (the latter approved ones).
func newSourceSet(configured []sources.Source, user []userWatched) *sourceSet {
	s := &sourceSet{user: map[string]subscriptions.UserSource{}, render: map[string]render.Source{}}
	add := func(src sources.Source) {
		s.list = append(s.list, src)
		v := render.Source{Name: src.Name}
		if u, err := url.Parse(src.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			v.PageURL = src.URL
		}
		s.render[src.Name] = v
	}
	for _, src := range configured {
		add(src)
	}
	for _, u := range user {
		add(u.source)
		s.user[u.source.Name] = u.row
	}
	return s
}

// userWatched is a user's approved source as the bot watches it.
type userWatched struct {
	row    subscriptions.UserSource
	source sources.Source
}

// users returns the set's user sources, oldest first.
func (s *sourceSet) users() []userWatched {
	var out []userWatched
	for _, src := range s.list {
		if row, ok := s.user[src.Name]; ok {
			out = append(out, userWatched{row: row, source: src})
		}
	}
	return out
}

// configured returns the configured sources.
func (s *sourceSet) configured() []sources.Source {
	return slices.DeleteFunc(slices.Clone(s.list), func(src sources.Source) bool {
		_, ok := s.user[src.Name]
		return ok
	})
}

// byKey returns the source whose name has key as its match.SourceKey.
func (s *sourceSet) byKey(key string) (sources.Source, bool) {
	for _, src := range s.list {
		if match.SourceKey(src.Name) == key {
			return src, true
		}
	}
	return sources.Source{}, false
}

// names returns the sources' names, in order.
func (s *sourceSet) names() []string {
	out := make([]string, len(s.list))
	for i, src := range s.list {
		out[i] = src.Name
	}
	return out
}

// sourceSet returns the sources watched now.
func (b *Bot) sourceSet() *sourceSet { return b.srcs.Load() }

// renderSources returns how alerts name and link each source watched now.
func (b *Bot) renderSources() map[string]render.Source { return b.sourceSet().render }

// userSource returns how a user's approved source is watched: with the format its check
// found, the users' poll interval and the guarded fetcher.
func (b *Bot) userSource(u subscriptions.UserSource) sources.Source {
	return sources.Source{
		Name:         u.Name,
		URL:          u.URL,
		Format:       sources.Format(u.Format),
		PollInterval: b.opts.UserSources.PollInterval,
		Fetcher:      b.opts.UserSources.Fetcher,
	}
}

// watchUserSource starts watching a user's approved source. A name a configured source has
// (the configuration changed since it was approved) is skipped and logged.
func (b *Bot) watchUserSource(u subscriptions.UserSource) {
	b.srcMu.Lock()
	defer b.srcMu.Unlock()
	set := b.sourceSet()
	if _, taken := set.byKey(match.SourceKey(u.Name)); taken {
		b.log.Warn("user source skipped: its name is taken", "source", u.Name, "user_source_id", u.ID)
		return
	}
	src := b.userSource(u)
	if err := b.watcher.Add(src); err != nil {
		b.log.Error("user source not watched", "source", u.Name, "error", err)
		return
	}
	b.srcs.Store(newSourceSet(set.configured(), append(set.users(), userWatched{row: u, source: src})))
	b.log.Info("user source watched", "source", u.Name, "url", u.URL, "requested_by", u.RequestedBy)
}

// unwatchUserSource stops watching the user's source named name, if it is watched.
func (b *Bot) unwatchUserSource(name string) {
	b.srcMu.Lock()
	defer b.srcMu.Unlock()
	set := b.sourceSet()
	if _, ok := set.user[name]; !ok {
		return
	}
	b.watcher.Remove(name)
	users := slices.DeleteFunc(set.users(), func(u userWatched) bool { return u.source.Name == name })
	b.srcs.Store(newSourceSet(set.configured(), users))
	b.log.Info("user source no longer watched", "source", name)
}

// loadUserSources watches the approved user sources the store has, at start.
func (b *Bot) loadUserSources(ctx context.Context) error {
	rows, err := b.store.UserSources(ctx, subscriptions.SourceApproved)
	if err != nil {
		return err
	}
	for _, u := range rows {
		b.watchUserSource(u)
	}
	return nil
}

// Defaults of UserSourceOptions.
const (
	defaultUserPollInterval = 2 * time.Minute
	defaultCheckTimeout     = 20 * time.Second
)
