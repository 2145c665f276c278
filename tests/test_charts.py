"""Tables behind the filing and task pages, on the sample and on small hand-built datasets."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.units import communes
from monitoring.charts import (
    NO_EVIDENCE,
    TASK_VIEWS,
    clicked_province,
    commune_online_rates,
    daily_online,
    done_without_evidence,
    june_comparison,
    june_comparison_text,
    province_names,
    ranking_screen_table,
    screen_view,
    task_group_counts,
    task_states,
    task_table,
    task_view_counts,
    tasks_by_body,
    tasks_in_view,
)
from monitoring.dataset import Dataset, load_sample
from monitoring.model import normalise_table
from monitoring.summary import count_by_group, online_rates, overdue_tasks

REPORT = pd.Timestamp("2025-07-15")
THANH_HOA = "38"


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return load_sample()


def dataset(**tables) -> Dataset:
    return Dataset({kind: normalise_table(kind, pd.DataFrame(rows)) for kind, rows in tables.items()})


def task_row(task_id: str, deadline: str, completed: str | None = None, evidence: str | None = None, **fields) -> dict:
    row = {"task_id": task_id, "title": f"Nhiệm vụ {task_id}", "body": "Bộ Nội vụ", "groups": "institutional"}
    return {**row, "deadline": deadline, "completed": completed, "evidence": evidence, **fields}


def test_thanh_hoa_below_june(sample):
    comparison = june_comparison(sample, REPORT, THANH_HOA)

    assert comparison.share == pytest.approx(0.511, abs=0.001)
    assert comparison.below


def test_only_thanh_hoa_below_june(sample):
    below = [code for code in province_names() if june_comparison(sample, REPORT, code).below]

    assert below == [THANH_HOA]


def test_june_comparison_text(sample):
    comparison = june_comparison(sample, REPORT, THANH_HOA)

    vietnamese = june_comparison_text(comparison, REPORT, "vi")
    english = june_comparison_text(comparison, REPORT, "en")

    assert "51,1%" in vietnamese
    assert "15/07/2025" in vietnamese
    assert vietnamese.endswith("dưới ngưỡng 70%.")
    assert "51.1%" in english
    assert english.endswith("under the 70% threshold.")


def test_june_comparison_not_below(sample):
    comparison = june_comparison(sample, REPORT, "01")

    assert not comparison.below
    assert june_comparison_text(comparison, REPORT).endswith("không dưới ngưỡng 70%.")


def test_june_comparison_without_june():
    data = dataset(filing=[{"date": "2025-07-14", "unit_code": "38", "online": 10, "total": 20}])

    comparison = june_comparison(data, REPORT, THANH_HOA)

    assert comparison.share is None
    assert not comparison.below
    assert june_comparison_text(comparison, REPORT, "en") == "There is no June 2025 data to compare with."


def test_commune_rates_sum_to_province(sample):
    rates = commune_online_rates(sample, REPORT, THANH_HOA)
    province = online_rates(sample, REPORT).loc[THANH_HOA]

    assert len(rates) == (communes()["province_code"] == THANH_HOA).sum()
    assert rates["online"].sum() == province["online"]
    assert rates["total"].sum() == province["total"]


def test_commune_rates_lowest_first(sample):
    rates = commune_online_rates(sample, REPORT, THANH_HOA)["rate"].dropna().astype(float)

    assert list(rates) == sorted(rates)
    assert rates.iloc[0] < 0.2


def test_commune_without_dossiers_last():
    codes = list(communes().index[communes()["province_code"] == "01"][:2])
    data = dataset(
        filing=[
            {"date": "2025-07-14", "unit_code": codes[0], "online": 3, "total": 4},
            {"date": "2025-07-01", "unit_code": codes[1], "online": 1, "total": 2},
        ]
    )

    rates = commune_online_rates(data, REPORT, "01")

    assert rates.index[0] == codes[0]
    assert rates.at[codes[0], "rate"] == 0.75
    assert pd.isna(rates.at[codes[1], "rate"]), "a row outside the 7-day window was counted"
    assert rates.at[codes[1], "total"] == 0


def test_daily_online_june_average(sample):
    daily = daily_online(sample, THANH_HOA)

    assert daily["date"].min() == pd.Timestamp("2025-06-01")
    assert daily["date"].max() == pd.Timestamp("2025-07-31")
    assert daily["june_daily"].iloc[0] == pytest.approx(online_rates(sample, REPORT).at[THANH_HOA, "june_online_daily"])


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"province": [{"province_code": "38"}]}, "38"),
        ({"province": []}, None),
        ({}, None),
        ({"province": [{"province_code": "99"}]}, None),
    ],
)
def test_clicked_province(selection, expected):
    assert clicked_province(selection, province_names()) == expected


def test_province_names_vietnamese_order():
    names = list(province_names().values())

    assert len(names) == 34
    assert names.index("Đắk Lắk") < names.index("Điện Biên") < names.index("Đồng Nai")
    assert names.index("Đồng Tháp") < names.index("Gia Lai"), "Đ sorts after D, not after Z"


def test_ranking_screen_percentages(sample):
    table = ranking_screen_table(sample, REPORT)

    assert list(table.columns) == ["Hạng", "Tỉnh, thành phố", "Hồ sơ trực tuyến", "Tổng số hồ sơ", "Tỷ lệ trực tuyến", "Thay đổi hạng"]
    assert table["Tỷ lệ trực tuyến"].str.fullmatch(r"\d{1,3},\d%").all()


def test_task_view_counts_sample(sample):
    assert task_view_counts(sample, REPORT) == {"overdue": 11, "open": 20, "all": 30}


def test_overdue_groups_match_summary(sample):
    groups = task_group_counts(sample, REPORT, "overdue")

    assert groups == count_by_group(overdue_tasks(sample, REPORT))
    assert list(groups.values()) == [5, 3, 2, 2]


@pytest.mark.parametrize("view", TASK_VIEWS)
def test_group_counts_every_view(sample, view):
    tasks = tasks_in_view(task_states(sample, REPORT), view)

    assert task_group_counts(sample, REPORT, view) == count_by_group(tasks)


def test_overdue_view_matches_summary(sample):
    overdue = tasks_in_view(task_states(sample, REPORT), "overdue")

    assert sorted(overdue["task_id"]) == sorted(overdue_tasks(sample, REPORT)["task_id"])


def test_unknown_task_view_rejected(sample):
    with pytest.raises(ValueError, match="Unknown task view 'late': expected one of overdue, open, all"):
        tasks_in_view(task_states(sample, REPORT), "late")


def test_task_table_states_and_order():
    data = dataset(
        tasks=[
            task_row("A", "2025-07-20"),
            task_row("B", "2025-07-01"),
            task_row("C", "2025-07-10", completed="2025-07-12", evidence="Biên bản"),
            task_row("D", "2025-07-05"),
        ]
    )

    table = task_table(data, REPORT, "all", "en")

    assert list(table["task_id"]) == ["B", "D", "A", "C"]
    assert list(table["state"]) == ["Overdue", "Overdue", "Within deadline", "Done"]
    assert list(table["days_overdue"].astype("object").fillna(0)) == [14, 10, 0, 0]


def test_done_without_evidence_shown():
    data = dataset(
        tasks=[
            task_row("A", "2025-07-10", completed="2025-07-12", evidence=None),
            task_row("B", "2025-07-10", completed="2025-07-12", evidence="  "),
            task_row("C", "2025-07-10", completed="2025-07-12", evidence="Biên bản"),
            task_row("D", "2025-07-20"),
        ]
    )

    table = task_table(data, REPORT, "all").set_index("task_id")

    assert table.at["A", "evidence"] == NO_EVIDENCE[0]
    assert table.at["B", "evidence"] == NO_EVIDENCE[0]
    assert table.at["C", "evidence"] == "Biên bản"
    assert table.at["D", "evidence"] == "", "an open task is not missing evidence yet"
    assert done_without_evidence(data, REPORT) == 2


def test_later_completion_not_shown():
    data = dataset(tasks=[task_row("A", "2025-07-10", completed="2025-07-20", evidence="Biên bản")])

    table = task_table(data, REPORT, "overdue")

    assert list(table["task_id"]) == ["A"]
    assert pd.isna(table.at[0, "completed"])
    assert table.at[0, "evidence"] == ""


def test_task_screen_dates():
    data = dataset(tasks=[task_row("A", "2025-07-10", completed="2025-07-12", evidence="Biên bản")])

    formatted = screen_view(task_table(data, REPORT, "all"), "vi")

    assert formatted.at[0, "Hạn"] == "10/07/2025"
    assert formatted.at[0, "Ngày hoàn thành"] == "12/07/2025"
    assert formatted.at[0, "Số ngày quá hạn"] == ""


def test_tasks_by_body_totals(sample):
    bodies = tasks_by_body(sample, REPORT)

    assert bodies["overdue"].sum() == 11
    assert bodies["open"].sum() == 20
    assert bodies["all"].sum() == 30
    assert list(bodies["overdue"]) == sorted(bodies["overdue"], reverse=True)
