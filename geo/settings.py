"""Settings read from the environment or from Streamlit's ``secrets.toml``.

The environment wins, so a shell or a CI job can override a deployment's secrets.
``geo`` does not import Streamlit, so it reads the same two ``secrets.toml`` files
that Streamlit reads: the project's ``.streamlit/`` and the user's ``~/.streamlit/``.
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path

import pooch

log = logging.getLogger(__name__)

BOUNDARIES_DIR = "DXMAP_BOUNDARIES_DIR"
BOUNDARIES_URL = "DXMAP_BOUNDARIES_URL"
CACHE_DIR = "DXMAP_CACHE_DIR"


def cache_root() -> Path:
    """Return the cache folder: ``DXMAP_CACHE_DIR`` if set, else the user's cache folder."""
    configured = get_setting(CACHE_DIR)
    return Path(configured).expanduser() if configured else Path(pooch.os_cache("dxmap"))


def _secrets_files() -> list[Path]:
    return [Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"]


def _read_secrets(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as error:
        log.warning("Ignoring %s: invalid TOML (%s)", path, error)
        return {}


def get_setting(key: str) -> str | None:
    """Return a setting from the environment, else from ``secrets.toml``, else None."""
    value = os.environ.get(key)
    if value:
        return value

    for path in _secrets_files():
        secrets = _read_secrets(path)
        if secrets.get(key):
            return str(secrets[key])
    return None


def get_secrets_section(*path: str) -> dict:
    """Return a table of ``secrets.toml`` such as ``[connections.sql]`` (path "connections",
    "sql") from the first file that has it, else an empty dict."""
    for file in _secrets_files():
        section: object = _read_secrets(file)
        for key in path:
            section = section.get(key) if isinstance(section, dict) else None
        if isinstance(section, dict) and section:
            return section
    return {}
