"""Photos that residents attach to a melding: decide by content whether an upload is a photo,
then keep only its pixels.

The stored file is always a NEW JPEG, re-encoded from pixels: no EXIF (so no GPS position of the
resident's home), no XMP, no ICC profile, no comments or text chunks, upright, RGB, at most
MAX_SIDE pixels on its longest side, under a random name. What the browser claims (file name,
extension, content type) is never trusted. Nothing here logs file contents or names.
"""

import contextlib
import functools
import io
import math
import struct
import threading
import uuid

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, features

from accounts import ratelimit
from wijkaanpak.proxies import rate_limit_key

# Phones in full-resolution mode (48 to 200 MP) write JPEGs of 10 to 25 MB.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # 20 MiB per file
MAX_SIDE = 2048  # longest side after re-encoding
# What one photo may cost in memory is bounded by the pixels decoded: at most 4096 x 4096
# (16.8 MP, 67 MB at 4 bytes a pixel) for every format. A JPEG is decoded at 1/2, 1/4 or 1/8
# scale straight away (draft, see _decode) whenever it is more than twice MAX_SIDE, so even a
# 200 MP phone photo is decoded to fewer than 16.8 MP. PNG, WebP and GIF cannot be decoded at a
# reduced scale, so they are refused above that count, from the header, before decoding (a
# 40 kB palette PNG can claim 40 MP). 16.8 MP covers every screenshot (under 5 MP) and a 12 MP
# camera photo saved as PNG or WebP; bench/uploads.py measures the peak.
# A progressive (or multi-scan) JPEG is the exception: the decoder keeps every coefficient of
# the whole image until the last scan, 3 to 8 bytes a pixel whatever the scale (a 1 MB
# progressive JPEG of 200 MP took 620 MB), so those get MAX_PIXELS too. Phone cameras write
# baseline JPEGs.
MAX_PIXELS = (2 * MAX_SIDE) ** 2
MAX_JPEG_PIXELS = 200_000_000
MAX_PHOTOS = 3  # per melding (used by the form)

JPEG_QUALITY = 85

# What Pillow reports in `img.format`. MPO is how Pillow names a JPEG with extra "multi
# picture" frames (many phone cameras write those into ordinary .jpg files); its first frame
# is a plain JPEG, so it counts as JPEG.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})

SMALLER = _(
    "Stuur een kleinere versie: bij delen of mailen bieden de meeste telefoons 'klein' of "
    "'middel' aan."
)
TOO_LARGE = _("Een foto mag hoogstens 20 MB zijn.")
NOT_A_PHOTO = _("Dit bestand is geen foto. Gebruik een JPEG-, PNG- of WebP-afbeelding.")
TOO_MANY_PIXELS = _("Deze foto heeft te veel pixels.")

# What Pillow raises on files it cannot parse or decode (truncated, corrupt, not an image).
_DECODE_ERRORS = (
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    struct.error,
)

# Pillow's own (higher) decompression-bomb limits. The warning is only raised as an exception
# when a warnings filter escalates it; otherwise our own MAX_PIXELS check catches those images.
_BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)

_WHITE = (255, 255, 255)

# Pillow's own bomb check (a warning above this, an error above twice this) must not refuse a
# JPEG that ours accepts; ours is stricter for every other format.
Image.MAX_IMAGE_PIXELS = MAX_JPEG_PIXELS


# Refused uploads per user and per IP address (each refusal read and parsed the file, and
# maybe decoded it): over this, photos are refused unseen for the rest of the hour.
FAILED_PHOTOS_RATE = "10/h"
FAILED_PHOTOS_RATE_PER_IP = "30/h"


def _failure_keys(request) -> list[tuple[str, str]]:
    # Keyed hashes, like the intake's counters: a refused photo may belong to an anonymous
    # report, and Redis must hold no user id or address that links anyone to it.
    return [
        (
            ratelimit.unlinkable_key("foto-geweigerd", str(request.user.pk), FAILED_PHOTOS_RATE),
            FAILED_PHOTOS_RATE,
        ),
        (
            ratelimit.unlinkable_key(
                "foto-geweigerd-adres", rate_limit_key(request), FAILED_PHOTOS_RATE_PER_IP
            ),
            FAILED_PHOTOS_RATE_PER_IP,
        ),
    ]


def photo_failures_over_limit(request) -> bool:
    return any(ratelimit.is_over(key, rate) for key, rate in _failure_keys(request))


def count_photo_failure(request) -> None:
    for key, rate in _failure_keys(request):
        ratelimit.exceeded(key, rate)


