package sources

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// civilDate is a calendar day with no zone: the day a live-blog page prints.
type civilDate struct {
	year  int
	month time.Month
	day   int
}

// at returns the instant hh:mm on d in a zone offsetMin minutes east of UTC, in UTC.
func (d civilDate) at(hour, minute, offsetMin int) time.Time {
	t := time.Date(d.year, d.month, d.day, hour, minute, 0, 0, time.UTC)
	return t.Add(-time.Duration(offsetMin) * time.Minute)
}

// dateIn returns the calendar day t falls on in a zone offsetMin minutes east of UTC.
func dateIn(t time.Time, offsetMin int) civilDate {
	y, m, d := t.UTC().Add(time.Duration(offsetMin) * time.Minute).Date()
	return civilDate{y, m, d}
}

// zoneOffsets maps the zone labels a live-blog header may carry to their offset east of UTC,
// in minutes. A summer-time label means the offset it names (BST is +01:00 whatever the date):
// the page said so.
var zoneOffsets = map[string]int{
	"GMT":  0,
	"UTC":  0,
	"BST":  60,
	"CET":  60,
	"CEST": 120,
	"EET":  120,
	"EEST": 180,
	"MSK":  180,
}

// numericZoneRE matches a numeric offset, optionally after GMT/UTC: "+03:00", "+0300", "+3",
// "GMT+3", "UTC-05:00".
var numericZoneRE = regexp.MustCompile(`^(?:GMT|UTC)?\s?([+-])(\d{1,2})(?::?(\d{2}))?$`)

// zoneOffset returns the offset east of UTC, in minutes, that a header's zone label names.
func zoneOffset(label string) (int, bool) {
	label = strings.ToUpper(strings.TrimSpace(label))
	if off, ok := zoneOffsets[label]; ok {
		return off, true
	}
	m := numericZoneRE.FindStringSubmatch(label)
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[2])
	mins := 0
	if m[3] != "" {
		mins, _ = strconv.Atoi(m[3])
	}
	if h > 14 || mins > 59 {
		return 0, false
	}
	off := h*60 + mins
	if m[1] == "-" {
		off = -off
	}
	return off, true
}

// months maps English month names and their usual abbreviations to months.
var months = map[string]time.Month{
	"january": time.January, "jan": time.January,
	"february": time.February, "feb": time.February,
	"march": time.March, "mar": time.March,
	"april": time.April, "apr": time.April,
	"may":  time.May,
	"june": time.June, "jun": time.June,
	"july": time.July, "jul": time.July,
	"august": time.August, "aug": time.August,
	"september": time.September, "sep": time.September, "sept": time.September,
	"october": time.October, "oct": time.October,
	"november": time.November, "nov": time.November,
	"december": time.December, "dec": time.December,
}

// dateLineRE matches a line that is only a date: "Friday, January 5, 2024",
// "Friday January 5, 2024", "January 5, 2024", "5 January 2024", "Friday 5 January 2024",
// "Jan. 5th, 2024". The weekday, when given, is not checked against the date.
var dateLineRE = regexp.MustCompile(`(?i)^(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?` +
	`(?:([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})|(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4}))$`)

// parseDateLine reports whether line is a date line and which day it names.
func parseDateLine(line string) (civilDate, bool) {
	// Cheap filter: a date line is short and ends with a four-digit year.
	n := len(line)
	if n < 10 || n > 48 || !isDigit(line[n-1]) || !isDigit(line[n-4]) {
		return civilDate{}, false
	}
	m := dateLineRE.FindStringSubmatch(line)
	if m == nil {
		return civilDate{}, false
	}
	monthName, dayStr, yearStr := m[1], m[2], m[3]
	if monthName == "" {
		monthName, dayStr, yearStr = m[5], m[4], m[6]
	}
	month, ok := months[strings.ToLower(monthName)]
	if !ok {
		return civilDate{}, false
	}
	day, _ := strconv.Atoi(dayStr)
	year, _ := strconv.Atoi(yearStr)
	if day < 1 || year < 1900 {
		return civilDate{}, false
	}
	// Reject days the month does not have (time.Date would roll them over).
	if t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC); t.Day() != day {
		return civilDate{}, false
	}
	return civilDate{year, month, day}, true
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
