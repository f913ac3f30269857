"""Import CBS Kerncijfers wijken en buurten (and optionally Amsterdam's gebieden) into the areas.

Idempotent: areas are matched on their CBS code, changed rows are updated, nothing is duplicated.
Rows that cannot be used are skipped with a reason; nothing is half-imported (one transaction).
"""

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import (
    BUURT_CODE_RE,
    GEMEENTE_CODE_RE,
    WIJK_CODE_RE,
    Buurt,
    Gemeente,
    Stadsdeel,
    Wijk,
)

POPULATION_COLUMNS = {
    "inwoners": "Population_Total",
    "leeftijd_0_15": "Pop_Age_0_15",
    "leeftijd_15_25": "Pop_Age_15_25",
    "leeftijd_25_45": "Pop_Age_25_45",
    "leeftijd_45_65": "Pop_Age_45_65",
    "leeftijd_65_plus": "Pop_Age_65_Plus",
}
REQUIRED_KERNCIJFERS_COLUMNS = {"District_Type", "Area_Code", *POPULATION_COLUMNS.values()}
REQUIRED_GEBIEDEN_COLUMNS = {
    "BUURTCODE_CBS_2022",
    "STADSDEELCODE",
    "STADSDEELNAAM",
    "latitude",
    "longitude",
    "geometrie",
}
BUURT_FIELDS = [*POPULATION_COLUMNS, "naam", "wijk", "peiljaar"]
GEBIED_FIELDS = ["stadsdeel", "latitude", "longitude", "geometrie", "naam_2015"]


class UnusableFileError(Exception):
    """The file as a whole cannot be imported (missing, wrong columns)."""


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: {"gemeente": 0, "wijk": 0, "buurt": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"gemeente": 0, "wijk": 0, "buurt": 0})
    unchanged: int = 0
    gebieden_matched: int = 0
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (line, code, reason)

    def skip(self, line: int, code: str, reason: str) -> None:
        self.skipped.append((line, code, reason))


