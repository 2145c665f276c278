"""Headline figures of a dataset on a report date.

Each figure uses the latest report of each unit on or before the report date,
so a unit that missed one weekly report keeps its previous status (and is marked
stale). Online filing is summed over `FILING_WINDOW_DAYS` days ending on the
report date.
"""

from __future__ import annotations

import pandas as pd

from geo.units import communes, provinces
from monitoring.dataset import Dataset
from monitoring.model import (
    COMMUNE_STATUS,
    DO,
    FILING,
    JUNE_BASELINE,
    PROVINCE_STATUS,
    TASK_GROUP_KEYS,
    TASKS,
    VANG,
    XANH,
    group_keys,
)
from monitoring.rules import StatusRules, effective_status, missing_conditions

FILING_WINDOW_DAYS = 7
"""Days of filing, ending on the report date, behind a report's online filing rate."""

COVERAGE_BREAKS = (0.10, 0.50, 0.70)
"""Class breaks of commune coverage (share of a province's communes that are Xanh)."""

DROP_THRESHOLD = 0.7
"""A province is flagged when its daily online dossiers over the filing window average
less than this share of its June 2025 daily average."""


def report_dates(dataset: Dataset) -> list[pd.Timestamp]:
    """Return the report dates of the province and commune status tables, oldest first."""
    dates = pd.concat([dataset[PROVINCE_STATUS]["report_date"], dataset[COMMUNE_STATUS]["report_date"]])
    return sorted(pd.Timestamp(value) for value in dates.dropna().unique())


def latest_report_date(dataset: Dataset) -> pd.Timestamp | None:
    dates = report_dates(dataset)
    return dates[-1] if dates else None


def _latest_rows(table: pd.DataFrame, code_column: str, as_of: pd.Timestamp) -> pd.DataFrame:
    known = table[table["report_date"] <= as_of]
    return known.sort_values("report_date").drop_duplicates(code_column, keep="last").set_index(code_column)


def province_status(dataset: Dataset, as_of: pd.Timestamp) -> pd.DataFrame:
    """Return one row per official province: status (``<NA>`` without a report), note,
    report_date of the latest report and ``stale`` when that is older than ``as_of``."""
    latest = _latest_rows(dataset[PROVINCE_STATUS], "province_code", as_of)
    table = provinces()[["name"]].join(latest[["status", "note", "report_date"]])
    table["stale"] = table["report_date"].notna() & (table["report_date"] < as_of)
    table.index.name = "province_code"
    return table


def commune_status(dataset: Dataset, as_of: pd.Timestamp, rules: StatusRules | None = None) -> pd.DataFrame:
    """Return one row per official commune with its effective status, missing conditions,
    latest report date and staleness."""
    latest = _latest_rows(dataset[COMMUNE_STATUS], "commune_code", as_of)
    latest["status"] = effective_status(latest, rules)
    latest["missing"] = missing_conditions(latest)

    table = communes()[["name", "province_code"]].join(latest)
    table["stale"] = table["report_date"].notna() & (table["report_date"] < as_of)
    table.index.name = "commune_code"
    return table


def coverage(dataset: Dataset, as_of: pd.Timestamp, rules: StatusRules | None = None) -> pd.DataFrame:
    """Return per province: communes, reported, xanh, vang, do and ``share_xanh``
    (Xanh communes over all official communes of the province)."""
    status = commune_status(dataset, as_of, rules)
    counts = pd.DataFrame(
        {
            "communes": status.groupby("province_code").size(),
            "reported": status["status"].notna().groupby(status["province_code"]).sum(),
            XANH: (status["status"] == XANH).fillna(False).groupby(status["province_code"]).sum(),
            VANG: (status["status"] == VANG).fillna(False).groupby(status["province_code"]).sum(),
            DO: (status["status"] == DO).fillna(False).groupby(status["province_code"]).sum(),
        }
    )
    counts = provinces()[["name"]].join(counts).fillna(0)
    counts["share_xanh"] = counts[XANH] / counts["communes"]
    counts.index.name = "province_code"
    return counts


def daily_filing_by_province(dataset: Dataset) -> pd.DataFrame:
    """Return online and total dossiers per province and day.

    A province-level row (two-digit code) is the province's own total for that day;
    on days without one, the province's commune rows are summed.
    """
    filing = dataset[FILING]
    is_province = filing["unit_code"].str.len() == 2
    own = filing[is_province].rename(columns={"unit_code": "province_code"})

    commune_rows = filing[~is_province]
    commune_rows = commune_rows.assign(province_code=commune_rows["unit_code"].map(communes()["province_code"]))
    summed = commune_rows.groupby(["province_code", "date"], as_index=False)[["online", "total"]].sum()

    own_keys = pd.MultiIndex.from_frame(own[["province_code", "date"]])
    summed = summed[~pd.MultiIndex.from_frame(summed[["province_code", "date"]]).isin(own_keys)]
    daily = pd.concat([own[["province_code", "date", "online", "total"]], summed], ignore_index=True)
    return daily.sort_values(["province_code", "date"], ignore_index=True)


