"""Fixtures shared by the AppTest files: the app runs from the repository root on the
shared boundaries, with empty Streamlit caches, static serving on and its own database.

A test file takes them with ``from apptest_fixtures import app_environment, scratch_database, set_option``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit import config

REPO = Path(__file__).resolve().parents[1]
BOUNDARIES = REPO.parent / "shared" / "data" / "boundaries" / "vietnam-3d-map"


@pytest.fixture(autouse=True)
def app_environment(monkeypatch):
    """Run the app from the repository root on the shared boundaries, with empty Streamlit caches.

    The caches live in this process and outlive one AppTest, so a test that
    breaks the boundaries would otherwise get the layer an earlier test loaded.
    """
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("DXMAP_BOUNDARIES_DIR", str(BOUNDARIES))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def set_option():
    """Return a setter of Streamlit config options that restores them after the test.

    Streamlit parses its config once per process, from the directory pytest
    started in, so static serving is turned on here as .streamlit/config.toml
    does for the real server.
    """
    saved = {}

    def set_one(key: str, value) -> None:
        saved.setdefault(key, config.get_option(key))
        config.set_option(key, value)

    set_one("server.enableStaticServing", True)
    yield set_one
    for key, value in saved.items():
        config.set_option(key, value)


@pytest.fixture
def scratch_database(monkeypatch, tmp_path):
    """Give the app its own empty database."""
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("DXMAP_DATABASE_URL", url)
    return url
