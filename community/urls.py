# Stories, newsletter, working groups and decisions arrive with the community
# issue; until then the app contributes the (empty) participation section of
# the coordinator dashboard.
app_name = "community"

urlpatterns = []
