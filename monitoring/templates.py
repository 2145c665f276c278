"""Blank templates of each table, as Excel workbooks or CSV, with Vietnamese headers
(English on request) and a sheet that explains each column."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from monitoring.columns import FIELDS, template_headers
from monitoring.model import CONDITION_KEYS, KIND_LABELS, SCORE_KEYS, SCORE_MAXIMUM

_HINTS = {
    "report_date": ("Ngày của báo cáo, dạng dd/mm/yyyy.", "Report date, dd/mm/yyyy."),
    "date": ("Ngày tiếp nhận hồ sơ, dạng dd/mm/yyyy.", "Day the dossiers were received, dd/mm/yyyy."),
    "province_code": ("Mã tỉnh 2 chữ số (ví dụ 01). Có thể bỏ trống nếu ghi tên.", "Two-digit province code (e.g. 01). May be blank when the name is given."),
    "province_name": ("Tên tỉnh, thành phố (ví dụ Hà Nội, TP Hồ Chí Minh).", "Province name (e.g. Hà Nội, TP Hồ Chí Minh)."),
    "commune_code": ("Mã xã 5 chữ số. Có thể bỏ trống nếu ghi tên xã và tỉnh.", "Five-digit commune code. May be blank when the commune and province names are given."),
    "commune_name": ("Tên xã, phường, đặc khu.", "Commune, ward or special zone name."),
    "status": ("Xanh, Vàng hoặc Đỏ.", "Green, Yellow or Red (Xanh, Vàng, Đỏ)."),
    "note": ("Ghi chú, không bắt buộc.", "Optional note."),
    "online": ("Số hồ sơ nộp trực tuyến trong ngày.", "Dossiers filed online that day."),
    "total": ("Tổng số hồ sơ tiếp nhận trong ngày (trực tuyến và trực tiếp).", "All dossiers received that day."),
    "rate": ("Không bắt buộc: tỷ lệ trực tuyến (85,5% hoặc 0,855), phải khớp với số hồ sơ.", "Optional online rate (85.5% or 0.855); must agree with the counts."),
    "task_id": ("Mã nhiệm vụ, duy nhất (ví dụ KH02-01).", "Unique task ID (e.g. KH02-01)."),
    "title": ("Tên nhiệm vụ.", "Task title."),
    "body": ("Cơ quan chủ trì thực hiện.", "Responsible body."),
    "groups": ("Một hoặc nhiều nhóm, cách nhau bởi dấu chấm phẩy: Thể chế; Hạ tầng; Nền tảng; Nhân lực.", "One or more groups separated by semicolons: Institutional; Infrastructure; Platforms; Human resources."),
    "deadline": ("Hạn hoàn thành, dd/mm/yyyy.", "Deadline, dd/mm/yyyy."),
    "completed": ("Ngày hoàn thành thực tế; để trống nếu chưa xong.", "Completion date; blank while open."),
    "evidence": ("Minh chứng kết quả: đường dẫn hoặc số văn bản.", "Evidence of output: a link or a document number."),
    "period": ("Năm (2025) hoặc tháng (10/2025).", "Year (2025) or month (10/2025)."),
}


def _hint(key: str, lang: str) -> str:
    if key in CONDITION_KEYS:
        return "Có hoặc Không." if lang != "en" else "Yes or No."
    if key in SCORE_KEYS:
        points = f"{SCORE_MAXIMUM[key]:g}"
        return f"Điểm từ 0 đến {points}." if lang != "en" else f"Score from 0 to {points}."
    vi, en = _HINTS.get(key, ("", ""))
    return en if lang == "en" else vi


def _template_fields(kind: str):
    generic = {"unit_code", "unit_name"}
    return [field for field in FIELDS[kind] if field.key not in generic or kind not in ("filing", "scores")]


def template_csv(kind: str, lang: str = "vi") -> bytes:
    """Return the CSV template of ``kind``: UTF-8 with a BOM, so Excel shows the diacritics."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(template_headers(kind, lang))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str, lang: str = "vi") -> bytes:
    """Return the Excel template of ``kind``: the table sheet and a sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = KIND_LABELS[kind].text(lang)[:31]
    sheet.append(template_headers(kind, lang))
    for position, header in enumerate(template_headers(kind, lang), start=1):
        sheet.cell(row=1, column=position).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(position)].width = max(14, len(header) + 4)
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("Hướng dẫn" if lang != "en" else "Guide")
    guide.append(["Cột" if lang != "en" else "Column", "Cách ghi" if lang != "en" else "How to fill in"])
    for field in _template_fields(kind):
        guide.append([field.header(lang), _hint(field.key, lang)])
    guide.column_dimensions["A"].width = 36
    guide.column_dimensions["B"].width = 90

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_FILE_STEMS = {
    "province_status": ("mau_trang_thai_tinh", "template_province_status"),
    "commune_status": ("mau_trang_thai_xa", "template_commune_status"),
    "filing": ("mau_ho_so_truc_tuyen", "template_online_filing"),
    "tasks": ("mau_nhiem_vu", "template_tasks"),
    "scores": ("mau_chi_so_766", "template_766_scores"),
}


def template_file_name(kind: str, file_format: str, lang: str = "vi") -> str:
    """Return the download name of a template, such as "mau_trang_thai_xa.xlsx"."""
    vi, en = _FILE_STEMS[kind]
    return f"{en if lang == 'en' else vi}.{file_format}"
