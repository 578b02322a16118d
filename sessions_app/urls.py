from django.urls import include, path

from . import views

app_name = "sessions_app"

urlpatterns = [
    path("", include("sessions_app.urls_rota")),
    path("", include("sessions_app.urls_attendance")),
    path("", include("sessions_app.urls_calendar")),
    # "icebreakers" is a reserved slug, so no group shadows this page.
    path(
        "icebreakers/", views.organisation_icebreakers, name="organisation_icebreakers"
    ),
    path("<slug:slug>/", views.meeting_list, name="meetings"),
    path("<slug:slug>/schedules/new/", views.schedule_create, name="schedule_create"),
    path("<slug:slug>/new/", views.meeting_create, name="meeting_create"),
    path("<slug:slug>/icebreakers/", views.icebreaker_list, name="icebreakers"),
    path(
        "<slug:slug>/icebreakers/<int:pk>/retire/",
        views.icebreaker_retire,
        name="icebreaker_retire",
    ),
    path("<slug:slug>/<int:pk>/", views.meeting_detail, name="meeting"),
    path("<slug:slug>/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<slug:slug>/<int:pk>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path(
        "<slug:slug>/<int:pk>/icebreaker/",
        views.meeting_icebreaker,
        name="meeting_icebreaker",
    ),
    path("<slug:slug>/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<slug:slug>/<int:pk>/move/", views.meeting_move, name="meeting_move"),
]
