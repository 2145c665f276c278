"""Validation of users' files, each messy case over a small file the test writes."""

from __future__ import annotations

import unicodedata
from datetime import date

import pandas as pd
import pytest
from openpyxl import Workbook

from geo.units import communes, provinces
from monitoring.model import COMMUNE_STATUS, FILING, PROVINCE_STATUS, SCORES, TASKS
from monitoring.validate import validate_file

TODAY = date(2025, 8, 15)

ALL_PROVINCES = list(provinces().index)


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: precomposed vowels, tone marks as combining characters."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in decomposed if mark in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def write_csv(tmp_path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(to_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return str(path)


def write_xlsx(tmp_path, name: str, rows: list[list], sheet: str = "Sheet1") -> str:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return str(path)


def province_rows(status: str = "Xanh", when: str = "15/07/2025") -> list[str]:
    return [f"{when},{code},{status}," for code in ALL_PROVINCES]


def messages(report, severity: str = "error") -> list[str]:
    problems = report.errors if severity == "error" else report.warnings
    return [problem.message_vi for problem in problems]


# --- encodings and separators ----------------------------------------------------


def test_excel_vietnamese_csv(tmp_path):
    text = (
        "Ngày;Tỉnh, thành phố;Hồ sơ trực tuyến;Tổng số hồ sơ;Tỷ lệ trực tuyến\r\n"
        "15/07/2025;Hà Nội;1.710;2.000;85,5%\r\n"
        "15/07/2025;TP HCM;900;1.000;90,0%\r\n"
    )
    report = validate_file(write_csv(tmp_path, "hoso.csv", text, "utf-8-sig"), today=TODAY)
    table = report.tables[FILING]
    assert report.errors == []
    assert report.kind == FILING
    assert list(table["unit_code"]) == ["01", "79"]
    assert list(table["online"]) == [1710, 900]
    assert list(table["total"]) == [2000, 1000]


def test_utf8_bom_header(tmp_path):
    text = "Ngày báo cáo,Mã tỉnh,Trạng thái,Ghi chú\n" + "\n".join(province_rows())
    report = validate_file(write_csv(tmp_path, "tinh.csv", text, "utf-8-sig"), today=TODAY)
    assert report.errors == []
    assert len(report.tables[PROVINCE_STATUS]) == 34


def test_utf16_unicode_text(tmp_path):
    lines = ["Ngày báo cáo\tTỉnh, thành phố\tTrạng thái"]
    lines += [f"15/07/2025\t{name}\tXanh" for name in provinces()["name"]]
    report = validate_file(write_csv(tmp_path, "tinh.txt.csv", "\r\n".join(lines), "utf-16"), today=TODAY)
    assert report.errors == []
    assert sorted(report.tables[PROVINCE_STATUS]["province_code"]) == sorted(ALL_PROVINCES)


def test_windows_1258_legacy(tmp_path):
    text = "Ngày báo cáo,Xã, phường,Tỉnh, thành phố,Trạng thái\n".replace("Xã, phường", '"Xã, phường"').replace(
        "Tỉnh, thành phố", '"Tỉnh, thành phố"'
    )
    text += "15/07/2025,Xã Đông Thái,An Giang,Vàng\n15/07/2025,Phường Hòa Khánh,Đà Nẵng,Đỏ\n"
    report = validate_file(write_csv(tmp_path, "xa.csv", text, "cp1258"), today=TODAY)
    table = report.tables[COMMUNE_STATUS]
    assert report.errors == []
    statuses = dict(zip(table["commune_code"], table["status"]))
    assert statuses["31006"] == "vang"
    assert len(statuses) == 2


# --- units --------------------------------------------------------------------------


def test_names_instead_of_codes(tmp_path):
    rows = [["Ngày báo cáo", "Tỉnh, thành phố", "Trạng thái"]]
    rows += [["15/07/2025", name, "Xanh"] for name in ("TP. Hồ Chí Minh", "Khánh Hoà", "Huế")]
    report = validate_file(write_xlsx(tmp_path, "tinh.xlsx", rows), today=TODAY)
    assert report.errors == []
    assert list(report.tables[PROVINCE_STATUS]["province_code"]) == ["46", "56", "79"]


