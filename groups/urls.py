from django.urls import include, path

from . import views

app_name = "groups"

urlpatterns = [
    path("", include("groups.resources.urls")),
    # Paths that are not a group use RESERVED_SLUGS, so no group can shadow them.
    path("directory/", views.directory, name="directory"),
    path("directory/<slug:slug>/join/", views.join_request, name="join"),
    path("directory/<slug:slug>/withdraw/", views.withdraw_request, name="withdraw"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("manage/", views.manage_groups, name="manage"),
    path("manage/guidelines/", views.default_guidelines, name="default_guidelines"),
    path("new/", views.group_create, name="create"),
    path("<slug:slug>/", views.group_detail, name="detail"),
    path("<slug:slug>/settings/", views.group_settings, name="settings"),
    path("<slug:slug>/archive/", views.group_archive, name="archive"),
    path("<slug:slug>/agree/", views.acknowledge, name="acknowledge"),
    path("<slug:slug>/guidelines/", views.guideline_history, name="guidelines"),
    path(
        "<slug:slug>/guidelines/v<int:number>/",
        views.guideline_version,
        name="guideline_version",
    ),
    path("<slug:slug>/guidelines/edit/", views.guidelines_edit, name="guidelines_edit"),
    path("<slug:slug>/guidelines/agreements/", views.agreements, name="agreements"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/pause/", views.pause, name="pause"),
    path("<slug:slug>/resume/", views.resume, name="resume"),
    path("<slug:slug>/members/", views.members_manage, name="members"),
    path(
        "<slug:slug>/members/<int:pk>/approve/",
        views.member_decide,
        {"decision": "approve"},
        name="member_approve",
    ),
    path(
        "<slug:slug>/members/<int:pk>/decline/",
        views.member_decide,
        {"decision": "decline"},
        name="member_decline",
    ),
    path("<slug:slug>/members/<int:pk>/role/", views.member_role, name="member_role"),
    path(
        "<slug:slug>/members/<int:pk>/pause/", views.member_pause, name="member_pause"
    ),
    path(
        "<slug:slug>/members/<int:pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path(
        "<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
