"""Reading users' status files: encodings, separators, workbooks and unreadable files.

Workbook tests also cover hidden rows and columns and formulas whose result was never saved.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from monitoring import reading
from monitoring.reading import FileReadError, Percent, RawSheet, Uncalculated, read_sheets, read_sheets_from_bytes


def write_file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def cp1258_bytes(text: str) -> bytes:
    """Encode text the way Windows does in code page 1258.

    The code page has â, ê, ô, ă, ơ, ư and đ as single bytes but most tone marks only
    as combining characters, so "ã" becomes "a" followed by a combining tilde.
    """
    encoded = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            encoded += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass

        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", decomposed[:2])
        try:
            encoded += (base + decomposed[2:]).encode("cp1258")
        except UnicodeEncodeError:
            encoded += decomposed.encode("cp1258")
    return bytes(encoded)


def only_sheet(path: Path) -> RawSheet:
    sheets = read_sheets(path)
    assert len(sheets) == 1
    return sheets[0]


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV encodings ------------------------------------------------------------------


def test_csv_utf8_bom(tmp_path):
    text = "Mã,Tên,Trạng thái\r\n01,Hà Nội,Xanh\r\n"
    path = write_file(tmp_path, "tinh.csv", text.encode("utf-8-sig"))

    sheet = only_sheet(path)

    assert sheet.rows == [["Mã", "Tên", "Trạng thái"], ["01", "Hà Nội", "Xanh"]]
    assert sheet.encoding == "utf-8"
    assert sheet.delimiter == ","
    assert sheet.name == "tinh.csv"
    assert sheet.file_name == "tinh.csv"


def test_csv_plain_utf8(tmp_path):
    path = write_file(tmp_path, "xa.csv", "Mã xã,Tên\n00004,Phường Ba Đình\n".encode())

    sheet = only_sheet(path)

    assert sheet.rows == [["Mã xã", "Tên"], ["00004", "Phường Ba Đình"]]
    assert sheet.encoding == "utf-8"


def test_csv_utf16_bom_tab_separated(tmp_path):
    text = "Mã\tTên\tTrạng thái\r\n01\tHà Nội\tXanh\r\n79\tThành phố Hồ Chí Minh\tVàng\r\n"
    path = write_file(tmp_path, "unicode.txt", text.encode("utf-16"))

    sheet = only_sheet(path)

    assert sheet.rows[1] == ["01", "Hà Nội", "Xanh"]
    assert sheet.rows[2] == ["79", "Thành phố Hồ Chí Minh", "Vàng"]
    assert sheet.delimiter == "\t"
    assert sheet.encoding.startswith("utf-16")


def test_csv_utf16_big_endian_bom(tmp_path):
    text = "Mã\tTên\n01\tHà Nội\n"
    path = write_file(tmp_path, "be.txt", b"\xfe\xff" + text.encode("utf-16-be"))

    sheet = only_sheet(path)

    assert sheet.rows == [["Mã", "Tên"], ["01", "Hà Nội"]]
    assert sheet.encoding == "utf-16-be"


def test_csv_utf16_without_bom(tmp_path):
    text = "Mã\tTên\n01\tHà Nội\n02\tHà Giang\n"
    path = write_file(tmp_path, "nobom.csv", text.encode("utf-16-le"))

    sheet = only_sheet(path)

    assert sheet.rows == [["Mã", "Tên"], ["01", "Hà Nội"], ["02", "Hà Giang"]]
    assert sheet.encoding == "utf-16-le"


def test_csv_cp1258_vietnamese(tmp_path):
    text = "Mã;Tên xã;Trạng thái\r\n27001;Xã Đông Thái;Vàng\r\n27002;Phường Hòa Bình;Đỏ\r\n"
    data = cp1258_bytes(text)
    path = write_file(tmp_path, "cp1258.csv", data)

    sheet = only_sheet(path)

    assert b"a\xde" in data  # the tilde of "ã" is a separate combining byte
    assert sheet.encoding == "cp1258"
    assert sheet.rows[1] == ["27001", "Xã Đông Thái", "Vàng"]
    assert sheet.rows[2] == ["27002", "Phường Hòa Bình", "Đỏ"]
    assert sheet.rows[1][1] == unicodedata.normalize("NFC", sheet.rows[1][1])


def test_csv_nfd_text_normalised(tmp_path):
    text = unicodedata.normalize("NFD", "Tên\nKhánh Hòa\n")
    path = write_file(tmp_path, "nfd.csv", text.encode())

    sheet = only_sheet(path)

    assert sheet.rows[1] == ["Khánh Hòa"]
    assert unicodedata.is_normalized("NFC", sheet.rows[1][0])


# --- CSV separators and cells ---------------------------------------------------------


def test_csv_semicolon_decimal_comma(tmp_path):
    text = "Mã;Tỷ lệ;Số hồ sơ;Điểm\n01;85,5%;1.234;18,75\n02;90,25%;12.345;17,5\n"
    path = write_file(tmp_path, "excel-vn.csv", text.encode("utf-8-sig"))

    sheet = only_sheet(path)

    assert sheet.delimiter == ";"
    assert sheet.rows[1] == ["01", "85,5%", "1.234", "18,75"]
    assert sheet.rows[2] == ["02", "90,25%", "12.345", "17,5"]


def test_csv_semicolon_without_header(tmp_path):
    text = "01;Hà Nội;85,5\n02;Hải Phòng;90,5\n"
    path = write_file(tmp_path, "no-header.csv", text.encode())

    sheet = only_sheet(path)

    assert sheet.delimiter == ";"
    assert sheet.rows[0] == ["01", "Hà Nội", "85,5"]


def test_csv_quoted_separator(tmp_path):
    text = 'Mã,Ghi chú\n01,"Đã cấp chữ ký số, chưa có con dấu"\n02,"Dòng 1\nDòng 2"\n'
    path = write_file(tmp_path, "quoted.csv", text.encode())

    sheet = only_sheet(path)

    assert sheet.delimiter == ","
    assert sheet.rows[1] == ["01", "Đã cấp chữ ký số, chưa có con dấu"]
    assert sheet.rows[2] == ["02", "Dòng 1\nDòng 2"]


def test_csv_pipe_separator(tmp_path):
    path = write_file(tmp_path, "pipe.csv", "Mã|Tên|Trạng thái\n01|Hà Nội|Xanh\n".encode())

    sheet = only_sheet(path)

    assert sheet.delimiter == "|"
    assert sheet.rows[1] == ["01", "Hà Nội", "Xanh"]


def test_csv_separator_directive(tmp_path):
    path = write_file(tmp_path, "sep.csv", "sep=;\nMã;Tên\n01;Hà Nội, Việt Nam\n".encode())

    sheet = only_sheet(path)

    assert sheet.delimiter == ";"
    assert sheet.rows == [[], ["Mã", "Tên"], ["01", "Hà Nội, Việt Nam"]]


def test_csv_cells_cleaned(tmp_path):
    text = "Mã;Tên;Ghi chú;;\n  01 ;\u00a0Hà Nội\u200b;;;\n"
    path = write_file(tmp_path, "blanks.csv", text.encode())

    sheet = only_sheet(path)

    assert sheet.rows[0] == ["Mã", "Tên", "Ghi chú"]
    assert sheet.rows[1] == ["01", "Hà Nội"]


def test_csv_empty_cell_in_middle_is_none(tmp_path):
    path = write_file(tmp_path, "gap.csv", "a,b,c\n1,,3\n".encode())

    sheet = only_sheet(path)

    assert sheet.rows[1] == ["1", None, "3"]


def test_csv_rows_numbered_by_line(tmp_path):
    lines = [
        "BÁO CÁO TÌNH HÌNH CHUYỂN ĐỔI SỐ;;",
        "Ngày báo cáo: 15/07/2025;;",
        ";;",
        "Mã;Tên;Trạng thái",
        "01;Hà Nội;Xanh",
        "",
        "",
        "02;Hải Phòng;Đỏ",
        "",
        "",
    ]
    path = write_file(tmp_path, "title.csv", "\r\n".join(lines).encode())

    sheet = only_sheet(path)

    assert sheet.rows[0] == ["BÁO CÁO TÌNH HÌNH CHUYỂN ĐỔI SỐ"]
    assert sheet.rows[2] == []
    assert sheet.rows[3] == ["Mã", "Tên", "Trạng thái"]
    assert sheet.rows[4] == ["01", "Hà Nội", "Xanh"]
    assert sheet.rows[5] == []
    assert sheet.rows[6] == []
    assert sheet.rows[7] == ["02", "Hải Phòng", "Đỏ"]
    assert len(sheet.rows) == 8


def test_csv_single_column(tmp_path):
    path = write_file(tmp_path, "codes.csv", b"ma\n01\n79\n")

    sheet = only_sheet(path)

    assert sheet.rows == [["ma"], ["01"], ["79"]]


def test_csv_file_name_override(tmp_path):
    path = write_file(tmp_path, "tmp1234", "Mã;Tên\n01;Hà Nội\n".encode())

    sheet = read_sheets(path, file_name="bao-cao.csv")[0]

    assert sheet.name == "bao-cao.csv"
    assert sheet.file_name == "bao-cao.csv"


def test_bytes_same_as_path(tmp_path):
    data = "Mã;Tên\n01;Hà Nội\n".encode("utf-8-sig")
    path = write_file(tmp_path, "a.csv", data)

    assert read_sheets_from_bytes(data, "a.csv") == read_sheets(path)


# --- Excel .xlsx --------------------------------------------------------------------


@pytest.fixture
def status_workbook() -> openpyxl.Workbook:
    """A workbook as people send it: title rows, typed cells, an empty row, a hidden sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Trạng thái"
    sheet["A1"] = "BÁO CÁO TÌNH HÌNH TRIỂN KHAI"
    sheet["A3"] = "Mã"
    sheet["B3"] = "Tên"
    sheet["C3"] = "Tỷ lệ"
    sheet["D3"] = "Ngày báo cáo"
    sheet["E3"] = "Số hồ sơ"
    sheet["F3"] = "Đạt"
    sheet.append(["01", "  " + unicodedata.normalize("NFD", "Hà Nội") + " ", 0.855, datetime(2025, 7, 15), 1234, True])
    sheet["C4"].number_format = "0.0%"
    sheet["D4"].number_format = "dd/mm/yyyy"
    sheet.append([])
    sheet.append([79, "Hồ Chí Minh", 0.9, date(2025, 7, 14), 12.5, False])
    sheet["C6"].number_format = "0%"
    sheet["E6"].number_format = '0.0"%"'
    sheet["H6"] = "   "

    hidden = workbook.create_sheet("Danh mục")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "Xanh"
    very_hidden = workbook.create_sheet("Ẩn")
    very_hidden.sheet_state = "veryHidden"
    very_hidden["B2"] = 2
    return workbook


