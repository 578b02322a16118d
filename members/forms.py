import unicodedata

from django import forms
from django.core.exceptions import ValidationError

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit

from .models import DISPLAY_NAME_MAX_LENGTH, HelpPage, User


def clean_display_name(value: str) -> str:
    value = " ".join(value.split())
    if any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in value):
        raise ValidationError("Use letters, numbers and ordinary punctuation only.")
    if not value:
        raise ValidationError("Enter the name other members will see.")
    return value


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form gains (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label="Display name",
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text="What other members see. A first name or a pseudonym is fine.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    pronouns = forms.CharField(
        label="Pronouns (optional)", max_length=40, required=False
    )

    field_order = ["email", "display_name", "pronouns", "password1", "password2"]

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])

    def signup(self, request, user):
        # The adapter already set these before the single save (no half-made user).
        pass


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "pronouns", "time_zone", "language"]
        labels = {"time_zone": "Time zone", "language": "Language"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save profile"))

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])


class CoordinatorGrantForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address of the person to make a coordinator",
        max_length=254,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("grant", "Make coordinator"))


class HelpPageForm(forms.ModelForm):
    class Meta:
        model = HelpPage
        fields = ["title", "body"]
        help_texts = {
            "body": "Plain text. Web addresses become links; blank lines start "
            "a new paragraph. Up to 10,000 characters."
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Publish"))
