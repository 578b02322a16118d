from django.contrib import admin
from django.urls import include, path

from allauth.account.decorators import secure_admin_login

from members.views import home

from .views import healthz

# The admin logs in through allauth, so two-factor and rate limits apply there too.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Circle administration"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("members.urls")),
    path("groups/", include("groups.urls")),
    path("meetings/", include("sessions_app.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("community/", include("community.urls")),
    path("admin/", admin.site.urls),
]
