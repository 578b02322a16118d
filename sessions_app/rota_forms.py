"""Forms of the rota pages: shape and validate input, no side effects."""

from django import forms

from .forms import DateInput, _helper
from .models import Assignment, Blockout
from .rota_services import MESSAGE_MAX

WEEK_CHOICES = [
    ("", "---------"),
    (1, "The first week (days 1 to 7)"),
    (2, "The second week (days 8 to 14)"),
    (3, "The third week (days 15 to 21)"),
    (4, "The fourth week (days 22 to 28)"),
    (-1, "The last seven days of the month"),
]


class BlockoutForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind",
        choices=Blockout.Kind.choices,
        initial=Blockout.Kind.RANGE,
        widget=forms.RadioSelect,
    )
    starts_on = forms.DateField(label="First date", required=False, widget=DateInput())
    ends_on = forms.DateField(label="Last date", required=False, widget=DateInput())
    week_of_month = forms.TypedChoiceField(
        label="Week of every month",
        choices=WEEK_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
    )
    note = forms.CharField(label="Note (optional)", max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Add")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Blockout.Kind.RANGE:
            starts, ends = data.get("starts_on"), data.get("ends_on")
            if not starts:
                self.add_error("starts_on", "Give the first date.")
            if not ends:
                self.add_error("ends_on", "Give the last date.")
            if starts and ends and ends < starts:
                self.add_error("ends_on", "The last date is before the first date.")
        elif (
            kind == Blockout.Kind.WEEK_OF_MONTH
            and data.get("week_of_month") is None
            and "week_of_month" not in self.errors
        ):
            self.add_error("week_of_month", "Choose a week of the month.")
        return data


class PreferenceForm(forms.Form):
    max_times = forms.IntegerField(
        label="At most this many times (empty: no limit)",
        min_value=1,
        max_value=52,
        required=False,
    )
    per_weeks = forms.IntegerField(
        label="In any this many weeks", min_value=1, max_value=52, initial=4
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save my preference")


class ParticipationForm(forms.Form):
    takes_part = forms.BooleanField(
        label="I take part in the facilitation rota", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save")


class AssignForm(forms.Form):
    """The membership is an id: the view fetches it within the group (404
    for anyone else's), the service says which rules it would break."""

    role = forms.ChoiceField(
        choices=Assignment.Role.choices, initial=Assignment.Role.FACILITATOR
    )
    membership = forms.IntegerField(label="Member", widget=forms.Select)
    confirm = forms.BooleanField(
        label="Assign anyway, despite the rules above", required=False
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].widget.choices = [
            (m.pk, m.user.display_name) for m in members
        ]
        self.helper = _helper("Assign")


class SwapForm(forms.Form):
    offered_to = forms.IntegerField(
        label="Whom to ask", required=False, widget=forms.Select
    )
    message = forms.CharField(
        label="Message (optional)",
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offered_to"].widget.choices = [("", "Anyone on the rota")] + [
            (m.pk, m.user.display_name) for m in members
        ]
        self.helper = _helper("Ask")
