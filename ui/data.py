"""The status data store behind ``st.connection("sql")`` and the dataset it serves, cached per version."""

from __future__ import annotations

import logging

import streamlit as st

from monitoring.dataset import Dataset
from monitoring.formatting import provenance_text
from monitoring.model import KINDS
from monitoring.problems import ValidationReport
from geo.settings import get_secrets_section, get_setting
from monitoring.thresholds import Thresholds, ThresholdSettingError
from monitoring.store import DATABASE_URL, Change, DatabaseOpenError, Store, database_url
from monitoring.validate import validate_file
from ui.language import current_lang
from ui.tables import escape_markdown

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


@st.cache_data(show_spinner=False, max_entries=8)
def preview_import(upload_id: str, current_version: int, replace: bool, _tables: dict) -> dict[str, Change]:
    """Count what importing an upload's tables would change, once per upload, version and mode.

    The tables are not hashed: ``upload_id`` (Streamlit's file id) identifies them, and
    ``current_version`` makes a new preview after any import or restore.
    """
    return get_store().preview(_tables, replace=replace)


def has_current_data(store: Store, version_id: int) -> bool:
    """Tell whether restoring ``version_id`` would change nothing: it is the current version,
    or every table of it comes from the same stored rows as the current one."""
    current = store.current_version()
    if version_id == current:
        return True
    with store.engine.connect() as connection:
        chosen_contents = store.contents(connection, version_id) if version_id else dict.fromkeys(KINDS)
        return chosen_contents == store.contents(connection, current)


def store_or_stop(lang: str) -> Store:
    """Return the store, or show why the database can't be opened and end this run."""
    try:
        return get_store()
    except DatabaseOpenError as error:
        log.error("Failed to open the status database: %s", error.message("en"))
        st.error(error.message(lang))
        st.stop()


def show_provenance(dataset: Dataset, kind: str, lang: str) -> None:
    """Say under the title where the shown table comes from; the file name is shown as written."""
    st.caption(provenance_text(dataset.provenance.get(kind), lang, quote=escape_markdown))


def thresholds_or_stop(lang: str) -> Thresholds:
    """Return the thresholds of the settings, or show why one is invalid and end this run."""
    try:
        return Thresholds.from_settings()
    except ThresholdSettingError as error:
        log.error("Invalid threshold setting: %s", error.message("en"))
        st.error(error.message(lang))
        st.stop()
