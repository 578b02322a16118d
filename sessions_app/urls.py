# Meetings, rota, attendance and calendar feeds arrive with the meetings issue;
# until then the app contributes the meeting list fragment on the home page.
app_name = "sessions_app"

urlpatterns = []
