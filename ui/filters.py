"""Choices shared by the pages, kept in the URL so a shared link opens the same view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitoring.dataset import Dataset
from monitoring.formatting import day
from monitoring.summary import report_dates
from ui.language import text
from ui.tables import escape_markdown


def report_date_selector(dates: list[pd.Timestamp], lang: str) -> pd.Timestamp:
    """Draw the report-date slider; the chosen date lives in the URL (``?date=YYYY-MM-DD``).

    A date in the URL that is not a report date is named in a notice and replaced by the latest.
    """
    raw = st.query_params.get("date")
    requested = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    chosen = requested if requested in dates else dates[-1]
    if raw is not None and requested not in dates and "report_date" not in st.session_state:
        latest = day(dates[-1].date(), lang)
        st.info(
            text(
                f"Đường dẫn có ngày {escape_markdown(raw)}, không phải ngày báo cáo; đang hiện ngày báo cáo gần nhất {latest}.",
                f"The link's date {escape_markdown(raw)} is not a report date; showing the latest report, {latest}.",
            ),
            icon=":material/info:",
        )
    picked = st.select_slider(
        text("Ngày báo cáo", "Report date"),
        options=dates,
        value=chosen,
        format_func=lambda value: day(value.date(), lang),
        key="report_date",
    )
    st.query_params["date"] = picked.strftime("%Y-%m-%d")
    return picked


def report_date_or_stop(dataset: Dataset, lang: str) -> pd.Timestamp:
    """Draw the report-date slider for ``dataset``, or say that it has no report dates and end this run."""
    dates = dataset.memo("report_dates", lambda: report_dates(dataset))
    if not dates:
        st.info(text("Chưa có ngày báo cáo nào trong dữ liệu.", "The data has no report dates yet."))
        st.stop()
    return report_date_selector(dates, lang)


def province_from_url(codes) -> str | None:
    """Return the province code in the URL (``?province=NN``) when it is one of ``codes``.

    An unknown code is named in a notice and removed from the URL, so it isn't shared on.
    """
    raw = st.query_params.get("province")
    if raw is None or raw in codes:
        return raw
    st.query_params.pop("province", None)
    st.info(
        text(
            f"Đường dẫn có mã tỉnh {escape_markdown(raw)}, không có trong danh mục; đang hiện toàn quốc.",
            f"The link's province code {escape_markdown(raw)} is not in the official list; showing the whole country.",
        ),
        icon=":material/info:",
    )
    return None


def choice_in_url(param: str, label: str, labels: dict[str, str], key: str, default: str | None = None) -> str:
    """Draw a horizontal choice among the keys of ``labels``, shown as their values, and return it.

    The choice starts from the URL's ``?param=`` when valid, else from ``default`` or the
    first key, and is written back to the URL.
    """
    options = list(labels)
    requested = st.query_params.get(param)
    start = requested if requested in labels else (default or options[0])
    chosen = st.radio(label, options, index=options.index(start), format_func=labels.get, horizontal=True, key=key)
    st.query_params[param] = chosen
    return chosen
