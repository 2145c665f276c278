"""Bản đồ giám sát chuyển đổi số: the overview page with the national map of the 34 provinces.

Run with ``streamlit run app.py``. The other pages live in ``pages/``; `ui.page`
sets up each of them. The map loads Leaflet from this server's ``static/`` folder
(see `geo.webmap`), so it draws with no internet access.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.units import communes
from monitoring.briefing import briefing
from monitoring.formatting import number, percent
from monitoring.model import PROVINCE_STATUS
from monitoring.presentation import commune_table, stale_units
from monitoring.summary import headline, national_online_rate, previous_report_date, province_status
from ui.data import current_dataset, show_provenance, thresholds_or_stop
from ui.downloads import download_table
from ui.filters import choice_in_url, province_from_url, report_date_or_stop
from ui.language import text
from ui.maps import (
    MapLayer,
    boundaries_or_stop,
    clicked_province,
    communes_layer,
    coverage_layer,
    filled_map,
    load_provinces,
    map_download,
    province_status_layer,
    show_map,
)
from ui.page import PAGES, setup_page
from ui.tables import escape_markdown

def map_layer_selector() -> str:
    """Draw the choice of national layer; the choice lives in the URL (``?layer=coverage``)."""
    labels = {"status": text("Trạng thái tỉnh", "Province status"), "coverage": text("Tỷ lệ xã Xanh", "Share of communes green")}
    return choice_in_url("layer", text("Lớp bản đồ", "Map layer"), labels, key="map_layer")


def national_layer(dataset, as_of: pd.Timestamp, layer: str, lang: str) -> tuple[MapLayer, str]:
    """Return the built layer and legend title of the chosen national layer."""
    if layer == "coverage":
        return coverage_layer(dataset, as_of, lang), text("Tỷ lệ xã Xanh", "Share of communes green")
    return province_status_layer(dataset, as_of, lang, thresholds_or_stop(lang)), text("Tỉnh, thành phố", "Provinces")


def selected_province(provinces: gpd.GeoDataFrame) -> str | None:
    """Return the province chosen in the URL (``?province=91``), or None for the country."""
    return province_from_url(set(provinces["code"]))


def open_province(code: str | None) -> None:
    """Drill down to the province ``code`` (None: stay) by putting it in the URL."""
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
    figures = dataset.memo(("headline", as_of), lambda: headline(dataset, as_of))
    previous_date = previous_report_date(dataset, as_of)
    before = dataset.memo(("headline", previous_date), lambda: headline(dataset, previous_date)) if previous_date is not None else None

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
    # The headline rounds its rate for JSON; the card shows the unrounded one, as the
    # online-filing page does, so that both pages read the same.
    rate = dataset.memo(("national_online_rate", as_of), lambda: national_online_rate(dataset, as_of))
    rate_before = (
        dataset.memo(("national_online_rate", previous_date), lambda: national_online_rate(dataset, previous_date))
        if previous_date is not None
        else None
    )
    columns[2].metric(
        text("Tỷ lệ nộp trực tuyến", "Online filing rate"),
        percent(rate, lang),
        _delta_percent(rate, rate_before, lang),
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


# The page script of each page name that a finding links to.
PAGE_SCRIPTS = {"": "app.py", **{script[len("pages/"):-len(".py")]: script for script, _vi, _en in PAGES[1:]}}


def show_briefing(dataset, as_of: pd.Timestamp, lang: str) -> None:
    """Show the findings of ``as_of``, each sentence with a link to the view that shows it.

    The links are page links, which open the view in the same session: a plain link
    would open a new tab with a new session, where a signed-in user must sign in again.
    """
    # A Markdown heading looks like st.subheader, but the overview's subheader stays the drilled-down province's name.
    st.markdown("### " + text("Tóm tắt", "Briefing"))
    thresholds = thresholds_or_stop(lang)
    findings = dataset.memo(("briefing", as_of, lang, thresholds), lambda: briefing(dataset, as_of, lang, thresholds))
    for finding in findings:
        sentence, link = st.columns([5, 1], vertical_alignment="center")
        sentence.markdown("- " + escape_markdown(finding.text))
        target = urlsplit(finding.link)
        with link:
            st.page_link(
                PAGE_SCRIPTS[target.path.strip("/")],
                label=finding.link_label,
                query_params=dict(parse_qsl(target.query)),
                icon=":material/arrow_forward:",
            )


def show_stale(table: pd.DataFrame, file_stem: str, key: str) -> None:
    """List the units whose last report is older than the report date, in a closed expander."""
    label = text(f"Báo cáo cũ: {len(table)} đơn vị", f"Stale reports: {len(table)} units")
    with st.expander(label, expanded=False, icon=":material/history:"):
        if table.empty:
            st.write(text("Mọi đơn vị đã báo cáo đến ngày đã chọn.", "Every unit has reported up to the chosen date."))
            return
        st.dataframe(table, hide_index=True, width="stretch")
        download_table(table, file_stem, key)


def national_page(dataset, as_of: pd.Timestamp, provinces: gpd.GeoDataFrame, lang: str):
    """Draw the national map and the stale provinces; return the map for the HTML download."""
    built, title = national_layer(dataset, as_of, map_layer_selector(), lang)
    shown = filled_map(built, title)
    result = show_map(shown, key=f"province_map_{st.session_state.get('map_generation', 0)}", clickable=True)
    open_province(clicked_province(result, provinces))
    st.caption(text("Bấm vào một tỉnh để xem các xã, phường.", "Click a province to see its communes."))

    stale = stale_units(province_status(dataset, as_of), provinces.set_index("code")["name"], as_of, lang)
    show_stale(stale, f"bao_cao_cu_tinh_{as_of:%Y-%m-%d}", "stale_provinces")
    return shown


def province_page(dataset, as_of: pd.Timestamp, province: str, name: str, lang: str):
    """Draw one province's communes: map, table and stale reports; return the map."""
    if st.button(text("← Toàn quốc", "← Whole country"), key="back_to_country"):
        back_to_country()
    st.subheader(name)
    built = communes_layer(dataset, as_of, province, lang)
    view = built.view
    shown = filled_map(built, text("Xã, phường", "Communes"), fit=True)
    show_map(shown, key=f"commune_map_{province}")

    names = communes()["name"]
    table = commune_table(view, names, lang)
    st.dataframe(table, hide_index=True, width="stretch")
    download_table(table, f"xa_phuong_{province}_{as_of:%Y-%m-%d}", "communes")
    show_stale(stale_units(view, names, as_of, lang), f"bao_cao_cu_xa_{province}_{as_of:%Y-%m-%d}", "stale_communes")
    return shown


lang = setup_page()
dataset = current_dataset()
show_provenance(dataset, PROVINCE_STATUS, lang)

as_of = report_date_or_stop(dataset, lang)
show_headline(dataset, as_of, lang)
show_briefing(dataset, as_of, lang)

provinces = boundaries_or_stop(load_provinces)
province = selected_province(provinces)
if province is None:
    shown_map = national_page(dataset, as_of, provinces, lang)
else:
    name = provinces.set_index("code").at[province, "name"]
    shown_map = province_page(dataset, as_of, province, name, lang)

map_download(shown_map, text("ban-do-chuyen-doi-so", "digital-transformation-map"), "map_html")
