package bot

// termSet returns an alert's terms (subscriptions.Delivery.Terms) as render.Alert takes them.
func termSet(terms []string) map[string]bool {
	set := make(map[string]bool, len(terms))
	for _, t := range terms {
		set[t] = true
	}
	return set
}
