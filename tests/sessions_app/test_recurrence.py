import itertools
from datetime import UTC, date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessions_app.recurrence import Pattern, local_span, nth_weekday, occurrences

MONDAY, TUESDAY, THURSDAY = 0, 1, 3


def test_weekly_from_a_start_that_is_not_the_weekday():
    pattern = Pattern("weekly", THURSDAY, starts_on=date(2026, 1, 1))  # a Thursday
    assert occurrences(pattern, date(2026, 1, 2), date(2026, 1, 31)) == [
        date(2026, 1, 8),
        date(2026, 1, 15),
        date(2026, 1, 22),
        date(2026, 1, 29),
    ]


def test_fortnightly_keeps_its_rhythm_whatever_window_is_asked():
    pattern = Pattern("fortnightly", TUESDAY, starts_on=date(2026, 1, 6))
    whole = occurrences(pattern, date(2026, 1, 1), date(2026, 3, 31))
    assert whole[:3] == [date(2026, 1, 6), date(2026, 1, 20), date(2026, 2, 3)]
    assert occurrences(pattern, date(2026, 1, 21), date(2026, 3, 31)) == whole[2:]


@pytest.mark.parametrize(
    ("nth", "expected"),
    [
        (1, [date(2026, 1, 5), date(2026, 2, 2), date(2026, 3, 2)]),
        (2, [date(2026, 1, 12), date(2026, 2, 9), date(2026, 3, 9)]),
        (-1, [date(2026, 1, 26), date(2026, 2, 23), date(2026, 3, 30)]),
    ],
)
def test_monthly_on_the_nth_or_last_weekday(nth, expected):
    pattern = Pattern("monthly", MONDAY, starts_on=date(2026, 1, 1), nth=nth)
    assert occurrences(pattern, date(2026, 1, 1), date(2026, 3, 31)) == expected


def test_a_fifth_weekday_that_does_not_exist_is_skipped():
    assert nth_weekday(2026, 2, MONDAY, 4) == date(2026, 2, 23)
    assert nth_weekday(2026, 2, MONDAY, 5) is None


def test_end_date_and_excluded_dates_are_respected():
    pattern = Pattern(
        "weekly",
        THURSDAY,
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 31),
        excluded_dates=frozenset({date(2026, 12, 24)}),
    )
    assert occurrences(pattern, date(2026, 12, 1), date(2027, 3, 1)) == [
        date(2026, 12, 3),
        date(2026, 12, 10),
        date(2026, 12, 17),
        date(2026, 12, 31),
    ]


@pytest.mark.parametrize(
    ("zone", "winter_utc_hour", "summer_utc_hour", "changes"),
    [
        # Clocks change 29 March and 25 October 2026 in London,
        # 8 March and 1 November 2026 in New York.
        ("Europe/London", 18, 17, (date(2026, 3, 29), date(2026, 10, 25))),
        ("America/New_York", 23, 22, (date(2026, 3, 8), date(2026, 11, 1))),
    ],
)
def test_a_weekly_1800_stays_1800_local_across_both_changes(
    zone, winter_utc_hour, summer_utc_hour, changes
):
    pattern = Pattern("weekly", THURSDAY, starts_on=date(2026, 1, 1))
    days = occurrences(pattern, date(2026, 1, 1), date(2026, 12, 31))
    spring, autumn = changes
    for day in days:
        start, end = local_span(day, time(18, 0), 90, zone)
        assert (start.hour, start.minute) == (18, 0)
        assert end - start == timedelta(minutes=90)
        utc_hour = start.astimezone(UTC).hour
        expected = summer_utc_hour if spring <= day < autumn else winter_utc_hour
        assert utc_hour == expected, day


@settings(max_examples=200, deadline=None)
@given(
    frequency=st.sampled_from(["weekly", "fortnightly", "monthly"]),
    weekday=st.integers(0, 6),
    nth=st.sampled_from([1, 2, 3, 4, -1]),
    start=st.dates(date(2024, 1, 1), date(2028, 12, 31)),
    span=st.integers(0, 400),
)
def test_every_occurrence_is_on_the_weekday_inside_the_window(
    frequency, weekday, nth, start, span
):
    pattern = Pattern(frequency, weekday, starts_on=start, nth=nth)
    end = start + timedelta(days=span)
    days = occurrences(pattern, start, end)
    assert days == sorted(set(days))
    assert all(day.weekday() == weekday and start <= day <= end for day in days)
    if frequency == "weekly" and span >= 6:
        assert days, "a week always holds the weekday"
    gaps = {(b - a).days for a, b in itertools.pairwise(days)}
    if frequency == "weekly":
        assert gaps <= {7}
    if frequency == "fortnightly":
        assert gaps <= {14}
    if frequency == "monthly":
        assert all(28 <= gap <= 35 for gap in gaps)