def _number(raw: str) -> int | None:
    """CBS leaves suppressed figures empty: unknown, not zero. Accepts '1.0' and '1,0'."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise ValueError(raw) from None
    if value < 0 or value != int(value):
        raise ValueError(raw)
    return int(value)


def _read(path: Path, delimiter: str, required: set[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise UnusableFileError(f"File not found: {path}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        missing = required - set(reader.fieldnames or [])
        if missing:
            raise UnusableFileError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        return list(reader)


def _changed(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@transaction.atomic
def import_kerncijfers(
    path: Path,
    *,
    gebieden: Path | None = None,
    peiljaar: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    rows = _read(path, ";", REQUIRED_KERNCIJFERS_COLUMNS)
    gebied_rows = _read(gebieden, ",", REQUIRED_GEBIEDEN_COLUMNS) if gebieden else []
    if peiljaar is None:
        found = re.search(r"(20\d\d)", path.name)
        peiljaar = int(found.group(1)) if found else None
    report = ImportReport()
    total = len(rows) + len(gebied_rows)
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress and (done % 100 == 0 or done == total):
            progress(done, total)

    by_prefix: dict[str, list[tuple[int, dict]]] = {"GM": [], "WK": [], "BU": []}
    for line, row in enumerate(rows, start=2):
        code = (row["Area_Code"] or "").strip()
        prefix = code[:2]
        if prefix not in by_prefix:
            report.skip(line, code, "unknown area code")
            tick()
            continue
        by_prefix[prefix].append((line, row))

    gemeenten = {g.code: g for g in Gemeente.objects.all()}
    for line, row in by_prefix["GM"]:
        code, naam = row["Area_Code"].strip(), row["District_Type"].strip()
        if not re.match(GEMEENTE_CODE_RE, code) or not naam:
            report.skip(line, code, "invalid gemeente code or empty name")
        elif code in gemeenten:
            if _changed(gemeenten[code], {"naam": naam}):
                gemeenten[code].save()
                report.updated["gemeente"] += 1
            else:
                report.unchanged += 1
        else:
            gemeenten[code] = Gemeente.objects.create(code=code, naam=naam)
            report.created["gemeente"] += 1
        tick()

    wijken = {w.code: w for w in Wijk.objects.all()}
    new_wijken, changed_wijken = [], []
    for line, row in by_prefix["WK"]:
        code, naam = row["Area_Code"].strip(), row["District_Type"].strip()
        gemeente = gemeenten.get(f"GM{code[2:6]}")
        if not re.match(WIJK_CODE_RE, code) or not naam:
            report.skip(line, code, "invalid wijk code or empty name")
        elif gemeente is None:
            report.skip(line, code, f"gemeente GM{code[2:6]} not in file")
        elif code in wijken:
            if _changed(wijken[code], {"naam": naam, "gemeente_id": gemeente.pk}):
                changed_wijken.append(wijken[code])
            else:
                report.unchanged += 1
        else:
            wijken[code] = Wijk(code=code, naam=naam, gemeente=gemeente)
            new_wijken.append(wijken[code])
        tick()
    Wijk.objects.bulk_create(new_wijken)
    Wijk.objects.bulk_update(changed_wijken, ["naam", "gemeente"])
    report.created["wijk"] += len(new_wijken)
    report.updated["wijk"] += len(changed_wijken)

    buurten = {b.code: b for b in Buurt.objects.all()}
    new_buurten, changed_buurten = [], []
    for line, row in by_prefix["BU"]:
        code, naam = row["Area_Code"].strip(), row["District_Type"].strip()
        wijk = wijken.get(f"WK{code[2:8]}")
        if not re.match(BUURT_CODE_RE, code) or not naam:
            report.skip(line, code, "invalid buurt code or empty name")
            tick()
            continue
        if wijk is None or wijk.pk is None:
            report.skip(line, code, f"wijk WK{code[2:8]} not in file")
            tick()
            continue
        try:
            values = {name: _number(row[column]) for name, column in POPULATION_COLUMNS.items()}
        except ValueError as exc:
            report.skip(line, code, f"not a count: {exc}")
            tick()
            continue
        values.update(naam=naam, wijk_id=wijk.pk, peiljaar=peiljaar)
        if code in buurten:
            if _changed(buurten[code], values):
                changed_buurten.append(buurten[code])
            else:
                report.unchanged += 1
        else:
            buurten[code] = Buurt(code=code, **values)
            new_buurten.append(buurten[code])
        tick()
    Buurt.objects.bulk_create(new_buurten)
    Buurt.objects.bulk_update(changed_buurten, BUURT_FIELDS)
    report.created["buurt"] += len(new_buurten)
    report.updated["buurt"] += len(changed_buurten)

    if gebied_rows:
        _import_gebieden(gebied_rows, buurten, wijken, report, tick)
    return report


def _import_gebieden(rows, buurten, wijken, report: ImportReport, tick) -> None:
    stadsdelen = {(s.gemeente_id, s.code): s for s in Stadsdeel.objects.all()}
    wijk_by_id = {w.pk: w for w in wijken.values()}
    changed_buurten, changed_wijken = {}, {}
    for line, row in enumerate(rows, start=2):
        code = (row["BUURTCODE_CBS_2022"] or "").strip()
        buurt = buurten.get(code)
        if buurt is None or buurt.pk is None:
            report.skip(line, code, "gebieden: buurt not in kerncijfers")
            tick()
            continue
        try:
            latitude, longitude = float(row["latitude"]), float(row["longitude"])
        except ValueError:
            report.skip(line, code, "gebieden: invalid centroid")
            tick()
            continue
        wijk = wijk_by_id[buurt.wijk_id]
        gemeente_id = wijk.gemeente_id
        key = (gemeente_id, row["STADSDEELCODE"].strip())
        if key not in stadsdelen:
            stadsdelen[key] = Stadsdeel.objects.create(
                gemeente_id=gemeente_id, code=key[1], naam=row["STADSDEELNAAM"].strip()
            )
        stadsdeel = stadsdelen[key]
        geometrie = row["geometrie"].strip()
        if geometrie and not geometrie.startswith("SRID=28992;POLYGON"):
            report.skip(line, code, "gebieden: shape is not an RD New polygon")
            geometrie = buurt.geometrie
        values = {
            "stadsdeel_id": stadsdeel.pk,
            "latitude": latitude,
            "longitude": longitude,
            "geometrie": geometrie,
            "naam_2015": _old_name(row, buurt.naam),
        }
        if _changed(buurt, values):
            changed_buurten[buurt.pk] = buurt
        if _changed(wijk, {"stadsdeel_id": stadsdeel.pk}):
            changed_wijken[wijk.pk] = wijk
        report.gebieden_matched += 1
        tick()
    Buurt.objects.bulk_update(list(changed_buurten.values()), GEBIED_FIELDS)
    Wijk.objects.bulk_update(list(changed_wijken.values()), ["stadsdeel"])


def _old_name(row, naam: str) -> str:
    """The 2015 name when it says more than the current one (not just a dash for a space)."""
    old = " ".join((row.get("BUURTNAAM_2015") or "").split())[:100]
    same = old.replace("-", " ").casefold() == naam.replace("-", " ").casefold()
    return "" if same else old
