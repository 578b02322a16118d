"""A URLconf with a view that fails, to see what a person gets on a 500."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [
    path("broken/", broken),
    path("", include("config.urls")),
]
