from django.utils import translation

import pytest

from groups.models import CrisisResource, Resource
from groups.resources import selectors
from tests.groups.factories import (
    CrisisResourceFactory,
    GroupFactory,
    ResourceFactory,
    SuggestedResourceFactory,
)
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


class TestCrisisResourcesForLanguage:
    @pytest.fixture(autouse=True)
    def _no_seeded_lines(self):
        # A data migration seeds English lines; these tests make their own.
        CrisisResource.objects.all().delete()

    @pytest.fixture
    def lines(self):
        return {
            "en": [
                CrisisResourceFactory(language="en", name="Samaritans", position=1),
                CrisisResourceFactory(language="en", name="Shout", position=0),
            ],
            "de": [CrisisResourceFactory(language="de", name="Telefonseelsorge")],
        }

    def test_lines_of_the_language_in_their_order(self, lines):
        names = [
            line.name for line in selectors.crisis_resources_for_language(language="en")
        ]
        assert names == ["Shout", "Samaritans"]
        assert selectors.crisis_resources_for_language(language="de") == lines["de"]

    def test_a_language_without_lines_falls_back_to_english(self, lines):
        fallback = selectors.crisis_resources_for_language(language="fr")
        assert [line.language for line in fallback] == ["en", "en"]

    def test_regional_codes_use_their_language(self, lines):
        assert selectors.crisis_resources_for_language(language="de-AT") == lines["de"]

    def test_without_a_language_the_active_one_is_used(self, lines):
        with translation.override("de"):
            assert selectors.crisis_resources_for_language() == lines["de"]

    def test_no_lines_at_all_is_an_empty_list(self):
        assert selectors.crisis_resources_for_language(language="es") == []

    def test_it_takes_one_query(self, lines, django_assert_num_queries):
        with django_assert_num_queries(1):
            selectors.crisis_resources_for_language(language="fr")

    def test_every_site_language_is_listed_for_coordinators(self, lines):
        by_language = {
            code: found for code, _, found in selectors.crisis_resources_by_language()
        }
        assert set(by_language) == {"en", "de", "es", "fr", "nl"}
        assert [line.name for line in by_language["en"]] == ["Shout", "Samaritans"]
        assert by_language["fr"] == []


class TestLibrary:
    def test_each_library_holds_only_its_own_published_resources(self):
        group, other = GroupFactory(), GroupFactory()
        mine = ResourceFactory(group=group)
        ResourceFactory(group=other)
        organisation_wide = ResourceFactory(group=None)
        SuggestedResourceFactory(group=group)
        assert list(selectors.resources_published(group=group)) == [mine]
        assert list(selectors.resources_published(group=None)) == [organisation_wide]

    def test_filters_by_kind_and_exact_tag(self):
        group = GroupFactory()
        video = ResourceFactory(group=group, kind=Resource.Kind.VIDEO, tags=["sleep"])
        article = ResourceFactory(group=group, tags=["grief", "sleep"])
        ResourceFactory(group=group, tags=["sleep hygiene"])
        found = selectors.resources_published(group=group, tag="sleep")
        assert set(found) == {video, article}
        assert list(
            selectors.resources_published(group=group, kind="video", tag="sleep")
        ) == [video]
        assert list(selectors.resources_published(group=group, tag="grief")) == [
            article
        ]

    def test_a_tag_in_the_last_allowed_position_is_found(self):
        group = GroupFactory()
        resource = ResourceFactory(group=group, tags=[f"t{i}" for i in range(10)])
        assert list(selectors.resources_published(group=group, tag="t9")) == [resource]

    def test_tags_of_published_resources_sorted(self):
        group = GroupFactory()
        ResourceFactory(group=group, tags=["sleep", "anxiety"])
        ResourceFactory(group=group, tags=["sleep"])
        SuggestedResourceFactory(group=group, tags=["secret"])
        ResourceFactory(group=None, tags=["elsewhere"])
        assert selectors.resource_tags(group=group) == ["anxiety", "sleep"]

    def test_suggestions_by_one_person(self):
        group = GroupFactory()
        person = UserFactory()
        theirs = SuggestedResourceFactory(group=group, added_by=person)
        SuggestedResourceFactory(group=group)
        ResourceFactory(group=group, added_by=person)
        assert list(selectors.resources_suggested_by(user=person, group=group)) == [
            theirs
        ]
        assert selectors.resources_suggested(group=group).count() == 2
