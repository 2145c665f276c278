"""Bản đồ giám sát chuyển đổi số: the national monitoring map of the 34 provinces.

Run with ``streamlit run app.py``. The map loads Leaflet from this server's
``static/`` folder (see `geo.webmap`), so it draws with no internet access.
"""

from __future__ import annotations

import logging
from pathlib import Path

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo import display, webmap
from geo.errors import BoundaryError

log = logging.getLogger(__name__)

TITLE = "Bản đồ giám sát chuyển đổi số"
STATIC_DIR = Path(__file__).parent / "static"
MAP_HEIGHT = 640


@st.cache_resource
def install_map_libraries() -> None:
    """Copy Leaflet and jQuery into static/vendor/ once per server process."""
    webmap.install_static_assets(STATIC_DIR)


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


def stop_with_error(message: str) -> None:
    """Show a Vietnamese error in place of the map and end this run."""
    st.error(message)
    st.stop()


st.set_page_config(page_title=TITLE, layout="wide")
st.title(TITLE)

if not st.get_option("server.enableStaticServing"):
    log.error("server.enableStaticServing is off, so the browser cannot load Leaflet from static/vendor/")
    stop_with_error(
        "Không hiển thị được bản đồ: máy chủ chưa bật phục vụ tệp tĩnh, nên trình duyệt "
        "không tải được thư viện Leaflet. Hãy chạy `streamlit run app.py` với tệp "
        ".streamlit/config.toml của dự án (có `enableStaticServing = true`), hoặc thêm "
        "tham số `--server.enableStaticServing true`."
    )

try:
    install_map_libraries()
except OSError as error:
    log.error("Failed to copy the map libraries into %s: %s", STATIC_DIR / webmap.VENDOR_DIR, error)
    stop_with_error(
        f"Không chép được thư viện bản đồ (Leaflet, jQuery) vào {STATIC_DIR / webmap.VENDOR_DIR}: "
        f"{error}. Hãy cho phép ứng dụng ghi vào thư mục này rồi khởi động lại."
    )

try:
    provinces = load_provinces()
except BoundaryError as error:
    log.error("Failed to load the province boundaries: %s", error.message("en"))
    stop_with_error(f"Không tải được ranh giới tỉnh, thành phố. {error}")

st_folium(
    province_map(provinces),
    key="province_map",
    height=MAP_HEIGHT,
    use_container_width=True,
    returned_objects=[],
)

st.download_button(
    "Tải bản đồ (HTML, dùng được khi không có mạng)",
    data=lambda: webmap.map_html(province_map(provinces)),
    file_name="ban-do-chuyen-doi-so.html",
    mime="text/html",
    on_click="ignore",
)
