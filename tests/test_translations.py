"""The English catalogue is complete and compiled, and the English site speaks English.

Our source strings are Dutch (docs/adr/0002-dutch-source-strings.md); a string missing from
``locale/en`` shows in Dutch to a visitor who chose English. ``make messages`` regenerates the
catalogues; these tests say when someone forgot to translate or to compile. The .po files are
read with a small parser of our own (no dependency for one test file).
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from buurten import services as buurt_services
from meldingen.models import Doel, Melder, RoutingRegel
from tests import factories

LOCALE = Path(settings.BASE_DIR) / "locale"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def label(self) -> str:
        return self.msgid[:70]


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header left out; obsolete ones kept and marked."""
    entries, entry, target = [], Entry(), None

    def flush():
        nonlocal entry, target
        if entry.msgid or entry.msgstr:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith(("#", "|")):
                continue  # an obsolete entry's comments and previous msgid
        elif not line:
            flush()
            continue
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        elif line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = None, line
        elif keyword in ("msgctxt", "msgid") and entry.msgstr:
            flush()  # entries without a blank line between them
        text = ast.literal_eval(rest)  # PO strings use C escapes, a subset of Python's
        if keyword is not None:
            target = keyword
            if keyword.startswith("msgstr["):
                entry.msgstr[int(keyword[7:-1])] = ""
            elif keyword == "msgstr":
                entry.msgstr[0] = ""
            else:
                setattr(entry, keyword, "")
        if target.startswith("msgstr"):
            index = int(target[7:-1]) if target.startswith("msgstr[") else 0
            entry.msgstr[index] += text
        else:
            setattr(entry, target, getattr(entry, target) + text)
    flush()
    return [entry for entry in entries if entry.msgid]


ENGLISH = LOCALE / "en" / "LC_MESSAGES" / "django.po"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def placeholders(text: str) -> list[str]:
    return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%")


def test_the_parser_reads_the_catalogue():
    entries = {entry.msgid: entry for entry in parse_po(ENGLISH)}
    assert len(entries) > 1000
    assert entries["Ik ook"].msgstr == {0: "Me too"}
    email = entries[next(key for key in entries if key.startswith("Hallo,\n\nEen bewoner"))]
    assert email.msgstr[0].startswith("Hello,\n\nA resident") and "%(url)s" in email.msgstr[0]
    plural = entries["%(counter)s buur vraagt om lid te worden."]
    assert plural.msgid_plural == "%(counter)s buren vragen om lid te worden."
    assert set(plural.msgstr) == {0, 1}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(path):
    entries = parse_po(path)
    untranslated = [e.label for e in entries if not all(e.msgstr.values()) and not e.obsolete]
    fuzzy = [e.label for e in entries if "fuzzy" in e.flags and not e.obsolete]
    obsolete = [e.label for e in entries if e.obsolete]
    assert (untranslated, fuzzy, obsolete) == ([], [], [])
    for entry in entries:
        expected = {0, 1} if entry.msgid_plural is not None else {0}
        assert set(entry.msgstr) == expected, entry.label


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_translations_keep_every_placeholder_tag_and_paragraph(path):
    problems = []
    for entry in parse_po(path):
        if entry.obsolete:
            continue
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for index, translation in entry.msgstr.items():
            source = sources[min(index, len(sources) - 1)]
            if "python-format" in entry.flags and placeholders(translation) != placeholders(source):
                problems.append(("placeholders", entry.label, translation))
            if sorted(TAG.findall(translation)) != sorted(TAG.findall(source)):
                problems.append(("tags", entry.label, translation))
            if translation.count("\n\n") != source.count("\n\n"):
                problems.append(("paragraphs", entry.label, translation))
    assert problems == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_the_compiled_catalogue_matches_the_po_file(path):
    """A .mo compiled before the last edit of its .po would serve old or no translations."""
    with open(path.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in parse_po(path):
        if entry.obsolete:
            continue
        if entry.msgid_plural is not None:
            forms = {
                0: compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                if entry.msgctxt
                else compiled.ngettext(entry.msgid, entry.msgid_plural, 1),
                1: compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
                if entry.msgctxt
                else compiled.ngettext(entry.msgid, entry.msgid_plural, 2),
            }
        else:
            forms = {
                0: compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else compiled.gettext(entry.msgid)
            }
        if forms != entry.msgstr:
            stale.append(entry.label)
    assert stale == []


# What an English-speaking visitor sees, on pages with strings that are new this round.


@pytest.fixture
def english(client):
    """The language switch as the site offers it (a cookie, set by Django's set_language)."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


@pytest.mark.django_db
def test_the_reveal_form_asks_for_grounds_in_english(english, login, buurt, police):
    categorie = factories.CategorieFactory(naam="Verdachte situatie (test)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    melding = factories.melding(buurt=buurt, categorie=categorie, bescherming="contact")
    melder = Melder.objects.get(melding=melding)
    client = login(police)

    page = client.get(reverse("meldingen:detail", kwargs={"pk": melding.pk})).content.decode()
    assert '<html lang="en">' in page
    assert "Police report filed or ongoing investigation" in page
    assert "Danger to the reporter or others" in page
    assert "A case number (for example 2026-123456) or a sentence of at least six words." in page
    assert "Aangifte of lopend onderzoek" not in page

    url = reverse("meldingen:inzage", kwargs={"pk": melder.pk})
    refused = client.post(url, {"grond": "", "reden": "aaaaa"}, follow=True).content.decode()
    assert "Choose the grounds on which you need the reporter&#x27;s details." in refused
    assert melder.user.email not in refused


@pytest.mark.django_db
def test_a_professional_signed_out_for_inactivity_is_told_so_in_english(english, login, wijk):
    with time_machine.travel(
        datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False
    ) as clock:
        client = login(factories.professional("politie", wijk))
        assert client.get("/").wsgi_request.user.is_authenticated
        clock.shift(timedelta(minutes=31))
        page = client.get("/", follow=True).content.decode()
    assert "You were inactive for a while and have been logged out. Please log in again." in page


@pytest.mark.django_db
def test_the_vouching_rules_on_the_buurt_page_are_in_english(english, login, buurt):
    start = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")).astimezone(UTC)
    with time_machine.travel(start, tick=False):
        new = factories.LidmaatschapFactory(buurt=buurt, decided_at=start).user
        buurt_services.aanvraag_create(
            user=factories.UserFactory(weergavenaam="Nieuwe buur"), buurt=buurt
        )
        page = login(new).get(buurt.get_absolute_url()).content.decode()
    assert "1 neighbour is asking to join." in page
    assert "You can vouch for neighbours from 1 April 2026, 30 days after you joined." in page
    assert "Members who joined with an invite code cannot vouch." in page

    veteran = factories.LidmaatschapFactory(buurt=buurt).user
    page = login(veteran).get(buurt.get_absolute_url()).content.decode()
    assert "Only vouch for someone you know lives in this neighbourhood." in page
    assert "You can vouch for at most 3 neighbours every 30 days." in page
    assert "Sta alleen in" not in page