@pytest.fixture
def status_sheets(status_workbook, tmp_path) -> list[RawSheet]:
    path = write_file(tmp_path, "bao-cao.xlsx", workbook_bytes(status_workbook))
    return read_sheets(path)


def test_xlsx_every_sheet_in_order(status_sheets):
    assert [sheet.name for sheet in status_sheets] == ["Trạng thái", "Danh mục", "Ẩn"]


def test_xlsx_hidden_flags(status_sheets):
    assert [sheet.hidden for sheet in status_sheets] == [False, True, True]


def test_xlsx_file_name(status_sheets):
    assert {sheet.file_name for sheet in status_sheets} == {"bao-cao.xlsx"}


def test_xlsx_rows_numbered_by_row(status_sheets):
    rows = status_sheets[0].rows

    assert rows[0] == ["BÁO CÁO TÌNH HÌNH TRIỂN KHAI"]
    assert rows[1] == []
    assert rows[2][0] == "Mã"
    assert rows[3][0] == "01"
    assert rows[4] == []
    assert rows[5][0] == 79
    assert len(rows) == 6


def test_xlsx_typed_cells(status_sheets):
    row = status_sheets[0].rows[3]

    assert row[1] == "Hà Nội"
    assert row[3] == datetime(2025, 7, 15)
    assert row[4] == 1234
    assert row[5] is True


