import zoneinfo

from django.conf import settings
from django.utils import timezone, translation


def _from_accept_language(header: str) -> str | None:
    """The first language the browser asks for that Circle has content in."""
    offered = dict(settings.CONTENT_LANGUAGES)
    for part in header.split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in offered:
            return code
    return None


class UserPreferencesMiddleware:
    """Show times in the person's own time zone, and choose content (the help
    page, crisis lines) in their language: ``request.content_language``.

    The interface itself switches language only when it is translated (it is
    in settings.LANGUAGES), so a page never claims a language it is not in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            request.content_language = user.language
        else:
            timezone.deactivate()
            request.content_language = _from_accept_language(
                request.headers.get("Accept-Language", "")
            )
        request.content_language = request.content_language or settings.LANGUAGE_CODE
        if request.content_language in dict(settings.LANGUAGES):
            translation.activate(request.content_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
