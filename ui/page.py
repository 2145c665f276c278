"""Set-up shared by every page: page config, the checks the map needs, the language
switch and the translated links between pages.

The app uses Streamlit's ``pages/`` folder, not ``st.navigation``: while a ``pages/``
folder exists, Streamlit 1.67 serves the first request after a start in its folder
mode, so a shared link such as ``/data`` would open without the ``st.navigation`` set-up.
The sidebar's own page list is hidden (``client.showSidebarNavigation = false``) and
replaced by `page_links`, whose labels follow the chosen language.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from geo import webmap
from ui.access import require_access, sign_out_button
from ui.language import current_lang, language_switch, text

log = logging.getLogger(__name__)

TITLE = {"vi": "Bản đồ giám sát chuyển đổi số", "en": "Digital transformation monitoring map"}
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

PAGES = (
    ("app.py", "Tổng quan", "Overview"),
    ("pages/communes.py", "Xã, phường", "Communes"),
    ("pages/filing.py", "Hồ sơ trực tuyến", "Online filing"),
    ("pages/tasks.py", "Nhiệm vụ", "Tasks"),
    ("pages/scores.py", "Chỉ số 766", "766 index"),
    ("pages/data.py", "Dữ liệu", "Data"),
)
"""Page scripts with their Vietnamese and English labels, in menu order."""


@st.cache_resource
def install_map_libraries() -> None:
    """Copy Leaflet and jQuery into static/vendor/ once per server process."""
    webmap.install_static_assets(STATIC_DIR)


def stop_with_error(message: str) -> None:
    """Show an error in place of the page and end this run."""
    st.error(message)
    st.stop()


def check_map_libraries() -> None:
    """Stop with an explanation when the browser could not load Leaflet from this server."""
    if not st.get_option("server.enableStaticServing"):
        log.error("server.enableStaticServing is off, so the browser cannot load Leaflet from static/vendor/")
        stop_with_error(
            text(
                "Không hiển thị được bản đồ: máy chủ chưa bật phục vụ tệp tĩnh, nên trình duyệt "
                "không tải được thư viện Leaflet. Hãy chạy `streamlit run app.py` với tệp "
                ".streamlit/config.toml của dự án (có `enableStaticServing = true`), hoặc thêm "
                "tham số `--server.enableStaticServing true`.",
                "The map cannot be shown: static file serving is off, so the browser cannot load "
                "Leaflet. Run `streamlit run app.py` with the project's .streamlit/config.toml "
                "(which sets `enableStaticServing = true`), or add `--server.enableStaticServing true`.",
            )
        )

    try:
        install_map_libraries()
    except OSError as error:
        folder = STATIC_DIR / webmap.VENDOR_DIR
        log.error("Failed to copy the map libraries into %s: %s", folder, error)
        stop_with_error(
            text(
                f"Không chép được thư viện bản đồ (Leaflet, jQuery) vào {folder}: "
                f"{error}. Hãy cho phép ứng dụng ghi vào thư mục này rồi khởi động lại.",
                f"Failed to copy the map libraries (Leaflet, jQuery) into {folder}: "
                f"{error}. Allow the app to write there and restart it.",
            )
        )


def page_links() -> None:
    """Draw the links to every page in the sidebar, in the chosen language."""
    lang = current_lang()
    for script, vi, en in PAGES:
        st.sidebar.page_link(script, label=en if lang == "en" else vi)


def setup_page() -> str:
    """Configure the page, draw the title, language switch and links, and return the language.

    Before the links, `ui.access` settles who the user is: a sign-in ends the run until it succeeds.
    """
    lang = language_switch()
    # Streamlit 1.67 accepts set_page_config after other elements, so the browser tab
    # title can follow the switch drawn above.
    st.set_page_config(page_title=TITLE[lang], layout="wide")
    st.title(TITLE[lang])
    access = require_access(lang)
    st.session_state["access_this_run"] = access
    page_links()
    sign_out_button(access)
    check_map_libraries()
    return lang
