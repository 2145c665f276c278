"""Bản đồ giám sát chuyển đổi số: the overview page with the national map of the 34 provinces.

Run with ``streamlit run app.py``. The other pages live in ``pages/``; `ui.page`
sets up each of them. The map loads Leaflet from this server's ``static/`` folder
(see `geo.webmap`), so it draws with no internet access.
"""

from __future__ import annotations

import logging

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo import display, webmap
from geo.errors import BoundaryError
from monitoring.formatting import provenance_text
from monitoring.model import PROVINCE_STATUS
from ui.data import current_dataset
from ui.language import text
from ui.page import setup_page

log = logging.getLogger(__name__)

MAP_HEIGHT = 640


@st.cache_data(show_spinner="Đang tải ranh giới tỉnh, thành phố…")
def load_provinces() -> gpd.GeoDataFrame:
    """Return the 34 province boundaries (columns code, name, geometry)."""
    return display.display_layer("province")


def province_map(provinces: gpd.GeoDataFrame) -> folium.Map:
    """Build the map of the provinces, with library URLs under this server's base path."""
    static_url = webmap.static_url(st.get_option("server.baseUrlPath"))
    m = webmap.base_map(static_url=static_url)
    webmap.outline_layer(provinces).add_to(m)
    webmap.province_layer(provinces).add_to(m)
    return m


lang = setup_page()
st.caption(provenance_text(current_dataset().provenance.get(PROVINCE_STATUS), lang))

try:
    provinces = load_provinces()
except BoundaryError as error:
    log.error("Failed to load the province boundaries: %s", error.message("en"))
    st.error(
        text("Không tải được ranh giới tỉnh, thành phố. ", "Failed to load the province boundaries. ")
        + error.message(lang)
    )
    st.stop()

st_folium(
    province_map(provinces),
    key="province_map",
    height=MAP_HEIGHT,
    use_container_width=True,
    returned_objects=[],
)

st.download_button(
    text("Tải bản đồ (HTML, dùng được khi không có mạng)", "Download the map (HTML, works offline)"),
    data=lambda: webmap.map_html(province_map(provinces)),
    file_name="ban-do-chuyen-doi-so.html",
    mime="text/html",
    on_click="ignore",
)
