from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("help/", views.help_page, name="help"),
    path("help/edit/<str:language>/", views.help_page_edit, name="help_edit"),
    path("profile/", views.profile, name="profile"),
    path("coordinators/", views.coordinator_list, name="coordinators"),
    path(
        "coordinators/<int:user_id>/revoke/",
        views.coordinator_revoke,
        name="coordinator_revoke",
    ),
]
