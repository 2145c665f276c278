"""The maps the pages draw: boundaries cached per server, folium maps built from the
views of `monitoring.presentation`, and the clicked province read back from the browser."""

from __future__ import annotations

import logging

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import display, webmap
from geo.display import province_at
from geo.errors import BoundaryError
from monitoring.formatting import number
from monitoring.presentation import NO_DATA_COLOR, stale_legend_entry
from ui.language import text
from ui.page import stop_with_error

log = logging.getLogger(__name__)

MAP_HEIGHT = 640


@st.cache_data(show_spinner=False)
def load_provinces() -> gpd.GeoDataFrame:
    """Return the 34 province boundaries (columns code, name, geometry)."""
    return display.display_layer("province")


@st.cache_data(show_spinner=False)
def load_communes(province: str | None) -> gpd.GeoDataFrame:
    """Return the commune boundaries of one province, or of the whole country when None."""
    if province is None:
        return display.display_layer("commune")
    return display.display_layer("commune", province=province)


def boundaries_or_stop(load, *args) -> gpd.GeoDataFrame:
    """Return ``load(*args)``, or show why the boundaries failed to load and end this run."""
    try:
        with st.spinner(text("Đang tải ranh giới hành chính…", "Loading the boundaries…")):
            return load(*args)
    except BoundaryError as error:
        log.error("Failed to load the boundaries: %s", error.message("en"))
        stop_with_error(text("Không tải được ranh giới hành chính. ", "Failed to load the boundaries. ") + error.message(text("vi", "en")))


def legend_rows(entries: list[tuple[str, str, int]], view: pd.DataFrame, lang: str) -> list[tuple[str, str, str]]:
    """Format the counts of legend entries, adding a row for stale units when there are any."""
    stale = stale_legend_entry(view, lang) if "stale" in view.columns else None
    rows = [*entries, stale] if stale else entries
    return [(label, color, number(count, lang)) for label, color, count in rows]


def filled_map(
    units: gpd.GeoDataFrame,
    view: pd.DataFrame,
    layer_name: str,
    legend_title: str,
    legend: list,
    *,
    outline: gpd.GeoDataFrame | None = None,
    fit: bool = False,
    border_weight: float = 1,
) -> folium.Map:
    """Build a map of ``units`` filled from ``view`` (columns code, fill, tooltip, status or
    stale as `monitoring.presentation` builds them), with a legend.

    Units missing from ``view`` are drawn as "no data". ``outline`` draws those boundaries
    under the fills, so that small islands stay visible. ``fit`` zooms to ``units``.
    ``border_weight`` is the width of unit borders in pixels.
    """
    m = webmap.base_map(static_url=webmap.static_url(st.get_option("server.baseUrlPath")), lang=text("vi", "en"))
    shown = units.merge(view, on="code", how="left")
    shown["fill"] = shown["fill"].fillna(NO_DATA_COLOR)
    shown["tooltip"] = shown["tooltip"].fillna("")
    shown["no_data"] = shown["status"].isna() if "status" in shown.columns else False
    if outline is not None:
        webmap.outline_layer(outline).add_to(m)
    webmap.status_layer(shown, name=layer_name, border_weight=border_weight).add_to(m)
    webmap.add_legend(m, legend_title, legend)
    if fit:
        minx, miny, maxx, maxy = units.to_crs(4326).total_bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def show_map(m: folium.Map, key: str, clickable: bool = False) -> dict | None:
    """Draw ``m``. Only clicks come back from the browser, so panning and zooming don't rerun the page."""
    return st_folium(
        m,
        key=key,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked"] if clickable else [],
    )


def clicked_province(result: dict | None, provinces: gpd.GeoDataFrame) -> str | None:
    """Return the code of the province under the point clicked on a map, or None.

    Only the clicked point comes back from the browser (``last_object_clicked``); the
    province is looked up here in the same boundaries the map draws.
    """
    clicked = (result or {}).get("last_object_clicked") or {}
    if "lat" not in clicked or "lng" not in clicked:
        return None
    return province_at(provinces, clicked["lat"], clicked["lng"])


def map_download(m: folium.Map, file_stem: str, key: str) -> None:
    """Draw the button that downloads ``m`` as one HTML file that works offline."""
    st.download_button(
        text("Tải bản đồ (HTML, dùng được khi không có mạng)", "Download the map (HTML, works offline)"),
        data=lambda: webmap.map_html(m),
        file_name=f"{file_stem}.html",
        mime="text/html",
        key=key,
        on_click="ignore",
        icon=":material/map:",
    )
