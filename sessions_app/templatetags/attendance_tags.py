"""The meeting page's attendance slot reads its state here, so the page's own
view needs no attendance code."""

from django import template

from sessions_app.attendance_selectors import attendance_slot

register = template.Library()


@register.simple_tag
def meeting_attendance_slot(meeting, membership, can_run=False):
    """What the slot shows this person: take attendance, check in, or give
    feedback (see sessions_app.attendance_selectors.attendance_slot)."""
    if meeting is None or membership is None:
        return None
    return attendance_slot(meeting=meeting, membership=membership, can_run=can_run)
