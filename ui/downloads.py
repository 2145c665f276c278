"""Download buttons for the data behind a chart, table or map: CSV and Excel side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitoring.export import csv_bytes, xlsx_bytes
from ui.language import text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_table(table: pd.DataFrame, file_stem: str, key: str, sheet: str | None = None) -> None:
    """Draw "CSV" and "Excel" download buttons for ``table``.

    ``file_stem`` names both files (``ho_so_truc_tuyen_2025-07-15``); ``key`` keeps the
    buttons apart when a page has several tables. The files are built only when clicked.
    """
    csv_column, excel_column, _ = st.columns([1, 1, 4])
    csv_column.download_button(
        text("Tải CSV", "Download CSV"),
        data=lambda: csv_bytes(table),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    excel_column.download_button(
        text("Tải Excel", "Download Excel"),
        data=lambda: xlsx_bytes({sheet or file_stem: table}),
        file_name=f"{file_stem}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )
