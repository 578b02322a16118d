from django.conf import settings

from . import permissions


def site(request):
    """Site name and what the navigation may show this person."""
    user = request.user
    after_two_factor_url = (
        request.session.get("after_two_factor") if hasattr(request, "session") else None
    )
    if after_two_factor_url and not (
        user.is_authenticated and permissions.has_two_factor(user)
    ):
        after_two_factor_url = None
    return {
        "after_two_factor_url": after_two_factor_url,
        "site_name": settings.SITE_NAME,
        "nav_is_coordinator": permissions.is_coordinator(user),
    }
