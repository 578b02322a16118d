from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from members import services, tasks
from tests.members.factories import CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_session(*, expires_in: timedelta) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    return store.session_key


def test_prune_removes_only_expired_sessions():
    old = make_session(expires_in=timedelta(seconds=-1))
    live = make_session(expires_in=timedelta(days=1))
    assert services.sessions_prune_expired() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert old != live


def test_the_periodic_task_calls_the_service():
    make_session(expires_in=timedelta(days=-2))
    assert tasks.prune_expired_sessions.apply().get() == 1
    assert not Session.objects.exists()


def test_the_beat_schedule_is_created_by_migration():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="members.tasks.prune_expired_sessions")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("3", "30")


def test_revoke_keeps_one_coordinator():
    only = CoordinatorFactory()
    with pytest.raises(ValidationError, match="at least one coordinator"):
        services.coordinator_revoke(user=only, acting_user=only)
    second = CoordinatorFactory()
    services.coordinator_revoke(user=only, acting_user=second)
    only.refresh_from_db()
    assert not only.is_coordinator


def test_profile_update_validates_before_saving():
    user = UserFactory(display_name="Kept")
    with pytest.raises(ValidationError):
        services.user_update_profile(
            user=user,
            display_name="New",
            pronouns="",
            time_zone="Nowhere/Land",
            language="en",
            email_reminders=True,
            reminder_hours_before=24,
        )
    user.refresh_from_db()
    assert user.display_name == "Kept"
