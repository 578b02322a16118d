import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from members.models import language_choices, time_zone_choices

from .storage import private_storage

INVITATION_VALID_FOR = timedelta(days=14)

# Paths under /groups/ that are not groups: no group may take these slugs.
RESERVED_SLUGS = frozenset(
    {
        "new",
        "directory",
        "library",
        "invitations",
        "invite",
        "resources",
        "crisis",
        "manage",
    }
)


class Group(models.Model):
    """A peer support group."""

    class JoinPolicy(models.TextChoices):
        OPEN = "open", "Open: anyone signed in can ask to join"
        INVITE_ONLY = "invite_only", "Invite only: by invitation link"

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The group's part of its web address: lower-case letters, "
        "numbers and hyphens.",
    )
    description = models.TextField(blank=True, max_length=5000)
    focus = models.CharField(
        max_length=80,
        blank=True,
        help_text="What the group is about, e.g. anxiety, bereavement, young adults.",
    )
    meeting_place = models.CharField(
        max_length=200, blank=True, help_text="Where the group meets in person."
    )
    online_link = models.URLField(
        blank=True, max_length=500, help_text="Video-call link for online meetings."
    )
    time_zone = models.CharField(
        max_length=64, choices=time_zone_choices, default="Europe/London"
    )
    capacity = models.PositiveSmallIntegerField(
        default=12, help_text="Most active members at once; requests queue beyond it."
    )
    join_policy = models.CharField(
        max_length=20, choices=JoinPolicy, default=JoinPolicy.OPEN
    )
    languages = models.JSONField(
        default=list, blank=True, help_text="Language codes the group meets in."
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    # What coordinators set in the group form (the rest is kept by the app).
    EDITABLE_FIELDS = (
        "name",
        "slug",
        "description",
        "focus",
        "meeting_place",
        "online_link",
        "time_zone",
        "capacity",
        "join_policy",
        "languages",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="group_capacity_at_least_one"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:detail", kwargs={"slug": self.slug})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_open(self) -> bool:
        return self.join_policy == self.JoinPolicy.OPEN

    def language_names(self) -> list[str]:
        names = dict(settings.CONTENT_LANGUAGES)
        return [names.get(code, code) for code in self.languages]


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        LEAD = "lead", "Lead"

    class Status(models.TextChoices):
        PENDING = "pending", "Asked to join"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        LEFT = "left", "Left"
        DECLINED = "declined", "Request declined"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    takes_part_in_rota = models.BooleanField(default=False)
    willing_to_mentor = models.BooleanField(default=False)
    request_message = models.TextField(blank=True, max_length=1000)
    decision_message = models.TextField(
        blank=True,
        max_length=1000,
        help_text="The lead's message on approving or declining.",
    )
    removal_reason = models.TextField(
        blank=True,
        max_length=1000,
        help_text="Why a lead removed them; seen by leads only.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"], name="membership_unique_user_group"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"]),
            models.Index(fields=["group", "status"]),
        ]

    def __str__(self):
        return f"{self.user} in {self.group} ({self.role}, {self.status})"

    @property
    def is_lead(self) -> bool:
        return self.role == self.Role.LEAD


class Invitation(models.Model):
    """A single-use link into an invite-only (or any) group."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(
        max_length=120, blank=True, help_text="For leads: whom the link is for."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation to {self.group} ({self.state})"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        if not self.expires_at:
            self.expires_at = self.created_at + INVITATION_VALID_FOR
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("groups:invitation", kwargs={"token": self.token})

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.used_at:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "valid"


class ImmutableError(Exception):
    pass


class DefaultGuidelineItem(models.Model):
    """The organisation-wide starting set of guidelines, kept by coordinators."""

    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    explanation = models.TextField(max_length=1000)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class GuidelineDraftItem(models.Model):
    """One item of a group's working draft, edited by leads until published."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="guideline_draft_items"
    )
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    explanation = models.TextField(max_length=1000)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class GuidelineVersion(models.Model):
    """A published version of a group's guidelines. Immutable once saved:
    acknowledgements point at it as the record of what was agreed."""

    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="guideline_versions"
    )
    number = models.PositiveIntegerField()
    items = models.JSONField(help_text="[{'title': ..., 'explanation': ...}, ...]")
    change_note = models.CharField(max_length=500)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["group", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number"], name="guideline_version_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.group} guidelines v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("A published guideline version cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("A published guideline version cannot be deleted.")


class Acknowledgement(models.Model):
    """A member's "I agree" to one guideline version. Never deleted: it is the
    record that the norm was agreed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    version = models.ForeignKey(
        GuidelineVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "version"], name="acknowledgement_once_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.user} agreed to {self.version}"

    def delete(self, *args, **kwargs):
        raise ImmutableError("Acknowledgements are never deleted.")


def resource_upload_to(instance, filename):
    # The stored name never carries the uploader's file name or extension.
    return f"resources/{secrets.token_hex(16)}"


class Resource(models.Model):
    """A link or file in a group's (or the organisation's) resource library."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        VIDEO = "video", "Video"
        WORKSHOP = "workshop", "Workshop material"
        HELPLINE = "helpline", "Helpline"
        LOCAL_SERVICE = "local_service", "Local service"

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        PUBLISHED = "published", "Published"

    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
        help_text="Empty for the organisation-wide library.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    kind = models.CharField(max_length=20, choices=Kind)
    url = models.URLField(blank=True, max_length=500)
    file = models.FileField(
        upload_to=resource_upload_to,
        storage=private_storage,
        blank=True,
    )
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.SUGGESTED)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="resource_has_link_or_file"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if bool(self.url) == bool(self.file):
            raise ValidationError("Give either a link or a file, not both.")


class CrisisResource(models.Model):
    """A crisis line or service for one language, shown on "Get help now"."""

    language = models.CharField(max_length=10, choices=language_choices)
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=40, blank=True)
    text_line = models.CharField(
        max_length=120, blank=True, help_text='e.g. "Text SHOUT to 85258"'
    )
    url = models.URLField(blank=True, max_length=500)
    hours = models.CharField(max_length=120, blank=True, help_text='e.g. "24 hours"')
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["language", "position", "name"]

    def __str__(self):
        return f"{self.name} ({self.language})"
