package main

import "runtime/debug"

// version is set at build time with -ldflags "-X main.version=…" (the Docker image's VERSION
// build argument); see buildVersion for a plain go build.
var version = "dev"

// buildVersion is the version livealert reports: the one stamped at build time, else the VCS
// revision go build recorded ("dev+1a2b3c4d5e6f", "+dirty" for uncommitted changes), else
// "dev".
func buildVersion() string {
	if version != "dev" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	return versionFrom(info.Settings)
}

// versionFrom reads the VCS revision from a build's settings.
func versionFrom(settings []debug.BuildSetting) string {
	rev, dirty := "", false
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return "dev+" + rev
}
