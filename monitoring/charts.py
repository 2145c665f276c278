"""Tables behind the dashboard's charts: the online-filing ranking, readiness against
online filing, a province's communes and days of filing, and the task list.

Builders return tables keyed by English column names with plain values. `download_view`
and `screen_view` turn such a table into what a file or the screen shows, with headers
in the chosen language.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.names import vietnamese_sort_key
from geo.units import communes, provinces
from monitoring.dataset import Dataset
from monitoring.formatting import day, number, percent, threshold_percent
from monitoring.model import FILING, JUNE_BASELINE, TASK_GROUPS, TASKS, group_keys
from monitoring.summary import (
    DROP_THRESHOLD,
    count_by_group,
    coverage,
    daily_filing_by_province,
    filing_window,
    online_rates,
    previous_report_date,
)

GOOD_INFRASTRUCTURE = 0.5
"""Share of Xanh communes above which a province counts as having good infrastructure."""

LOW_ONLINE = 0.3
"""Online filing rate under which a province counts as filing little online."""

HEADERS = {
    "rank": ("Hạng", "Rank"),
    "rank_change": ("Thay đổi hạng", "Rank change"),
    "province_code": ("Mã tỉnh", "Province code"),
    "province": ("Tỉnh, thành phố", "Province"),
    "commune_code": ("Mã xã", "Commune code"),
    "commune": ("Xã, phường", "Commune"),
    "online": ("Hồ sơ trực tuyến", "Online dossiers"),
    "total": ("Tổng số hồ sơ", "All dossiers"),
    "rate": ("Tỷ lệ trực tuyến", "Online rate"),
    "share_xanh": ("Tỷ lệ xã Xanh", "Share of communes green"),
    "bottleneck": ("Hạ tầng tốt, ít nộp trực tuyến", "Good infrastructure, low online filing"),
    "date": ("Ngày", "Date"),
    "june_daily": ("Bình quân ngày tháng 6/2025 (trực tuyến)", "June 2025 daily average (online)"),
    "task_id": ("Mã", "ID"),
    "title": ("Nhiệm vụ", "Task"),
    "body": ("Cơ quan chủ trì", "Responsible body"),
    "groups": ("Nhóm", "Groups"),
    "group": ("Nhóm", "Group"),
    "deadline": ("Hạn", "Deadline"),
    "state": ("Tình trạng", "State"),
    "days_overdue": ("Số ngày quá hạn", "Days overdue"),
    "completed": ("Ngày hoàn thành", "Completed"),
    "evidence": ("Minh chứng", "Evidence"),
    "overdue": ("Quá hạn", "Overdue"),
    "open": ("Chưa hoàn thành", "Open"),
    "all": ("Tất cả", "All"),
}
"""Vietnamese and English header of each column that the builders below return."""

PERCENT_COLUMNS = frozenset({"rate", "share_xanh"})
COUNT_COLUMNS = frozenset({"online", "total", "june_daily", "days_overdue", "overdue", "open", "all"})
DAY_COLUMNS = frozenset({"date", "deadline", "completed"})


def header(column: str, lang: str = "vi") -> str:
    """Return the header of a builder column in ``lang``. Unknown columns keep their name."""
    if column not in HEADERS:
        return column
    vi, en = HEADERS[column]
    return en if lang == "en" else vi


def download_view(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Return ``table`` for a CSV or Excel file: plain values under translated headers."""
    return table.rename(columns=lambda column: header(column, lang))


