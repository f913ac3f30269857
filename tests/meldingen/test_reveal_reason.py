"""A reveal of who reported needs a reason a reviewer can check: a ground from the list and a
case number or a real sentence. Nonsense is refused with a message that says what to give."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meldingen import services
from meldingen.models import Doel, Inzage, Melder, RoutingRegel
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_melder(buurt):
    categorie = factories.CategorieFactory(naam="Verdachte situatie (test)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    melding = factories.melding(buurt=buurt, categorie=categorie, bescherming="contact")
    return Melder.objects.get(melding=melding)


@pytest.mark.parametrize(
    "reden",
    [
        "aaaaa",
        "asdf asdf asdf asdf asdf asdf",
        "a b c d e f g h",
        "qwrt zxcv plkj mnbv hgfd trws",
        "111111",
        "nodig voor de zaak",  # four words: no case number, no sentence
        "aaaaaaa bbbbbbb ccccccc ddddddd eeeeeee fffffff",
    ],
)
def test_nonsense_is_refused(contact_melder, police, reden):
    with pytest.raises(ValidationError, match="zaaknummer"):
        services.melder_reveal(melder=contact_melder, by=police, grond="aangifte", reden=reden)
    assert not Inzage.objects.exists()


@pytest.mark.parametrize(
    "reden",
    [
        "2026-123456",
        "Zaak PL1300-2026012345",
        "Getuige bellen over het signalement van de verdachte",
        "De melder heeft gevraagd om teruggebeld te worden door de wijkagent",
    ],
)
def test_a_case_number_or_a_sentence_is_accepted(contact_melder, police, reden):
    inzage = services.melder_reveal(melder=contact_melder, by=police, grond="aangifte", reden=reden)
    assert (inzage.grond, inzage.reden) == ("aangifte", reden)


def test_a_ground_from_the_list_is_required(contact_melder, police):
    with pytest.raises(ValidationError, match="grond"):
        services.melder_reveal(melder=contact_melder, by=police, grond="", reden="2026-123456")
    with pytest.raises(ValidationError, match="grond"):
        services.melder_reveal(
            melder=contact_melder, by=police, grond="nieuwsgierig", reden="2026-123456"
        )
    assert not Inzage.objects.exists()


def test_the_officer_sees_what_to_give_and_nothing_is_revealed(login, contact_melder, police):
    url = reverse("meldingen:inzage", kwargs={"pk": contact_melder.pk})
    client = login(police)
    detail = client.get(reverse("meldingen:detail", kwargs={"pk": contact_melder.melding_id}))
    page = detail.content.decode()
    assert "Aangifte of lopend onderzoek" in page and "minstens zes woorden" in page

    refused = client.post(url, {"grond": "aangifte", "reden": "aaaaa"}, follow=True)
    page = refused.content.decode()
    assert "Geef een zaaknummer (bijvoorbeeld 2026-123456)" in page
    assert contact_melder.user.email not in page
    no_ground = client.post(url, {"reden": "2026-123456"}, follow=True)
    assert "Kies de grond" in no_ground.content.decode()
    assert not Inzage.objects.exists()

    shown = client.post(url, {"grond": "aangifte", "reden": "2026-123456"}, follow=True)
    page = shown.content.decode()
    assert contact_melder.user.email in page
    assert "Aangifte of lopend onderzoek: 2026-123456" in page


def test_a_refused_reason_is_shown_again_as_typed_with_the_error_at_the_field(
    login, contact_melder, police
):
    url = reverse("meldingen:inzage", kwargs={"pk": contact_melder.pk})
    refused = login(police).post(url, {"grond": "gevaar", "reden": "even kijken"})
    assert refused.status_code == 200  # the case page again, not a redirect that loses it
    page = refused.content.decode()
    assert 'value="even kijken"' in page
    assert '<option value="gevaar" selected>' in page
    assert f'id="reden-fout-{contact_melder.pk}"' in page and "is-invalid" in page
    assert contact_melder.user.email not in page
    assert not Inzage.objects.exists()
