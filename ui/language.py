"""The interface language: Vietnamese by default, English from the sidebar switch or ``?lang=en``."""

from __future__ import annotations

import streamlit as st

LANGUAGES = ("vi", "en")


def current_lang() -> str:
    """Return "vi" or "en" as chosen in this session."""
    if "lang" not in st.session_state:
        requested = st.query_params.get("lang", "vi")
        st.session_state["lang"] = requested if requested in LANGUAGES else "vi"
    return st.session_state["lang"]


def language_switch() -> str:
    """Draw the English switch in the sidebar and return the chosen language."""
    english = st.sidebar.toggle("English", value=current_lang() == "en", key="english")
    st.session_state["lang"] = "en" if english else "vi"
    if english:
        st.query_params["lang"] = "en"
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    return st.session_state["lang"]


def text(vi: str, en: str) -> str:
    """Return the text of the current language."""
    return en if current_lang() == "en" else vi
