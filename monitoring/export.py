"""Tables as downloadable CSV and Excel files.

A cell that starts with ``=``, ``+``, ``-``, ``@`` or a tab or carriage return is
read as a formula by spreadsheet programs ("CSV injection"). Unit names, notes and
task titles come from uploaded files, so such text is written as text: in CSV with a
leading apostrophe, in Excel as a string cell.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

MAX_COLUMN_WIDTH = 60
"""Widest column of a sheet, in characters. Longer text is clipped on screen but kept whole in the cell."""


def is_formula_text(value: object) -> bool:
    """Return True for text that a spreadsheet program would run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``table`` whose formula-like text cells start with an apostrophe."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(lambda cell: f"'{cell}" if is_formula_text(cell) else cell)
    return safe


def csv_bytes(table: pd.DataFrame) -> bytes:
    """Return ``table`` as CSV in UTF-8 with a byte order mark, which Excel needs to read Vietnamese."""
    return neutralise_formulas(table).to_csv(index=False).encode("utf-8-sig")


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    if hasattr(value, "item"):
        return value.item()
    return value


def _write_sheet(sheet, table: pd.DataFrame) -> None:
    sheet.append([str(column) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)

    for row in table.itertuples(index=False):
        sheet.append([_cell_value(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if is_formula_text(cell.value):
                cell.data_type = "s"

    for index, column in enumerate(table.columns, start=1):
        longest = max([len(str(column))] + [len(str(value)) for value in table[column].head(500)])
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """Return an Excel workbook with one sheet per table, headers in bold and frozen.

    Sheet names are cut to Excel's 31 characters. Formula-like text stays text.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in sheets.items():
        _write_sheet(workbook.create_sheet(_sheet_name(name)), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    for character in "[]:*?/\\":
        name = name.replace(character, " ")
    return name[:31] or "Sheet"
