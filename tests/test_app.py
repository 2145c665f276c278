"""The Streamlit page under AppTest: it runs on the real boundaries, and load failures read as Vietnamese errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from apptest_fixtures import app_environment, scratch_database, set_option  # noqa: F401

from geo import webmap

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
BOUNDARIES = REPO.parent / "shared" / "data" / "boundaries" / "vietnam-3d-map"
TITLE = "Bản đồ giám sát chuyển đổi số"

# An absolute or protocol-relative URL to a named host: what a closed network cannot load.
EXTERNAL_URL = re.compile(r"(?:https?:)?//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[^\s\"'<>)]*")


def run_app() -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=120)
    return app.run()


def map_arguments(app: AppTest) -> dict:
    """Return the arguments that the app sends to the st_folium component in the browser."""
    components = app.get("component_instance")
    assert [component.proto.component_name for component in components] == ["streamlit_folium.st_folium"]
    return json.loads(components[0].proto.json_args)


def map_units(app: AppTest) -> dict[str, str]:
    """Return the tooltip HTML of each unit on the page's map, keyed by code (its last layer)."""
    from geo.compact import payloads_in_script, unit_tooltips

    payloads = payloads_in_script(map_arguments(app)["script"])
    assert payloads, "the map has no compact layer"
    return unit_tooltips(payloads[-1])


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
    tooltips = map_units(run_app())

    assert len(tooltips) == 34
    assert all(len(code) == 2 for code in tooltips)


def test_app_missing_boundaries_shows_error(monkeypatch, tmp_path):
    monkeypatch.setenv("DXMAP_BOUNDARIES_DIR", str(tmp_path / "missing"))

    app = run_app()

    assert not app.exception
    assert [title.value for title in app.title] == [TITLE]
    assert len(app.error) == 1
    assert "Không tải được ranh giới hành chính" in app.error[0].value
    assert "DXMAP_BOUNDARIES_DIR" in app.error[0].value
    assert str(tmp_path / "missing") in app.error[0].value


def test_app_without_static_serving_shows_error(set_option):
    set_option("server.enableStaticServing", False)

    app = run_app()

    assert not app.exception
    assert len(app.error) == 1
    assert "enableStaticServing" in app.error[0].value


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
    assert "từ tệp tinh\\.csv (phiên bản 1)" in markdown

    app.selectbox(key="restore_choice").select(0).run()
    app.button(key="restore").click().run()
    assert not app.exception
    assert Store.open(scratch_database).load().provenance["province_status"].is_sample


PROVINCE_CSV = "Ngày báo cáo,Mã tỉnh,Trạng thái\n15/07/2025,01,Đỏ\n15/07/2025,79,Xanh\n"


def import_file(database: str, content: str, file_name: str = "tinh.csv") -> None:
    """Import a file straight into the store, without the page."""
    from monitoring.store import Store
    from monitoring.validate import validate_file

    report = validate_file(content.encode(), file_name)
    assert report.ok, report.problems
    Store.open(database).import_tables(report.tables, file_name)


def open_data_page(english: bool = False) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=120)
    if english:
        app.query_params["lang"] = "en"
    app.run()
    app.switch_page("pages/data.py").run()
    assert not app.exception
    return app


