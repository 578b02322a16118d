"""End-to-end tests: Debian's Chromium driven through Playwright's sync API.

Every page a test lands on is checked with axe-core (zero violations) and for
browser console errors, which include Content-Security-Policy violations: the
policy allows no inline script or style. Use ``visit_and_check`` (or
``click_and_check`` for a click that loads a new page) after each navigation;
a test that navigates without checking the page it reached fails. For a
second person, ``new_page()`` opens a page in a context of its own, watched and
checked the same way.
"""

import os

# Playwright's sync API keeps an event loop running in the main thread, which
# makes Django refuse ORM calls made from the test itself.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import dataclasses
import email
import email.policy
import re
import time
import weakref
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import require_service

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000

# Reported by Chromium as console errors too, but collected here as well so a
# violation is named precisely. Init scripts are not subject to the page's CSP.
_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


@dataclasses.dataclass
class _PageState:
    errors: list = dataclasses.field(default_factory=list)  # (text, source URL)
    unchecked_url: str | None = None


_states: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _watch(page) -> _PageState:
    state = _PageState()
    _states[page] = state

    def on_console(message):
        if message.type == "error":
            state.errors.append((message.text, message.location.get("url", "")))

    def on_page_error(error):
        state.errors.append((f"uncaught exception: {error}", page.url))

    def on_navigated(frame):
        if frame == page.main_frame and frame.url != "about:blank":
            state.unchecked_url = frame.url

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("framenavigated", on_navigated)
    page.add_init_script(_CSP_LISTENER)
    return state


def visit_and_check(page, axe, url=None, *, status=200):
    """Open ``url`` (if given), then check the page the browser is showing.

    Checks: the HTTP status (when this call navigated), zero axe-core
    violations, and no console errors or CSP violations. Returns the response
    of the navigation, if any."""
    state = _states[page]
    response = None
    if url is not None:
        response = page.goto(url)
        assert response is not None, f"no response for {url}"
        assert response.status == status, (
            f"{url}: expected HTTP {status}, got {response.status}"
        )
    page.wait_for_load_state("load")
    results = axe.run(page)
    assert results.violations_count == 0, (
        f"axe-core found problems on {page.url}:\n{results.generate_report()}"
    )
    csp_violations = page.evaluate("window.__cspViolations || []")
    assert not csp_violations, (
        f"Content-Security-Policy violations on {page.url}:\n"
        + "\n".join(csp_violations)
    )
    errors = [
        f"{text} ({source})"
        for text, source in state.errors
        # The browser logs an expected error status of the page itself.
        if not (status >= 400 and source == page.url and f"status of {status}" in text)
    ]
    state.errors.clear()
    assert not errors, f"browser console errors on {page.url}:\n" + "\n".join(errors)
    state.unchecked_url = None
    return response


def click_and_check(page, axe, locator, *, status=200):
    """Click something that loads a new page, then check that page."""
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None
    assert response.status == status, (
        f"{response.url}: expected HTTP {status}, got {response.status}"
    )
    return visit_and_check(page, axe, status=status)


def log_in(page, axe, email, password):
    """Fill in and send the login form, checking both pages on the way."""
    visit_and_check(page, axe, "/accounts/login/")
    field(page, "Email").fill(email)
    field(page, "Password").fill(password)
    click_and_check(page, axe, page.get_by_role("button", name="Sign In"))


def field(page, label):
    """The form field with this label; crispy-forms adds "*" to required ones."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def current_path(page):
    return urlsplit(page.url).path


def heading(page, name, level=None):
    return page.get_by_role("heading", name=name, exact=True, level=level)


def totp_code(secret):
    """The code an authenticator app shows now.

    allauth accepts only the current 30-second step (MFA_TOTP_TOLERANCE is 0),
    so never send a code about to expire: wait for the next step instead."""
    totp = pyotp.TOTP(secret)
    left = totp.interval - time.time() % totp.interval
    if left < 2:
        time.sleep(left + 0.05)
    return totp.now()


def wrong_totp_code(secret):
    """A six-digit code that no nearby time step produces."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    valid = {totp.at(now + step * totp.interval) for step in (-2, -1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222") if c not in valid)


def sent_mail(mail_dir: Path) -> list:
    """The messages Django's file e-mail backend wrote to ``mail_dir``."""
    messages = []
    for path in sorted(mail_dir.iterdir(), key=lambda p: p.stat().st_mtime):
        # The backend writes each message followed by a line of 79 dashes.
        for part in path.read_text().split("\n" + "-" * 79 + "\n"):
            if part.strip():
                messages.append(
                    email.message_from_string(part, policy=email.policy.default)
                )
    return messages


def confirmation_link(message, base_url: str) -> str:
    """The e-mail confirmation link in ``message``, pointed at ``base_url``."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body)
    assert match, f"no confirmation link in:\n{body}"
    return base_url + match.group(1)


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture(scope="session")
def browser():
    require_service(
        "Chromium",
        CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
        f"{CHROMIUM} is missing (apt-get install chromium)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def new_page(request, browser, live_server):
    """Opens another page, each in a fresh browser context of its own (so a
    second person, with their own cookies), with its base URL set to the live
    server. Every page is watched like ``page`` and must be checked too.
    Keyword arguments go to ``browser.new_context()``: for example
    ``new_page(viewport={"width": 375, "height": 740}, has_touch=True)`` for
    a phone-sized screen."""
    opened = []

    def open_page(**context_options):
        context = browser.new_context(
            base_url=live_server.url,
            locale="en-GB",
            timezone_id="Europe/London",
            **context_options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        opened.append((context, _watch(page)))
        return page

    yield open_page
    unchecked = [state.unchecked_url for _, state in opened if state.unchecked_url]
    for context, _ in opened:
        context.close()
    if unchecked and not request.node.stash.get(_CALL_FAILED, True):
        pytest.fail(
            f"the test reached {', '.join(unchecked)} without visit_and_check(): "
            "check every page the browser shows"
        )


@pytest.fixture
def page(new_page):
    """A fresh browser context and page for each test, with its base URL set
    to the live server. For a second person, call ``new_page()``."""
    return new_page()
