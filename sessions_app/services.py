"""Every write about schedules and meetings. (The rota, attendance, feedback,
calendar and reminders have their own modules.)"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from groups.models import Group
from groups.services.common import ensure_not_archived
from members.models import User

from . import recurrence
from .models import AgendaTemplate, Icebreaker, Meeting, MeetingEvent, MeetingSchedule

HORIZON = timedelta(weeks=12)
RECENT_ICEBREAKERS = 10

SCHEDULE_FIELDS = MeetingSchedule.EDITABLE_FIELDS


def pattern_of(schedule: MeetingSchedule) -> recurrence.Pattern:
    return recurrence.Pattern(
        frequency=schedule.frequency,
        weekday=schedule.weekday,
        nth=schedule.nth,
        starts_on=schedule.starts_on,
        ends_on=schedule.ends_on,
        excluded_dates=frozenset(
            date.fromisoformat(d) for d in schedule.excluded_dates
        ),
    )


def _local_today(group: Group) -> date:
    return timezone.now().astimezone(ZoneInfo(group.time_zone)).date()


def agenda_for(format_: str) -> list[dict]:
    template = AgendaTemplate.objects.filter(format=format_).first()
    return list(template.items) if template else []


def _check_schedule(schedule: MeetingSchedule) -> None:
    if schedule.ends_on and schedule.ends_on < schedule.starts_on:
        raise ValidationError({"ends_on": "The end date is before the start date."})
    if schedule.frequency == MeetingSchedule.Frequency.MONTHLY and schedule.nth is None:
        raise ValidationError({"nth": "Choose which weekday of the month."})
    schedule.full_clean(exclude=["group", "created_by"])
    # Look a year ahead (or to the end date) for at least one meeting.
    until = schedule.ends_on or schedule.starts_on + timedelta(days=366)
    if not recurrence.occurrences(pattern_of(schedule), schedule.starts_on, until):
        raise ValidationError(
            "These settings produce no meetings: check the dates, the weekday "
            "and the excluded dates."
        )


def _record(meeting: Meeting, kind: str, actor: User | None, detail: str = "") -> None:
    MeetingEvent.objects.create(meeting=meeting, kind=kind, actor=actor, detail=detail)


def _suggest_icebreaker(group: Group, before: datetime, exclude_ids: set[int]):
    """An icebreaker the group has not used in its last ten meetings."""
    recent = set(
        group.meetings.filter(starts_at__lt=before, icebreaker__isnull=False)
        .order_by("-starts_at")
        .values_list("icebreaker_id", flat=True)[:RECENT_ICEBREAKERS]
    )
    candidates = list(
        Icebreaker.objects.filter(is_active=True)
        .filter(_library_of(group))
        .exclude(pk__in=recent | exclude_ids)
        .values_list("pk", flat=True)
    )
    return random.choice(candidates) if candidates else None  # noqa: S311 - not security


def _library_of(group: Group):
    """The organisation's icebreakers and the group's own."""
    from django.db.models import Q

    return Q(group__isnull=True) | Q(group=group)


@transaction.atomic
def meetings_generate(
    *, schedule: MeetingSchedule, until: date | None = None, since: date | None = None
) -> int:
    """Create the schedule's meetings from ``since`` (default: today; earlier
    only to record history, as the demo does) up to ``until`` (default: 12
    weeks from today), skipping dates that already have one. Returns how
    many it made."""
    group = schedule.group
    if group.is_archived:
        return 0
    today = _local_today(group)
    until = until or today + HORIZON
    dates = recurrence.occurrences(pattern_of(schedule), since or today, until)
    existing = set(
        schedule.meetings.filter(series_date__in=dates).values_list(
            "series_date", flat=True
        )
    )
    agenda = agenda_for(schedule.format)
    made = 0
    chosen: list[int] = []
    for day in dates:
        if day in existing:
            continue
        start, end = recurrence.local_span(
            day, schedule.local_time, schedule.duration_minutes, group.time_zone
        )
        icebreaker = _suggest_icebreaker(
            group, start, set(chosen[-RECENT_ICEBREAKERS:])
        )
        if icebreaker:
            chosen.append(icebreaker)
        Meeting.objects.create(
            group=group,
            schedule=schedule,
            series_date=day,
            starts_at=start,
            ends_at=end,
            format=schedule.format,
            topic=schedule.topic,
            place=schedule.place or group.meeting_place,
            online_link=schedule.online_link or group.online_link,
            capacity=schedule.capacity,
            agenda=agenda,
            icebreaker_id=icebreaker,
        )
        made += 1
    return made


def meetings_generate_all() -> int:
    """Keep every current schedule's meetings generated 12 weeks ahead."""
    made = 0
    schedules = MeetingSchedule.objects.select_related("group").filter(
        group__archived_at__isnull=True
    )
    for schedule in schedules:
        made += meetings_generate(schedule=schedule)
    return made


