"""Hồ sơ trực tuyến: provinces ranked by online filing, and readiness against online filing."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from monitoring.charts import GOOD_INFRASTRUCTURE, LOW_ONLINE, filing_ranking, rank_change_text, readiness_and_filing
from monitoring.formatting import number, percent
from monitoring.summary import national_online_rate
from ui.data import current_dataset
from ui.filters import report_date_or_stop
from ui.language import text
from ui.page import setup_page

lang = setup_page()
dataset = current_dataset()
st.header(text("Hồ sơ trực tuyến", "Online filing"))

as_of = report_date_or_stop(dataset, lang)

ranking = filing_ranking(dataset, as_of).reset_index()
national = national_online_rate(dataset, as_of)
st.metric(text("Tỷ lệ nộp trực tuyến cả nước", "National online filing rate"), percent(national, lang))

rate_label = text("Tỷ lệ trực tuyến", "Online rate")
province_label = text("Tỉnh, thành phố", "Province")
ranking["label"] = [percent(value, lang) for value in ranking["rate"]]
ranking["change"] = [rank_change_text(change) for change in ranking["rank_change"]]
bars = (
    alt.Chart(ranking)
    .mark_bar(color="#1a9850")
    .encode(
        x=alt.X("rate:Q", title=rate_label, axis=alt.Axis(format="%")),
        y=alt.Y("name:N", sort=list(ranking["name"]), title=province_label, axis=alt.Axis(labelLimit=240)),
        tooltip=[
            alt.Tooltip("name:N", title=province_label),
            alt.Tooltip("label:N", title=rate_label),
            alt.Tooltip("rank:Q", title=text("Hạng", "Rank")),
            alt.Tooltip("change:N", title=text("Thay đổi hạng", "Rank change")),
        ],
    )
)
average = alt.Chart(pd.DataFrame({"rate": [national or 0.0]})).mark_rule(color="#333333", strokeDash=[4, 3]).encode(x="rate:Q")
st.altair_chart((bars + average).properties(height=24 * len(ranking)), width="stretch")
st.caption(
    text(
        f"Đường đứt nét: bình quân cả nước ({percent(national, lang)}). Tỷ lệ tính trên 7 ngày đến ngày báo cáo.",
        f"Dashed line: national average ({percent(national, lang)}). Rates cover the 7 days up to the report date.",
    )
)

st.subheader(text("Hạ tầng sẵn sàng và nộp trực tuyến", "Readiness and online filing"))
readiness = readiness_and_filing(dataset, as_of).reset_index()
readiness["group"] = [
    text("Hạ tầng tốt nhưng ít nộp trực tuyến", "Good infrastructure, low online filing") if flag else text("Khác", "Other")
    for flag in readiness["bottleneck"]
]
scatter = (
    alt.Chart(readiness)
    .mark_circle(size=90)
    .encode(
        x=alt.X("share_xanh:Q", title=text("Tỷ lệ xã Xanh", "Share of communes green"), axis=alt.Axis(format="%")),
        y=alt.Y("rate:Q", title=rate_label, axis=alt.Axis(format="%")),
        color=alt.Color("group:N", title="", scale=alt.Scale(range=["#d73027", "#7f8c8d"])),
        tooltip=[alt.Tooltip("name:N", title=province_label)],
    )
)
names = scatter.mark_text(align="left", dx=7, fontSize=11).encode(text="name:N").transform_filter(alt.datum.bottleneck)
st.altair_chart((scatter + names).properties(height=420), width="stretch")
bottlenecks = readiness.loc[readiness["bottleneck"], "name"].tolist()
st.write(
    text(
        f"Hạ tầng tốt (trên {percent(GOOD_INFRASTRUCTURE, lang)} xã Xanh) nhưng nộp trực tuyến dưới "
        f"{percent(LOW_ONLINE, lang)}: {', '.join(bottlenecks) or 'không có'} ({number(len(bottlenecks), lang)} tỉnh).",
        f"Good infrastructure (over {percent(GOOD_INFRASTRUCTURE, lang)} of communes green) but online filing under "
        f"{percent(LOW_ONLINE, lang)}: {', '.join(bottlenecks) or 'none'} ({number(len(bottlenecks), lang)}).",
    )
)
st.download_button(
    text("Tải số liệu (CSV)", "Download the data (CSV)"),
    data=ranking[["province_code", "name", "online", "total", "rate", "rank", "rank_change"]].to_csv(index=False).encode("utf-8-sig"),
    file_name=f"ho_so_truc_tuyen_{as_of:%Y-%m-%d}.csv",
    mime="text/csv",
    on_click="ignore",
)
