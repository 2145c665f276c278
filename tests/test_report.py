"""The briefing's PDF and Excel reports: A4 pages, an extractable text layer with
diacritics, the report date and provenance on every page, and the workbook's sheets."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from monitoring.dataset import load_sample
from monitoring.report import SHEET_NAMES, report_pdf, report_xlsx
from monitoring.thresholds import Thresholds

AS_OF = pd.Timestamp("2025-07-15")
PROVENANCE_VI = "Nguồn dữ liệu: Dữ liệu mẫu, chỉ để minh họa"


def pdftotext_or_skip() -> str:
    """Return the pdftotext binary; skip when it is missing, except in CI, where a missing tool is a failure."""
    binary = shutil.which("pdftotext")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext not found: install Debian's poppler-utils in .ci/run")
        pytest.skip("pdftotext not found (Debian package poppler-utils)")
    return binary


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    """Return the text layer of each page of ``pdf`` as pdftotext extracts it."""
    binary = pdftotext_or_skip()
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([binary, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def vietnamese_pdf(sample) -> bytes:
    return report_pdf(sample, AS_OF, "vi", Thresholds())


def test_pdf_text_keeps_diacritics(vietnamese_pdf, tmp_path):
    text = "\n".join(pdf_pages(vietnamese_pdf, tmp_path))

    for name in ("Lai Châu", "Quảng Ninh", "Thanh Hóa", "Hoàng Sa", "Trường Sa", "Biển Đông", "Điện Biên"):
        assert name in text, name


def test_pdf_every_page_dated_and_sourced(vietnamese_pdf, tmp_path):
    pages = pdf_pages(vietnamese_pdf, tmp_path)

    assert len(pages) == 4
    for number, page in enumerate(pages, start=1):
        assert "Ngày báo cáo 15/07/2025" in page, number
        assert PROVENANCE_VI in page, number
        assert f"Trang {number}/4" in page, number


def test_pdf_pages_are_a4(vietnamese_pdf, tmp_path):
    binary = shutil.which("pdfinfo")
    if binary is None:
        pdftotext_or_skip()
        pytest.skip("pdfinfo not found")
    path = tmp_path / "report.pdf"
    path.write_bytes(vietnamese_pdf)

    info = subprocess.run([binary, "-f", "1", "-l", "4", str(path)], capture_output=True, text=True, check=True).stdout
    sizes = [line for line in info.splitlines() if line.startswith("Page") and "size" in line]

    assert len(sizes) == 4
    for line in sizes:
        assert "595.44 x 841.68 pts (A4)" in line


def test_pdf_media_box_is_a4(vietnamese_pdf):
    # 210 × 297 mm in points, as matplotlib writes them; this check needs no poppler.
    assert vietnamese_pdf.count(b"/MediaBox [ 0 0 595.44 841.68 ]") == 4
    assert b"/FontFile2" in vietnamese_pdf


def test_pdf_english(sample, tmp_path):
    text = "\n".join(pdf_pages(report_pdf(sample, AS_OF, "en", Thresholds()), tmp_path))

    assert "Report date 15/07/2025" in text
    assert "Data source: Sample data, illustrative only" in text
    assert "Quảng Ninh has good infrastructure" in text
    assert "Hoàng Sa" in text


def test_xlsx_sheets_keep_vietnamese(sample):
    workbook = load_workbook(io.BytesIO(report_xlsx(sample, AS_OF, "vi", Thresholds())))

    assert workbook.sheetnames == [vi for vi, _ in SHEET_NAMES.values()]
    findings = list(workbook["Tóm tắt"].iter_rows(values_only=True))
    assert findings[0] == ("Nhận định", "Đường dẫn")
    assert "1 tỉnh Vàng (Lai Châu)" in findings[1][0]
    assert ("/filing?date=2025-07-15&province=22") in [row[1] for row in findings]

    provinces = {row[1]: row[2] for row in workbook["Tỉnh, thành phố"].iter_rows(min_row=2, values_only=True)}
    assert provinces["Lai Châu"] == "Vàng"
    assert len(provinces) == 34

    filing = {row[1]: row for row in workbook["Hồ sơ trực tuyến"].iter_rows(min_row=2, values_only=True)}
    assert filing["Quảng Ninh"][6] == "Có"
    assert filing["Thanh Hóa"][9] == "Có"

    coverage = list(workbook["Xã Xanh"].iter_rows(min_row=2, values_only=True))
    assert sum(1 for row in coverage if row[7] < 0.1) == 9

    overdue = list(workbook["Nhiệm vụ quá hạn"].iter_rows(min_row=2, values_only=True))
    assert len(overdue) == 11


def test_xlsx_english_sheet_names(sample):
    workbook = load_workbook(io.BytesIO(report_xlsx(sample, AS_OF, "en", Thresholds())))
    assert workbook.sheetnames == [en for _, en in SHEET_NAMES.values()]
    assert next(workbook["Findings"].iter_rows(values_only=True)) == ("Finding", "Link")
