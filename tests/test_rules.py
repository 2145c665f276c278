"""Commune status rules: derivation from the readiness conditions, and the setting that changes them."""

from __future__ import annotations

import pandas as pd
import pytest

from monitoring.model import CONDITION_KEYS
from monitoring.rules import DEFAULT_CRITICAL, StatusRules, effective_status, missing_conditions


def conditions(**unmet) -> dict:
    row = dict.fromkeys(CONDITION_KEYS, True)
    row.update({key: value for key, value in unmet.items()})
    return row


def derive(rows: list[dict], rules: StatusRules | None = None) -> list:
    return list((rules or StatusRules()).derive(pd.DataFrame(rows)))


def test_all_met_is_xanh():
    assert derive([conditions()]) == ["xanh"]


def test_critical_missing_is_do():
    assert derive([conditions(connectivity=False)]) == ["do"]


def test_other_missing_is_vang():
    assert derive([conditions(seal=False)]) == ["vang"]


def test_blank_counts_as_not_met():
    assert derive([conditions(digital_signature=None)]) == ["do"]


def test_no_conditions_is_no_report():
    assert pd.isna(derive([dict.fromkeys(CONDITION_KEYS)])[0])


def test_custom_critical_set():
    rules = StatusRules(critical=frozenset({"seal"}))
    assert derive([conditions(seal=False), conditions(connectivity=False)], rules) == ["do", "vang"]


def test_unknown_condition_rejected():
    with pytest.raises(ValueError, match="Unknown readiness condition wifi"):
        StatusRules(critical=frozenset({"wifi"}))


def test_setting_replaces_critical(monkeypatch):
    monkeypatch.setenv("DXMAP_CRITICAL_CONDITIONS", "seal, support_staff")
    assert StatusRules.from_settings().critical == frozenset({"seal", "support_staff"})


def test_empty_setting_means_none_critical(monkeypatch):
    monkeypatch.setenv("DXMAP_CRITICAL_CONDITIONS", "")
    assert StatusRules.from_settings().critical == frozenset()


def test_default_without_setting(monkeypatch):
    monkeypatch.delenv("DXMAP_CRITICAL_CONDITIONS", raising=False)
    assert StatusRules.from_settings().critical == DEFAULT_CRITICAL


def test_given_status_wins():
    table = pd.DataFrame([{**conditions(connectivity=False), "status": "xanh"}, {**conditions(), "status": None}])
    assert list(effective_status(table, StatusRules())) == ["xanh", "xanh"]


def test_missing_conditions_listed():
    table = pd.DataFrame([conditions(seal=False, connectivity=False), conditions(seal=None)]).astype("boolean")
    assert list(missing_conditions(table)) == [["seal", "connectivity"], []]