class PhotoRejected(ValueError):
    """Raised with a Dutch, user-facing message (`str(exc)` or `exc.message`)."""

    def __init__(self, message):
        if message in (TOO_LARGE, TOO_MANY_PIXELS):
            message = f"{message} {SMALLER}"  # what the resident can do about it
        super().__init__(message)
        self.message = message


def clean_photo(uploaded) -> ContentFile:
    """Validate an uploaded file and return a new, metadata-free JPEG ContentFile.

    `uploaded` is a Django UploadedFile or any file-like object with `.read()` (and ideally
    `.size`). Raises PhotoRejected with a user-facing Dutch message when it is not acceptable.
    """
    return encode_photo(check_photo(uploaded))


def check_photo(uploaded) -> bytes:
    """The cheap half of clean_photo: size, type and pixel count, from the header and without
    decoding any pixels. Returns the bytes for encode_photo; raises PhotoRejected."""
    data = _read_limited(uploaded)
    _open_checked(data)
    return data


# One decode at a time per process: gunicorn's sync workers serve one request at a time
# anyway; with threads (gthread, runserver) the bound per process still holds.
_DECODING = threading.Lock()


def encode_photo(data: bytes) -> ContentFile:
    """The expensive half: decode (bytes that passed check_photo) and re-encode. Each step
    after decoding works on as small an image as it can, so that at most about two copies of
    the decoded pixels are alive at once."""
    with _DECODING:
        return _encode(data)


def _encode(data: bytes) -> ContentFile:
    img = _decode(_open(data))
    img = _resamplable(img)
    img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    img = _upright(img)
    img = _to_rgb(img)

    # Copy the pixels into a brand-new image: nothing from the original `info` (EXIF, XMP,
    # ICC profile, JPEG comment, PNG text chunks) can ride along into the encoder.
    clean = Image.new("RGB", img.size, _WHITE)
    clean.paste(img)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


@contextlib.contextmanager
def erased_if_not_saved(instance, field: str):
    """Saving a row writes its new photo to storage first, then the row: when the row is refused
    (a value the database does not hold) or anything else in the block fails, the file is erased
    again, or it would stay in storage with no row pointing to it. Enter the block after the new
    photo is set on ``instance`` and save the row inside it; a photo the row already had is
    never touched."""
    new = not getattr(instance, field)._committed
    try:
        yield
    except BaseException:
        stored = getattr(instance, field)
        if new and stored._committed and stored.name:
            stored.storage.delete(stored.name)
        raise


