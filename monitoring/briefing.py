"""The briefing: short findings of a report date in Vietnamese or English, each linked to its view.

Every number and name in a finding is computed from the dataset with the functions of
`monitoring.summary` and `monitoring.charts`. A `Finding` keeps those values beside its
text, so a test or a report can check the sentence against the data it came from. The
thresholds behind the findings are `monitoring.thresholds.Thresholds`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd

from geo.names import vietnamese_sort_key
from monitoring.charts import readiness_and_filing, tasks_by_body
from monitoring.dataset import Dataset
from monitoring.formatting import day, number, percent, threshold_percent
from monitoring.model import DO, STATUS_LABELS, TASK_GROUPS, VANG, XANH, group_keys
from monitoring.summary import (
    COVERAGE_BREAKS,
    FILING_WINDOW_DAYS,
    count_by_group,
    coverage,
    national_online_rate,
    online_rates,
    overdue_tasks,
    previous_report_date,
    province_status,
)
from monitoring.thresholds import Thresholds

HEADLINE = "headline"
PROGRESS = "progress"
LOWEST_COVERAGE = "lowest_coverage"
BOTTLENECK = "bottleneck"
JUNE_DROP = "june_drop"
OVERDUE_BY_GROUP = "overdue_by_group"
OVERDUE_BY_BODY = "overdue_by_body"

MAX_NAMED = 12
"""Longest list of names a finding writes out; the rest are counted ("và 3 tỉnh khác")."""

LOW_COVERAGE = COVERAGE_BREAKS[0]
"""Share of Xanh communes under which a province is named among the lowest (the map's first class break)."""

PAGE_LABELS = {
    "": ("Xem bản đồ", "See the map"),
    "filing": ("Xem hồ sơ trực tuyến", "See online filing"),
    "tasks": ("Xem nhiệm vụ", "See the tasks"),
}
"""Label of the link to each page that a finding points to."""


@dataclass(frozen=True)
class Finding:
    """One sentence of the briefing.

    ``figures`` contains the raw values the sentence states (counts, shares as fractions,
    ISO dates) and ``names`` the unit or body names it writes out. ``link`` is a
    relative URL of the app, such as ``/filing?date=2025-07-15&province=38``.
    """

    key: str
    text: str
    link: str
    link_label: str
    names: tuple[str, ...] = ()
    figures: Mapping[str, object] = field(default_factory=dict)


def briefing(
    dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi", thresholds: Thresholds | None = None
) -> list[Finding]:
    """Write the findings of the report date ``as_of``.

    Parameters
    ----------
    dataset
        The status tables.
    as_of
        The report date; each unit's latest report on or before it counts.
    lang
        "vi" (Vietnamese) or "en" (English).
    thresholds
        The rules behind the findings; `Thresholds.from_settings` when None.

    Returns
    -------
    list of Finding
        In order: the headline, progress since the previous report, the lowest coverage
        of Xanh communes, good infrastructure but low online filing, falls below the
        June 2025 average, overdue tasks by group, and (when any are overdue) by
        responsible body.

    Raises
    ------
    monitoring.thresholds.ThresholdSettingError
        When ``thresholds`` is None and a threshold setting is invalid.
    """
    thresholds = thresholds or Thresholds.from_settings()
    findings = [
        headline_finding(dataset, as_of, lang),
        progress_finding(dataset, as_of, lang),
        coverage_finding(dataset, as_of, lang),
        bottleneck_finding(dataset, as_of, lang, thresholds),
        june_drop_finding(dataset, as_of, lang, thresholds),
        overdue_group_finding(dataset, as_of, lang),
    ]
    by_body = overdue_body_finding(dataset, as_of, lang)
    if by_body is not None:
        findings.append(by_body)
    return findings


def view_link(page: str, as_of: pd.Timestamp, lang: str, **params: str) -> str:
    """Return the relative URL of an app view: ``page`` ("" for the overview) with the date,
    ``params`` and, in English, ``lang=en``."""
    query = {"date": as_of.strftime("%Y-%m-%d"), **params}
    if lang == "en":
        query["lang"] = "en"
    return f"/{page}?{urlencode(query)}"


# Characters that start inline Markdown or HTML (emphasis, code, links, tags, entities),
# escaped with a backslash as CommonMark allows. A colon is escaped only in "://", where
# GitHub-flavoured Markdown would turn a bare address into a link.
_INLINE_MARKDOWN = re.compile(r"([\\`*_\[\]<>!&~|])")


def escape_inline_markdown(text: str) -> str:
    """Escape the characters of ``text`` that Markdown would read as inline markup, keeping
    commas, stops, colons and parentheses readable in a Markdown file."""
    return _INLINE_MARKDOWN.sub(r"\\\1", text).replace("://", "\\://")


def markdown_list(findings: list[Finding], quote: Callable[[str], str] = escape_inline_markdown, prefix: str = "") -> str:
    """Write the findings as a Markdown list, each sentence followed by the link to its view.

    ``quote`` escapes each sentence, whose names and task bodies come from uploaded
    files; ``prefix`` goes before every link, such as the app's base URL path.
    """
    lines = [f"- {quote(finding.text)} [{quote(finding.link_label)}]({prefix}{finding.link})" for finding in findings]
    return "\n".join(lines)


def _finding(key: str, text: str, page: str, as_of: pd.Timestamp, lang: str, names=(), figures=None, **params) -> Finding:
    label = _words(*PAGE_LABELS[page], lang)
    return Finding(key, text, view_link(page, as_of, lang, **params), label, tuple(names), figures or {})


def _words(vi: str, en: str, lang: str) -> str:
    return en if lang == "en" else vi


def _join(
    items: list[str], lang: str, more_vi: str = "khác", more_en: str = "more", separator: str = ", ", capped: bool = True
) -> str:
    """Join items as "A, B và C" / "A, B and C", writing at most `MAX_NAMED` (when ``capped``) and counting the rest.

    With another ``separator`` (such as "; " between names that contain "và") every item is joined with it.
    """
    shown = list(items[:MAX_NAMED]) if capped else list(items)
    if capped and len(items) > MAX_NAMED:
        rest = number(len(items) - MAX_NAMED, lang)
        shown.append(_words(f"{rest} {more_vi}", f"{rest} {more_en}", lang))
    if len(shown) <= 1 or separator != ", ":
        return separator.join(shown)
    return f"{', '.join(shown[:-1])} {_words('và', 'and', lang)} {shown[-1]}"


def _named(items: list[str]) -> tuple[str, ...]:
    return tuple(items[:MAX_NAMED])


def _alphabetical(names) -> list[str]:
    return sorted(names, key=vietnamese_sort_key)


# Headline and progress


def headline_finding(dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi") -> Finding:
    """State how many provinces are Xanh, Vàng and Đỏ (and without data), naming those not Xanh."""
    status = province_status(dataset, as_of)
    names = {state: _alphabetical(status.loc[status["status"] == state, "name"]) for state in (XANH, VANG, DO)}
    no_data = _alphabetical(status.loc[status["status"].isna(), "name"])
    counts = {state: len(names[state]) for state in (XANH, VANG, DO)}
    figures = {**counts, "no_data": len(no_data), "provinces": len(status), "as_of": as_of.strftime("%Y-%m-%d")}

    parts = [_status_part(state, names[state], lang) for state in (VANG, DO)]
    if no_data:
        parts.append(_no_data_part(no_data, lang))
    when, total, green = day(as_of.date(), lang), number(len(status), lang), number(counts[XANH], lang)
    if lang == "en":
        text = f"On {when}, {green} of {total} provinces are Green, {_join(parts, lang, capped=False)}."
    else:
        text = f"Đến ngày {when}, {green}/{total} tỉnh, thành phố đạt Xanh, {_join(parts, lang, capped=False)}."

    named = _named(names[VANG]) + _named(names[DO]) + _named(no_data)
    return _finding(HEADLINE, text, "", as_of, lang, named, figures, layer="status")


def _status_part(state: str, names: list[str], lang: str) -> str:
    label = STATUS_LABELS[state][lang]
    if not names:
        return _words(f"không có tỉnh {label}", f"none is {label}", lang)
    count = number(len(names), lang)
    listed = _join(names, lang, "tỉnh khác", "more")
    if lang == "en":
        return f"{count} {'is' if len(names) == 1 else 'are'} {label} ({listed})"
    return f"{count} tỉnh {label} ({listed})"


def _no_data_part(names: list[str], lang: str) -> str:
    count, listed = number(len(names), lang), _join(names, lang, "tỉnh khác", "more")
    if lang == "en":
        return f"{count} {'has' if len(names) == 1 else 'have'} no data ({listed})"
    return f"{count} tỉnh chưa có dữ liệu ({listed})"


def progress_finding(dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi") -> Finding:
    """Compare Xanh provinces and communes, the national online rate and overdue tasks with the previous report."""
    previous = previous_report_date(dataset, as_of)
    if previous is None:
        text = _words(
            "Đây là báo cáo đầu tiên trong dữ liệu, nên chưa có báo cáo trước để so sánh.",
            "This is the first report in the data, so there is no earlier report to compare with.",
            lang,
        )
        return _finding(PROGRESS, text, "", as_of, lang, figures={"previous_date": None}, layer="status")

    before, now = _progress_figures(dataset, previous), _progress_figures(dataset, as_of)
    turned_green, left_green = _status_moves(dataset, previous, as_of)
    changes = [
        _change(_words("số tỉnh Xanh", "provinces Green", lang), before["xanh"], now["xanh"], number, lang)
        + _moves_note(turned_green, left_green, lang),
        _change(_words("số xã Xanh", "communes Green", lang), before["communes_xanh"], now["communes_xanh"], number, lang),
        _change(
            _words("tỷ lệ nộp hồ sơ trực tuyến cả nước", "the national online filing rate", lang),
            before["online_rate"],
            now["online_rate"],
            percent,
            lang,
        ),
        _change(_words("nhiệm vụ quá hạn", "overdue tasks", lang), before["overdue"], now["overdue"], number, lang),
    ]
    when = day(previous.date(), lang)
    opening = _words(f"So với báo cáo ngày {when}", f"Since the report of {when}", lang)
    text = f"{opening}: {'; '.join(changes)}."

    figures = {"previous_date": previous.strftime("%Y-%m-%d"), "before": before, "now": now}
    named = _named(turned_green) + _named(left_green)
    return _finding(PROGRESS, text, "", as_of, lang, named, figures, layer="status")


def _progress_figures(dataset: Dataset, as_of: pd.Timestamp) -> dict:
    status = province_status(dataset, as_of)["status"]
    return {
        "xanh": int((status == XANH).sum()),
        "communes_xanh": int(coverage(dataset, as_of)[XANH].sum()),
        "online_rate": national_online_rate(dataset, as_of),
        "overdue": len(overdue_tasks(dataset, as_of)),
    }


def _status_moves(dataset: Dataset, previous: pd.Timestamp, as_of: pd.Timestamp) -> tuple[list[str], list[str]]:
    """Return the provinces that turned Xanh and those that stopped being Xanh between two dates."""
    before, now = province_status(dataset, previous), province_status(dataset, as_of)
    was_green, is_green = before["status"] == XANH, now["status"] == XANH
    turned = _alphabetical(now.loc[is_green.fillna(False) & ~was_green.fillna(False), "name"])
    left = _alphabetical(now.loc[was_green.fillna(False) & ~is_green.fillna(False), "name"])
    return turned, left


def _moves_note(turned_green: list[str], left_green: list[str], lang: str) -> str:
    notes = []
    if turned_green:
        notes.append(_words(f"{_join(turned_green, lang)} chuyển sang Xanh", f"{_join(turned_green, lang)} turned Green", lang))
    if left_green:
        notes.append(_words(f"{_join(left_green, lang)} không còn Xanh", f"{_join(left_green, lang)} no longer Green", lang))
    return f" ({', '.join(notes)})" if notes else ""


def _change(label: str, before, now, formatter: Callable, lang: str) -> str:
    """Say how a figure moved, comparing the written values so that a change too small to show reads as unchanged."""
    if before is None or now is None:
        return _words(f"{label} chưa đủ số liệu để so sánh", f"{label} has too little data to compare", lang)
    before_text, now_text = formatter(before, lang), formatter(now, lang)
    if before_text == now_text:
        return _words(f"{label} giữ nguyên {now_text}", f"{label} unchanged at {now_text}", lang)
    if now > before:
        return _words(f"{label} tăng từ {before_text} lên {now_text}", f"{label} up from {before_text} to {now_text}", lang)
    return _words(f"{label} giảm từ {before_text} xuống {now_text}", f"{label} down from {before_text} to {now_text}", lang)


# Coverage and online filing


def coverage_finding(dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi") -> Finding:
    """Name the provinces with under `LOW_COVERAGE` of their communes Xanh, lowest first, or the lowest one."""
    table = coverage(dataset, as_of).sort_values("share_xanh", kind="stable")
    low = table[table["share_xanh"] < LOW_COVERAGE]
    threshold = threshold_percent(LOW_COVERAGE, lang)
    figures = {"threshold": LOW_COVERAGE, "shares": {row["name"]: float(row["share_xanh"]) for _, row in low.iterrows()}}

    if low.empty:
        lowest = table.iloc[0]
        share = percent(float(lowest["share_xanh"]), lang)
        text = _words(
            f"Không tỉnh nào có dưới {threshold} xã Xanh; thấp nhất là {lowest['name']} ({share}).",
            f"No province has under {threshold} of its communes Green; the lowest is {lowest['name']} ({share}).",
            lang,
        )
        figures["lowest"] = {lowest["name"]: float(lowest["share_xanh"])}
        return _finding(LOWEST_COVERAGE, text, "", as_of, lang, [lowest["name"]], figures, layer="coverage")

    listed = [f"{row['name']} ({percent(float(row['share_xanh']), lang)})" for _, row in low.iterrows()]
    count = number(len(low), lang)
    text = _words(
        f"{count} tỉnh có dưới {threshold} xã Xanh: {_join(listed, lang, 'tỉnh khác')}.",
        f"{count} {'province has' if len(low) == 1 else 'provinces have'} under {threshold} of communes Green: "
        f"{_join(listed, lang)}.",
        lang,
    )
    return _finding(LOWEST_COVERAGE, text, "", as_of, lang, _named(list(low["name"])), figures, layer="coverage")


def bottleneck_finding(dataset: Dataset, as_of: pd.Timestamp, lang: str, thresholds: Thresholds) -> Finding:
    """Name the provinces with good infrastructure but low online filing, lowest rate first."""
    table = readiness_and_filing(dataset, as_of, thresholds.good_infrastructure, thresholds.low_online)
    found = table[table["bottleneck"]].sort_values("rate", kind="stable")
    good, low = threshold_percent(thresholds.good_infrastructure, lang), threshold_percent(thresholds.low_online, lang)
    figures = {
        "good_infrastructure": thresholds.good_infrastructure,
        "low_online": thresholds.low_online,
        "provinces": {row["name"]: {"share_xanh": float(row["share_xanh"]), "rate": float(row["rate"])} for _, row in found.iterrows()},
    }

    if found.empty:
        text = _words(
            f"Không tỉnh nào vừa có trên {good} xã Xanh vừa có dưới {low} hồ sơ nộp trực tuyến.",
            f"No province has both over {good} of its communes Green and under {low} of dossiers filed online.",
            lang,
        )
        return _finding(BOTTLENECK, text, "filing", as_of, lang, figures=figures)
    if len(found) == 1:
        code, row = found.index[0], found.iloc[0]
        share, rate = percent(float(row["share_xanh"]), lang), percent(float(row["rate"]), lang)
        text = _words(
            f"{row['name']} có hạ tầng tốt ({share} xã Xanh, trên ngưỡng {good}) nhưng chỉ {rate} hồ sơ "
            f"nộp trực tuyến (dưới ngưỡng {low}).",
            f"{row['name']} has good infrastructure ({share} of communes Green, over the {good} threshold) "
            f"but only {rate} of dossiers filed online (under the {low} threshold).",
            lang,
        )
        return _finding(BOTTLENECK, text, "filing", as_of, lang, [row["name"]], figures, province=code)

    listed = [
        _words(
            f"{row['name']} ({percent(float(row['share_xanh']), lang)} xã Xanh, {percent(float(row['rate']), lang)} trực tuyến)",
            f"{row['name']} ({percent(float(row['share_xanh']), lang)} Green, {percent(float(row['rate']), lang)} online)",
            lang,
        )
        for _, row in found.iterrows()
    ]
    count = number(len(found), lang)
    text = _words(
        f"{count} tỉnh có hạ tầng tốt (trên {good} xã Xanh) nhưng dưới {low} hồ sơ nộp trực tuyến: "
        f"{_join(listed, lang, 'tỉnh khác')}.",
        f"{count} provinces have good infrastructure (over {good} of communes Green) but under {low} of "
        f"dossiers filed online: {_join(listed, lang)}.",
        lang,
    )
    return _finding(BOTTLENECK, text, "filing", as_of, lang, _named(list(found["name"])), figures)


def june_drop_finding(dataset: Dataset, as_of: pd.Timestamp, lang: str, thresholds: Thresholds) -> Finding:
    """Name the provinces whose daily online dossiers fell under ``thresholds.june_drop`` of their June 2025 average."""
    rates = online_rates(dataset, as_of, thresholds.june_drop)
    found = rates[rates["below_june"]].copy()
    found["share"] = (found["online_daily"] / found["june_online_daily"]).astype(float)
    found = found.sort_values("share", kind="stable")
    threshold, when = threshold_percent(thresholds.june_drop, lang), day(as_of.date(), lang)
    days = number(FILING_WINDOW_DAYS, lang)
    figures = {
        "june_drop": thresholds.june_drop,
        "provinces": {
            row["name"]: {"online_daily": float(row["online_daily"]), "june_online_daily": float(row["june_online_daily"])}
            for _, row in found.iterrows()
        },
    }

    if found.empty:
        text = _words(
            f"Không tỉnh nào có số hồ sơ trực tuyến mỗi ngày dưới {threshold} bình quân ngày của tháng 6/2025.",
            f"No province's daily online dossiers are under {threshold} of its June 2025 daily average.",
            lang,
        )
        return _finding(JUNE_DROP, text, "filing", as_of, lang, figures=figures)
    if len(found) == 1:
        code, row = found.index[0], found.iloc[0]
        daily, june = number(round(row["online_daily"]), lang), number(round(row["june_online_daily"]), lang)
        share = percent(float(row["share"]), lang)
        text = _words(
            f"{row['name']} có bình quân {daily} hồ sơ trực tuyến mỗi ngày trong {days} ngày đến {when}, chỉ bằng "
            f"{share} bình quân ngày của tháng 6/2025 ({june}), dưới ngưỡng {threshold}.",
            f"{row['name']} filed {daily} online dossiers a day in the {days} days up to {when}, only {share} "
            f"of its June 2025 daily average ({june}) and under the {threshold} threshold.",
            lang,
        )
        return _finding(JUNE_DROP, text, "filing", as_of, lang, [row["name"]], figures, province=code)

    listed = [f"{row['name']} ({percent(float(row['share']), lang)})" for _, row in found.iterrows()]
    count = number(len(found), lang)
    text = _words(
        f"{count} tỉnh có số hồ sơ trực tuyến mỗi ngày trong {days} ngày đến {when} dưới {threshold} bình quân "
        f"ngày của tháng 6/2025: {_join(listed, lang, 'tỉnh khác')}.",
        f"{count} provinces filed under {threshold} of their June 2025 daily average of online dossiers in the "
        f"{days} days up to {when}: {_join(listed, lang)}.",
        lang,
    )
    return _finding(JUNE_DROP, text, "filing", as_of, lang, _named(list(found["name"])), figures)


# Tasks


def overdue_group_finding(dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi") -> Finding:
    """Count overdue tasks by group, and explain why the groups add up to more than the tasks."""
    overdue = overdue_tasks(dataset, as_of)
    by_group = count_by_group(overdue)
    in_several = sum(len(group_keys(groups)) > 1 for groups in overdue["groups"].dropna())
    group_total = sum(by_group.values())
    figures = {"overdue": len(overdue), "by_group": by_group, "group_total": group_total, "in_several_groups": in_several}
    when = day(as_of.date(), lang)

    if overdue.empty:
        text = _words(f"Không có nhiệm vụ quá hạn đến ngày {when}.", f"No task is overdue on {when}.", lang)
        return _finding(OVERDUE_BY_GROUP, text, "tasks", as_of, lang, figures=figures, tasks="overdue")

    count = number(len(overdue), lang)
    groups = [f"{group.text(lang)} {number(by_group.get(group.key, 0), lang)}" for group in TASK_GROUPS]
    if lang == "en":
        text = f"{count} {'task is' if len(overdue) == 1 else 'tasks are'} overdue. By group: {', '.join(groups)}."
    else:
        text = f"{count} nhiệm vụ quá hạn, theo nhóm: {'; '.join(groups)}."
    if group_total > len(overdue):
        text += " " + _several_groups_note(group_total, len(overdue), in_several, lang)
    return _finding(OVERDUE_BY_GROUP, text, "tasks", as_of, lang, figures=figures, tasks="overdue")


def _several_groups_note(group_total: int, tasks: int, in_several: int, lang: str) -> str:
    total, count, several = number(group_total, lang), number(tasks, lang), number(in_several, lang)
    if lang == "en":
        belongs, counts = ("task belongs", "counts") if in_several == 1 else ("tasks belong", "count")
        return f"The groups add up to {total}, not {count}, because {several} {belongs} to more than one group and {counts} in each."
    return f"Các nhóm cộng lại là {total}, không phải {count}, vì {several} nhiệm vụ thuộc hơn một nhóm và được tính ở mỗi nhóm."


def overdue_body_finding(dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi") -> Finding | None:
    """Count overdue tasks per responsible body, most first; None when no task is overdue."""
    table = tasks_by_body(dataset, as_of)
    table = table[table["overdue"] > 0]
    if table.empty:
        return None

    by_body = {str(row["body"]): int(row["overdue"]) for _, row in table.iterrows()}
    listed = [f"{body} {number(count, lang)}" for body, count in by_body.items()]
    shown = _join(listed, lang, "cơ quan khác", "more bodies", separator="; ")
    text = _words(
        f"Nhiệm vụ quá hạn theo cơ quan chủ trì: {shown}.",
        f"Overdue tasks by responsible body: {shown}.",
        lang,
    )
    figures = {"by_body": by_body}
    return _finding(OVERDUE_BY_BODY, text, "tasks", as_of, lang, _named(list(by_body)), figures, tasks="overdue")
