"""Hồ sơ trực tuyến: provinces ranked by online filing, one province's communes and days
of filing, and readiness against online filing.

The province shown in detail lives in the URL (``?province=38``). Clicking its bar on
the ranking chart or choosing it in the list sets it.
"""

from __future__ import annotations

from functools import partial

import altair as alt
import pandas as pd
import streamlit as st

from monitoring.charts import (
    clicked_province,
    commune_online_rates,
    daily_online,
    download_view,
    filing_ranking,
    header,
    june_comparison,
    june_comparison_text,
    province_names,
    rank_change_text,
    ranking_screen_table,
    ranking_table,
    readiness_and_filing,
    readiness_table,
    screen_view,
)
from monitoring.formatting import day, number, percent, threshold_percent
from monitoring.summary import national_online_rate
from monitoring.model import FILING
from ui.data import current_dataset, show_provenance, thresholds_or_stop
from ui.downloads import download_table
from ui.filters import province_from_url, report_date_or_stop
from ui.language import text
from ui.page import setup_page

PROVINCE_CHOICE = "filing_province"
CHART_GENERATION = "filing_chart_generation"

# Communes in the drill-down's bar chart: the lowest rates. The table lists every commune.
LOWEST_COMMUNES_CHARTED = 20

# Select-box value of "all provinces". Not None, which Streamlit shows as no choice.
ALL_PROVINCES = ""


def chosen_province(names: dict[str, str]) -> str | None:
    """Return the province in the URL (``?province=38``), or None for an unknown or missing code."""
    return province_from_url(names)


def show_province(code: str | None) -> None:
    """Put ``code`` in the URL (None removes it) and redraw the chart without its old selection."""
    if code is None:
        st.query_params.pop("province", None)
    else:
        st.query_params["province"] = code
    st.session_state[CHART_GENERATION] = st.session_state.get(CHART_GENERATION, 0) + 1


def open_chosen_province() -> None:
    show_province(st.session_state[PROVINCE_CHOICE] or None)


def open_clicked_province(chart_key: str, names: dict[str, str]) -> None:
    selection = st.session_state[chart_key].selection
    show_province(clicked_province(dict(selection), names))


def province_selector(names: dict[str, str], province: str | None) -> None:
    """Draw the list of provinces, kept in step with the URL."""
    shown = province or ALL_PROVINCES
    if st.session_state.get(PROVINCE_CHOICE) != shown:
        st.session_state[PROVINCE_CHOICE] = shown
    everywhere = text("— Tất cả tỉnh, thành phố —", "— All provinces —")
    st.selectbox(
        text("Xem chi tiết tỉnh, thành phố", "Province in detail"),
        [ALL_PROVINCES, *names],
        format_func=lambda code: everywhere if code == ALL_PROVINCES else names[code],
        key=PROVINCE_CHOICE,
        on_change=open_chosen_province,
    )


def ranking_chart(ranking: pd.DataFrame, national: float | None, province: str | None, lang: str) -> alt.LayerChart:
    """Build the ranking bars, the chosen province's bar highlighted, with the national average as a rule."""
    rate_label = header("rate", lang)
    province_label = header("province", lang)
    bars_data = ranking.assign(
        label=[percent(value, lang) for value in ranking["rate"]],
        change=[rank_change_text(change) for change in ranking["rank_change"]],
        chosen=ranking["province_code"] == province,
    )
    click = alt.selection_point(name="province", fields=["province_code"])
    bars = (
        alt.Chart(bars_data)
        .mark_bar(cursor="pointer")
        .encode(
            x=alt.X("rate:Q", title=rate_label, axis=alt.Axis(format="%")),
            y=alt.Y("name:N", sort=list(ranking["name"]), title=province_label, axis=alt.Axis(labelLimit=240)),
            color=alt.condition(alt.datum.chosen, alt.value("#08519c"), alt.value("#1a9850")),
            tooltip=[
                alt.Tooltip("name:N", title=province_label),
                alt.Tooltip("label:N", title=rate_label),
                alt.Tooltip("rank:Q", title=header("rank", lang)),
                alt.Tooltip("change:N", title=header("rank_change", lang)),
            ],
        )
        .add_params(click)
    )
    average = alt.Chart(pd.DataFrame({"rate": [national or 0.0]})).mark_rule(color="#333333", strokeDash=[4, 3]).encode(x="rate:Q")
    return (bars + average).properties(height=24 * len(ranking))


