"""Map colours, legends and tooltips of statuses, coverage and scores, in the chosen language.

Tooltip text is built here as HTML with every value escaped: a unit name or a note
is data, never markup.
"""

from __future__ import annotations

import html

import pandas as pd

from geo.names import vietnamese_sort_key
from geo.units import communes, provinces

from monitoring.dataset import Dataset
from monitoring.formatting import day, number, percent
from monitoring.model import CONDITIONS, DO, NO_DATA_LABEL, SCORE_GROUPS, SCORE_MAXIMUM, STATUS_LABELS, VANG, XANH
from monitoring.summary import COVERAGE_BREAKS, commune_status, coverage, online_rates, province_status

STATUS_COLORS = {XANH: "#1a9850", VANG: "#fdb42f", DO: "#d73027"}
"""Fills of the three statuses. Green, amber and red differ in lightness as well as hue,
so they stay distinct under red-green colour blindness. The status is also written in
every tooltip and legend."""

NO_DATA_COLOR = "#f4f4f4"
"""Fill of a unit without data: near white, drawn with a dashed border."""


def status_label(status: object, lang: str = "vi") -> str:
    """Return the label of a status code, or "Chưa có dữ liệu" / "No data"."""
    if isinstance(status, str) and status in STATUS_LABELS:
        return STATUS_LABELS[status]["en" if lang == "en" else "vi"]
    return NO_DATA_LABEL["en" if lang == "en" else "vi"]


def _tooltip_line(label: str, value: str) -> str:
    return f"<div><span class='dxmap-key'>{html.escape(label)}:</span> {html.escape(value)}</div>"


