from django import forms

from .attendance_services import COMMENT_MAX
from .models import Attendance

SCORE_CHOICES = [
    (1, "1 (not at all)"),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, "5 (very much)"),
]


class MarkForm(forms.Form):
    """One tap on the attendance page: a person and a status."""

    membership = forms.IntegerField(min_value=1)
    status = forms.ChoiceField(
        choices=Attendance.Status.choices,
        error_messages={
            "invalid_choice": "Choose present, absent or excused.",
            "required": "Choose present, absent or excused.",
        },
    )


class FeedbackForm(forms.Form):
    felt_safe = forms.TypedChoiceField(
        label="I felt safe to share",
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a number from 1 to 5."},
    )
    felt_listened_to = forms.TypedChoiceField(
        label="I felt listened to",
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a number from 1 to 5."},
    )
    felt_judged = forms.TypedChoiceField(
        label="I felt judged",
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a number from 1 to 5."},
    )
    comment = forms.CharField(
        label="Anything else? (optional)",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
        help_text=(
            "Leads see comments only in a list with others, never with your "
            "name. Leave out anything that would identify you or others."
        ),
    )

    QUESTIONS = ("felt_safe", "felt_listened_to", "felt_judged")
