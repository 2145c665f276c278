"""Read a user's own boundary file: GeoJSON, zipped Shapefile, GeoPackage or KML.

Any CRS is accepted, VN-2000 included, and reprojected to WGS 84. The columns
holding the unit name, the code and (for communes) the province are detected
from their values unless the caller names them.
"""

from __future__ import annotations

import logging
import tempfile
import warnings
import xml.parsers.expat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj
import shapely

from geo import units
from geo.errors import BoundaryError
from geo.layout import SOURCE_COLUMNS, polygonal_part, repair_geometry
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
    _check_fields(frame, path, [name_field, code_field, province_field])
    frame, source_crs = _to_wgs84(frame, path, crs)
    frame = _valid_polygons(frame, path)

    level, name_field, province_field = _pick_name_field(frame, path, level, name_field, province_field)
    code_field = code_field or _pick_code_field(frame, level, name_field, province_field)
    frame = _merge_parts(frame, path, [name_field, code_field, province_field])

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

    # Members of a zip or KMZ are extracted here, and GDAL reads the extracted copy.
    with tempfile.TemporaryDirectory(prefix="dxmap-boundary-") as scratch:
        try:
            dataset, has_codepage = _dataset_to_read(path, suffix, Path(scratch))
            kind = ".kml" if dataset.lower().endswith(".kml") else suffix
            layers = [layer] if layer else _polygon_layers(dataset, kind)
            frames = [_read_layer(dataset, name, has_codepage) for name in layers]
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as error:
            raise BoundaryError(
                f"Không đọc được tệp ranh giới {path}: {error}. Hãy kiểm tra tệp có đúng định dạng "
                f"{SUPPORTED_SUFFIXES[suffix]} và không bị hỏng.",
                f"Could not read boundary file {path}: {error}. Check that it is a valid "
                f"{SUPPORTED_SUFFIXES[suffix]} file.",
            ) from error
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if frame.empty:
        raise BoundaryError(
            f"Tệp {path.name} không có đối tượng nào. Hãy kiểm tra đã xuất đúng lớp dữ liệu.",
            f"{path.name} contains no features. Check that the right layer was exported.",
        )
    return frame


def _dataset_to_read(path: Path, suffix: str, scratch: Path) -> tuple[str, bool]:
    """Return the path GDAL should open, and whether a Shapefile there has a .cpg file.

    A zip or KMZ is checked and the members needed are extracted into ``scratch``.
    A KML, given directly or extracted, is checked for a DTD first.
    """
    if suffix == ".zip":
        dataset = _extract_boundary_member(path, scratch)
        if dataset.suffix.lower() == ".kml":
            _check_kml_has_no_dtd(dataset, path)
        return str(dataset), dataset.with_suffix(".cpg").is_file()

    if suffix == ".kmz":
        dataset = _extract_kmz_document(path, scratch)
        _check_kml_has_no_dtd(dataset, path)
        return str(dataset), False

    if suffix == ".kml":
        _check_kml_has_no_dtd(path, path)
    return str(path), path.with_suffix(".cpg").is_file()


# --- Zip and KMZ archives ------------------------------------------------------------
# Archives come from users and are unpacked on the server, so each is checked before
# anything is extracted: member count, total unpacked size and member paths.

# A Shapefile is 3 to 8 files, and a GIS export with one Shapefile per province has a
# few hundred. Beyond this limit, members only make listing the archive slow.
MAX_ARCHIVE_MEMBERS = 1000

# Bounds the temporary disk (and, once read, the memory) that one archive can take.
# NOTE: sized from an estimate: a national commune Shapefile at full detail is tens
# of MB unpacked, so 512 MiB leaves a wide margin, but no such file was measured.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

# Extraction copies members in chunks of this many bytes, counting as it goes.
EXTRACT_CHUNK_BYTES = 1024 * 1024

BOUNDARY_MEMBER_SUFFIXES = (".shp", ".geojson", ".json", ".gpkg", ".kml")

# The file-type bits of a member's Unix mode (the high 16 bits of external_attr).
_UNIX_FILE_TYPE_MASK = 0o170000
_UNIX_SYMLINK = 0o120000


