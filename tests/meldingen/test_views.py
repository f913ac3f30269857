"""Meldingen pages per role and scope, bad input, and reporters' protection."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from meldingen import services
from meldingen.models import Doel, Inzage, Melder, Melding, RoutingRegel
from meldingen.photos import clean_photo
from meldingen.views import MAX_REQUEST_BYTES
from meldingen.workflow import Actie
from tests import factories

pytestmark = pytest.mark.django_db

CANARY_NAME = "Canarie-Kwetter"
CANARY_EMAIL = "canarie.kwetter@example.org"


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(naam="Verdachte situatie (test)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


@pytest.fixture
def canary(buurt):
    """A reporter whose name and address must never show on anyone else's page."""
    user = factories.UserFactory(weergavenaam=CANARY_NAME, email=CANARY_EMAIL)
    factories.LidmaatschapFactory(user=user, buurt=buurt)
    return user


IN_TWO_DAYS = object()


def form_data(**overrides):
    data = {
        "wat": "Twee mannen proberen fietsen los te knippen.",
        "waar": "Fietsenrek bij de supermarkt",
        "wanneer": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "bescherming": "coordinator",
    }
    data.update(overrides)
    return data


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "blue")
    exif = image.getexif()
    exif[0x010F] = "CANARY-CAMERA"
    exif.get_ifd(0x8825)[2] = (52.0, 22.0, 30.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


# --- reporting -------------------------------------------------------------------------------


def test_the_form_starts_with_the_112_gate(login, member):
    html = login(member).get(reverse("meldingen:nieuw")).content.decode()
    assert 'href="tel:112"' in html
    assert "0800-7000" in html and "0900-8844" in html


def test_non_members_are_sent_to_join_first(login, resident, police, categorie):
    response = login(resident).get(reverse("meldingen:nieuw"), follow=True)
    assert "Word eerst lid van je buurt" in response.content.decode()
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    assert login(police).get(url).status_code == 403


def test_a_resident_reports_with_a_photo_and_follows_it(login, member, categorie):
    client = login(member)
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), "image/jpeg")
    response = client.post(url, {**form_data(persoon_kleding="groene jas"), "fotos": upload})

    melding = Melding.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk})
    assert melding.persoon_kleding == "groene jas"
    detail = client.get(response.url).content.decode()
    assert "Fietsenrek bij de supermarkt" in detail
    foto = melding.fotos.get()
    served = client.get(reverse("meldingen:foto", kwargs={"pk": foto.pk}))
    body = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg"
    assert b"CANARY-CAMERA" not in body and b"GPS" not in body
    assert "IMG_0001" not in foto.bestand.name


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"wat": ""}, "Dit veld is verplicht"),
        ({"wat": "x" * 1001}, "niet meer dan 1000 tekens"),
        ({"wanneer": "gisteren ergens"}, "Voer een geldige datum/tijd in"),
        ({"wanneer": IN_TWO_DAYS}, "in de toekomst"),
        ({"telefoon": "0612345678"}, "alleen als politie of handhaving"),
        ({"telefoon": "bel me", "bescherming": "contact"}, "geen telefoonnummer"),
        ({"bescherming": "iedereen"}, "Selecteer een geldige keuze"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    login, member, categorie, overrides, message
):
    if overrides.get("wanneer") is IN_TWO_DAYS:  # read the clock when the test runs
        in_two_days = timezone.localtime() + timedelta(days=2)
        overrides = {"wanneer": in_two_days.strftime("%Y-%m-%dT%H:%M")}
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    response = login(member).post(url, form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Melding.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused(login, member, categorie):
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not an image", "image/jpeg")
    response = login(member).post(url, {**form_data(), "fotos": fake})
    assert "geen foto" in response.content.decode()
    assert not Melding.objects.exists()


def test_submissions_are_rate_limited(login, member, categorie, settings):
    settings.WIJKAANPAK_MELDING_RATE = "2/h"
    client = login(member)
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    assert [client.post(url, form_data()).status_code for _ in range(3)] == [302, 302, 429]
    assert "erg veel meldingen" in client.post(url, form_data()).content.decode()
    assert Melding.objects.count() == 2


OWN_WORDS = "Hij stond weer bij mijn voordeur op nummer 12"
OWN_PLACE = "Zoutkeetsgracht 12, mijn portiek"
OWN_DESCRIPTION = "Kevin van nummer 14, zoon van de bakker"
PLATE = "XX-123-Y"
# The reporter's exact point, as any page would write it (map attribute or text).
OWN_POINT = (52.387712, 4.888345)
PRIVATE = (
    CANARY_NAME,
    CANARY_EMAIL,
    OWN_WORDS,
    OWN_PLACE,
    OWN_DESCRIPTION,
    "groene jas",
    PLATE,
    "52.3877",
    "4.8883",
    "data-punt",
)


def test_ik_ook_shows_open_cases_without_reporters_and_joins(login, buurt, canary, categorie):
    upload = SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")
    existing = factories.melding(
        user=canary,
        categorie=categorie,
        wat=OWN_WORDS,
        waar=OWN_PLACE,
        latitude=OWN_POINT[0],
        longitude=OWN_POINT[1],
        beschrijving=services.Beschrijving(
            persoon_geslacht="man",
            persoon_kleding="groene jas",
            persoon_kenmerken=OWN_DESCRIPTION,
            voertuig_kleur="zwart",
            voertuig_kenteken=PLATE,
        ),
        fotos=[clean_photo(upload)],
    )
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    client = login(neighbour)
    html = client.get(
        reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    ).content.decode()
    # The time, and that a person and a vehicle were described: never the descriptions,
    # which are the reporter's free text and may name a neighbour.
    assert "Ik ook" in html and "met beschrijving van een persoon" in html
    assert "met beschrijving van een voertuig" in html
    for private in PRIVATE:
        assert private not in html

    client.post(
        reverse("meldingen:ik-ook", kwargs={"pk": existing.pk}), {"bescherming": "coordinator"}
    )
    existing.refresh_from_db()
    assert existing.gewicht == 2

    # Joining shows what happens to the case, not the neighbour's words, place or photos.
    pages = [
        client.get(reverse("meldingen:mijn")),
        client.get(reverse("meldingen:mijn-detail", kwargs={"pk": existing.pk})),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200 and categorie.naam in html
        for private in PRIVATE:
            assert private not in html
    assert "Ik ook" in pages[0].content.decode()
    # The buurt page draws the buurt's shape only: no pins of anyone's meldingen.
    buurt_page = client.get(reverse("buurten:detail", kwargs={"code": buurt.code}))
    for private in PRIVATE:
        assert private not in buurt_page.content.decode()
    foto = reverse("meldingen:foto", kwargs={"pk": existing.fotos.get().pk})
    assert client.get(foto).status_code == 404
    assert 'src="' + foto not in pages[1].content.decode()
    # The reporter still sees everything they wrote, and their photo.
    own = login(canary)
    html = own.get(reverse("meldingen:mijn-detail", kwargs={"pk": existing.pk})).content.decode()
    assert OWN_WORDS in html and OWN_PLACE in html and 'src="' + foto in html
    assert OWN_DESCRIPTION in html and PLATE in html
    assert own.get(foto).status_code == 200


def test_foreign_ids_are_404(login, member, other_buurt, categorie):
    foreign = factories.melding(buurt=other_buurt, categorie=categorie)
    client = login(member)
    assert (
        client.post(
            reverse("meldingen:ik-ook", kwargs={"pk": foreign.pk}), {"bescherming": "coordinator"}
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("meldingen:mijn-detail", kwargs={"pk": foreign.pk})).status_code == 404
    )
    foreign.refresh_from_db()
    assert foreign.gewicht == 1


# --- the feed ------------------------------------------------------------------------------


def test_feed_shows_each_organisation_its_own_area_and_target(
    login, buurt, other_buurt, police, enforcement, coordinator, categorie
):
    dumping = factories.CategorieFactory(naam="Dumping (test)")
    RoutingRegel.objects.create(volgorde=1, categorie=dumping, doel=Doel.HANDHAVING)
    mine = factories.melding(buurt=buurt, categorie=categorie, waar="Mijn plek")
    theirs = factories.melding(buurt=other_buurt, categorie=categorie, waar="Elders")
    afval = factories.melding(buurt=buurt, categorie=dumping, waar="Afvalhoek")

    police_feed = login(police).get(reverse("meldingen:feed")).content.decode()
    assert mine.samenvatting in police_feed
    assert theirs.samenvatting not in police_feed and afval.samenvatting not in police_feed
    enforcement_feed = login(enforcement).get(reverse("meldingen:feed")).content.decode()
    assert afval.samenvatting in enforcement_feed and mine.samenvatting not in enforcement_feed
    coordinator_feed = login(coordinator).get(reverse("meldingen:feed")).content.decode()
    assert mine.samenvatting in coordinator_feed and afval.samenvatting in coordinator_feed
    assert theirs.samenvatting not in coordinator_feed

    assert (
        login(police).get(reverse("meldingen:detail", kwargs={"pk": theirs.pk})).status_code == 404
    )
    assert (
        login(police).get(reverse("meldingen:detail", kwargs={"pk": afval.pk})).status_code == 404
    )
    assert login(factories.UserFactory()).get(reverse("meldingen:feed")).status_code == 403


def test_feed_pages_by_keyset_with_a_constant_number_of_queries(
    login, buurt, police, categorie, django_assert_max_num_queries
):
    for _i in range(30):
        factories.melding(buurt=buurt, categorie=categorie)
    client = login(police)
    with django_assert_max_num_queries(12) as first_queries:
        first = client.get(reverse("meldingen:feed"))
    rows = first.context["page"].rows
    assert len(rows) == 25
    keys = [(m.prioriteit, m.created_at, m.pk) for m in rows]
    assert keys == sorted(keys, reverse=True)

    cursor = first.context["page"].next_cursor
    with django_assert_max_num_queries(len(first_queries)):
        second = client.get(reverse("meldingen:feed"), {"na": cursor})
    rest = second.context["page"].rows
    assert len(rest) == 5 and second.context["page"].next_cursor is None
    assert {m.pk for m in rows}.isdisjoint({m.pk for m in rest})
    assert "OFFSET" not in " ".join(q["sql"] for q in first_queries.captured_queries)
    # A damaged cursor starts at the top instead of failing.
    assert client.get(reverse("meldingen:feed"), {"na": "%%%"}).status_code == 200


def test_feed_filters_and_bad_filter_values(login, buurt, police, categorie):
    factories.melding(buurt=buurt, categorie=categorie)
    client = login(police)
    wrong = client.get(reverse("meldingen:feed"), {"categorie": "999999", "periode": "ooit"})
    assert wrong.status_code == 200
    assert "Selecteer een geldige keuze" in wrong.content.decode()
    ok = client.get(
        reverse("meldingen:feed"),
        {"categorie": categorie.pk, "periode": "24h", "wijk": buurt.wijk.code},
    )
    assert len(ok.context["page"].rows) == 1


def test_the_feed_says_when_each_melding_was_made_with_the_year(login, buurt, police, categorie):
    import time_machine

    with time_machine.travel("2025-11-24 21:40 +0100", tick=False):
        old = factories.melding(buurt=buurt, categorie=categorie, wanneer=timezone.now())
    html = login(police).get(reverse("meldingen:feed"), {"status": "alle"}).content.decode()
    assert "gemeld 24 nov 2025 21:40" in html
    assert link_to(old) in html


def link_to(melding) -> str:
    return f'href="{reverse("meldingen:detail", kwargs={"pk": melding.pk})}"'


def test_handling_closing_with_feedback_reaches_the_reporter(
    login, buurt, police, canary, categorie
):
    melding = factories.melding(user=canary, categorie=categorie)
    client = login(police)
    url = reverse("meldingen:actie", kwargs={"pk": melding.pk})

    refused = client.post(url, {"actie": Actie.AFSLUITEN, "terugkoppeling": ""}, follow=True)
    assert "Schrijf een kort bericht" in refused.content.decode()
    client.post(
        url,
        {
            "actie": Actie.AFSLUITEN,
            "terugkoppeling": "Doorgegeven, meer details kunnen we niet delen.",
        },
    )
    melding.refresh_from_db()
    assert melding.status == "afgesloten"

    reporter_view = login(canary).get(reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk}))
    html = reporter_view.content.decode()
    assert "Doorgegeven, meer details kunnen we niet delen." in html
    assert "Nee, niet opgelost" in html
    # The message is read before the question whether it is solved, also on a phone.
    assert html.index("Doorgegeven, meer details") < html.index("Is het opgelost?")
    assert police.weergavenaam not in html  # the officer's name stays with the team


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"actie": Actie.AFSLUITEN, "terugkoppeling": "Te lang. " * 130},
            "niet meer dan 1000 tekens",
        ),
        ({"actie": "opblazen", "terugkoppeling": "Gedaan."}, "Kies wat je met de melding doet"),
        ({"terugkoppeling": "Gedaan."}, "Kies wat je met de melding doet"),
    ],
)
def test_a_refused_action_keeps_the_message_and_says_what_to_change(
    login, buurt, police, categorie, data, message
):
    melding = factories.melding(buurt=buurt, categorie=categorie)
    response = login(police).post(reverse("meldingen:actie", kwargs={"pk": melding.pk}), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert data["terugkoppeling"].strip() in html  # not lost: the officer corrects it
    melding.refresh_from_db()
    assert melding.status == "gerouteerd"
    assert not melding.historie.filter(door=police).exists()


def test_reporter_identity_never_leaks_and_reveals_are_audited(
    login, buurt, police, coordinator, canary, categorie
):
    protected = factories.melding(user=canary, categorie=categorie, bescherming="coordinator")
    contact = factories.melding(user=canary, categorie=categorie, bescherming="contact")
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user

    pages = [
        login(police).get(reverse("meldingen:feed")),
        login(police).get(reverse("meldingen:detail", kwargs={"pk": protected.pk})),
        login(police).get(reverse("meldingen:detail", kwargs={"pk": contact.pk})),
        login(coordinator).get(reverse("meldingen:detail", kwargs={"pk": protected.pk})),
        login(neighbour).get(reverse("meldingen:mijn")),
        login(neighbour).get(reverse("buurten:detail", kwargs={"code": buurt.code})),
        login(neighbour).get(
            reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
        ),
    ]
    for page in pages:
        html = page.content.decode()
        assert CANARY_NAME not in html and CANARY_EMAIL not in html, page.request["PATH_INFO"]

    police_client = login(police)
    protected_melder = Melder.objects.get(melding=protected)
    contact_melder = Melder.objects.get(melding=contact)
    inzage = reverse("meldingen:inzage", kwargs={"pk": protected_melder.pk})
    assert police_client.post(inzage, REASON).status_code == 404
    # Whatever is typed: a form error would say that this reporter exists, and where.
    for bad in ({"grond": "aangifte", "reden": ""}, {"grond": "nergens", "reden": "x"}, {}):
        refused = police_client.post(inzage, bad)
        missing = police_client.post(
            reverse("meldingen:inzage", kwargs={"pk": contact_melder.pk + 1000}), bad
        )
        assert refused.status_code == missing.status_code == 404
        assert [t.name for t in refused.templates] == [t.name for t in missing.templates]
        assert protected.referentie not in refused.content.decode()
    no_reason = police_client.post(
        reverse("meldingen:inzage", kwargs={"pk": contact_melder.pk}),
        {"grond": "aangifte", "reden": ""},
        follow=True,
    )
    assert "waarom je de gegevens" in no_reason.content.decode()
    revealed = police_client.post(
        reverse("meldingen:inzage", kwargs={"pk": contact_melder.pk}), REASON, follow=True
    )
    assert CANARY_EMAIL in revealed.content.decode()
    assert "no-store" in revealed["Cache-Control"]
    assert list(Inzage.objects.values_list("door", "grond", "reden")) == [
        (police.pk, "aangifte", "PL1300-2026123456")
    ]


REASON = {"grond": "aangifte", "reden": "PL1300-2026123456"}


@pytest.fixture
def revealed(login, buurt, canary, categorie):
    """A police officer has just revealed a consenting reporter: (officer, page url)."""
    police = factories.professional("politie", buurt.wijk)
    melding = factories.melding(user=canary, categorie=categorie, bescherming="contact")
    melder = Melder.objects.get(melding=melding)
    response = login(police).post(reverse("meldingen:inzage", kwargs={"pk": melder.pk}), REASON)
    assert response.status_code == 302
    return police, response.url


@pytest.mark.parametrize(
    ("reden", "message"),
    [
        ("", "waarom je de gegevens"),
        ("x", "minstens 6 woorden"),
        ("   aaaaa   ", "minstens 6 woorden"),
        ("r" * 201, "hooguit 200 tekens"),
    ],
)
def test_a_reveal_needs_a_reason_an_auditor_can_follow(
    login, buurt, canary, categorie, reden, message
):
    police = factories.professional("politie", buurt.wijk)
    melding = factories.melding(user=canary, categorie=categorie, bescherming="contact")
    melder = Melder.objects.get(melding=melding)
    response = login(police).post(
        reverse("meldingen:inzage", kwargs={"pk": melder.pk}),
        {"grond": "afhandeling", "reden": reden},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert CANARY_EMAIL not in html
    assert not Inzage.objects.exists()


def test_refreshing_a_reveal_shows_it_again_without_a_second_audit_entry(login, revealed):
    police, url = revealed
    first = login(police).get(url)
    again = login(police).get(url)
    for page in (first, again):
        html = page.content.decode()
        assert CANARY_EMAIL in html and "PL1300-2026123456" in html
        assert "no-store" in page["Cache-Control"]
    assert Inzage.objects.count() == 1


def test_a_reveal_is_readable_only_by_who_made_it(login, buurt, revealed):
    _officer, url = revealed
    colleague = factories.professional("politie", buurt.wijk)
    coordinator = factories.professional("coordinator", buurt.wijk)
    for other in (colleague, coordinator):
        response = login(other).get(url)
        assert response.status_code == 404
        assert CANARY_EMAIL not in response.content.decode()


def test_a_lapsed_reveal_asks_for_a_new_one(login, revealed):
    police, url = revealed
    Inzage.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    response = login(police).get(url, follow=True)
    html = response.content.decode()
    assert CANARY_EMAIL not in html
    assert "inzage is verlopen" in html
    assert response.redirect_chain[-1][0].endswith(
        reverse("meldingen:detail", kwargs={"pk": Inzage.objects.get().melder.melding_id})
    )
    assert Inzage.objects.count() == 1


def test_a_reveal_closes_when_the_reporter_is_erased(login, revealed):
    police, url = revealed
    melding = Inzage.objects.get().melder.melding
    services.melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Doorgezet."
    )
    services.meldingen_anonymise(dry_run=False, now=timezone.now() + timedelta(days=181))
    response = login(police).get(url, follow=True)
    assert CANARY_EMAIL not in response.content.decode()
    assert "inzage is verlopen" in response.content.decode()


def test_photos_only_for_the_reporter_and_the_handlers(
    login, buurt, other_buurt, police, member, categorie
):
    upload = SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")
    melding = factories.melding(
        user=member,
        categorie=categorie,
        fotos=[clean_photo(upload)],
    )
    url = reverse("meldingen:foto", kwargs={"pk": melding.fotos.get().pk})
    assert login(member).get(url).status_code == 200
    assert login(police).get(url).status_code == 200
    assert login(factories.LidmaatschapFactory(buurt=buurt).user).get(url).status_code == 404
    assert login(factories.professional("politie", other_buurt.wijk)).get(url).status_code == 404


@pytest.mark.parametrize("keuze", ["", "misschien", "OPGELOST", "niet opgelost"])
def test_a_verdict_other_than_the_two_buttons_changes_nothing(
    login, buurt, police, member, categorie, keuze
):
    melding = factories.melding(user=member, categorie=categorie)
    services.melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Gedaan."
    )
    response = login(member).post(
        reverse("meldingen:oordeel", kwargs={"pk": melding.pk}), {"oordeel": keuze}, follow=True
    )
    assert "Kies of het is opgelost of niet." in response.content.decode()
    melding.refresh_from_db()
    assert melding.status == "afgesloten"
    assert Melder.objects.get(melding=melding).oordeel == ""


