"""CSV and Excel downloads: Vietnamese text survives, formula-like text stays text."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from monitoring.export import csv_bytes, neutralise_formulas, xlsx_bytes

HOSTILE = pd.DataFrame(
    {
        "Tên": ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)", "\tTab", "Xã Đồng Văn"],
        "Số": [1, 2, 3, 4, 5, 6],
    }
)


def test_csv_neutralises_formulas_and_keeps_diacritics():
    data = csv_bytes(HOSTILE)
    assert data.startswith(b"\xef\xbb\xbf")
    read = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert read["Tên"].tolist() == [
        "'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-2+3", "'@SUM(A1)", "'\tTab", "Xã Đồng Văn",
    ]
    assert read["Số"].tolist() == [1, 2, 3, 4, 5, 6]


def test_neutralise_leaves_numbers_alone():
    table = pd.DataFrame({"change": pd.array([-1, 2, None], dtype="Int64")})
    assert neutralise_formulas(table)["change"].tolist() == [-1, 2, pd.NA]


def test_xlsx_writes_formula_text_as_text():
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Bảng": HOSTILE})))
    sheet = workbook["Bảng"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells][:2] == ["=HYPERLINK(\"http://x\",\"y\")", "+1"]
    assert all(cell.data_type == "s" for cell in cells)
    assert sheet["B2"].value == 1
    assert sheet.freeze_panes == "A2"


def test_xlsx_sheet_names_and_missing_values():
    table = pd.DataFrame({"a": [pd.NA, 1.5], "b": [pd.NaT, pd.Timestamp("2025-07-15")]})
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Tỷ lệ [7/2025]: xã Xanh theo tỉnh, thành phố": table})))
    (name,) = workbook.sheetnames
    assert len(name) <= 31
    assert "[" not in name
    assert ":" not in name
    rows = list(workbook[name].iter_rows(min_row=2, values_only=True))
    assert rows[0] == (None, None)
    assert rows[1][0] == 1.5
    assert rows[1][1].date().isoformat() == "2025-07-15"