def test_unknown_unit_is_error(tmp_path):
    text = "Ngày báo cáo,Tỉnh, thành phố,Trạng thái\n15/07/2025,Tỉnh Không Tồn Tại,Xanh\n"
    text = text.replace("Tỉnh, thành phố", '"Tỉnh, thành phố"')
    report = validate_file(write_csv(tmp_path, "tinh.csv", text), today=TODAY)
    error = report.errors[0]
    assert error.row == 2
    assert error.column == "Tỉnh, thành phố"
    assert error.value == "Tỉnh Không Tồn Tại"


def test_ambiguous_commune_is_error(tmp_path):
    text = "Ngày báo cáo,Xã,Trạng thái\n15/07/2025,Xã Tân Hội,Xanh\n"
    report = validate_file(write_csv(tmp_path, "xa.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert "nhiều đơn vị" in report.errors[0].message_vi
    assert "tỉnh" in report.errors[0].message_vi


def test_former_province_names_new_one(tmp_path):
    text = "Ngày báo cáo,Tỉnh,Trạng thái\n15/07/2025,Hà Giang,Xanh\n"
    report = validate_file(write_csv(tmp_path, "tinh.csv", text), today=TODAY)
    error = report.errors[0]
    assert "Tuyên Quang" in error.message_vi
    assert "Tuyên Quang" in error.message_en
    assert error.value == "Hà Giang"


def test_code_name_conflict_is_error(tmp_path):
    text = "Ngày báo cáo,Mã tỉnh,Tỉnh,Trạng thái\n15/07/2025,01,Đà Nẵng,Xanh\n"
    report = validate_file(write_csv(tmp_path, "tinh.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert "Hà Nội" in report.errors[0].message_vi


def test_commune_code_outside_province(tmp_path):
    text = "Ngày báo cáo,Mã xã,Tỉnh,Trạng thái\n15/07/2025,31006,Hà Nội,Xanh\n"
    report = validate_file(write_csv(tmp_path, "xa.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert "An Giang" in report.errors[0].message_vi


def test_unit_twice_same_date(tmp_path):
    text = "Ngày báo cáo,Mã tỉnh,Trạng thái\n15/07/2025,01,Xanh\n15/07/2025,Hà Nội,Vàng\n16/07/2025,01,Vàng\n"
    text = text.replace(",Hà Nội,", ",1,")
    report = validate_file(write_csv(tmp_path, "tinh.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert report.errors[0].row == 3
    assert "dòng 2" in report.errors[0].message_vi


# --- statuses, rates and counts -------------------------------------------------------


@pytest.mark.parametrize("written", ["xanh", "XANH", "Xanh lá", "green", "G"])
def test_status_spellings(tmp_path, written):
    text = f"Ngày báo cáo,Mã tỉnh,Trạng thái\n15/07/2025,01,{written}\n"
    report = validate_file(write_csv(tmp_path, "tinh.csv", text), today=TODAY)
    assert report.errors == []
    assert report.tables[PROVINCE_STATUS]["status"][0] == "xanh"


def test_invalid_status(tmp_path):
    text = "Ngày báo cáo,Mã tỉnh,Trạng thái\n15/07/2025,01,Tím\n"
    report = validate_file(write_csv(tmp_path, "tinh.csv", text), today=TODAY)
    assert report.errors[0].column == "Trạng thái"
    assert report.errors[0].value == "Tím"


@pytest.mark.parametrize("rate", ["0,855", "85,5", "85,5%", "0.855", "85.5%"])
def test_rate_scales(tmp_path, rate):
    text = f'Ngày;Mã tỉnh;Tổng số hồ sơ;Tỷ lệ trực tuyến\n15/07/2025;01;1000;{rate}\n15/07/2025;79;1000;{rate}\n'
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert report.errors == []
    assert list(report.tables[FILING]["online"]) == [855, 855]


def test_rate_column_in_xlsx_percent(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ngày", "Mã tỉnh", "Hồ sơ trực tuyến", "Tổng số hồ sơ", "Tỷ lệ trực tuyến"])
    sheet.append([pd.Timestamp("2025-07-15").to_pydatetime(), "01", 855, 1000, 0.855])
    sheet["E2"].number_format = "0.0%"
    path = tmp_path / "hoso.xlsx"
    workbook.save(path)
    report = validate_file(path, today=TODAY)
    assert report.errors == []
    assert report.tables[FILING]["online"][0] == 855


def test_rate_outside_range(tmp_path):
    text = "Ngày;Mã tỉnh;Tổng số hồ sơ;Tỷ lệ trực tuyến\n15/07/2025;01;1000;120%\n"
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert report.errors[0].value == "120%"


def test_rate_disagrees_with_counts(tmp_path):
    text = "Ngày;Mã tỉnh;Hồ sơ trực tuyến;Tổng số hồ sơ;Tỷ lệ trực tuyến\n15/07/2025;01;500;1000;85%\n"
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert "không khớp" in report.errors[0].message_vi


def test_online_above_total(tmp_path):
    text = "Ngày,Mã tỉnh,Hồ sơ trực tuyến,Tổng số hồ sơ\n15/07/2025,01,120,100\n"
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert report.errors[0].column == "Hồ sơ trực tuyến"
    assert "120" in report.errors[0].message_vi


def test_negative_count(tmp_path):
    text = "Ngày,Mã tỉnh,Hồ sơ trực tuyến,Tổng số hồ sơ\n15/07/2025,01,-5,100\n"
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert report.errors[0].value == "-5"


def test_future_date(tmp_path):
    text = "Ngày báo cáo,Mã tỉnh,Trạng thái\n15/07/2030,01,Xanh\n"
    report = validate_file(write_csv(tmp_path, "tinh.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert report.errors[0].column == "Ngày báo cáo"


def test_missing_required_column(tmp_path):
    text = "Mã tỉnh,Trạng thái\n01,Xanh\n"
    report = validate_file(write_csv(tmp_path, "tinh.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert "Ngày báo cáo" in report.errors[0].message_vi
    assert report.errors[0].row == 1


def test_every_problem_reported_at_once(tmp_path):
    text = (
        "Ngày,Mã tỉnh,Hồ sơ trực tuyến,Tổng số hồ sơ\n"
        "15/07/2025,01,120,100\n"
        "15/07/2025,99,1,10\n"
        "15/07/2030,79,1,10\n"
        "15/07/2025,48,-1,10\n"
    )
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert [error.row for error in report.errors] == [2, 3, 4, 5]
    assert report.ok is False


def test_english_messages(tmp_path):
    text = "Ngày báo cáo,Tỉnh,Trạng thái\n15/07/2025,Hà Giang,Xanh\n"
    report = validate_file(write_csv(tmp_path, "tinh.csv", text), today=TODAY)
    problem = report.as_dict("en")["errors"][0]
    assert problem["sheet"] == "tinh.csv"
    assert problem["row"] == 2
    assert problem["column"] == "Tỉnh"
    assert problem["value"] == "Hà Giang"
    assert "merged" in problem["message"] or "former" in problem["message"]


# --- warnings ---------------------------------------------------------------------------


def test_missing_units_warn_only(tmp_path):
    text = "Ngày báo cáo,Mã tỉnh,Trạng thái\n15/07/2025,01,Xanh\n"
    report = validate_file(write_csv(tmp_path, "tinh.csv", text), today=TODAY)
    assert report.ok
    assert "33 tỉnh, thành phố không có dữ liệu ngày 15/07/2025" in report.warnings[0].message_vi


def test_total_row_skipped(tmp_path):
    text = "Ngày,Tỉnh,Hồ sơ trực tuyến,Tổng số hồ sơ\n15/07/2025,Hà Nội,1,10\n15/07/2025,Tổng cộng,1,10\n"
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert report.ok
    assert len(report.tables[FILING]) == 1


def test_title_rows_above_header(tmp_path):
    rows = [["BÁO CÁO TRẠNG THÁI"], [], ["Ngày báo cáo", "Mã tỉnh", "Trạng thái"], ["15/07/2025", "01", "Xanh"]]
    report = validate_file(write_xlsx(tmp_path, "tinh.xlsx", rows), today=TODAY)
    assert report.ok
    assert report.tables[PROVINCE_STATUS]["province_code"][0] == "01"


# --- conditions and tasks -------------------------------------------------------------------


def test_commune_conditions_yes_no(tmp_path):
    header = "Ngày báo cáo,Mã xã,Chữ ký số,Con dấu,Kết nối mạng\n".replace("Kết nối mạng", "Đường truyền kết nối")
    text = header + "15/07/2025,31006,có,x,Không\n"
    report = validate_file(write_csv(tmp_path, "xa.csv", text), today=TODAY)
    row = report.tables[COMMUNE_STATUS].iloc[0]
    assert report.errors == []
    assert bool(row["digital_signature"]) is True
    assert bool(row["seal"]) is True
    assert bool(row["connectivity"]) is False
    assert pd.isna(row["status"])


def test_tasks_with_several_groups(tmp_path):
    text = (
        "Mã nhiệm vụ,Tên nhiệm vụ,Cơ quan chủ trì,Nhóm nhiệm vụ,Hạn hoàn thành,Ngày hoàn thành,Minh chứng kết quả\n"
        'NV1,Sửa quy chế,Bộ Tư pháp,"Thể chế, pháp lý; Nhân lực",30/06/2025,,\n'
        "NV2,Kết nối CSDL,Bộ Công an,2,31/12/2030,10/07/2025,https://example.gov.vn/vb\n"
    )
    report = validate_file(write_csv(tmp_path, "nv.csv", text), today=TODAY)
    table = report.tables[TASKS]
    assert report.errors == []
    assert list(table["groups"]) == ["institutional;human_resources", "infrastructure"]


def test_empty_template_is_error(tmp_path):
    report = validate_file(write_csv(tmp_path, "tinh.csv", "Ngày báo cáo,Mã tỉnh,Trạng thái\n"), today=TODAY)
    assert len(report.errors) == 1


def test_no_known_header(tmp_path):
    report = validate_file(write_csv(tmp_path, "x.csv", "a,b,c\n1,2,3\n"), today=TODAY)
    assert report.kind is None
    assert len(report.errors) == 1


# --- the real 766 export ---------------------------------------------------------------------


def test_portal_export_validates(portal_export):
    report = validate_file(portal_export)
    assert report.errors == []
    assert report.kind == SCORES


def test_portal_export_every_unit(portal_export):
    table = validate_file(portal_export).tables[SCORES]
    yearly = table[table["period"] == "2025"]
    monthly = table[table["period"] == "2025-10"]
    an_giang = communes().index[communes()["province_code"] == "91"]
    assert sorted(yearly["unit_code"]) == sorted(ALL_PROVINCES)
    assert set(ALL_PROVINCES) <= set(monthly["unit_code"])
    assert set(monthly["unit_code"]) - set(ALL_PROVINCES) == set(an_giang)


def test_portal_export_scores(portal_export):
    table = validate_file(portal_export).tables[SCORES].set_index(["period", "unit_code"])
    bac_ninh = table.loc[("2025", "24")]
    assert bac_ninh["total"] == pytest.approx(91.7)
    assert bac_ninh["tdgq"] == pytest.approx(19.05)


# --- workbook layouts found in real reports ----------------------------------------------


def test_hidden_sheet_not_read(tmp_path):
    workbook = Workbook()
    visible = workbook.active
    visible.title = "Tháng 7"
    visible.append(["Ngày báo cáo", "Mã tỉnh", "Trạng thái"])
    visible.append(["15/07/2025", "01", "Xanh"])
    draft = workbook.create_sheet("Nháp")
    draft.append(["Ngày báo cáo", "Mã tỉnh", "Trạng thái"])
    draft.append(["15/06/2025", "04", "Đỏ"])
    draft.sheet_state = "veryHidden"
    path = tmp_path / "tinh.xlsx"
    workbook.save(path)

    report = validate_file(path, today=TODAY)
    assert len(report.tables[PROVINCE_STATUS]) == 1
    assert any("Nháp" in warning for warning in messages(report, "warning"))


def test_extra_side_sheet_skipped(tmp_path):
    workbook = Workbook()
    data = workbook.active
    data.append(["Ngày", "Mã tỉnh", "Hồ sơ trực tuyến", "Tổng số hồ sơ"])
    data.append(["15/07/2025", "01", 10, 20])
    chart = workbook.create_sheet("Biểu đồ")
    chart.append(["Tỉnh", "Tỷ lệ"])
    chart.append(["Hà Nội", "80%"])
    path = tmp_path / "hoso.xlsx"
    workbook.save(path)

    report = validate_file(path, today=TODAY)
    assert report.errors == []
    assert any("Biểu đồ" in warning for warning in messages(report, "warning"))


def test_signature_block_ends_table(tmp_path):
    rows = [
        ["UBND TỈNH AN GIANG"],
        ["BÁO CÁO TRẠNG THÁI"],
        [],
        ["STT", "Ngày báo cáo", "Tỉnh, thành phố", "Trạng thái"],
        [1, "15/07/2025", "An Giang", "Xanh"],
        ["Tổng cộng", None, None, None],
        [],
        [None, None, "An Giang, ngày 15 tháng 7 năm 2025"],
        ["Người lập biểu", None, "Thủ trưởng đơn vị"],
        ["(Ký, ghi rõ họ tên)", None, "(Ký, đóng dấu)"],
        ["Nguyễn Văn A", None, "Trần Thị B"],
    ]
    report = validate_file(write_xlsx(tmp_path, "bao_cao.xlsx", rows), today=TODAY)
    assert report.errors == []
    assert list(report.tables[PROVINCE_STATUS]["province_code"]) == ["91"]


def test_row_number_column_not_task_id(tmp_path):
    text = (
        "STT,Mã nhiệm vụ,Nội dung nhiệm vụ,Nhóm,Thời hạn\n"
        "1,KH02-07,Nhiệm vụ A,Thể chế,30/06/2025\n"
        "2,KH02-07,Nhiệm vụ B,Nhân lực,30/06/2025\n"
    )
    report = validate_file(write_csv(tmp_path, "nv.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert report.errors[0].row == 3
    assert report.warnings == []


def test_condition_header_as_sentence(tmp_path):
    text = "Ngày báo cáo,Mã xã,Đã có chữ ký số,Cột lạ\n15/07/2025,31006,x,1\n"
    report = validate_file(write_csv(tmp_path, "xa.csv", text), today=TODAY)
    table = report.tables[COMMUNE_STATUS]
    assert bool(table["digital_signature"][0]) is True
    assert any("“Cột lạ”" in warning for warning in messages(report, "warning"))


def test_missing_condition_columns_warn(tmp_path):
    text = "Ngày báo cáo,Mã xã,Chữ ký số\n15/07/2025,31006,x\n"
    report = validate_file(write_csv(tmp_path, "xa.csv", text), today=TODAY)
    assert any("Thiếu cột điều kiện" in warning for warning in messages(report, "warning"))


def test_generic_code_column_keeps_communes(tmp_path):
    rows = [["Ngày", "Mã", "Hồ sơ trực tuyến", "Tổng số hồ sơ"], ["15/07/2025", 4, 10, 20], ["15/07/2025", 31006, 1, 2]]
    report = validate_file(write_xlsx(tmp_path, "hoso.xlsx", rows), today=TODAY)
    assert report.errors == []
    assert list(report.tables[FILING]["unit_code"]) == ["00004", "31006"]


def test_commune_name_beside_short_code(tmp_path):
    text = "Ngày,Mã đơn vị,Đơn vị,Hồ sơ trực tuyến,Tổng số hồ sơ\n15/07/2025,4,Phường Ba Đình,1,2\n"
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert report.errors == []
    assert list(report.tables[FILING]["unit_code"]) == ["00004"]


def test_generic_unit_without_prefix(tmp_path):
    text = "Ngày,Đơn vị,Hồ sơ trực tuyến,Tổng số hồ sơ\n15/07/2025,Phú Quốc,1,2\n15/07/2025,Hà Nội,1,2\n"
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    codes = set(report.tables[FILING]["unit_code"])
    assert report.errors == []
    assert "01" in codes
    assert communes().loc[sorted(codes - {"01"})[0], "name"] == "Đặc khu Phú Quốc"


def test_mixed_rate_scale_warns(tmp_path):
    text = 'Ngày;Mã tỉnh;Tổng số hồ sơ;Tỷ lệ trực tuyến\n15/07/2025;01;1000;0,9\n15/07/2025;79;1000;90\n'
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert report.ok
    assert list(report.tables[FILING]["online"]) == [9, 900]
    assert report.warnings[0].value == "0,9"


def test_problem_list_capped(tmp_path, monkeypatch):
    monkeypatch.setattr("monitoring.problems.MAX_PROBLEMS", 10)
    lines = ["Ngày báo cáo,Mã tỉnh,Trạng thái"] + ["15/07/2025,99,Xanh"] * 25
    report = validate_file(write_csv(tmp_path, "tinh.csv", "\n".join(lines)), today=TODAY)
    assert len(report.problems) == 10
    assert report.error_count == 25
    assert report.ok is False


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", [PROVINCE_STATUS, COMMUNE_STATUS, FILING, TASKS, SCORES])
def test_filled_template_validates(tmp_path, kind, lang):
    from io import BytesIO

    from openpyxl import load_workbook

    from monitoring.templates import template_xlsx

    filled = {
        PROVINCE_STATUS: {"report_date": "15/07/2025", "province_name": "Hà Nội", "status": "Xanh"},
        COMMUNE_STATUS: {"report_date": "15/07/2025", "commune_name": "Tân Hội", "province_name": "Tây Ninh", "status": "Vàng"},
        FILING: {"date": "15/07/2025", "commune_name": "Tân Hội", "province_name": "Tây Ninh", "online": 5, "total": 9},
        TASKS: {"task_id": "KH02-01", "title": "Việc A", "groups": "Thể chế", "deadline": "30/06/2025"},
        SCORES: {"period": "07/2025", "province_name": "Hà Nội", "total": 80},
    }[kind]
    from monitoring.columns import FIELDS

    workbook = load_workbook(BytesIO(template_xlsx(kind, lang)))
    sheet = workbook.worksheets[0]
    fields = [field for field in FIELDS[kind] if field.header(lang) in [cell.value for cell in sheet[1]]]
    sheet.append([filled.get(field.key) for field in fields])
    path = tmp_path / "mau.xlsx"
    workbook.save(path)

    report = validate_file(path, today=TODAY)
    assert report.errors == []
    assert len(report.tables[kind]) == 1


def test_portal_period_conflict(portal_export, tmp_path):
    renamed = tmp_path / "bao_cao_T9_2025.xlsx"
    renamed.write_bytes(portal_export.read_bytes())
    report = validate_file(renamed)
    assert report.errors
    assert "Xu hướng tháng" in report.errors[0].message_vi


def test_future_period_rejected(tmp_path):
    text = "Kỳ đánh giá,Mã tỉnh,Tổng điểm\n2030,01,80\n"
    report = validate_file(write_csv(tmp_path, "diem.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert report.errors[0].column == "Kỳ đánh giá"


def test_section_and_column_number_rows(tmp_path):
    rows = [
        ["STT", "Ngày", "Đơn vị", "Hồ sơ trực tuyến", "Tổng số hồ sơ"],
        ["A", "B", "C", "1", "2"],
        ["I", "CẤP TỈNH"],
        [1, "15/07/2025", "Hà Nội", 10, 20],
        ["II", "CẤP XÃ"],
        [2, "15/07/2025", "Phường Ba Đình", 1, 2],
    ]
    report = validate_file(write_xlsx(tmp_path, "hoso.xlsx", rows), today=TODAY)
    assert report.errors == []
    assert list(report.tables[FILING]["unit_code"]) == ["00004", "01"]


def test_name_of_province_and_commune(tmp_path):
    text = "Ngày,Đơn vị,Hồ sơ trực tuyến,Tổng số hồ sơ\n15/07/2025,Lào Cai,1,2\n15/07/2025,Hà Nội,1,2\n15/07/2025,Phú Quốc,1,2\n"
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert len(report.errors) == 1
    assert "cả một tỉnh và một xã" in report.errors[0].message_vi


def test_commune_column_settles_shared_name(tmp_path):
    text = "Ngày,Đơn vị,Hồ sơ trực tuyến,Tổng số hồ sơ\n15/07/2025,Lào Cai,1,2\n15/07/2025,Cam Đường,1,2\n"
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert report.errors == []
    assert set(report.tables[FILING]["unit_code"]) <= set(communes().index)


def test_sheet_per_province(tmp_path):
    workbook = Workbook()
    for index, (province, commune) in enumerate([("Tây Ninh", "Tân Hội"), ("An Giang", "Tân Hội")]):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = province
        sheet.append(["Ngày báo cáo", "Xã, phường", "Trạng thái"])
        sheet.append(["15/07/2025", commune, "Xanh"])
    path = tmp_path / "xa.xlsx"
    workbook.save(path)

    report = validate_file(path, today=TODAY)
    codes = list(report.tables[COMMUNE_STATUS]["commune_code"])
    assert report.errors == []
    assert sorted(communes().loc[codes, "province_code"]) == ["80", "91"]


def test_duplicate_found_beside_bad_row(tmp_path):
    text = "Ngày,Mã tỉnh,Hồ sơ trực tuyến,Tổng số hồ sơ\n15/07/2025,48,30,20\n15/07/2025,48,1,2\n"
    report = validate_file(write_csv(tmp_path, "hoso.csv", text), today=TODAY)
    assert [error.row for error in report.errors] == [2, 3]


def test_province_status_with_commune_counts(tmp_path):
    rows = [
        ["STT", "Tỉnh, thành phố", "Ngày báo cáo", "Tổng số (xã)", "Số xã Xanh", "Tỷ lệ (%)", "Trạng thái"],
        [1, "Hà Nội", "15/07/2025", 126, 80, 63.5, "Xanh"],
    ]
    report = validate_file(write_xlsx(tmp_path, "tinh.xlsx", rows), today=TODAY)
    assert report.kind == PROVINCE_STATUS


@pytest.mark.parametrize(
    ("written", "groups"),
    [
        ("Thể chế\nNhân lực", "institutional;human_resources"),
        ("Hạ tầng - Nền tảng", "infrastructure;platforms"),
        ("Nền tảng số dùng chung cho người dân, doanh nghiệp", "platforms"),
        ("1, 3", "institutional;platforms"),
    ],
)
def test_task_group_spellings(tmp_path, written, groups):
    rows = [["Mã nhiệm vụ", "Tên nhiệm vụ", "Nhóm nhiệm vụ", "Hạn hoàn thành"], ["KH02-01", "Việc", written, "30/06/2025"]]
    report = validate_file(write_xlsx(tmp_path, "nv.xlsx", rows), today=TODAY)
    assert report.errors == []
    assert report.tables[TASKS]["groups"][0] == groups


def test_blank_date_signature_line(tmp_path):
    rows = [
        ["Ngày báo cáo", "Tỉnh, thành phố", "Trạng thái"],
        ["15/07/2025", "Hà Nội", "Xanh"],
        [None, "Hà Nội, ngày … tháng … năm 2025"],
        [None, "Người lập biểu"],
    ]
    report = validate_file(write_xlsx(tmp_path, "tinh.xlsx", rows), today=TODAY)
    assert report.errors == []


def test_two_row_header(tmp_path):
    from monitoring.model import CONDITIONS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["BÁO CÁO ĐIỀU KIỆN"])
    sheet.append(["STT", "Xã, phường", "Tỉnh, thành phố", "Ngày báo cáo", "Điều kiện"] + [None] * 9)
    sheet.append([None, None, None, None] + [condition.vi for condition in CONDITIONS])
    sheet.append([1, "Đông Thái", "An Giang", "15/07/2025"] + ["x"] * 10)
    for column in "ABCD":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("E2:N2")
    path = tmp_path / "xa.xlsx"
    workbook.save(path)

    report = validate_file(path, today=TODAY)
    table = report.tables[COMMUNE_STATUS]
    assert report.errors == []
    assert table["commune_code"][0] == "31006"
    assert bool(table["written_procedures"][0]) is True


def test_hidden_rows_and_columns(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ngày báo cáo", "Tỉnh, thành phố", "Trạng thái", "Trạng thái"])
    sheet.append(["15/07/2025", "Hà Nội", "Đỏ", "Xanh"])
    sheet.append(["15/07/2025", "Huế", "Đỏ", "Đỏ"])
    sheet.column_dimensions["C"].hidden = True
    sheet.row_dimensions[3].hidden = True
    path = tmp_path / "tinh.xlsx"
    workbook.save(path)

    report = validate_file(path, today=TODAY)
    table = report.tables[PROVINCE_STATUS]
    warnings = " ".join(messages(report, "warning"))
    assert list(table["status"]) == ["xanh"]
    assert "dòng ẩn (dòng 3)" in warnings
    assert "Các cột ẩn không được đọc" in warnings


def test_excel_error_in_rate_ignored(tmp_path):
    rows = [["Ngày", "Mã tỉnh", "Hồ sơ trực tuyến", "Tổng số hồ sơ", "Tỷ lệ trực tuyến"], ["15/07/2025", "01", 0, 0, "#DIV/0!"]]
    report = validate_file(write_xlsx(tmp_path, "hoso.xlsx", rows), today=TODAY)
    assert report.errors == []
    assert report.warnings[0].value == "#DIV/0!"
