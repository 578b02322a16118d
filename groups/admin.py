from django.contrib import admin

from .models import (
    Acknowledgement,
    CrisisResource,
    DefaultGuidelineItem,
    Group,
    GuidelineVersion,
    Invitation,
    Membership,
    Resource,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "status", "joined_at"]
    list_filter = ["role", "status", "group"]
    search_fields = ["user__email", "user__display_name", "group__name"]
    autocomplete_fields = ["user", "group"]
    list_select_related = ["user", "group"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "group",
        "note",
        "created_at",
        "expires_at",
        "used_at",
        "revoked_at",
    ]
    list_filter = ["group"]
    readonly_fields = ["token", "used_by", "used_at"]
    list_select_related = ["group"]


@admin.register(DefaultGuidelineItem)
class DefaultGuidelineItemAdmin(admin.ModelAdmin):
    list_display = ["position", "title"]


@admin.register(GuidelineVersion)
class GuidelineVersionAdmin(admin.ModelAdmin):
    """Read-only: published versions are the record of what was agreed."""

    list_display = ["group", "number", "published_at", "change_note"]
    list_filter = ["group"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    """Read-only and never deleted: the record that the norm was agreed."""

    list_display = ["user", "version", "acknowledged_at"]
    list_select_related = ["user", "version__group"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    readonly_fields = ["file", "file_name", "content_type", "size", "added_by"]


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    list_display = ["language", "position", "name", "phone", "hours"]
    list_filter = ["language"]
