"""Writes about a person's private calendar feed address."""

import secrets

from django.db import IntegrityError, transaction

from members.models import User

from .models import CalendarFeed


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    """The user's feed address, made on first use."""
    try:
        with transaction.atomic():
            feed, _ = CalendarFeed.objects.get_or_create(
                user=user, defaults={"token": _new_token()}
            )
    except IntegrityError:  # two first visits racing each other
        feed = CalendarFeed.objects.get(user=user)
    return feed


@transaction.atomic
def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """A new secret address; the old one stops working at once (404)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return calendar_feed_get_or_create(user=user)
    feed.token = _new_token()
    feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    """Turn the feed off: its address stops working. Returns whether there
    was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
