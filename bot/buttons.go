package bot

import (
	"context"
	"strings"

	"github.com/go-telegram/bot/models"
)

// Every inline button the bot draws is one entry of buttonTable: its callback prefix, who may
// press it (anyone for a button that only reads, chatAdmins for one that changes the chat) and
// its handler. Presses go through the same gate as commands (gate.go).

// buttonFunc carries out a press on message m with the data after the prefix, and returns
// the callback answer.
type buttonFunc func(b *Bot, ctx context.Context, in incoming, m *models.Message, arg string) (string, error)

// buttonSpec is one kind of button.
type buttonSpec struct {
	prefix string
	access access
	run    buttonFunc
}

// buttonTable returns the buttons, longest prefixes first where one opens another.
func buttonTable() []buttonSpec {
	alert := func(prefix string) buttonSpec {
		return buttonSpec{prefix: prefix, access: chatAdmins, run: func(b *Bot, ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
			return b.alertButton(ctx, in, m, prefix, arg)
		}}
	}
	return []buttonSpec{
		{prefix: topicsPagePrefix, access: anyone, run: (*Bot).topicsPage},
		{prefix: searchPagePrefix, access: anyone, run: (*Bot).searchPage},
		{prefix: toggleTopicPrefix, access: chatAdmins, run: (*Bot).toggleTopic},
		{prefix: unfollowPrefix, access: chatAdmins, run: (*Bot).unfollowButton},
		alert(alertMutePrefix),
		alert(alertDigestPrefix),
		alert(alertUnfollowPrefix),
		alert(alertUnmutePrefix),
		alert(alertBothPrefix),
		{prefix: alertPickPrefix, access: anyone, run: (*Bot).alertPick},
		{prefix: languagePrefix, access: chatAdmins, run: (*Bot).languageButton},
		{prefix: sourceApprovePrefix, access: operators, run: (*Bot).sourceApproveButton},
		{prefix: sourceRejectPrefix, access: operators, run: (*Bot).sourceRejectButton},
		{prefix: sourceFollowPrefix, access: anyone, run: (*Bot).sourceFollowButton},
		{prefix: "imp:", access: chatAdmins, run: (*Bot).importButton}, // importConfirmPrefix, importCancelPrefix
	}
}

// lookupButton returns the entry of callback data and the data after its prefix; nil for data
// no button of this bot carries.
func lookupButton(table []buttonSpec, data string) (*buttonSpec, string) {
	for i := range table {
		if rest, ok := strings.CutPrefix(data, table[i].prefix); ok {
			return &table[i], rest
		}
	}
	return nil, data
}
