"""clean_photo keeps only the pixels of a real photo. Every image here is built in memory with
Pillow (or byte by byte, for the pixel bombs); nothing is mocked."""

import io
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, features
from PIL.PngImagePlugin import PngInfo

from meldingen.photos import (
    MAX_JPEG_PIXELS,
    MAX_PIXELS,
    MAX_SIDE,
    MAX_UPLOAD_BYTES,
    PhotoRejected,
    clean_photo,
)

NOT_A_PHOTO = "Dit bestand is geen foto. Gebruik een JPEG-, PNG- of WebP-afbeelding."
SMALLER = (
    "Stuur een kleinere versie: bij delen of mailen bieden de meeste telefoons 'klein' of "
    "'middel' aan."
)
TOO_LARGE = f"Een foto mag hoogstens 20 MB zijn. {SMALLER}"
TOO_MANY_PIXELS = f"Deze foto heeft te veel pixels. {SMALLER}"

RED = (255, 0, 0)
BLUE = (0, 0, 255)
CANARY = "CANARY-melder@example.org"


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def result_image(result) -> Image.Image:
    img = Image.open(io.BytesIO(result.read()))
    result.seek(0)
    return img


def close_to(pixel, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def noisy_jpeg(size=(400, 300)) -> bytes:
    """Random pixels, so the entropy-coded data is large and any cut lands inside it."""
    img = Image.merge("RGB", [Image.effect_noise(size, 80).convert("L")] * 3)
    return encode(img, "JPEG", quality=95)


def rejected_message(uploaded) -> str:
    with pytest.raises(PhotoRejected) as excinfo:
        clean_photo(uploaded)
    return str(excinfo.value)


def png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def bomb_png(width: int, height: int, *, with_pixels: bool = True) -> bytes:
    """A 1-bit black PNG of the declared size, written by hand: the file is a few kB, the
    pixels would be width*height bytes or more once decoded. Without pixels it has no IDAT at
    all, so anything that tries to decode it fails as "not a photo"."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    chunks = [png_chunk(b"IHDR", ihdr)]
    if with_pixels:
        row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
        compressor = zlib.compressobj(9)
        idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
        chunks.append(png_chunk(b"IDAT", idat))
    chunks.append(png_chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


# --- metadata is stripped ------------------------------------------------------------------


def test_jpeg_exif_and_gps_are_stripped_and_pixels_kept():
    exif = Image.Exif()
    exif[0x010F] = "CanaryMake"  # Make
    exif[0x0110] = "CanaryModel"  # Model
    exif[0x0132] = "2024:05:01 12:34:56"  # DateTime
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 30.0), 3: "E", 4: (4.0, 53.0, 10.0)}  # GPSInfo
    original = encode(
        Image.new("RGB", (64, 48), RED),
        "JPEG",
        exif=exif,
        xmp=f"<x:xmpmeta>{CANARY}</x:xmpmeta>".encode(),
        comment=CANARY.encode(),
    )
    # The input really carries what must go.
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)[1] == "N"
    assert b"CanaryMake" in original
    assert CANARY.encode() in original

    result = clean_photo(upload(original))
    data = result.read()
    img = Image.open(io.BytesIO(data))

    assert img.format == "JPEG"
    assert img.mode == "RGB"
    assert img.size == (64, 48)
    assert len(img.getexif()) == 0
    assert "exif" not in img.info
    assert "xmp" not in img.info
    assert "comment" not in img.info
    for leaked in (b"Exif", b"GPS", b"CanaryMake", b"CanaryModel", b"2024:05:01", b"CANARY"):
        assert leaked not in data
    assert close_to(img.getpixel((32, 24)), RED)


def test_orientation_is_applied_so_the_photo_is_upright():
    # Stored sideways: 60 wide, 40 high, left half red. Orientation 6 means "rotate 90 degrees
    # clockwise to display", so upright it is 40 wide, 60 high, with the red half on top.
    img = Image.new("RGB", (60, 40), BLUE)
    img.paste(RED, (0, 0, 30, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    result = result_image(clean_photo(upload(encode(img, "JPEG", exif=exif))))

    assert result.size == (40, 60)
    assert len(result.getexif()) == 0  # no orientation tag left to rotate it twice
    assert close_to(result.getpixel((20, 10)), RED)
    assert close_to(result.getpixel((20, 50)), BLUE)


def test_png_transparency_is_flattened_onto_white_and_text_chunks_dropped():
    img = Image.new("RGBA", (50, 50), (0, 0, 0, 0))  # fully transparent...
    img.paste((0, 128, 0, 255), (0, 0, 25, 50))  # ...except an opaque green left half
    info = PngInfo()
    info.add_text("Comment", CANARY)
    info.add_itxt("Author", CANARY, zip=True)
    original = encode(img, "PNG", pnginfo=info)
    assert CANARY.encode() in original

    result = clean_photo(upload(original, name="scan.png", content_type="image/png"))
    data = result.read()
    out = Image.open(io.BytesIO(data))

    assert out.format == "JPEG"
    assert out.mode == "RGB"
    assert CANARY.encode() not in data
    assert b"Comment" not in data
    assert close_to(out.getpixel((10, 25)), (0, 128, 0))
    assert close_to(out.getpixel((40, 25)), (255, 255, 255), tolerance=5)


def test_palette_png_with_transparent_index_is_flattened_onto_white():
    img = Image.new("P", (20, 20), 0)
    img.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    img.paste(1, (0, 0, 10, 20))
    original = encode(img, "PNG", transparency=0)

    out = result_image(clean_photo(upload(original, name="x.png")))
    assert close_to(out.getpixel((5, 10)), RED)
    assert close_to(out.getpixel((15, 10)), (255, 255, 255), tolerance=5)


def test_icc_profile_is_not_kept():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = encode(Image.new("RGB", (30, 30), RED), "JPEG", icc_profile=srgb)
    assert Image.open(io.BytesIO(original)).info.get("icc_profile")

    out = result_image(clean_photo(upload(original)))
    assert "icc_profile" not in out.info
    assert close_to(out.getpixel((15, 15)), RED)


def test_broken_icc_profile_does_not_reject_the_photo():
    original = encode(Image.new("RGB", (30, 30), RED), "JPEG", icc_profile=b"not a profile")
    out = result_image(clean_photo(upload(original)))
    assert "icc_profile" not in out.info
    assert close_to(out.getpixel((15, 15)), RED)


# --- size and format of the result ---------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"), [((5000, 3000), (2048, 1229)), ((3000, 5000), (1229, 2048))]
)
def test_large_photo_is_downscaled_to_max_side(size, expected):
    img = Image.new("RGB", size, RED)
    img.paste(BLUE, (0, 0, size[0], size[1] // 2))
    out = result_image(clean_photo(upload(encode(img, "JPEG"))))

    assert max(out.size) == MAX_SIDE
    assert out.size == expected
    assert close_to(out.getpixel((10, 10)), BLUE)
    assert close_to(out.getpixel((out.width - 10, out.height - 10)), RED)


def test_large_png_is_downscaled_too():
    out = result_image(clean_photo(upload(encode(Image.new("RGB", (4100, 100), RED), "PNG"))))
    assert out.size == (MAX_SIDE, 50)


def test_small_photo_keeps_its_size():
    out = result_image(clean_photo(upload(encode(Image.new("RGB", (800, 600), RED), "JPEG"))))
    assert out.size == (800, 600)


def test_output_is_progressive_jpeg():
    out = result_image(clean_photo(upload(encode(Image.new("RGB", (100, 100), RED), "PNG"))))
    assert out.format == "JPEG"
    assert out.info.get("progressive") or out.info.get("progression")


def test_cmyk_jpeg_becomes_rgb():
    original = encode(Image.new("CMYK", (20, 20), (0, 255, 255, 0)), "JPEG")
    out = result_image(clean_photo(upload(original)))
    assert out.mode == "RGB"
    assert close_to(out.getpixel((10, 10)), RED, tolerance=60)


def test_16_bit_greyscale_png_is_scaled_not_clipped():
    original = encode(Image.new("I;16", (20, 20), 32768), "PNG")  # mid grey in 16 bits
    out = result_image(clean_photo(upload(original, name="x.png")))
    assert close_to(out.getpixel((10, 10)), (128, 128, 128), tolerance=5)


def test_animated_gif_keeps_the_first_frame():
    frames = [Image.new("RGB", (20, 20), colour) for colour in (RED, BLUE, BLUE)]
    original = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    out = result_image(clean_photo(upload(original, name="x.gif", content_type="image/gif")))
    assert out.format == "JPEG"
    assert close_to(out.getpixel((10, 10)), RED)


@pytest.mark.skipif(not features.check("webp"), reason="Pillow built without WebP")
def test_webp_is_accepted():
    original = encode(Image.new("RGB", (20, 20), RED), "WEBP")
    out = result_image(clean_photo(upload(original, name="x.webp", content_type="image/webp")))
    assert out.format == "JPEG"
    assert close_to(out.getpixel((10, 10)), RED)


def test_type_is_decided_by_content_not_by_name_or_content_type():
    original = encode(Image.new("RGB", (20, 20), RED), "PNG")
    out = result_image(clean_photo(upload(original, "report.pdf", "application/pdf")))
    assert out.format == "JPEG"


def test_output_name_is_random_and_not_derived_from_the_upload():
    original = encode(Image.new("RGB", (20, 20), RED), "JPEG")
    first = clean_photo(upload(original, name="Jansen-Dorpsstraat-12.jpg"))
    second = clean_photo(upload(original, name="Jansen-Dorpsstraat-12.jpg"))

    assert first.name != second.name
    for result in (first, second):
        assert re.fullmatch(r"[0-9a-f]{32}\.jpg", result.name)
        assert "Jansen" not in result.name


def test_plain_file_like_object_is_accepted():
    original = encode(Image.new("RGB", (20, 20), RED), "JPEG")
    stream = io.BytesIO(original)
    stream.name = "photo.jpg"
    stream.size = len(original)
    stream.read()  # already read once by someone else: clean_photo rewinds
    assert result_image(clean_photo(stream)).size == (20, 20)


# --- what is refused -----------------------------------------------------------------------


def test_text_file_named_jpg_is_not_a_photo():
    uploaded = upload(b"Dit is gewoon tekst, geen foto.\n" * 20, "photo.jpg", "image/jpeg")
    assert rejected_message(uploaded) == NOT_A_PHOTO


def test_truncated_jpeg_is_not_a_photo():
    original = noisy_jpeg()
    assert Image.open(io.BytesIO(original)).size == (400, 300)  # the whole file is fine
    assert rejected_message(upload(original[: len(original) // 2])) == NOT_A_PHOTO


def test_pdf_is_not_a_photo():
    pdf = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    assert rejected_message(upload(pdf, "photo.jpg", "image/jpeg")) == NOT_A_PHOTO


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "PPM"])
def test_image_formats_other_than_jpeg_png_webp_gif_are_refused(fmt):
    original = encode(Image.new("RGB", (20, 20), RED), fmt)
    assert rejected_message(upload(original, "photo.jpg")) == NOT_A_PHOTO


def test_empty_file_is_refused():
    assert rejected_message(upload(b"")) == NOT_A_PHOTO


def test_oversized_upload_is_refused_before_anything_else():
    uploaded = upload(b"\x00" * (MAX_UPLOAD_BYTES + 1))
    assert uploaded.size > MAX_UPLOAD_BYTES
    assert rejected_message(uploaded) == TOO_LARGE


def test_exactly_max_upload_bytes_is_not_refused_for_its_size():
    assert rejected_message(upload(b"\x00" * MAX_UPLOAD_BYTES)) == NOT_A_PHOTO


def test_oversized_stream_that_understates_its_size_is_refused():
    stream = io.BytesIO(b"\x00" * (MAX_UPLOAD_BYTES + 1))
    stream.size = 100  # a wrong claim does not help
    assert rejected_message(stream) == TOO_LARGE


@pytest.mark.parametrize(
    "size",
    [
        (8000, 6000),  # 48 Mpx: above our limit, below Pillow's own
        (10000, 10000),  # 100 Mpx: Pillow warns (DecompressionBombWarning)
        (20000, 20000),  # 400 Mpx: Pillow raises DecompressionBombError in open()
    ],
)
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pixel_bomb_is_refused(size):
    data = bomb_png(*size)
    assert len(data) < 200_000  # tiny on disk...
    assert size[0] * size[1] > MAX_PIXELS  # ...too many pixels once decoded
    assert rejected_message(upload(data, "bomb.png", "image/png")) == TOO_MANY_PIXELS


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pixel_bomb_is_refused_when_pillow_warnings_are_errors():
    data = bomb_png(10000, 10000)
    assert rejected_message(upload(data, "bomb.png", "image/png")) == TOO_MANY_PIXELS


def test_pixel_bomb_is_refused_from_the_header_without_decoding():
    # No pixel data at all: decoding would fail with "not a photo", so getting the pixels
    # message shows the check happens on the header, before any decoding.
    data = bomb_png(8000, 6000, with_pixels=False)
    assert rejected_message(upload(data, "bomb.png", "image/png")) == TOO_MANY_PIXELS


def test_a_full_resolution_phone_photo_is_scaled_down_not_refused():
    # 48 Mpx, as phones write in their full-resolution mode: more than MAX_PIXELS, but a JPEG
    # is decoded at a reduced scale.
    img = Image.new("RGB", (8000, 6000), BLUE)
    data = encode(img, "JPEG", quality=80)
    assert MAX_PIXELS < 8000 * 6000 and len(data) <= MAX_UPLOAD_BYTES
    out = result_image(clean_photo(upload(data)))
    assert out.size == (MAX_SIDE, 1536)
    assert close_to(out.getpixel((100, 100)), BLUE)


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose header claims ``width`` by ``height`` (no pixel data to match)."""
    data = bytearray(encode(Image.new("RGB", (16, 16), RED), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_jpeg_beyond_the_jpeg_pixel_limit_is_refused_from_its_header():
    assert MAX_JPEG_PIXELS < 20000 * 12000
    assert rejected_message(upload(jpeg_claiming(20000, 12000))) == TOO_MANY_PIXELS


def test_at_the_pixel_limit_is_accepted_and_one_row_more_is_not():
    assert MAX_PIXELS == 4096 * 4096  # the most pixels a JPEG is decoded to, after draft
    out = result_image(clean_photo(upload(bomb_png(4096, 4096), "big.png", "image/png")))
    assert out.size == (MAX_SIDE, MAX_SIDE)
    assert rejected_message(upload(bomb_png(4096, 4097), "big.png")) == TOO_MANY_PIXELS


def test_rejection_is_a_value_error_with_a_message():
    with pytest.raises(ValueError, match="geen foto") as excinfo:
        clean_photo(upload(b"tekst"))
    assert str(excinfo.value.message) == NOT_A_PHOTO