def test_reporter_reopens_a_closed_melding(login, buurt, police, member, categorie):
    melding = factories.melding(user=member, categorie=categorie)
    services.melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Gedaan."
    )
    client = login(member)
    response = client.post(
        reverse("meldingen:oordeel", kwargs={"pk": melding.pk}),
        {"oordeel": "niet_opgelost"},
        follow=True,
    )
    assert "heropend" in response.content.decode()
    melding.refresh_from_db()
    assert melding.status == "heropend"
    assert melding.samenvatting in login(police).get(reverse("meldingen:feed")).content.decode()


def test_a_point_is_optional_and_must_lie_in_the_netherlands(login, member, categorie):
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    client = login(member)
    far = client.post(url, form_data(latitude="40.7", longitude="-74.0"))
    assert far.status_code == 200
    assert not Melding.objects.exists()
    client.post(url, form_data(latitude="52.3791", longitude="4.8880"))
    melding = Melding.objects.get()
    assert (melding.latitude, melding.longitude) == (52.3791, 4.888)


def test_an_oversized_upload_is_refused_before_it_is_read(login, member, categorie):
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    too_much = MAX_REQUEST_BYTES + 1
    response = login(member).post(url, form_data(), CONTENT_LENGTH=str(too_much))
    assert response.status_code == 413
    assert "samen te groot" in response.content.decode()
    assert not Melding.objects.exists()


