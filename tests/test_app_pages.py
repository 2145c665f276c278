"""The online filing and task pages under AppTest: the province drill-down, the task lists
and the URL state, in Vietnamese and in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apptest_fixtures import app_environment, scratch_database, set_option  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
BOUNDARIES = REPO.parent / "shared" / "data" / "boundaries" / "vietnam-3d-map"

GROUP_LABELS = (
    "Thể chế, pháp lý",
    "Hạ tầng số và cơ sở dữ liệu then chốt",
    "Nền tảng, ứng dụng dùng chung",
    "Nhân lực",
)

# Letters that only Vietnamese uses, so an English label with one of them was left untranslated.
VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE
)


def open_page(page: str, **query: str) -> AppTest:
    """Open the overview with ``query`` in the URL, then switch to ``page``."""
    app = AppTest.from_file(str(APP), default_timeout=120)
    for name, value in query.items():
        app.query_params[name] = value
    app.run()
    app.switch_page(page).run()
    return app


def subheaders(app: AppTest) -> list[str]:
    return [element.value for element in app.subheader]


def metric_values(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def labels_and_headings(app: AppTest) -> list[str]:
    """Return the widget labels, headers, metric labels and dataframe column names of a page."""
    texts = [element.value for element in [*app.header, *app.subheader]]
    texts += [metric.label for metric in app.metric]
    for kind in ("button", "download_button"):
        texts += [element.proto.label for element in app.get(kind)]
    texts += [widget.label for widget in [*app.selectbox, *app.radio, *app.select_slider]]
    texts += [option for radio in app.radio for option in radio.options]
    for table in app.dataframe:
        texts += [str(column) for column in table.value.columns]
    return texts


def test_filing_province_from_url(scratch_database):
    app = open_page("pages/filing.py", date="2025-07-15", province="38")
    communes = app.dataframe[0].value

    assert not app.exception
    assert subheaders(app)[0] == "Thanh Hóa"
    assert app.selectbox(key="filing_province").value == "38"
    assert len(communes) == 166
    assert communes["Xã, phường"].iloc[0] == "Xã Hồi Xuân"
    assert communes["Tỷ lệ trực tuyến"].iloc[0] == "11,1%"
    assert len(app.get("vega_lite_chart")) == 4


def test_filing_thanh_hoa_below_june(scratch_database):
    app = open_page("pages/filing.py", date="2025-07-15", province="38")
    warnings = [element.value for element in app.warning]

    assert not app.exception
    assert len(warnings) == 1
    assert "51,1%" in warnings[0]
    assert warnings[0].endswith("dưới ngưỡng 70%.")


def test_filing_province_not_below_june(scratch_database):
    app = open_page("pages/filing.py", date="2025-07-15", province="01")
    captions = " ".join(element.value for element in app.caption)

    assert not app.exception
    assert not app.warning
    assert "không dưới ngưỡng 70%" in captions


def test_filing_unknown_province_falls_back(scratch_database):
    app = open_page("pages/filing.py", date="2025-07-15", province="99")

    assert not app.exception
    assert app.selectbox(key="filing_province").value == ""
    assert "back_to_provinces" not in [button.key for button in app.button]
    assert subheaders(app) == ["Bảng xếp hạng", "Hạ tầng sẵn sàng và nộp trực tuyến"]
    assert len(app.get("vega_lite_chart")) == 2


def test_filing_choose_province(scratch_database):
    app = open_page("pages/filing.py", date="2025-07-15")
    app.selectbox(key="filing_province").select("38").run()

    assert not app.exception
    assert app.query_params["province"] == "38"
    assert subheaders(app)[0] == "Thanh Hóa"


def test_filing_back_button(scratch_database):
    app = open_page("pages/filing.py", date="2025-07-15", province="38")
    app.button(key="back_to_provinces").click().run()

    assert not app.exception
    assert "province" not in app.query_params
    assert app.selectbox(key="filing_province").value == ""
    assert "Thanh Hóa" not in subheaders(app)


def test_filing_choose_all_provinces(scratch_database):
    app = open_page("pages/filing.py", date="2025-07-15", province="38")
    app.selectbox(key="filing_province").select("").run()

    assert not app.exception
    assert "province" not in app.query_params
    assert "Thanh Hóa" not in subheaders(app)


def test_filing_ranking_table(scratch_database):
    app = open_page("pages/filing.py", date="2025-07-15")
    ranking = app.dataframe[0].value

    assert not app.exception
    assert list(ranking.columns) == ["Hạng", "Tỉnh, thành phố", "Hồ sơ trực tuyến", "Tổng số hồ sơ", "Tỷ lệ trực tuyến", "Thay đổi hạng"]
    assert len(ranking) == 34
    assert list(ranking["Hạng"])[0] == 1
    assert ranking["Thay đổi hạng"].str.fullmatch(r"[+-]?\d+").all()


def test_filing_downloads(scratch_database):
    app = open_page("pages/filing.py", date="2025-07-15", province="38")
    keys = [button.key for button in app.get("download_button")]

    assert not app.exception
    assert sorted(keys) == sorted(
        f"{table}_{kind}" for table in ("communes", "daily", "ranking", "readiness") for kind in ("csv", "xlsx")
    )


def test_filing_english(scratch_database):
    app = open_page("pages/filing.py", date="2025-07-15", province="38", lang="en")
    # The province's name is data and stays Vietnamese.
    texts = [text for text in labels_and_headings(app) if text != "Thanh Hóa"]

    assert not app.exception
    assert "Online filing rate of the communes (lowest first)" in [block.value.strip("*") for block in app.markdown]
    assert [text for text in texts if VIETNAMESE_LETTERS.search(text)] == []
    assert app.warning[0].value.endswith("under the 70% threshold.")


def test_tasks_report_date_counts(scratch_database):
    app = open_page("pages/tasks.py", date="2025-07-15")
    metrics = metric_values(app)

    assert not app.exception
    assert app.radio(key="task_view").value == "overdue"
    assert app.query_params["tasks"] == "overdue"
    assert metrics["Nhiệm vụ quá hạn"] == "11"
    assert [metrics[label] for label in GROUP_LABELS] == ["5", "3", "2", "2"]
    assert len(app.dataframe[0].value) == 11


@pytest.mark.parametrize(
    ("view", "rows", "states"),
    [
        ("overdue", 11, {"Quá hạn"}),
        ("open", 20, {"Quá hạn", "Còn trong hạn"}),
        ("all", 30, {"Quá hạn", "Còn trong hạn", "Hoàn thành"}),
        ("late", 11, {"Quá hạn"}),
    ],
)
def test_tasks_view_from_url(scratch_database, view, rows, states):
    app = open_page("pages/tasks.py", date="2025-07-15", tasks=view)
    table = app.dataframe[0].value

    assert not app.exception
    assert len(table) == rows
    assert set(table["Tình trạng"]) == states


def test_tasks_open_view_groups(scratch_database):
    app = open_page("pages/tasks.py", date="2025-07-15", tasks="open")
    metrics = metric_values(app)

    assert not app.exception
    assert metrics["Nhiệm vụ chưa hoàn thành"] == "20"
    assert metrics["Nhiệm vụ quá hạn"] == "11"
    assert [metrics[label] for label in GROUP_LABELS] == ["7", "6", "4", "5"]


def test_tasks_view_choice_in_url(scratch_database):
    app = open_page("pages/tasks.py", date="2025-07-15")
    app.radio(key="task_view").set_value("all").run()

    assert not app.exception
    assert app.query_params["tasks"] == "all"
    assert len(app.dataframe[0].value) == 30


def test_tasks_table_columns(scratch_database):
    app = open_page("pages/tasks.py", date="2025-07-15", tasks="all")
    table = app.dataframe[0].value
    bodies = app.dataframe[1].value

    assert not app.exception
    assert list(table.columns) == [
        "Mã", "Nhiệm vụ", "Cơ quan chủ trì", "Nhóm", "Hạn", "Tình trạng", "Số ngày quá hạn", "Ngày hoàn thành", "Minh chứng",
    ]
    assert table["Hạn"].str.fullmatch(r"\d\d/\d\d/2025").all()
    assert list(bodies.columns) == ["Cơ quan chủ trì", "Quá hạn", "Chưa hoàn thành", "Tất cả"]
    assert bodies["Quá hạn"].astype(int).sum() == 11


def test_tasks_done_without_evidence(scratch_database):
    from monitoring.store import Store
    from monitoring.validate import validate_file

    csv = (
        "Mã nhiệm vụ,Tên nhiệm vụ,Cơ quan chủ trì,Nhóm nhiệm vụ,Hạn hoàn thành,Ngày hoàn thành,Minh chứng kết quả\n"
        "X-01,Nhiệm vụ thử,Bộ Nội vụ,Nhân lực,10/07/2025,12/07/2025,\n"
    )
    Store.open(scratch_database).import_tables(validate_file(csv.encode(), "nhiem_vu.csv").tables, "nhiem_vu.csv")

    app = open_page("pages/tasks.py", date="2025-07-15", tasks="all")
    table = app.dataframe[0].value

    assert not app.exception
    assert list(table["Minh chứng"]) == ["Chưa có minh chứng"]
    assert metric_values(app)["Hoàn thành nhưng chưa có minh chứng"] == "1"


def test_tasks_english(scratch_database):
    app = open_page("pages/tasks.py", date="2025-07-15", tasks="all", lang="en")
    texts = labels_and_headings(app)

    assert not app.exception
    assert metric_values(app)["Overdue tasks"] == "11"
    assert [text for text in texts if VIETNAMESE_LETTERS.search(text)] == []
    assert set(app.dataframe[0].value["State"]) == {"Overdue", "Within deadline", "Done"}


def test_tasks_downloads(scratch_database):
    app = open_page("pages/tasks.py", date="2025-07-15")
    keys = [button.key for button in app.get("download_button")]

    assert not app.exception
    assert sorted(keys) == ["bodies_csv", "bodies_xlsx", "tasks_csv", "tasks_xlsx"]
