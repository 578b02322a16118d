# Included by sessions_app/urls.py: names resolve as "sessions_app:<name>".
from django.urls import path

from . import calendar_views

urlpatterns = [
    path(
        "calendar/<str:token>.ics",
        calendar_views.calendar_feed,
        name="calendar_feed",
    ),
    path("calendar/", calendar_views.calendar_settings, name="calendar_settings"),
    path(
        "calendar/new-address/",
        calendar_views.calendar_regenerate,
        name="calendar_regenerate",
    ),
    path("calendar/turn-off/", calendar_views.calendar_revoke, name="calendar_revoke"),
    path(
        "<slug:slug>/<int:pk>/meeting.ics",
        calendar_views.meeting_ics,
        name="meeting_ics",
    ),
]