def test_xlsx_percent_cells(status_sheets):
    rows = status_sheets[0].rows

    assert rows[3][2] == Percent(0.855)
    assert rows[5][2] == Percent(0.9)


def test_xlsx_quoted_percent_sign_is_number(status_sheets):
    assert status_sheets[0].rows[5][4] == 12.5


def test_xlsx_blank_cells_trimmed(status_sheets):
    assert len(status_sheets[0].rows[5]) == 6


def test_xlsx_leading_empty_cells_kept(status_sheets):
    assert status_sheets[2].rows == [[], [None, 2]]


def test_xlsx_csv_extension_read_as_xlsx(status_workbook, tmp_path):
    path = write_file(tmp_path, "bao-cao.csv", workbook_bytes(status_workbook))

    sheets = read_sheets(path)

    assert sheets[0].name == "Trạng thái"
    assert sheets[0].rows[3][2] == Percent(0.855)


def test_xlsx_wrong_dimension_read_fully(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Mã", "Tên", "Trạng thái"])
    workbook.active.append(["01", "Hà Nội", "Xanh"])
    data = rewrite_member(workbook_bytes(workbook), "xl/worksheets/sheet1.xml", b'ref="A1:C2"', b'ref="A1"')
    path = write_file(tmp_path, "dimension.xlsx", data)

    sheet = read_sheets(path)[0]

    assert sheet.rows == [["Mã", "Tên", "Trạng thái"], ["01", "Hà Nội", "Xanh"]]


def rewrite_member(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """Return a copy of a zip archive with ``old`` replaced by ``new`` in one member."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                assert old in content
                content = content.replace(old, new)
            target.writestr(info, content)
    return buffer.getvalue()


def test_xlsx_formatted_empty_rows_dropped(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 10)
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Mã"
    workbook.active.cell(row=5000, column=1).number_format = "0%"
    path = write_file(tmp_path, "formatted.xlsx", workbook_bytes(workbook))

    sheet = read_sheets(path)[0]

    assert sheet.rows == [["Mã"]]


def test_xlsx_empty_workbook(tmp_path):
    path = write_file(tmp_path, "empty.xlsx", workbook_bytes(openpyxl.Workbook()))

    with pytest.raises(FileReadError, match="empty"):
        read_sheets(path)


# --- Excel .xlsx: hidden rows and columns ----------------------------------------------

SHEET_XML = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "{cols}<sheetData>{rows}</sheetData></worksheet>"
)


def replace_member(data: bytes, member: str, content: bytes) -> bytes:
    """Return a copy of a zip archive with the whole content of one member replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    old = source.read(member)
    return rewrite_member(data, member, old, content)


def sheet_xml_file(tmp_path: Path, rows: str, cols: str = "", doctype: str = "") -> Path:
    """Write a one-sheet workbook whose worksheet XML has the given rows and "cols" element."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "placeholder"
    xml = doctype + SHEET_XML.format(cols=cols, rows=rows)
    data = replace_member(workbook_bytes(workbook), "xl/worksheets/sheet1.xml", xml.encode())
    return write_file(tmp_path, "raw.xlsx", data)


@pytest.fixture
def hidden_workbook() -> openpyxl.Workbook:
    """A sheet with hidden rows 2 and 3 (one of them empty) and hidden columns B to D."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã", "Tên", "Ghi chú", "Phụ", "Trạng thái"])
    sheet.append(["01", "Hà Nội", None, None, "Xanh"])
    sheet.append([])
    sheet.append(["79", "Hồ Chí Minh", None, None, "Đỏ"])
    sheet.row_dimensions[2].hidden = True
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["B"].hidden = True
    sheet.column_dimensions.group("C", "D", hidden=True)
    return workbook


