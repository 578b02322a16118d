from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("help/", views.help_page, name="help"),
    path("help/edit/<str:language>/", views.help_page_edit, name="help_edit"),
    path("profile/", views.profile, name="profile"),
    path("account/consents/", views.consent_list, name="consents"),
    path("account/export/", views.data_export, name="export"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("account/deleted/", views.account_deleted, name="account_deleted"),
    path("coordinators/", views.coordinator_list, name="coordinators"),
    path(
        "coordinators/<int:user_id>/revoke/",
        views.coordinator_revoke,
        name="coordinator_revoke",
    ),
]
