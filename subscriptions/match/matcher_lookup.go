package match

import (
	"cmp"
	"slices"
)

// SubscriptionFor returns the id of the chat's subscription in the thread that is shown as
// label (see Subscription.Label), the oldest when several are, as the matcher knows it: it
// reports false when the matcher has none, which includes the subscriptions it skips (an
// unknown topic, a query that does not parse) and those of inactive chats. It reads only the
// snapshot, so it costs no query.
func (m *Matcher) SubscriptionFor(chatID int64, threadID int, label string) (int64, bool) {
	// m.subs is ordered by chat, thread and subscription.
	i, _ := slices.BinarySearchFunc(m.subs, chatID, func(s subscriber, id int64) int {
		return cmp.Compare(s.chatID, id)
	})
	for ; i < len(m.subs) && m.subs[i].chatID == chatID; i++ {
		s := m.subs[i]
		if int(s.threadID) == threadID && m.labels[s.unit] == label {
			return s.subscriptionID, true
		}
	}
	return 0, false
}