def test_xlsx_hidden_rows(hidden_workbook, tmp_path):
    path = write_file(tmp_path, "hidden.xlsx", workbook_bytes(hidden_workbook))

    sheet = only_sheet(path)

    assert sheet.hidden_rows == frozenset({1, 2})
    assert sheet.rows[1][0] == "01"
    assert sheet.rows[2] == []


def test_xlsx_hidden_columns(hidden_workbook, tmp_path):
    path = write_file(tmp_path, "hidden.xlsx", workbook_bytes(hidden_workbook))

    sheet = only_sheet(path)

    assert sheet.hidden_columns == frozenset({1, 2, 3})
    assert sheet.rows[0][1] == "Tên"


def test_xlsx_nothing_hidden(status_sheets):
    assert status_sheets[0].hidden_rows == frozenset()
    assert status_sheets[0].hidden_columns == frozenset()


def test_csv_nothing_hidden(tmp_path):
    sheet = only_sheet(write_file(tmp_path, "a.csv", b"Ma;Ten\n01;Ha Noi\n"))

    assert sheet.hidden_rows == frozenset()
    assert sheet.hidden_columns == frozenset()


def test_raw_sheet_defaults():
    sheet = RawSheet("Trang 1", [["Mã"]], "a.xlsx")

    assert sheet.hidden_rows == frozenset()
    assert sheet.hidden_columns == frozenset()


