"""The briefing on the sample for 15 July 2025: each sentence against the data it came from,
the threshold settings, the links and the overview page's section."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from monitoring import briefing as briefing_module
from monitoring.briefing import (
    BOTTLENECK,
    HEADLINE,
    JUNE_DROP,
    LOWEST_COVERAGE,
    OVERDUE_BY_BODY,
    OVERDUE_BY_GROUP,
    PROGRESS,
    Finding,
    briefing,
    markdown_list,
)
from monitoring.charts import TASK_VIEWS, readiness_and_filing, tasks_by_body
from monitoring.dataset import Dataset, load_sample
from monitoring.formatting import number, percent
from monitoring.summary import (
    count_by_group,
    coverage,
    headline,
    online_rates,
    overdue_tasks,
    previous_report_date,
    province_status,
    report_dates,
)
from monitoring.thresholds import (
    GOOD_INFRASTRUCTURE_SETTING,
    JUNE_DROP_SETTING,
    LOW_ONLINE_SETTING,
    Thresholds,
    ThresholdSettingError,
)

REPO = Path(__file__).resolve().parents[1]
AS_OF = pd.Timestamp("2025-07-15")
SETTINGS = (GOOD_INFRASTRUCTURE_SETTING, LOW_ONLINE_SETTING, JUNE_DROP_SETTING)

UNDER_10_PERCENT = {
    "Lạng Sơn", "Cao Bằng", "Gia Lai", "Đắk Lắk", "Lào Cai", "Lai Châu", "Sơn La", "Tuyên Quang", "Điện Biên",
}


@pytest.fixture(autouse=True)
def default_settings(monkeypatch):
    """Run every test with the default thresholds, whatever the shell sets."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting, raising=False)


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return load_sample()


def findings_by_key(dataset: Dataset, lang: str = "vi", thresholds: Thresholds | None = None) -> dict[str, Finding]:
    return {finding.key: finding for finding in briefing(dataset, AS_OF, lang, thresholds or Thresholds())}


def test_briefing_order_of_findings(sample):
    keys = [finding.key for finding in briefing(sample, AS_OF)]
    assert keys == [HEADLINE, PROGRESS, LOWEST_COVERAGE, BOTTLENECK, JUNE_DROP, OVERDUE_BY_GROUP, OVERDUE_BY_BODY]


def test_headline_names_yellow_province(sample):
    finding = findings_by_key(sample)[HEADLINE]
    status = province_status(sample, AS_OF)
    figures = headline(sample, AS_OF)["provinces"]

    assert finding.names == ("Lai Châu",)
    assert finding.figures["vang"] == figures["vang"] == 1
    assert finding.figures["xanh"] == figures["xanh"] == 33
    assert finding.figures["do"] == figures["do"] == 0
    assert list(status.loc[status["status"] == "vang", "name"]) == ["Lai Châu"]
    assert finding.text == (
        "Đến ngày 15/07/2025, 33/34 tỉnh, thành phố đạt Xanh, 1 tỉnh Vàng (Lai Châu) và không có tỉnh Đỏ."
    )


def test_progress_against_previous_report(sample):
    finding = findings_by_key(sample)[PROGRESS]
    previous = previous_report_date(sample, AS_OF)
    before, now = headline(sample, previous), headline(sample, AS_OF)
    green_before = int(coverage(sample, previous)["xanh"].sum())
    green_now = int(coverage(sample, AS_OF)["xanh"].sum())

    assert finding.figures["previous_date"] == previous.strftime("%Y-%m-%d") == "2025-07-08"
    assert "So với báo cáo ngày 08/07/2025" in finding.text
    assert f"số tỉnh Xanh tăng từ {before['provinces']['xanh']} lên {now['provinces']['xanh']}" in finding.text
    assert f"số xã Xanh tăng từ {number(green_before)} lên {number(green_now)}" in finding.text
    assert f"nhiệm vụ quá hạn tăng từ {before['tasks_overdue']} lên {now['tasks_overdue']}" in finding.text
    for name in finding.names:
        assert name in finding.text


def test_progress_first_report(sample):
    first = report_dates(sample)[0]
    finding = {item.key: item for item in briefing(sample, first, thresholds=Thresholds())}[PROGRESS]
    assert finding.figures["previous_date"] is None
    assert "báo cáo đầu tiên" in finding.text


