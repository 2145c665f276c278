"""Read a user's own boundary file: GeoJSON, zipped Shapefile, GeoPackage or KML.

Any CRS is accepted, VN-2000 included, and reprojected to WGS 84. The columns
holding the unit name, the code and (for communes) the province are detected
from their values unless the caller names them.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo import units
from geo.errors import BoundaryError
from geo.layout import SOURCE_COLUMNS, _polygonal, _repair
from geo.matching import match_commune, match_province

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".geojson": "GeoJSON", ".json": "GeoJSON", ".zip": "Shapefile (zip)",
                      ".shp": "Shapefile", ".gpkg": "GeoPackage", ".kml": "KML", ".kmz": "KMZ"}

# A column is taken as the name column when at least this share of its values match.
MIN_NAME_MATCH_SHARE = 0.5
MAX_PROVINCE_FEATURES = 40

# West, south, east, north in degrees: the mainland, Hoàng Sa and Trường Sa, with a margin.
VIETNAM_BOUNDS = (100.0, 5.0, 120.0, 25.0)


@dataclass
class DetectedFields:
    """The level and columns used to read a user file, and its original CRS."""

    level: str
    name_field: str
    code_field: str | None
    province_field: str | None
    crs: str


def read_user_file(
    path: str | Path,
    level: str | None = None,
    name_field: str | None = None,
    code_field: str | None = None,
    province_field: str | None = None,
    crs: str | None = None,
    layer: str | None = None,
) -> tuple[gpd.GeoDataFrame, DetectedFields]:
    """Read a boundary file into the columns that ``geo.reconcile.reconcile`` expects.

    Parameters
    ----------
    path
        A ``.geojson``/``.json``, ``.zip`` (Shapefile inside), ``.shp``, ``.gpkg``,
        ``.kml`` or ``.kmz`` file.
    level
        "province" or "commune"; detected from the names when None.
    name_field, code_field, province_field
        Columns to use; detected when None.
    crs
        The file's CRS when it declares none (e.g. "EPSG:3405" for VN-2000 / UTM 48N).
    layer
        The layer to read from a multi-layer GeoPackage or KML; all polygon layers
        of a KML are read when None.

    Raises
    ------
    BoundaryError
        If the file cannot be read, has no polygons, has no usable CRS, or no
        column contains unit names.
    """
    path = Path(path)
    frame = _read_any(path, layer)
    frame, source_crs = _to_wgs84(frame, path, crs)
    frame = _valid_polygons(frame, path)

    level, name_field = _pick_name_field(frame, path, level, name_field)
    code_field = code_field or _pick_code_field(frame, level)
    if level == "commune":
        province_field = province_field or _pick_province_field(frame, name_field)

    _check_fields(frame, path, [name_field, code_field, province_field])
    features = _to_source_columns(frame, level, name_field, code_field, province_field)
    return features, DetectedFields(level, name_field, code_field, province_field, source_crs)


def _read_any(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise BoundaryError(
            f"Không hỗ trợ định dạng tệp {path.name}. Hãy dùng một trong các định dạng: {supported}.",
            f"Unsupported file format: {path.name}. Use one of: {supported}.",
        )
    if not path.is_file():
        raise BoundaryError(f"Không tìm thấy tệp {path}.", f"File not found: {path}.")

    try:
        layers = [layer] if layer else _polygon_layers(path)
        frames = [gpd.read_file(path, layer=name, engine="pyogrio") for name in layers]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as error:
        raise BoundaryError(
            f"Không đọc được tệp ranh giới {path}: {error}. Hãy kiểm tra tệp có đúng định dạng "
            f"{SUPPORTED_SUFFIXES[suffix]} và không bị hỏng.",
            f"Could not read boundary file {path}: {error}. Check that it is a valid "
            f"{SUPPORTED_SUFFIXES[suffix]} file.",
        ) from error
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _polygon_layers(path: Path) -> list[str]:
    """Return the layers to read: every polygon layer of a KML, else the first polygon layer."""
    listed = pyogrio.list_layers(path)
    polygonal = [str(name) for name, kind in listed if kind is None or "Polygon" in str(kind)]
    if not polygonal:
        polygonal = [str(name) for name, _ in listed]
    if path.suffix.lower() in (".kml", ".kmz"):
        return polygonal
    if len(polygonal) > 1:
        log.warning("%s has layers %s; reading %s (name another with layer=)", path, polygonal, polygonal[0])
    return polygonal[:1]


def _to_wgs84(frame: gpd.GeoDataFrame, path: Path, crs: str | None) -> tuple[gpd.GeoDataFrame, str]:
    """Reproject to WGS 84 and return the frame with the name of the CRS it was read in."""
    if crs:
        frame = frame.set_crs(crs, allow_override=True)
    elif frame.crs is None or (frame.crs.is_geographic and not _looks_like_degrees(frame)):
        # GeoJSON has no CRS of its own, so GDAL declares WGS 84 even for projected numbers.
        frame = _assume_wgs84(frame, path)
    source_crs = frame.crs.to_string()
    frame = frame.to_crs("EPSG:4326")
    _check_inside_vietnam(frame, path)
    return frame, source_crs


def _looks_like_degrees(frame: gpd.GeoDataFrame) -> bool:
    min_x, min_y, max_x, max_y = frame.total_bounds
    return -180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90


def _assume_wgs84(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    if _looks_like_degrees(frame):
        if frame.crs is None:
            warnings.warn(f"{path.name} declares no CRS; its coordinates look like longitude/latitude, "
                          "so WGS 84 is assumed.", stacklevel=4)
        return frame.set_crs("EPSG:4326", allow_override=True)
    raise BoundaryError(
        f"Tệp {path.name} không khai báo hệ tọa độ (CRS) và tọa độ không phải kinh độ/vĩ độ. "
        "Hãy kèm tệp .prj, hoặc chỉ rõ CRS (--crs), ví dụ EPSG:3405 cho VN-2000 / UTM múi 48.",
        f"{path.name} declares no CRS and its coordinates are not longitude/latitude. "
        "Include the .prj file, or name the CRS (--crs), e.g. EPSG:3405 for VN-2000 / UTM zone 48N.",
    )


def _check_inside_vietnam(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Reject coordinates far from Vietnam, the usual sign of a wrong CRS or swapped axes."""
    min_x, min_y, max_x, max_y = frame.total_bounds
    west, south, east, north = VIETNAM_BOUNDS
    if min_x < west or max_x > east or min_y < south or max_y > north:
        found = f"{min_x:.3f}, {min_y:.3f}, {max_x:.3f}, {max_y:.3f}"
        raise BoundaryError(
            f"Tọa độ trong {path.name} nằm ngoài Việt Nam (kinh độ/vĩ độ {found}). "
            "Có thể hệ tọa độ (CRS) khai báo sai hoặc kinh độ và vĩ độ bị đảo; hãy chỉ rõ CRS đúng (--crs).",
            f"Coordinates in {path.name} lie outside Vietnam (lon/lat bounds {found}). "
            "The declared CRS may be wrong or the axes swapped; name the right CRS with --crs.",
        )


