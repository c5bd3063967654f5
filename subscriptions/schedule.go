package subscriptions

import (
	"fmt"
	"time"
)

// ParseClock parses a local time of day "HH:MM" (24-hour, "8:05" allowed).
func ParseClock(s string) (hour, minute int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, fmt.Errorf("subscriptions: %q is not a time of day like 08:00", s)
	}
	return t.Hour(), t.Minute(), nil
}

// NextDigest returns the first instant strictly after after at which the wall clock in loc
// reads hhmm. On a day when hhmm does not exist (the clock springs forward over it) that is
// the first instant after the gap; on a day when it exists twice (the clock falls back) it is
// the first of the two. hhmm must have passed ParseClock.
func NextDigest(after time.Time, hhmm string, loc *time.Location) time.Time {
	h, m, err := ParseClock(hhmm)
	if err != nil {
		return time.Time{}
	}
	local := after.In(loc)
	for day := 0; ; day++ {
		t := wallTime(local.Year(), local.Month(), local.Day()+day, h, m, loc)
		if t.After(after) {
			return t.UTC()
		}
	}
}

// wallTime returns the first instant at which loc's wall clock reads at least y-mo-d h:m.
func wallTime(y int, mo time.Month, d, h, m int, loc *time.Location) time.Time {
	t := time.Date(y, mo, d, h, m, 0, 0, loc)
	start, end := t.ZoneBounds()
	const near = 3 * time.Hour // no zone moves its clock by more than this at once
	if (start.IsZero() || t.Sub(start) > near) && (end.IsZero() || end.Sub(t) > near) {
		return t // no transition nearby: the wall time exists exactly once
	}
	want := time.Date(y, mo, d, h, m, 0, 0, time.UTC) // the wall reading, as a comparable value
	for u := t.Add(-near).Truncate(time.Minute); u.Before(t.Add(near)); u = u.Add(time.Minute) {
		l := u.In(loc)
		wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC)
		if !wall.Before(want) {
			return u
		}
	}
	return t
}

// CatchUpWindow is how late a digest may still go out: a digest time missed while livealert
// was down is made up when it comes back within this window; after it, the next regular
// digest covers the gap.
const CatchUpWindow = 12 * time.Hour

// lastDigest returns the latest instant at or before t at which the wall clock in loc reads
// hhmm, with NextDigest's rules for days when hhmm is skipped or repeated. hhmm must have
// passed ParseClock.
func lastDigest(t time.Time, hhmm string, loc *time.Location) time.Time {
	h, m, err := ParseClock(hhmm)
	if err != nil {
		return time.Time{}
	}
	local := t.In(loc)
	for day := 0; day > -3; day-- {
		u := wallTime(local.Year(), local.Month(), local.Day()+day, h, m, loc)
		if !u.After(t) {
			return u.UTC()
		}
	}
	return time.Time{}
}

// localDay returns the bounds [start, end) of the day, in loc, that t falls on.
func localDay(t time.Time, loc *time.Location) (start, end time.Time) {
	l := t.In(loc)
	return wallTime(l.Year(), l.Month(), l.Day(), 0, 0, loc), wallTime(l.Year(), l.Month(), l.Day()+1, 0, 0, loc)
}
