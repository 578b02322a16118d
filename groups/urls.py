from django.urls import include, path

from . import views

app_name = "groups"

urlpatterns = [
    path("", include("groups.resources.urls")),
    path("<slug:slug>/", views.group_detail, name="detail"),
]
