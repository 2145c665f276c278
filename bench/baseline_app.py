"""The benchmark's baseline: the same three maps built the way a typical dashboard
author would build them.

Each run reads the full-detail GeoJSON converted from the boundary source, joins the
status of the chosen report date, and draws it with a plain folium ``GeoJson``
layer and a ``GeoJsonTooltip``, through ``st_folium`` with its default returned
objects. Nothing is cached. ``bench/run.py`` opens it with ``?map=provinces``,
``?map=communes_national`` or ``?map=communes_province&province=NN``.
"""

from __future__ import annotations

import os
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from monitoring.dataset import load_sample
from monitoring.summary import commune_status, province_status

REPORT_DATE = pd.Timestamp("2025-07-15")
COLOURS = {"xanh": "#1a9850", "vang": "#fdb42f", "do": "#d73027"}

folder = Path(os.environ["DXMAP_BENCH_GEOJSON_DIR"])
chosen = st.query_params.get("map", "provinces")
dataset = load_sample()

if chosen == "provinces":
    shapes = gpd.read_file(folder / "provinces.geojson")
    status = province_status(dataset, REPORT_DATE)["status"]
else:
    shapes = gpd.read_file(folder / "communes.geojson")
    status = commune_status(dataset, REPORT_DATE)["status"]
    if chosen == "communes_province":
        shapes = shapes[shapes["source_province_code"] == st.query_params["province"]]

shapes["status"] = shapes["source_code"].map(status).fillna("").astype(str)
m = folium.Map(location=[16, 106], zoom_start=5, tiles=None)
folium.GeoJson(
    shapes,
    style_function=lambda feature: {
        "fillColor": COLOURS.get(feature["properties"]["status"], "#f4f4f4"),
        "color": "#ffffff",
        "weight": 1,
        "fillOpacity": 0.9,
    },
    tooltip=folium.GeoJsonTooltip(fields=["name", "status"]),
).add_to(m)
st_folium(m, height=640, use_container_width=True)
