"""Reports of a briefing to send on: an A4 PDF with its maps and chart, and an Excel workbook.

The PDF is drawn with matplotlib in DejaVu Sans, which matplotlib ships and which has
every Vietnamese letter. Fonts are embedded as TrueType (``pdf.fonttype`` 42), so the
text layer keeps its diacritics when copied or extracted (``pdftotext``). Each page
carries the report date and where the data comes from.
"""

from __future__ import annotations

import io
import math
import textwrap

import geopandas as gpd
import pandas as pd
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from geo.display import display_layer
from geo.webmap import SEA_COLOR, VIETNAM_BOUNDS
from monitoring.briefing import Finding, briefing
from monitoring.charts import download_view, readiness_and_filing, task_table
from monitoring.dataset import Dataset
from monitoring.export import xlsx_bytes
from monitoring.formatting import day, percent, provenance_text, threshold_percent
from monitoring.model import DO, KIND_LABELS, KINDS, VANG, XANH
from monitoring.presentation import (
    COVERAGE_COLORS,
    NO_DATA_COLOR,
    STATUS_COLORS,
    coverage_class,
    coverage_class_labels,
    status_label,
)
from monitoring.summary import FILING_WINDOW_DAYS, coverage, national_online_rate, online_rates, province_status
from monitoring.thresholds import Thresholds

A4_INCHES = (8.27, 11.69)
"""Portrait A4 (210 × 297 mm) in inches, matplotlib's unit of figure size."""

FONT = "DejaVu Sans"

PDF_STYLE = {"pdf.fonttype": 42, "font.family": FONT, "font.size": 9}
"""Embed TrueType glyphs (type 42), not Type 3 outlines, so the text layer can be extracted."""

SEA_LABELS = (
    ("Biển Đông", (14.3, 114.6), 11, "italic"),
    ("Quần đảo Hoàng Sa", (17.6, 112.1), 8, "normal"),
    ("Quần đảo Trường Sa", (12.3, 114.4), 8, "normal"),
)
"""Sea and archipelago labels (text, (lat, lon), size, style), placed as on the web map."""

TEXT_WIDTH = 100
"""Characters per line of the briefing page at 9.5 pt on A4."""


def report_pdf(
    dataset: Dataset,
    as_of: pd.Timestamp,
    lang: str = "vi",
    thresholds: Thresholds | None = None,
    provinces: gpd.GeoDataFrame | None = None,
) -> bytes:
    """Draw the briefing of ``as_of`` as an A4 PDF: the findings, the two province maps
    and the online filing chart.

    Parameters
    ----------
    dataset, as_of, lang, thresholds
        As for `monitoring.briefing.briefing`.
    provinces
        Province boundaries; ``geo.display.display_layer("province")`` when None.

    Raises
    ------
    geo.errors.BoundaryError
        When ``provinces`` is None and the boundaries can't be loaded.
    monitoring.thresholds.ThresholdSettingError
        When ``thresholds`` is None and a threshold setting is invalid.
    """
    thresholds = thresholds or Thresholds.from_settings()
    findings = briefing(dataset, as_of, lang, thresholds)
    provinces = display_layer("province") if provinces is None else provinces
    footer = _footer_lines(dataset, as_of, lang)

    with rc_context(PDF_STYLE):
        pages = [
            _findings_page(findings, as_of, lang),
            _status_map_page(dataset, as_of, provinces, lang),
            _coverage_map_page(dataset, as_of, provinces, lang),
            _filing_chart_page(dataset, as_of, lang, thresholds),
        ]
        return _write_pdf(pages, footer, lang)


def provenance_summary(dataset: Dataset, lang: str = "vi") -> str:
    """Say where the tables come from: one text when all share a source, else one per table kind."""
    texts = {kind: provenance_text(dataset.provenance.get(kind), lang) for kind in KINDS}
    if len(set(texts.values())) == 1:
        return next(iter(texts.values()))
    return "; ".join(f"{KIND_LABELS[kind].text(lang)}: {text}" for kind, text in texts.items())


def _words(vi: str, en: str, lang: str) -> str:
    return en if lang == "en" else vi


def _footer_lines(dataset: Dataset, as_of: pd.Timestamp, lang: str) -> list[str]:
    when = day(as_of.date(), lang)
    source = _words("Nguồn dữ liệu", "Data source", lang) + ": " + provenance_summary(dataset, lang)
    return [_words(f"Ngày báo cáo {when}", f"Report date {when}", lang), *textwrap.wrap(source, 130)]