def test_coverage_names_nine_under_ten_percent(sample):
    finding = findings_by_key(sample)[LOWEST_COVERAGE]
    table = coverage(sample, AS_OF)
    low = table[table["share_xanh"] < 0.10]

    assert set(finding.names) == set(low["name"]) == UNDER_10_PERCENT
    assert finding.text.startswith("9 tỉnh có dưới 10% xã Xanh: Lạng Sơn (3,1%)")
    for _, row in low.iterrows():
        assert f"{row['name']} ({percent(float(row['share_xanh']))})" in finding.text
        assert finding.figures["shares"][row["name"]] == pytest.approx(float(row["share_xanh"]))


def test_coverage_none_under_threshold_names_lowest(sample):
    finding = {item.key: item for item in briefing(sample, pd.Timestamp("2025-08-01"), thresholds=Thresholds())}[
        LOWEST_COVERAGE
    ]
    table = coverage(sample, pd.Timestamp("2025-08-01"))
    lowest = table.sort_values("share_xanh").iloc[0]
    assert finding.text.startswith("Không tỉnh nào có dưới 10% xã Xanh")
    assert finding.names == (lowest["name"],)


def test_bottleneck_names_quang_ninh(sample):
    finding = findings_by_key(sample)[BOTTLENECK]
    table = readiness_and_filing(sample, AS_OF)
    flagged = table[table["bottleneck"]]

    assert finding.names == ("Quảng Ninh",) == tuple(flagged["name"])
    rate = float(flagged.iloc[0]["rate"])
    assert rate == pytest.approx(0.095, abs=0.005)
    assert "9,5% hồ sơ nộp trực tuyến" in finding.text
    assert percent(float(flagged.iloc[0]["share_xanh"])) in finding.text
    assert finding.link == "/filing?date=2025-07-15&province=22"


def test_june_drop_names_thanh_hoa(sample):
    finding = findings_by_key(sample)[JUNE_DROP]
    rates = online_rates(sample, AS_OF)
    below = rates[rates["below_june"]]
    row = below.iloc[0]

    assert finding.names == ("Thanh Hóa",) == tuple(below["name"])
    assert number(round(row["online_daily"])) in finding.text
    assert number(round(row["june_online_daily"])) in finding.text
    assert percent(float(row["online_daily"] / row["june_online_daily"])) in finding.text
    assert "dưới ngưỡng 70%" in finding.text
    assert finding.link == "/filing?date=2025-07-15&province=38"


def test_overdue_tasks_by_group(sample):
    finding = findings_by_key(sample)[OVERDUE_BY_GROUP]
    overdue = overdue_tasks(sample, AS_OF)
    by_group = count_by_group(overdue)

    assert len(overdue) == finding.figures["overdue"] == 11
    assert finding.figures["by_group"] == by_group
    assert list(by_group.values()) == [5, 3, 2, 2]
    assert finding.figures["group_total"] == 12
    assert finding.text.startswith("11 nhiệm vụ quá hạn, theo nhóm: Thể chế, pháp lý 5; Hạ tầng số")
    assert "Các nhóm cộng lại là 12, không phải 11" in finding.text
    assert finding.link == "/tasks?date=2025-07-15&tasks=overdue"


def test_overdue_tasks_by_body(sample):
    finding = findings_by_key(sample)[OVERDUE_BY_BODY]
    table = tasks_by_body(sample, AS_OF)
    overdue = table[table["overdue"] > 0]

    assert finding.figures["by_body"] == dict(zip(overdue["body"], overdue["overdue"]))
    assert sum(finding.figures["by_body"].values()) == 11
    for body, count in finding.figures["by_body"].items():
        assert f"{body} {count}" in finding.text


def test_briefing_english(sample):
    findings = findings_by_key(sample, "en")

    assert findings[HEADLINE].text == "On 15/07/2025, 33 of 34 provinces are Green, 1 is Yellow (Lai Châu) and none is Red."
    assert "Quảng Ninh has good infrastructure (81.5% of communes Green" in findings[BOTTLENECK].text
    assert "only 9.5% of dossiers filed online" in findings[BOTTLENECK].text
    assert findings[JUNE_DROP].text.startswith("Thanh Hóa filed ")
    assert "1,802" in findings[JUNE_DROP].text
    assert "The groups add up to 12, not 11, because 1 task belongs to more than one group and counts in each." in (
        findings[OVERDUE_BY_GROUP].text
    )
    for finding in findings.values():
        assert "lang=en" in finding.link


