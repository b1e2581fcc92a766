"""Capture-recapture: Chapman's estimate with Chao's interval, from two outlets' lists of incidents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forcewatch.cli import app as cli_app
from forcewatch.publish.coverage import chapman, outlet_estimate, outlet_lists
from forcewatch.store.db import Store
from forcewatch.web.data import Filters
from tests.publish_data import report, shooting


def test_chapman_by_hand() -> None:
    # n1 = n2 = 10, m = 5: N = 11 * 11 / 6 - 1 = 19.17; f0 = 5 * 5 / 6 = 4.17;
    # var = 11 * 11 * 5 * 5 / (36 * 7) = 12.00; C = exp(1.96 * sqrt(ln(1 + 12.00 / 4.17^2))) = 4.141.
    e = chapman(10, 10, 5)
    assert (e.seen, round(e.total, 2), round(e.unseen, 2), round(e.se**2, 2)) == (15, 19.17, 4.17, 12.0)
    assert e.low == pytest.approx(15 + 4.1667 / 4.141, abs=0.01)
    assert e.high == pytest.approx(15 + 4.1667 * 4.141, abs=0.05)
    same = chapman(8, 8, 8)  # both lists saw the same incidents: nothing unseen, no width
    assert (same.total, same.unseen, same.low, same.high) == (8.0, 0.0, 8.0, 8.0)
    none = chapman(4, 3, 0)  # no overlap: N = 5 * 4 / 1 - 1 = 19
    assert none.total == 19.0 and none.low > none.seen == 7
    with pytest.raises(ValueError):
        chapman(3, 2, 4)


def test_outlet_lists_and_estimate(tmp_path: Path) -> None:
    s = Store(str(tmp_path / "coverage.db"))
    people = [
        ("Daniel Voss", "Houston", "Texas"),
        ("Tom Pellow", "Columbus", "Ohio"),
        ("Lee Ashby", "Dayton", "Ohio"),
        ("Sam Brackley", "Phoenix", "Arizona"),
        ("Jo Marrowby", "Lubbock", "Texas"),
    ]
    for n, (name, city, state) in enumerate(people, start=1):
        facts = shooting(name, 30 + n, city, state, f"2024-0{n}-01")
        if n <= 4:  # the Beacon reports 1-4
            report(s, n, "Beacon", date(2024, n, 2), facts)
        if n >= 3:  # the Herald reports 3-5, in its own words
            report(s, n, "Herald", date(2024, n, 3), facts[:6])
    lists = outlet_lists(s, Filters())
    assert lists == {"Beacon": {1, 2, 3, 4}, "Herald": {3, 4, 5}}
    e = outlet_estimate(s, Filters())
    assert e is not None and (e.list_a, e.n_a, e.list_b, e.n_b, e.both, e.seen) == ("Beacon", 4, "Herald", 3, 2, 5)
    assert e.total == pytest.approx(5 * 4 / 3 - 1)
    ohio = outlet_estimate(s, Filters(region="Ohio"))
    assert ohio is not None and (ohio.n_a, ohio.n_b, ohio.both) == (2, 1, 1)
    assert outlet_estimate(s, Filters(date_from="2024-05")) is None  # only the Herald reports incident 5
    out = CliRunner().invoke(cli_app, ["coverage", "--db", s.url.removeprefix("sqlite:///"), "--region", "Texas"])
    assert out.exit_code == 0, out.output
    assert "outlets Beacon (1) and Herald (1), 0 on both: about 3 incidents in all" in out.output
    bad = CliRunner().invoke(
        cli_app,
        ["coverage", "--db", s.url.removeprefix("sqlite:///"), "--outlet", "Beacon", "--outlet", "Nowhere Times"],
    )
    assert bad.exit_code == 2 and "no matching incident reported by Nowhere Times" in bad.output
