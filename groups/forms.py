from django import forms
from django.conf import settings
from django.forms import formset_factory

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit

from config.forms import https_urls

from .models import RESERVED_SLUGS, Group, Membership

MAX_GUIDELINES = 30


def _helper(label: str, *, css: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    button = Submit("submit", label)
    button.field_classes = f"btn {css}"  # crispy would add btn-primary to any css
    helper.add_input(button)
    return helper


class GroupForm(forms.ModelForm):
    capacity = forms.IntegerField(
        min_value=1,
        max_value=10_000,
        initial=12,
        help_text="Most members at once (people on a break keep their place); "
        "requests queue beyond it.",
        error_messages={"min_value": "A group needs room for at least one person."},
    )
    languages = forms.MultipleChoiceField(
        choices=settings.CONTENT_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The languages the group meets in.",
    )

    class Meta:
        formfield_callback = https_urls
        model = Group
        fields = Group.EDITABLE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save group")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f'"{slug}" is reserved; choose another.')
        return slug


class GroupCreateForm(GroupForm):
    lead_email = forms.EmailField(
        label="First lead's e-mail (optional)",
        required=False,
        help_text="An existing account with a confirmed address. They can add leads.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Create group")


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label="A few words for the group's leads (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the group's leads read this.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Ask to join")


class DecisionForm(forms.Form):
    message = forms.CharField(
        label="Message to them (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why (only leads will see this)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Remove from the group", css="btn-danger")


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class LeaveForm(forms.Form):
    """Leaving; the last lead must name a successor first."""

    successor = forms.ModelChoiceField(
        label="Who leads the group after you",
        queryset=Membership.objects.none(),
        required=False,
    )

    def __init__(self, *args, successors=None, needs_successor=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = successors or Membership.objects.none()
        self.fields["successor"].label_from_instance = lambda m: m.user.display_name
        self.fields["successor"].required = needs_successor
        if not needs_successor:
            del self.fields["successor"]
        self.helper = _helper("Leave the group", css="btn-danger")


class InvitationForm(forms.Form):
    note = forms.CharField(
        label="Who is it for? (optional, for leads only)",
        required=False,
        max_length=120,
    )
    valid_days = forms.IntegerField(
        label="Valid for (days)", min_value=1, max_value=60, initial=14
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Create invitation link")


class GuidelineItemForm(forms.Form):
    title = forms.CharField(label="Title", max_length=120, required=False)
    explanation = forms.CharField(
        label="Explanation",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("title")) != bool(data.get("explanation")):
            raise forms.ValidationError("Give both a short title and an explanation.")
        return data


GuidelineFormSet = formset_factory(
    GuidelineItemForm,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=MAX_GUIDELINES,
    validate_max=True,
    absolute_max=MAX_GUIDELINES + 5,
)


def formset_items(formset) -> list[dict]:
    """The formset's items in the order people gave (unnumbered ones last),
    without deleted or empty ones."""
    return [
        {
            "title": form.cleaned_data["title"],
            "explanation": form.cleaned_data["explanation"],
        }
        for form in formset.ordered_forms
        if form.cleaned_data.get("title")
    ]


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label="What changed, in a sentence",
        max_length=500,
        required=False,
        help_text="Every member sees this when they are asked to agree again.",
    )