def test_xlsx_hidden_rows_after_data_dropped(tmp_path):
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c></row>'
        '<row r="2" hidden="true"><c r="A2"><v>1</v></c></row>'
        '<row r="3" hidden="1"/>'
        '<row r="9" hidden="1" s="1" customFormat="1"/>'
    )
    sheet = read_sheets(sheet_xml_file(tmp_path, rows))[0]

    assert sheet.rows == [["Mã"], [1]]
    assert sheet.hidden_rows == frozenset({1})


def test_xlsx_hidden_columns_limited_to_cells(tmp_path):
    # Excel writes this range when all unused columns to the right are hidden.
    cols = '<cols><col min="3" max="16384" hidden="1"/><col min="1" max="1" width="20" hidden="0"/></cols>'
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="D1"><v>4</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>'

    sheet = read_sheets(sheet_xml_file(tmp_path, rows, cols))[0]

    assert sheet.hidden_columns == frozenset({2, 3})


def test_xlsx_hidden_rows_without_numbers(tmp_path):
    # A row without "r" follows the previous row.
    rows = '<row r="2"><c r="A2"><v>2</v></c></row><row hidden="1"><c><v>3</v></c></row><row><c><v>4</v></c></row>'

    sheet = read_sheets(sheet_xml_file(tmp_path, rows))[0]

    assert sheet.rows == [[], [2], [3], [4]]
    assert sheet.hidden_rows == frozenset({2})


def test_xlsx_hidden_rows_of_each_sheet(hidden_workbook, tmp_path):
    hidden_workbook.active.title = "Ẩn dòng"
    first = hidden_workbook.create_sheet("Tổng hợp", 0)
    first.append(["Mã"])
    first.append(["01"])
    path = write_file(tmp_path, "two.xlsx", workbook_bytes(hidden_workbook))

    sheets = read_sheets(path)

    assert [sheet.name for sheet in sheets] == ["Tổng hợp", "Ẩn dòng"]
    assert sheets[0].hidden_rows == frozenset()
    assert sheets[1].hidden_rows == frozenset({1, 2})


def test_xlsx_hidden_rows_over_row_limit_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 10)
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>' + "".join(f'<row r="{number}" hidden="1"/>' for number in range(2, 5000))

    sheet = read_sheets(sheet_xml_file(tmp_path, rows))[0]

    assert sheet.rows == [[1]]
    assert sheet.hidden_rows == frozenset()