def _valid_polygons(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty].copy()
    frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])]
    if frame.empty:
        raise BoundaryError(
            f"Tệp {path.name} không có vùng (polygon) nào. Bản đồ cần ranh giới dạng vùng, không phải điểm hay đường.",
            f"{path.name} contains no polygons. The map needs area boundaries, not points or lines.",
        )
    invalid = ~frame.geometry.is_valid
    frame.loc[invalid, "geometry"] = [_repair(shape) for shape in frame.geometry[invalid]]
    frame["geometry"] = [_polygonal(shape) for shape in frame.geometry]
    return frame


def _text_columns(frame: gpd.GeoDataFrame) -> list[str]:
    return [
        column
        for column in frame.columns
        if column != frame.geometry.name
        and (frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]))
    ]


def _match_share(values: pd.Series, matcher) -> float:
    sample = values.dropna().astype(str).head(200)
    if sample.empty:
        return 0.0
    return sum(matcher(value).status in ("matched", "former") for value in sample) / len(sample)


def _pick_name_field(frame, path: Path, level: str | None, name_field: str | None) -> tuple[str, str]:
    if name_field and level:
        return level, name_field
    columns = [name_field] if name_field else _text_columns(frame)
    scores = []
    for column in columns:
        if level in (None, "province") and len(frame) <= MAX_PROVINCE_FEATURES:
            scores.append((_match_share(frame[column], match_province), "province", column))
        if level in (None, "commune"):
            scores.append((_match_share(frame[column], match_commune), "commune", column))
    best = max(scores, default=(0.0, None, None))
    if best[0] < MIN_NAME_MATCH_SHARE:
        raise BoundaryError(
            f"Không tìm thấy cột tên đơn vị hành chính trong {path.name} (các cột: {', '.join(columns)}). "
            "Hãy chỉ rõ cột tên (--name-field).",
            f"No column of unit names found in {path.name} (columns: {', '.join(columns)}). "
            "Name the column with --name-field.",
        )
    return level or best[1], best[2]


def _pick_code_field(frame: gpd.GeoDataFrame, level: str) -> str | None:
    official = units.provinces().index if level == "province" else units.communes().index
    width = 2 if level == "province" else 5
    best, best_share = None, 0.0
    for column in frame.columns:
        if column == "geometry":
            continue
        values = frame[column].dropna().astype(str).str.strip().str.removesuffix(".0")
        if values.empty or not values.str.fullmatch(r"\d{1,5}").all():
            continue
        share = values.str.zfill(width).isin(official).mean()
        if share > best_share:
            best, best_share = column, share
    return best


def _pick_province_field(frame: gpd.GeoDataFrame, name_field: str) -> str | None:
    columns = [column for column in _text_columns(frame) if column != name_field]
    scored = [(_match_share(frame[column], match_province), column) for column in columns]
    share, column = max(scored, default=(0.0, None))
    return column if share >= MIN_NAME_MATCH_SHARE else None


def _check_fields(frame: gpd.GeoDataFrame, path: Path, fields: list[str | None]) -> None:
    for field_name in fields:
        if field_name and field_name not in frame.columns:
            columns = ", ".join(str(c) for c in frame.columns if c != "geometry")
            raise BoundaryError(
                f"Tệp {path.name} không có cột \"{field_name}\". Các cột có: {columns}.",
                f"{path.name} has no column \"{field_name}\". Its columns are: {columns}.",
            )


def _to_source_columns(frame, level: str, name_field: str, code_field: str | None,
                       province_field: str | None) -> gpd.GeoDataFrame:
    names = frame[name_field].fillna("").astype(str)
    codes = frame[code_field].astype(str).str.removesuffix(".0") if code_field else pd.Series("", index=frame.index)
    if province_field:
        province_codes = [match_province(str(value)).code for value in frame[province_field]]
    else:
        province_codes = [None] * len(frame)

    result = gpd.GeoDataFrame(
        {
            "source_code": codes.to_numpy(),
            "source_name": names.to_numpy(),
            "source_type": "",
            "source_province_code": province_codes,
            "geometry": frame.geometry.to_numpy(),
        },
        geometry="geometry",
        crs="EPSG:4326",
    )
    if level == "province":
        result["source_province_code"] = None
    return result[SOURCE_COLUMNS]
