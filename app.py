"""Bản đồ giám sát chuyển đổi số: the overview page with the national map of the 34 provinces.

Run with ``streamlit run app.py``. The other pages live in ``pages/``; `ui.page`
sets up each of them. The map loads Leaflet from this server's ``static/`` folder
(see `geo.webmap`), so it draws with no internet access.
"""

from __future__ import annotations

import logging

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import display, webmap
from geo.errors import BoundaryError
from geo.display import province_at
from monitoring.formatting import number, percent, provenance_text
from monitoring.model import PROVINCE_STATUS
from monitoring.presentation import (
    NO_DATA_COLOR,
    commune_table,
    commune_view,
    coverage_legend,
    coverage_view,
    legend_entries,
    province_view,
)
from monitoring.summary import headline, previous_report_date
from ui.data import current_dataset
from ui.language import text
from ui.filters import report_date_or_stop
from ui.page import setup_page

log = logging.getLogger(__name__)

MAP_HEIGHT = 640


@st.cache_data(show_spinner="Đang tải ranh giới tỉnh, thành phố…")
def load_provinces() -> gpd.GeoDataFrame:
    """Return the 34 province boundaries (columns code, name, geometry)."""
    return display.display_layer("province")


LAYERS = ("status", "coverage")


def province_map(provinces: gpd.GeoDataFrame, view: pd.DataFrame, legend: list, title: str) -> folium.Map:
    """Build the national map: provinces filled from ``view``, with a legend of counts."""
    static_url = webmap.static_url(st.get_option("server.baseUrlPath"))
    m = webmap.base_map(static_url=static_url)
    units = provinces.merge(view, on="code", how="left")
    units["no_data"] = units["status"].isna() if "status" in units.columns else False
    webmap.outline_layer(provinces).add_to(m)
    webmap.status_layer(units, name=title).add_to(m)
    webmap.add_legend(m, title, legend)
    return m


def map_layer_selector(lang: str) -> str:
    """Draw the choice of national layer; the choice lives in the URL (``?layer=coverage``)."""
    requested = st.query_params.get("layer")
    labels = {
        "status": text("Trạng thái tỉnh", "Province status"),
        "coverage": text("Tỷ lệ xã Xanh", "Share of communes green"),
    }
    chosen = st.radio(
        text("Lớp bản đồ", "Map layer"),
        LAYERS,
        index=LAYERS.index(requested) if requested in LAYERS else 0,
        format_func=labels.get,
        horizontal=True,
        key="map_layer",
    )
    st.query_params["layer"] = chosen
    return chosen


def national_view(dataset, as_of: pd.Timestamp, layer: str, lang: str) -> tuple[pd.DataFrame, list, str]:
    """Return the view, legend entries and title of the chosen national layer."""
    if layer == "coverage":
        view = coverage_view(dataset, as_of, lang)
        entries = coverage_legend(view, lang)
        title = text("Tỷ lệ xã Xanh", "Share of communes green")
    else:
        view = province_view(dataset, as_of, lang)
        entries = legend_entries(view, lang)
        title = text("Tỉnh, thành phố", "Provinces")
    return view, [(label, color, number(count, lang)) for label, color, count in entries], title


@st.cache_data(show_spinner="Đang tải ranh giới xã, phường…")
def load_communes(province: str) -> gpd.GeoDataFrame:
    """Return the commune boundaries of one province."""
    return display.display_layer("commune", province=province)


def commune_map(province: str, view: pd.DataFrame, lang: str) -> folium.Map:
    """Build the map of one province's communes coloured by status, fitted to the province."""
    static_url = webmap.static_url(st.get_option("server.baseUrlPath"))
    communes = load_communes(province)
    m = webmap.base_map(static_url=static_url)
    units = communes.merge(view, on="code", how="left")
    units["fill"] = units["fill"].fillna(NO_DATA_COLOR)
    units["tooltip"] = units["tooltip"].fillna("")
    units["no_data"] = units["status"].isna()
    webmap.status_layer(units, name=text("Trạng thái xã", "Commune status")).add_to(m)
    entries = [(label, color, number(count, lang)) for label, color, count in legend_entries(view, lang)]
    webmap.add_legend(m, text("Xã, phường", "Communes"), entries)
    minx, miny, maxx, maxy = communes.to_crs(4326).total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def selected_province(provinces: gpd.GeoDataFrame) -> str | None:
    """Return the province chosen in the URL (``?province=91``), or None for the country."""
    code = st.query_params.get("province")
    return code if code in set(provinces["code"]) else None


