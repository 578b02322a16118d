import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from members.models import Consent, ConsentKind, ConsentText, User

PASSWORD = "a-long-test-password-17"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified e-mail address who can log in with PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(
                user=obj, email=obj.email, verified=True, primary=True
            )


class CoordinatorFactory(UserFactory):
    """A coordinator who has set up two-factor authentication."""

    is_coordinator = True

    @factory.post_generation
    def two_factor(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(obj, TOTP_SECRET)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def consent_text(kind: str = ConsentKind.NEWSLETTER, version: int = 1) -> ConsentText:
    """A published consent text (version 1 of each kind comes from a migration)."""
    return ConsentText.objects.get(kind=kind, version=version)


class ConsentFactory(factory.django.DjangoModelFactory):
    """A yes, in force, to version 1 of the newsletter consent."""

    class Meta:
        model = Consent

    user = factory.SubFactory(UserFactory)
    text = factory.LazyFunction(consent_text)
