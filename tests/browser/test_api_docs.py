"""The API docs (Swagger UI) render in Chromium under the site's strict CSP: assets from the
site itself, no inline script or style, no console errors."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_every_operation_without_csp_errors(page, live_server):
    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_text("/api/v1/meldingen/feed/").first.wait_for()
    assert page.get_by_text("/api/v1/activiteiten/{id}/").count() >= 1
    assert page.get_by_role("button", name="Authorize").count() == 1