@pytest.mark.parametrize("chunk_bytes", [1, 2, 3, 5, 7, 64])
@pytest.mark.parametrize("trigger", [b' hidden="1"', b"<f>A1</f>", b"<x:f>A1</x:f>"])
def test_scan_trigger_across_chunks(monkeypatch, chunk_bytes, trigger):
    monkeypatch.setattr(reading, "_SCAN_CHUNK_BYTES", chunk_bytes)
    data = b"<row r='1'>" * 3 + trigger + b"</row>" * 3

    assert reading._contains_scan_trigger(io.BytesIO(data))


def test_xlsx_plain_sheets_not_parsed_again(status_workbook, tmp_path, monkeypatch):
    def fail(source):
        raise AssertionError("worksheet XML parsed although it has no hidden rows, columns or formulas")

    monkeypatch.setattr(reading, "_scan_worksheet", fail)
    path = write_file(tmp_path, "plain.xlsx", workbook_bytes(status_workbook))

    sheets = read_sheets(path)

    assert sheets[0].rows[3][0] == "01"


def test_scan_trigger_absent():
    data = '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c></row>'.encode() * 100

    assert not reading._contains_scan_trigger(io.BytesIO(data))


def test_xlsx_external_entity_not_loaded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("bí mật")
    doctype = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY secret SYSTEM "{secret.as_uri()}">]>'
    rows = '<row r="1" hidden="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row>'
    path = sheet_xml_file(tmp_path, rows, doctype=doctype)

    with pytest.raises(FileReadError) as caught:
        read_sheets(path)

    assert "bí mật" not in caught.value.message_en
    assert "corrupt" in caught.value.message_en


# --- Excel .xlsx: formulas whose result was never saved -------------------------------


def test_uncalculated_openpyxl_formula(tmp_path):
    # openpyxl saves formulas with an empty "v" element and no result.
    workbook = openpyxl.Workbook()
    workbook.active.append(["Số hồ sơ", "Gấp đôi"])
    workbook.active.append([3, "=A2*2"])
    path = write_file(tmp_path, "formula.xlsx", workbook_bytes(workbook))

    sheet = only_sheet(path)

    assert sheet.rows[1] == [3, Uncalculated("A2*2")]


def test_uncalculated_formula_without_value(tmp_path):
    rows = '<row r="2"><c r="A2"><v>3</v></c><c r="B2"><f>A2*2</f></c></row>'

    sheet = read_sheets(sheet_xml_file(tmp_path, rows))[0]

    assert sheet.rows == [[], [3, Uncalculated("A2*2")]]


def test_calculated_formula_keeps_value(tmp_path):
    rows = (
        '<row r="1"><c r="A1"><v>3</v></c><c r="B1"><f>A1*2</f><v>6</v></c>'
        '<c r="C1" t="str"><f>IF(A1&gt;5,"x","")</f><v></v></c>'
        '<c r="D1" t="e"><f>A1/0</f><v>#DIV/0!</v></c></row>'
    )

    sheet = read_sheets(sheet_xml_file(tmp_path, rows))[0]

    assert sheet.rows == [[3, 6, None, "#DIV/0!"]]


def test_uncalculated_formula_kept_at_row_end(tmp_path):
    rows = '<row r="1"><c r="A1"><v>3</v></c></row><row r="2"><c r="C2"><f>SUM(A1:A1)</f><v/></c></row>'

    sheet = read_sheets(sheet_xml_file(tmp_path, rows))[0]

    assert sheet.rows == [[3], [None, None, Uncalculated("SUM(A1:A1)")]]


def test_uncalculated_shared_formula(tmp_path):
    rows = (
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f t="shared" ref="B2:B4" si="0">A2*2+$A$2</f><v>3</v></c></row>'
        '<row r="3"><c r="A3"><v>2</v></c><c r="B3"><f t="shared" si="0"/></c></row>'
        '<row r="4"><c r="A4"><v>3</v></c><c r="B4"><f t="shared" si="0"/><v>9</v></c></row>'
    )

    sheet = read_sheets(sheet_xml_file(tmp_path, rows))[0]

    assert sheet.rows[1] == [1, 3]
    assert sheet.rows[2] == [2, Uncalculated("A3*2+$A$2")]
    assert sheet.rows[3] == [3, 9]


