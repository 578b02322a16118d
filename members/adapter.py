from types import SimpleNamespace

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Set the profile fields before allauth's single save, so a sign-up
        # never leaves a user without a display name behind.
        data = form.cleaned_data
        user.display_name = data["display_name"]
        user.pronouns = data.get("pronouns", "")
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        # Without django.contrib.sites allauth would greet "from <host:port>".
        site = SimpleNamespace(
            name=settings.SITE_NAME, domain=get_current_site(self.request).domain
        )
        super().send_mail(template_prefix, email, {"current_site": site, **context})
