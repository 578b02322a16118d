import zoneinfo

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
    return settings.LANGUAGES


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


class User(AbstractBaseUser, PermissionsMixin):
    """A person using Circle. Logs in with an e-mail address; other members only
    ever see the display name, which may be a pseudonym."""

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
