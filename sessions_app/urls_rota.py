# Included by sessions_app/urls.py: names resolve as "sessions_app:<name>".
from django.urls import path

from . import rota_views as views

urlpatterns = [
    path("<slug:slug>/rota/", views.rota, name="rota"),
    path("<slug:slug>/rota/me/", views.rota_me, name="rota_me"),
    path(
        "<slug:slug>/rota/me/participation/",
        views.rota_participation,
        name="rota_participation",
    ),
    path("<slug:slug>/rota/me/blockouts/", views.blockout_add, name="blockout_add"),
    path(
        "<slug:slug>/rota/me/blockouts/<int:pk>/remove/",
        views.blockout_remove,
        name="blockout_remove",
    ),
    path(
        "<slug:slug>/rota/me/preference/", views.preference_set, name="preference_set"
    ),
    path("<slug:slug>/rota/autofill/", views.autofill, name="rota_autofill"),
    path(
        "<slug:slug>/rota/runs/<int:pk>/undo/",
        views.autofill_undo,
        name="rota_autofill_undo",
    ),
    path("<slug:slug>/<int:pk>/assign/", views.assign, name="rota_assign"),
    path(
        "<slug:slug>/<int:pk>/assignments/<int:assignment_pk>/remove/",
        views.unassign,
        name="rota_unassign",
    ),
    path("<slug:slug>/<int:pk>/swap/", views.swap_request, name="swap_request"),
    path("rota/swaps/<int:pk>/accept/", views.swap_accept, name="swap_accept"),
    path("rota/swaps/<int:pk>/withdraw/", views.swap_withdraw, name="swap_withdraw"),
]
