# Included by groups/urls.py: names resolve as "groups:<name>".
urlpatterns = []
