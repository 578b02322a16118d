"""Pages anyone can open without an account."""

import pytest

from tests.e2e.conftest import heading, visit_and_check

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/", 200, "Peer support groups, run by their members"),
        ("/accounts/login/", 200, "Sign In"),
        ("/accounts/signup/", 200, "Sign Up"),
        ("/accounts/password/reset/", 200, "Password Reset"),
        ("/help/", 200, "Get help now"),
        ("/no-such-page/", 404, "We can't find that page"),
    ],
)
def test_public_page_is_accessible(page, axe, path, status, title):
    visit_and_check(page, axe, path, status=status)
    assert heading(page, title, level=1).is_visible()
    assert page.get_by_role("link", name="Get help now").first.is_visible()
