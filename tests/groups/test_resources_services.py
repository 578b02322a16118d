from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

import pytest

from groups.models import CrisisResource, Membership, Resource
from groups.resources import services
from tests.groups.factories import (
    CrisisResourceFactory,
    GroupFactory,
    LeadMembershipFactory,
    MembershipFactory,
    ResourceFactory,
    SuggestedResourceFactory,
)
from tests.groups.test_resources_files import EXE, PDF, upload
from tests.members.factories import CoordinatorFactory, UserFactory
from tests.roles import COORDINATOR, LEAD, MEMBER, OTHER_GROUP_MEMBER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.RESOURCE_MAX_UPLOAD_BYTES = 1024 * 1024


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def create(**overrides):
    values = {
        "title": "Sleep and low mood",
        "kind": Resource.Kind.ARTICLE,
        "url": "https://example.org/sleep",
    } | overrides
    return services.resource_create(**values)


class TestSuggestAndPublish:
    def test_a_member_suggests_and_a_lead_publishes(self, roles):
        resource = create(group=roles.group, acting_user=roles[MEMBER], tags="Sleep, ")
        assert resource.status == Resource.Status.SUGGESTED
        assert resource.added_by == roles[MEMBER]
        assert resource.published_at is None
        assert resource.tags == ["sleep"]

        published = services.resource_publish(
            resource=resource, acting_user=roles[LEAD]
        )
        assert published.status == Resource.Status.PUBLISHED
        assert published.published_at is not None

    def test_a_lead_adds_a_published_resource_directly(self, roles):
        resource = create(group=roles.group, acting_user=roles[LEAD], publish=True)
        assert resource.status == Resource.Status.PUBLISHED
        assert resource.published_at is not None

    @pytest.mark.parametrize("role", [MEMBER, OTHER_GROUP_MEMBER, COORDINATOR])
    def test_only_leads_publish_in_a_group(self, roles, role):
        with pytest.raises(PermissionDenied):
            create(group=roles.group, acting_user=roles[role], publish=True)
        suggestion = SuggestedResourceFactory(group=roles.group)
        with pytest.raises(PermissionDenied):
            services.resource_publish(resource=suggestion, acting_user=roles[role])
        assert Resource.objects.filter(status=Resource.Status.PUBLISHED).count() == 0

    @pytest.mark.parametrize("role", [OTHER_GROUP_MEMBER, COORDINATOR])
    def test_people_outside_the_group_cannot_suggest_to_it(self, roles, role):
        with pytest.raises(PermissionDenied):
            create(group=roles.group, acting_user=roles[role])
        assert not Resource.objects.exists()

    def test_a_paused_member_cannot_suggest(self, roles):
        paused = MembershipFactory(group=roles.group, status=Membership.Status.PAUSED)
        with pytest.raises(PermissionDenied):
            create(group=roles.group, acting_user=paused.user)

    def test_anyone_signed_in_suggests_organisation_wide_and_coordinators_publish(
        self, roles
    ):
        resource = create(group=None, acting_user=roles[OTHER_GROUP_MEMBER])
        assert resource.group is None
        assert resource.status == Resource.Status.SUGGESTED
        for role in (MEMBER, LEAD, OTHER_GROUP_MEMBER):
            with pytest.raises(PermissionDenied):
                services.resource_publish(resource=resource, acting_user=roles[role])
        services.resource_publish(resource=resource, acting_user=roles[COORDINATOR])
        resource.refresh_from_db()
        assert resource.status == Resource.Status.PUBLISHED

    def test_publishing_twice_says_so(self, roles):
        resource = ResourceFactory(group=roles.group)
        with pytest.raises(ValidationError, match="already published"):
            services.resource_publish(resource=resource, acting_user=roles[LEAD])