def test_settings_add_bottleneck_provinces(sample, monkeypatch):
    table = readiness_and_filing(sample, AS_OF, good_infrastructure=0.4, low_online=0.4)
    expected = list(table.loc[table["bottleneck"]].sort_values("rate")["name"])
    monkeypatch.setenv(GOOD_INFRASTRUCTURE_SETTING, "0.4")
    monkeypatch.setenv(LOW_ONLINE_SETTING, "0.4")

    finding = {item.key: item for item in briefing(sample, AS_OF)}[BOTTLENECK]

    assert expected == ["Quảng Ninh", "Phú Thọ"]
    assert list(finding.names) == expected
    assert finding.figures["low_online"] == 0.4
    assert finding.text.startswith("2 tỉnh có hạ tầng tốt (trên 40% xã Xanh) nhưng dưới 40% hồ sơ nộp trực tuyến:")
    assert "Phú Thọ (43,2% xã Xanh, 30,0% trực tuyến)" in finding.text
    assert finding.link == "/filing?date=2025-07-15"


def test_low_online_setting_adds_provinces(sample, monkeypatch):
    table = readiness_and_filing(sample, AS_OF, low_online=0.925)
    expected = set(table.loc[table["bottleneck"], "name"])
    monkeypatch.setenv(LOW_ONLINE_SETTING, "0.925")

    finding = {item.key: item for item in briefing(sample, AS_OF)}[BOTTLENECK]

    assert expected == {"Quảng Ninh", "Thành phố Cần Thơ"}
    assert set(finding.names) == expected
    assert "dưới 92,5% hồ sơ nộp trực tuyến" in finding.text


def test_june_drop_setting_changes_finding(sample, monkeypatch):
    monkeypatch.setenv(JUNE_DROP_SETTING, "0,5")

    finding = {item.key: item for item in briefing(sample, AS_OF)}[JUNE_DROP]

    assert finding.names == ()
    assert "dưới 50% bình quân" in finding.text


def test_good_infrastructure_setting_removes_province(sample, monkeypatch):
    monkeypatch.setenv(GOOD_INFRASTRUCTURE_SETTING, "0.9")

    finding = {item.key: item for item in briefing(sample, AS_OF)}[BOTTLENECK]

    assert finding.names == ()
    assert finding.text.startswith("Không tỉnh nào vừa có trên 90% xã Xanh")


@pytest.mark.parametrize(
    ("setting", "value"),
    [(LOW_ONLINE_SETTING, "30"), (LOW_ONLINE_SETTING, "-0.1"), (JUNE_DROP_SETTING, "bảy mươi"), (GOOD_INFRASTRUCTURE_SETTING, "nan")],
)
def test_bad_setting_bilingual_error(monkeypatch, setting, value):
    monkeypatch.setenv(setting, value)

    with pytest.raises(ThresholdSettingError, match=f"Invalid value “{value}” for the setting {setting}") as caught:
        Thresholds.from_settings()

    assert f"Thiết lập {setting} có giá trị không hợp lệ “{value}”" in caught.value.message("vi")
    assert "từ 0 đến 1" in caught.value.message("vi")
    assert "from 0 to 1" in caught.value.message("en")


@pytest.mark.parametrize(("value", "expected"), [("0", 0.0), ("1", 1.0), ("0.45", 0.45), (" 0,25 ", 0.25)])
def test_setting_boundary_values(monkeypatch, value, expected):
    monkeypatch.setenv(LOW_ONLINE_SETTING, value)
    assert Thresholds.from_settings().low_online == expected


def test_defaults_are_page_constants():
    from monitoring.charts import GOOD_INFRASTRUCTURE, LOW_ONLINE
    from monitoring.summary import DROP_THRESHOLD

    assert Thresholds.from_settings() == Thresholds(GOOD_INFRASTRUCTURE, LOW_ONLINE, DROP_THRESHOLD)


