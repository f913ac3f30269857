"""Pages fit the screen: the menu on one line from 1200 px up (it folds below), and long words
that residents type wrap on a phone instead of widening the page."""

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.test_melding_journey import fresh_totp_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def page_fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_longest_menu_fits_on_one_line_on_a_desktop(new_page, live_server):
    buurt = factories.BuurtFactory()
    coordinator = factories.professional(
        "coordinator", buurt.wijk, weergavenaam="Coördinator Karin-Anneke"
    )
    page = new_page()
    sign_in(page, live_server.url, coordinator)
    page.get_by_label("Code").fill(fresh_totp_code(coordinator))
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Welkom").wait_for()
    for width in (1200, 1280, 1400):
        page.set_viewport_size({"width": width, "height": 800})
        page.reload()
        nav = page.locator("nav.navbar").bounding_box()
        assert nav["height"] < 70, width  # one line
        assert page_fits(page), width
        assert page.get_by_role("button", name="EN").is_visible()


def test_a_long_word_wraps_on_a_phone(new_page, live_server):
    buurt = factories.BuurtFactory()
    member = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(
        organisator=member,
        buurt=buurt,
        titel="Buurtbarbecue" + "x" * 80,
        start=timezone.now() + timezone.timedelta(days=3),
    )
    page = new_page()  # 390 px wide
    sign_in(page, live_server.url, member)
    page.goto(live_server.url + activiteit.get_absolute_url())
    page.get_by_role("heading", name="Buurtbarbecue").wait_for()
    assert page_fits(page)
