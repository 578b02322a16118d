# Included by sessions_app/urls.py: names resolve as "sessions_app:<name>".
from django.urls import path

from . import attendance_views as views

urlpatterns = [
    path(
        "<slug:slug>/<int:pk>/attendance/",
        views.attendance_take,
        name="attendance",
    ),
    path(
        "<slug:slug>/<int:pk>/check-in/",
        views.attendance_check_in,
        name="check_in",
    ),
    path("<slug:slug>/<int:pk>/feedback/", views.feedback_give, name="feedback"),
    path("<slug:slug>/feedback/", views.feedback_summary, name="feedback_summary"),
]
