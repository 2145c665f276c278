"""Display-ready boundaries per map level, cached on disk as GeoParquet.

Each level is cleaned into a polygonal coverage (no overlaps, slivers and small
gaps closed, shared edges identical), then simplified as a coverage so that
neighbours keep one common border, then snapped to a coordinate grid. The result
carries official codes and names only.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo import units
from geo.layout import read_communes, read_provinces
from geo.reconcile import reconcile
from geo.settings import CACHE_DIR, cache_root
from geo.sources import PROVINCES_FILE, BoundarySource, commune_file, open_source

log = logging.getLogger(__name__)

# Bump when the pipeline changes, so that old cached layers are rebuilt.
PIPELINE_VERSION = "3"

# Parts smaller than this (square degrees, about 12 m² at Vietnam's latitudes) are
# artefacts of repairing self-intersecting rings; real islets are far larger.
MIN_PART_AREA = 1e-9

COLUMNS = ["code", "name", "province_code", "geometry"]


@dataclass(frozen=True)
class LevelSpec:
    """Preparation settings of one map level, in degrees (1e-3 ≈ 110 m)."""

    gap_width: float  # gaps narrower than this are closed when cleaning
    tolerance: float  # coverage simplification tolerance
    grid: float  # coordinate grid after simplification


LEVELS = {
    "province": LevelSpec(gap_width=0.005, tolerance=0.003, grid=1e-4),
    "commune": LevelSpec(gap_width=0.001, tolerance=0.004, grid=1e-4),
    "commune_of_province": LevelSpec(gap_width=0.001, tolerance=0.002, grid=1e-5),
}


def display_layer(
    level: str = "province", province: str | None = None, source: BoundarySource | None = None
) -> gpd.GeoDataFrame:
    """Return display geometry for one map level, from the disk cache when possible.

    Parameters
    ----------
    level
        "province" for the 34 provinces, "commune" for communes.
    province
        With ``level="commune"``, a two-digit code to get that province's communes
        at a finer detail; None for all 3,321 communes.
    source
        The boundary source; the configured one (see ``geo.sources``) when None.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code``, ``name``, ``province_code``, ``geometry`` in EPSG:4326,
        one row per matched official unit, sorted by code.
    """
    spec_name, files, provinces = _level_files(level, province)
    source = source or open_source()
    cache_path = _cache_path(spec_name, province, source.fingerprint(files))

    cached = _read_cached(cache_path)
    if cached is not None:
        return cached

    # One build per layer at a time: viewers who open the app together on a cold cache
    # wait for the first build instead of each running it on the same two cores.
    with _build_lock(cache_path):
        cached = _read_cached(cache_path)
        if cached is not None:
            return cached
        log.info("Display layer %s/%s: building, cache miss", level, province or "all")
        layer = build_layer(source, spec_name, provinces)
        _write_atomically(layer, cache_path)
        return layer


_BUILD_LOCKS: dict[Path, threading.Lock] = {}
_BUILD_LOCKS_GUARD = threading.Lock()


def _build_lock(cache_path: Path) -> threading.Lock:
    with _BUILD_LOCKS_GUARD:
        return _BUILD_LOCKS.setdefault(cache_path, threading.Lock())


def _read_cached(cache_path: Path) -> gpd.GeoDataFrame | None:
    """Return the cached layer at ``cache_path``, or None when it is missing or unreadable."""
    if not cache_path.is_file():
        return None
    try:
        layer = gpd.read_parquet(cache_path)
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        log.warning("Rebuilding unreadable cached layer %s: %s", cache_path, error)
        return None
    log.info("Display layer: cache hit %s", cache_path)
    return layer


def build_layer(source: BoundarySource, spec_name: str, provinces: list[str]) -> gpd.GeoDataFrame:
    """Read, reconcile, clean, simplify and snap one level (no caching)."""
    spec = LEVELS[spec_name]
    if spec_name == "province":
        features = read_provinces(source).features
    else:
        features = read_communes(source, provinces).features
    matched, _report = reconcile(features, "province" if spec_name == "province" else "commune")

    geometry = _drop_specks(np.asarray(matched.geometry.values))
    if spec_name == "commune":
        geometry = _clean_by_province(geometry, matched["province_code"].to_numpy(), spec.gap_width)
    else:
        geometry = shapely.coverage_clean(geometry, gap_width=spec.gap_width)
    geometry = shapely.coverage_simplify(geometry, spec.tolerance)
    geometry = _snap_to_grid(geometry, spec.grid)

    matched = matched.set_geometry(gpd.GeoSeries(geometry, crs="EPSG:4326", index=matched.index))
    return matched[COLUMNS]


def _snap_to_grid(geometry: np.ndarray, grid: float) -> np.ndarray:
    """Round coordinates to the grid, then re-clean the few edges that rounding made cross.

    Rounding each polygon on its own can move a shared edge differently on either side.
    The second clean, without snapping, makes those edges identical again. For all
    communes it took under 1 s and left a few dozen vertices off the grid.
    """
    snapped = shapely.set_precision(geometry, grid)
    return shapely.coverage_clean(snapped, gap_width=grid, snapping_distance=0.0)


def _clean_by_province(geometry: np.ndarray, province_codes: np.ndarray, gap_width: float) -> np.ndarray:
    """Clean each province's communes, then the whole country.

    Cleaning all 3,321 communes in one pass took about 45 s (2 cores, GEOS 3.14).
    Cleaning province by province first leaves little for the national pass, so the
    two passes took about 9 s in all.
    """
    cleaned = geometry.copy()
    for code in np.unique(province_codes):
        selected = province_codes == code
        cleaned[selected] = shapely.coverage_clean(geometry[selected], gap_width=gap_width)
    return shapely.coverage_clean(cleaned, gap_width=gap_width)


def _drop_specks(geometry: np.ndarray) -> np.ndarray:
    shapes = []
    for shape in geometry:
        parts = shapely.get_parts(shape)
        large = parts[shapely.area(parts) >= MIN_PART_AREA]
        if len(large) == 0:
            shapes.append(shape)
        elif len(large) == 1:
            shapes.append(large[0])
        else:
            shapes.append(shapely.multipolygons(large))
    return np.array(shapes, dtype=object)


def _level_files(level: str, province: str | None) -> tuple[str, list[str], list[str]]:
    if level == "province" and province is None:
        return "province", [PROVINCES_FILE], []
    if level == "commune" and province is None:
        codes = list(units.provinces().index)
        return "commune", [commune_file(code) for code in codes], codes
    if level == "commune" and province in units.provinces().index:
        return "commune_of_province", [commune_file(province)], [province]
    raise ValueError(
        f"Unknown map level {level!r} with province {province!r}: expected level 'province', "
        "or 'commune' with province None or a two-digit code from geo.units.provinces()."
    )


def display_cache_dir() -> Path:
    """Return the folder of cached display layers (``DXMAP_CACHE_DIR`` or the user cache)."""
    return cache_root() / "display"


def _cache_path(spec_name: str, province: str | None, fingerprint: str) -> Path:
    key = f"{PIPELINE_VERSION}-{fingerprint[:16]}"
    return display_cache_dir() / f"{spec_name}-{province or 'all'}-{key}.parquet"


def _write_atomically(layer: gpd.GeoDataFrame, path: Path) -> None:
    """Write to a temporary file first, so a crash never leaves a half-written cache."""
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        layer.to_parquet(temporary)
        os.replace(temporary, path)
    except OSError as error:
        log.warning("Display layer not cached, %s is not writable: %s (fix %s)", path.parent, error, CACHE_DIR)


def province_at(provinces: gpd.GeoDataFrame, lat: float, lon: float) -> str | None:
    """Return the code of the province whose polygon contains the point, or None (at sea)."""
    point = shapely.Point(lon, lat)
    hits = provinces.loc[provinces.to_crs(4326).geometry.covers(point), "code"]
    return str(hits.iloc[0]) if len(hits) else None