def _extract_boundary_member(path: Path, scratch: Path) -> Path:
    """Extract the first boundary file of a zip, at any folder depth, into ``scratch``.

    A Shapefile is extracted with the files beside it that share its name (.dbf,
    .shx, .prj, .cpg), renamed to the .shp file's name with lower-case suffixes so
    GDAL finds them whatever case the archive used.
    """
    with _open_archive(path) as archive:
        members = _checked_members(archive, path)
        names = [info.filename for info in members]
        readable = [
            info
            for info in members
            if Path(info.filename).suffix.lower() in BOUNDARY_MEMBER_SUFFIXES and not _is_mac_resource(info.filename)
        ]
        if not readable:
            raise ValueError(f"the archive contains no .shp, .geojson, .gpkg or .kml file (members: {names[:10]})")

        member = readable[0]
        if not member.filename.lower().endswith(".shp"):
            target = scratch / PurePosixPath(member.filename).name
            _extract_counted(archive, member, target, path, MAX_UNPACKED_BYTES)
            return target

        target = scratch / f"{PurePosixPath(member.filename).stem}.shp"
        stem = member.filename[:-4].lower()
        siblings = [info for info in members if info.filename.lower().rsplit(".", 1)[0] == stem]
        if not any(info.filename.lower() == f"{stem}.dbf" for info in siblings):
            raise ValueError(f"{member.filename} has no .dbf file beside it, so its attributes (names, codes) are missing")
        budget = MAX_UNPACKED_BYTES
        for info in siblings:
            sibling_suffix = PurePosixPath(info.filename).suffix.lower()
            budget -= _extract_counted(archive, info, target.with_suffix(sibling_suffix), path, budget)
        return target


def _is_mac_resource(name: str) -> bool:
    """Tell whether a member is macOS Finder metadata ("__MACOSX/…", "._name.shp"), not data."""
    parts = PurePosixPath(name).parts
    return "__MACOSX" in parts or PurePosixPath(name).name.startswith("._")


def _extract_kmz_document(path: Path, scratch: Path) -> Path:
    """Extract the main KML of a KMZ into ``scratch``: ``doc.kml`` at the top, else the first .kml.

    Images and other resources of the KMZ are not extracted, since only the
    boundaries are read.
    """
    with _open_archive(path) as archive:
        members = _checked_members(archive, path)
        documents = [info for info in members if info.filename.lower().endswith(".kml")]
        if not documents:
            raise ValueError(f"the KMZ contains no .kml file (members: {[info.filename for info in members[:10]]})")
        main = next((info for info in documents if info.filename.lower() == "doc.kml"), documents[0])
        target = scratch / "doc.kml"
        _extract_counted(archive, main, target, path, MAX_UNPACKED_BYTES)
        return target


def _open_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise ValueError(f"not a valid zip archive ({error})") from error


def _checked_members(archive: zipfile.ZipFile, path: Path) -> list[zipfile.ZipInfo]:
    """Return the archive's file members after checking their count, sizes and paths.

    Raises
    ------
    BoundaryError
        If the archive has too many members, declares more than MAX_UNPACKED_BYTES
        in total, or has a member whose path would land outside the extraction folder.
    """
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise BoundaryError(
            f"Tệp nén {path.name} có {len(members)} thành phần, vượt giới hạn {MAX_ARCHIVE_MEMBERS}. "
            "Hãy chỉ nén các tệp của lớp ranh giới cần đọc (.shp, .shx, .dbf, .prj, .cpg).",
            f"Archive {path.name} has {len(members)} members, more than the limit of {MAX_ARCHIVE_MEMBERS}. "
            "Zip only the files of the boundary layer to read (.shp, .shx, .dbf, .prj, .cpg).",
        )

    for info in members:
        problem = _unsafe_member_problem(info)
        if problem:
            vi_problem, en_problem = problem
            raise BoundaryError(
                f"Tệp nén {path.name} không được đọc: thành phần {_quoted(info.filename)} {vi_problem}, "
                "có thể ghi ra ngoài thư mục giải nén. Hãy nén lại các tệp với đường dẫn tương đối, "
                "không có \"..\" và không có liên kết tượng trưng.",
                f"Archive {path.name} was rejected: its member {_quoted(info.filename)} {en_problem}, "
                "which could write outside the extraction folder. Zip the files again with relative paths, "
                "no \"..\" and no symbolic links.",
            )

    declared = sum(info.file_size for info in members)
    if declared > MAX_UNPACKED_BYTES:
        _raise_too_large(path, f"{declared / 2**20:,.0f} MB")
    return [info for info in members if not info.is_dir()]