def _write_pdf(pages: list[Figure], footer: list[str], lang: str) -> bytes:
    buffer = io.BytesIO()
    title = _words("Tóm tắt giám sát chuyển đổi số", "Digital transformation monitoring briefing", lang)
    with PdfPages(buffer, metadata={"Title": title, "Creator": "dxmap"}) as pdf:
        for number, page in enumerate(pages, start=1):
            _draw_footer(page, footer, f"{_words('Trang', 'Page', lang)} {number}/{len(pages)}")
            pdf.savefig(page)
    return buffer.getvalue()


def _draw_footer(page: Figure, lines: list[str], page_number: str) -> None:
    page.text(0.06, 0.035, "\n".join(lines), fontsize=7, color="#444444", va="bottom", linespacing=1.4)
    page.text(0.94, 0.035, page_number, fontsize=7, color="#444444", va="bottom", ha="right")


def _new_page() -> Figure:
    return Figure(figsize=A4_INCHES)


# Pages


def _findings_page(findings: list[Finding], as_of: pd.Timestamp, lang: str) -> Figure:
    page = _new_page()
    page.text(0.06, 0.95, _words("Tóm tắt tình hình chuyển đổi số", "Digital transformation briefing", lang), fontsize=16, weight="bold", va="top")
    when = day(as_of.date(), lang)
    page.text(0.06, 0.915, _words(f"Báo cáo ngày {when}", f"Report of {when}", lang), fontsize=11, va="top")

    top = 0.87
    for finding in findings:
        lines = textwrap.wrap(finding.text, TEXT_WIDTH)
        page.text(0.06, top, "•", fontsize=9.5, va="top")
        page.text(0.08, top, "\n".join(lines), fontsize=9.5, va="top", linespacing=1.45)
        top -= 0.0185 * len(lines) + 0.014
    return page


def _status_map_page(dataset: Dataset, as_of: pd.Timestamp, provinces: gpd.GeoDataFrame, lang: str) -> Figure:
    status = province_status(dataset, as_of)["status"]
    states = provinces["code"].map(status)
    fills = [STATUS_COLORS.get(state, NO_DATA_COLOR) if isinstance(state, str) else NO_DATA_COLOR for state in states]
    counts = states.value_counts()
    legend = [(status_label(state, lang), STATUS_COLORS[state], int(counts.get(state, 0))) for state in (XANH, VANG, DO)]
    legend.append((status_label(None, lang), NO_DATA_COLOR, int(states.isna().sum())))

    title = _words("Trạng thái tỉnh, thành phố", "Province status", lang)
    return _map_page(provinces, fills, legend, title, as_of, lang)


def _coverage_map_page(dataset: Dataset, as_of: pd.Timestamp, provinces: gpd.GeoDataFrame, lang: str) -> Figure:
    shares = provinces["code"].map(coverage(dataset, as_of)["share_xanh"]).fillna(0.0)
    levels = [coverage_class(float(share)) for share in shares]
    fills = [COVERAGE_COLORS[level] for level in levels]
    legend = [
        (label, COVERAGE_COLORS[level], levels.count(level)) for level, label in enumerate(coverage_class_labels(lang))
    ]

    title = _words("Tỷ lệ xã, phường Xanh theo tỉnh", "Share of communes green per province", lang)
    return _map_page(provinces, fills, legend, title, as_of, lang)


def _map_page(
    provinces: gpd.GeoDataFrame, fills: list[str], legend: list[tuple[str, str, int]], title: str, as_of: pd.Timestamp, lang: str
) -> Figure:
    page = _new_page()
    page.text(0.06, 0.95, title, fontsize=14, weight="bold", va="top")
    page.text(0.06, 0.925, _words(f"Ngày báo cáo {day(as_of.date(), lang)}", f"Report date {day(as_of.date(), lang)}", lang), fontsize=10, va="top")

    axes = page.add_axes((0.06, 0.1, 0.88, 0.8))
    # A thin dark outline keeps islets of a few hundred metres visible at this scale.
    provinces.plot(ax=axes, color=fills, edgecolor="#555555", linewidth=0.25)
    _frame_vietnam(axes)

    handles = [Patch(facecolor=color, edgecolor="#555555", label=f"{label} ({count})") for label, color, count in legend]
    axes.legend(handles=handles, loc="lower left", fontsize=8, frameon=True, title=_words("Số tỉnh", "Provinces", lang))
    return page