@transaction.atomic
def schedule_create(*, group: Group, acting_user: User, **fields) -> MeetingSchedule:
    """A new repeating schedule; its first 12 weeks of meetings are made now."""
    ensure_not_archived(group)
    schedule = MeetingSchedule(
        group=group,
        created_by=acting_user,
        **{name: fields[name] for name in SCHEDULE_FIELDS if name in fields},
    )
    if schedule.frequency != MeetingSchedule.Frequency.MONTHLY:
        schedule.nth = None
    _check_schedule(schedule)
    schedule.save()
    meetings_generate(schedule=schedule)
    return schedule


@transaction.atomic
def meeting_create(
    *,
    group: Group,
    acting_user: User,
    day: date,
    local_time: time,
    duration_minutes: int = 90,
    **fields,
) -> Meeting:
    """A one-off meeting."""
    ensure_not_archived(group)
    if day < _local_today(group):
        raise ValidationError({"day": "Choose today or a later date."})
    start, end = recurrence.local_span(
        day, local_time, duration_minutes, group.time_zone
    )
    format_ = fields.get("format", Meeting._meta.get_field("format").default)
    meeting = Meeting(
        group=group,
        starts_at=start,
        ends_at=end,
        agenda=agenda_for(format_),
        place=fields.pop("place", "") or group.meeting_place,
        online_link=fields.pop("online_link", "") or group.online_link,
        **fields,
    )
    meeting.full_clean(exclude=["schedule", "uid"])
    meeting.icebreaker_id = _suggest_icebreaker(group, start, set())
    meeting.save()
    _record(meeting, MeetingEvent.Kind.CREATED, acting_user)
    return meeting


def _ensure_changeable(meeting: Meeting) -> None:
    ensure_not_archived(meeting.group)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(
            f"This meeting is {meeting.get_status_display().lower()}: it can no "
            "longer be changed."
        )


@transaction.atomic
def meeting_update(*, meeting: Meeting, acting_user: User, **fields) -> Meeting:
    """Change what a meeting is about (topic, place, format, speaker...)."""
    _ensure_changeable(meeting)
    allowed = {
        "format",
        "topic",
        "place",
        "online_link",
        "capacity",
        "speaker_name",
        "speaker_bio",
        "speaker_topic",
    }
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"meeting_update does not change {name}")
        setattr(meeting, name, value)
    meeting.full_clean(exclude=["schedule", "uid", "icebreaker"])
    meeting.sequence += 1
    meeting.save()
    _record(meeting, MeetingEvent.Kind.CHANGED, acting_user)
    return meeting


@transaction.atomic
def meeting_set_resources(*, meeting: Meeting, resources, acting_user: User) -> None:
    """Link published resources (the group's or the organisation's) to a
    meeting, e.g. a workshop's materials."""
    from groups.models import Resource

    _ensure_changeable(meeting)
    resources = list(resources)
    allowed = set(
        Resource.objects.filter(
            status=Resource.Status.PUBLISHED,
            pk__in=[r.pk for r in resources],
        )
        .filter(_library_of(meeting.group))
        .values_list("pk", flat=True)
    )
    if any(r.pk not in allowed for r in resources):
        raise ValidationError("Choose published resources from the group's libraries.")
    meeting.resources.set(resources)
    _record(meeting, MeetingEvent.Kind.CHANGED, acting_user, "Resources linked")


@transaction.atomic
def meeting_set_agenda(
    *, meeting: Meeting, items: list[dict], acting_user: User
) -> None:
    """Adjust this meeting's agenda: titles with time boxes in minutes."""
    _ensure_changeable(meeting)
    cleaned = []
    for item in items:
        title = (item.get("title") or "").strip()
        minutes = item.get("minutes")
        if not title:
            continue
        if not isinstance(minutes, int) or not 1 <= minutes <= 240:
            raise ValidationError(f'Give "{title}" a time box of 1 to 240 minutes.')
        cleaned.append({"title": title[:120], "minutes": minutes})
    if not cleaned:
        raise ValidationError("An agenda needs at least one item.")
    meeting.agenda = cleaned
    meeting.save(update_fields=["agenda", "updated_at"])
    _record(meeting, MeetingEvent.Kind.CHANGED, acting_user, "Agenda adjusted")


