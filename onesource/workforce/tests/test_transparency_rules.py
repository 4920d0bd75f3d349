"""The Transparency Code rules on plain rows, against figures worked out by hand."""

from decimal import Decimal

from onesource.workforce.transparency import (
    ChartPost,
    SalaryRow,
    flatten,
    pay_multiple_of,
    salary_band,
    senior_salary_rows,
    top_levels,
)


def row(number: str, salary: str, name: str = "A Person", title: str = "Officer") -> SalaryRow:
    return SalaryRow(
        staff_number=f"S{number}",
        name=name,
        post_number=f"P{number}",
        title=title,
        service="Finance",
        responsibilities="",
        salary=Decimal(salary),
    )


def test_bands_are_five_thousand_wide_from_the_threshold():
    assert salary_band(Decimal("50000")).lower == Decimal("50000")
    assert salary_band(Decimal("54999.99")).lower == Decimal("50000")
    assert salary_band(Decimal("55000")).lower == Decimal("55000")
    assert salary_band(Decimal("149999.99")).lower == Decimal("145000")
    band = salary_band(Decimal("62500"))
    assert (band.lower, band.upper) == (Decimal("60000"), Decimal("64999.99"))
    assert band.label == "£60,000 to £64,999"


def test_only_salaries_of_fifty_thousand_and_over_are_listed():
    listed = senior_salary_rows([row("1", "49999.99"), row("2", "50000"), row("3", "30000")])
    assert [s.post_number for s in listed] == ["P2"]


def test_names_only_at_one_hundred_and_fifty_thousand_and_over():
    listed = senior_salary_rows(
        [
            row("1", "149999.99", name="Just Under"),
            row("2", "150000", name="Chief Executive"),
            row("3", "80000", name="Head Of Audit"),
        ]
    )
    names = {s.post_number: s.name for s in listed}
    assert names == {"P2": "Chief Executive", "P1": "", "P3": ""}
    # Highest band first.
    assert [s.post_number for s in listed] == ["P2", "P1", "P3"]
    assert listed[0].as_dict()["salary_band_from"] == "150000"
    assert listed[0].as_dict()["salary_band_to"] == "154999.99"


def test_pay_multiple_is_highest_over_median_hand_computed():
    # Sorted: 20,000 25,000 30,000 40,000 150,000 -> median 30,000; 150,000 / 30,000 = 5.00
    result = pay_multiple_of([Decimal(x) for x in ("30000", "150000", "20000", "40000", "25000")])
    assert result is not None
    assert (result.highest, result.median, result.multiple) == (
        Decimal("150000"),
        Decimal("30000.00"),
        Decimal("5.00"),
    )
    assert result.label == "1:5.00"


def test_pay_multiple_with_an_even_count_uses_the_mean_of_the_middle_two():
    # Middle two of 21,000 / 24,000 / 27,000 / 90,000 are 24,000 and 27,000 -> 25,500;
    # 90,000 / 25,500 = 3.529... -> 3.53
    result = pay_multiple_of([Decimal(x) for x in ("24000", "90000", "21000", "27000")])
    assert result is not None
    assert result.median == Decimal("25500.00")
    assert result.multiple == Decimal("3.53")
    assert pay_multiple_of([]) is None


def post(number: str, reports_to: str = "") -> ChartPost:
    return ChartPost(post_number=number, title=f"Post {number}", service="S", reports_to=reports_to)


def test_org_chart_keeps_the_top_three_levels_only():
    posts = [
        post("CEO"),
        post("DIR1", "CEO"),
        post("DIR2", "CEO"),
        post("HEAD1", "DIR1"),
        post("TEAM1", "HEAD1"),  # level 4: left out
        post("TEAM2", "TEAM1"),  # level 5: left out
    ]
    trees = top_levels(posts)
    assert [n.post.post_number for n in trees] == ["CEO"]
    flat = [(n.post.post_number, n.level) for n in flatten(trees)]
    assert flat == [("CEO", 1), ("DIR1", 2), ("HEAD1", 3), ("DIR2", 2)]


def test_org_chart_survives_a_reporting_loop_and_a_manager_outside_the_set():
    posts = [post("A", "B"), post("B", "A"), post("C", "GONE"), post("D", "C")]
    flat = [(n.post.post_number, n.level) for n in flatten(top_levels(posts))]
    # C reports to a post that is not there, so it is a top; the A/B loop has no top.
    assert flat == [("C", 1), ("D", 2)]