class TestValidation:
    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"title": "   "}, "title", "Give the resource a title."),
            ({"title": "x" * 10240}, "title", "at most 200 characters"),
            ({"description": "x" * 10240}, "description", "at most 2000 characters"),
            ({"kind": "podcast"}, "kind", "not a valid choice"),
            ({"url": "javascript:alert(1)"}, "url", "http:// or https://"),
            ({"url": ""}, "url", "Give a link, or choose a file"),
            ({"upload": upload("notes.pdf", PDF)}, "file", "not both"),
            ({"tags": ",".join(str(i) for i in range(11))}, "tags", "at most 10"),
        ],
    )
    def test_bad_input_is_refused_at_its_field(self, roles, overrides, field, message):
        with pytest.raises(ValidationError) as caught:
            create(group=roles.group, acting_user=roles[MEMBER], **overrides)
        assert message in " ".join(caught.value.message_dict[field])
        assert not Resource.objects.exists()

    def test_archived_groups_take_no_changes(self, roles, tmp_path):
        suggestion = SuggestedResourceFactory(group=roles.group)
        published = ResourceFactory(group=roles.group)
        roles.group.archived_at = timezone.now()
        roles.group.save()
        with pytest.raises(ValidationError, match="archived"):
            create(
                group=roles.group,
                acting_user=roles[MEMBER],
                url="",
                upload=upload("notes.pdf", PDF),
            )
        with pytest.raises(ValidationError, match="archived"):
            services.resource_publish(resource=suggestion, acting_user=roles[LEAD])
        with pytest.raises(ValidationError, match="archived"):
            services.resource_remove(resource=published, acting_user=roles[LEAD])
        assert Resource.objects.count() == 2
        assert stored_files(tmp_path) == []


class TestFiles:
    def test_a_file_is_stored_privately_under_a_random_name(self, roles, tmp_path):
        resource = create(
            group=roles.group,
            acting_user=roles[MEMBER],
            url="",
            upload=upload("../My notes.pdf", PDF, content_type="text/html"),
        )
        assert resource.file_name == "My notes.pdf"
        assert resource.content_type == "application/pdf"
        assert resource.size == len(PDF)
        [stored] = stored_files(tmp_path)
        assert stored.parent == tmp_path / "resources"
        assert "notes" not in stored.name
        assert "." not in stored.name
        assert stored.read_bytes() == PDF
        assert resource.file.name == f"resources/{stored.name}"

    def test_a_refused_file_leaves_nothing_behind(self, roles, tmp_path):
        with pytest.raises(ValidationError) as caught:
            create(
                group=roles.group,
                acting_user=roles[MEMBER],
                url="",
                upload=upload("setup.pdf", EXE),
            )
        assert "file" in caught.value.message_dict
        assert not Resource.objects.exists()
        assert stored_files(tmp_path) == []

    def test_a_file_is_not_stored_when_another_field_is_wrong(self, roles, tmp_path):
        with pytest.raises(ValidationError):
            create(
                group=roles.group,
                acting_user=roles[MEMBER],
                title="",
                url="",
                upload=upload("notes.pdf", PDF),
            )
        assert stored_files(tmp_path) == []

    def test_the_stored_file_is_removed_when_the_row_cannot_be_saved(
        self, roles, tmp_path, monkeypatch
    ):
        def failing_save(self, *args, **kwargs):
            # The file is already on disk when the row is saved.
            assert stored_files(tmp_path)
            raise IntegrityError("the database said no")

        monkeypatch.setattr(Resource, "save", failing_save)
        with pytest.raises(IntegrityError):
            create(
                group=roles.group,
                acting_user=roles[MEMBER],
                url="",
                upload=upload("notes.pdf", PDF),
            )
        monkeypatch.undo()
        assert not Resource.objects.exists()
        assert stored_files(tmp_path) == []

    def test_rejecting_deletes_the_row_and_then_the_file(
        self, roles, tmp_path, django_capture_on_commit_callbacks
    ):
        resource = create(
            group=roles.group,
            acting_user=roles[MEMBER],
            url="",
            upload=upload("notes.pdf", PDF),
        )
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.resource_remove(resource=resource, acting_user=roles[LEAD])
        assert not Resource.objects.exists()
        # Until the deletion is committed the file stays: a rollback keeps both.
        assert len(stored_files(tmp_path)) == 1
        for callback in callbacks:
            callback()
        assert stored_files(tmp_path) == []

    def test_only_reviewers_remove(self, roles):
        resource = ResourceFactory(group=roles.group, added_by=roles[MEMBER])
        with pytest.raises(PermissionDenied):
            services.resource_remove(resource=resource, acting_user=roles[MEMBER])
        organisation_wide = ResourceFactory(group=None)
        with pytest.raises(PermissionDenied):
            services.resource_remove(
                resource=organisation_wide, acting_user=roles[LEAD]
            )
        services.resource_remove(
            resource=organisation_wide, acting_user=roles[COORDINATOR]
        )
        assert list(Resource.objects.all()) == [resource]