def filing_window(as_of: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day of the filing window of a report date."""
    return as_of - pd.Timedelta(days=FILING_WINDOW_DAYS - 1), as_of


def online_rates(dataset: Dataset, as_of: pd.Timestamp, drop_threshold: float = DROP_THRESHOLD) -> pd.DataFrame:
    """Return per province the online and total dossiers of the filing window and the
    online ``rate`` (``<NA>`` without dossiers).

    Also returns the window's daily average of online dossiers, the June 2025 daily
    average, and ``below_june``, true when the first is under ``drop_threshold`` (by
    default `DROP_THRESHOLD`) of the second.
    """
    daily = daily_filing_by_province(dataset)
    first, last = filing_window(as_of)
    window = daily[(daily["date"] >= first) & (daily["date"] <= last)]
    june = daily[(daily["date"] >= JUNE_BASELINE[0]) & (daily["date"] <= JUNE_BASELINE[1])]

    table = provinces()[["name"]].join(window.groupby("province_code")[["online", "total"]].sum())
    table["rate"] = (table["online"] / table["total"].where(table["total"] > 0)).astype("Float64")
    table["online_daily"] = window.groupby("province_code")["online"].mean()
    table["june_online_daily"] = june.groupby("province_code")["online"].mean()
    table["below_june"] = (table["online_daily"] < drop_threshold * table["june_online_daily"]).fillna(False)
    table.index.name = "province_code"
    return table


def national_online_rate(dataset: Dataset, as_of: pd.Timestamp) -> float | None:
    """Return online over total dossiers nationally in the filing window, or None."""
    rates = online_rates(dataset, as_of)
    total = rates["total"].sum()
    return float(rates["online"].sum() / total) if total > 0 else None


def overdue_tasks(dataset: Dataset, as_of: pd.Timestamp) -> pd.DataFrame:
    """Return the tasks past their deadline and not completed on ``as_of``, with
    ``days_overdue``."""
    tasks = dataset[TASKS]
    open_on_date = tasks["completed"].isna() | (tasks["completed"] > as_of)
    overdue = tasks[(tasks["deadline"] < as_of) & open_on_date].copy()
    overdue["days_overdue"] = (as_of - overdue["deadline"]).dt.days
    return overdue.reset_index(drop=True)


def count_by_group(tasks: pd.DataFrame) -> dict[str, int]:
    """Count tasks per group; a task in two groups counts in both."""
    counts = dict.fromkeys(TASK_GROUP_KEYS, 0)
    for groups in tasks["groups"].dropna():
        for key in group_keys(groups):
            counts[key] = counts.get(key, 0) + 1
    return counts


def headline(dataset: Dataset, as_of: pd.Timestamp, rules: StatusRules | None = None) -> dict:
    """Return the headline figures of ``as_of`` as plain JSON-ready values."""
    status = province_status(dataset, as_of)["status"]
    per_province = coverage(dataset, as_of, rules)
    shares = per_province["share_xanh"]
    communes_reported = per_province["reported"].sum()
    overdue = overdue_tasks(dataset, as_of)
    rate = national_online_rate(dataset, as_of)

    return {
        "as_of": as_of.strftime("%Y-%m-%d"),
        "provinces": {
            XANH: int((status == XANH).sum()),
            VANG: int((status == VANG).sum()),
            DO: int((status == DO).sum()),
            "no_data": int(status.isna().sum()),
        },
        "communes_reported": int(communes_reported),
        "communes_total": len(communes()),
        "coverage": {
            "over_50": int((shares > COVERAGE_BREAKS[1]).sum()),
            "over_70": int((shares > COVERAGE_BREAKS[2]).sum()),
            "under_10": int((shares < COVERAGE_BREAKS[0]).sum()),
        },
        "online_rate": None if rate is None else round(rate, 4),
        "tasks_overdue": len(overdue),
        "tasks_by_group": count_by_group(overdue),
    }


def previous_report_date(dataset: Dataset, as_of: pd.Timestamp) -> pd.Timestamp | None:
    """Return the report date before ``as_of``, or None for the first."""
    earlier = [date for date in report_dates(dataset) if date < as_of]
    return earlier[-1] if earlier else None
