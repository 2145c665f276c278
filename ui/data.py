"""The status data store behind ``st.connection("sql")`` and the dataset it serves, cached per version."""

from __future__ import annotations

import logging

import streamlit as st

from monitoring.dataset import Dataset
from monitoring.problems import ValidationReport
from geo.settings import get_secrets_section, get_setting
from monitoring.store import DATABASE_URL, DatabaseOpenError, Store, database_url
from monitoring.validate import validate_file
from ui.language import current_lang

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def get_store() -> Store:
    """Open the store once per server process.

    ``st.connection("sql")`` reads ``[connections.sql]`` from secrets when present, unless
    ``DXMAP_DATABASE_URL`` is set; otherwise it gets the SQLite file of
    `monitoring.store.database_url`.
    """
    if get_secrets_section("connections", "sql") and not get_setting(DATABASE_URL):
        connection = st.connection("sql")
    else:
        url = database_url()
        Store.check_url(url)
        connection = st.connection("sql", url=url)
    return Store.attach(connection.engine)


@st.cache_resource(show_spinner=False, max_entries=4)
def _dataset_of_version(version: int) -> Dataset:
    return get_store().load(version)


def current_dataset() -> Dataset:
    """Return the dataset of the current version. Treat it as read-only: it is shared by sessions."""
    return _dataset_of_version(store_or_stop(current_lang()).current_version())


@st.cache_data(show_spinner=False, max_entries=4)
def validate_upload(data: bytes, file_name: str) -> ValidationReport:
    """Validate an uploaded file once; reruns of the page reuse the report."""
    return validate_file(data, file_name)


def store_or_stop(lang: str) -> Store:
    """Return the store, or show why the database can't be opened and end this run."""
    try:
        return get_store()
    except DatabaseOpenError as error:
        log.error("Failed to open the status database: %s", error.message("en"))
        st.error(error.message(lang))
        st.stop()
