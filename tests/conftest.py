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
    """Point every test at the shared boundaries, one cache folder and one scratch
    database for the session, so no test writes under the repository.

    The whole session shares one display cache, because building the national commune
    layer takes about 10 s. Tests that need an empty cache set their own.
    """
    cache = tmp_path_factory.mktemp("dxmap-cache")
    keys = ("DXMAP_BOUNDARIES_DIR", "DXMAP_CACHE_DIR", "DXMAP_BOUNDARIES_URL", "DXMAP_DATABASE_URL", "DXMAP_CRITICAL_CONDITIONS")
    saved = {key: os.environ.get(key) for key in keys}
    os.environ["DXMAP_BOUNDARIES_DIR"] = str(boundaries_dir)
    os.environ["DXMAP_CACHE_DIR"] = str(cache)
    os.environ["DXMAP_DATABASE_URL"] = f"sqlite:///{cache / 'session.sqlite'}"
    os.environ.pop("DXMAP_BOUNDARIES_URL", None)
    os.environ.pop("DXMAP_CRITICAL_CONDITIONS", None)
    yield cache
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def portal_export() -> Path:
    """The real 766 portal export (October 2025)."""
    path = SHARED / "data" / "portal-766" / "bao_cao_T10_2025.xlsx"
    if not path.is_file():
        pytest.fail(f"Shared 766 export not found at {path}; set DXMAP_SHARED_DIR.")
    return path
