from django.utils import timezone

import factory

from groups.models import CrisisResource, Group, Membership, Resource
from tests.members.factories import UserFactory


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    group = factory.SubFactory(GroupFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE


class LeadMembershipFactory(MembershipFactory):
    role = Membership.Role.LEAD


class ResourceFactory(factory.django.DjangoModelFactory):
    """A published link in a group's library (``group=None``: organisation-wide)."""

    class Meta:
        model = Resource

    group = factory.SubFactory(GroupFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    kind = Resource.Kind.ARTICLE
    url = factory.Sequence(lambda n: f"https://example.org/resource-{n}")
    status = Resource.Status.PUBLISHED
    added_by = factory.SubFactory(UserFactory)
    published_at = factory.LazyFunction(timezone.now)


class SuggestedResourceFactory(ResourceFactory):
    status = Resource.Status.SUGGESTED
    published_at = None


class CrisisResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrisisResource

    language = "en"
    name = factory.Sequence(lambda n: f"Crisis line {n}")
    phone = "116 123"
    hours = "24 hours"
    position = factory.Sequence(lambda n: n)
