"""The shared chart definition: SVG drawn once per distinct definition, figures kept as a table."""

from unittest import mock

from django.core.cache import cache

from onesource.core.charts import Chart, Series


def test_the_same_chart_is_drawn_once_and_a_changed_figure_is_drawn_again():
    cache.clear()
    chart = Chart(title="Headcount", labels=["2014", "2015"], series=[Series("Staff", [1350, 1200])])
    with mock.patch.object(
        Chart, "_draw_svg", autospec=True, side_effect=lambda self, prefix: "<svg/>"
    ) as draw:
        first = chart.to_svg("a")
        again = Chart(
            title="Headcount", labels=["2014", "2015"], series=[Series("Staff", [1350, 1200])]
        ).to_svg("a")
        Chart(title="Headcount", labels=["2014", "2015"], series=[Series("Staff", [1350, 1201])]).to_svg("a")
    assert first == again == "<svg/>"
    assert draw.call_count == 2


def test_a_chart_is_real_svg_with_its_figures_as_table_rows():
    chart = Chart(title="Savings", labels=["2014/15"], series=[Series("Delivered", [4100000])], kind="bar")
    assert chart.to_svg("b").startswith("<svg")
    assert chart.table_rows() == [("2014/15", ["4,100,000"])]
