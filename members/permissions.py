"""Who may do what, organisation-wide.

The convention for every app: boolean checks named ``can_<verb>_<thing>`` or
``is_<role>``, and permission-checked fetches named ``<thing>_get_for_user``
that raise ``Http404`` for objects the user may not know about. Views never
check roles inline and never look objects up any other way; templates only
read the booleans views pass them.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from allauth.mfa.models import Authenticator


def is_coordinator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_coordinator)


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def can_manage_coordinators(user) -> bool:
    return is_coordinator(user)


def can_edit_help_page(user) -> bool:
    return is_coordinator(user)


def coordinator_required(view):
    """Coordinator pages: signed in, a coordinator, and two-factor set up.

    Coordinators see data across every group, so a stolen password alone must
    not open these pages. A coordinator without two-factor is sent to set it up
    and brought back afterwards."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_coordinator(user):
            raise PermissionDenied
        if not has_two_factor(user):
            messages.info(
                request,
                "Coordinator pages need two-factor authentication. Set it up "
                "with an authenticator app, then open the page again.",
            )
            request.session["after_two_factor"] = request.get_full_path()
            return redirect("mfa_activate_totp")
        request.session.pop("after_two_factor", None)
        return view(request, *args, **kwargs)

    return wrapper