def test_new_feedback_shows_until_the_reporter_reads_it(login, buurt, police, member, categorie):
    melding = factories.melding(user=member, categorie=categorie)
    services.melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Opgelost."
    )
    client = login(member)
    assert "1 nieuw bericht" in client.get("/").content.decode()
    assert "Nieuw bericht" in client.get(reverse("meldingen:mijn")).content.decode()
    # Every page's menu says so too, until it is read: one number, the unread notices in
    # Berichten (the receipt and the feedback), the news about the melding among them.
    menu_badge = "ongelezen: </span>2</span>"
    page = client.get(reverse("activiteiten:lijst")).content.decode()
    assert menu_badge in page
    # ... and on the folded menu's button, which is all a phone shows.
    assert 'navbar-toggler-icon"></span><span class="badge' in page
    client.get(reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk}))
    assert "nieuw bericht" not in client.get("/").content.decode().lower()
    assert "ongelezen:" not in client.get(reverse("activiteiten:lijst")).content.decode()
    # The officer was told nothing: no count in their menu.
    assert "ongelezen:" not in login(police).get(reverse("meldingen:feed")).content.decode()


@pytest.mark.parametrize(
    ("name", "kwargs", "method"),
    [
        ("meldingen:nieuw", {}, "get"),
        ("meldingen:nieuw-categorie", {"categorie": 1}, "get"),
        ("meldingen:ik-ook", {"pk": 1}, "post"),
        ("meldingen:ik-ook-lijst", {"categorie": 1}, "get"),
        ("meldingen:mijn", {}, "get"),
        ("meldingen:mijn-detail", {"pk": 1}, "get"),
        ("meldingen:oordeel", {"pk": 1}, "post"),
        ("meldingen:feed", {}, "get"),
        ("meldingen:detail", {"pk": 1}, "get"),
        ("meldingen:actie", {"pk": 1}, "post"),
        ("meldingen:inzage", {"pk": 1}, "post"),
        ("meldingen:inzage-detail", {"pk": 1}, "get"),
        ("meldingen:foto", {"pk": 1}, "get"),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, name, kwargs, method):
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_history_never_names_a_reporter_to_handlers(login, buurt, canary, categorie):
    enforcement = factories.professional("handhaving", buurt.wijk)
    dumping = factories.CategorieFactory(naam="Dumping (historie)")
    RoutingRegel.objects.create(volgorde=1, categorie=dumping, doel=Doel.HANDHAVING)
    melding = factories.melding(user=canary, categorie=dumping, bescherming="coordinator")
    services.melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=enforcement, terugkoppeling="Opgeruimd."
    )
    login(canary).post(
        reverse("meldingen:oordeel", kwargs={"pk": melding.pk}),
        {"oordeel": "niet_opgelost", "reactie": "Er ligt weer afval."},
    )

    html = login(enforcement).get(reverse("meldingen:detail", kwargs={"pk": melding.pk}))
    html = html.content.decode()
    assert "door de melder" in html
    assert "Er ligt weer afval." in html
    assert CANARY_NAME not in html
    assert CANARY_EMAIL not in html


