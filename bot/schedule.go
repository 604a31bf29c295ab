package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/interviewbot/interviewbot/interview"
	"github.com/interviewbot/interviewbot/questions"
	"github.com/interviewbot/interviewbot/store"
)

var dayNames = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

var dayOrder = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// DefaultSchedule is what /daily setup fills in for fields it is not given.
func DefaultSchedule(ch store.Channel, zone string) store.Schedule {
	return store.Schedule{Channel: ch, At: "09:30", TZ: zone, Enabled: true, Reveal: 8 * time.Hour,
		Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}}
}

// ParseSchedule applies "key=value" arguments of /daily setup to base. Each
// bad field gets a message naming it and its valid form.
func ParseSchedule(base store.Schedule, args []string, bank *questions.Bank) (store.Schedule, error) {
	sc := base
	sc.Enabled = true
	for _, arg := range args {
		key, val, ok := strings.Cut(arg, "=")
		if !ok || val == "" {
			return sc, interview.Errorf(interview.Invalid, "%q is not key=value. Example: /daily setup time=09:30 tz=Europe/Berlin days=mon-fri topics=caching,databases level=mid reveal=8h", truncateRunes(arg, 30))
		}
		switch strings.ToLower(key) {
		case "time", "at":
			t, err := time.Parse("15:04", val)
			if err != nil {
				return sc, interview.Errorf(interview.Invalid, "time=%s is not a 24-hour time; use HH:MM, e.g. time=09:30", truncateRunes(val, 20))
			}
			sc.At = t.Format("15:04")
		case "tz", "zone":
			if _, err := time.LoadLocation(val); err != nil || val == "Local" {
				return sc, interview.Errorf(interview.Invalid, "tz=%s is not an IANA time zone; use a name like Europe/Berlin, America/New_York or UTC", truncateRunes(val, 40))
			}
			sc.TZ = val
		case "days":
			days, err := parseDayList(val)
			if err != nil {
				return sc, err
			}
			sc.Days = days
		case "topics", "topic":
			var topics []string
			for _, t := range strings.Split(strings.ToLower(val), ",") {
				if t == "all" || t == "" {
					topics = nil
					break
				}
				if !bank.HasTopic(t) {
					return sc, interview.Errorf(interview.Invalid, "topics: %q is not a topic; choose from %s (comma-separated), or all", truncateRunes(t, 20), strings.Join(bank.Topics(), ", "))
				}
				topics = append(topics, t)
			}
			sc.Topics = topics
		case "level":
			l := strings.ToLower(val)
			if l == "any" || l == "all" {
				l = ""
			} else if !slices.Contains(questions.Levels, questions.Level(l)) {
				return sc, interview.Errorf(interview.Invalid, "level=%s is not a level; use junior, mid, senior or any", truncateRunes(val, 20))
			}
			sc.Level = l
		case "reveal":
			d, err := time.ParseDuration(val)
			if err != nil || d < time.Minute || d > 7*24*time.Hour {
				return sc, interview.Errorf(interview.Invalid, "reveal=%s is not a duration between 1m and 168h, e.g. reveal=8h", truncateRunes(val, 20))
			}
			sc.Reveal = d
		default:
			return sc, interview.Errorf(interview.Invalid, "unknown field %q; /daily setup takes time, tz, days, topics, level and reveal", truncateRunes(key, 20))
		}
	}
	return sc, nil
}

// parseDayList reads "mon-fri", "mon,wed,fri", "daily" or "weekdays".
func parseDayList(val string) ([]time.Weekday, error) {
	bad := interview.Errorf(interview.Invalid, "days=%s is not a list of days; use e.g. days=mon-fri, days=mon,wed,fri or days=daily", truncateRunes(val, 30))
	val = strings.ToLower(val)
	switch val {
	case "daily", "all", "every":
		val = "mon-sun"
	case "weekdays":
		val = "mon-fri"
	}
	seen := map[time.Weekday]bool{}
	for _, part := range strings.Split(val, ",") {
		from, to, isRange := strings.Cut(part, "-")
		a, ok := dayNames[from]
		if !ok {
			return nil, bad
		}
		if !isRange {
			seen[a] = true
			continue
		}
		if _, ok := dayNames[to]; !ok {
			return nil, bad
		}
		i := slices.Index(dayOrder, from)
		for {
			seen[dayNames[dayOrder[i%7]]] = true
			if dayOrder[i%7] == to || i > 14 {
				break
			}
			i++
		}
	}
	var out []time.Weekday
	for _, n := range dayOrder {
		if seen[dayNames[n]] {
			out = append(out, dayNames[n])
		}
	}
	return out, nil
}

// postsOn reports whether the schedule posts on a local date.
func postsOn(sc store.Schedule, day time.Time, skips map[string]bool) bool {
	return slices.Contains(sc.Days, day.Weekday()) && !skips[day.Format(time.DateOnly)]
}

// dueAt is the instant of a schedule's post on a local date. Building it
// from the wall-clock time in the zone keeps 09:30 at 09:30 on both sides
// of a daylight-saving change; a time that does not exist that day (in a
// spring-forward gap) moves forward by the gap, as the zone's rules say.
func dueAt(sc store.Schedule, loc *time.Location, day time.Time) time.Time {
	hh, _ := strconv.Atoi(sc.At[:2])
	mm, _ := strconv.Atoi(sc.At[3:])
	return time.Date(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, loc)
}

// NextPost returns the first post instant at or after now's local date that
// is not yet done: today's if today is a posting day that has not been
// posted (even when its time has passed, so a bot that was down at 09:30
// posts late), else the next posting day's. It never returns an earlier
// day: a missed yesterday is not posted.
func NextPost(sc store.Schedule, skips map[string]bool, postedToday bool, now time.Time) (time.Time, error) {
	loc, err := time.LoadLocation(sc.TZ)
	if err != nil {
		return time.Time{}, fmt.Errorf("schedule zone %q: %w", sc.TZ, err)
	}
	local := now.In(loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 12, 0, 0, 0, loc)
	if postedToday {
		day = day.AddDate(0, 0, 1)
	}
	for range 370 {
		if postsOn(sc, day, skips) {
			return dueAt(sc, loc, day), nil
		}
		day = day.AddDate(0, 0, 1)
	}
	return time.Time{}, fmt.Errorf("schedule posts on no day in the next year")
}

// describeSchedule is the one-line summary /daily status shows.
func describeSchedule(sc store.Schedule) string {
	var days []string
	for _, n := range dayOrder {
		if slices.Contains(sc.Days, dayNames[n]) {
			days = append(days, n)
		}
	}
	topics := "all topics"
	if len(sc.Topics) > 0 {
		topics = strings.Join(sc.Topics, ", ")
	}
	level := "any level"
	if sc.Level != "" {
		level = sc.Level
	}
	return fmt.Sprintf("%s %s on %s; %s, %s; answers revealed after %s", sc.At, sc.TZ, strings.Join(days, ","), topics, level, sc.Reveal)
}
