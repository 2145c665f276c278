"""The Streamlit page under AppTest: it runs on the real boundaries, and load failures read as Vietnamese errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from geo import webmap

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
BOUNDARIES = REPO.parent / "shared" / "data" / "boundaries" / "vietnam-3d-map"
TITLE = "Bản đồ giám sát chuyển đổi số"

# An absolute or protocol-relative URL to a named host: what a closed network cannot load.
EXTERNAL_URL = re.compile(r"(?:https?:)?//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[^\s\"'<>)]*")


@pytest.fixture(autouse=True)
def app_environment(monkeypatch):
    """Run the app from the repository root on the shared boundaries, with empty Streamlit caches.

    The caches live in this process and outlive one AppTest, so a test that
    breaks the boundaries would otherwise get the layer an earlier test loaded.
    """
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("DXMAP_BOUNDARIES_DIR", str(BOUNDARIES))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def set_option():
    """Return a setter of Streamlit config options that restores them after the test.

    Streamlit parses its config once per process, from the directory pytest
    started in, so static serving is turned on here as .streamlit/config.toml
    does for the real server.
    """
    saved = {}

    def set_one(key: str, value) -> None:
        saved.setdefault(key, config.get_option(key))
        config.set_option(key, value)

    set_one("server.enableStaticServing", True)
    yield set_one
    for key, value in saved.items():
        config.set_option(key, value)


def run_app() -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=120)
    return app.run()


def map_arguments(app: AppTest) -> dict:
    """Return the arguments that the app sends to the st_folium component in the browser."""
    components = app.get("component_instance")
    assert [component.proto.component_name for component in components] == ["streamlit_folium.st_folium"]
    return json.loads(components[0].proto.json_args)


def test_app_shows_title_and_map():
    app = run_app()

    assert not app.exception
    assert [title.value for title in app.title] == [TITLE]
    assert not app.error
    assert (REPO / "static" / webmap.VENDOR_DIR / webmap.LEAFLET_DIR / "leaflet.js").is_file()


@pytest.mark.parametrize(
    ("base_url_path", "static_url"), [("", "/app/static"), ("dxmap", "/dxmap/app/static")]
)
def test_app_map_loads_libraries_from_app(set_option, base_url_path, static_url):
    set_option("server.baseUrlPath", base_url_path)

    arguments = map_arguments(run_app())

    assert arguments["js_links"] == [
        f"{static_url}/vendor/leaflet-1.9.3/leaflet.js",
        f"{static_url}/vendor/jquery-3.7.1/jquery.min.js",
    ]
    assert arguments["css_links"] == [f"{static_url}/vendor/leaflet-1.9.3/leaflet.css"]
    for part in ("header", "html", "script"):
        assert EXTERNAL_URL.findall(arguments[part]) == [], part


def test_app_map_shows_34_provinces():
    script = map_arguments(run_app())["script"]

    codes = set(re.findall(r'"code": "(\d{2})"', script))
    assert len(codes) == 34


def test_app_missing_boundaries_shows_error(monkeypatch, tmp_path):
    monkeypatch.setenv("DXMAP_BOUNDARIES_DIR", str(tmp_path / "missing"))

    app = run_app()

    assert not app.exception
    assert [title.value for title in app.title] == [TITLE]
    assert len(app.error) == 1
    assert "Không tải được ranh giới tỉnh, thành phố" in app.error[0].value
    assert "DXMAP_BOUNDARIES_DIR" in app.error[0].value
    assert str(tmp_path / "missing") in app.error[0].value


def test_app_without_static_serving_shows_error(set_option):
    set_option("server.enableStaticServing", False)

    app = run_app()

    assert not app.exception
    assert len(app.error) == 1
    assert "enableStaticServing" in app.error[0].value


@pytest.fixture
def scratch_database(monkeypatch, tmp_path):
    """Give the app its own empty database."""
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("DXMAP_DATABASE_URL", url)
    return url


def test_overview_labels_sample(scratch_database):
    app = run_app()
    assert not app.exception
    assert "Dữ liệu mẫu, chỉ để minh họa" in [caption.value for caption in app.caption]


def test_data_page_lists_sources_and_templates(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    app.switch_page("pages/data.py").run()
    markdown = " ".join(block.value for block in app.markdown)
    labels = [button.proto.label for button in app.get("download_button")]
    assert not app.exception
    assert markdown.count("Dữ liệu mẫu, chỉ để minh họa") == 5
    assert "Trạng thái xã, phường (Excel)" in labels
    assert "Nhiệm vụ (CSV)" in labels
    assert "Chưa nhập dữ liệu nào" in app.info[0].value


def test_data_page_restores_version(scratch_database):
    from monitoring.store import Store
    from monitoring.validate import validate_file

    csv = "Ngày báo cáo,Mã tỉnh,Trạng thái\n15/07/2025,01,Đỏ\n".encode()
    Store.open(scratch_database).import_tables(validate_file(csv, "tinh.csv").tables, "tinh.csv")

    app = AppTest.from_file(str(APP), default_timeout=120).run()
    app.switch_page("pages/data.py").run()
    markdown = " ".join(block.value for block in app.markdown)
    assert "từ tệp tinh.csv (phiên bản 1)" in markdown

    app.selectbox(key="restore_choice").select(0).run()
    app.button(key="restore").click().run()
    assert not app.exception
    assert Store.open(scratch_database).load().provenance["province_status"].is_sample


def test_english_from_url(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert "Sample data, illustrative only" in [caption.value for caption in app.caption]


def test_english_switch(scratch_database):
    app = run_app()
    app.sidebar.toggle(key="english").set_value(True).run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Digital transformation monitoring map"]
    assert "Sample data, illustrative only" in [caption.value for caption in app.caption]
    assert app.query_params["lang"] == "en"


def test_unusable_database_shows_error(monkeypatch, tmp_path):
    broken = tmp_path / "not-a-database.sqlite"
    broken.write_bytes(b"this is not an SQLite file" * 100)
    monkeypatch.setenv("DXMAP_DATABASE_URL", f"sqlite:///{broken}")

    app = run_app()
    assert not app.exception
    assert len(app.error) == 1
    assert "not-a-database.sqlite" in app.error[0].value
