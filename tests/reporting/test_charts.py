"""Charts draw the figures they are given, read out the same figures, and survive odd data."""

import io
import math
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from reporting.charts import (
    NO_DATA,
    Chart,
    Series,
    bar_chart,
    format_value,
    line_chart,
    nice_ticks,
    sparkline,
)

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ("Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026")


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed


def _series_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "app-chart__series"]


def _points(group: ET.Element) -> list[ET.Element]:
    return group.findall(f"{SVG}circle")


def _lines(group: ET.Element) -> list[ET.Element]:
    return group.findall(f"{SVG}path")


def _bars(group: ET.Element) -> list[ET.Element]:
    return group.findall(f"{SVG}rect")


def _group_texts(root: ET.Element, css_class: str) -> list[str]:
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == css_class)
    return [" ".join(t.itertext()) for t in group.iter(f"{SVG}text")]


def _y_ticks(root: ET.Element) -> list[str]:
    return _group_texts(root, "app-chart__y-axis")


def test_a_line_chart_is_an_accessible_image_with_its_title_and_description() -> None:
    chart = line_chart(
        title="Requests received",
        labels=MONTHS,
        series=[Series("Requests", (120, 187, 150, 90, 101))],
    )

    root = _parse(chart.svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert (title.get("id"), title.text) == (title_id, "Requests received")
    assert desc.get("id") == desc_id
    assert desc.text == (
        "Line chart, Jan 2026 to May 2026. Requests: latest 101 (May 2026),"
        " highest 187 (Feb 2026), lowest 90 (Apr 2026)."
    )
    assert "Arial" in root.get("font-family", "")
    assert chart.title == "Requests received"


def test_every_value_is_a_point_and_none_breaks_the_line() -> None:
    chart = line_chart(
        title="Requests",
        labels=MONTHS,
        series=[
            Series("Unbroken", (1, 2, 3, 4, 5)),
            Series("Gap in the middle", (1, 2, None, 4, 5)),
            Series("Isolated points", (1, None, 3, None, 5)),
        ],
    )

    unbroken, gap, isolated = _series_groups(_parse(chart.svg))
    assert (len(_points(unbroken)), len(_lines(unbroken))) == (5, 1)
    assert (len(_points(gap)), len(_lines(gap))) == (4, 2)
    assert (len(_points(isolated)), len(_lines(isolated))) == (3, 0)
    first_run, second_run = (path.get("d", "") for path in _lines(gap))
    assert first_run.count("L") == 1  # Jan-Feb, then nothing drawn through March
    assert second_run.count("L") == 1  # Apr-May


def test_points_go_up_with_the_value() -> None:
    chart = line_chart(title="T", labels=MONTHS[:3], series=[Series("S", (10, 30, 20))])

    ys = [float(c.get("cy", "")) for c in _points(_series_groups(_parse(chart.svg))[0])]
    assert ys[1] < ys[2] < ys[0]  # SVG's y grows downwards


@pytest.mark.parametrize(
    ("low", "high", "unit", "ticks"),
    [
        (0, 187, "count", (0, 50, 100, 150, 200)),
        (12, 1383, "count", (0, 500, 1000, 1500)),
        (0, 100, "count", (0, 50, 100)),
        (0, 0, "count", (0, 1)),
        (0, 3, "count", (0, 1, 2, 3)),
        (0, 18.4, "weeks", (0, 5, 10, 15, 20)),
        (0, 0.9, "weeks", (0, 0.5, 1)),
        (2.6, 94.4, "percent", (0, 20, 40, 60, 80, 100)),
        (0, 0, "percent", (0, 20, 40, 60, 80, 100)),
        (-37, 30, "count", (-40, -20, 0, 20, 40)),
        (5, 9, "count", (0, 5, 10)),
        (-9, -5, "count", (-10, -5, 0)),
        (0, 2_500_000, "count", (0, 1_000_000, 2_000_000, 3_000_000)),
    ],
)
def test_nice_ticks(low: float, high: float, unit: str, ticks: tuple[float, ...]) -> None:
    assert nice_ticks(low, high, unit=unit) == ticks


def test_the_axis_of_a_chart_tops_out_at_a_round_number() -> None:
    chart = line_chart(title="T", labels=MONTHS[:2], series=[Series("S", (40, 187))])

    assert _y_ticks(_parse(chart.svg)) == ["0", "50", "100", "150", "200"]


def test_a_percent_axis_runs_from_0_to_100() -> None:
    chart = line_chart(
        title="Decided in 6 weeks",
        labels=("Sep-23", "Mar-24", "Sep-24"),
        series=[Series("6 wk decision", (93.2, 96.4, 100.0))],
        unit="percent",
    )

    assert _y_ticks(_parse(chart.svg)) == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert chart.rows == (("Sep-23", "93.2%"), ("Mar-24", "96.4%"), ("Sep-24", "100.0%"))


def test_very_large_counts_get_separated_tick_labels() -> None:
    chart = bar_chart(title="T", labels=("A", "B"), series=[Series("S", (2_345_678, 10))])

    assert _y_ticks(_parse(chart.svg)) == ["0", "1,000,000", "2,000,000", "3,000,000"]
    assert chart.rows == (("A", "2,345,678"), ("B", "10"))


def test_user_text_is_escaped_everywhere() -> None:
    name = "<script>alert('x')</script>"
    chart = line_chart(
        title="Tom & Jerry's <b>chart</b>",
        labels=("<i>Jan</i>", "Feb & Mar"),
        series=[Series(name, (1, 2)), Series("Other", (2, 1))],
    )

    assert "<script>" not in chart.svg
    assert "<b>" not in chart.svg
    root = _parse(chart.svg)  # still well-formed
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == "Tom & Jerry's <b>chart</b>"
    assert name in _group_texts(root, "app-chart__legend")
    assert _group_texts(root, "app-chart__x-axis") == ["<i>Jan</i>", "Feb & Mar"]
    assert chart.headers == ("Period", name, "Other")


def test_the_table_has_the_same_numbers_as_the_chart() -> None:
    chart = line_chart(
        title="Plans",
        labels=MONTHS[:3],
        series=[Series("Open plans", (1383, 1030, None)), Series("New plans", (12, 0, 7))],
        label_heading="Month",
    )

    assert chart.headers == ("Month", "Open plans", "New plans")
    assert chart.rows == (
        ("Jan 2026", "1,383", "12"),
        ("Feb 2026", "1,030", "0"),
        ("Mar 2026", NO_DATA, "7"),
    )


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1383, "count", "1,383"),
        (-1383, "count", "-1,383"),
        (12.0, "count", "12"),
        (2.5, "count", "2.5"),
        (93.25, "percent", "93.3%"),  # half up, as people round
        (2.65, "percent", "2.7%"),  # not 2.6 from the binary 2.64999...
        (100, "percent", "100.0%"),
        (18.44, "weeks", "18.4"),
        (20, "weeks", "20.0"),
        (None, "count", NO_DATA),
        (math.nan, "percent", NO_DATA),
    ],
)
def test_format_value(value: float | None, unit: str, shown: str) -> None:
    assert format_value(value, unit=unit) == shown


