"""import_buurten with the real CBS and Amsterdam files, and with broken ones."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from buurten.importer import import_kerncijfers
from buurten.models import Buurt, Gemeente, Stadsdeel, Wijk

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data" / "amsterdam"
KERNCIJFERS = DATA / "kerncijfers_wijken_buurten_2024.csv"
GEBIEDEN = DATA / "buurten_gebieden.csv"
HEADER = (
    "District_Type;Municipality_Name;Area_Code;Population_Total;Pop_Age_0_15;Pop_Age_15_25;"
    "Pop_Age_25_45;Pop_Age_45_65;Pop_Age_65_Plus"
)


def write(tmp_path, *lines, name="kerncijfers_2024.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_imports_all_amsterdam_areas_with_stadsdeel_and_shape():
    out = StringIO()
    call_command("import_buurten", str(KERNCIJFERS), gebieden=str(GEBIEDEN), stdout=out)

    assert Gemeente.objects.get().code == "GM0363"
    assert Wijk.objects.count() == 110
    assert Buurt.objects.count() == 517
    assert Stadsdeel.objects.count() == 9
    assert Buurt.objects.exclude(latitude=None).count() == 439
    assert Buurt.objects.filter(geometrie__startswith="SRID=28992;POLYGON").count() == 439
    plancius = Buurt.objects.select_related("wijk", "stadsdeel").get(code="BU0363AA01")
    assert (plancius.naam, plancius.wijk.code, plancius.stadsdeel.naam) == (
        "Planciusbuurt-Noord",
        "WK0363AA",
        "Centrum",
    )
    assert (plancius.inwoners, plancius.inwoners_15_plus, plancius.peiljaar) == (345, 325, 2024)
    assert "Created: 1 gemeente, 110 wijk, 517 buurt" in out.getvalue()
    assert "1067/1067 rows" in out.getvalue()  # progress


def test_running_again_duplicates_nothing_and_reports_unchanged():
    import_kerncijfers(KERNCIJFERS, gebieden=GEBIEDEN)
    report = import_kerncijfers(KERNCIJFERS, gebieden=GEBIEDEN)

    assert Buurt.objects.count() == 517
    assert report.created == {"gemeente": 0, "wijk": 0, "buurt": 0}
    assert report.updated == {"gemeente": 0, "wijk": 0, "buurt": 0}
    assert report.unchanged == 628


def test_changed_figures_are_updated_in_place(tmp_path):
    gm = "Amsterdam;Amsterdam;GM0363;1000;100;100;300;300;200"
    wk = "Haarlemmerbuurt;Amsterdam;WK0363AA;500;50;50;150;150;100"
    import_kerncijfers(
        write(tmp_path, gm, wk, "Plancius;Amsterdam;BU0363AA01;345;20;25;100;100;100")
    )
    first_id = Buurt.objects.get().pk

    report = import_kerncijfers(
        write(tmp_path, gm, wk, "Planciusbuurt-Noord;Amsterdam;BU0363AA01;350;;25;100;100;100")
    )

    buurt = Buurt.objects.get()
    assert buurt.pk == first_id
    assert (buurt.naam, buurt.inwoners) == ("Planciusbuurt-Noord", 350)
    # An empty cell is a figure CBS suppressed: unknown, not zero.
    assert buurt.leeftijd_0_15 is None
    assert buurt.inwoners_15_plus is None
    assert report.updated["buurt"] == 1


def test_unusable_rows_are_skipped_with_a_reason(tmp_path):
    path = write(
        tmp_path,
        "Amsterdam;Amsterdam;GM0363;1000;100;100;300;300;200",
        "Haarlemmerbuurt;Amsterdam;WK0363AA;500;50;50;150;150;100",
        "Goed;Amsterdam;BU0363AA01;345;20;25;100;100;100",
        "Kapot;Amsterdam;BU0363A;1;1;1;1;1;1",
        "Zonder wijk;Amsterdam;BU0363ZZ01;10;1;1;1;1;1",
        "Tekst;Amsterdam;BU0363AA02;veel;1;1;1;1;1",
        "Onbekend;Amsterdam;XX1234;1;1;1;1;1;1",
        ";Amsterdam;BU0363AA03;1;1;1;1;1;1",
    )
    out = StringIO()
    call_command("import_buurten", str(path), stdout=out)

    assert list(Buurt.objects.values_list("code", flat=True)) == ["BU0363AA01"]
    text = out.getvalue()
    assert "Skipped 5 rows" in text
    assert "BU0363A: invalid buurt code" in text
    assert "BU0363ZZ01: wijk WK0363ZZ not in file" in text
    assert "BU0363AA02: not a count: veel" in text
    assert "XX1234: unknown area code" in text
    assert "BU0363AA03: invalid buurt code or empty name" in text


def test_a_file_with_the_wrong_columns_is_refused_whole(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("Area_Code;Name\nBU0363AA01;x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing columns"):
        call_command("import_buurten", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="not found"):
        call_command("import_buurten", str(tmp_path / "absent.csv"), stdout=StringIO())
    assert not Buurt.objects.exists()


def test_the_2015_names_are_kept_where_they_say_more_and_found_by_the_search():
    from buurten.selectors import buurt_search

    import_kerncijfers(KERNCIJFERS, gebieden=GEBIEDEN)

    assert Buurt.objects.get(code="BU0363AE03").naam_2015 == ""  # "Burgwallen Oost": a dash
    assert Buurt.objects.exclude(naam_2015="").count() == 48  # of 439 with a 2015 name
    assert [b.naam for b in buurt_search("Osdorp Midden Noord")] == ["Reimerswaal"]
    assert "Westelijke eilanden" in [b.naam for b in buurt_search("westelijke eilanden")]
    assert list(buurt_search("Realeneiland")) == []  # a local name no data holds
