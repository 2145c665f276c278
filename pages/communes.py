"""Xã, phường: the communes of one province or of the whole country coloured by status,
the coverage of each province, and what each commune lacks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.units import communes, provinces
from monitoring.formatting import number, percent
from monitoring.model import COMMUNE_STATUS, DO, VANG, XANH
from monitoring.presentation import commune_table, coverage_table, stale_units
from monitoring.summary import coverage
from ui.data import current_dataset, show_provenance
from ui.downloads import download_table
from ui.filters import choice_in_url, province_from_url, report_date_or_stop
from ui.language import text
from ui.maps import (
    boundaries_or_stop,
    clicked_province,
    communes_layer,
    coverage_layer,
    filled_map,
    load_provinces,
    map_download,
    show_map,
)
from ui.page import setup_page

PROVINCE_KEY = "communes_province"

# Select-box value of the whole country. Not None, which Streamlit shows as no choice.
WHOLE_COUNTRY = ""

# Commune border width on the national map, thin so that small communes show their fill.
NATIONAL_BORDER_WEIGHT = 0.3


def province_to_url() -> None:
    """Put the province chosen in the select box into the URL (None: the whole country)."""
    chosen = st.session_state[PROVINCE_KEY]
    if chosen == WHOLE_COUNTRY:
        st.query_params.pop("province", None)
    else:
        st.query_params["province"] = chosen


def province_selector() -> str | None:
    """Draw the choice of province; the URL (``?province=NN``) is where the choice lives."""
    names = provinces()["name"]
    from_url = province_from_url(set(names.index)) or WHOLE_COUNTRY
    if st.session_state.get(PROVINCE_KEY) != from_url:
        st.session_state[PROVINCE_KEY] = from_url
    chosen = st.selectbox(
        text("Tỉnh, thành phố", "Province"),
        [WHOLE_COUNTRY, *names.index],
        format_func=lambda code: text("— Toàn quốc —", "— Whole country —") if code == WHOLE_COUNTRY else names[code],
        key=PROVINCE_KEY,
        on_change=province_to_url,
    )
    return chosen or None


def layer_selector() -> str:
    """Draw the choice of national layer, kept in the URL (``?layer=coverage``)."""
    labels = {
        "status": text("Trạng thái từng xã", "Status of each commune"),
        "coverage": text("Tỷ lệ xã Xanh theo tỉnh", "Share of communes green per province"),
    }
    return choice_in_url("layer", text("Lớp bản đồ", "Map layer"), labels, key="communes_layer")


def show_stale(table: pd.DataFrame, file_stem: str) -> None:
    """List the communes whose last report is older than the report date."""
    label = text(f"Báo cáo cũ: {len(table)} xã, phường", f"Stale reports: {len(table)} communes")
    with st.expander(label, icon=":material/history:"):
        if table.empty:
            st.write(text("Mọi xã, phường đã báo cáo đến ngày đã chọn.", "Every commune has reported up to the chosen date."))
            return
        st.dataframe(table, hide_index=True, width="stretch")
        download_table(table, file_stem, "stale")


def country_page(dataset, as_of: pd.Timestamp, lang: str):
    """Draw the whole country: communes or coverage on the map, and the coverage table."""
    layer = layer_selector()
    province_shapes = boundaries_or_stop(load_provinces)
    if layer == "coverage":
        shown = filled_map(coverage_layer(dataset, as_of, lang), text("Tỷ lệ xã Xanh", "Share of communes green"))
    else:
        built = communes_layer(dataset, as_of, None, lang)
        shown = filled_map(built, text("Xã, phường", "Communes"), border_weight=NATIONAL_BORDER_WEIGHT)
    result = show_map(shown, key=f"communes_country_{layer}", clickable=True)
    clicked = clicked_province(result, province_shapes)
    if clicked is not None:
        st.query_params["province"] = clicked
        st.rerun()
    st.caption(text("Bấm vào một tỉnh để xem các xã, phường của tỉnh.", "Click a province to see its communes."))

    st.subheader(text("Tỷ lệ xã Xanh theo tỉnh", "Share of communes green per province"))
    table = dataset.memo(("coverage_table", as_of, lang), lambda: coverage_table(dataset, as_of, lang))
    st.dataframe(table, hide_index=True, width="stretch")
    download_table(table, f"ty_le_xa_xanh_{as_of:%Y-%m-%d}", "coverage")
    national = communes_layer(dataset, as_of, None, lang).view
    show_stale(stale_units(national, communes()["name"], as_of, lang), f"bao_cao_cu_xa_{as_of:%Y-%m-%d}")
    return shown


def province_metrics(dataset, as_of: pd.Timestamp, province: str, lang: str) -> None:
    """Show a province's coverage: share of communes Xanh and communes per status."""
    row = coverage(dataset, as_of).loc[province]
    columns = st.columns(4)
    columns[0].metric(text("Tỷ lệ xã Xanh", "Share of communes green"), percent(float(row["share_xanh"]), lang))
    columns[1].metric(text("Xã Xanh", "Communes green"), f"{number(int(row[XANH]), lang)}/{number(int(row['communes']), lang)}")
    columns[2].metric(text("Xã Vàng / Đỏ", "Communes yellow / red"), f"{number(int(row[VANG]), lang)} / {number(int(row[DO]), lang)}")
    columns[3].metric(
        text("Xã đã báo cáo", "Communes reported"), f"{number(int(row['reported']), lang)}/{number(int(row['communes']), lang)}"
    )


def province_page(dataset, as_of: pd.Timestamp, province: str, lang: str):
    """Draw one province: its coverage, its communes on the map and what each lacks."""
    province_metrics(dataset, as_of, province, lang)
    built = communes_layer(dataset, as_of, province, lang)
    view = built.view
    shown = filled_map(built, text("Xã, phường", "Communes"), fit=True)
    show_map(shown, key=f"communes_province_{province}")

    names = communes()["name"]
    st.subheader(text("Các xã, phường và điều kiện còn thiếu", "Communes and the conditions they lack"))
    table = commune_table(view, names, lang)
    st.dataframe(table, hide_index=True, width="stretch")
    download_table(table, f"xa_phuong_{province}_{as_of:%Y-%m-%d}", "communes")
    show_stale(stale_units(view, names, as_of, lang), f"bao_cao_cu_xa_{province}_{as_of:%Y-%m-%d}")
    return shown


lang = setup_page()
dataset = current_dataset()
st.header(text("Xã, phường", "Communes"))
show_provenance(dataset, COMMUNE_STATUS, lang)

as_of = report_date_or_stop(dataset, lang)
province = province_selector()
if province is None:
    shown_map = country_page(dataset, as_of, lang)
else:
    shown_map = province_page(dataset, as_of, province, lang)
map_download(shown_map, text("ban-do-xa-phuong", "communes-map"), "map_html")
