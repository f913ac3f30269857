"""Peak memory of photo uploads: what one request with three photos costs a web process.

Each scenario runs in a fresh process that builds a bound ``MeldingForm`` (the melding form's
real fields, the real photo field and ``PhotosFormMixin``) with three files and validates it,
as the view does. The process's peak RSS (``ru_maxrss``) is read before and after validation:
the difference is what the photos cost. The files are written beforehand by yet another
process, so making them does not count.

    .venv/bin/python -m bench.uploads           # from the repository root

No database is touched (the categorie is not saved); the failed-upload limit counts in Redis
database 5 under a fresh user id and IP address per run.
"""

import io
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.harness import BASE_DIR, ENV

PHOTOS_PER_REQUEST = 3

# name: (how the file is made, whether the rest of the form is valid)
# name: (how the file is made, whether the rest of the form is valid, requests at once)
SCENARIOS = {
    "palette bomb 6320x6320, rest of form invalid": ("palette_bomb", False, 1),
    "palette bomb 6320x6320, valid form": ("palette_bomb", True, 1),
    "palette PNG 4096x4096 with transparency (the bound)": ("palette_4096", True, 1),
    "RGBA PNG 4096x4096 (the bound)": ("rgba_4096", True, 1),
    "RGBA PNG 4096x4096, 3 requests at once (threads)": ("rgba_4096", True, 3),
    "16-bit grey PNG 4096x4096 (the bound)": ("grey16_4096", True, 1),
    "JPEG 8190x8190 (67 MP, decoded at 1/2)": ("jpeg_8190", True, 1),
    "JPEG 16320x12240 (200 MP, decoded at 1/4)": ("jpeg_200mp", True, 1),
    "JPEG 4000x3000 (an ordinary 12 MP photo)": ("jpeg_12mp", True, 1),
    "progressive JPEG 16320x12240 (200 MP)": ("progressive_200mp", True, 1),
    "progressive JPEG 4096x4096, 4:4:4 (the bound)": ("progressive_4096", True, 1),
    "progressive CMYK JPEG 4096x4096 (the bound)": ("progressive_cmyk_4096", True, 1),
}


def make(kind: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    if kind == "palette_bomb":
        img = Image.new("P", (6320, 6320), 0)
        img.putpalette([200, 30, 30] * 256)
        img.save(out, "PNG", optimize=True, transparency=0)
    elif kind == "palette_4096":
        img = Image.new("P", (4096, 4096), 1)
        img.putpalette([200, 30, 30] * 256)
        img.save(out, "PNG", optimize=True, transparency=0)
    elif kind == "rgba_4096":
        Image.new("RGBA", (4096, 4096), (0, 90, 200, 128)).save(out, "PNG")
    elif kind == "grey16_4096":
        Image.new("I;16", (4096, 4096), 40000).save(out, "PNG")
    elif kind == "jpeg_8190":
        Image.new("RGB", (8190, 8190), (0, 90, 200)).save(out, "JPEG", quality=85)
    elif kind == "jpeg_200mp":
        Image.new("RGB", (16320, 12240), (0, 90, 200)).save(out, "JPEG", quality=85)
    elif kind == "progressive_200mp":
        img = Image.new("RGB", (16320, 12240), (0, 90, 200))
        img.save(out, "JPEG", quality=85, progressive=True)
    elif kind == "progressive_4096":
        noise = Image.effect_noise((4096, 4096), 60).convert("L")
        img = Image.merge("RGB", [noise] * 3)
        img.save(out, "JPEG", quality=90, progressive=True, subsampling=0)
    elif kind == "progressive_cmyk_4096":
        img = Image.new("CMYK", (4096, 4096), (10, 60, 120, 20))  # the coefficients cost the
        img.save(out, "JPEG", quality=90, progressive=True)  # same memory whatever the content
    elif kind == "jpeg_12mp":
        noise = Image.effect_noise((4000, 3000), 60).convert("L")
        Image.merge("RGB", [noise] * 3).save(out, "JPEG", quality=90)
    return out.getvalue()


def _make_files(folder: str) -> None:
    folder = Path(folder)
    for kind, _valid, _requests in SCENARIOS.values():
        path = folder / kind
        if not path.exists():
            path.write_bytes(make(kind))


def _measure(path: str, valid: bool, requests: int = 1) -> dict:
    """In a fresh process: validate ``requests`` forms (at once, in threads, as a threaded
    server would) with three copies of the file each."""
    import resource
    from concurrent.futures import ThreadPoolExecutor

    from bench import harness

    harness.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory
    from django.utils import timezone
    from django.utils.datastructures import MultiValueDict

    from meldingen.forms import MeldingForm
    from meldingen.models import Categorie

    data = Path(path).read_bytes()
    fields = {
        "wat": "Iemand probeert fietsen los te knippen." if valid else "",
        "waar": "Fietsenrek bij de supermarkt",
        "wanneer": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "bescherming": "coordinator",
    }

    def form():
        request = RequestFactory().post("/", REMOTE_ADDR=f"198.51.100.{uuid.uuid4().int % 250}")
        request.user = type("User", (), {"pk": f"bench-{uuid.uuid4().hex}"})()
        uploads = [
            SimpleUploadedFile(f"foto{i}", data, "image/png") for i in range(PHOTOS_PER_REQUEST)
        ]
        return MeldingForm(
            fields,
            MultiValueDict({"fotos": uploads}),
            categorie=Categorie(naam="Overlast", voorbeeld=""),
            request=request,
        )

    forms = [form() for _ in range(requests)]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=requests) as pool:
        list(pool.map(lambda f: f.is_valid(), forms))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "file_kb": round(len(data) / 1024),
        "seconds": round(seconds, 2),
        "peak_before_mb": round(before / 1024),
        "peak_after_mb": round(after / 1024),
        "extra_mb": round((after - before) / 1024),
        "stored": sum(len(f.cleaned_data.get("fotos") or []) for f in forms),
        "error": " ".join(forms[0].errors.get("fotos", []))[:60],
    }


def main() -> None:
    env = {**ENV, "PYTHONPATH": str(BASE_DIR)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run(  # noqa: S603 (our own arguments)
            [sys.executable, "-c", f"from bench.uploads import _make_files as m; m({tmp!r})"],
            check=True,
            cwd=BASE_DIR,
            env=env,
        )
        print(f"{PHOTOS_PER_REQUEST} photos per request; peak RSS of a fresh process (MB)\n")
        print(f"{'scenario':55} {'file kB':>8} {'s':>6} {'before':>7} {'after':>6} {'extra':>6}")
        for name, (kind, valid, requests) in SCENARIOS.items():
            code = (
                "import json; from bench.uploads import _measure; "
                f"print(json.dumps(_measure({str(folder / kind)!r}, {valid}, {requests})))"
            )
            done = subprocess.run(  # noqa: S603 (our own arguments)
                [sys.executable, "-c", code],
                check=True,
                cwd=BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
            )
            row = json.loads(done.stdout.strip().splitlines()[-1])
            outcome = f"stored {row['stored']}" if row["stored"] else row["error"] or "-"
            print(
                f"{name:55} {row['file_kb']:>8} {row['seconds']:>6} {row['peak_before_mb']:>7} "
                f"{row['peak_after_mb']:>6} {row['extra_mb']:>6}  {outcome}"
            )


if __name__ == "__main__":
    main()