def screen_view(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Return ``table`` for the screen: rates, counts and dates written in the locale's
    style ("85,5%", "3.321", "15/07/2025") under translated headers."""
    formatted = table.copy()
    for column in formatted.columns:
        values = formatted[column]
        if column in PERCENT_COLUMNS:
            formatted[column] = [percent(None if pd.isna(value) else float(value), lang) for value in values]
        elif column in COUNT_COLUMNS:
            formatted[column] = ["" if pd.isna(value) else number(round(value), lang) for value in values]
        elif column in DAY_COLUMNS:
            formatted[column] = ["" if pd.isna(value) else day(value.date(), lang) for value in values]
    return download_view(formatted, lang)


def _words(vi: str, en: str, lang: str) -> str:
    return en if lang == "en" else vi


# Online filing: ranking and readiness


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


def ranking_table(dataset: Dataset, as_of: pd.Timestamp) -> pd.DataFrame:
    """Return the ranking as a table: rank, province code and name, online and total
    dossiers, rate and change of rank, best rank first."""
    ranking = filing_ranking(dataset, as_of).reset_index()
    ranking = ranking.rename(columns={"name": "province"})
    return ranking[["rank", "province_code", "province", "online", "total", "rate", "rank_change"]]


def ranking_screen_table(dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi") -> pd.DataFrame:
    """Return the ranking for the screen, with the change of rank written as "+2", "-1" or "0"."""
    table = ranking_table(dataset, as_of)
    table["rank_change"] = [rank_change_text(change) for change in table["rank_change"]]
    return screen_view(table.drop(columns="province_code"), lang)


def readiness_and_filing(
    dataset: Dataset,
    as_of: pd.Timestamp,
    good_infrastructure: float = GOOD_INFRASTRUCTURE,
    low_online: float = LOW_ONLINE,
) -> pd.DataFrame:
    """Return per province the share of Xanh communes, the online rate and ``bottleneck``:
    good infrastructure (a share over ``good_infrastructure``, by default `GOOD_INFRASTRUCTURE`)
    but low online filing (a rate under ``low_online``, by default `LOW_ONLINE`)."""
    table = coverage(dataset, as_of)[["name", "share_xanh"]].join(online_rates(dataset, as_of)[["rate"]])
    table = table[table["rate"].notna()].copy()
    table["rate"] = table["rate"].astype(float)
    table["bottleneck"] = (table["share_xanh"] > good_infrastructure) & (table["rate"] < low_online)
    return table


def readiness_table(
    dataset: Dataset,
    as_of: pd.Timestamp,
    lang: str = "vi",
    good_infrastructure: float = GOOD_INFRASTRUCTURE,
    low_online: float = LOW_ONLINE,
) -> pd.DataFrame:
    """Return the data of the readiness scatter for a file, with the bottleneck flag as yes or no."""
    table = readiness_and_filing(dataset, as_of, good_infrastructure, low_online).reset_index().rename(columns={"name": "province"})
    yes, no = _words("Có", "Yes", lang), _words("Không", "No", lang)
    table["bottleneck"] = [yes if flag else no for flag in table["bottleneck"]]
    return download_view(table, lang)


# Online filing: one province's drill-down


def province_names() -> dict[str, str]:
    """Return the name of each of the 34 provinces by code, in Vietnamese alphabetical order."""
    names = provinces()["name"]
    ordered = sorted(names.index, key=lambda code: vietnamese_sort_key(names[code]))
    return {code: names[code] for code in ordered}


def clicked_province(selection: dict, codes) -> str | None:
    """Return the province code of a point selection on the ranking chart, or None.

    ``selection`` is the ``selection`` of an ``st.altair_chart`` event: each selection
    parameter maps to a list of the clicked points' fields. A code outside ``codes``
    gives None.
    """
    for points in selection.values():
        for point in points or []:
            code = point.get("province_code") if isinstance(point, dict) else None
            if code in codes:
                return code
    return None


def commune_online_rates(dataset: Dataset, as_of: pd.Timestamp, province: str) -> pd.DataFrame:
    """Return the online and total dossiers and online rate of each commune of ``province``
    over the filing window of ``as_of``.

    Every official commune of the province is listed, lowest rate first. Communes
    without dossiers have a ``<NA>`` rate and come last. Commune rows of the filing
    table are summed, so the communes add up to the province's window totals unless the
    data also has province-level rows, which take precedence in `online_rates`.
    """
    official = communes()
    official = official[official["province_code"] == province][["name"]].rename(columns={"name": "commune"})

    filing = dataset[FILING]
    first, last = filing_window(as_of)
    window = filing[(filing["date"] >= first) & (filing["date"] <= last) & filing["unit_code"].isin(official.index)]
    sums = window.groupby("unit_code")[["online", "total"]].sum()

    table = official.join(sums)
    table[["online", "total"]] = table[["online", "total"]].fillna(0).astype(int)
    table["rate"] = (table["online"] / table["total"].where(table["total"] > 0)).astype("Float64")
    table.index.name = "commune_code"
    return _lowest_rate_first(table)


def _lowest_rate_first(table: pd.DataFrame) -> pd.DataFrame:
    def sort_key(code: str) -> tuple:
        rate = table.at[code, "rate"]
        return (pd.isna(rate), 0.0 if pd.isna(rate) else float(rate), vietnamese_sort_key(table.at[code, "commune"]))

    return table.loc[sorted(table.index, key=sort_key)]


def daily_online(dataset: Dataset, province: str) -> pd.DataFrame:
    """Return the online and total dossiers of ``province`` per day over all the data,
    with ``june_daily``: its average daily online dossiers over June 2025 (NaN without June data)."""
    daily = daily_filing_by_province(dataset)
    daily = daily[daily["province_code"] == province][["date", "online", "total"]].reset_index(drop=True)

    in_june = (daily["date"] >= JUNE_BASELINE[0]) & (daily["date"] <= JUNE_BASELINE[1])
    daily["june_daily"] = daily.loc[in_june, "online"].mean() if in_june.any() else float("nan")
    return daily


@dataclass(frozen=True)
class JuneComparison:
    """A province's daily online dossiers over the filing window against its June 2025 average."""

    window_daily: float | None
    june_daily: float | None
    drop_threshold: float = DROP_THRESHOLD

    @property
    def share(self) -> float | None:
        """The window's daily average as a share of June's, or None when either is missing."""
        if self.window_daily is None or not self.june_daily:
            return None
        return self.window_daily / self.june_daily

    @property
    def below(self) -> bool:
        """True when the window's daily average is under ``drop_threshold`` of June's."""
        return self.share is not None and self.share < self.drop_threshold


def june_comparison(
    dataset: Dataset, as_of: pd.Timestamp, province: str, drop_threshold: float = DROP_THRESHOLD
) -> JuneComparison:
    """Compare the daily online dossiers of ``province`` in the filing window of ``as_of``
    with its June 2025 daily average, as `online_rates` does for the map."""
    row = online_rates(dataset, as_of).loc[province]
    window, june = row["online_daily"], row["june_online_daily"]
    return JuneComparison(None if pd.isna(window) else float(window), None if pd.isna(june) else float(june), drop_threshold)


def june_comparison_text(comparison: JuneComparison, as_of: pd.Timestamp, lang: str = "vi") -> str:
    """Say how the window's daily online dossiers compare with June 2025 and whether
    they are under the comparison's threshold."""
    as_of_text = day(as_of.date(), lang)
    if comparison.window_daily is None:
        return _words(
            f"Không có hồ sơ trong 7 ngày đến {as_of_text}.",
            f"No dossiers in the 7 days up to {as_of_text}.",
            lang,
        )
    if comparison.share is None:
        return _words(
            "Không có số liệu tháng 6/2025 để so sánh.", "There is no June 2025 data to compare with.", lang
        )

    window, june = number(round(comparison.window_daily), lang), number(round(comparison.june_daily), lang)
    share, threshold = percent(comparison.share, lang), threshold_percent(comparison.drop_threshold, lang)
    if lang == "en":
        verdict = f"under the {threshold} threshold" if comparison.below else f"not under the {threshold} threshold"
        return (
            f"{window} online dossiers a day in the 7 days up to {as_of_text}: {share} of the June 2025 "
            f"daily average ({june}), {verdict}."
        )
    verdict = f"dưới ngưỡng {threshold}" if comparison.below else f"không dưới ngưỡng {threshold}"
    return (
        f"Bình quân {window} hồ sơ trực tuyến mỗi ngày trong 7 ngày đến {as_of_text}, bằng {share} "
        f"bình quân ngày của tháng 6/2025 ({june}): {verdict}."
    )


# Tasks

OVERDUE, OPEN, DONE = "overdue", "open", "done"
"""States of a task on a report date. An overdue task is open too."""

TASK_VIEWS = (OVERDUE, OPEN, "all")
"""Task lists the page offers: overdue tasks, open tasks (overdue or not yet due), all tasks."""

STATE_LABELS = {
    OVERDUE: ("Quá hạn", "Overdue"),
    OPEN: ("Còn trong hạn", "Within deadline"),
    DONE: ("Hoàn thành", "Done"),
}

NO_EVIDENCE = ("Chưa có minh chứng", "No evidence")
"""Evidence cell of a task marked done without evidence of its output."""


def task_states(dataset: Dataset, as_of: pd.Timestamp) -> pd.DataFrame:
    """Return every task with its ``state`` on ``as_of`` and ``days_overdue``.

    A task is done when completed on or before ``as_of``, and an open task past its
    deadline is overdue, as in `monitoring.summary.overdue_tasks`. A completion after ``as_of``
    is not known on that date, so its date and its evidence are blanked.
    """
    tasks = dataset[TASKS].copy()
    done = tasks["completed"].notna() & (tasks["completed"] <= as_of)
    overdue = ~done & (tasks["deadline"] < as_of)
    completed_later = tasks["completed"] > as_of
    tasks["evidence"] = tasks["evidence"].where(~completed_later)

    tasks["state"] = OPEN
    tasks.loc[done, "state"] = DONE
    tasks.loc[overdue, "state"] = OVERDUE
    tasks["days_overdue"] = (as_of - tasks["deadline"]).dt.days.where(overdue).astype("Int64")
    tasks["completed"] = tasks["completed"].where(done)
    return tasks.reset_index(drop=True)


def tasks_in_view(states: pd.DataFrame, view: str) -> pd.DataFrame:
    """Return the tasks of one of `TASK_VIEWS` from a `task_states` table."""
    if view == OVERDUE:
        return states[states["state"] == OVERDUE]
    if view == OPEN:
        return states[states["state"] != DONE]
    if view == "all":
        return states
    raise ValueError(f"Unknown task view {view!r}: expected one of {', '.join(TASK_VIEWS)}")


def task_view_counts(dataset: Dataset, as_of: pd.Timestamp) -> dict[str, int]:
    """Count the tasks of each of `TASK_VIEWS` on ``as_of``."""
    states = task_states(dataset, as_of)
    return {view: len(tasks_in_view(states, view)) for view in TASK_VIEWS}


def task_group_counts(dataset: Dataset, as_of: pd.Timestamp, view: str) -> dict[str, int]:
    """Count the tasks of ``view`` per group. A task in two groups counts in both."""
    return count_by_group(tasks_in_view(task_states(dataset, as_of), view))


def done_without_evidence(dataset: Dataset, as_of: pd.Timestamp) -> int:
    """Count the tasks done on ``as_of`` whose evidence of output is blank."""
    states = task_states(dataset, as_of)
    done = states[states["state"] == DONE]
    return int(_blank(done["evidence"]).sum())


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype("string").str.strip() == "")


