"""The facilitation rota's auto-fill, as a pure function: plain dataclasses in,
assignments with their reasons out. No database, so it can be property-tested
and benchmarked (rota_services.py feeds it from the database).

Rules (README, "Facilitation rota"):

- "facilitated" = assigned, in either role, to a meeting that is not
  cancelled. Callers pass only meetings that are not cancelled.
- Order: the member who facilitated least recently (never first), then least
  often in the 26 weeks before the meeting, then the lowest id (stable).
- Never against a blockout, never over the frequency preference (at most
  ``max_times`` in any window of ``per_weeks`` weeks; a window ending at the
  candidate meeting or at a later meeting they already have both count).
- Not the same person in two consecutive meetings when someone else fits.
- Newcomer = fewer than 3 facilitated before the meeting. A newcomer is
  co-facilitator beside an experienced facilitator; they lead alone only
  when no experienced member fits.
- When nobody fits, the meeting stays empty, with the reason.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

FACILITATOR = "facilitator"
CO_FACILITATOR = "co_facilitator"
NEWCOMER_BELOW = 3
LOAD_WINDOW = timedelta(weeks=26)


@dataclass(frozen=True)
class Blockout:
    """A date range (both ends included) or a week of every month: n = days
    7n-6..7n of the month, -1 = its last seven days."""

    starts_on: date | None = None
    ends_on: date | None = None
    week_of_month: int | None = None

    def blocks(self, day: date) -> bool:
        if self.week_of_month is None:
            return self.starts_on <= day <= self.ends_on
        if self.week_of_month == -1:
            return day.day > days_in_month(day) - 7
        n = self.week_of_month
        return 7 * n - 6 <= day.day <= 7 * n


def days_in_month(day: date) -> int:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


@dataclass(frozen=True)
class Member:
    id: int
    name: str = ""
    blockouts: tuple[Blockout, ...] = ()
    max_times: int | None = None
    per_weeks: int = 4
    # Facilitations older than the meetings passed in (for "newcomer" only).
    earlier_count: int = 0


@dataclass(frozen=True)
class Meeting:
    id: int
    starts_at: datetime
    day: date  # the local date, in the group's zone
    # Already assigned: (member id, role). Members outside the rota may appear.
    assigned: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Choice:
    meeting_id: int
    member_id: int
    role: str
    reason: str


@dataclass(frozen=True)
class Unfilled:
    meeting_id: int
    reason: str


@dataclass
class Result:
    choices: list[Choice] = field(default_factory=list)
    unfilled: list[Unfilled] = field(default_factory=list)


def _ago(then: datetime, now: datetime) -> str:
    days = (now - then).days
    if days >= 14:
        return f"{days // 7} weeks"
    return f"{days} days" if days != 1 else "1 day"


class _State:
    """Everyone's facilitations, kept sorted, updated as the run assigns."""

    def __init__(self, members: dict[int, Member], meetings: list[Meeting]):
        self.members = members
        self.times: dict[int, list[datetime]] = {m: [] for m in members}
        self.by_meeting: dict[int, set[int]] = {}
        for meeting in meetings:
            people = {member for member, _ in meeting.assigned}
            self.by_meeting[meeting.id] = people
            for member in people:
                if member in self.times:
                    self.times[member].append(meeting.starts_at)
        for times in self.times.values():
            times.sort()

    def add(self, member: int, meeting: Meeting) -> None:
        times = self.times[member]
        times.insert(bisect_right(times, meeting.starts_at), meeting.starts_at)
        self.by_meeting[meeting.id].add(member)

    def last_before(self, member: int, at: datetime) -> datetime | None:
        times = self.times[member]
        index = bisect_left(times, at)
        return times[index - 1] if index else None

    def count_between(self, member: int, start: datetime, end: datetime) -> int:
        """Facilitations with start <= time < end."""
        times = self.times[member]
        return bisect_left(times, end) - bisect_left(times, start)

    def experience(self, member: int, at: datetime) -> int:
        earlier = self.members[member].earlier_count
        return earlier + bisect_left(self.times[member], at)

    def over_cap(self, member: Member, at: datetime) -> bool:
        """Would one more facilitation at ``at`` put more than max_times in
        some window of per_weeks weeks?"""
        if member.max_times is None:
            return False
        span = timedelta(weeks=member.per_weeks)
        times = self.times[member.id]
        near = times[bisect_right(times, at - span) : bisect_left(times, at + span)]
        near = sorted([*near, at])
        start = 0
        for end, when in enumerate(near):
            while when - near[start] >= span:
                start += 1
            if end - start + 1 > member.max_times:
                return True
        return False


def _neighbours(meetings: list[Meeting], index: int) -> set[int]:
    """Who facilitates the meetings just before and just after this one."""
    people: set[int] = set()
    for other in (index - 1, index + 1):
        if 0 <= other < len(meetings):
            people |= {member for member, _ in meetings[other].assigned}
    return people


def autofill(
    *, members: list[Member], meetings: list[Meeting], to_fill: set[int]
) -> Result:
    """Choose facilitators for the meetings in ``to_fill`` (ids of meetings
    with nobody assigned). ``meetings``: the group's meetings that are not
    cancelled, past and future, in order of start; pass at least the 52 weeks
    before the first one to fill so that every window can be counted."""
    meetings = sorted(meetings, key=lambda m: (m.starts_at, m.id))
    by_id = {member.id: member for member in members}
    state = _State(by_id, meetings)
    # Each meeting's neighbours change as the run assigns: keep a live list.
    live = list(meetings)
    result = Result()
    for index, meeting in enumerate(meetings):
        if meeting.id not in to_fill or meeting.assigned:
            continue
        chosen = _fill_one(members, state, live, index)
        if isinstance(chosen, Unfilled):
            result.unfilled.append(chosen)
            continue
        assigned = []
        for choice in chosen:
            state.add(choice.member_id, meeting)
            assigned.append((choice.member_id, choice.role))
            result.choices.append(choice)
        live[index] = Meeting(
            meeting.id, meeting.starts_at, meeting.day, tuple(assigned)
        )
    return result