class TestCrisisLines:
    @pytest.fixture(autouse=True)
    def _no_seeded_lines(self):
        # A data migration seeds English lines; these tests make their own.
        CrisisResource.objects.all().delete()

    def test_lines_are_added_after_the_others_in_their_language(self):
        coordinator = CoordinatorFactory()
        first = services.crisis_resource_create(
            acting_user=coordinator,
            language="de",
            name="Telefonseelsorge",
            phone="0800 111 0 111",
            hours="rund um die Uhr",
        )
        second = services.crisis_resource_create(
            acting_user=coordinator,
            language="de",
            name="Nummer gegen Kummer",
            url="nummergegenkummer.de",
        )
        english = services.crisis_resource_create(
            acting_user=coordinator, language="en", name="Samaritans", phone="116 123"
        )
        assert (first.position, second.position, english.position) == (0, 1, 0)
        assert second.url == "https://nummergegenkummer.de"

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"phone": "", "text_line": "", "url": ""}, "phone", "at least one way"),
            ({"phone": "call 116 123"}, "phone", "digits, spaces"),
            ({"url": "javascript:alert(1)"}, "url", "http:// or https://"),
            ({"name": ""}, "name", "cannot be blank"),
            ({"name": "x" * 10240}, "name", "at most 120"),
            ({"language": "xx"}, "language", "not a valid choice"),
        ],
    )
    def test_bad_lines_are_refused_at_the_field(self, overrides, field, message):
        values = {"language": "en", "name": "Samaritans", "phone": "116 123"}
        with pytest.raises(ValidationError) as caught:
            services.crisis_resource_create(
                acting_user=CoordinatorFactory(), **(values | overrides)
            )
        assert message in " ".join(caught.value.message_dict[field])
        assert not CrisisResource.objects.exists()

    def test_only_coordinators_change_crisis_lines(self):
        line = CrisisResourceFactory()
        person = UserFactory()
        lead = LeadMembershipFactory().user
        for user in (person, lead):
            with pytest.raises(PermissionDenied):
                services.crisis_resource_create(
                    acting_user=user, language="en", name="Fake", phone="999"
                )
            with pytest.raises(PermissionDenied):
                services.crisis_resource_update(
                    line=line, acting_user=user, language="en", name="Fake", phone="1"
                )
            with pytest.raises(PermissionDenied):
                services.crisis_resource_delete(line=line, acting_user=user)
            with pytest.raises(PermissionDenied):
                services.crisis_resource_move(
                    line=line, direction="up", acting_user=user
                )
        line.refresh_from_db()
        assert line.name != "Fake"

    def test_moving_swaps_neighbours_and_renumbers(self):
        coordinator = CoordinatorFactory()
        a = CrisisResourceFactory(name="A", position=5)
        b = CrisisResourceFactory(name="B", position=5)
        c = CrisisResourceFactory(name="C", position=9)
        other = CrisisResourceFactory(name="Z", language="fr", position=0)

        services.crisis_resource_move(line=c, direction="up", acting_user=coordinator)
        order = list(
            CrisisResource.objects.filter(language="en").values_list("name", "position")
        )
        assert order == [("A", 0), ("C", 1), ("B", 2)]

        services.crisis_resource_move(line=a, direction="up", acting_user=coordinator)
        services.crisis_resource_move(line=b, direction="down", acting_user=coordinator)
        assert list(
            CrisisResource.objects.filter(language="en").values_list("name", flat=True)
        ) == ["A", "C", "B"]
        other.refresh_from_db()
        assert other.position == 0
        with pytest.raises(ValidationError):
            services.crisis_resource_move(
                line=a, direction="sideways", acting_user=coordinator
            )

    def test_a_line_moved_to_another_language_goes_last_there(self):
        coordinator = CoordinatorFactory()
        CrisisResourceFactory(language="fr", position=0)
        line = CrisisResourceFactory(language="en", position=0)
        updated = services.crisis_resource_update(
            line=line,
            acting_user=coordinator,
            language="fr",
            name="SOS Amitié",
            phone="09 72 39 40 50",
        )
        assert (updated.language, updated.position, updated.name) == (
            "fr",
            1,
            "SOS Amitié",
        )

    def test_deleting_a_line(self):
        line = CrisisResourceFactory()
        services.crisis_resource_delete(line=line, acting_user=CoordinatorFactory())
        assert not CrisisResource.objects.exists()


def test_a_group_is_needed_for_leads_to_review(roles):
    # A lead of one group reviews nothing in another.
    other_lead = LeadMembershipFactory(group=GroupFactory()).user
    suggestion = SuggestedResourceFactory(group=roles.group)
    with pytest.raises(PermissionDenied):
        services.resource_publish(resource=suggestion, acting_user=other_lead)