def test_one_person_says_ik_ook_once_also_anonymously(login, buurt, canary, categorie):
    existing = factories.melding(user=canary, categorie=categorie)
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    client = login(neighbour)
    url = reverse("meldingen:ik-ook", kwargs={"pk": existing.pk})
    client.post(url, {"bescherming": "anoniem"})
    again = client.post(url, {"bescherming": "anoniem"}, follow=True)
    assert "al gesteund" in again.content.decode()
    existing.refresh_from_db()
    assert existing.gewicht == 2
    form_page = client.get(
        reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    ).content.decode()
    assert "Hebben buren dit al gemeld?" not in form_page  # nothing left to join


def test_only_saved_reports_count_toward_the_rate_limit(login, member, categorie, settings):
    settings.WIJKAANPAK_MELDING_RATE = "2/h"
    client = login(member)
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    for _mistake in range(5):
        assert client.post(url, form_data(wat="")).status_code == 200
    assert [client.post(url, form_data()).status_code for _ in range(3)] == [302, 302, 429]


def test_form_errors_are_summarised_at_the_top(login, member, categorie):
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    html = login(member).post(url, form_data(wat="", telefoon="0612345678")).content.decode()
    assert "data-error-summary" in html
    assert 'href="#id_wat"' in html
    assert 'href="#id_telefoon"' in html


