"""Tables behind the dashboard's charts: the online-filing ranking, readiness against
online filing, and the task list. Labels follow the chosen language."""

from __future__ import annotations

import pandas as pd

from geo.names import vietnamese_sort_key
from monitoring.dataset import Dataset
from monitoring.model import TASK_GROUPS, group_keys
from monitoring.summary import coverage, online_rates, overdue_tasks, previous_report_date

GOOD_INFRASTRUCTURE = 0.5
"""Share of Xanh communes above which a province counts as having good infrastructure."""

LOW_ONLINE = 0.3
"""Online filing rate under which a province counts as filing little online."""


def filing_ranking(dataset: Dataset, as_of: pd.Timestamp) -> pd.DataFrame:
    """Rank provinces by online filing rate (1 = highest) with the change of rank since
    the previous report (positive = moved up). Provinces without dossiers are left out."""
    current = _ranked(dataset, as_of)
    previous_date = previous_report_date(dataset, as_of)
    if previous_date is not None:
        before = _ranked(dataset, previous_date)["rank"]
        current["rank_change"] = (before.reindex(current.index) - current["rank"]).astype("Int64")
    else:
        current["rank_change"] = pd.array([pd.NA] * len(current), dtype="Int64")
    return current.sort_values("rank")


def rank_change_text(change: object) -> str:
    """Write a change of rank as "+2", "-1" or "0"; empty when there is no earlier report."""
    if pd.isna(change):
        return ""
    return f"+{change}" if change > 0 else str(change)


def _ranked(dataset: Dataset, as_of: pd.Timestamp) -> pd.DataFrame:
    rates = online_rates(dataset, as_of)
    rates = rates[rates["rate"].notna()][["name", "online", "total", "rate"]].copy()
    rates["rank"] = rates["rate"].rank(ascending=False, method="min").astype(int)
    return rates


def readiness_and_filing(dataset: Dataset, as_of: pd.Timestamp) -> pd.DataFrame:
    """Return per province the share of Xanh communes, the online rate and ``bottleneck``:
    good infrastructure (over `GOOD_INFRASTRUCTURE`) but low online filing (under `LOW_ONLINE`)."""
    table = coverage(dataset, as_of)[["name", "share_xanh"]].join(online_rates(dataset, as_of)[["rate"]])
    table = table[table["rate"].notna()].copy()
    table["rate"] = table["rate"].astype(float)
    table["bottleneck"] = (table["share_xanh"] > GOOD_INFRASTRUCTURE) & (table["rate"] < LOW_ONLINE)
    return table


def task_list(dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi") -> pd.DataFrame:
    """Return the overdue tasks on ``as_of`` for the screen: most overdue first."""
    english = lang == "en"
    overdue = overdue_tasks(dataset, as_of)
    labels = {group.key: group.text(lang) for group in TASK_GROUPS}
    table = pd.DataFrame(
        {
            "ID" if english else "Mã": overdue["task_id"],
            "Task" if english else "Nhiệm vụ": overdue["title"],
            "Responsible body" if english else "Cơ quan chủ trì": overdue["body"],
            "Groups" if english else "Nhóm": [
                "; ".join(labels[key] for key in group_keys(groups)) for groups in overdue["groups"]
            ],
            "Deadline" if english else "Hạn": overdue["deadline"].dt.strftime("%d/%m/%Y"),
            "Days overdue" if english else "Số ngày quá hạn": overdue["days_overdue"],
            "Evidence" if english else "Minh chứng": overdue["evidence"],
        }
    )
    positions = sorted(
        range(len(table)), key=lambda index: (-int(table.iat[index, 5]), vietnamese_sort_key(str(table.iat[index, 1])))
    )
    return table.iloc[positions].reset_index(drop=True)


def overdue_by_body(dataset: Dataset, as_of: pd.Timestamp) -> pd.Series:
    """Count overdue tasks per responsible body, most first."""
    overdue = overdue_tasks(dataset, as_of)
    return overdue["body"].fillna("—").value_counts()
