"""Photo uploads cannot exhaust memory: pixel bombs are refused from their header, photos are
decoded only when the rest of the form is valid, and refused uploads are limited per user and
per IP address. Real Postgres and Redis; every image is built in the test, nothing is mocked."""

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from meldingen.models import Doel, Foto, Melding, RoutingRegel
from meldingen.photos import MAX_PIXELS, MAX_SIDE
from tests import factories
from tests.meldingen.test_photos import png_chunk
from tests.meldingen.test_views import form_data

pytestmark = pytest.mark.django_db

TOO_MANY_PIXELS = "Deze foto heeft te veel pixels."
NOT_A_PHOTO = "Dit bestand is geen foto."
FAILURES_PER_HOUR = 10  # refused uploads per user (meldingen.photos.FAILED_PHOTOS_RATE)
TOO_MANY_FAILURES = "Er zijn de afgelopen tijd te veel foto&#x27;s geweigerd."


@pytest.fixture
def url():
    categorie = factories.CategorieFactory(naam="Overlast (test)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})


def palette_bomb() -> bytes:
    """The reviewer's file: a 6,320 x 6,320 palette PNG of about 40 kB (40 MP once decoded)."""
    img = Image.new("P", (6320, 6320), 0)
    img.putpalette([200, 30, 30] * 256)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True, transparency=0)
    return out.getvalue()


def undecodable_png() -> bytes:
    """A PNG that passes every check on its header and chunks (size, pixel count, checksums)
    but whose pixel data is broken: only decoding it shows that it is not a photo."""
    ihdr = struct.pack(">IIBBBBB", 1000, 1000, 8, 0, 0, 0, 0)
    idat = b"\x78\x9c" + b"\xff" * 30
    chunks = png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def jpeg(size=(64, 48), colour="blue", quality=85) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=quality)
    return out.getvalue()


def files(data: bytes, name="foto.png", count=1):
    return [SimpleUploadedFile(f"{i}{name}", data, "image/png") for i in range(count)]


def test_the_reviewers_palette_bombs_are_refused_and_nothing_is_saved(login, member, url):
    bomb = palette_bomb()
    assert len(bomb) < 60_000
    response = login(member).post(url, {**form_data(), "fotos": files(bomb, count=3)})
    assert response.status_code == 200
    assert TOO_MANY_PIXELS in response.content.decode()
    assert not Melding.objects.exists() and not Foto.objects.exists()
    assert MAX_PIXELS < 6320 * 6320


def test_the_bombs_in_an_otherwise_invalid_form_are_refused_too(login, member, url):
    data = {**form_data(wat=""), "fotos": files(palette_bomb(), count=3)}
    html = login(member).post(url, data).content.decode()
    assert TOO_MANY_PIXELS in html
    assert not Melding.objects.exists()


def test_photos_are_not_decoded_while_the_rest_of_the_form_is_invalid(login, member, url):
    client = login(member)
    # Invalid form: the photo's header is fine and nothing else is looked at.
    html = client.post(url, {**form_data(wat=""), "fotos": files(undecodable_png())}).content
    assert NOT_A_PHOTO not in html.decode()
    # Valid form: now it is decoded, and refused.
    html = client.post(url, {**form_data(), "fotos": files(undecodable_png())}).content
    assert NOT_A_PHOTO in html.decode()
    assert not Melding.objects.exists()


def test_a_normal_photo_still_works(login, member, url):
    response = login(member).post(url, {**form_data(), "fotos": files(jpeg(), "foto.jpg")})
    assert response.status_code == 302
    assert Melding.objects.get().fotos.count() == 1


def test_a_full_resolution_phone_jpeg_is_still_accepted(login, member, url):
    big = jpeg((8000, 6000), quality=80)  # 48 MP: far above MAX_PIXELS, decoded in draft
    response = login(member).post(url, {**form_data(), "fotos": files(big, "IMG.jpg")})
    assert response.status_code == 302
    stored = Image.open(Melding.objects.get().fotos.get().bestand)
    assert stored.size == (MAX_SIDE, 1536)