def _read_limited(uploaded) -> bytes:
    """The upload's bytes, refusing anything over MAX_UPLOAD_BYTES (by its declared size
    first, and by what is actually read, in case the declared size is missing or wrong)."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise PhotoRejected(TOO_LARGE)
    if hasattr(uploaded, "seek"):
        # A non-seekable stream is read from where it is.
        with contextlib.suppress(OSError, ValueError):
            uploaded.seek(0)
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoRejected(TOO_LARGE)
    if not data:
        raise PhotoRejected(NOT_A_PHOTO)
    return data


def _check_pixels(img: Image.Image, data: bytes) -> None:
    width, height = img.size
    scalable = img.format in ("JPEG", "MPO") and not _jpeg_buffers_whole_image(data)
    if width * height > (MAX_JPEG_PIXELS if scalable else MAX_PIXELS):
        raise PhotoRejected(TOO_MANY_PIXELS)


_SOF = frozenset({*range(0xC0, 0xC4), *range(0xC5, 0xC8), *range(0xC9, 0xCC), *range(0xCD, 0xD0)})
_PROGRESSIVE_SOF = frozenset({0xC2, 0xC6, 0xCA, 0xCE})
_NO_LENGTH = frozenset({0x01, *range(0xD0, 0xD9)})  # TEM, RSTn, SOI


def _jpeg_buffers_whole_image(data: bytes) -> bool:
    """Whether libjpeg must hold the whole image's coefficients to decode this JPEG: when it is
    progressive, or when its first scan does not hold every component (as libjpeg decides it).
    Reads the markers up to the first scan only; anything unexpected counts as yes."""
    components, progressive, at = None, False, 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return True
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in _NO_LENGTH:
            at += 2
            continue
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if marker in _SOF and at + 10 <= len(data):
            components, progressive = data[at + 9], marker in _PROGRESSIVE_SOF
        elif marker == 0xDA:  # start of scan
            return components is None or progressive or data[at + 4] < components
        at += 2 + length
    return True


def _open(data: bytes) -> Image.Image:
    """Image.open reads only the header; the pixel count is checked before anything else."""
    try:
        img = Image.open(io.BytesIO(data))
    except _BOMB_ERRORS:
        raise PhotoRejected(TOO_MANY_PIXELS) from None
    except _DECODE_ERRORS:
        raise PhotoRejected(NOT_A_PHOTO) from None
    _check_pixels(img, data)
    if img.format not in ACCEPTED_FORMATS:
        raise PhotoRejected(NOT_A_PHOTO)
    return img


def _open_checked(data: bytes) -> None:
    img = _open(data)
    try:
        img.verify()  # reads the structure (PNG chunk checksums), decodes no pixels
    except _DECODE_ERRORS:
        raise PhotoRejected(NOT_A_PHOTO) from None


def _decode(img: Image.Image) -> Image.Image:
    """Decode the pixels (first frame only for GIF/WebP/MPO). A JPEG larger than needed is
    decoded at a reduced scale straight away (draft: the largest reduction that still leaves
    at least MAX_SIDE on the longest side), which saves memory and time."""
    longest = max(img.size)
    if longest > 2 * MAX_SIDE:
        scale = MAX_SIDE / longest
        width, height = img.size
        img.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))
    try:
        img.load()
    except _BOMB_ERRORS:
        raise PhotoRejected(TOO_MANY_PIXELS) from None
    except _DECODE_ERRORS:
        raise PhotoRejected(NOT_A_PHOTO) from None
    return img


def _resamplable(img: Image.Image) -> Image.Image:
    """A mode that can be scaled down smoothly (palette and 1-bit images only scale with
    "nearest"), with transparency flattened onto white. A palette image is flattened through
    its palette (256 colours), not through a full-size RGBA copy of its pixels."""
    if img.mode == "1":
        return img.convert("L")
    if img.mode == "PA":
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA"):
        # Onto white now: scaling RGBA would make a full-size premultiplied copy first.
        flat = Image.new("RGB", img.size, _WHITE)
        flat.paste(img, mask=img)
        flat.info = dict(img.info)  # the ICC profile and EXIF orientation, for later steps
        return flat
    if img.mode != "P":
        return img
    palette = img.getpalette("RGB") or []
    count = len(palette) // 3
    alpha = (img.getpalette("RGBA") or [])[3::4] if img.palette.mode == "RGBA" else []
    alpha = [*alpha, *[255] * (count - len(alpha))]
    transparency = img.info.pop("transparency", None)
    if isinstance(transparency, int) and transparency < count:
        alpha[transparency] = 0
    elif isinstance(transparency, bytes):
        alpha[: len(transparency)] = list(transparency[:count])
    flat = [
        round((channel * alpha[index // 3] + 255 * (255 - alpha[index // 3])) / 255)
        for index, channel in enumerate(palette)
    ]
    img.putpalette(flat, "RGB")
    return img.convert("RGB")


def _upright(img: Image.Image) -> Image.Image:
    """Apply the EXIF orientation (the result keeps `info`, so the ICC profile is still there
    for _to_rgb). A photo with unreadable EXIF keeps its stored orientation rather than being
    refused."""
    try:
        return ImageOps.exif_transpose(img)
    except _DECODE_ERRORS:
        return img


def _to_rgb(img: Image.Image) -> Image.Image:
    """Convert to RGB (after _resamplable): a transparent colour flattened onto white, 16-bit
    greyscale scaled to 8 bits, colours converted to sRGB when an embedded ICC profile allows
    it."""
    icc_profile = img.info.get("icc_profile")
    if img.mode.startswith("I;16") or img.mode == "I":
        return img.convert("I").point(lambda v: v * (1 / 256)).convert("RGB")
    if "transparency" in img.info:  # one colour that stands for transparent (PNG tRNS)
        is_rgb = img.mode == "RGB"
        background = Image.new("RGBA", img.size, (*_WHITE, 255))
        flat = Image.alpha_composite(background, img.convert("RGBA")).convert("RGB")
        return _to_srgb(flat, icc_profile) if is_rgb else flat
    if img.mode in ("RGB", "CMYK"):
        return _to_srgb(img, icc_profile)
    return img.convert("RGB")


@functools.cache
def _srgb_profile():
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(img: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """RGB pixels in sRGB. Phones often embed Display P3; dropping that profile without
    converting would make the stored photo look duller."""
    if icc_profile and features.check("littlecms2"):
        from PIL import ImageCms

        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            return ImageCms.profileToProfile(img, source, _srgb_profile(), outputMode="RGB")
        except (ImageCms.PyCMSError, *_DECODE_ERRORS):
            pass  # a broken or mismatched profile: use the pixels as they are
    return img.convert("RGB")
