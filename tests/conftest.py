"""Shared fixtures: the real boundary data from ../shared, and an isolated cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DXMAP_SHARED_DIR", REPO.parent / "shared"))
BOUNDARIES = SHARED / "data" / "boundaries" / "vietnam-3d-map"


@pytest.fixture(scope="session")
def boundaries_dir() -> Path:
    """The shared copy of the vietnam-3d-map files."""
    if not (BOUNDARIES / "public" / "provinces.json").is_file():
        pytest.fail(f"Shared boundary data not found at {BOUNDARIES}; set DXMAP_SHARED_DIR.")
    return BOUNDARIES


@pytest.fixture(scope="session", autouse=True)
def isolated_settings(tmp_path_factory, boundaries_dir):
    """Point every test at the shared boundaries and at one cache folder for the session.

    The whole session shares one display cache, because building the national commune
    layer takes about 10 s. Tests that need an empty cache set their own.
    """
    cache = tmp_path_factory.mktemp("dxmap-cache")
    saved = {key: os.environ.get(key) for key in ("DXMAP_BOUNDARIES_DIR", "DXMAP_CACHE_DIR", "DXMAP_BOUNDARIES_URL")}
    os.environ["DXMAP_BOUNDARIES_DIR"] = str(boundaries_dir)
    os.environ["DXMAP_CACHE_DIR"] = str(cache)
    os.environ.pop("DXMAP_BOUNDARIES_URL", None)
    yield cache
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
