# Included by sessions_app/urls.py: names resolve as "sessions_app:<name>".
urlpatterns = []
