import unicodedata

from django import forms
from django.core.exceptions import ValidationError

from allauth.account.adapter import get_adapter
from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit

from .models import DISPLAY_NAME_MAX_LENGTH, ConsentKind, HelpPage, User


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
        fields = [
            "display_name",
            "pronouns",
            "time_zone",
            "language",
            "email_reminders",
            "reminder_hours_before",
        ]
        labels = {
            "time_zone": "Time zone",
            "language": "Language",
            "email_reminders": "E-mail me a reminder before meetings",
            "reminder_hours_before": "When to send the reminder",
        }
        help_texts = {
            "email_reminders": "For meetings you have signed up for.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("About you", "display_name", "pronouns", "time_zone", "language"),
            Fieldset("Meeting reminders", "email_reminders", "reminder_hours_before"),
        )
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


class ConsentForm(forms.Form):
    """One kind of consent on the consents page: say yes, or withdraw.

    ``version`` is the text version the person was shown, so a yes is never
    recorded for words published after the page was opened."""

    GRANT = "grant"
    WITHDRAW = "withdraw"

    kind = forms.ChoiceField(
        choices=ConsentKind.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose which consent you mean. Nothing was changed.",
            "invalid_choice": "There is no such consent. Nothing was changed.",
        },
    )
    version = forms.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "The version of the text is not valid. Nothing was changed.",
            "min_value": "The version of the text is not valid. Nothing was changed.",
            "max_value": "The version of the text is not valid. Nothing was changed.",
        },
    )
    action = forms.ChoiceField(
        choices=[(GRANT, "Agree"), (WITHDRAW, "Withdraw")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose to agree or to withdraw. Nothing was changed.",
            "invalid_choice": "Choose to agree or to withdraw. Nothing was changed.",
        },
    )

    def __init__(self, *args, status=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # Several of these forms share a page: keep their ids apart.
        if status is not None:
            self.auto_id = f"id_{status.kind}_%s"
            self.helper.form_id = f"consent-{status.kind}"
            self.helper.layout = Layout("kind", "version", *self._buttons(status))

    @classmethod
    def for_status(cls, status):
        return cls(
            initial={
                "kind": status.kind,
                "version": status.text.version if status.text else None,
            },
            status=status,
        )

    @classmethod
    def _buttons(cls, status):
        # The button carries the action; the hidden "action" field is only
        # read from it, so it is left out of the layout.
        label = f'<span class="visually-hidden">: {status.label}</span>'
        buttons = []
        if status.text is not None and status.state != status.GIVEN:
            agree = "I agree to the new version" if status.is_given else "I agree"
            buttons.append(
                StrictButton(
                    agree + label,
                    type="submit",
                    name="action",
                    value=cls.GRANT,
                    css_class="btn-primary",
                )
            )
        if status.is_given:
            buttons.append(
                StrictButton(
                    "Withdraw my agreement" + label,
                    type="submit",
                    name="action",
                    value=cls.WITHDRAW,
                    css_class="btn-outline-danger",
                )
            )
        return buttons

    def clean(self):
        cleaned = super().clean()
        # A yes is recorded only for the version the page showed.
        if (
            not self.errors
            and cleaned.get("action") == self.GRANT
            and cleaned.get("version") is None
        ):
            self.add_error(
                "version",
                "The version of the text is missing. Nothing was changed.",
            )
        return cleaned

    def error_text(self) -> str:
        return " ".join(
            dict.fromkeys(
                message for errors in self.errors.values() for message in errors
            )
        )


class DataExportForm(forms.Form):
    """No fields: a POST (with its CSRF check) starts the download."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("download", "Download my data"))


ERASE_CONFIRMATION = "delete my account"


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={
            "required": "Enter your password.",
            "max_length": "That is not your password. "
            "Your account has not been changed.",
        },
    )
    confirmation = forms.CharField(
        label=f"Type “{ERASE_CONFIRMATION}” to confirm",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": f"Type “{ERASE_CONFIRMATION}” to confirm.",
            "max_length": f"Type only the words “{ERASE_CONFIRMATION}”.",
        },
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.helper = FormHelper()
        delete = Submit("delete", "Delete my account")
        delete.field_classes = "btn btn-danger"
        self.helper.add_input(delete)

    def clean_password(self):
        password = self.cleaned_data["password"]
        # allauth's check counts failed attempts (its login_failed rate limit),
        # so this form cannot be used to guess a password.
        if not get_adapter(self.request).reauthenticate(self.user, password):
            raise ValidationError(
                "That is not your password. Your account has not been changed."
            )
        return password

    def clean_confirmation(self):
        typed = " ".join(self.cleaned_data["confirmation"].lower().split())
        if typed != ERASE_CONFIRMATION:
            raise ValidationError(
                f"Type the words “{ERASE_CONFIRMATION}” exactly, to show you mean it."
            )
        return typed