@transaction.atomic
def meeting_choose_icebreaker(
    *, meeting: Meeting, icebreaker: Icebreaker, acting_user: User
) -> None:
    _ensure_changeable(meeting)
    if icebreaker.group_id not in (None, meeting.group_id) or not icebreaker.is_active:
        raise ValidationError("Choose an icebreaker from the library.")
    meeting.icebreaker = icebreaker
    meeting.save(update_fields=["icebreaker", "updated_at"])


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, acting_user: User, reason: str = "") -> Meeting:
    """Cancel one meeting. Members are told (by the change-notice task)."""
    _ensure_changeable(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason.strip()[:300]
    meeting.sequence += 1
    meeting.save()
    _record(meeting, MeetingEvent.Kind.CANCELLED, acting_user, meeting.cancel_reason)
    return meeting


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    acting_user: User,
    day: date,
    local_time: time,
    duration_minutes: int | None = None,
) -> Meeting:
    """Move one meeting to another date or time."""
    _ensure_changeable(meeting)
    group = meeting.group
    if day < _local_today(group):
        raise ValidationError({"day": "Choose today or a later date."})
    minutes = duration_minutes or int(
        (meeting.ends_at - meeting.starts_at).total_seconds() // 60
    )
    before = meeting.starts_at
    meeting.starts_at, meeting.ends_at = recurrence.local_span(
        day, local_time, minutes, group.time_zone
    )
    meeting.sequence += 1
    meeting.save()
    tz = ZoneInfo(group.time_zone)
    _record(
        meeting,
        MeetingEvent.Kind.MOVED,
        acting_user,
        f"From {before.astimezone(tz):%A %d %B %H:%M} "
        f"to {meeting.starts_at.astimezone(tz):%A %d %B %H:%M}",
    )
    return meeting


def _rest_of_series(meeting: Meeting):
    if meeting.schedule_id is None:
        raise ValidationError("This meeting is not part of a series.")
    return meeting.schedule.meetings.filter(
        status=Meeting.Status.SCHEDULED, starts_at__gte=meeting.starts_at
    ).order_by("starts_at")


@transaction.atomic
def series_cancel_from(*, meeting: Meeting, acting_user: User, reason: str = "") -> int:
    """Cancel this meeting and every later one of its series; the schedule
    ends the day before, so no more are generated."""
    _ensure_changeable(meeting)
    schedule = MeetingSchedule.objects.select_for_update().get(pk=meeting.schedule_id)
    later = list(_rest_of_series(meeting))
    for each in later:
        meeting_cancel(meeting=each, acting_user=acting_user, reason=reason)
    schedule.ends_on = meeting.series_date - timedelta(days=1)
    if schedule.ends_on < schedule.starts_on:
        schedule.ends_on = schedule.starts_on
    schedule.save(update_fields=["ends_on"])
    return len(later)


@transaction.atomic
def series_move_from(
    *,
    meeting: Meeting,
    acting_user: User,
    local_time: time,
    duration_minutes: int | None = None,
) -> int:
    """Move this and every later meeting of the series to a new local time
    (same days); future generated meetings follow. Facilitators stay."""
    _ensure_changeable(meeting)
    schedule = MeetingSchedule.objects.select_for_update().get(pk=meeting.schedule_id)
    later = list(_rest_of_series(meeting))
    minutes = duration_minutes or schedule.duration_minutes
    for each in later:
        meeting_move(
            meeting=each,
            acting_user=acting_user,
            day=each.series_date,
            local_time=local_time,
            duration_minutes=minutes,
        )
    schedule.local_time = local_time
    schedule.duration_minutes = minutes
    schedule.save(update_fields=["local_time", "duration_minutes"])
    return len(later)


@transaction.atomic
def icebreaker_add(
    *,
    group: Group | None,
    acting_user: User,
    prompt: str,
    category: str = "",
    depth: str = "light",
) -> Icebreaker:
    """Add an icebreaker to a group's own library, or (group None) to the
    organisation's."""
    if group is not None:
        ensure_not_archived(group)
    icebreaker = Icebreaker(
        group=group,
        created_by=acting_user,
        prompt=prompt.strip(),
        category=category.strip(),
        depth=depth,
    )
    icebreaker.full_clean()
    icebreaker.save()
    return icebreaker


@transaction.atomic
def icebreaker_retire(*, icebreaker: Icebreaker, acting_user: User) -> None:
    """Stop suggesting an icebreaker; meetings that used it keep it."""
    icebreaker.is_active = False
    icebreaker.save(update_fields=["is_active"])
