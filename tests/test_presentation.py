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