def test_coordinators_follow_police_cases_but_handle_only_their_own(buurt, coordinator, categorie):
    police_case = factories.melding(buurt=buurt, categorie=categorie)
    with pytest.raises(PermissionDenied):
        services.melding_transition(melding=police_case, actie=Actie.ERKENNEN, by=coordinator)
    street = factories.CategorieFactory(naam="Straat (test)")
    RoutingRegel.objects.create(volgorde=1, categorie=street, doel=Doel.GEMEENTE)
    own_case = factories.melding(buurt=buurt, categorie=street)
    taken = services.melding_transition(melding=own_case, actie=Actie.OPPAKKEN, by=coordinator)
    assert taken.status == "in_behandeling"


def test_handlers_and_the_reporter_read_the_person_and_the_point_as_given(
    login, member, police, categorie
):
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    login(member).post(
        url,
        form_data(
            persoon_geslacht="onbekend",
            persoon_lengte="ca. 1,80 m",
            persoon_kleding="donkere jas",
            persoon_kenmerken="baard",
            latitude="52.3865",
            longitude="4.8900",
        ),
    )
    melding = Melding.objects.get()
    services.melding_route(melding_id=melding.pk)  # what the worker does
    officer = login(police).get(reverse("meldingen:detail", kwargs={"pk": melding.pk}))
    reporter = login(member).get(reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk}))
    for page in (officer, reporter):
        assert "geslacht onbekend, ca. 1,80 m, donkere jas, baard" in page.content.decode()
    html = officer.content.decode()
    assert "52.38650, 4.89000" in html
    assert 'data-punt="52.386500,4.890000"' in html  # on the site's own map
    assert "openstreetmap" not in html


def test_no_point_no_pin_on_the_map(login, member, police, categorie):
    melding = factories.melding(
        user=member,
        categorie=categorie,
        beschrijving=services.Beschrijving(persoon_geslacht="vrouw"),
    )
    html = login(police).get(reverse("meldingen:detail", kwargs={"pk": melding.pk}))
    assert "data-punt=" not in html.content.decode()
    assert '<dd class="col-sm-8">vrouw</dd>' in html.content.decode()
