"""How figures, maps and charts read: rounding, suppression texts, shapes, labels, patterns."""

import re
from datetime import date

from indicatoren import charts, svg
from indicatoren.display import figure
from indicatoren.registry import INDICATORS

from .views_support import cel, onderdrukt, square


def test_figures_are_rounded_half_up_with_dutch_decimals():
    assert figure(INDICATORS["sociale_cohesie"], cel(6.25)).tekst == "6,3"
    assert figure(INDICATORS["bereik"], cel(8.25)).tekst == "8,3%"
    assert figure(INDICATORS["representativiteit"], cel(0.125)).tekst == "0,13"
    assert figure(INDICATORS["vrijwilligersuren"], cel(2.0)).tekst == "2,0 per 100"
    assert figure(INDICATORS["feedback_mediaan_uren"], cel(12.04)).tekst == "12,0 uur"


def test_suppressed_figures_never_carry_a_number():
    survey = figure(INDICATORS["sociale_cohesie"], {**onderdrukt(30), "waarde": 6.9, "n": 29})
    assert (survey.waarde, survey.n, survey.ci) == (None, None, None)
    assert survey.tekst == "te weinig antwoorden"
    assert survey.kort == "n < 30"
    count = figure(INDICATORS["bereik"], onderdrukt(10))
    assert (count.tekst, count.kort) == ("< 10 mensen", "< 10")
    assert "Minder dan 10" in count.uitleg


def test_a_suppressed_share_or_median_says_what_there_are_too_few_of():
    """A bare "< 10" beside a median or a share read as "under 10 hours" or "under 10%"."""
    median = figure(INDICATORS["feedback_mediaan_uren"], onderdrukt(10))
    assert (median.tekst, median.kort) == ("< 10 meldingen", "< 10")
    share = figure(INDICATORS["verzoeken_toegekend_aandeel"], onderdrukt(10))
    assert share.tekst == "< 10 verzoeken"


def test_people_counted_in_a_large_area_are_never_shown_as_zero_percent():
    # 225 people of 750,000 residents round to 0.0%: the page says "< 0,1%", not "0,0%".
    assert figure(INDICATORS["actieve_kern"], cel(0.0, 225)).tekst == "< 0,1%"
    assert figure(INDICATORS["bereik"], cel(0.0, 12)).tekst == "< 0,1%"
    assert figure(INDICATORS["bereik"], cel(0.3, 2250)).tekst == "0,3%"
    # A share whose n is its denominator can truly be zero: nobody came back twice.
    assert figure(INDICATORS["herhaling"], cel(0.0, 40)).tekst == "0,0%"


def test_a_missing_figure_is_not_zero():
    missing = figure(INDICATORS["bereik"], None)
    assert (missing.waarde, missing.tekst, missing.onderdrukt) == (None, "–", False)


def test_confidence_interval_in_words_and_short():
    fig = figure(INDICATORS["sociale_cohesie"], cel(7.12, 41, [6.8, 7.44]))
    assert fig.ci_tekst == "6,8 – 7,4"
    assert "95%-interval 6,8 tot 7,4: toevalsmarge onder wie antwoordde" in fig.uitleg


def test_map_draws_each_buurt_with_class_label_and_pattern():
    areas = [
        svg.Area(
            "BU1", "Noord", square(0, 0), "23,5%", "Noord: 23,5%", 5, streefwaarde_gehaald=True
        ),
        svg.Area("BU2", "Zuid", square(0, 200), "< 10", "Zuid: te weinig", onderdrukt=True),
        svg.Area("BU3", "Leeg", "", "", "geen vorm"),  # no shape: left off the map
        svg.Area("BU4", "<script>", square(200, 0), "", "<b>x</b>"),
    ]
    drawn = str(svg.buurt_map(areas, label="Kaart"))
    assert drawn.count("<path") == 3
    assert 'class="kaart-buurt kaart-k5 kaart-streefwaarde"' in drawn
    assert 'class="kaart-buurt kaart-onderdrukt"' in drawn
    assert 'class="kaart-buurt kaart-onbekend"' in drawn
    assert ">23,5%</text>" in drawn and ">&lt; 10</text>" in drawn
    assert "<script>" not in drawn and "&lt;b&gt;x&lt;/b&gt;" in drawn
    assert 'role="group" aria-label="Kaart"' in drawn
    assert "style=" not in drawn  # the CSP forbids inline style


