from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit

from config.forms import https_urls
from groups.models import CrisisResource, Resource

from .validation import (
    ACCEPT_ATTRIBUTE,
    ACCEPTED_DESCRIPTION,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    normalise_tags,
    normalise_web_url,
    validate_upload,
)

KIND_ERRORS = {
    "required": "Choose what kind of resource this is.",
    "invalid_choice": "Choose one of the kinds in the list.",
}


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


class ResourceForm(forms.Form):
    """A link or a file for a library. Validation only: the service saves."""

    title = forms.CharField(
        max_length=_max_length(Resource, "title"),
        error_messages={"required": "Give the resource a title."},
    )
    description = forms.CharField(
        required=False,
        max_length=_max_length(Resource, "description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What it is and who might find it useful.",
    )
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind"), *Resource.Kind.choices],
        error_messages=KIND_ERRORS,
    )
    url = forms.CharField(
        label="Link",
        required=False,
        max_length=_max_length(Resource, "url"),
        help_text="A web address starting with https:// (or http://). "
        "Give a link or a file, not both.",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    file = forms.FileField(
        label="Or a file",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    tags = forms.CharField(
        label="Topic tags",
        required=False,
        help_text=f"Separate tags with commas, e.g. sleep, anxiety. Up to {MAX_TAGS} "
        f"tags of {MAX_TAG_LENGTH} characters each.",
    )

    def __init__(self, *args, submit_label: str = "Suggest", **kwargs):
        super().__init__(*args, **kwargs)
        # Settings are read here, never at import time.
        limit_mb = settings.RESOURCE_MAX_UPLOAD_BYTES / (1024 * 1024)
        help_text = (
            f"{ACCEPTED_DESCRIPTION[0].upper()}{ACCEPTED_DESCRIPTION[1:]}, "
            f"up to {limit_mb:g} MB. Only people who can see this library can "
            "download it."
        )
        if self.is_bound and self.files.get("file"):
            help_text += (
                " Browsers forget a chosen file after an error: choose it again."
            )
        self.fields["file"].help_text = help_text
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", submit_label))

    def clean_url(self):
        return normalise_web_url(self.cleaned_data["url"])

    def clean_tags(self):
        return normalise_tags(self.cleaned_data["tags"])

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        url, upload = cleaned.get("url"), cleaned.get("file")
        if url and upload:
            self.add_error("file", "Give either a link or a file, not both.")
        elif not (url or upload or self.has_error("url") or self.has_error("file")):
            self.add_error("url", "Give a link, or choose a file to upload.")
        return cleaned


class LibraryFilterForm(forms.Form):
    """Narrow a library down by kind and topic tag (GET)."""

    kind = forms.ChoiceField(
        required=False,
        choices=[("", "All kinds"), *Resource.Kind.choices],
        error_messages={"invalid_choice": "Choose one of the kinds in the list."},
    )
    tag = forms.ChoiceField(
        label="Topic",
        required=False,
        error_messages={"invalid_choice": "No resource in this library has that tag."},
    )

    def __init__(self, *args, tags: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "All topics")] + [(t, t) for t in tags]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "library-filter"
        self.helper.add_input(Submit("filter", "Show"))

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid one is ignored (and shown as an error)."""
        if not self.is_bound:
            return {"kind": "", "tag": ""}
        self.is_valid()
        return {
            name: self.cleaned_data.get(name, "") if name not in self.errors else ""
            for name in ("kind", "tag")
        }


class CrisisResourceForm(forms.ModelForm):
    url = forms.CharField(
        label="Web address",
        required=False,
        max_length=_max_length(CrisisResource, "url"),
        help_text="Starting with https:// (or http://).",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )

    class Meta:
        formfield_callback = https_urls
        model = CrisisResource
        fields = ["language", "name", "phone", "text_line", "url", "hours"]
        labels = {"name": "Name of the line or service", "text_line": "Text line"}
        help_texts = {
            "phone": "As people should dial it, e.g. 116 123 or +44 800 123 456.",
        }
        error_messages = {"name": {"required": "Give the line's name."}}

    def __init__(self, *args, submit_label: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", submit_label))

    def clean_url(self):
        return normalise_web_url(self.cleaned_data["url"])

    def clean(self):
        cleaned = super().clean()
        ways = ("phone", "text_line", "url")
        if not any(cleaned.get(f) or self.has_error(f) for f in ways):
            raise ValidationError(
                {
                    "phone": "Give at least one way to reach this line: a "
                    "phone number, a text line or a web address."
                }
            )
        return cleaned
