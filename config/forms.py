"""Helpers every app's views share when binding forms to services."""

from django.core.exceptions import ValidationError


def posted(request):
    """Form data for a POST (even one with no fields), None for a GET.

    Not ``request.POST or None``: an empty POST is falsy and would leave the
    form unbound, so it would never be validated."""
    return request.POST if request.method == "POST" else None


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, at the field it names
    (or above the form when the field is not on it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def https_urls(model_field, **kwargs):
    """ModelForm ``Meta.formfield_callback``: a web address typed without a
    scheme is read as https (Django 6's default, and the safe one)."""
    from django.db import models

    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)
