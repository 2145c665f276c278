"""Read the boundary files of the ``vietnam-3d-map`` layout into GeoDataFrames.

The files are not GeoJSON: each unit carries ``polygons``, a list of rings of
``[lon, lat]`` in WGS 84 with no outer/hole distinction, and the simplification
left some rings self-intersecting. Rings are made valid one by one and combined
with the even-odd rule, so a ring inside another ring becomes a hole.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo.errors import BoundaryError
from geo.sources import PROVINCES_FILE, BoundarySource, commune_file

log = logging.getLogger(__name__)

SOURCE_COLUMNS = ["source_code", "source_name", "source_type", "source_province_code", "geometry"]


@dataclass
class LayoutRead:
    """Features read from one level of the layout, and how many were repaired."""

    features: gpd.GeoDataFrame
    repaired: list[str]
    files: list[str]


def rings_to_geometry(rings: list) -> tuple[shapely.Geometry, bool]:
    """Build a valid (multi)polygon from unordered rings; also return whether it needed repair."""
    polygons = [shapely.Polygon(ring) for ring in rings if len(ring) >= 3]
    if not polygons:
        return shapely.MultiPolygon(), True

    parts = np.array(polygons, dtype=object)
    invalid = ~shapely.is_valid(parts)
    parts[invalid] = [repair_geometry(part) for part in parts[invalid]]
    combined = _even_odd_union(parts)

    repaired = bool(invalid.any())
    if not combined.is_valid:
        combined = repair_geometry(combined)
        repaired = True
    return polygonal_part(combined), repaired


def repair_geometry(geometry: shapely.Geometry) -> shapely.Geometry:
    """Make a geometry valid, trying GEOS's methods in turn.

    GEOS 3.14's "structure" method can return a still-invalid result for a ring that
    touches itself (seen in the Hải Phòng source polygon), so each result is checked.
    """
    for options in ({"method": "structure", "keep_collapsed": False}, {"method": "linework"}):
        repaired = polygonal_part(shapely.make_valid(geometry, **options))
        if repaired.is_valid:
            return repaired
    return polygonal_part(shapely.buffer(geometry, 0))


def _even_odd_union(parts: np.ndarray) -> shapely.Geometry:
    """Union the rings nested at an even depth, then cut out those at an odd depth (holes)."""
    if len(parts) == 1:
        return parts[0]

    tree = shapely.STRtree(parts)
    outer_index, inner_index = tree.query(parts, predicate="contains_properly")
    depth = np.bincount(inner_index, minlength=len(parts))

    filled = shapely.union_all(parts[depth % 2 == 0])
    holes = parts[depth % 2 == 1]
    if len(holes):
        filled = shapely.difference(filled, shapely.union_all(holes))
    return filled


def polygonal_part(geometry: shapely.Geometry) -> shapely.Geometry:
    """Drop any points or lines that repair left next to the polygons."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    polygons = [part for part in shapely.get_parts(geometry) if part.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons) if polygons else shapely.MultiPolygon()


def _load_json(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryError(
            f"Không đọc được tệp ranh giới {path}: {error}. Hãy tải lại tệp hoặc xóa bộ nhớ đệm.",
            f"Could not read boundary file {path}: {error}. Download it again or clear the cache.",
        ) from error


def _units_to_frame(units: list[dict], province_code: str | None, repaired: list[str], path: Path) -> list[dict]:
    rows = []
    for position, unit in enumerate(units):
        geometry, was_repaired = _unit_geometry(unit, position, path)
        if was_repaired:
            repaired.append(str(unit.get("id")))
        rows.append(
            {
                "source_code": str(unit.get("id", "")),
                "source_name": str(unit.get("name", "")),
                "source_type": str(unit.get("type", "")),
                "source_province_code": province_code,
                "geometry": geometry,
            }
        )
    return rows


def _unit_geometry(unit, position: int, path: Path) -> tuple[shapely.Geometry, bool]:
    try:
        return rings_to_geometry(unit.get("polygons") or [])
    except (AttributeError, TypeError, ValueError, shapely.errors.GEOSException) as error:
        raise BoundaryError(
            f"Đơn vị thứ {position + 1} trong tệp {path} có dữ liệu \"polygons\" không hợp lệ: {error}. "
            "Hãy tải lại tệp gốc.",
            f"Unit number {position + 1} in {path} has invalid \"polygons\": {error}. "
            "Download the original file again.",
        ) from error


def _frame(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, columns=SOURCE_COLUMNS, geometry="geometry", crs="EPSG:4326")


def read_provinces(source: BoundarySource) -> LayoutRead:
    """Read the provinces file of the layout."""
    path = source.path(PROVINCES_FILE)
    document = _load_json(path)

    repaired: list[str] = []
    rows = _units_to_frame(_list_field(document, "provinces", path), None, repaired, path)
    for row in rows:
        row["source_province_code"] = row["source_code"]
    return LayoutRead(_frame(rows), repaired, [PROVINCES_FILE])


def read_communes(source: BoundarySource, province_codes: list[str]) -> LayoutRead:
    """Read the commune files of the given provinces (two-digit codes)."""
    rows: list[dict] = []
    repaired: list[str] = []
    files = []
    for code in province_codes:
        name = commune_file(code)
        path = source.path(name)
        document = _load_json(path)
        file_code = str(document.get("provinceId", code))
        rows.extend(_units_to_frame(_list_field(document, "wards", path), file_code, repaired, path))
        files.append(name)
    return LayoutRead(_frame(rows), repaired, files)


def _list_field(document: dict, key: str, path: Path) -> list[dict]:
    units = document.get(key) if isinstance(document, dict) else None
    if not isinstance(units, list):
        raise BoundaryError(
            f"Tệp {path} không có danh sách \"{key}\" như bố cục vietnam-3d-map. "
            "Hãy kiểm tra đúng thư mục ranh giới.",
            f"File {path} has no \"{key}\" list as in the vietnam-3d-map layout. "
            "Check that the boundary folder is the right one.",
        )
    return units
