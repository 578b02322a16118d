"""The pure auto-fill (sessions_app/rota.py): properties over any rota, and
the choice order with its reasons."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessions_app import rota

START = datetime(2027, 1, 4, 18, 0, tzinfo=UTC)  # a Monday
WEEKS = 52


def weekly(count=WEEKS, start=START, first_id=1):
    return [
        rota.Meeting(
            first_id + i,
            start + timedelta(weeks=i),
            (start + timedelta(weeks=i)).date(),
        )
        for i in range(count)
    ]


blockouts = st.one_of(
    st.builds(
        lambda start, length: rota.Blockout(
            starts_on=start, ends_on=start + timedelta(days=length)
        ),
        st.dates(date(2026, 12, 1), date(2028, 1, 31)),
        st.integers(0, 60),
    ),
    st.builds(
        lambda n: rota.Blockout(week_of_month=n), st.sampled_from([1, 2, 3, 4, -1])
    ),
)


@st.composite
def rotas(draw, *, free=False):
    count = draw(st.integers(0, 9))
    members = []
    for member_id in range(1, count + 1):
        capped = not free and draw(st.booleans())
        per_weeks = draw(st.integers(1, 12))
        members.append(
            rota.Member(
                id=member_id,
                name=f"M{member_id}",
                blockouts=() if free else tuple(draw(st.lists(blockouts, max_size=3))),
                max_times=draw(st.integers(1, per_weeks)) if capped else None,
                per_weeks=per_weeks,
                earlier_count=draw(st.sampled_from([0, 1, 2, 3, 10])),
            )
        )
    return members


def check_rules(members, meetings, result):
    by_id = {m.id: m for m in members}
    assigned = {m.id: [] for m in meetings}
    for choice in result.choices:
        assigned[choice.meeting_id].append(choice)
    times = {m.id: [] for m in members}
    order = sorted(meetings, key=lambda m: m.starts_at)
    for index, meeting in enumerate(order):
        choices = assigned[meeting.id]
        roles = [c.role for c in choices]
        assert len(set(roles)) == len(roles)
        assert len({c.member_id for c in choices}) == len(choices)
        if choices:
            assert rota.FACILITATOR in roles
        for choice in choices:
            member = by_id[choice.member_id]
            assert choice.reason
            assert not any(b.blocks(meeting.day) for b in member.blockouts), choice
            times[member.id].append(meeting.starts_at)
        if not choices and members:
            assert meeting.id in {u.meeting_id for u in result.unfilled}
        # Back to back only when nobody else fitted: then the reason says so.
        if index:
            before = {c.member_id for c in assigned[order[index - 1].id]}
            for choice in choices:
                if choice.member_id in before:
                    assert "nobody else fits" in choice.reason or (
                        choice.role == rota.CO_FACILITATOR
                    ), choice
    # No window of per_weeks weeks holds more than max_times.
    for member in members:
        if member.max_times is None:
            continue
        span = timedelta(weeks=member.per_weeks)
        ts = sorted(times[member.id])
        for i, first in enumerate(ts):
            inside = [t for t in ts[i:] if t - first < span]
            assert len(inside) <= member.max_times, (member, inside)
    # A co-facilitator is a newcomer beside an experienced facilitator.
    done = {m.id: m.earlier_count for m in members}
    for meeting in order:
        choices = assigned[meeting.id]
        roles = {c.role: c.member_id for c in choices}
        if rota.CO_FACILITATOR in roles:
            assert done[roles[rota.CO_FACILITATOR]] < rota.NEWCOMER_BELOW
            assert done[roles[rota.FACILITATOR]] >= rota.NEWCOMER_BELOW
        for choice in choices:
            done[choice.member_id] += 1


@settings(max_examples=100, deadline=None)
@given(rotas())
def test_autofill_never_breaks_a_rule(members):
    meetings = weekly()
    result = rota.autofill(
        members=members, meetings=meetings, to_fill={m.id for m in meetings}
    )
    check_rules(members, meetings, result)
    filled = {c.meeting_id for c in result.choices}
    assert filled.isdisjoint({u.meeting_id for u in result.unfilled})
    assert filled | {u.meeting_id for u in result.unfilled} == {m.id for m in meetings}


@settings(max_examples=100, deadline=None)
@given(rotas(free=True))
def test_without_blockouts_or_caps_experienced_members_share_evenly(members):
    """Everyone experienced (pairing adds nobody): counts differ by at most one."""
    members = [
        rota.Member(id=m.id, name=m.name, earlier_count=3 + m.earlier_count)
        for m in members
    ]
    meetings = weekly()
    result = rota.autofill(
        members=members, meetings=meetings, to_fill={m.id for m in meetings}
    )
    counts = {m.id: 0 for m in members}
    for choice in result.choices:
        counts[choice.member_id] += 1
    if members:
        assert max(counts.values()) - min(counts.values()) <= 1
        assert len(result.choices) == WEEKS


@settings(max_examples=100, deadline=None)
@given(rotas(free=True))
def test_without_blockouts_or_caps_every_meeting_is_filled(members):
    meetings = weekly()
    result = rota.autofill(
        members=members, meetings=meetings, to_fill={m.id for m in meetings}
    )
    if members:
        assert not result.unfilled
        counts = {m.id: 0 for m in members}
        for choice in result.choices:
            counts[choice.member_id] += 1
        # Newcomers co-facilitate beside the experienced until they have
        # three, so the spread can exceed one then; but everyone takes turns.
        assert min(counts.values()) >= 1
    else:
        assert len(result.unfilled) == WEEKS


def _history(member_id, *weeks_ago, first_id=1000):
    return [
        rota.Meeting(
            first_id + i,
            START - timedelta(weeks=w),
            (START - timedelta(weeks=w)).date(),
            ((member_id, rota.FACILITATOR),),
        )
        for i, w in enumerate(weeks_ago)
    ]


CASES = [
    pytest.param(
        [rota.Member(1, "Ann", earlier_count=5), rota.Member(2, "Bo", earlier_count=5)],
        _history(1, 2, first_id=100) + _history(2, 9, first_id=200),
        [(2, rota.FACILITATOR, "longest since last facilitated: 9 weeks")],
        id="longest since last facilitated",
    ),
    pytest.param(
        [rota.Member(1, "Ann", earlier_count=5), rota.Member(2, "Bo", earlier_count=5)],
        # (someone outside the rota took last week's meeting)
        _history(1, 3, first_id=100)
        + _history(2, 3, 5, 7, first_id=200)
        + _history(99, 1, first_id=300),
        [
            (
                1,
                rota.FACILITATOR,
                "longest since last facilitated: 3 weeks; least often in the "
                "last 6 months (1 time)",
            )
        ],
        id="tie broken by fewest in six months",
    ),
    pytest.param(
        [rota.Member(1, "Ann", earlier_count=5), rota.Member(2, "Bo", earlier_count=5)],
        _history(1, 1, first_id=100),
        [(2, rota.FACILITATOR, "has not facilitated yet")],
        id="never facilitated comes first",
    ),
    pytest.param(
        [
            rota.Member(1, "Ann", earlier_count=5),
            rota.Member(2, "Bo", blockouts=(rota.Blockout(week_of_month=1),)),
        ],
        _history(1, 1, first_id=100),
        [
            (
                1,
                rota.FACILITATOR,
                "longest since last facilitated: 7 days; nobody else fits, so "
                "also next to their other turn",
            )
        ],
        id="blocked out: the other one again, said so",
    ),
    pytest.param(
        [
            rota.Member(1, "Ann", earlier_count=5),
            rota.Member(2, "Bo", earlier_count=1),
        ],
        _history(1, 4, first_id=100) + _history(99, 1, first_id=300),
        [
            (2, rota.CO_FACILITATOR, "newcomer (1 of 3 facilitated) paired with Ann"),
            (1, rota.FACILITATOR, "longest since last facilitated: 4 weeks"),
        ],
        id="newcomer paired beside the experienced one",
    ),
    pytest.param(
        [rota.Member(1, "Ann"), rota.Member(2, "Bo", earlier_count=5, max_times=1)],
        _history(2, 2, first_id=100),
        [
            (
                1,
                rota.FACILITATOR,
                "has not facilitated yet; no experienced facilitator free",
            )
        ],
        id="newcomer alone only when no experienced one fits",
    ),
]


@pytest.mark.parametrize(("members", "history", "expected"), CASES)
def test_choice_order_and_reasons(members, history, expected):
    meeting = weekly(1, first_id=1)
    result = rota.autofill(members=members, meetings=history + meeting, to_fill={1})
    got = sorted((c.member_id, c.role, c.reason) for c in result.choices)
    assert got == sorted(expected)


def test_nobody_fits_leaves_the_meeting_empty_with_the_reason():
    members = [
        rota.Member(1, blockouts=(rota.Blockout(week_of_month=1),)),
        rota.Member(2, max_times=1, per_weeks=4),
    ]
    history = _history(2, 2, first_id=100)
    result = rota.autofill(members=members, meetings=history + weekly(1), to_fill={1})
    assert result.choices == []
    assert result.unfilled == [
        rota.Unfilled(1, "nobody fits: 1 blocked out, 1 at their frequency limit")
    ]


def test_a_cap_counts_later_meetings_already_assigned():
    """At most once in 4 weeks, already on in week 3: not in week 1 either."""
    meetings = weekly(3)
    later = meetings[2]
    meetings[2] = rota.Meeting(
        later.id, later.starts_at, later.day, ((1, "facilitator"),)
    )
    member = rota.Member(1, max_times=1, per_weeks=4, earlier_count=5)
    result = rota.autofill(members=[member], meetings=meetings, to_fill={1})
    assert result.choices == []


@pytest.mark.parametrize(
    ("week", "day", "blocked"),
    [
        (1, date(2027, 3, 1), True),
        (1, date(2027, 3, 7), True),
        (1, date(2027, 3, 8), False),
        (4, date(2027, 3, 28), True),
        (4, date(2027, 3, 29), False),
        (-1, date(2027, 2, 22), True),
        (-1, date(2027, 2, 21), False),
        (-1, date(2027, 3, 25), True),
        (-1, date(2027, 3, 24), False),
    ],
)
def test_week_of_month(week, day, blocked):
    assert rota.Blockout(week_of_month=week).blocks(day) is blocked