def commune_chart(rates: pd.DataFrame, lang: str) -> alt.Chart:
    """Build one bar per commune with dossiers, lowest online rate at the top."""
    plotted = rates[rates["rate"].notna()].reset_index()
    plotted["rate"] = plotted["rate"].astype(float)
    plotted["label"] = [percent(value, lang) for value in plotted["rate"]]
    return (
        alt.Chart(plotted)
        .mark_bar(color="#1a9850")
        .encode(
            x=alt.X("rate:Q", title=header("rate", lang), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("commune:N", sort=list(plotted["commune"]), title=header("commune", lang), axis=alt.Axis(labelLimit=200)),
            tooltip=[alt.Tooltip("commune:N", title=header("commune", lang)), alt.Tooltip("label:N", title=header("rate", lang))],
        )
        .properties(height=max(16 * len(plotted), 120))
    )


def daily_chart(daily: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Build the daily online dossiers as bars, with the June 2025 daily average as a dashed rule."""
    plotted = daily.assign(
        day_text=[day(value.date(), lang) for value in daily["date"]],
        online_text=[number(value, lang) for value in daily["online"]],
    )
    # Vega writes thousands with a comma whatever the page's language, so the
    # Vietnamese axis swaps it for a dot.
    count_labels = "replace(datum.label, regexp(',', 'g'), '.')" if lang == "vi" else "datum.label"
    bars = (
        alt.Chart(plotted)
        .mark_bar(color="#1a9850")
        .encode(
            x=alt.X("date:T", title=header("date", lang), axis=alt.Axis(format="%d/%m")),
            y=alt.Y("online:Q", title=header("online", lang), axis=alt.Axis(labelExpr=count_labels)),
            tooltip=[
                alt.Tooltip("day_text:N", title=header("date", lang)),
                alt.Tooltip("online_text:N", title=header("online", lang)),
            ],
        )
    )
    june = alt.Chart(plotted.head(1)).mark_rule(color="#d73027", strokeDash=[4, 3]).encode(y="june_daily:Q")
    return (bars + june).properties(height=300)


def show_drill_down(dataset, as_of: pd.Timestamp, province: str, name: str, lang: str) -> None:
    """Show one province's daily online dossiers against June 2025, then its communes."""
    st.button(text("← Tất cả tỉnh, thành phố", "← All provinces"), key="back_to_provinces", on_click=show_province, args=(None,))
    st.subheader(name)
    comparison = june_comparison(dataset, as_of, province, thresholds_or_stop(lang).june_drop)
    show_comparison = st.warning if comparison.below else st.caption
    show_comparison(june_comparison_text(comparison, as_of, lang))

    st.markdown("**" + text("Hồ sơ trực tuyến mỗi ngày", "Online dossiers per day") + "**")
    daily = daily_online(dataset, province)
    st.altair_chart(daily_chart(daily, lang), width="stretch")
    st.caption(text("Đường đứt nét đỏ: bình quân ngày của tháng 6/2025.", "Red dashed line: the June 2025 daily average."))
    download_table(download_view(daily, lang), f"ho_so_truc_tuyen_theo_ngay_{province}", key="daily")

    st.markdown("**" + text("Tỷ lệ nộp trực tuyến của các xã, phường (thấp nhất trước)", "Online filing rate of the communes (lowest first)") + "**")
    rates = commune_online_rates(dataset, as_of, province)
    st.dataframe(screen_view(rates.reset_index(), lang), hide_index=True, width="stretch", height=360)
    download_table(download_view(rates.reset_index(), lang), f"ho_so_truc_tuyen_xa_{province}_{as_of:%Y-%m-%d}", key="communes")
    st.altair_chart(commune_chart(rates.head(LOWEST_COMMUNES_CHARTED), lang), width="stretch")
    st.caption(
        text(
            f"Biểu đồ: {LOWEST_COMMUNES_CHARTED} xã, phường có tỷ lệ thấp nhất. Bảng liệt kê tất cả.",
            f"Chart: the {LOWEST_COMMUNES_CHARTED} communes with the lowest rates. The table lists them all.",
        )
    )


lang = setup_page()
dataset = current_dataset()
st.header(text("Hồ sơ trực tuyến", "Online filing"))
show_provenance(dataset, FILING, lang)

as_of = report_date_or_stop(dataset, lang)

ranking = filing_ranking(dataset, as_of).reset_index()
national = national_online_rate(dataset, as_of)
st.metric(text("Tỷ lệ nộp trực tuyến cả nước", "National online filing rate"), percent(national, lang))

names = province_names()
province = chosen_province(names)
province_selector(names, province)

# With a province chosen, its details sit beside the ranking, so a click shows them
# without scrolling past the 34 bars.
if province is None:
    ranking_column, detail_column = st.container(), None
else:
    ranking_column, detail_column = st.columns([2, 3], gap="large")

chart_key = f"filing_ranking_{st.session_state.get(CHART_GENERATION, 0)}"
ranking_column.altair_chart(
    ranking_chart(ranking, national, province, lang),
    width="stretch",
    key=chart_key,
    on_select=partial(open_clicked_province, chart_key, names),
    selection_mode="province",
)
ranking_column.caption(
    text(
        f"Đường đứt nét: bình quân cả nước ({percent(national, lang)}). Tỷ lệ tính trên 7 ngày đến ngày báo cáo. "
        "Bấm vào một tỉnh để xem chi tiết.",
        f"Dashed line: national average ({percent(national, lang)}). Rates cover the 7 days up to the report date. "
        "Click a province to see it in detail.",
    )
)

if detail_column is not None:
    with detail_column:
        show_drill_down(dataset, as_of, province, names[province], lang)

st.subheader(text("Bảng xếp hạng", "Ranking"))
st.dataframe(ranking_screen_table(dataset, as_of, lang), hide_index=True, width="stretch")
download_table(download_view(ranking_table(dataset, as_of), lang), f"ho_so_truc_tuyen_xep_hang_{as_of:%Y-%m-%d}", key="ranking")

st.subheader(text("Hạ tầng sẵn sàng và nộp trực tuyến", "Readiness and online filing"))
thresholds = thresholds_or_stop(lang)
readiness = readiness_and_filing(dataset, as_of, thresholds.good_infrastructure, thresholds.low_online).reset_index()
readiness["group"] = [
    text("Hạ tầng tốt nhưng ít nộp trực tuyến", "Good infrastructure, low online filing") if flag else text("Khác", "Other")
    for flag in readiness["bottleneck"]
]
scatter = (
    alt.Chart(readiness)
    .mark_circle(size=90)
    .encode(
        x=alt.X("share_xanh:Q", title=header("share_xanh", lang), axis=alt.Axis(format="%")),
        y=alt.Y("rate:Q", title=header("rate", lang), axis=alt.Axis(format="%")),
        color=alt.Color("group:N", title="", scale=alt.Scale(range=["#d73027", "#7f8c8d"])),
        tooltip=[alt.Tooltip("name:N", title=header("province", lang))],
    )
)
labels = scatter.mark_text(align="left", dx=7, fontSize=11).encode(text="name:N").transform_filter(alt.datum.bottleneck)
st.altair_chart((scatter + labels).properties(height=420), width="stretch")
bottlenecks = readiness.loc[readiness["bottleneck"], "name"].tolist()
st.write(
    text(
        f"Hạ tầng tốt (trên {threshold_percent(thresholds.good_infrastructure, lang)} xã Xanh) nhưng nộp trực tuyến dưới "
        f"{threshold_percent(thresholds.low_online, lang)}: {', '.join(bottlenecks) or 'không có'} ({number(len(bottlenecks), lang)} tỉnh).",
        f"Good infrastructure (over {threshold_percent(thresholds.good_infrastructure, lang)} of communes green) but online filing under "
        f"{threshold_percent(thresholds.low_online, lang)}: {', '.join(bottlenecks) or 'none'} ({number(len(bottlenecks), lang)}).",
    )
)
download_table(readiness_table(dataset, as_of, lang, thresholds.good_infrastructure, thresholds.low_online), f"ho_so_truc_tuyen_san_sang_{as_of:%Y-%m-%d}", key="readiness")
