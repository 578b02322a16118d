from django.shortcuts import render

from groups import selectors as group_selectors
from members.permissions import coordinator_required


@coordinator_required
def dashboard(request):
    """The coordinator's entry page: organisation-wide counts, no individuals."""
    return render(
        request,
        "outcomes/dashboard.html",
        {"counts": group_selectors.organisation_counts()},
    )
