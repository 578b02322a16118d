from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Set the profile fields before allauth's single save, so a sign-up
        # never leaves a user without a display name behind.
        data = form.cleaned_data
        user.display_name = data["display_name"]
        user.pronouns = data.get("pronouns", "")
        return super().save_user(request, user, form, commit=commit)
