"""The maps the pages draw: boundaries cached per server, folium maps built from the
views of `monitoring.presentation`, and the clicked province read back from the browser."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import compact, display, webmap
from geo.display import province_at
from geo.errors import BoundaryError
from monitoring.dataset import Dataset
from monitoring.thresholds import Thresholds
from monitoring.formatting import number
from monitoring.presentation import (
    NO_DATA_COLOR,
    commune_view,
    coverage_legend,
    coverage_view,
    legend_entries,
    province_view,
    stale_legend_entry,
)
from ui.language import text
from ui.page import stop_with_error

log = logging.getLogger(__name__)

MAP_HEIGHT = 640


# Boundaries are cached as resources, shared by all sessions without a copy per run.
# Treat them as read-only.
@st.cache_resource(show_spinner=False)
def load_provinces() -> gpd.GeoDataFrame:
    """Return the 34 province boundaries (columns code, name, geometry)."""
    return display.display_layer("province")


@st.cache_resource(show_spinner=False, max_entries=40)
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


@dataclass(frozen=True)
class MapLayer:
    """A built choropleth layer: the serialised payload the browser decodes, the legend,
    the view it was built from and its bounds (west, south, east, north)."""

    payload: str
    legend: list
    view: pd.DataFrame
    bounds: tuple[float, float, float, float]


PROVINCES = "provinces"
"""Key of the province boundaries in `boundary_layer`; a two-digit code is one province's communes."""

COUNTRY_COMMUNES = "communes"
"""Key of all 3,321 communes in `boundary_layer`."""


def boundary_layer(key: str) -> gpd.GeoDataFrame:
    """Return the boundaries of a layer key: the provinces, all communes, or a province's communes."""
    if key == PROVINCES:
        return boundaries_or_stop(load_provinces)
    return boundaries_or_stop(load_communes, None if key == COUNTRY_COMMUNES else key)


@st.cache_resource(show_spinner=False, max_entries=48)
def layer_topology(key: str) -> compact.Topology:
    """Return the topology of a boundary layer, built once and kept on disk.

    It depends on the boundaries only, so every date, language and data version
    reuses it. The provinces outline themselves and all communes are outlined by
    the provinces, so that islets show; one province's communes are not outlined.
    """
    units = boundary_layer(key)
    if key == PROVINCES:
        outline = compact.OUTLINE_UNITS
    elif key == COUNTRY_COMMUNES:
        outline = boundary_layer(PROVINCES)
    else:
        outline = None
    return compact.cached_topology(units, outline, display.display_cache_dir())


def build_layer(key: str, view: pd.DataFrame, legend: list) -> MapLayer:
    """Join ``view`` (columns code, fill, tooltip, and status or stale as
    `monitoring.presentation` builds them) to the boundaries of ``key`` and encode it.

    Units missing from ``view`` are drawn as "no data".
    """
    units = boundary_layer(key)
    shown = units[["code"]].merge(view, on="code", how="left")
    shown["fill"] = shown["fill"].fillna(NO_DATA_COLOR)
    shown["tooltip"] = shown["tooltip"].fillna("")
    missing = ~shown["code"].isin(view["code"])
    shown["no_data"] = missing | shown["status"].isna() if "status" in shown.columns else missing
    payload = compact.layer_payload(layer_topology(key), compact.encode_styles(shown))
    return MapLayer(payload, legend, view, tuple(float(value) for value in units.to_crs(4326).total_bounds))


def cached_layer(dataset: Dataset, key: tuple, build: Callable[[], MapLayer]) -> MapLayer:
    """Return the layer ``build`` makes, built once per dataset and ``key`` for every viewer."""
    return dataset.memo(("map_layer", *key), build)


def province_status_layer(dataset: Dataset, as_of: pd.Timestamp, lang: str, thresholds: Thresholds | None = None) -> MapLayer:
    """Return the 34 provinces coloured by status, outlined so that islets show; the
    tooltips name the ``thresholds`` (the defaults when None) a province is under."""
    thresholds = thresholds or Thresholds()

    def build() -> MapLayer:
        view = province_view(dataset, as_of, lang, thresholds.low_online, thresholds.june_drop)
        return build_layer(PROVINCES, view, legend_rows(legend_entries(view, lang), view, lang))

    return cached_layer(dataset, ("province_status", as_of, lang, thresholds), build)


def coverage_layer(dataset: Dataset, as_of: pd.Timestamp, lang: str) -> MapLayer:
    """Return the 34 provinces coloured by their share of Xanh communes."""

    def build() -> MapLayer:
        view = coverage_view(dataset, as_of, lang)
        return build_layer(PROVINCES, view, legend_rows(coverage_legend(view, lang), view, lang))

    return cached_layer(dataset, ("coverage", as_of, lang), build)


def communes_layer(dataset: Dataset, as_of: pd.Timestamp, province: str | None, lang: str) -> MapLayer:
    """Return the communes of ``province`` (of the country when None) coloured by status."""

    def build() -> MapLayer:
        view = commune_view(dataset, as_of, province, lang)
        return build_layer(province or COUNTRY_COMMUNES, view, legend_rows(legend_entries(view, lang), view, lang))

    return cached_layer(dataset, ("communes", as_of, province, lang), build)


def filled_map(layer: MapLayer, legend_title: str, *, fit: bool = False, border_weight: float = 1) -> folium.Map:
    """Build a map around a built layer, with its legend. ``fit`` zooms to the layer's
    units; ``border_weight`` is the width of unit borders in pixels."""
    m = webmap.base_map(static_url=webmap.static_url(st.get_option("server.baseUrlPath")), lang=text("vi", "en"))
    compact.add_compact_layer(m, layer.payload, webmap.compact_style(border_weight))
    webmap.add_legend(m, legend_title, layer.legend)
    if fit:
        west, south, east, north = layer.bounds
        m.fit_bounds([[south, west], [north, east]])
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
