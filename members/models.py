import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.urls import reverse
from django.utils import timezone

DISPLAY_NAME_MAX_LENGTH = 60


def time_zone_choices():
    return [
        (name, name.replace("_", " "))
        for name in sorted(zoneinfo.available_timezones())
    ]


def language_choices():
    return settings.CONTENT_LANGUAGES


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("is_coordinator", True)
        return self._create_user(email, password, **extra_fields)


class ReminderLeadTime(models.IntegerChoices):
    """How long before a meeting its e-mail reminder goes out, in hours."""

    TWO_HOURS = 2, "2 hours before"
    ONE_DAY = 24, "1 day before"
    TWO_DAYS = 48, "2 days before"


class User(AbstractBaseUser, PermissionsMixin):
    """A person using Circle. Logs in with an e-mail address; other members only
    ever see the display name, which may be a pseudonym."""

    ERASED_DISPLAY_NAME = "Former member"

    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text="What other members see. A first name or a pseudonym is fine.",
    )
    pronouns = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(
        max_length=64, choices=time_zone_choices, default="Europe/London"
    )
    language = models.CharField(max_length=10, choices=language_choices, default="en")
    email_reminders = models.BooleanField(
        "e-mail reminders",
        default=True,
        help_text="An e-mail before each meeting you have signed up for.",
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        "when to remind me",
        choices=ReminderLeadTime,
        default=ReminderLeadTime.ONE_DAY,
    )
    is_coordinator = models.BooleanField(
        "coordinator",
        default=False,
        help_text="Organisation staff: sees aggregate dashboards and reports "
        "across groups. Needs two-factor authentication to open coordinator pages.",
    )
    is_staff = models.BooleanField(
        "staff status",
        default=False,
        help_text="Can log into the admin site.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name", "id"]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    @property
    def reminder_lead_time(self) -> timedelta:
        return timedelta(hours=self.reminder_hours_before)


class HelpPage(models.Model):
    """The "Get help now" page, one per language, edited by coordinators.

    Plain text (links and line breaks are rendered), so that no one can put
    script or a tracking pixel on the page people open in a crisis."""

    language = models.CharField(max_length=10, choices=language_choices, unique=True)
    title = models.CharField(max_length=120, default="Get help now")
    body = models.TextField(max_length=10_000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["language"]

    def __str__(self):
        return f"{self.title} ({self.language})"

    def get_absolute_url(self):
        return reverse("members:help")


class ImmutableError(Exception):
    pass


class ConsentKind(models.TextChoices):
    """What a person can say yes (or no) to. Each kind has its own versioned text."""

    SURVEY_REPORTS = (
        "survey_reports",
        "Use my anonymous survey answers in group and organisation reports",
    )
    NEWSLETTER = "newsletter", "Receive the newsletter"
    BUDDY_EMAIL = "buddy_email", "Let my buddy contact me by e-mail"


class ConsentText(models.Model):
    """One published version of what a person agrees to for one kind of consent.

    Immutable: a consent record points at the exact words that were agreed to.
    A change of wording is a new version, and people are asked again."""

    kind = models.CharField(max_length=30, choices=ConsentKind)
    version = models.PositiveIntegerField()
    text = models.TextField(max_length=5000)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "version"], name="consent_text_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="consent_text_version_from_1"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} (version {self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("A published consent text cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("A published consent text cannot be deleted.")


class Consent(models.Model):
    """A person's yes to one version of a consent text.

    Withdrawing sets ``withdrawn_at`` and keeps the record; saying yes again
    (or to a newer version) adds a new record. The person's current answer for
    a kind is their latest record of that kind. Erasing an account deletes
    these records: they are about the person, not about the group."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="consents"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            # A double click records one yes, not two.
            models.UniqueConstraint(
                fields=["user", "text"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_open_record_per_text",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("granted_at")),
                name="consent_withdrawn_after_granted",
            ),
        ]
        indexes = [models.Index(fields=["user", "-granted_at"])]

    def __str__(self):
        state = "withdrawn" if self.withdrawn_at else "granted"
        return f"{self.user} {state}: {self.text}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
