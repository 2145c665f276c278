"""Map colours, labels and tooltips of statuses."""

from __future__ import annotations

import pandas as pd

from monitoring.dataset import Dataset, load_sample
from monitoring.model import PROVINCE_STATUS, normalise_table
from monitoring.presentation import NO_DATA_COLOR, STATUS_COLORS, legend_entries, province_view, status_label

DAY = pd.Timestamp("2025-07-15")


def test_status_labels_both_languages():
    assert status_label("vang") == "Vàng"
    assert status_label("do", "en") == "Red"
    assert status_label(None) == "Chưa có dữ liệu"
    assert status_label(pd.NA, "en") == "No data"


def test_colours_distinct_from_no_data():
    colours = set(STATUS_COLORS.values())
    assert len(colours) == 3
    assert NO_DATA_COLOR not in colours


def test_sample_legend_counts():
    view = province_view(load_sample(), DAY)
    assert legend_entries(view) == [
        ("Xanh", STATUS_COLORS["xanh"], 33),
        ("Vàng", STATUS_COLORS["vang"], 1),
        ("Đỏ", STATUS_COLORS["do"], 0),
        ("Chưa có dữ liệu", NO_DATA_COLOR, 0),
    ]


def test_tooltip_escapes_name_and_note():
    table = normalise_table(
        PROVINCE_STATUS,
        pd.DataFrame([{"report_date": DAY, "province_code": "01", "status": "do", "note": "<img src=x onerror=alert(1)>"}]),
    )
    view = province_view(Dataset({PROVINCE_STATUS: table}), DAY).set_index("code")
    tooltip = view.at["01", "tooltip"]
    assert "<img" not in tooltip
    assert "&lt;img src=x onerror=alert(1)&gt;" in tooltip
    assert "Trạng thái:</span> Đỏ" in tooltip
    assert view.at["01", "fill"] == STATUS_COLORS["do"]
    assert view.at["79", "fill"] == NO_DATA_COLOR


def test_tooltip_english_numbers():
    view = province_view(load_sample(), DAY, "en").set_index("code")
    assert "Communes green:</span> 78.6%" in view.at["01", "tooltip"]
    assert "Reported:</span> 15/07/2025" in view.at["01", "tooltip"]


def test_commune_table_order_and_lacks():
    from geo.names import vietnamese_sort_key
    from geo.units import communes
    from monitoring.presentation import commune_table, commune_view

    view = commune_view(load_sample(), DAY, "91")
    table = commune_table(view, communes()["name"])
    statuses = list(table["Trạng thái"])
    first_do = table[table["Trạng thái"] == "Đỏ"]["Xã, phường"].tolist()
    assert statuses == sorted(statuses, key=["Đỏ", "Vàng", "Chưa có dữ liệu", "Xanh"].index)
    assert first_do == sorted(first_do, key=vietnamese_sort_key)
    assert all(table.loc[table["Trạng thái"] == "Xanh", "Còn thiếu"] == "")
    assert len(table) == 102


def test_coverage_classes_at_breaks():
    from monitoring.presentation import coverage_class

    assert [coverage_class(share) for share in (0.0, 0.099, 0.10, 0.50, 0.501, 0.70, 0.701, 1.0)] == [0, 0, 1, 1, 2, 2, 3, 3]


def test_coverage_legend_reproduces_report():
    from monitoring.presentation import coverage_legend, coverage_view

    counts = [count for _, _, count in coverage_legend(coverage_view(load_sample(), DAY))]
    assert counts == [9, 16, 4, 5]