def test_map_keeps_north_up_and_fits_the_width():
    drawn = str(svg.buurt_map([svg.Area("BU1", "N", square(0, 0, 100), "1", "t", 1)], label="k"))
    assert 'viewBox="0 0 800 800"' in drawn
    # RD New y grows northwards, SVG y downwards: the southern edge is drawn at the bottom.
    assert "M12 788L788 788L788 12L12 12" in drawn


def test_labels_of_small_neighbours_never_overlap_the_larger_buurt_keeps_its_label():
    areas = [
        svg.Area("BU1", "Groot", square(0, 0, 1000), "12,5%", "Groot: 12,5%", 3),
        # Two small buurten right beside the big one's label point, and one far away.
        svg.Area("BU2", "Klein", square(480, 480, 30), "99,9%", "Klein: 99,9%", 5),
        svg.Area("BU3", "Ver", square(5000, 5000, 40), "7,0%", "Ver: 7,0%", 1),
    ]
    drawn = str(svg.buurt_map(areas, label="Kaart"))
    assert ">12,5%</text>" in drawn and ">7,0%</text>" in drawn
    assert ">99,9%</text>" not in drawn  # it would sit on top of the big buurt's label
    assert "<title>Klein: 99,9%</title>" in drawn  # the value is still on the buurt itself
    assert drawn.count("<path") == 3


def test_labels_that_only_fit_on_a_wide_screen_are_hidden_on_phones():
    placed = list(svg.place_labels([(100.0, 100.0, 100.0, "10%"), (50.0, 135.0, 100.0, "20%")]))
    # 35 units apart: clear at the desktop size, overlapping at the phone size.
    assert placed == [
        ("kaart-label", 100.0, 100.0, "10%"),
        ("kaart-label kaart-label-breed", 135.0, 100.0, "20%"),
    ]


def test_buurt_names_are_written_under_the_values_where_there_is_room():
    areas = [
        svg.Area("BU1", "Groot", square(0, 0, 1000), "12,5%", "Groot: 12,5%", 3),
        svg.Area("BU2", "Klein", square(480, 480, 30), "99,9%", "Klein: 99,9%", 5),
        svg.Area("BU3", "Verre Buurt", square(5000, 5000, 400), "7,0%", "Ver: 7,0%", 1),
    ]
    drawn = str(svg.buurt_map(areas, label="Kaart"))
    assert ">Groot</text>" in drawn and ">Verre Buurt</text>" in drawn
    assert 'class="kaart-naam" ' in drawn and 'dy="1.25em"' in drawn
    assert ">Klein</text>" not in drawn  # its value did not fit, nor does its name
    placed = list(svg.place_labels([(100.0, 100.0, 100.0, "10%")], {(100.0, 100.0): "A" * 40}))
    assert [classes for classes, *_ in placed] == ["kaart-label", "kaart-naam"]
    # Two values side by side: the long names would overlap, so only the larger one gets its.
    crowded = list(
        svg.place_labels(
            [(100.0, 100.0, 100.0, "10%"), (50.0, 180.0, 100.0, "20%")],
            {(100.0, 100.0): "Lange buurtnaam", (180.0, 100.0): "Andere buurtnaam"},
        )
    )
    # On a phone the other gets a number in its name's place, and the key names it.
    assert [text for *_, text in crowded] == ["10%", "20%", "Lange buurtnaam", "1"]
    assert ">Groot</text>" not in str(svg.buurt_map(areas, label="Kaart", with_names=False))


def test_labels_sit_inside_concave_buurten():
    # An L shape whose centroid lies outside it.
    ring = [(0, 0), (100, 0), (100, 10), (10, 10), (10, 100), (0, 100)]
    x, y = svg.label_point(ring)
    assert (0 <= x <= 100 and 0 <= y <= 10) or (0 <= x <= 10 and 0 <= y <= 100)


