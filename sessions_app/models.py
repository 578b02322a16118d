"""Meetings, their schedules, the facilitation rota, attendance, anonymous
feedback and calendar feeds."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Format(models.TextChoices):
    SHARING_CIRCLE = "sharing_circle", "Sharing circle"
    WORKSHOP = "workshop", "Workshop"
    GUEST_SPEAKER = "guest_speaker", "Guest speaker"
    PEER_PANEL = "peer_panel", "Peer panel"
    REFLECTION = "reflection", "Reflection session"
    OPEN_FEEDBACK = "open_feedback", "Open feedback forum"
    SOCIAL = "social", "Social"


class MeetingSchedule(models.Model):
    """A repeating pattern of meetings at a local time in the group's zone."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        FORTNIGHTLY = "fortnightly", "Every two weeks"
        MONTHLY = "monthly", "Monthly, on the n-th weekday"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    class Nth(models.IntegerChoices):
        FIRST = 1, "First"
        SECOND = 2, "Second"
        THIRD = 3, "Third"
        FOURTH = 4, "Fourth"
        LAST = -1, "Last"

    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="schedules"
    )
    frequency = models.CharField(max_length=12, choices=Frequency)
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    nth = models.SmallIntegerField(
        choices=Nth, null=True, blank=True, help_text="For monthly schedules."
    )
    local_time = models.TimeField(help_text="In the group's time zone.")
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    excluded_dates = models.JSONField(default=list, blank=True)
    format = models.CharField(
        max_length=20, choices=Format, default=Format.SHARING_CIRCLE
    )
    topic = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True, max_length=500)
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # What a lead sets when making a schedule (the rest is kept by the app).
    EDITABLE_FIELDS = (
        "frequency",
        "weekday",
        "nth",
        "local_time",
        "duration_minutes",
        "starts_on",
        "ends_on",
        "excluded_dates",
        "format",
        "topic",
        "place",
        "online_link",
        "capacity",
    )

    class Meta:
        ordering = ["group", "weekday", "local_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="schedule_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(frequency="monthly") | Q(nth__isnull=False),
                name="schedule_monthly_has_nth",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=600),
                name="schedule_duration_sensible",
            ),
        ]

    def __str__(self):
        return (
            f"{self.group}: {self.get_frequency_display()} at {self.local_time:%H:%M}"
        )


class Icebreaker(models.Model):
    """A prompt to open a meeting. group NULL: the organisation's library."""

    class Depth(models.TextChoices):
        LIGHT = "light", "Light"
        DEEPER = "deeper", "Deeper"

    group = models.ForeignKey(
        "groups.Group",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="icebreakers",
    )
    prompt = models.CharField(max_length=300)
    category = models.CharField(max_length=60, blank=True)
    depth = models.CharField(max_length=10, choices=Depth, default=Depth.LIGHT)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["category", "prompt"]

    def __str__(self):
        return self.prompt


class AgendaTemplate(models.Model):
    """The default agenda of a format: [{"title": ..., "minutes": ...}, ...]."""

    format = models.CharField(max_length=20, choices=Format, unique=True)
    items = models.JSONField(default=list)

    class Meta:
        ordering = ["format"]

    def __str__(self):
        return f"Agenda: {self.get_format_display()}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        DID_NOT_MEET = "did_not_meet", "Did not meet"

    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="meetings"
    )
    schedule = models.ForeignKey(
        MeetingSchedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    # The date the schedule produced it for, in the group's zone; kept when a
    # meeting is moved so generation never recreates it.
    series_date = models.DateField(null=True, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    format = models.CharField(
        max_length=20, choices=Format, default=Format.SHARING_CIRCLE
    )
    topic = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True, max_length=500)
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=15, choices=Status, default=Status.SCHEDULED)
    cancel_reason = models.CharField(max_length=300, blank=True)
    agenda = models.JSONField(default=list, blank=True)
    icebreaker = models.ForeignKey(
        Icebreaker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    speaker_name = models.CharField(max_length=120, blank=True)
    speaker_bio = models.TextField(max_length=1000, blank=True)
    speaker_topic = models.CharField(max_length=200, blank=True)
    resources = models.ManyToManyField("groups.Resource", blank=True, related_name="+")
    uid = models.CharField(max_length=64, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        default=0, help_text="iCalendar SEQUENCE: bumped on every change people see."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "series_date"],
                name="meeting_once_per_series_date",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["group", "starts_at"])]

    def __str__(self):
        when = f"{self.starts_at:%Y-%m-%d %H:%M} UTC"
        return f"{self.group} {when} ({self.get_format_display()})"

    def save(self, *args, **kwargs):
        if not self.uid:
            self.uid = f"{secrets.token_hex(16)}@circle"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "sessions_app:meeting", kwargs={"slug": self.group.slug, "pk": self.pk}
        )