def _unsafe_member_problem(info: zipfile.ZipInfo) -> tuple[str, str] | None:
    """Return why a member's path is unsafe to extract, in Vietnamese and English, else None."""
    # Zip tools on Windows sometimes write backslashes, which Windows treats as separators.
    name = info.filename.replace("\\", "/")
    if name.startswith("/"):
        return "là đường dẫn tuyệt đối", "is an absolute path"
    if len(name) >= 2 and name[1] == ":" and name[0].isascii() and name[0].isalpha():
        return "bắt đầu bằng ký tự ổ đĩa", "starts with a drive letter"
    if ".." in name.split("/"):
        return "chứa thư mục cha \"..\"", "contains the parent folder \"..\""
    if info.create_system == 3 and (info.external_attr >> 16) & _UNIX_FILE_TYPE_MASK == _UNIX_SYMLINK:
        return "là liên kết tượng trưng", "is a symbolic link"
    return None


def _extract_counted(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, path: Path,
                     budget: int) -> int:
    """Copy one member to ``target``, stopping once it passes ``budget`` bytes; return the bytes written.

    The declared sizes were checked already, but a crafted header can declare
    less than the member unpacks to. CPython's zipfile (3.11) also stops at the
    declared size and then fails the CRC check; this count keeps the limit
    independent of that.
    """
    if not target.resolve().is_relative_to(target.parent.resolve()):
        raise ValueError(f"member {info.filename} would be extracted outside the temporary folder")

    written = 0
    try:
        with archive.open(info) as source, target.open("wb") as output:
            while chunk := source.read(EXTRACT_CHUNK_BYTES):
                written += len(chunk)
                if written > budget:
                    _raise_too_large(path, f"{_quoted(info.filename)}: > {budget / 2**20:,.0f} MB")
                output.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as error:
        # RuntimeError: an encrypted member; NotImplementedError: an unsupported compression method.
        raise ValueError(f"could not extract {info.filename} ({error})") from error
    return written


def _raise_too_large(path: Path, found: str) -> None:
    limit = f"{MAX_UNPACKED_BYTES / 2**20:,.0f} MB"
    raise BoundaryError(
        f"Tệp nén {path.name} khi giải nén vượt giới hạn {limit} ({found}). Hãy chỉ nén các tệp của "
        "lớp ranh giới cần đọc, hoặc đơn giản hóa hình học trước khi xuất.",
        f"Archive {path.name} unpacks to more than the limit of {limit} ({found}). Zip only the files "
        "of the boundary layer to read, or simplify its geometry before exporting.",
    )


