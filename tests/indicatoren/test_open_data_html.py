"""Text that reads "< 10 mensen" must reach the page as "&lt; 10": a bare "<" (or "&") in HTML
is a parse error (the W3C checker refused the open-data page). ``{% translate "…" %}`` outputs its
literal unescaped, so the class of fault is any template literal with such a character."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

BARE = re.compile(r"<(?![A-Za-z/!?])|&(?!#?\w+;)")
TRANSLATED_LITERAL = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1""", re.S)
BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b[^%]*%\}(.*?)\{%\s*endblocktrans", re.S)
# <script> and <style> hold no markup: "a < b" is fine there.
RAW_TEXT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


def bare_characters(html: str) -> list[str]:
    html = RAW_TEXT.sub("", html)
    return [html[max(m.start() - 30, 0) : m.end() + 30] for m in BARE.finditer(html)]


@pytest.mark.django_db
def test_the_open_data_page_escapes_its_less_than_sign(client):
    response = client.get(reverse("indicatoren:open-data"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "“&lt; 10 mensen”" in html and "“te weinig antwoorden”" in html
    assert bare_characters(html) == []


def test_no_translated_template_text_holds_a_bare_less_than_or_ampersand():
    found = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        source = path.read_text()
        texts = [m[2] for m in TRANSLATED_LITERAL.finditer(source)]
        texts += BLOCK.findall(source)
        found += [f"{path.name}: {text!r}" for text in texts if BARE.search(text)]
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/accounts/signup/", "/indicatoren/open-data/", "/api/docs/"]
)
def test_public_pages_have_no_bare_less_than_or_ampersand(client, url):
    response = client.get(url, HTTP_X_FORWARDED_PROTO="https", follow=True)
    assert response.status_code == 200
    assert bare_characters(response.content.decode()) == []
