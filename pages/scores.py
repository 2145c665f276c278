"""Chỉ số 766: the portal's service-index scores on the map, for provinces and, where
present, the communes of a province."""

from __future__ import annotations

import streamlit as st

from geo.units import provinces
from monitoring.formatting import number, period_label
from monitoring.model import SCORES
from monitoring.presentation import (
    NO_DATA_COLOR,
    provinces_with_commune_scores,
    score_legend,
    score_rows,
    score_view,
    status_label,
)
from ui.data import current_dataset, show_provenance
from ui.maps import PROVINCES, MapLayer, boundary_layer, build_layer, cached_layer, filled_map, show_map
from ui.language import text
from ui.page import setup_page

lang = setup_page()
dataset = current_dataset()
st.header(text("Chỉ số 766", "766 index"))
show_provenance(dataset, SCORES, lang)

scores = dataset[SCORES]
if scores.empty:
    st.info(text("Chưa có điểm chỉ số 766 nào trong dữ liệu.", "The data has no 766 scores yet."))
    st.stop()

periods = sorted(scores["period"].unique(), reverse=True)
requested = st.query_params.get("period")
period = st.selectbox(
    text("Kỳ đánh giá", "Period"),
    periods,
    index=periods.index(requested) if requested in periods else 0,
    format_func=lambda value: period_label(value, lang),
    key="period",
)
st.query_params["period"] = period
in_period = scores[scores["period"] == period]

# The whole country is an empty string, not None, which Streamlit shows as no choice.
options = ["", *provinces_with_commune_scores(in_period)]
requested_province = st.query_params.get("province")
province = st.selectbox(
    text("Xã, phường của tỉnh", "Communes of province"),
    options,
    index=options.index(requested_province) if requested_province in options else 0,
    format_func=lambda code: text("— Toàn quốc (tỉnh, thành phố) —", "— Whole country (provinces) —")
    if code == ""
    else provinces().at[code, "name"],
    key="score_province",
) or None
if province is None:
    st.query_params.pop("province", None)
else:
    st.query_params["province"] = province


def score_layer(province: str | None) -> MapLayer:
    """Return the scored units of ``province`` (the provinces when None) as a map layer."""

    def build() -> MapLayer:
        view = score_view(rows, names, lang)
        legend = [(label, color, number(count, lang)) for label, color, count in score_legend(view, lang)]
        unscored = len(boundary_layer(province or PROVINCES)) - len(view)
        if unscored:
            legend.append((status_label(None, lang), NO_DATA_COLOR, number(unscored, lang)))
        return build_layer(province or PROVINCES, view, legend)

    return cached_layer(dataset, ("scores", period, province, lang), build)


rows, names = score_rows(in_period, province)
built = score_layer(province)
m = filled_map(built, text("Tổng điểm (trên 100)", "Total score (of 100)"), fit=province is not None)
show_map(m, key=f"score_map_{province}_{period}")

table = rows.assign(name=rows["unit_code"].map(names)).sort_values("total", ascending=False)
st.dataframe(
    table[["name", "tdgq", "mdhl", "mdsh", "tttt", "clgq", "ckmb", "total"]].rename(
        columns={"name": text("Đơn vị", "Unit"), "total": text("Tổng điểm", "Total")}
    ),
    hide_index=True,
    width="stretch",
)