def _quoted(text: str, limit: int = 120) -> str:
    """Quote a name from an untrusted file for a message: control characters escaped, length capped."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


# --- KML -----------------------------------------------------------------------------


def _check_kml_has_no_dtd(kml: Path, path: Path) -> None:
    """Reject a KML whose DOCTYPE has an internal subset or names an external DTD.

    That is where entities are declared, including external ones such as
    ``<!ENTITY x SYSTEM "file:///etc/passwd">``. KML is defined by an XML schema
    and never needs a DTD. Only the prolog is parsed, with Python's expat and no
    external entity or DTD loading, up to the root element.
    GDAL 3.12.4 (in the pyogrio 0.13 wheel) already aborts on entity declarations,
    but its message is only "parsing aborted". This check names the reason, and
    keeps the protection when another GDAL build behaves differently.
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _reject_dtd
    parser.StartElementHandler = _stop_at_root
    display_name = path.name if kml == path else f"{path.name} ({kml.name})"
    try:
        with kml.open("rb") as handle:
            while chunk := handle.read(64 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _RootElementReached:
        return
    except _DtdFound as found:
        raise BoundaryError(
            f"Tệp {display_name} có khai báo DTD ({found}). DTD có thể khai báo thực thể đọc nội dung tệp khác, "
            "nên tệp không được đọc. KML không cần DTD: hãy xuất lại tệp từ phần mềm GIS "
            "hoặc xóa phần <!DOCTYPE …> ở đầu tệp.",
            f"{display_name} contains a DTD ({found}). A DTD can declare entities that read other files, "
            "so the file was rejected. KML needs no DTD: export the file again from the GIS software "
            "or delete the <!DOCTYPE …> part at the top of the file.",
        ) from None
    except xml.parsers.expat.ExpatError as error:
        raise ValueError(f"not valid XML ({error})") from error


class _DtdFound(Exception):
    pass


class _RootElementReached(Exception):
    pass


def _reject_dtd(name: str, system_id: str | None, public_id: str | None, has_internal_subset: bool) -> None:
    if has_internal_subset:
        raise _DtdFound(f"<!DOCTYPE {_quoted(name, 40)} [ … ]>")
    if system_id or public_id:
        raise _DtdFound(f"<!DOCTYPE {_quoted(name, 40)} SYSTEM {_quoted(system_id or public_id)}>")


def _stop_at_root(name: str, attributes: dict) -> None:
    raise _RootElementReached


def _read_layer(dataset: str, layer: str, has_codepage: bool) -> gpd.GeoDataFrame:
    """Read one layer; a Shapefile without a .cpg is tried as UTF-8 before GDAL's Latin-1."""
    if dataset.lower().endswith(".shp") and not has_codepage:
        try:
            return gpd.read_file(dataset, layer=layer, engine="pyogrio", encoding="utf-8")
        except (UnicodeDecodeError, pyogrio.errors.DataSourceError) as error:
            log.warning("%s is not UTF-8 (%s); reading it with GDAL's default encoding", dataset, error)
    return gpd.read_file(dataset, layer=layer, engine="pyogrio")


def _polygon_layers(dataset: str, suffix: str) -> list[str]:
    """Return the layers to read: every polygon layer of a KML, else the first polygon layer."""
    listed = pyogrio.list_layers(dataset)
    polygonal = [str(name) for name, kind in listed if kind is None or "Polygon" in str(kind)]
    if not polygonal:
        polygonal = [str(name) for name, _ in listed]
    if suffix in (".kml", ".kmz"):
        return polygonal
    if len(polygonal) > 1:
        log.warning("%s has layers %s; reading %s (choose another with --layer)", dataset, polygonal, polygonal[0])
    return polygonal[:1]


def _to_wgs84(frame: gpd.GeoDataFrame, path: Path, crs: str | None) -> tuple[gpd.GeoDataFrame, str]:
    """Reproject to WGS 84 and return the frame with the name of the CRS it was read in."""
    if crs:
        try:
            frame = frame.set_crs(crs, allow_override=True)
        except pyproj.exceptions.CRSError as error:
            raise BoundaryError(
                f"Hệ tọa độ (CRS) \"{crs}\" không hợp lệ: {error}. Hãy ghi dạng EPSG:<mã>, ví dụ EPSG:3405.",
                f"Invalid CRS \"{crs}\": {error}. Write it as EPSG:<code>, e.g. EPSG:3405.",
            ) from error
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
    read = len(frame)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty].copy()
    frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])]
    if 0 < len(frame) < read:
        warnings.warn(f"{path.name}: {read - len(frame)} of {read} rows have no polygon geometry "
                      "(empty, points or lines) and were skipped.", stacklevel=4)
    if frame.empty:
        raise BoundaryError(
            f"Tệp {path.name} không có vùng (polygon) nào. Bản đồ cần ranh giới dạng vùng, không phải điểm hay đường.",
            f"{path.name} contains no polygons. The map needs area boundaries, not points or lines.",
        )
    invalid = ~frame.geometry.is_valid
    frame.loc[invalid, "geometry"] = [repair_geometry(shape) for shape in frame.geometry[invalid]]
    frame["geometry"] = [polygonal_part(shape) for shape in frame.geometry]
    return frame


def _text_columns(frame: gpd.GeoDataFrame) -> list[str]:
    return [
        column
        for column in frame.columns
        if column != frame.geometry.name
        and (frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]))
    ]


def _share(values: pd.Series, accepts) -> float:
    """Return the share of a column's distinct values (first 200) that ``accepts`` takes."""
    sample = values.dropna().astype(str).drop_duplicates().head(200)
    if sample.empty:
        return 0.0
    return sum(bool(accepts(value)) for value in sample) / len(sample)


def _match_share(values: pd.Series, matcher) -> float:
    # An ambiguous name is still a unit name: the province column settles it later.
    return _share(values, lambda value: matcher(value).status in ("matched", "former", "ambiguous"))


