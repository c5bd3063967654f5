package main

import (
	"runtime/debug"
	"testing"
)

func TestVersionFrom(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		settings []debug.BuildSetting
		want     string
	}{
		{nil, "dev"},
		{[]debug.BuildSetting{{Key: "vcs.revision", Value: "0856be9f00d1e2a3b4c5"}}, "dev+0856be9f00d1"},
		{[]debug.BuildSetting{{Key: "vcs.revision", Value: "0856be9"}, {Key: "vcs.modified", Value: "true"}}, "dev+0856be9+dirty"},
	} {
		if got := versionFrom(tt.settings); got != tt.want {
			t.Errorf("versionFrom(%v) = %q, want %q", tt.settings, got, tt.want)
		}
	}
}