def province_view(dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi") -> pd.DataFrame:
    """Return per province the status, fill colour, staleness and tooltip HTML for ``as_of``."""
    english = lang == "en"
    status = province_status(dataset, as_of)
    shares = coverage(dataset, as_of)["share_xanh"]
    rates = online_rates(dataset, as_of)["rate"]

    rows = []
    for code, row in status.iterrows():
        state = row["status"] if isinstance(row["status"], str) else None
        reported = row["report_date"]
        lines = [
            f"<b>{html.escape(row['name'])}</b>",
            _tooltip_line("Status" if english else "Trạng thái", status_label(state, lang)),
            _tooltip_line("Communes green" if english else "Xã Xanh", percent(float(shares.get(code, 0.0)), lang)),
            _tooltip_line(
                "Online filing" if english else "Nộp trực tuyến",
                percent(None if pd.isna(rates.get(code)) else float(rates.get(code)), lang),
            ),
        ]
        if isinstance(row["note"], str) and row["note"].strip():
            lines.append(_tooltip_line("Note" if english else "Ghi chú", row["note"]))
        if pd.notna(reported):
            lines.append(_tooltip_line("Reported" if english else "Báo cáo ngày", day(reported.date(), lang)))
        rows.append(
            {
                "code": code,
                "status": state,
                "fill": STATUS_COLORS.get(state, NO_DATA_COLOR),
                "stale": bool(row["stale"]),
                "tooltip": "".join(lines),
            }
        )
    return pd.DataFrame(rows)


def legend_entries(view: pd.DataFrame, lang: str = "vi") -> list[tuple[str, str, int]]:
    """Return (label, colour, count) for the three statuses and "no data", in that order."""
    counts = view["status"].value_counts(dropna=False)
    entries = [(status_label(state, lang), STATUS_COLORS[state], int(counts.get(state, 0))) for state in (XANH, VANG, DO)]
    entries.append((status_label(None, lang), NO_DATA_COLOR, int(view["status"].isna().sum())))
    return entries


def commune_view(dataset: Dataset, as_of: pd.Timestamp, province: str, lang: str = "vi") -> pd.DataFrame:
    """Return per commune of ``province`` the status, fill colour, staleness and tooltip HTML,
    naming the readiness conditions a commune lacks."""
    english = lang == "en"
    table = commune_status(dataset, as_of)
    table = table[table["province_code"] == province]
    labels = {condition.key: condition.text(lang) for condition in CONDITIONS}

    rows = []
    for code, row in table.iterrows():
        state = row["status"] if isinstance(row["status"], str) else None
        lines = [
            f"<b>{html.escape(row['name'])}</b>",
            _tooltip_line("Status" if english else "Trạng thái", status_label(state, lang)),
        ]
        missing = row["missing"] if isinstance(row["missing"], list) else []
        if missing:
            lacking = ", ".join(labels[key] for key in missing)
            lines.append(_tooltip_line("Lacks" if english else "Còn thiếu", lacking))
        if pd.notna(row["report_date"]):
            lines.append(_tooltip_line("Reported" if english else "Báo cáo ngày", day(row["report_date"].date(), lang)))
        rows.append(
            {
                "code": code,
                "status": state,
                "fill": STATUS_COLORS.get(state, NO_DATA_COLOR),
                "stale": bool(row["stale"]),
                "missing": missing,
                "tooltip": "".join(lines),
            }
        )
    return pd.DataFrame(rows, columns=["code", "status", "fill", "stale", "missing", "tooltip"])


def commune_table(view: pd.DataFrame, names: pd.Series, lang: str = "vi") -> pd.DataFrame:
    """Return the communes of a view as a table for the screen: name, status, the
    conditions each lacks and whether its report is stale, least ready first, then by
    name in Vietnamese alphabetical order."""
    english = lang == "en"
    labels = {condition.key: condition.text(lang) for condition in CONDITIONS}
    order = {DO: 0, VANG: 1, None: 2, XANH: 3}
    table = pd.DataFrame(
        {
            "Commune" if english else "Xã, phường": view["code"].map(names),
            "Status" if english else "Trạng thái": [status_label(state, lang) for state in view["status"]],
            "Lacks" if english else "Còn thiếu": [", ".join(labels[key] for key in missing) for missing in view["missing"]],
            "Stale report" if english else "Báo cáo cũ": view["stale"].map({True: "✓", False: ""}),
        }
    )
    ranks = [order.get(state if isinstance(state, str) else None, 2) for state in view["status"]]
    positions = sorted(
        range(len(table)), key=lambda index: (ranks[index], vietnamese_sort_key(str(table.iat[index, 0])))
    )
    return table.iloc[positions].reset_index(drop=True)


COVERAGE_COLORS = ("#edf8e9", "#bae4b3", "#74c476", "#238b45")
"""Sequential greens for commune coverage classes, from under 10% to 70% and over."""


def coverage_class_labels(lang: str = "vi") -> list[str]:
    """Return the labels of the coverage classes, split at `COVERAGE_BREAKS`."""
    low, middle, high = (percent(value, lang).replace(",0%", "%").replace(".0%", "%") for value in COVERAGE_BREAKS)
    if lang == "en":
        return [f"under {low}", f"{low} to {middle}", f"over {middle} to {high}", f"over {high}"]
    return [f"dưới {low}", f"{low} đến {middle}", f"trên {middle} đến {high}", f"trên {high}"]


def coverage_class(share: float) -> int:
    """Return the class of a coverage share: 0 under 10%, 1 up to 50%, 2 up to 70%, 3 over 70%."""
    low, middle, high = COVERAGE_BREAKS
    if share < low:
        return 0
    if share <= middle:
        return 1
    return 2 if share <= high else 3


def coverage_view(dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi") -> pd.DataFrame:
    """Return per province the share of Xanh communes, its class, fill and tooltip HTML."""
    english = lang == "en"
    table = coverage(dataset, as_of)
    labels = coverage_class_labels(lang)
    rows = []
    for code, row in table.iterrows():
        share = float(row["share_xanh"])
        level = coverage_class(share)
        lines = [
            f"<b>{html.escape(row['name'])}</b>",
            _tooltip_line("Communes green" if english else "Xã Xanh", percent(share, lang)),
            _tooltip_line(
                "Communes" if english else "Số xã",
                f"{number(int(row[XANH]), lang)}/{number(int(row['communes']), lang)}",
            ),
            _tooltip_line("Class" if english else "Nhóm", labels[level]),
        ]
        rows.append({"code": code, "share": share, "level": level, "fill": COVERAGE_COLORS[level], "tooltip": "".join(lines)})
    return pd.DataFrame(rows)


def coverage_legend(view: pd.DataFrame, lang: str = "vi") -> list[tuple[str, str, int]]:
    """Return (label, colour, count of provinces) per coverage class."""
    counts = view["level"].value_counts()
    return [(label, COVERAGE_COLORS[level], int(counts.get(level, 0))) for level, label in enumerate(coverage_class_labels(lang))]


SCORE_BREAKS = (70.0, 80.0, 90.0)
"""Class breaks of the 766 total score, out of 100."""

SCORE_COLORS = ("#fee8c8", "#fdbb84", "#74a9cf", "#0570b0")
"""Fills of the score classes, from under 70 to 90 and over."""


def score_class_labels(lang: str = "vi") -> list[str]:
    low, middle, high = (f"{value:g}" for value in SCORE_BREAKS)
    if lang == "en":
        return [f"under {low}", f"{low} to {middle}", f"{middle} to {high}", f"{high} and over"]
    return [f"dưới {low}", f"{low} đến dưới {middle}", f"{middle} đến dưới {high}", f"từ {high} trở lên"]


def score_view(scores: pd.DataFrame, names: pd.Series, lang: str = "vi") -> pd.DataFrame:
    """Return per unit of ``scores`` (one period) the class, fill and a tooltip with the six groups."""
    rows = []
    for _, row in scores.iterrows():
        total = float(row["total"])
        level = sum(total >= edge for edge in SCORE_BREAKS)
        lines = [f"<b>{html.escape(str(names.get(row['unit_code'], row['unit_code'])))}</b>"]
        lines.append(_tooltip_line("Total" if lang == "en" else "Tổng điểm", number(round(total, 2), lang)))
        for group in SCORE_GROUPS:
            value = row[group.key]
            if pd.notna(value):
                maximum = SCORE_MAXIMUM[group.key]
                lines.append(_tooltip_line(group.text(lang), f"{number(round(float(value), 2), lang)}/{maximum:g}"))
        rows.append({"code": row["unit_code"], "total": total, "level": level, "fill": SCORE_COLORS[level], "tooltip": "".join(lines)})
    return pd.DataFrame(rows, columns=["code", "total", "level", "fill", "tooltip"])


def score_legend(view: pd.DataFrame, lang: str = "vi") -> list[tuple[str, str, int]]:
    counts = view["level"].value_counts()
    return [(label, SCORE_COLORS[level], int(counts.get(level, 0))) for level, label in enumerate(score_class_labels(lang))]


def provinces_with_commune_scores(scores: pd.DataFrame) -> list[str]:
    """Return the codes of the provinces that have scores for their communes."""
    commune_codes = scores.loc[scores["unit_code"].str.len() == 5, "unit_code"]
    return sorted(set(commune_codes.map(communes()["province_code"]).dropna()))


def score_rows(scores: pd.DataFrame, province: str | None) -> tuple[pd.DataFrame, pd.Series]:
    """Return the score rows of the provinces (``province`` None) or of one province's
    communes, with the official names of their units."""
    if province is None:
        return scores[scores["unit_code"].str.len() == 2], provinces()["name"]
    in_province = scores["unit_code"].map(communes()["province_code"]) == province
    return scores[in_province], communes()["name"]
