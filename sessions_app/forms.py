from datetime import date

from django import forms
from django.forms import formset_factory

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit

from config.forms import https_urls

from .models import Format, MeetingSchedule


def _helper(label: str, css: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    button = Submit("submit", label)
    button.field_classes = f"btn {css}"
    helper.add_input(button)
    return helper


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class ScheduleForm(forms.ModelForm):
    excluded = forms.CharField(
        label="Dates without a meeting (optional)",
        required=False,
        max_length=2000,
        help_text="Dates in the form 2026-12-24, separated by commas.",
    )

    class Meta:
        formfield_callback = https_urls
        model = MeetingSchedule
        # Dates without a meeting are typed as text: the "excluded" field.
        fields = [f for f in MeetingSchedule.EDITABLE_FIELDS if f != "excluded_dates"]
        labels = {
            "nth": "Which one (monthly only)",
            "local_time": "Time (the group's local time)",
            "duration_minutes": "Length in minutes",
            "starts_on": "First date",
            "ends_on": "Last date (optional)",
        }
        widgets = {
            "local_time": TimeInput(format="%H:%M"),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].min_value = 15
        self.helper = _helper("Create schedule")

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if not 15 <= minutes <= 600:
            raise forms.ValidationError("Choose between 15 and 600 minutes.")
        return minutes

    def clean_excluded(self):
        dates = []
        for part in self.cleaned_data["excluded"].split(","):
            if part.strip():
                try:
                    dates.append(date.fromisoformat(part.strip()).isoformat())
                except ValueError as error:
                    raise forms.ValidationError(
                        f'"{part.strip()[:20]}" is not a date like 2026-12-24.'
                    ) from error
        return dates

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last date is before the first date.")
        if data.get("frequency") == MeetingSchedule.Frequency.MONTHLY and not data.get(
            "nth"
        ):
            self.add_error("nth", "Choose which weekday of the month.")
        return data


class MeetingForm(forms.Form):
    """A one-off meeting, or moving one."""

    day = forms.DateField(label="Date", widget=DateInput())
    local_time = forms.TimeField(
        label="Time (the group's local time)", widget=TimeInput()
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes", min_value=15, max_value=600, initial=90
    )
    format = forms.ChoiceField(choices=Format.choices, initial=Format.SHARING_CIRCLE)
    topic = forms.CharField(max_length=200, required=False)
    place = forms.CharField(max_length=200, required=False)
    online_link = forms.URLField(max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Create meeting")


def _scope_field(series_label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Which meetings",
        choices=[("one", "Only this meeting"), ("series", series_label)],
        initial="one",
        widget=forms.RadioSelect,
    )


class SeriesScopeForm(forms.Form):
    """A change to one meeting or, for a meeting in a series, to the rest of
    the series too; the choice is offered only when there is a series."""

    submit_label = "Save"
    submit_css = "btn-primary"

    def __init__(self, *args, in_series=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_series:
            del self.fields["scope"]
        self.helper = _helper(self.submit_label, css=self.submit_css)


class MoveForm(SeriesScopeForm):
    day = forms.DateField(label="New date", widget=DateInput())
    local_time = forms.TimeField(
        label="New time (the group's local time)", widget=TimeInput()
    )
    scope = _scope_field("This and every later one in the series (time only)")
    submit_label = "Move"


class CancelForm(SeriesScopeForm):
    reason = forms.CharField(
        label="Message to members (optional)", max_length=300, required=False
    )
    scope = _scope_field("This and every later one in the series")
    submit_label, submit_css = "Cancel the meeting", "btn-danger"


class MeetingDetailsForm(forms.Form):
    """What a meeting is about; ``resources`` lists the libraries' published
    resources the lead may link."""

    format = forms.ChoiceField(choices=Format.choices)
    topic = forms.CharField(max_length=200, required=False)
    place = forms.CharField(max_length=200, required=False)
    online_link = forms.URLField(max_length=500, required=False, assume_scheme="https")
    speaker_name = forms.CharField(
        label="Guest speaker's name", max_length=120, required=False
    )
    speaker_bio = forms.CharField(
        label="A short bio",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    speaker_topic = forms.CharField(
        label="The speaker's topic", max_length=200, required=False
    )
    resources = forms.ModelMultipleChoiceField(
        label="Materials from the resource library (workshops)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, resources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].queryset = resources
        self.helper = _helper("Save")


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=120, required=False)
    minutes = forms.IntegerField(min_value=1, max_value=240, required=False)

    def clean(self):
        data = super().clean()
        if data.get("title") and not data.get("minutes"):
            self.add_error("minutes", "Give this item a time box.")
        return data


AgendaFormSet = formset_factory(AgendaItemForm, extra=2, max_num=20, validate_max=True)


class IcebreakerForm(forms.Form):
    prompt = forms.CharField(max_length=300)
    category = forms.CharField(max_length=60, required=False)
    depth = forms.ChoiceField(choices=[("light", "Light"), ("deeper", "Deeper")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Add to the group's icebreakers")
