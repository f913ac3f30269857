"""One module decides who may reach what (``accounts.access``): the menu each role sees and the
views each role may open agree, and templates ask that module instead of comparing roles."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver, reverse

from accounts.access import SECTIONS, may_reach
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["bewoner", "coordinator", "politie", "handhaving", "beheerder"]

# What each role may reach today, written out: a change to the table in accounts.access that
# lets a role in or out of a section shows up here as a deliberate edit.
REACHES = {
    "bewoner": {
        "melden",
        "mijn_meldingen",
        "mijn_verzoeken",
        "onze_buurt",
        "verzoek_doen",
        "peiling",
        "lid_worden",
        "organiseren",
        "berichten",
    },
    "coordinator": {
        "mijn_meldingen",
        "mijn_verzoeken",
        "feed",
        "nieuwe_leden",
        "verzoeken_beslissen",
        "indicatoren",
        "peilingen",
        "berichten",
    },
    "politie": {"mijn_meldingen", "feed", "berichten"},
    "handhaving": {"mijn_meldingen", "feed", "berichten"},
    # Administrators may open every section to help, except asking for support themselves.
    "beheerder": set(SECTIONS) - {"verzoek_doen"},
}

MENU = {
    "bewoner": ["Melding doen", "Mijn meldingen", "Mijn verzoeken", "Onze buurt"],
    "coordinator": ["Meldingen", "Nieuwe leden", "Verzoeken", "Indicatoren"],
    "politie": ["Meldingen"],
    "handhaving": ["Meldingen"],
    "beheerder": ["Beheer"],
}

# Links every visitor has, before the sections of their role.
EVERYONE = ["Buurten", "Activiteiten"]
NAV_LINK = re.compile(r'<a class="nav-link" href="([^"]+)">([^<]+)')


@pytest.fixture
def user_of(buurt, wijk):
    def make(role):
        if role == "bewoner":  # a verified member: the resident's pages are all there for them
            return factories.LidmaatschapFactory(buurt=buurt).user
        if role == "beheerder":
            return factories.UserFactory(role=role, is_staff=True, is_superuser=True)
        return factories.professional(role, wijk)

    return make


def _menu(client) -> list[tuple[str, str]]:
    return [(label.strip(), href) for href, label in NAV_LINK.findall(client.get("/").text)]


def _refused(response, section: str) -> bool:
    if section == "beheer":  # Django's admin keeps its own gate: it sends others to its sign-in
        return response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    return response.status_code == (404 if SECTIONS[section].hidden else 403)


@pytest.mark.parametrize("role", ROLES)
def test_the_table_gives_each_role_what_it_may_reach(user_of, role):
    user = user_of(role)
    assert {section for section in SECTIONS if may_reach(user, section)} == REACHES[role]


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_a_role_sees_opens(user_of, login, role):
    client = login(user_of(role))
    menu = _menu(client)
    assert [label for label, _href in menu] == EVERYONE + MENU[role]
    for label, href in menu:
        assert client.get(href).status_code == 200, label


@pytest.mark.parametrize("role", ROLES)
def test_every_section_a_role_may_not_reach_refuses_it(user_of, login, role):
    client = login(user_of(role))
    for name, section in SECTIONS.items():
        if section.url_name and name not in REACHES[role]:
            assert _refused(client.get(reverse(section.url_name)), name), name


def _section_urls():
    """Every URL whose view asks ``section_required``, with made-up ids (a refusal comes first)."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif hasattr(pattern.callback, "section"):
                kwargs = {
                    key: 1 if converter.regex == "[0-9]+" else "x"
                    for key, converter in pattern.pattern.converters.items()
                }
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield pattern.callback.section, reverse(name, kwargs=kwargs)

    return list(walk(get_resolver().url_patterns, None))


def test_every_section_has_its_views():
    # The administrators' section is Django's admin, which keeps its own gate.
    assert {section for section, _url in _section_urls()} == set(SECTIONS) - {"beheer"}


@pytest.mark.parametrize("role", ROLES)
def test_every_view_of_a_section_refuses_those_who_may_not_reach_it(user_of, login, role):
    client = login(user_of(role))
    refused = [(section, url) for section, url in _section_urls() if section not in REACHES[role]]
    for section, url in refused:
        assert _refused(client.get(url), section), url


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(client):
    for _section, url in _section_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def _templates():
    for folder in settings.TEMPLATES[0]["DIRS"]:
        yield from Path(folder).rglob("*.html")


def test_templates_ask_the_access_module_instead_of_comparing_roles():
    role_check = re.compile(r"user\.(role\s*(==|!=|\bin\b)|is_staff|is_superuser)")
    offenders = [str(path) for path in _templates() if role_check.search(path.read_text())]
    assert offenders == []


def test_templates_name_only_sections_that_exist():
    used = {
        name for path in _templates() for name in re.findall(r"\baccess\.(\w+)", path.read_text())
    }
    assert used <= set(SECTIONS) | {"menu"}
    assert used  # the templates do ask