class MeetingEvent(models.Model):
    """The meeting's history: every change people see, and who made it."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        MOVED = "moved", "Moved"
        CANCELLED = "cancelled", "Cancelled"
        ASSIGNED = "assigned", "Facilitator assigned"
        UNASSIGNED = "unassigned", "Facilitator removed"
        SWAP_ASKED = "swap_asked", "Swap asked"
        SWAPPED = "swapped", "Swapped"
        ATTENDANCE = "attendance", "Attendance marked"
        STATUS = "status", "Status changed"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=15, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    detail = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.meeting}: {self.get_kind_display()}"


class FacilitationPreference(models.Model):
    """How often a rota member wants to facilitate at most: ``max_times`` in
    any ``per_weeks`` weeks (e.g. 1 in 4: at most once a month)."""

    membership = models.OneToOneField(
        "groups.Membership", on_delete=models.CASCADE, related_name="facilitation"
    )
    max_times = models.PositiveSmallIntegerField(null=True, blank=True)
    per_weeks = models.PositiveSmallIntegerField(default=4)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(per_weeks__gte=1) & Q(per_weeks__lte=52),
                name="facilitation_per_weeks_range",
            ),
        ]

    def __str__(self):
        return f"{self.membership}: at most {self.max_times} in {self.per_weeks} weeks"


class Blockout(models.Model):
    """When a member cannot facilitate: a date range, or a repeating week of
    the month ("not the first week of a month")."""

    class Kind(models.TextChoices):
        RANGE = "range", "Dates"
        WEEK_OF_MONTH = "week_of_month", "A week of every month"

    membership = models.ForeignKey(
        "groups.Membership", on_delete=models.CASCADE, related_name="blockouts"
    )
    kind = models.CharField(max_length=15, choices=Kind, default=Kind.RANGE)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    week_of_month = models.SmallIntegerField(
        null=True, blank=True, help_text="1 to 4, or -1 for the last week."
    )
    note = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["starts_on", "week_of_month"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="range",
                        starts_on__isnull=False,
                        ends_on__isnull=False,
                        ends_on__gte=models.F("starts_on"),
                    )
                    | Q(kind="week_of_month", week_of_month__in=[1, 2, 3, 4, -1])
                ),
                name="blockout_complete",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.RANGE:
            return f"{self.starts_on} to {self.ends_on}"
        return f"week {self.week_of_month} of every month"


class AutoFillRun(models.Model):
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="autofill_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Auto-fill {self.group} {self.created_at:%Y-%m-%d %H:%M}"


class Assignment(models.Model):
    """A facilitator (or co-facilitator) of a meeting, and why."""

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", "Facilitator"
        CO_FACILITATOR = "co_facilitator", "Co-facilitator"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="assignments"
    )
    membership = models.ForeignKey(
        "groups.Membership", on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(max_length=15, choices=Role, default=Role.FACILITATOR)
    reason = models.CharField(max_length=300, blank=True)
    autofill_run = models.ForeignKey(
        AutoFillRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "role"], name="assignment_one_per_role"
            ),
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="assignment_one_role_each"
            ),
        ]

    def __str__(self):
        return f"{self.membership.user} {self.get_role_display()} of {self.meeting}"


class SwapRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="swap_requests"
    )
    requested_by = models.ForeignKey(
        "groups.Membership", on_delete=models.CASCADE, related_name="+"
    )
    offered_to = models.ForeignKey(
        "groups.Membership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: anyone eligible may take it.",
    )
    message = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    accepted_by = models.ForeignKey(
        "groups.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Swap for {self.assignment} ({self.status})"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    membership = models.ForeignKey(
        "groups.Membership", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(max_length=10, choices=Status)
    self_checked_in = models.BooleanField(default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="attendance_once_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.membership.user} {self.status} at {self.meeting}"


class FeedbackResponse(models.Model):
    """An anonymous pulse after a meeting. Deliberately no user and no exact
    time: it cannot be linked back to the person (see FeedbackReceipt)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="feedback"
    )
    felt_safe = models.PositiveSmallIntegerField()
    felt_listened_to = models.PositiveSmallIntegerField()
    felt_judged = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=1000, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(felt_safe__gte=1, felt_safe__lte=5)
                & Q(felt_listened_to__gte=1, felt_listened_to__lte=5)
                & Q(felt_judged__gte=1, felt_judged__lte=5),
                name="feedback_scores_one_to_five",
            ),
        ]

    def __str__(self):
        return f"Feedback on {self.meeting}"


class FeedbackReceipt(models.Model):
    """That someone answered (one answer each), kept apart from the answer."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="feedback_once_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.user} answered on {self.meeting}"


def _calendar_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private iCalendar feed address; regenerating revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    def get_absolute_url(self):
        return reverse("sessions_app:calendar_feed", kwargs={"token": self.token})


class SentMessage(models.Model):
    """Every reminder sent, by (kind, meeting, recipient, occasion): a retry,
    a second worker or a repeated beat tick can never send it twice."""

    kind = models.CharField(max_length=40)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    occasion = models.CharField(max_length=60, default="", blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "meeting", "recipient", "occasion"],
                name="message_sent_once",
            ),
        ]

    def __str__(self):
        return f"{self.kind} to {self.recipient} for {self.meeting}"

    def clean(self):
        if not self.kind:
            raise ValidationError("A message needs a kind.")
