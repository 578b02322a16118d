from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from config.forms import posted
from groups import selectors as group_selectors
from groups.models import Membership
from groups.resources import selectors as crisis_selectors
from sessions_app import selectors as meeting_selectors

from . import permissions, selectors, services
from .forms import (
    AccountDeleteForm,
    ConsentForm,
    CoordinatorGrantForm,
    DataExportForm,
    HelpPageForm,
    ProfileForm,
)
from .models import ConsentKind, User


def home(request):
    """The landing page, or each person's own home: what their roles allow."""
    if not request.user.is_authenticated:
        return render(request, "members/landing.html")
    memberships = list(group_selectors.memberships_for_user(user=request.user))
    return render(
        request,
        "members/home.html",
        {
            "memberships": memberships,
            "led_memberships": [
                m for m in memberships if m.role == Membership.Role.LEAD
            ],
            "is_coordinator": permissions.is_coordinator(request.user),
            "next_meetings": meeting_selectors.meetings_upcoming_for_user(
                user=request.user
            ),
            "facilitating_meetings": meeting_selectors.meetings_facilitating_for_user(
                user=request.user
            ),
        },
    )


def help_page(request):
    """Crisis resources. Open to everyone, signed in or not."""
    return render(
        request,
        "members/help_page.html",
        {
            "page": selectors.help_page_for_language(language=request.content_language),
            "crisis_lines": crisis_selectors.crisis_resources_for_language(
                language=request.content_language
            ),
            "can_edit": permissions.can_edit_help_page(request.user),
        },
    )


@permissions.coordinator_required
def help_page_edit(request, language):
    if language not in dict(settings.CONTENT_LANGUAGES):
        raise Http404
    # A language without a page yet starts from an empty form.
    page = selectors.help_page_for_language(language=language, fallback=False)
    form = HelpPageForm(posted(request), instance=page)
    if request.method == "POST" and form.is_valid():
        services.help_page_save(
            language=language,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            acting_user=request.user,
        )
        messages.success(request, "The help page is published.")
        return redirect("members:help_edit", language=language)
    return render(
        request,
        "members/help_page_edit.html",
        {
            "form": form,
            "language": language,
            "language_name": dict(settings.CONTENT_LANGUAGES)[language],
            "languages": settings.CONTENT_LANGUAGES,
        },
    )


@login_required
@never_cache
def profile(request):
    form = ProfileForm(posted(request), instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("members:profile")
    return render(request, "members/user_profile.html", {"form": form})


@permissions.coordinator_required
def coordinator_list(request):
    form = CoordinatorGrantForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.coordinator_grant(
                email=form.cleaned_data["email"], acting_user=request.user
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                f"{user.display_name} is now a coordinator. They will be asked to "
                "set up two-factor authentication before their first coordinator page.",
            )
            return redirect("members:coordinators")
    return render(
        request,
        "members/coordinator_list.html",
        {"form": form, "coordinators": selectors.coordinators_list()},
    )


@login_required
@never_cache
def consent_list(request):
    """Each consent's current text, with the person's answer and a way to
    change it. A yes to an earlier version is shown and asked again."""
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.error_text())
        else:
            kind = form.cleaned_data["kind"]
            label = ConsentKind(kind).label
            try:
                if form.cleaned_data["action"] == ConsentForm.GRANT:
                    services.consent_grant(
                        user=request.user,
                        kind=kind,
                        version=form.cleaned_data["version"],
                    )
                    done = f"Thank you: you agreed to “{label}”."
                else:
                    services.consent_withdraw(user=request.user, kind=kind)
                    done = f"You withdrew your agreement to “{label}”."
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, done)
                return redirect("members:consents")
    statuses = selectors.consents_for_user(user=request.user)
    return render(
        request,
        "members/consent_list.html",
        {
            "consents": [
                (status, ConsentForm.for_status(status)) for status in statuses
            ],
        },
    )


@login_required
@never_cache
def data_export(request):
    """Explain the download; a POST answers with the JSON file."""
    form = DataExportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        response = JsonResponse(
            selectors.user_data_export(user=request.user),
            json_dumps_params={"indent": 2, "ensure_ascii": False},
        )
        filename = f"circle-data-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "members/user_export.html", {"form": form})


@login_required
@never_cache
def account_delete(request):
    """Explain what erasure removes and keeps; erase after the password and a
    typed confirmation, then sign the person out."""
    blockers = selectors.user_erase_blockers(user=request.user)
    form = AccountDeleteForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        request=request,
    )
    if form.is_bound and blockers:
        messages.error(request, "Your account has not been deleted.")
    elif form.is_bound and form.is_valid():
        try:
            services.user_erase(user=request.user)
        except ValidationError as error:
            blockers = error.messages
            messages.error(request, "Your account has not been deleted.")
        else:
            logout(request)
            return redirect("members:account_deleted")
    return render(
        request,
        "members/user_delete.html",
        {"form": form, "blockers": blockers},
    )


def account_deleted(request):
    """The goodbye page after erasure. Open to anyone: it shows nothing personal."""
    return render(request, "members/user_deleted.html")


@require_POST
@permissions.coordinator_required
def coordinator_revoke(request, user_id):
    user = get_object_or_404(User, pk=user_id, is_coordinator=True)
    try:
        services.coordinator_revoke(user=user, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{user.display_name} is no longer a coordinator.")
    if user == request.user and not request.user.is_coordinator:
        return redirect("home")
    return redirect("members:coordinators")
