from django.utils import translation

from .models import HelpPage, User


def help_page_for_language(
    *, language: str | None = None, fallback: bool = True
) -> HelpPage | None:
    """The help page in the asked (or active) language, else (with
    ``fallback``) in English."""
    language = (language or translation.get_language() or "en").split("-")[0]
    wanted = {language, "en"} if fallback else {language}
    pages = {p.language: p for p in HelpPage.objects.filter(language__in=wanted)}
    return pages.get(language) or pages.get("en")


def coordinators_list():
    return User.objects.filter(is_coordinator=True, is_active=True).order_by(
        "display_name", "id"
    )
