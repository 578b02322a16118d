from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    # "sessions" is taken by django.contrib.sessions; meetings live here.
    name = "sessions_app"
    verbose_name = "Meetings"