def test_province_tooltip_explains_thresholds():
    view = province_view(load_sample(), DAY).set_index("code")
    quang_ninh, thanh_hoa, lai_chau = view.at["22", "tooltip"], view.at["38", "tooltip"], view.at["12", "tooltip"]
    assert "Nộp trực tuyến:</span> 9,5% (dưới ngưỡng 30%)" in quang_ninh
    assert "(nhóm trên 70%)" in quang_ninh
    assert "bình quân tháng 6/2025 (dưới ngưỡng 70%)" in thanh_hoa
    assert "bình quân tháng 6" not in quang_ninh
    assert "(nhóm dưới 10%)" in lai_chau
    assert "Xã còn thiếu nhiều nhất:</span>" in lai_chau


def test_most_missing_conditions_counts_communes():
    from monitoring.presentation import most_missing_conditions

    table = pd.DataFrame(
        {
            "province_code": ["01", "01", "01", "02"],
            "missing": [["seal", "connectivity"], ["connectivity"], [], []],
        }
    )
    found = most_missing_conditions(table)
    assert found == {"01": "Đường truyền kết nối (2 xã), Con dấu (1 xã)"}
    assert most_missing_conditions(table, "en")["01"] == "Connectivity (2 communes), Seal (1 commune)"


def test_commune_tooltip_separates_critical_conditions(monkeypatch):
    from monitoring.model import COMMUNE_STATUS
    from monitoring.presentation import commune_view

    monkeypatch.delenv("DXMAP_CRITICAL_CONDITIONS", raising=False)
    table = normalise_table(
        COMMUNE_STATUS,
        pd.DataFrame([{"report_date": DAY, "commune_code": "00004", "connectivity": False, "seal": False}]),
    )
    view = commune_view(Dataset({COMMUNE_STATUS: table}), DAY, "01").set_index("code")
    tooltip = view.at["00004", "tooltip"]
    assert view.at["00004", "status"] == "do"
    assert "Thiếu điều kiện thiết yếu:</span> Đường truyền kết nối" in tooltip
    assert "Còn thiếu:</span> Con dấu" in tooltip


def test_national_commune_view_names_province():
    from monitoring.presentation import commune_view

    view = commune_view(load_sample(), DAY, None)
    assert len(view) == 3321
    assert view["province_code"].nunique() == 34
    # Bạch Long Vĩ had not reported by 15 July, so it has no data and its tooltip states that.
    row = view.set_index("code").loc[view.set_index("code")["tooltip"].str.contains("Bạch Long Vĩ")].iloc[0]
    assert pd.isna(row["status"])
    assert "Thành phố Hải Phòng" in row["tooltip"]
    assert "chưa báo cáo" in row["tooltip"]


def test_stale_units_lists_old_reports_oldest_first():
    from geo.units import communes
    from monitoring.presentation import commune_view, stale_units

    sample = load_sample()
    view = commune_view(sample, DAY, None)
    table = stale_units(view, communes()["name"], DAY)
    assert len(table) == int(view["stale"].sum()) > 0
    assert list(table.columns) == ["Đơn vị", "Tỉnh, thành phố", "Báo cáo gần nhất", "Số ngày"]
    days = table["Số ngày"].tolist()
    assert days == sorted(days, reverse=True)
    assert all(day > 0 for day in days)


def test_stale_legend_entry_only_when_stale():
    from monitoring.presentation import stale_legend_entry

    assert stale_legend_entry(pd.DataFrame({"stale": [False, False]})) is None
    label, _colour, count = stale_legend_entry(pd.DataFrame({"stale": [True, False, True]}), "en")
    assert (label, count) == ("Stale report (faded)", 2)


def test_coverage_table_reproduces_report():
    from monitoring.presentation import coverage_table

    table = coverage_table(load_sample(), DAY)
    assert len(table) == 34
    assert table["Số xã"].sum() == 3321
    assert table["Đã báo cáo"].sum() == 3320
    classes = table["Nhóm"].value_counts()
    assert classes["dưới 10%"] == 9
    assert classes["trên 70%"] == 5
    assert table.iloc[0]["Tỷ lệ xã Xanh"].endswith("%")
    assert "," in table.iloc[0]["Tỷ lệ xã Xanh"]
