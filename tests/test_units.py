"""The official list of units from the vietnam-provinces package."""

from __future__ import annotations

from geo import units


def test_counts():
    assert len(units.provinces()) == units.PROVINCE_COUNT == 34
    assert len(units.communes()) == units.COMMUNE_COUNT == 3321


def test_codes_are_gso_strings():
    assert units.provinces().index.str.fullmatch(r"\d{2}").all()
    assert units.communes().index.str.fullmatch(r"\d{5}").all()
    assert set(units.communes()["province_code"]) == set(units.provinces().index)


def test_names_have_single_spaces():
    names = list(units.provinces()["name"]) + list(units.communes()["name"])

    assert [name for name in names if "  " in name or name != name.strip()] == []
    assert units.communes().at["24163", "name"] == "Phường Tân An"
    assert units.communes().at["24163", "short_name"] == "Tân An"


def test_short_names_unique_within_province():
    communes = units.communes()

    assert not communes.duplicated(["province_code", "short_name"]).any()