def test_uncalculated_shared_formula_without_first_cell(tmp_path):
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" si="7"/></c></row>'

    sheet = read_sheets(sheet_xml_file(tmp_path, rows))[0]

    assert sheet.rows == [[1, Uncalculated("")]]


def test_uncalculated_cells_without_references(tmp_path):
    # A cell without "r" follows the previous cell of its row.
    rows = '<row r="1"><c><v>1</v></c><c><f>A1*2</f></c><c r="E1"><v>5</v></c><c><f>E1+1</f></c></row>'

    sheet = read_sheets(sheet_xml_file(tmp_path, rows))[0]

    assert sheet.rows == [[1, Uncalculated("A1*2"), None, None, 5, Uncalculated("E1+1")]]


def test_uncalculated_with_namespace_prefix(tmp_path):
    xml = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="1" hidden="1"><x:c r="A1"><x:v>2</x:v></x:c><x:c r="B1"><x:f>A1*2</x:f></x:c>'
        "</x:row></x:sheetData></x:worksheet>"
    )
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "placeholder"
    data = replace_member(workbook_bytes(workbook), "xl/worksheets/sheet1.xml", xml.encode())

    sheet = read_sheets(write_file(tmp_path, "prefix.xlsx", data))[0]

    assert sheet.rows == [[2, Uncalculated("A1*2")]]
    assert sheet.hidden_rows == frozenset({0})


def test_uncalculated_str_shows_formula():
    assert str(Uncalculated("A2*2")) == "=A2*2"


# --- Unreadable files -----------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \r\n", b"\xef\xbb\xbf", b"\xff\xfe", b";;;\n;;\n"])
def test_empty_file(tmp_path, data):
    path = write_file(tmp_path, "empty.csv", data)

    with pytest.raises(FileReadError, match="empty"):
        read_sheets(path)


def test_xls_binary_unsupported(tmp_path):
    data = reading.OLE2_MAGIC + bytes(2000)
    path = write_file(tmp_path, "cu.xls", data)

    with pytest.raises(FileReadError, match=r"not supported.*\.xlsx\) or CSV") as caught:
        read_sheets(path)

    assert "Excel 97-2003" in str(caught.value)


def test_xls_extension_unsupported(tmp_path):
    path = write_file(tmp_path, "html.xls", b"<html><table><tr><td>01</td></tr></table></html>")

    with pytest.raises(FileReadError, match="not supported"):
        read_sheets(path)


@pytest.mark.parametrize("name", ["bao-cao.pdf", "bao-cao.json", "bao-cao.ods"])
def test_other_extension_unsupported(tmp_path, name):
    path = write_file(tmp_path, name, b"Ma,Ten\n01,Ha Noi\n")

    with pytest.raises(FileReadError, match="not supported"):
        read_sheets(path)


