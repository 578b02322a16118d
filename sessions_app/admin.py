from django.contrib import admin

from .models import (
    AgendaTemplate,
    Icebreaker,
    Meeting,
    MeetingEvent,
    MeetingSchedule,
    SentMessage,
)


@admin.register(AgendaTemplate)
class AgendaTemplateAdmin(admin.ModelAdmin):
    """Each format's default agenda: a list of {"title", "minutes"}."""

    list_display = ["format"]


@admin.register(Icebreaker)
class IcebreakerAdmin(admin.ModelAdmin):
    list_display = ["prompt", "group", "category", "depth", "is_active"]
    list_filter = ["depth", "is_active"]
    search_fields = ["prompt"]


@admin.register(MeetingSchedule)
class MeetingScheduleAdmin(admin.ModelAdmin):
    list_display = [
        "group",
        "frequency",
        "weekday",
        "local_time",
        "starts_on",
        "ends_on",
    ]
    list_select_related = ["group"]


class MeetingEventInline(admin.TabularInline):
    model = MeetingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "detail", "at"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["group", "starts_at", "format", "status"]
    list_filter = ["status", "format"]
    list_select_related = ["group"]
    date_hierarchy = "starts_at"
    readonly_fields = ["uid", "sequence"]
    inlines = [MeetingEventInline]


@admin.register(SentMessage)
class SentMessageAdmin(admin.ModelAdmin):
    """Read-only: the record that makes each message go out once."""

    list_display = ["kind", "meeting", "recipient", "occasion", "sent_at"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False
