# Included by groups/urls.py: names resolve as "groups:<name>". Every prefix
# here ("library", "crisis", "<slug>/resources") is in RESERVED_SLUGS or
# below a group's own path, so no group's slug can shadow these pages.
from django.urls import path

from . import views

# The organisation-wide library ("library_<name>") and each group's
# ("resource_<name>") share their views; no slug means organisation-wide.
_library = [
    ("", views.library, "list"),
    ("suggest/", views.resource_suggest, "suggest"),
    ("add/", views.resource_add, "add"),
    ("review/", views.resource_review, "review"),
    ("<int:pk>/file/", views.resource_file, "file"),
    ("<int:pk>/publish/", views.resource_publish, "publish"),
    ("<int:pk>/remove/", views.resource_remove, "remove"),
]

urlpatterns = [
    *(
        path(f"library/{route}", view, name=f"library_{name}")
        for route, view, name in _library
    ),
    *(
        path(f"<slug:slug>/resources/{route}", view, name=f"resource_{name}")
        for route, view, name in _library
    ),
    path("crisis/", views.crisis_list, name="crisis"),
    path("crisis/add/", views.crisis_add, name="crisis_add"),
    path("crisis/<int:pk>/edit/", views.crisis_edit, name="crisis_edit"),
    path("crisis/<int:pk>/delete/", views.crisis_delete, name="crisis_delete"),
    path("crisis/<int:pk>/move/", views.crisis_move, name="crisis_move"),
]