def page_texts(app: AppTest) -> list[str]:
    """Return the text of every element and widget label that the data page draws."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "success", "info", "error", "warning"):
        texts += [element.value for element in app.get(kind)]
    for kind in ("button", "download_button", "checkbox", "file_uploader", "toggle"):
        texts += [element.proto.label for element in app.get(kind)]
    for selectbox in app.selectbox:
        texts += [selectbox.label, *selectbox.options]
    for table in [*app.table, *app.dataframe]:
        texts += [str(column) for column in table.value.columns]
        texts += [str(cell) for cell in table.value.to_numpy().ravel()]
    # Streamlit's Markdown icons, such as ":material/warning:", are not shown as words.
    return [re.sub(r":material/[a-z_]+:", "", text) for text in texts]


def test_data_page_restore_keeps_message(scratch_database):
    from monitoring.store import Store

    import_file(scratch_database, PROVINCE_CSV)
    app = open_data_page()
    choice = app.selectbox(key="restore_choice")
    assert len(choice.options) == 2
    assert re.fullmatch(r"Phiên bản 1 — \d\d/\d\d/\d{4} \d\d:\d\d — tinh\.csv \(hiện tại\)", choice.options[0])
    assert choice.options[1] == "Phiên bản 0 — dữ liệu mẫu"
    assert choice.value == 0

    app.button(key="restore").click().run()

    assert not app.exception
    assert [element.value for element in app.success] == ["Đã khôi phục phiên bản 0 thành phiên bản mới 2."]
    assert Store.open(scratch_database).current_version() == 2
    assert app.selectbox(key="restore_choice").value == 1
    assert "Dữ liệu mẫu, chỉ để minh họa" in " ".join(block.value for block in app.markdown)


def test_data_page_restore_current_version(scratch_database):
    from monitoring.store import Store

    import_file(scratch_database, PROVINCE_CSV)
    app = open_data_page()
    app.selectbox(key="restore_choice").select(1).run()
    app.button(key="restore").click().run()

    assert not app.exception
    assert not app.success
    assert [element.value for element in app.info] == [
        "Phiên bản 1 đang là phiên bản hiện tại, nên không có gì để khôi phục."
    ]
    assert Store.open(scratch_database).current_version() == 1


def test_data_page_restore_same_data(scratch_database):
    from monitoring.store import Store

    import_file(scratch_database, PROVINCE_CSV)
    Store.open(scratch_database).restore(0)
    app = open_data_page()
    app.selectbox(key="restore_choice").select(0).run()
    app.button(key="restore").click().run()

    assert not app.exception
    assert [element.value for element in app.info] == [
        "Phiên bản 0 có cùng dữ liệu với phiên bản hiện tại (2), nên không tạo phiên bản mới."
    ]
    assert Store.open(scratch_database).current_version() == 2


def test_data_page_versions_table(scratch_database):
    import_file(scratch_database, PROVINCE_CSV)
    app = open_data_page()

    table = app.dataframe[0].value
    assert list(table.columns) == ["Phiên bản", "Thời gian", "Thao tác", "Tệp", "Bảng", "Số dòng"]
    assert table.iloc[0]["Tệp"] == "tinh.csv"
    assert table.iloc[0]["Số dòng"] == "2"


def test_upload_limit_matches_reader():
    import tomllib

    from monitoring.reading import MAX_FILE_BYTES

    settings = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES


def test_data_page_uploader_caption(scratch_database):
    vietnamese = [caption.value for caption in open_data_page().caption]
    english = [caption.value for caption in open_data_page(english=True).caption]

    assert "Nhận tệp CSV, TSV, TXT hoặc Excel (.xlsx, .xlsm), tối đa 20 MB mỗi tệp. Tệp .xls và .ods cần lưu lại thành .xlsx trước." in vietnamese
    assert "Accepts CSV, TSV, TXT or Excel (.xlsx, .xlsm) files of up to 20 MB each. .xls and .ods files must first be saved as .xlsx." in english


BAD_CSV = (
    "Ngày báo cáo;Tỉnh, thành phố;Trạng thái\n"
    "15/07/2025;Hà Giang;Xanh\n"
    "15/07/2025;Hà Nội;Xanh*\n"
    "15/07/2025;TP HCM;Vàng\n"
)


def test_data_page_bad_upload_lists_levels(scratch_database):
    app = open_data_page()
    app.file_uploader(key="upload").set_value(("tinh_loi.xlsx", BAD_CSV.encode(), "text/csv")).run()

    assert not app.exception
    assert app.error[0].value == "tinh_loi.xlsx (Trạng thái tỉnh, thành phố): 3 dòng, 2 lỗi, 1 cảnh báo."
    table = app.table[0].value
    assert list(table["Mức"]) == [":red[:material/error: **Lỗi**]"] * 2 + [":orange[:material/warning: Cảnh báo]"]
    # st.table renders Markdown, so the user's "*" is escaped to show as written.
    assert "Xanh\\*" in list(table["Giá trị"])
    assert "import" not in [button.key for button in app.button]


def test_data_page_preview_and_replace(scratch_database):
    from monitoring.store import Store

    import_file(scratch_database, PROVINCE_CSV)
    app = open_data_page()
    upload = "Ngày báo cáo,Mã tỉnh,Trạng thái\n15/07/2025,01,Đỏ\n"
    app.file_uploader(key="upload").set_value(("tinh_01.csv", upload.encode(), "text/csv")).run()

    assert not app.exception
    markdown = [block.value for block in app.markdown]
    assert "- Trạng thái tỉnh, thành phố: giữ nguyên 1 dòng." in markdown
    assert "Nhập tệp này không làm thay đổi dữ liệu: mọi dòng trong tệp đã có sẵn và giống hệt." in [
        caption.value for caption in app.caption
    ]

    app.checkbox(key="replace").check().run()
    markdown = [block.value for block in app.markdown]
    assert "- Trạng thái tỉnh, thành phố: bỏ 1 dòng, giữ nguyên 1 dòng." in markdown
    assert not any("không làm thay đổi" in caption.value for caption in app.caption)

    app.button(key="import").click().run()
    assert not app.exception
    assert "Đã nhập thành phiên bản 2." in [element.value for element in app.success]
    stored = Store.open(scratch_database).load().tables["province_status"]
    assert list(stored["province_code"]) == ["01"]


# Words of the data page that only one of the two languages uses.
VIETNAMESE_WORDS = ("dữ liệu", "phiên bản", "tệp", "dòng", "nhập", "khôi phục", "lỗi", "cảnh báo", "mẫu", "(mã ")
ENGLISH_WORDS = ("version", "file", "import", "restore", "error", "warning", "sample", "rows", "table")


def test_data_page_english_has_no_vietnamese(scratch_database):
    import_file(scratch_database, PROVINCE_CSV)
    app = open_data_page(english=True)
    upload = "Ngày báo cáo,Mã tỉnh,Trạng thái\n15/07/2025,01,Xanh\n"
    app.file_uploader(key="upload").set_value(("tinh_moi.csv", upload.encode(), "text/csv")).run()
    app.button(key="restore").click().run()

    texts = page_texts(app)
    assert not app.exception
    assert "Restored version 0 as the new version 2." in texts
    # File names stay as the user wrote them.
    without_file_names = [re.sub(r"tinh\w*\.csv", "", text) for text in texts]
    leftovers = [text for text in without_file_names if any(word in text.lower() for word in VIETNAMESE_WORDS)]
    assert leftovers == []


def test_data_page_vietnamese_has_no_english(scratch_database):
    import_file(scratch_database, PROVINCE_CSV)
    app = open_data_page()
    upload = "Ngày báo cáo,Mã tỉnh,Trạng thái\n15/07/2025,01,Xanh\n"
    app.file_uploader(key="upload").set_value(("tinh_moi.csv", upload.encode(), "text/csv")).run()
    app.button(key="restore").click().run()

    texts = page_texts(app)
    assert not app.exception
    assert "Đã khôi phục phiên bản 0 thành phiên bản mới 2." in texts
    # "English" is the language switch, which reads the same in both languages.
    without_file_names = [re.sub(r"tinh\w*\.csv", "", text) for text in texts if text != "English"]
    leftovers = [text for text in without_file_names if any(word in text.lower() for word in ENGLISH_WORDS)]
    assert leftovers == []


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


def metric_values(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def test_overview_date_from_url(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["date"] = "2025-07-15"
    app.run()
    metrics = metric_values(app)
    assert not app.exception
    assert metrics["Tỉnh, thành phố Xanh"] == "33/34"
    assert metrics["Xã, phường đã báo cáo"] == "3.320/3.321"
    assert metrics["Nhiệm vụ quá hạn"] == "11"
    assert app.query_params["date"] == "2025-07-15"


def test_overview_defaults_to_latest_date(scratch_database):
    app = run_app()
    assert app.select_slider(key="report_date").value == pd.Timestamp("2025-08-01")
    assert metric_values(app)["Tỉnh, thành phố Xanh"] == "34/34"


def test_overview_unknown_date_falls_back(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["date"] = "not-a-date"
    app.run()
    assert not app.exception
    assert app.query_params["date"] == "2025-08-01"


def test_overview_legend_counts(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["date"] = "2025-07-15"
    app.run()
    page = map_arguments(app)["html"]
    assert "Xanh <b>33</b>" in page
    assert "Vàng <b>1</b>" in page
    assert "Chưa có dữ liệu <b>0</b>" in page


def test_overview_escapes_notes(scratch_database):
    from monitoring.store import Store
    from monitoring.validate import validate_file

    csv = "Ngày báo cáo,Mã tỉnh,Trạng thái,Ghi chú\n15/07/2025,01,Vàng,<script>alert(1)</script>\n".encode()
    Store.open(scratch_database).import_tables(validate_file(csv, "tinh.csv").tables, "tinh.csv")

    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["date"] = "2025-07-15"
    app.run()
    script = map_arguments(app)["script"]
    tooltip = map_units(app)["01"]
    # The payload writes "<", ">" and "&" as \u003c, \u003e and \u0026 inside the script.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tooltip
    assert "<script>" not in tooltip
    assert "\\u003cscript\\u003ealert" not in script

def test_province_from_url_shows_communes(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["date"] = "2025-07-15"
    app.query_params["province"] = "91"
    app.run()
    tooltips = map_units(app)
    assert not app.exception
    assert [header.value for header in app.subheader] == ["An Giang"]
    assert len(tooltips) == 102
    assert all(len(code) == 5 for code in tooltips)
    lacking = [tooltip for tooltip in tooltips.values() if "Còn thiếu" in tooltip or "Thiếu điều kiện" in tooltip]
    assert lacking, "no tooltip names a missing condition"
    table = app.dataframe[0].value
    assert len(table) == 102
    assert table["Trạng thái"].iloc[0] == "Đỏ"


def test_back_to_country(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["province"] = "91"
    app.run()
    app.button(key="back_to_country").click().run()
    assert not app.exception
    assert "province" not in app.query_params
    assert [header.value for header in app.subheader] == []


def test_unknown_province_shows_country(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["province"] = "99"
    app.run()
    assert len(map_units(app)) == 34


def test_coverage_layer_from_url(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["date"] = "2025-07-15"
    app.query_params["layer"] = "coverage"
    app.run()
    page = map_arguments(app)["html"]
    assert not app.exception
    assert app.radio(key="map_layer").value == "coverage"
    assert "dưới 10% <b>9</b>" in page
    assert "trên 70% <b>5</b>" in page


def test_layer_choice_in_url(scratch_database):
    app = run_app()
    app.radio(key="map_layer").set_value("coverage").run()
    assert app.query_params["layer"] == "coverage"


def test_filing_page_ranks_and_bottleneck(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["date"] = "2025-07-15"
    app.run()
    app.switch_page("pages/filing.py").run()
    text = " ".join(block.value for block in app.markdown)
    assert not app.exception
    assert "Quảng Ninh (1 tỉnh)" in text
    assert len(app.get("vega_lite_chart")) == 2


def test_tasks_page_counts_groups(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["date"] = "2025-07-15"
    app.run()
    app.switch_page("pages/tasks.py").run()
    metrics = metric_values(app)
    assert not app.exception
    assert metrics["Nhiệm vụ quá hạn"] == "11"
    assert [metrics[label] for label in ("Thể chế, pháp lý", "Hạ tầng số và cơ sở dữ liệu then chốt", "Nền tảng, ứng dụng dùng chung", "Nhân lực")] == ["5", "3", "2", "2"]
    assert len(app.dataframe[0].value) == 11


def test_scores_page_provinces_and_communes(scratch_database):
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    app.switch_page("pages/scores.py").run()
    provinces_shown = len(app.dataframe[0].value)
    app.selectbox(key="score_province").select("91").run()
    communes_shown = len(app.dataframe[0].value)
    assert not app.exception
    assert provinces_shown == 34
    assert communes_shown == 102
    assert len(map_units(app)) == 102
    assert app.query_params["province"] == "91"


def test_scores_page_portal_export(scratch_database, portal_export):
    from monitoring.store import Store
    from monitoring.validate import validate_file

    Store.open(scratch_database).import_tables(validate_file(portal_export).tables, portal_export.name)
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    app.switch_page("pages/scores.py").run()
    assert not app.exception
    assert app.selectbox(key="period").value == "2025-10"
    assert app.selectbox(key="score_province").options == ["— Toàn quốc (tỉnh, thành phố) —", "An Giang"]


def open_page(page: str, **params: str) -> AppTest:
    """Open ``page`` (a script under pages/, or app.py) with ``params`` in the URL."""
    app = AppTest.from_file(str(APP), default_timeout=180)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    if page != "app.py":
        app.switch_page(page).run()
    return app


def download_labels(app: AppTest) -> list[str]:
    return [button.proto.label for button in app.get("download_button")]


def test_communes_page_whole_country(scratch_database):
    app = open_page("pages/communes.py", date="2025-07-15")
    arguments = map_arguments(app)
    assert not app.exception
    assert len(map_units(app)) == 3321
    assert app.selectbox(key="communes_province").value == ""
    coverage_table = app.dataframe[0].value
    assert len(coverage_table) == 34
    assert (coverage_table["Nhóm"] == "dưới 10%").sum() == 9
    assert "Chưa có dữ liệu <b>1</b>" in arguments["html"], "Bạch Long Vĩ should be the one commune without data"
    assert {"Tải CSV", "Tải Excel", "Tải bản đồ (HTML, dùng được khi không có mạng)"} <= set(download_labels(app))


def test_communes_page_coverage_layer(scratch_database):
    app = open_page("pages/communes.py", date="2025-07-15", layer="coverage")
    arguments = map_arguments(app)
    assert not app.exception
    assert app.radio(key="communes_layer").value == "coverage"
    assert len(map_units(app)) == 34
    assert "trên 70% <b>5</b>" in arguments["html"]


def test_communes_page_province_from_url(scratch_database):
    from geo.units import communes

    app = open_page("pages/communes.py", date="2025-07-15", province="38")
    metrics = metric_values(app)
    table = app.dataframe[0].value
    in_province = (communes()["province_code"] == "38").sum()
    assert not app.exception
    assert app.selectbox(key="communes_province").value == "38"
    assert metrics["Tỷ lệ xã Xanh"] == "29,5%"
    assert metrics["Xã Xanh"].endswith(f"/{in_province}")
    assert len(table) == in_province
    assert len(map_units(app)) == in_province


def test_communes_page_choice_goes_to_url(scratch_database):
    app = open_page("pages/communes.py")
    app.selectbox(key="communes_province").set_value("91").run()
    assert not app.exception
    assert app.query_params["province"] == "91"
    assert len(app.dataframe[0].value) == 102

    app.selectbox(key="communes_province").set_value("").run()
    assert "province" not in app.query_params
    assert len(app.dataframe[0].value) == 34


def test_communes_page_unknown_province_shows_country(scratch_database):
    app = open_page("pages/communes.py", province="99", layer="coverage")
    assert not app.exception
    assert app.selectbox(key="communes_province").value == ""
    assert len(app.dataframe[0].value) == 34


def test_communes_page_lists_stale_communes(scratch_database):
    app = open_page("pages/communes.py", date="2025-07-15", layer="coverage")
    (expander,) = app.expander
    stale = expander.dataframe[0].value
    assert expander.label.startswith("Báo cáo cũ: ")
    assert expander.label == f"Báo cáo cũ: {len(stale)} xã, phường"
    assert len(stale) > 0


def test_overview_lists_stale_provinces(scratch_database):
    import_file(scratch_database, "Ngày báo cáo,Mã tỉnh,Trạng thái\n08/07/2025,01,Vàng\n15/07/2025,79,Xanh\n")
    app = open_page("app.py", date="2025-07-15")
    (expander,) = app.expander
    stale = expander.dataframe[0].value
    assert not app.exception
    assert expander.label == "Báo cáo cũ: 1 đơn vị"
    assert stale.iloc[0].tolist() == ["Thành phố Hà Nội", "08/07/2025", 7]
    assert "(báo cáo cũ)" in map_units(app)["01"]


def test_data_page_boundary_reconciliation(scratch_database):
    app = open_page("pages/data.py")
    markdown = " ".join(block.value for block in app.markdown)
    assert str(BOUNDARIES) in markdown
    assert "vietnam\\-3d\\-map" in markdown

    app.toggle(key="boundary_check").set_value(True).run()
    summary = app.dataframe[0].value
    assert not app.exception
    assert summary["Số đối tượng"].tolist() == [34, 3321]
    assert summary["Không khớp"].tolist() == [0, 0]
    assert len(app.dataframe[1].value) == summary["Mã khác danh mục"].sum()


PAGE_SCRIPTS = ["app.py", "pages/communes.py", "pages/filing.py", "pages/tasks.py", "pages/scores.py", "pages/data.py"]

# Words of the dashboard that only Vietnamese uses; unit names are data and are left out.
VIETNAMESE_LABEL_WORDS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def widget_labels(app: AppTest) -> list[str]:
    """Return the labels a reader sees on widgets, metrics, headings and table headers."""
    labels = [element.label for kind in ("selectbox", "radio", "toggle", "select_slider", "button", "metric", "expander")
              for element in app.get(kind) if getattr(element, "label", None)]
    labels += [button.proto.label for button in app.get("download_button")]
    labels += [heading.value for heading in (*app.header, *app.subheader)]
    labels += [str(column) for frame in app.dataframe for column in frame.value.columns]
    return labels


@pytest.mark.parametrize("page", PAGE_SCRIPTS)
def test_every_page_opens_in_both_languages(scratch_database, page):
    vietnamese = open_page(page, date="2025-07-15")
    english = open_page(page, date="2025-07-15", lang="en")
    assert not vietnamese.exception
    assert not english.exception
    assert not vietnamese.error
    assert not english.error

    leftovers = [label for label in widget_labels(english) if VIETNAMESE_LABEL_WORDS.search(label)]
    assert leftovers == []


def test_page_links_follow_language(scratch_database):
    from ui.page import PAGES

    for lang, column in (("vi", 1), ("en", 2)):
        app = open_page("app.py", lang=lang) if lang == "en" else open_page("app.py")
        # The briefing's links carry query parameters; the menu's don't.
        labels = [link.proto.label for link in app.get("page_link") if not link.proto.query_string]
        assert labels == [page[column] for page in PAGES]


def test_unknown_date_in_link_is_named(scratch_database):
    app = open_page("app.py", date="2031-01-01")
    notices = [block.value for block in app.info]
    assert not app.exception
    assert notices == ["Đường dẫn có ngày 2031\\-01\\-01, không phải ngày báo cáo; đang hiện ngày báo cáo gần nhất 01/08/2025."]
    assert app.query_params["date"] == "2025-08-01"


@pytest.mark.parametrize("page", ["app.py", "pages/communes.py", "pages/filing.py"])
def test_unknown_province_leaves_the_link(scratch_database, page):
    app = AppTest.from_file(str(APP), default_timeout=180).run()
    app.query_params["province"] = "<b>99</b>"
    (app.switch_page(page) if page != "app.py" else app).run()
    notices = " ".join(block.value for block in app.info)
    assert not app.exception
    assert "province" not in app.query_params
    assert "mã tỉnh \\<b\\>99\\<\\/b\\>, không có trong danh mục" in notices


def test_overview_and_filing_show_one_online_rate(scratch_database):
    overview = metric_values(open_page("app.py", date="2025-07-15"))["Tỷ lệ nộp trực tuyến"]
    filing = metric_values(open_page("pages/filing.py", date="2025-07-15"))["Tỷ lệ nộp trực tuyến cả nước"]
    assert overview == filing == "65,9%"


@pytest.mark.parametrize("page", ["app.py", "pages/communes.py", "pages/filing.py", "pages/tasks.py", "pages/scores.py"])
def test_every_page_labels_the_sample(scratch_database, page):
    captions = [caption.value for caption in open_page(page).caption]
    assert "Dữ liệu mẫu, chỉ để minh họa" in captions


def test_scores_period_reads_as_a_month(scratch_database, portal_export):
    from monitoring.store import Store
    from monitoring.validate import validate_file

    Store.open(scratch_database).import_tables(validate_file(portal_export).tables, portal_export.name)
    app = open_page("pages/scores.py", lang="en")
    period = app.selectbox(key="period")
    assert period.value == "2025-10"
    assert period.format_func(period.value) == "October 2025"


def test_map_tooltips_wrap_inside_the_map():
    from geo.webmap import base_map

    page = base_map().get_root().render()
    assert ".leaflet-tooltip.dxmap-tooltip { white-space: normal; width: max-content; max-width: 320px; }" in page


def test_threshold_settings_reach_the_pages(scratch_database, monkeypatch):
    monkeypatch.setenv("DXMAP_LOW_ONLINE", "0.925")
    filing = open_page("pages/filing.py", date="2025-07-15")
    sentence = [block.value for block in filing.markdown if "Hạ tầng tốt" in block.value][0]
    assert "dưới 92,5%" in sentence
    assert "Cần Thơ" in sentence
    assert "Quảng Ninh" in sentence

    overview = open_page("app.py", date="2025-07-15")
    tooltips = map_units(overview)
    assert "(dưới ngưỡng 92,5%)" in tooltips["92"]


def test_bad_threshold_setting_is_named(scratch_database, monkeypatch):
    monkeypatch.setenv("DXMAP_JUNE_DROP", "70")
    app = open_page("pages/filing.py", date="2025-07-15")
    assert not app.exception
    assert "DXMAP_JUNE_DROP" in app.error[0].value