def test_refused_uploads_are_limited_but_reporting_without_photos_still_works(login, member, url):
    client = login(member)
    for _ in range(FAILURES_PER_HOUR):
        html = client.post(url, {**form_data(), "fotos": files(b"no photo")}).content.decode()
        assert NOT_A_PHOTO in html
    # Over the limit: even a good photo is refused, unread, with a message saying why.
    html = client.post(url, {**form_data(), "fotos": files(jpeg(), "foto.jpg")}).content
    assert TOO_MANY_FAILURES in html.decode()
    assert not Melding.objects.exists()
    # The report itself can still be sent, without the photo.
    assert client.post(url, form_data()).status_code == 302
    assert Melding.objects.count() == 1 and not Foto.objects.exists()


def test_the_limit_is_per_person_another_resident_can_still_send_photos(login, member, buurt, url):
    client = login(member)
    for _ in range(FAILURES_PER_HOUR):
        client.post(url, {**form_data(), "fotos": files(b"no photo")})
    neighbour = factories.UserFactory()
    factories.LidmaatschapFactory(user=neighbour, buurt=buurt)
    response = login(neighbour).post(url, {**form_data(), "fotos": files(jpeg(), "foto.jpg")})
    assert response.status_code == 302
    assert Foto.objects.count() == 1


def test_a_form_with_a_photo_field_must_decode_photos_last():
    from django import forms
    from django.core.exceptions import ImproperlyConfigured

    from meldingen.forms import PhotosField

    class Careless(forms.Form):
        foto = PhotosField(max_photos=1)

    with pytest.raises(ImproperlyConfigured):
        Careless({}, {}).is_valid()


# --- JPEGs the decoder cannot scale down in memory ------------------------------------------


def jpeg_header(*, scan_components: int, marker: int = 0xC0, size=(8000, 6000)) -> bytes:
    """A JPEG of three components whose first scan holds ``scan_components`` of them: only
    the markers (no pixel data), enough for the header checks."""

    def segment(code: int, body: bytes) -> bytes:
        return b"\xff" + bytes([code]) + struct.pack(">H", len(body) + 2) + body

    width, height = size
    frame = struct.pack(">BHHB", 8, height, width, 3)
    frame += b"".join(bytes([c, 0x11, 0]) for c in (1, 2, 3))
    scan = (
        bytes([scan_components])
        + b"".join(bytes([c, 0]) for c in range(1, 4))[: 2 * scan_components]
    )
    return (
        b"\xff\xd8" + segment(marker, frame) + segment(0xDA, scan + b"\x00\x3f\x00") + b"\xff\xd9"
    )


def test_a_progressive_jpeg_is_held_to_the_pixel_limit():
    # A 1 MB progressive JPEG of 200 MP made the decoder hold 620 MB of coefficients.
    from meldingen.photos import PhotoRejected, clean_photo

    for data in (
        jpeg_header(scan_components=3, marker=0xC2),  # progressive
        jpeg_header(scan_components=1),  # baseline, but one component per scan
    ):
        with pytest.raises(PhotoRejected, match=TOO_MANY_PIXELS):
            clean_photo(io.BytesIO(data))
    # An ordinary (interleaved baseline) header of 48 MP passes the header check; this one
    # has no pixels, so only decoding refuses it.
    with pytest.raises(PhotoRejected, match=NOT_A_PHOTO):
        clean_photo(io.BytesIO(jpeg_header(scan_components=3)))


def test_a_progressive_photo_of_ordinary_size_is_accepted(login, member, url):
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), "green").save(out, "JPEG", progressive=True)
    response = login(member).post(url, {**form_data(), "fotos": files(out.getvalue(), "p.jpg")})
    assert response.status_code == 302
    assert Image.open(Melding.objects.get().fotos.get().bestand).size == (MAX_SIDE, 1365)


def test_an_activity_report_photo_gets_the_same_checks(login, buurt):
    from datetime import timedelta

    from django.utils import timezone

    from activiteiten.models import Activiteit

    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser)
    Activiteit.objects.filter(pk=activiteit.pk).update(start=timezone.now() - timedelta(hours=2))
    url = reverse("activiteiten:aanwezigheid", kwargs={"pk": activiteit.pk})
    data = {"extra_bezoekers": "5", "verslag": "Twintig zakken afval opgehaald."}
    html = login(organiser).post(url, {**data, "foto": files(palette_bomb())[0]}).content
    assert TOO_MANY_PIXELS in html.decode()
    activiteit.refresh_from_db()
    assert not activiteit.verslag_foto and activiteit.verslag == ""