def test_class_breaks_cover_the_range():
    breaks = svg.class_breaks([2.0, 12.0])
    assert breaks[0][0] == 2.0 and breaks[-1][1] == 12.0 and len(breaks) == 5
    assert svg.class_of(2.0, breaks) == 1
    assert svg.class_of(12.0, breaks) == 5
    assert svg.class_of(None, breaks) is None
    assert svg.class_breaks([5.0, 5.0]) == [(5.0, 5.0)]


def test_trend_chart_breaks_the_line_at_suppressed_periods():
    points = [
        charts.Point(date(2026, 1, 31), 5.0, False, "5,0%"),
        charts.Point(date(2026, 4, 30), 8.0, False, "8,0%"),
        charts.Point(date(2026, 7, 31), None, True, "< 10"),
        charts.Point(date(2026, 10, 31), 12.0, False, "12,0%"),
    ]
    drawn = str(
        charts.trend_chart(points, label="Trend", streefwaarde=20, streefwaarde_label="doel 20%")
    )
    assert drawn.count("<polyline") == 1  # 5 → 8; 12 stands alone after the gap
    assert drawn.count("<circle") == 3
    assert 'class="grafiek-onderdrukt"' in drawn and ">&lt; 10</text>" in drawn
    assert 'class="grafiek-streefwaarde"' in drawn and "doel 20%" in drawn
    assert 'role="img" aria-label="Trend"' in drawn
    assert "style=" not in drawn


def test_chart_scale_is_round_and_includes_the_target():
    assert (
        charts.y_ticks(
            [charts.Point(date(2026, 1, 1), 4.2, False, "")], fixed_max=None, streefwaarde=20
        )[-1]
        >= 20
    )
    assert charts.y_ticks([], fixed_max=10.0, streefwaarde=None) == [0, 2, 4, 6, 8, 10]


def test_on_a_phone_every_buurt_is_named_by_its_name_or_a_number_in_the_key():
    """Small buurten side by side (a 375 px phone draws a wijk at about half size): the names
    that have no room become numbers, north to south, named in the key under the map; every
    label stays inside the drawing."""
    areas = [
        svg.Area("BU1", "Groot", square(0, 0, 1000), "12,5%", "Groot: 12,5%", 3),
        svg.Area("BU2", "Smalle Noordbuurt", square(0, 1080, 60), "9,9%", "t", 5),
        svg.Area("BU3", "Smalle Zuidbuurt", square(0, -1080, 60), "8,8%", "t", 2),
        svg.Area("BU4", "Randbuurt", square(1080, 0, 60), "niet getoond", "t", onderdrukt=True),
    ]
    drawn = str(svg.buurt_map(areas, label="Kaart"))
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', drawn).group(1))
    on_phone = set(re.findall(r'<text class="kaart-naam" [^>]*>([^<]+)</text>', drawn))
    assert "Groot" in on_phone
    svg_part, _, key = drawn.partition('<ol class="kaart-sleutel" data-kaart-sleutel')
    in_key = re.findall(r'<li value="(\d+)">([^<]+)</li>', key)
    assert {name for _, name in in_key} | on_phone == {
        "Groot",
        "Smalle Noordbuurt",
        "Smalle Zuidbuurt",
        "Randbuurt",
    }
    # The key counts from 1, north to south: the northern buurt's number comes first.
    assert [n for n, _ in in_key] == [str(i) for i in range(1, len(in_key) + 1)]
    names = [name for _, name in in_key]
    if "Smalle Noordbuurt" in names and "Smalle Zuidbuurt" in names:
        assert names.index("Smalle Noordbuurt") < names.index("Smalle Zuidbuurt")
    assert svg_part.count('<g class="kaart-nummer">') == len(in_key)
    xs = [float(x) for x in re.findall(r' x="([\d.]+)"', svg_part)]
    assert xs and all(0 <= x <= width for x in xs)
    assert "style=" not in drawn