VIEWS = {
    "": {"date", "layer", "province", "lang"},
    "communes": {"date", "layer", "province", "lang"},
    "filing": {"date", "province", "lang"},
    "tasks": {"date", "tasks", "lang"},
    "scores": {"date", "province", "period", "lang"},
    "data": {"lang"},
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_link_opens_valid_view(sample, lang):
    dates = {day.strftime("%Y-%m-%d") for day in report_dates(sample)}
    provinces = set(province_status(sample, AS_OF).index)

    for finding in briefing(sample, AS_OF, lang, Thresholds()):
        parts = urlsplit(finding.link)
        query = {key: values[0] for key, values in parse_qs(parts.query, strict_parsing=True).items()}
        page = parts.path.strip("/")
        assert page in VIEWS, finding.link
        assert set(query) <= VIEWS[page], finding.link
        assert query["date"] in dates
        assert query.get("layer", "status") in ("status", "coverage")
        assert query.get("tasks", "overdue") in TASK_VIEWS
        assert query.get("province", "01") in provinces
        assert query.get("lang") == ("en" if lang == "en" else None)


def test_markdown_list_escapes_uploaded_text():
    finding = Finding("overdue_by_body", "Bộ *A* [x](http://evil) 3.", "/tasks?date=2025-07-15&tasks=overdue", "Xem nhiệm vụ")

    line = markdown_list([finding], prefix="/dxmap")

    assert line == r"- Bộ \*A\* \[x\](http\://evil) 3. [Xem nhiệm vụ](/dxmap/tasks?date=2025-07-15&tasks=overdue)"


def test_names_capped_with_count(monkeypatch):
    monkeypatch.setattr(briefing_module, "MAX_NAMED", 2)
    empty = Dataset({})

    finding = briefing_module.headline_finding(empty, AS_OF)

    assert finding.names == ("An Giang", "Bắc Ninh")
    assert "34 tỉnh chưa có dữ liệu (An Giang, Bắc Ninh và 32 tỉnh khác)" in finding.text


def test_empty_dataset_briefing():
    findings = {finding.key: finding for finding in briefing(Dataset({}), AS_OF, thresholds=Thresholds())}
    assert findings[OVERDUE_BY_GROUP].text == "Không có nhiệm vụ quá hạn đến ngày 15/07/2025."
    assert OVERDUE_BY_BODY not in findings
    assert findings[BOTTLENECK].names == ()


# The overview page


@pytest.fixture
def overview(monkeypatch, tmp_path):
    """Open the overview for 15 July 2025 on the sample, with its own empty database."""
    import streamlit as st
    from streamlit import config

    # Streamlit reads its config once per process, so static serving is turned on here
    # as .streamlit/config.toml does for the real server.
    static_serving = config.get_option("server.enableStaticServing")
    config.set_option("server.enableStaticServing", True)
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("DXMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    st.cache_data.clear()
    st.cache_resource.clear()

    def open_page(**params: str) -> AppTest:
        app = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        app.query_params["date"] = "2025-07-15"
        for key, value in params.items():
            app.query_params[key] = value
        return app.run()

    yield open_page
    config.set_option("server.enableStaticServing", static_serving)
    st.cache_data.clear()
    st.cache_resource.clear()


def briefing_links(app: AppTest) -> list[tuple[str, str, dict]]:
    """Return the briefing's page links, the ones with query parameters: (page, label, parameters)."""
    links = [link.proto for link in app.get("page_link") if link.proto.query_string]
    return [(link.page, link.label, parse_qs(link.query_string)) for link in links]


def briefing_sentences(app: AppTest) -> str:
    return "\n".join(block.value for block in app.markdown if block.value.startswith("- "))


def test_overview_shows_briefing_links(overview):
    app = overview()

    assert not app.exception
    assert "### Tóm tắt" in [block.value for block in app.markdown]
    sentences = briefing_sentences(app)
    assert sentences.count("- ") == 7
    assert "Lai Châu" in sentences
    assert "Quảng Ninh" in sentences
    queries = [query for _page, _label, query in briefing_links(app)]
    assert {"date": ["2025-07-15"], "province": ["22"]} in queries
    assert {"date": ["2025-07-15"], "tasks": ["overdue"]} in queries
    assert {"date": ["2025-07-15"], "layer": ["coverage"]} in queries


def test_overview_briefing_english_keeps_lang(overview):
    app = overview(lang="en")

    assert not app.exception
    assert "### Briefing" in [block.value for block in app.markdown]
    queries = [query for _page, _label, query in briefing_links(app)]
    assert {"date": ["2025-07-15"], "province": ["38"], "lang": ["en"]} in queries
    assert "Đến ngày" not in briefing_sentences(app)


def test_overview_bad_setting_shows_error(overview, monkeypatch):
    monkeypatch.setenv(LOW_ONLINE_SETTING, "30")

    app = overview()

    assert not app.exception
    assert any("DXMAP_LOW_ONLINE" in error.value for error in app.error)
    assert app.title


def test_markdown_file_keeps_colons_readable():
    finding = Finding("progress", "So với báo cáo ngày 08/07/2025: 33 tỉnh; $5", "/?date=2025-07-15", "Xem bản đồ")

    line = markdown_list([finding])

    assert line.startswith("- So với báo cáo ngày 08/07/2025: 33 tỉnh; $5 [")
