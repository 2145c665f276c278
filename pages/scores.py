"""Chỉ số 766: the portal's service-index scores on the map, for provinces and, where
present, the communes of a province."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo import display, webmap
from geo.units import provinces
from monitoring.formatting import number, provenance_text
from monitoring.model import SCORES
from monitoring.presentation import provinces_with_commune_scores, score_legend, score_rows, score_view
from ui.data import current_dataset
from ui.language import text
from ui.page import setup_page

MAP_HEIGHT = 600

lang = setup_page()
dataset = current_dataset()
st.header(text("Chỉ số 766", "766 index"))
st.caption(provenance_text(dataset.provenance.get(SCORES), lang))

scores = dataset[SCORES]
if scores.empty:
    st.info(text("Chưa có điểm chỉ số 766 nào trong dữ liệu.", "The data has no 766 scores yet."))
    st.stop()

periods = sorted(scores["period"].unique(), reverse=True)
requested = st.query_params.get("period")
period = st.selectbox(
    text("Kỳ đánh giá", "Period"), periods, index=periods.index(requested) if requested in periods else 0, key="period"
)
st.query_params["period"] = period
in_period = scores[scores["period"] == period]

options = [None, *provinces_with_commune_scores(in_period)]
requested_province = st.query_params.get("province")
province = st.selectbox(
    text("Xã, phường của tỉnh", "Communes of province"),
    options,
    index=options.index(requested_province) if requested_province in options else 0,
    format_func=lambda code: text("— Toàn quốc (tỉnh, thành phố) —", "— Whole country (provinces) —")
    if code is None
    else provinces().at[code, "name"],
    key="score_province",
)
if province is None:
    st.query_params.pop("province", None)
else:
    st.query_params["province"] = province


@st.cache_data(show_spinner=False)
def load_layer(province: str | None) -> gpd.GeoDataFrame:
    """Return the province boundaries, or the communes of one province."""
    if province is None:
        return display.display_layer("province")
    return display.display_layer("commune", province=province)


rows, names = score_rows(in_period, province)
view = score_view(rows, names, lang)

units = load_layer(province).merge(view, on="code", how="inner")
m = webmap.base_map(static_url=webmap.static_url(st.get_option("server.baseUrlPath")), lang=lang)
webmap.status_layer(units, name=text("Điểm 766", "766 score")).add_to(m)
legend = [(label, color, number(count, lang)) for label, color, count in score_legend(view, lang)]
webmap.add_legend(m, text("Tổng điểm (trên 100)", "Total score (of 100)"), legend)
if province is not None:
    minx, miny, maxx, maxy = units.to_crs(4326).total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
st_folium(m, key=f"score_map_{province}_{period}", height=MAP_HEIGHT, use_container_width=True, returned_objects=[])

table = rows.assign(name=rows["unit_code"].map(names)).sort_values("total", ascending=False)
st.dataframe(
    table[["name", "tdgq", "mdhl", "mdsh", "tttt", "clgq", "ckmb", "total"]].rename(
        columns={"name": text("Đơn vị", "Unit"), "total": text("Tổng điểm", "Total")}
    ),
    hide_index=True,
    width="stretch",
)