def test_a_target_is_a_dashed_line_named_in_the_legend() -> None:
    chart = line_chart(
        title="T",
        labels=MONTHS[:2],
        series=[Series("6 wk decision", (80, 95))],
        unit="percent",
        target=90,
    )

    root = _parse(chart.svg)
    target = next(el for el in root.iter(f"{SVG}line") if el.get("class") == "app-chart__target")
    assert target.get("stroke-dasharray")
    ys = [float(c.get("cy", "")) for c in _points(_series_groups(root)[0])]
    assert ys[1] < float(target.get("y1", "")) < ys[0]  # 95 above the target, 80 below
    assert _group_texts(root, "app-chart__legend") == ["Target 90.0%"]
    assert chart.svg.count("stroke-dasharray") == 2  # the line and its legend key


def test_no_target_and_one_series_means_no_legend() -> None:
    chart = line_chart(title="T", labels=MONTHS[:2], series=[Series("S", (1, 2))])

    assert "app-chart__legend" not in chart.svg
    assert "stroke-dasharray" not in chart.svg


def test_a_target_above_the_data_stretches_the_axis() -> None:
    chart = bar_chart(title="T", labels=("A",), series=[Series("S", (40,))], target=187)

    assert _y_ticks(_parse(chart.svg))[-1] == "200"


def test_seventy_months_print_a_readable_few_labels_ending_with_the_latest() -> None:
    labels = [f"{month} {2020 + i // 12}" for i, month in enumerate(["Jan", "Feb"] * 35)]
    chart = line_chart(title="T", labels=labels, series=[Series("S", tuple(range(70)))])

    printed = _group_texts(_parse(chart.svg), "app-chart__x-axis")
    assert 5 <= len(printed) <= 15
    assert printed[-1] == labels[-1]
    assert len(_points(_series_groups(_parse(chart.svg))[0])) == 70
    assert len(chart.rows) == 70


@pytest.mark.parametrize("chart_function", [line_chart, bar_chart])
def test_no_data_at_all(chart_function: Callable[..., Chart]) -> None:
    empty = chart_function(title="Nothing yet", labels=(), series=())
    all_none = chart_function(
        title="Nothing known", labels=MONTHS[:3], series=[Series("S", (None, None, None))]
    )

    for chart in (empty, all_none):
        root = _parse(chart.svg)
        assert NO_DATA in _texts(root)
        assert all(not _points(g) and not _bars(g) for g in _series_groups(root))
    assert empty.rows == ()
    assert all_none.rows == tuple((month, NO_DATA) for month in MONTHS[:3])


