"""Headline figures on small hand-built datasets: latest reports, coverage, filing, tasks."""

from __future__ import annotations

import pandas as pd

from geo.units import communes
from monitoring.dataset import Dataset
from monitoring.model import CONDITION_KEYS, normalise_table
from monitoring.rules import StatusRules
from monitoring.summary import (
    commune_status,
    count_by_group,
    coverage,
    daily_filing_by_province,
    headline,
    online_rates,
    overdue_tasks,
    province_status,
    report_dates,
)

DAY = pd.Timestamp("2025-07-15")
HA_NOI_COMMUNES = list(communes().index[communes()["province_code"] == "01"])


def dataset(**tables) -> Dataset:
    return Dataset({kind: normalise_table(kind, pd.DataFrame(rows)) for kind, rows in tables.items()})


def commune_row(code: str, when: str, met: bool = True, status: str | None = None) -> dict:
    return {"report_date": when, "commune_code": code, "status": status, **dict.fromkeys(CONDITION_KEYS, met)}


def test_latest_report_used_and_stale():
    data = dataset(
        province_status=[
            {"report_date": "2025-07-08", "province_code": "01", "status": "vang"},
            {"report_date": "2025-07-15", "province_code": "01", "status": "xanh"},
            {"report_date": "2025-07-08", "province_code": "79", "status": "do"},
            {"report_date": "2025-07-22", "province_code": "79", "status": "xanh"},
        ]
    )
    table = province_status(data, DAY)
    assert table.at["01", "status"] == "xanh"
    assert table.at["79", "status"] == "do"
    assert bool(table.at["79", "stale"]) is True
    assert pd.isna(table.at["48", "status"])


def test_report_dates_sorted():
    data = dataset(
        province_status=[{"report_date": "2025-07-15", "province_code": "01", "status": "xanh"}],
        commune_status=[commune_row("00004", "2025-07-08")],
    )
    assert report_dates(data) == [pd.Timestamp("2025-07-08"), DAY]


def test_coverage_over_all_communes():
    rows = [commune_row(code, "2025-07-15") for code in HA_NOI_COMMUNES[:63]]
    rows += [commune_row(code, "2025-07-15", met=False) for code in HA_NOI_COMMUNES[63:70]]
    table = coverage(dataset(commune_status=rows), DAY, StatusRules())
    assert table.at["01", "communes"] == len(HA_NOI_COMMUNES)
    assert table.at["01", "xanh"] == 63
    assert table.at["01", "do"] == 7
    assert table.at["01", "reported"] == 70
    assert table.at["01", "share_xanh"] == 63 / len(HA_NOI_COMMUNES)


def test_commune_missing_conditions():
    row = {**commune_row("00004", "2025-07-15"), "seal": False}
    table = commune_status(dataset(commune_status=[row]), DAY, StatusRules())
    assert table.at["00004", "status"] == "vang"
    assert table.at["00004", "missing"] == ["seal"]


def test_province_row_wins_over_commune_sum():
    filing = [
        {"date": "2025-07-15", "unit_code": "01", "online": 50, "total": 100},
        {"date": "2025-07-15", "unit_code": "00004", "online": 1, "total": 2},
        {"date": "2025-07-14", "unit_code": "00004", "online": 3, "total": 4},
        {"date": "2025-07-14", "unit_code": "00008", "online": 5, "total": 6},
    ]
    daily = daily_filing_by_province(dataset(filing=filing)).set_index("date")
    assert daily.at[DAY, "online"] == 50
    assert daily.at[pd.Timestamp("2025-07-14"), "online"] == 8
    assert daily.at[pd.Timestamp("2025-07-14"), "total"] == 10


def test_online_rate_window_and_june():
    filing = [{"date": f"2025-06-{day:02d}", "unit_code": "01", "online": 100, "total": 200} for day in range(1, 31)]
    filing += [{"date": f"2025-07-{day:02d}", "unit_code": "01", "online": 40, "total": 100} for day in range(9, 16)]
    filing += [{"date": "2025-07-08", "unit_code": "01", "online": 0, "total": 1000}]
    table = online_rates(dataset(filing=filing), DAY)
    assert table.at["01", "total"] == 700
    assert table.at["01", "rate"] == 0.4
    assert table.at["01", "june_online_daily"] == 100
    assert bool(table.at["01", "below_june"]) is True
    assert pd.isna(table.at["79", "rate"])


def test_overdue_tasks_by_date():
    tasks = [
        {"task_id": "A", "title": "a", "groups": "institutional;platforms", "deadline": "2025-07-01"},
        {"task_id": "B", "title": "b", "groups": "institutional", "deadline": "2025-07-01", "completed": "2025-07-20"},
        {"task_id": "C", "title": "c", "groups": "human_resources", "deadline": "2025-07-01", "completed": "2025-07-10"},
        {"task_id": "D", "title": "d", "groups": "infrastructure", "deadline": "2025-07-15"},
    ]
    overdue = overdue_tasks(dataset(tasks=tasks), DAY)
    assert list(overdue["task_id"]) == ["A", "B"]
    assert list(overdue["days_overdue"]) == [14, 14]
    assert count_by_group(overdue) == {"institutional": 2, "infrastructure": 0, "platforms": 1, "human_resources": 0}


def test_headline_empty_dataset():
    figures = headline(Dataset({}), DAY)
    assert figures["provinces"]["no_data"] == 34
    assert figures["communes_reported"] == 0
    assert figures["online_rate"] is None
    assert figures["tasks_overdue"] == 0


def test_headline_of_sample_later_date():
    from monitoring.dataset import load_sample

    figures = headline(load_sample(), pd.Timestamp("2025-08-01"))
    assert figures["communes_reported"] == 3321
    assert figures["tasks_overdue"] < 11
    assert figures["provinces"]["xanh"] == 34
