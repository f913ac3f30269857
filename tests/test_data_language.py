"""One language at a time, data included (ADR 0014): categories and their guidance, activity
kinds, facilitation kinds, routing texts and the feed's summaries are shown in the reader's
language, Dutch when a translation is left empty, in pages and e-mails alike.

The main pages are checked against every translatable value in the database and every kind
label, not a hand-picked list: on an English page no value that exists only in Dutch may show,
and on a Dutch page no value that exists only in English.
"""

import os
import re
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Team, User
from activiteiten.models import Activiteit, Rol, Soort
from buurten.models import Buurt, Wijk
from meldingen import ontvangst, triage
from meldingen.models import Categorie, Doel, Melding, Prioriteit, StatusWijziging
from meldingen.services import Beschrijving
from meldingen.workflow import Status
from notificaties.tasks import relay_notificaties
from tests import factories
from verzoeken.models import Verzoek, VerzoekSoort
from wijkaanpak.talen import vertaling

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SEEDED_AT = datetime(2027, 1, 14, 10, 30, tzinfo=AMSTERDAM)
DATA = Path(settings.BASE_DIR) / "data" / "amsterdam"
KERNCIJFERS = "kerncijfers_wijken_buurten_2024.csv"


class VisibleText(HTMLParser):
    """What a reader sees or hears of a page: text outside scripts and styles, and the
    attributes a browser shows or reads aloud."""

    SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "data-bs-title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(unescape(part).split()) for part in parser.parts)


