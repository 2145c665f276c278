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
from monitoring.formatting import day, number, percent, threshold_percent
from monitoring.model import CONDITIONS, DO, NO_DATA_LABEL, SCORE_GROUPS, SCORE_MAXIMUM, STATUS_LABELS, VANG, XANH
from monitoring.charts import LOW_ONLINE
from monitoring.rules import StatusRules
from monitoring.summary import COVERAGE_BREAKS, DROP_THRESHOLD, commune_status, coverage, online_rates, province_status

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


def province_view(
    dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi", low_online: float = LOW_ONLINE, june_drop: float = DROP_THRESHOLD
) -> pd.DataFrame:
    """Return per province the status, fill colour, staleness and tooltip HTML for ``as_of``.

    The tooltip explains the province's colour: its note, the coverage class of
    its communes, an online rate under ``low_online``, a fall under ``june_drop`` of its June average, the
    conditions its communes lack most, and the date of its last report.
    """
    status = province_status(dataset, as_of)
    shares = coverage(dataset, as_of)["share_xanh"]
    rates = online_rates(dataset, as_of, june_drop)
    lacking = most_missing_conditions(commune_status(dataset, as_of), lang)

    rows = []
    for code, row in status.iterrows():
        state = row["status"] if isinstance(row["status"], str) else None
        lines = [
            f"<b>{html.escape(row['name'])}</b>",
            _tooltip_line(_words("Trạng thái", "Status", lang), status_label(state, lang)),
        ]
        if isinstance(row["note"], str) and row["note"].strip():
            lines.append(_tooltip_line(_words("Ghi chú", "Note", lang), row["note"]))
        lines.append(_coverage_line(float(shares.get(code, 0.0)), lang))
        lines.extend(_filing_lines(rates.loc[code], lang, low_online, june_drop))
        if lacking.get(code):
            lines.append(_tooltip_line(_words("Xã còn thiếu nhiều nhất", "Most lacked by communes", lang), lacking[code]))
        lines.append(_reported_line(row["report_date"], bool(row["stale"]), lang))
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


def _words(vi: str, en: str, lang: str) -> str:
    return en if lang == "en" else vi


def _coverage_line(share: float, lang: str) -> str:
    level = coverage_class_labels(lang)[coverage_class(share)]
    return _tooltip_line(_words("Xã Xanh", "Communes green", lang), f"{percent(share, lang)} ({_words('nhóm', 'class', lang)} {level})")


def _filing_lines(rates: pd.Series, lang: str, low_online: float, june_drop: float) -> list[str]:
    """Return the online rate, marked when under ``low_online``, and a fall under ``june_drop`` of the June average."""
    rate = None if pd.isna(rates["rate"]) else float(rates["rate"])
    shown = percent(rate, lang)
    if rate is not None and rate < low_online:
        limit = threshold_percent(low_online, lang)
        shown += _words(f" (dưới ngưỡng {limit})", f" (under the {limit} threshold)", lang)
    lines = [_tooltip_line(_words("Nộp trực tuyến", "Online filing", lang), shown)]

    if bool(rates["below_june"]):
        ratio = percent(float(rates["online_daily"] / rates["june_online_daily"]), lang)
        threshold = threshold_percent(june_drop, lang)
        lines.append(
            _tooltip_line(
                _words("Hồ sơ trực tuyến mỗi ngày", "Online dossiers a day", lang),
                _words(
                    f"{ratio} bình quân tháng 6/2025 (dưới ngưỡng {threshold})",
                    f"{ratio} of the June 2025 average (under the {threshold} threshold)",
                    lang,
                ),
            )
        )
    return lines


def _reported_line(reported: object, stale: bool, lang: str) -> str:
    label = _words("Báo cáo ngày", "Reported", lang)
    if pd.isna(reported):
        return _tooltip_line(label, _words("chưa báo cáo", "never", lang))
    shown = day(reported.date(), lang)
    if stale:
        shown += _words(" (báo cáo cũ)", " (stale report)", lang)
    return _tooltip_line(label, shown)


MOST_MISSING_SHOWN = 2
"""Conditions named in a province's tooltip as the ones its communes lack most."""


def _communes_count(count: int, lang: str) -> str:
    if lang == "en":
        return f"{number(count, lang)} commune{'' if count == 1 else 's'}"
    return f"{number(count, lang)} xã"


def most_missing_conditions(communes_status: pd.DataFrame, lang: str = "vi") -> dict[str, str]:
    """Return per province code the conditions its communes lack most, as
    "Chữ ký số (12 xã), Kết nối mạng (3 xã)"; provinces whose communes lack none are left out."""
    labels = {condition.key: condition.text(lang) for condition in CONDITIONS}
    lacking = communes_status[["province_code", "missing"]].explode("missing").dropna()
    counts = lacking.groupby(["province_code", "missing"]).size()

    found = {}
    for province, per_condition in counts.groupby(level=0):
        top = per_condition.droplevel(0).sort_values(ascending=False, kind="stable").head(MOST_MISSING_SHOWN)
        found[province] = ", ".join(f"{labels[key]} ({_communes_count(int(count), lang)})" for key, count in top.items())
    return found


def legend_entries(view: pd.DataFrame, lang: str = "vi") -> list[tuple[str, str, int]]:
    """Return (label, colour, count) for the three statuses and "no data", in that order."""
    counts = view["status"].value_counts(dropna=False)
    entries = [(status_label(state, lang), STATUS_COLORS[state], int(counts.get(state, 0))) for state in (XANH, VANG, DO)]
    entries.append((status_label(None, lang), NO_DATA_COLOR, int(view["status"].isna().sum())))
    return entries