def task_table(dataset: Dataset, as_of: pd.Timestamp, view: str, lang: str = "vi") -> pd.DataFrame:
    """Return the tasks of ``view`` with groups, state and evidence in ``lang``: overdue
    first (most overdue first), then open, then done, each by deadline and title.

    A done task with blank evidence reads "Chưa có minh chứng" ("No evidence"), so a
    self-reported completion without proof is visible.
    """
    tasks = tasks_in_view(task_states(dataset, as_of), view)
    group_labels = {group.key: group.text(lang) for group in TASK_GROUPS}
    missing = _blank(tasks["evidence"]) & (tasks["state"] == DONE)

    table = pd.DataFrame(
        {
            "task_id": tasks["task_id"],
            "title": tasks["title"],
            "body": tasks["body"],
            "groups": ["; ".join(group_labels.get(key, key) for key in group_keys(groups)) for groups in tasks["groups"]],
            "deadline": tasks["deadline"],
            "state": [_words(*STATE_LABELS[state], lang) for state in tasks["state"]],
            "days_overdue": tasks["days_overdue"],
            "completed": tasks["completed"],
            "evidence": tasks["evidence"].astype("object").fillna("").where(~missing, _words(*NO_EVIDENCE, lang)),
        }
    )
    order = sorted(
        range(len(tasks)),
        key=lambda index: (
            list(STATE_LABELS).index(tasks["state"].iat[index]),
            tasks["deadline"].iat[index],
            vietnamese_sort_key(str(tasks["title"].iat[index])),
        ),
    )
    return table.iloc[order].reset_index(drop=True)


def tasks_by_body(dataset: Dataset, as_of: pd.Timestamp) -> pd.DataFrame:
    """Count per responsible body its overdue, open and all tasks on ``as_of``, most
    overdue first, then most open, then by name."""
    states = task_states(dataset, as_of)
    bodies = states["body"].fillna("—")
    table = pd.DataFrame(
        {
            "overdue": (states["state"] == OVERDUE).groupby(bodies).sum(),
            "open": (states["state"] != DONE).groupby(bodies).sum(),
            "all": bodies.value_counts(),
        }
    ).astype(int)
    table.index.name = "body"
    order = sorted(table.index, key=lambda body: (-table.at[body, "overdue"], -table.at[body, "open"], vietnamese_sort_key(body)))
    return table.loc[order].reset_index()