def _province_code_of(value) -> str | None:
    """Return the province code of a province name or two-digit code, else None."""
    text = str(value).strip().removesuffix(".0")
    if text.isdigit() and text.zfill(2) in units.provinces().index:
        return text.zfill(2)
    match = match_province(text)
    return match.code if match.status in ("matched", "former") else None


def _province_share(values: pd.Series) -> float:
    return _share(values, lambda value: _province_code_of(value) is not None)


def _pick_name_field(frame, path: Path, level: str | None, name_field: str | None,
                     province_field: str | None) -> tuple[str, str, str | None]:
    """Return the level, the name column and (for communes) the province column."""
    columns = [name_field] if name_field else _text_columns(frame)
    province_field = province_field or _pick_province_field(frame, exclude=name_field)
    commune_columns = [column for column in columns if column != province_field]

    province_score = max(((_match_share(frame[c], match_province), c) for c in columns), default=(0.0, None))
    commune_score = max(((_match_share(frame[c], match_commune), c) for c in commune_columns), default=(0.0, None))
    few_units = frame[columns[0]].nunique() <= MAX_PROVINCE_FEATURES if columns else False

    # A file with a province column beside another name column lists communes.
    if level == "commune" or (level is None and province_field and commune_score[0] >= MIN_NAME_MATCH_SHARE):
        best, level = commune_score, "commune"
    elif level == "province" or (level is None and few_units and province_score[0] >= commune_score[0]):
        best, level = province_score, "province"
    else:
        best, level = commune_score, "commune"

    if best[0] < MIN_NAME_MATCH_SHARE:
        raise BoundaryError(
            f"Không tìm thấy cột tên đơn vị hành chính trong {path.name} (các cột: {', '.join(columns)}). "
            "Hãy chỉ rõ cột tên (--name-field) và cấp (--level).",
            f"No column of unit names found in {path.name} (columns: {', '.join(columns)}). "
            "Name the column with --name-field and the level with --level.",
        )
    return level, name_field or best[1], province_field if level == "commune" else None


def _pick_code_field(frame: gpd.GeoDataFrame, level: str, name_field: str, province_field: str | None) -> str | None:
    """Return the column of official codes, if one agrees with the names.

    A column of numbers is accepted only when, for most rows whose name matched, it
    carries the matched unit's code, so row numbers (OBJECTID, id) are not taken.
    """
    matcher = match_province if level == "province" else match_commune
    width = 2 if level == "province" else 5
    sample = frame.head(200)
    expected = [matcher(str(name)).code for name in sample[name_field]]

    best, best_share = None, 0.0
    for column in frame.columns:
        if column in (frame.geometry.name, name_field, province_field):
            continue
        values = sample[column].astype(str).str.strip().str.removesuffix(".0")
        if not values.str.fullmatch(r"\d{1,5}").all():
            continue
        pairs = [(code.zfill(width), wanted) for code, wanted in zip(values, expected) if wanted]
        share = sum(code == wanted for code, wanted in pairs) / len(pairs) if pairs else 0.0
        if share > best_share:
            best, best_share = column, share
    return best if best_share >= MIN_NAME_MATCH_SHARE else None


def _pick_province_field(frame: gpd.GeoDataFrame, exclude: str | None) -> str | None:
    columns = [c for c in frame.columns if c not in (frame.geometry.name, exclude)]
    scored = [(_province_share(frame[column]), column) for column in columns if frame[column].nunique() > 0]
    share, column = max(scored, default=(0.0, None))
    return column if share >= MIN_NAME_MATCH_SHARE else None


def _merge_parts(frame: gpd.GeoDataFrame, path: Path, fields: list[str | None]) -> gpd.GeoDataFrame:
    """Merge rows that repeat the same attributes: exports often write one row per island."""
    keys = [field for field in fields if field]
    if not frame.duplicated(keys).any():
        return frame
    merged = frame.dissolve(by=keys, as_index=False, dropna=False)
    warnings.warn(f"{path.name}: {len(frame)} rows with the same name and code were merged "
                  f"into {len(merged)} units (one row per polygon part).", stacklevel=4)
    return merged


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
        province_codes = [_province_code_of(value) for value in frame[province_field]]
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