def commune_view(dataset: Dataset, as_of: pd.Timestamp, province: str | None, lang: str = "vi") -> pd.DataFrame:
    """Return per commune of ``province`` (all communes when None) the status, fill colour,
    staleness and tooltip HTML.

    The tooltip names the conditions a commune lacks, the critical ones (which make it
    Đỏ under `StatusRules`) apart from the others, and the date of its last report.
    """
    table = commune_status(dataset, as_of)
    if province is not None:
        table = table[table["province_code"] == province]
    labels = {condition.key: condition.text(lang) for condition in CONDITIONS}
    critical = StatusRules.from_settings().critical
    province_names = provinces()["name"]

    rows = []
    for code, row in table.iterrows():
        state = row["status"] if isinstance(row["status"], str) else None
        missing = row["missing"] if isinstance(row["missing"], list) else []
        lines = [f"<b>{html.escape(row['name'])}</b>"]
        if province is None:
            lines.append(f"<div>{html.escape(str(province_names.get(row['province_code'], '')))}</div>")
        lines.append(_tooltip_line(_words("Trạng thái", "Status", lang), status_label(state, lang)))
        lines.extend(_lacking_lines(missing, critical, labels, lang))
        lines.append(_reported_line(row["report_date"], bool(row["stale"]), lang))
        rows.append(
            {
                "code": code,
                "province_code": row["province_code"],
                "status": state,
                "fill": STATUS_COLORS.get(state, NO_DATA_COLOR),
                "stale": bool(row["stale"]),
                "report_date": row["report_date"],
                "missing": missing,
                "tooltip": "".join(lines),
            }
        )
    columns = ["code", "province_code", "status", "fill", "stale", "report_date", "missing", "tooltip"]
    return pd.DataFrame(rows, columns=columns)


def _lacking_lines(missing: list[str], critical: frozenset[str], labels: dict[str, str], lang: str) -> list[str]:
    lines = []
    essential = [labels[key] for key in missing if key in critical]
    others = [labels[key] for key in missing if key not in critical]
    if essential:
        lines.append(_tooltip_line(_words("Thiếu điều kiện thiết yếu", "Lacks critical conditions", lang), ", ".join(essential)))
    if others:
        lines.append(_tooltip_line(_words("Còn thiếu", "Lacks", lang), ", ".join(others)))
    return lines


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
    low, middle, high = (threshold_percent(value, lang) for value in COVERAGE_BREAKS)
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


def coverage_table(dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi") -> pd.DataFrame:
    """Return the coverage of every province for the screen and downloads: communes by
    status, the share of Xanh communes and its class, highest share first."""
    table = coverage(dataset, as_of)
    classes = coverage_class_labels(lang)
    ordered = table.sort_values("share_xanh", ascending=False, kind="stable")
    return pd.DataFrame(
        {
            _words("Mã", "Code", lang): ordered.index,
            _words("Tỉnh, thành phố", "Province", lang): ordered["name"],
            _words("Số xã", "Communes", lang): ordered["communes"].astype(int),
            _words("Đã báo cáo", "Reported", lang): ordered["reported"].astype(int),
            status_label(XANH, lang): ordered[XANH].astype(int),
            status_label(VANG, lang): ordered[VANG].astype(int),
            status_label(DO, lang): ordered[DO].astype(int),
            _words("Tỷ lệ xã Xanh", "Share green", lang): [percent(float(share), lang) for share in ordered["share_xanh"]],
            _words("Nhóm", "Class", lang): [classes[coverage_class(float(share))] for share in ordered["share_xanh"]],
        }
    ).reset_index(drop=True)


def stale_units(status: pd.DataFrame, names: pd.Series, as_of: pd.Timestamp, lang: str = "vi") -> pd.DataFrame:
    """Return the units whose latest report is older than ``as_of``: name, date of that
    report and days since, oldest first.

    ``status`` has ``stale`` and ``report_date`` per unit code (as `province_status`,
    `commune_status` or `commune_view` return them); ``names`` maps codes to names.
    """
    codes = status["code"] if "code" in status.columns else status.index.to_series()
    stale = status.assign(code=codes.to_numpy())
    stale = stale[stale["stale"].astype(bool)].sort_values("report_date", kind="stable")
    table = pd.DataFrame({_words("Đơn vị", "Unit", lang): stale["code"].map(names).to_numpy()})
    if "province_code" in stale.columns:
        table[_words("Tỉnh, thành phố", "Province", lang)] = stale["province_code"].map(provinces()["name"]).to_numpy()
    table[_words("Báo cáo gần nhất", "Last report", lang)] = [day(value.date(), lang) for value in stale["report_date"]]
    table[_words("Số ngày", "Days since", lang)] = [(as_of - value).days for value in stale["report_date"]]
    return table


def stale_legend_entry(view: pd.DataFrame, lang: str = "vi") -> tuple[str, str, int] | None:
    """Return the legend row of stale units (drawn faded), or None when no unit is stale."""
    count = int(view["stale"].sum())
    if not count:
        return None
    return (_words("Báo cáo cũ (tô mờ)", "Stale report (faded)", lang), STALE_SWATCH, count)


STALE_SWATCH = "rgba(26, 152, 80, 0.4)"
"""Legend swatch of a stale unit: the Xanh fill at the opacity `geo.webmap` draws stale units with."""


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
