"""Small builders for the group records a person's account touches
(guidelines, acknowledgements, invitations, resources), for the account tests.

Made with the ORM on purpose: these tests are about what erasure and the
export do with such rows, not about how the groups app creates them."""

from django.utils import timezone

from groups.models import Acknowledgement, GuidelineVersion, Invitation, Resource


def guideline_version(group, *, number=1, published_by=None) -> GuidelineVersion:
    return GuidelineVersion.objects.create(
        group=group,
        number=number,
        items=[{"title": "Confidentiality", "explanation": "What is said here stays."}],
        change_note="First version" if number == 1 else f"Version {number}",
        published_by=published_by,
    )


def acknowledge(user, version) -> Acknowledgement:
    return Acknowledgement.objects.create(user=user, version=version)


def invitation(group, *, created_by=None, used_by=None, note="") -> Invitation:
    return Invitation.objects.create(
        group=group,
        created_by=created_by,
        used_by=used_by,
        used_at=timezone.now() if used_by else None,
        note=note,
    )


def resource(*, added_by, group=None, title="Breathing exercises") -> Resource:
    return Resource.objects.create(
        group=group,
        title=title,
        kind=Resource.Kind.ARTICLE,
        url="https://example.org/breathing",
        status=Resource.Status.PUBLISHED,
        added_by=added_by,
        published_at=timezone.now(),
    )