def _frame_vietnam(axes: Axes) -> None:
    """Show the whole of `VIETNAM_BOUNDS` with the sea, Biển Đông and both archipelagos labelled."""
    (south, west), (north, east) = VIETNAM_BOUNDS
    axes.set_xlim(west, east)
    axes.set_ylim(south, north)
    # Degrees of longitude shrink with latitude: this keeps shapes true at the country's middle.
    axes.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    axes.set_facecolor(SEA_COLOR)
    axes.set_xticks([])
    axes.set_yticks([])
    axes.set_xlabel("")
    axes.set_ylabel("")
    for text, (lat, lon), size, style in SEA_LABELS:
        axes.text(lon, lat, text, fontsize=size, style=style, color="#4a6a8a", ha="center", va="center")


def _filing_chart_page(dataset: Dataset, as_of: pd.Timestamp, lang: str, thresholds: Thresholds) -> Figure:
    table = readiness_and_filing(dataset, as_of, thresholds.good_infrastructure, thresholds.low_online)
    table = table.sort_values("rate", kind="stable")
    page = _new_page()
    page.text(0.06, 0.95, _words("Tỷ lệ nộp hồ sơ trực tuyến theo tỉnh", "Online filing rate per province", lang), fontsize=14, weight="bold", va="top")
    page.text(0.06, 0.925, textwrap.fill(_filing_subtitle(dataset, as_of, lang, thresholds), 95), fontsize=9, va="top")

    axes = page.add_axes((0.26, 0.12, 0.68, 0.77))
    if table.empty:
        axes.text(0.5, 0.5, _words("Không có hồ sơ trong kỳ.", "No dossiers in the period.", lang), ha="center")
        axes.set_axis_off()
        return page

    colors = ["#d73027" if flag else "#4575b4" for flag in table["bottleneck"]]
    axes.barh(table["name"], table["rate"], color=colors)
    for position, rate in enumerate(table["rate"]):
        axes.text(rate + 0.005, position, percent(float(rate), lang), va="center", fontsize=6.5)
    axes.axvline(thresholds.low_online, color="#d73027", linestyle="--", linewidth=0.8)
    axes.set_xlim(0, 1.08)
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1.0], [threshold_percent(value, lang) for value in (0, 0.25, 0.5, 0.75, 1.0)])
    axes.tick_params(axis="y", labelsize=7.5)
    axes.margins(y=0.01)

    handles = [
        Patch(color="#4575b4", label=_words("Tỉnh, thành phố", "Province", lang)),
        Patch(color="#d73027", label=_words("Hạ tầng tốt, ít nộp trực tuyến", "Good infrastructure, low online filing", lang)),
    ]
    axes.legend(handles=handles, loc="lower right", fontsize=7.5)
    return page


def _filing_subtitle(dataset: Dataset, as_of: pd.Timestamp, lang: str, thresholds: Thresholds) -> str:
    national = percent(national_online_rate(dataset, as_of), lang)
    low, good = threshold_percent(thresholds.low_online, lang), threshold_percent(thresholds.good_infrastructure, lang)
    return _words(
        f"{FILING_WINDOW_DAYS} ngày đến {day(as_of.date(), lang)}; cả nước {national}. Đường gạch: ngưỡng {low}. "
        f"Màu đỏ: trên {good} xã Xanh nhưng dưới {low} nộp trực tuyến.",
        f"{FILING_WINDOW_DAYS} days up to {day(as_of.date(), lang)}; national rate {national}. Dashed line: the {low} threshold. "
        f"Red: over {good} of communes green but under {low} filed online.",
        lang,
    )


# Workbook


SHEET_NAMES = {
    "findings": ("Tóm tắt", "Findings"),
    "provinces": ("Tỉnh, thành phố", "Provinces"),
    "coverage": ("Xã Xanh", "Coverage"),
    "filing": ("Hồ sơ trực tuyến", "Online filing"),
    "overdue": ("Nhiệm vụ quá hạn", "Overdue tasks"),
}
"""Vietnamese and English name of each sheet of the workbook."""


def report_xlsx(dataset: Dataset, as_of: pd.Timestamp, lang: str = "vi", thresholds: Thresholds | None = None) -> bytes:
    """Return the tables behind the briefing of ``as_of`` as an Excel workbook: the findings
    with their links, province status, coverage, online filing and overdue tasks.

    Raises
    ------
    monitoring.thresholds.ThresholdSettingError
        When ``thresholds`` is None and a threshold setting is invalid.
    """
    thresholds = thresholds or Thresholds.from_settings()
    sheets = {
        "findings": findings_table(briefing(dataset, as_of, lang, thresholds), lang),
        "provinces": _provinces_table(dataset, as_of, lang),
        "coverage": _coverage_table(dataset, as_of, lang),
        "filing": _filing_table(dataset, as_of, lang, thresholds),
        "overdue": download_view(task_table(dataset, as_of, "overdue", lang), lang),
    }
    return xlsx_bytes({_words(*SHEET_NAMES[key], lang): table for key, table in sheets.items()})