def matcher(values: set[str]) -> re.Pattern:
    """Finds any of ``values`` as whole words (not "Anders" inside "Andersen"), longest first."""
    alternatives = "|".join(map(re.escape, sorted(values, key=len, reverse=True)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def found(pattern: re.Pattern, text: str) -> set[str]:
    return set(pattern.findall(text))


def data_values() -> dict[str, set[str]]:
    """Every translatable text in the database and every kind label, per language."""
    per_language = {"nl": set(), "en": set()}
    rows = [
        *(
            (categorie, ("naam", "toelichting", "voorbeeld"))
            for categorie in Categorie.objects.all()
        ),
        *((soort, ("naam",)) for soort in Soort.objects.all()),
        *((melding, ("samenvatting",)) for melding in Melding.objects.all()),
    ]
    for code, values in per_language.items():
        values.update(vertaling(row, name, code) for row, names in rows for name in names)
        with translation.override(code):
            labels = [*VerzoekSoort.labels, *Doel.labels]
            labels += [*ontvangst.BEHANDELAAR.values(), *ontvangst.VERVOLG.values()]
            values.update(str(label) for label in labels)
    return per_language


# What people wrote is shown as they wrote it, in whatever language: a resident's "Straatfeest
# Zoutkeetsgracht" or the team "Handhaving Centrum" is no untranslated data.
WRITTEN_BY_PEOPLE = {
    Melding: ("wat", "waar", "adres", "straat", "persoon_kleding", "persoon_kenmerken"),
    Activiteit: ("titel", "beschrijving", "plek", "verslag"),
    Rol: ("naam",),
    Verzoek: ("toelichting", "reden", "verantwoording"),
    StatusWijziging: ("terugkoppeling", "bericht_eerste_melder"),
    Team: ("naam",),
    User: ("weergavenaam",),
    Buurt: ("naam",),
    Wijk: ("naam",),
}


def written_by_people() -> set[str]:
    texts = set()
    for model, fields in WRITTEN_BY_PEOPLE.items():
        for row in model.objects.values_list(*fields):
            texts.update(" ".join(text.split()) for text in row if text)
    # Lists cut long texts (``truncatechars:80``): the part shown counts as well.
    return texts | {f"{text[:79]}…" for text in texts if len(text) > 80}


def without(text: str, texts: list[str]) -> str:
    for written in texts:
        text = text.replace(written, " ")
    return text


def only_in(language: str, values: dict[str, set[str]]) -> set[str]:
    other = next(code for code in values if code != language)
    return {value for value in values[language] - values[other] if value}


@pytest.fixture
def demo(db, settings):
    """The demo a newcomer gets (``make run``), seeded at a fixed moment."""
    settings.DEBUG = True
    with time_machine.travel(SEEDED_AT, tick=False):
        call_command(
            "import_buurten", str(DATA / "kerncijfers_wijken_buurten_2024.csv"), verbosity=0
        )
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return {
        user.email.split("@")[0]: user for user in User.objects.filter(email__contains="@demo.")
    }


def main_pages(demo) -> list[tuple[str, User, str]]:
    """(what, who, url) of the pages people use most, with the data of this issue on them."""
    bewoner, coordinator = demo["bewoner"], demo["coordinator"]
    buurt = bewoner.lidmaatschappen.get(status="lid").buurt
    activiteit = Activiteit.objects.filter(buurt=buurt).first()
    melding = Melding.objects.filter(melders__user=bewoner).first()
    assert activiteit and melding
    verzoek = (  # a submitted one: a resident's draft is hers alone
        Verzoek.objects.filter(buurt__wijk__in=coordinator.team.wijken.all())
        .exclude(status="concept")
        .first()
    )
    pages = [
        ("home (resident)", bewoner, reverse("home")),
        ("melding: categories", bewoner, reverse("meldingen:nieuw")),
        *(
            (f"melding form: {c.naam}", bewoner, reverse("meldingen:nieuw-categorie", args=[c.pk]))
            for c in Categorie.objects.filter(actief=True)
        ),
        ("my meldingen", bewoner, reverse("meldingen:mijn")),
        ("my melding", bewoner, reverse("meldingen:mijn-detail", args=[melding.pk])),
        ("activities", bewoner, reverse("activiteiten:lijst")),
        ("activity form", bewoner, reverse("activiteiten:nieuw")),
        ("activity", bewoner, activiteit.get_absolute_url()),
        ("facilitation form", bewoner, reverse("verzoeken:nieuw")),
        ("my requests", bewoner, reverse("verzoeken:lijst")),
        ("buurt page", bewoner, buurt.get_absolute_url()),
        ("my buurt", bewoner, reverse("indicatoren:mijn-buurt")),
        ("home (police)", demo["politie"], reverse("home")),
        ("feed (police)", demo["politie"], reverse("meldingen:feed")),
        ("feed (enforcement)", demo["handhaving"], reverse("meldingen:feed")),
        ("feed (coordinator)", coordinator, reverse("meldingen:feed")),
        ("coordinator queue", coordinator, reverse("verzoeken:wachtrij")),
        ("request (coordinator)", coordinator, verzoek.get_absolute_url()),
    ]
    police_melding = Melding.objects.filter(doel=Doel.POLITIE).first()
    pages.append(("melding (police)", demo["politie"], police_melding.get_absolute_url()))
    return pages


def read(client, login, user, url, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = login(user).get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert f'<html lang="{language}"' in html, url
    return visible(html)


@pytest.mark.django_db
def test_every_main_page_shows_the_data_in_the_readers_language_only(demo, client, login):
    values = data_values()
    people = written_by_people()
    pages = main_pages(demo)
    own = {language: matcher(only_in(language, values)) for language in values}
    assert len(only_in("nl", values)) > 60 and len(only_in("en", values)) > 60  # not vacuous
    seen = {"nl": set(), "en": set()}
    wrong = []
    with time_machine.travel(SEEDED_AT, tick=False):
        for language, other in (("en", "nl"), ("nl", "en")):
            # What people wrote that holds a value of the other language is left out (so a
            # resident's "Straatfeest" does not count, a category's does).
            ambiguous = [w for w in people if own[other].search(w)]
            ambiguous.sort(key=len, reverse=True)
            for what, user, url in pages:
                text = read(client, login, user, url, language)
                wrong += [(language, what, v) for v in found(own[other], without(text, ambiguous))]
                seen[language] |= found(own[language], text)
    assert wrong == [], "\n".join(map(str, wrong))
    # The pages did show data, in the reader's language: every category with its guidance,
    # every kind of activity and of request, and the feed's summaries.
    for language in ("nl", "en"):
        with translation.override(language):
            for categorie in Categorie.objects.filter(actief=True):
                assert {categorie.vertaald.naam, categorie.vertaald.toelichting} <= seen[language]
                if categorie.vertaald.voorbeeld:
                    assert categorie.vertaald.voorbeeld in seen[language]
            for soort in Soort.objects.filter(actief=True):
                assert soort.vertaald.naam in seen[language]
            assert {str(label) for label in VerzoekSoort.labels} <= seen[language]
        summaries = {vertaling(m, "samenvatting", language) for m in Melding.objects.all()}
        assert len(summaries & seen[language]) >= 3


@pytest.mark.django_db
def test_an_english_reader_sees_the_dutch_text_where_no_english_was_given(login, client, buurt):
    member = factories.LidmaatschapFactory(buurt=buurt).user
    categorie = factories.CategorieFactory(
        naam="Scheve stoeptegel", toelichting="Een tegel die omhoog steekt.", voorbeeld=""
    )
    vertaald = factories.CategorieFactory(
        naam="Losse stoeprand",
        naam_en="Loose kerb",
        toelichting="Een stoeprand die loszit.",
        toelichting_en="",
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = visible(login(member).get(reverse("meldingen:nieuw")).content.decode())
    assert "Scheve stoeptegel" in text and "Een tegel die omhoog steekt." in text
    assert "Loose kerb" in text and "Losse stoeprand" not in text
    assert "Een stoeprand die loszit." in text  # its guidance has no English yet
    with translation.override("en"):
        assert str(categorie) == "Scheve stoeptegel" and str(vertaald) == "Loose kerb"
        assert vertaling({"naam": "Anders", "naam_en": ""}, "naam") == "Anders"
    with translation.override("en-gb"):
        assert vertaald.vertaald.naam == "Loose kerb"
    with translation.override("de"):  # a language the site does not offer: Dutch
        assert vertaald.vertaald.naam == "Losse stoeprand"


@pytest.mark.django_db
def test_the_summary_is_written_in_each_language_when_routed(buurt):
    categorie = factories.CategorieFactory(naam="Drugshandel (test)", naam_en="Drug dealing (test)")
    saturday = datetime(2027, 1, 16, 21, 40, tzinfo=AMSTERDAM)
    with time_machine.travel(saturday, tick=False):
        melding = factories.melding(
            buurt=buurt,
            categorie=categorie,
            wanneer=saturday,
            beschrijving=Beschrijving(persoon_geslacht="vrouw", voertuig_kenteken="AB-123-C"),
            al_112_gebeld=True,
        )
    melding.refresh_from_db()
    assert melding.status != Status.ONTVANGEN
    high = Prioriteit(melding.prioriteit)
    with translation.override("en"):
        label = str(high.label).upper()
    assert melding.samenvatting.startswith(f"[{str(high.label).upper()}] Drugshandel (test) · ")
    assert "za 21:40" in melding.samenvatting and "vrouw" in melding.samenvatting
    assert melding.samenvatting_en.startswith(f"[{label}] Drug dealing (test) · ")
    assert "Sat 21:40" in melding.samenvatting_en
    assert melding.samenvatting_en == triage.summary(melding, language="en")


@pytest.mark.django_db
def test_an_english_recipient_is_mailed_the_category_in_english(buurt, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    categorie = factories.CategorieFactory(naam="Kapotte lantaarn", naam_en="Broken street light")
    nl = factories.LidmaatschapFactory(buurt=buurt).user
    en = factories.LidmaatschapFactory(buurt=buurt, user__taal="en").user
    for user in (nl, en):
        factories.melding(user=user, buurt=buurt, categorie=categorie)
    relay_notificaties()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    english, dutch = by_recipient[en.email], by_recipient[nl.email]
    assert "Broken street light" in english.subject + english.body
    assert "Kapotte lantaarn" not in english.subject + english.body
    assert "Kapotte lantaarn" in dutch.subject + dutch.body
    assert "Broken street light" not in dutch.subject + dutch.body


@pytest.mark.django_db
def test_an_administrator_edits_both_languages_side_by_side(client, login):
    admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    categorie = Categorie.objects.get(naam="Overlast")
    url = reverse("admin:meldingen_categorie_change", args=[categorie.pk])
    client = login(admin)
    page = client.get(url).content.decode()
    assert 'name="naam_en" value="Nuisance"' in page
    form = {
        "naam": "Overlast",
        "naam_en": "Noise and nuisance",
        "toelichting": categorie.toelichting,
        "toelichting_en": "",
        "voorbeeld": categorie.voorbeeld,
        "voorbeeld_en": categorie.voorbeeld_en,
        "ernst": categorie.ernst,
        "reactietermijn_uren": categorie.reactietermijn_uren,
        "trefwoorden": "",
        "volgorde": categorie.volgorde,
        "actief": "on",
    }
    assert client.post(url, form).status_code == 302
    categorie.refresh_from_db()
    assert categorie.naam_en == "Noise and nuisance" and categorie.toelichting_en == ""
    with translation.override("en"):
        assert categorie.vertaald.toelichting == categorie.toelichting  # blank: the Dutch

    soort = Soort.objects.get(naam="Opschoonactie")
    url = reverse("admin:activiteiten_soort_change", args=[soort.pk])
    assert 'name="naam_en" value="Clean-up"' in client.get(url).content.decode()
    form = {"naam": "Opschoonactie", "naam_en": "Litter pick", "volgorde": 20, "actief": "on"}
    assert client.post(url, form).status_code == 302
    soort.refresh_from_db()
    assert soort.naam_en == "Litter pick"


@pytest.mark.django_db
def test_translating_costs_no_query_per_row(client, login, wijk, buurt, police):
    """The feed, the category list and the activity list read the translations from the rows
    they already read: the same queries in both languages, and no more with twice the rows."""
    member = factories.LidmaatschapFactory(buurt=buurt).user
    soorten = list(Soort.objects.all())

    def add_rows(start: int):
        for i in range(start, start + 5):
            categorie = factories.CategorieFactory(naam=f"Categorie {i}", naam_en=f"Category {i}")
            factories.melding(user=member, buurt=buurt, categorie=categorie)
            factories.activiteit(organisator=member, buurt=buurt, soort=soorten[i % len(soorten)])

    pages = {
        "feed": (police, reverse("meldingen:feed")),
        "categories": (member, reverse("meldingen:nieuw")),
        "activities": (member, reverse("activiteiten:lijst")),
    }

    def count(page: str, language: str) -> tuple[int, str]:
        user, url = pages[page]
        login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        cache.clear()  # each language builds the page (the feed caches its rows: ADR 0007)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), visible(response.content.decode())

    add_rows(0)
    before = {}
    for page in pages:
        (dutch, nl_text), (english, en_text) = count(page, "nl"), count(page, "en")
        assert dutch == english, page
        shown = soorten[3].naam_en if page == "activities" else "Category 3"
        assert shown in en_text and shown not in nl_text, page
        before[page] = english
    add_rows(5)
    assert {page: count(page, "en")[0] for page in pages} == before