def test_ods_content_unsupported(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    path = write_file(tmp_path, "bang.xlsx", buffer.getvalue())

    with pytest.raises(FileReadError, match="OpenDocument"):
        read_sheets(path)


def test_zip_without_workbook(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bao-cao.csv", "Ma,Ten\n")
    path = write_file(tmp_path, "bao-cao.xlsx", buffer.getvalue())

    with pytest.raises(FileReadError, match="not supported"):
        read_sheets(path)


def test_corrupt_zip(tmp_path):
    path = write_file(tmp_path, "hong.xlsx", reading.ZIP_MAGIC + b"\x14\x00garbage" * 50)

    with pytest.raises(FileReadError, match="corrupt"):
        read_sheets(path)


def test_truncated_xlsx(tmp_path, status_workbook):
    data = workbook_bytes(status_workbook)
    path = write_file(tmp_path, "cut.xlsx", data[: len(data) // 2])

    with pytest.raises(FileReadError, match="corrupt"):
        read_sheets(path)


def test_broken_sheet_xml(tmp_path, status_workbook):
    data = rewrite_member(workbook_bytes(status_workbook), "xl/worksheets/sheet1.xml", b"<sheetData>", b"<sheetData><row")
    path = write_file(tmp_path, "xml.xlsx", data)

    with pytest.raises(FileReadError, match="corrupt"):
        read_sheets(path)


def test_xlsx_extension_with_text(tmp_path):
    path = write_file(tmp_path, "text.xlsx", b"Ma,Ten\n01,Ha Noi\n")

    sheets = read_sheets(path)
    assert sheets[0].rows == [["Ma", "Ten"], ["01", "Ha Noi"]]


def test_xlsx_extension_with_binary(tmp_path):
    path = write_file(tmp_path, "hong.xlsx", b"\x00\x01\x02 not a workbook" * 10)

    with pytest.raises(FileReadError, match="corrupt or not a valid Excel"):
        read_sheets(path)


def test_password_protected_xlsx(tmp_path):
    data = reading.OLE2_MAGIC + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(500)
    path = write_file(tmp_path, "mat-khau.xlsx", data)

    with pytest.raises(FileReadError, match="password"):
        read_sheets(path)


def test_binary_csv(tmp_path):
    path = write_file(tmp_path, "anh.csv", bytes(range(256)) * 20)

    with pytest.raises(FileReadError, match="neither a CSV text file"):
        read_sheets(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileReadError, match="not found"):
        read_sheets(tmp_path / "khong-co.csv")


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(FileReadError, match="Could not open"):
        read_sheets(tmp_path)


def test_size_limit_path(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1024 * 1024)
    path = write_file(tmp_path, "lon.csv", b"a,b\n" + b"1,2\n" * 300_000)

    with pytest.raises(FileReadError, match="over the limit of 1 MB"):
        read_sheets(path)


def test_size_limit_bytes(monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)

    with pytest.raises(FileReadError, match="over the limit"):
        read_sheets_from_bytes(b"a,b\n" + b"1,2\n" * 100, "lon.csv")


def test_size_limit_default():
    assert reading.MAX_FILE_BYTES == 20 * 1024 * 1024


def test_row_limit_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    path = write_file(tmp_path, "rows.csv", b"a\n1\n2\n3\n")

    with pytest.raises(FileReadError, match="more than 3 rows"):
        read_sheets(path)


def test_row_limit_exact(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    path = write_file(tmp_path, "rows.csv", b"a\n1\n2\n\n\n")

    assert len(only_sheet(path).rows) == 3


def test_row_limit_xlsx(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    workbook = openpyxl.Workbook()
    workbook.active["A10"] = 1
    path = write_file(tmp_path, "rows.xlsx", workbook_bytes(workbook))

    with pytest.raises(FileReadError, match='Sheet "Sheet" of "rows.xlsx" has more than 3 rows'):
        read_sheets(path)


def test_row_limit_default():
    assert reading.MAX_ROWS == 500_000


# --- Messages -----------------------------------------------------------------------


def test_error_message_languages(tmp_path):
    path = write_file(tmp_path, "cu.xls", reading.OLE2_MAGIC + bytes(100))

    with pytest.raises(FileReadError) as caught:
        read_sheets(path)

    error = caught.value
    assert str(error) == error.message_en
    assert error.message("en") == error.message_en
    assert error.message() == error.message_vi
    assert '"cu.xls"' in error.message_vi
    assert "Không hỗ trợ" in error.message_vi
    assert ".xlsx" in error.message_vi


def test_size_message_vietnamese_number(monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1024 * 1024)

    with pytest.raises(FileReadError) as caught:
        read_sheets_from_bytes(b"x" * (1024 * 1024 + 110_000), "lon.csv")

    assert "1,1 MB" in caught.value.message_vi
    assert "giới hạn 1 MB" in caught.value.message_vi
