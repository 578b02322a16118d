"""Which dates a schedule produces, and when those meetings are in UTC.

Pure functions: no database. A meeting's local time is combined with its date
in the group's zone each time, so a weekly 18:00 stays 18:00 local across
daylight-saving changes (its UTC time moves instead). A local time that does
not exist on the day the clocks go forward (e.g. 01:30 in London) is read
with the offset before the change, as zoneinfo does for fold=0.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Pattern:
    frequency: str  # "weekly" | "fortnightly" | "monthly"
    weekday: int  # Monday = 0
    starts_on: date
    ends_on: date | None = None
    nth: int | None = None  # 1..4, or -1 for the last, for "monthly"
    excluded_dates: frozenset[date] = field(default_factory=frozenset)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The n-th (or, with -1, the last) given weekday of a month."""
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def occurrences(pattern: Pattern, start: date, end: date) -> list[date]:
    """The pattern's dates within [start, end], both included."""
    first = max(start, pattern.starts_on)
    last = min(end, pattern.ends_on) if pattern.ends_on else end
    if first > last:
        return []
    if pattern.frequency == "monthly":
        found = []
        year, month = first.year, first.month
        while date(year, month, 1) <= last:
            day = nth_weekday(year, month, pattern.weekday, pattern.nth or 1)
            if day is not None and first <= day <= last:
                found.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        step = timedelta(weeks=2 if pattern.frequency == "fortnightly" else 1)
        # Anchor on the first matching day from the schedule's own start, so a
        # fortnightly series keeps its rhythm whatever window is asked for.
        anchor = pattern.starts_on + timedelta(
            days=(pattern.weekday - pattern.starts_on.weekday()) % 7
        )
        if anchor < first:
            periods = -(-(first - anchor).days // step.days)
            anchor += step * periods
        found = []
        day = anchor
        while day <= last:
            found.append(day)
            day += step
    return [day for day in found if day not in pattern.excluded_dates]


def local_span(
    day: date, local_time: time, minutes: int, zone: str
) -> tuple[datetime, datetime]:
    """Start and end as aware datetimes for a local date and time in ``zone``."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, local_time, tzinfo=tz)
    # End by wall-clock minutes too, so a 90-minute meeting stays 90 minutes
    # on the page even if the clocks change during it.
    return start, start + timedelta(minutes=minutes)