def _fill_one(members, state: _State, live: list[Meeting], index: int):
    meeting = live[index]
    at = meeting.starts_at
    blocked = capped = 0
    fits = []
    for member in members:
        if any(blockout.blocks(meeting.day) for blockout in member.blockouts):
            blocked += 1
        elif state.over_cap(member, at):
            capped += 1
        else:
            fits.append(member)
    if not fits:
        if not members:
            return Unfilled(meeting.id, "nobody is on the rota")
        parts = []
        if blocked:
            parts.append(f"{blocked} blocked out")
        if capped:
            parts.append(f"{capped} at their frequency limit")
        return Unfilled(meeting.id, "nobody fits: " + ", ".join(parts))
    adjacent = _neighbours(live, index)
    rested = [member for member in fits if member.id not in adjacent]
    repeat = not rested
    pool = fits if repeat else rested

    def key(member: Member):
        last = state.last_before(member.id, at)
        recent = state.count_between(member.id, at - LOAD_WINDOW, at)
        return (last is not None, last or at, recent, member.id)

    pool.sort(key=key)
    experienced = [m for m in pool if state.experience(m.id, at) >= NEWCOMER_BELOW]
    newcomers = [m for m in pool if state.experience(m.id, at) < NEWCOMER_BELOW]
    lead_pool = experienced or newcomers
    lead = lead_pool[0]
    reason = _why(state, lead, lead_pool, at, key)
    if not experienced and any(
        state.experience(m.id, at) >= NEWCOMER_BELOW for m in members
    ):
        reason += "; no experienced facilitator free"
    if repeat:
        reason += "; nobody else fits, so also next to their other turn"
    choices = [Choice(meeting.id, lead.id, FACILITATOR, reason)]
    if experienced and newcomers:
        co = newcomers[0]
        done = state.experience(co.id, at)
        choices.append(
            Choice(
                meeting.id,
                co.id,
                CO_FACILITATOR,
                f"newcomer ({done} of {NEWCOMER_BELOW} facilitated) paired with "
                f"{lead.name or 'an experienced facilitator'}",
            )
        )
    return choices


def _why(state: _State, chosen: Member, pool: list[Member], at, key) -> str:
    last = state.last_before(chosen.id, at)
    reason = (
        "has not facilitated yet"
        if last is None
        else f"longest since last facilitated: {_ago(last, at)}"
    )
    runner_up = pool[1] if len(pool) > 1 else None
    if (
        runner_up is not None
        and key(runner_up)[:2] == key(chosen)[:2]
        and key(runner_up)[2] > key(chosen)[2]
    ):
        recent = key(chosen)[2]
        times = "time" if recent == 1 else "times"
        reason += f"; least often in the last 6 months ({recent} {times})"
    return reason


def rule_breaks(
    *,
    members: list[Member],
    meetings: list[Meeting],
    meeting_id: int,
    member: Member,
    role: str,
) -> list[str]:
    """The rules that putting ``member`` in ``role`` at the meeting would
    break, in words (for a lead's assignment by hand). ``members``: everyone
    eligible; ``meetings`` as for autofill, without the slot's current holder.
    Everyone assigned to ``meetings`` must be in ``members`` or be ``member``,
    or count as experienced."""
    meetings = sorted(meetings, key=lambda m: (m.starts_at, m.id))
    index = next(i for i, m in enumerate(meetings) if m.id == meeting_id)
    meeting = meetings[index]
    at = meeting.starts_at
    everyone = {m.id: m for m in members} | {member.id: member}
    for other in meetings[index].assigned:
        everyone.setdefault(other[0], Member(other[0], earlier_count=NEWCOMER_BELOW))
    state = _State(everyone, meetings)
    name = member.name or "This member"
    breaks = []

    def fits(candidate: Member) -> bool:
        return not any(
            b.blocks(meeting.day) for b in candidate.blockouts
        ) and not state.over_cap(candidate, at)

    if any(blockout.blocks(meeting.day) for blockout in member.blockouts):
        breaks.append(f"{name} is blocked out on {meeting.day:%d %B %Y}")
    if state.over_cap(member, at):
        breaks.append(
            f"{name} would facilitate more than {member.max_times} times in "
            f"{member.per_weeks} weeks, their preference"
        )
    adjacent = _neighbours(meetings, index)
    if member.id in adjacent and any(
        other.id != member.id and other.id not in adjacent and fits(other)
        for other in members
    ):
        breaks.append(
            f"{name} also facilitates the meeting before or after this one, and "
            "someone else is free"
        )
    done = state.experience(member.id, at)
    if role == CO_FACILITATOR:
        if done >= NEWCOMER_BELOW:
            breaks.append(
                f"{name} is not a newcomer ({done} facilitated): the "
                "co-facilitator is a newcomer learning beside an experienced one"
            )
        leads = [m for m, r in meeting.assigned if r == FACILITATOR]
        if not leads or state.experience(leads[0], at) < NEWCOMER_BELOW:
            breaks.append("there is no experienced facilitator beside them")
    elif done < NEWCOMER_BELOW and any(
        other.id != member.id
        and state.experience(other.id, at) >= NEWCOMER_BELOW
        and fits(other)
        for other in members
    ):
        breaks.append(
            f"{name} is a newcomer ({done} of {NEWCOMER_BELOW} facilitated) and "
            "would lead while an experienced member is free"
        )
    return breaks