def findings_table(findings: list[Finding], lang: str = "vi") -> pd.DataFrame:
    """Return the findings as a table of sentence and link to the app's view."""
    return pd.DataFrame(
        {
            _words("Nhận định", "Finding", lang): [finding.text for finding in findings],
            _words("Đường dẫn", "Link", lang): [finding.link for finding in findings],
        }
    )


def _yes_no(flags, lang: str) -> list[str]:
    yes, no = _words("Có", "Yes", lang), _words("Không", "No", lang)
    return [yes if flag else no for flag in flags]


def _provinces_table(dataset: Dataset, as_of: pd.Timestamp, lang: str) -> pd.DataFrame:
    status = province_status(dataset, as_of)
    return pd.DataFrame(
        {
            _words("Mã tỉnh", "Province code", lang): status.index,
            _words("Tỉnh, thành phố", "Province", lang): status["name"].to_numpy(),
            _words("Trạng thái", "Status", lang): [status_label(state if isinstance(state, str) else None, lang) for state in status["status"]],
            _words("Ghi chú", "Note", lang): status["note"].to_numpy(),
            _words("Báo cáo ngày", "Reported", lang): status["report_date"].to_numpy(),
            _words("Báo cáo cũ", "Stale report", lang): _yes_no(status["stale"], lang),
        }
    )


def _coverage_table(dataset: Dataset, as_of: pd.Timestamp, lang: str) -> pd.DataFrame:
    table = coverage(dataset, as_of).sort_values("share_xanh", kind="stable")
    classes = coverage_class_labels(lang)
    return pd.DataFrame(
        {
            _words("Mã tỉnh", "Province code", lang): table.index,
            _words("Tỉnh, thành phố", "Province", lang): table["name"].to_numpy(),
            _words("Số xã", "Communes", lang): table["communes"].astype(int).to_numpy(),
            _words("Đã báo cáo", "Reported", lang): table["reported"].astype(int).to_numpy(),
            status_label(XANH, lang): table[XANH].astype(int).to_numpy(),
            status_label(VANG, lang): table[VANG].astype(int).to_numpy(),
            status_label(DO, lang): table[DO].astype(int).to_numpy(),
            _words("Tỷ lệ xã Xanh", "Share of communes green", lang): table["share_xanh"].astype(float).round(4).to_numpy(),
            _words("Nhóm", "Class", lang): [classes[coverage_class(float(share))] for share in table["share_xanh"]],
        }
    )


def _filing_table(dataset: Dataset, as_of: pd.Timestamp, lang: str, thresholds: Thresholds) -> pd.DataFrame:
    rates = online_rates(dataset, as_of, thresholds.june_drop)
    readiness = readiness_and_filing(dataset, as_of, thresholds.good_infrastructure, thresholds.low_online)
    bottleneck = readiness["bottleneck"].reindex(rates.index, fill_value=False)
    share = coverage(dataset, as_of)["share_xanh"].reindex(rates.index)
    return pd.DataFrame(
        {
            _words("Mã tỉnh", "Province code", lang): rates.index,
            _words("Tỉnh, thành phố", "Province", lang): rates["name"].to_numpy(),
            _words(f"Hồ sơ trực tuyến ({FILING_WINDOW_DAYS} ngày)", f"Online dossiers ({FILING_WINDOW_DAYS} days)", lang): rates["online"].to_numpy(),
            _words(f"Tổng số hồ sơ ({FILING_WINDOW_DAYS} ngày)", f"All dossiers ({FILING_WINDOW_DAYS} days)", lang): rates["total"].to_numpy(),
            _words("Tỷ lệ trực tuyến", "Online rate", lang): rates["rate"].astype(float).round(4).to_numpy(),
            _words("Tỷ lệ xã Xanh", "Share of communes green", lang): share.astype(float).round(4).to_numpy(),
            _words("Hạ tầng tốt, ít nộp trực tuyến", "Good infrastructure, low online filing", lang): _yes_no(bottleneck, lang),
            _words("Hồ sơ trực tuyến mỗi ngày", "Online dossiers a day", lang): rates["online_daily"].round(1).to_numpy(),
            _words("Bình quân ngày tháng 6/2025", "June 2025 daily average", lang): rates["june_online_daily"].round(1).to_numpy(),
            _words("Dưới bình quân tháng 6", "Below the June average", lang): _yes_no(rates["below_june"], lang),
        }
    )
