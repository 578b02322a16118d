from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import services
from .models import ConsentText, HelpPage, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_coordinator", "is_staff", "is_active"]
    list_filter = ["is_coordinator", "is_staff", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "pronouns", "time_zone", "language"]}),
        ("Reminders", {"fields": ["email_reminders", "reminder_hours_before"]}),
        (
            "Roles",
            {
                "fields": [
                    "is_active",
                    "is_coordinator",
                    "is_staff",
                    "is_superuser",
                    "groups",
                ]
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "password1", "password2"],
            },
        )
    ]
    filter_horizontal = ["groups"]


@admin.register(HelpPage)
class HelpPageAdmin(admin.ModelAdmin):
    list_display = ["language", "title", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Publishing is adding: a text is never edited, a change is a new version
    (and everyone who agreed to the old one is asked again)."""

    list_display = ["kind", "version", "published_at"]
    list_filter = ["kind"]
    fields = ["kind", "text"]

    def get_readonly_fields(self, request, obj=None):
        return ["kind", "version", "text", "published_at"] if obj else []

    def get_fields(self, request, obj=None):
        return ["kind", "version", "text", "published_at"] if obj else self.fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        published = services.consent_text_publish(kind=obj.kind, text=obj.text)
        obj.pk, obj.version, obj.published_at = (
            published.pk,
            published.version,
            published.published_at,
        )
