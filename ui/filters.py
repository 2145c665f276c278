"""Choices shared by the pages, kept in the URL so a shared link opens the same view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitoring.dataset import Dataset
from monitoring.formatting import day
from monitoring.summary import report_dates
from ui.language import text


def report_date_selector(dates: list[pd.Timestamp], lang: str) -> pd.Timestamp:
    """Draw the report-date slider; the chosen date lives in the URL (``?date=YYYY-MM-DD``)."""
    requested = pd.to_datetime(st.query_params.get("date"), format="%Y-%m-%d", errors="coerce")
    chosen = requested if requested in dates else dates[-1]
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