def open_clicked_province(result: dict | None, provinces: gpd.GeoDataFrame) -> None:
    """Drill down to the province under the point clicked on the national map.

    Only the clicked point comes back from the browser (``last_object_clicked``); the
    province is looked up here in the same boundaries the map draws.
    """
    clicked = (result or {}).get("last_object_clicked") or {}
    if "lat" not in clicked or "lng" not in clicked:
        return
    code = province_at(provinces, clicked["lat"], clicked["lng"])
    if code is not None:
        st.query_params["province"] = code
        st.rerun()


def back_to_country() -> None:
    """Return to the national map with a fresh map widget, so the last click is forgotten."""
    st.query_params.pop("province", None)
    st.session_state["map_generation"] = st.session_state.get("map_generation", 0) + 1
    st.rerun()


def show_headline(dataset, as_of: pd.Timestamp, lang: str) -> None:
    """Show the headline figures with their change since the previous report."""
    figures = headline(dataset, as_of)
    previous_date = previous_report_date(dataset, as_of)
    before = headline(dataset, previous_date) if previous_date is not None else None

    provinces_total = sum(figures["provinces"].values())
    reported = figures["communes_reported"]
    columns = st.columns(4)
    columns[0].metric(
        text("Tỉnh, thành phố Xanh", "Provinces green"),
        f"{figures['provinces']['xanh']}/{provinces_total}",
        _delta(figures["provinces"]["xanh"], before and before["provinces"]["xanh"], lang),
    )
    columns[1].metric(
        text("Xã, phường đã báo cáo", "Communes reported"),
        f"{number(reported, lang)}/{number(figures['communes_total'], lang)}",
        _delta(reported, before and before["communes_reported"], lang),
    )
    columns[2].metric(
        text("Tỷ lệ nộp trực tuyến", "Online filing rate"),
        percent(figures["online_rate"], lang),
        _delta_percent(figures["online_rate"], before and before["online_rate"], lang),
    )
    columns[3].metric(
        text("Nhiệm vụ quá hạn", "Overdue tasks"),
        number(figures["tasks_overdue"], lang),
        _delta(figures["tasks_overdue"], before and before["tasks_overdue"], lang),
        delta_color="inverse",
    )


def _delta(now: int, before: int | None, lang: str) -> str | None:
    if before is None:
        return None
    change = now - before
    return f"{'+' if change > 0 else ''}{number(change, lang)}"


def _delta_percent(now: float | None, before: float | None, lang: str) -> str | None:
    if now is None or before is None:
        return None
    points = (now - before) * 100
    return f"{'+' if points > 0 else ''}{number(round(points, 1), lang)} " + text("điểm %", "pts")


lang = setup_page()
dataset = current_dataset()
st.caption(provenance_text(dataset.provenance.get(PROVINCE_STATUS), lang))

as_of = report_date_or_stop(dataset, lang)
show_headline(dataset, as_of, lang)

try:
    provinces = load_provinces()
except BoundaryError as error:
    log.error("Failed to load the province boundaries: %s", error.message("en"))
    st.error(
        text("Không tải được ranh giới tỉnh, thành phố. ", "Failed to load the province boundaries. ")
        + error.message(lang)
    )
    st.stop()

province = selected_province(provinces)
if province is None:
    layer = map_layer_selector(lang)
    view, legend, title = national_view(dataset, as_of, layer, lang)
    shown_map = province_map(provinces, view, legend, title)
    result = st_folium(
        shown_map,
        key=f"province_map_{st.session_state.get('map_generation', 0)}",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
    )
    open_clicked_province(result, provinces)
else:
    name = provinces.set_index("code").at[province, "name"]
    if st.button(text("← Toàn quốc", "← Whole country"), key="back_to_country"):
        back_to_country()
    st.subheader(name)
    shown_map = commune_map(province, commune_view(dataset, as_of, province, lang), lang)
    st_folium(
        shown_map,
        key=f"commune_map_{province}",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=[],
    )
    communes_view = commune_view(dataset, as_of, province, lang)
    st.dataframe(
        commune_table(communes_view, load_communes(province).set_index("code")["name"], lang),
        hide_index=True,
        width="stretch",
    )

st.download_button(
    text("Tải bản đồ (HTML, dùng được khi không có mạng)", "Download the map (HTML, works offline)"),
    data=lambda: webmap.map_html(shown_map),
    file_name="ban-do-chuyen-doi-so.html" if lang == "vi" else "digital-transformation-map.html",
    mime="text/html",
    on_click="ignore",
)
