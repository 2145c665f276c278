"""Text from uploaded files is data on every surface: tooltips, captions, downloads."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from monitoring.store import Store
from monitoring.validate import validate_file

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
BOUNDARIES = REPO.parent / "shared" / "data" / "boundaries" / "vietnam-3d-map"
HOSTILE_NOTE = "<img src=x onerror=alert(1)><script>alert(2)</script>"
HOSTILE_FILE = "tinh[x](javascript:alert(1))<b>.csv"


@pytest.fixture
def database(monkeypatch, tmp_path) -> str:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("DXMAP_BOUNDARIES_DIR", str(BOUNDARIES))
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("DXMAP_DATABASE_URL", url)
    saved = config.get_option("server.enableStaticServing")
    config.set_option("server.enableStaticServing", True)
    st.cache_data.clear()
    st.cache_resource.clear()
    csv = f"Ngày báo cáo,Mã tỉnh,Trạng thái,Ghi chú\n15/07/2025,01,Vàng,{HOSTILE_NOTE}\n".encode()
    Store.open(url).import_tables(validate_file(csv, "tinh.csv").tables, HOSTILE_FILE)
    yield url
    config.set_option("server.enableStaticServing", saved)
    st.cache_data.clear()
    st.cache_resource.clear()


def test_file_name_in_caption_is_not_markdown(database):
    app = AppTest.from_file(str(APP), default_timeout=180).run()
    (caption,) = [block.value for block in app.caption if "tinh" in block.value]
    assert not app.exception
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)\\<b\\>" in caption
    assert "[x](javascript" not in caption


def test_downloaded_map_keeps_the_note_as_text(database):
    from geo import webmap
    from ui import maps

    dataset = Store.open(database).load()
    layer = maps.province_status_layer(dataset, pd.Timestamp("2025-07-15"), "vi")
    page = webmap.map_html(maps.filled_map(layer, "x"))
    assert "onerror=alert(1)" in page, "the note is missing from the map"
    assert "<img src=x" not in page
    assert "<script>alert(2)" not in page


def test_exported_task_titles_cannot_run_formulas():
    from monitoring.export import csv_bytes, xlsx_bytes

    table = pd.DataFrame({"Nhiệm vụ": ['=HYPERLINK("http://x","bấm")', "@SUM(1)", "Ban hành quy định"]})
    read = pd.read_csv(io.BytesIO(csv_bytes(table)), encoding="utf-8-sig")
    assert read["Nhiệm vụ"].tolist() == ["'=HYPERLINK(\"http://x\",\"bấm\")", "'@SUM(1)", "Ban hành quy định"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"t": table})))["t"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://x","bấm")'