def _texts(root: ET.Element) -> list[str]:
    return [" ".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_a_single_point_is_drawn_as_a_dot_in_the_middle() -> None:
    chart = line_chart(title="T", labels=("Jan 2026",), series=[Series("S", (5,))], width=640)

    (group,) = _series_groups(_parse(chart.svg))
    (point,) = _points(group)
    assert not _lines(group)
    assert 300 < float(point.get("cx", "")) < 340


def test_equal_values_make_a_flat_line() -> None:
    chart = line_chart(title="T", labels=MONTHS, series=[Series("S", (7, 7, 7, 7, 7))])

    ys = {c.get("cy") for c in _points(_series_groups(_parse(chart.svg))[0])}
    assert len(ys) == 1


def test_nan_and_infinity_are_gaps_not_crashes() -> None:
    chart = line_chart(
        title="T", labels=MONTHS[:3], series=[Series("S", (1, math.nan, math.inf))], target=math.nan
    )

    assert len(_points(_series_groups(_parse(chart.svg))[0])) == 1
    assert chart.rows[1:] == (("Feb 2026", NO_DATA), ("Mar 2026", NO_DATA))


def test_bars_one_per_value_with_negative_bars_below_zero() -> None:
    chart = bar_chart(
        title="Net flow",
        labels=MONTHS,
        series=[Series("Net flow", (30, -37, None, 0, 5))],
        label_heading="Month",
    )

    root = _parse(chart.svg)
    bars = _bars(_series_groups(root)[0])
    assert len(bars) == 4  # no bar for the month with no data
    up, down, zero, _ = bars
    baseline = float(up.get("y", "")) + float(up.get("height", ""))
    assert float(down.get("y", "")) == pytest.approx(baseline)
    assert float(down.get("height", "")) > float(up.get("height", "")) > 0
    assert float(zero.get("height", "")) == 0
    ticks = _y_ticks(root)
    assert "0" in ticks
    assert ticks[0] == "-40"
    assert chart.rows[1] == ("Feb 2026", "-37")


def test_bars_for_several_series_sit_side_by_side_with_a_legend() -> None:
    chart = bar_chart(
        title="Plans by placement",
        labels=("Mainstream schools or academies", "Resourced provision or SEN units"),
        series=[Series("2024", (1383, 240)), Series("2025", (1500, 260))],
    )

    root = _parse(chart.svg)
    first, second = _series_groups(root)
    assert len(_bars(first)) == len(_bars(second)) == 2
    assert float(_bars(first)[0].get("x", "")) < float(_bars(second)[0].get("x", ""))
    assert _group_texts(root, "app-chart__legend") == ["2024", "2025"]
    assert chart.headers == ("Category", "2024", "2025")
    assert chart.rows[0] == ("Mainstream schools or academies", "1,383", "1,500")


def test_two_charts_on_one_page_have_different_ids() -> None:
    one = line_chart(title="One", labels=MONTHS[:2], series=[Series("S", (1, 2))])
    two = line_chart(title="Two", labels=MONTHS[:2], series=[Series("S", (1, 2))])

    assert _parse(one.svg).get("aria-labelledby") != _parse(two.svg).get("aria-labelledby")


def test_wrong_input_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="has 2 values for 3 labels"):
        line_chart(title="T", labels=MONTHS[:3], series=[Series("S", (1, 2))])
    with pytest.raises(ValueError, match="Unknown unit 'pounds'"):
        bar_chart(title="T", labels=(), series=(), unit="pounds")


def test_a_sparkline_marks_the_latest_point_and_leaves_gaps() -> None:
    svg = sparkline(values=[1, 3, None, 2, 5, 4, None], label="Requests, last 7 months")

    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Requests, last 7 months"
    assert len(root.findall(f"{SVG}path")) == 2
    (last,) = root.findall(f"{SVG}circle")
    xs = [float(p.split(",")[0]) for d in _path_data(root) for p in d[1:].split(" L")]
    assert float(last.get("cx", "")) == max(xs)  # the value 4, the latest known


def _path_data(root: ET.Element) -> list[str]:
    return [p.get("d", "") for p in root.findall(f"{SVG}path")]


@pytest.mark.parametrize(
    ("values", "paths", "circles"),
    [([], 0, 0), ([None, None], 0, 0), ([5], 0, 1), ([5, 5, 5], 1, 1), ([-3, 0, 2], 1, 1)],
)
def test_sparkline_edge_cases(values: list[float | None], paths: int, circles: int) -> None:
    root = _parse(sparkline(values=values, label="<Trend>"))

    assert (len(root.findall(f"{SVG}path")), len(root.findall(f"{SVG}circle"))) == (
        paths,
        circles,
    )
    assert root.get("aria-label") == "<Trend>"


def test_a_flat_sparkline_sits_in_the_middle() -> None:
    root = _parse(sparkline(values=[5, 5, 5], height=28, label="Flat"))

    ys = {p.split(",")[1] for d in _path_data(root) for p in d[1:].split(" L")}
    assert ys == {"14"}


def test_the_same_svg_prints_in_a_weasyprint_pdf() -> None:
    from pypdf import PdfReader
    from weasyprint import HTML

    chart = line_chart(
        title="Requests",
        labels=("Jan 2026", "Feb 2026"),
        series=[Series("Requests", (187, 120)), Series("Plans", (1, 2))],
        target=150,
    )

    pdf = HTML(string=f"<html><body>{chart.svg}</body></html>").write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in ("200", "150", "Jan 2026", "Feb 2026", "Requests", "Plans", "Target 150"):
        assert expected in text
