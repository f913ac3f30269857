import os

import pytest

from tests.conftest import CHROMIUM

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="package")
def chromium():
    """Chromium for the browser tests, and Playwright's event loop in this thread with it.

    While that loop runs, Django would refuse ORM calls from this thread; the calls the tests
    (and their database teardown) make between page actions are ordinary synchronous calls,
    so the guard is lifted for exactly as long as Playwright runs.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(chromium):
    """Phone-sized pages, each in its own browser context (its own person), in a Dutch browser
    unless a test asks for another ``locale``; the test fails on any console error in any of
    them (CSP violations included)."""
    contexts, errors = [], []

    def make(*, locale="nl-NL", width=390):
        context = chromium.new_context(viewport={"width": width, "height": 844}, locale=locale)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                errors.append(f"{msg.text} ({msg.location.get('url') or page.url})")
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # The console says only "Failed to load resource: 404": name the address as well.
        page.on(
            "response",
            lambda response: (
                errors.append(f"{response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def page(new_page):
    return new_page()
