"""Boundary file sources: a verified download, or a local folder.

The default source is the public repository ``lamngockhuong/vietnam-3d-map`` (MIT
licence) at a pinned commit. Files are downloaded on first use with pooch, checked
against the SHA-256 in ``data/boundary_files.txt`` and cached on disk, so a second
start needs no network. Setting ``DXMAP_BOUNDARIES_DIR`` (environment or
``secrets.toml``) points to a folder of the same layout instead, for offline use.
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pooch
import requests

from geo.errors import BoundaryError
from geo.settings import BOUNDARIES_DIR, BOUNDARIES_URL, CACHE_DIR, cache_root, get_setting

log = logging.getLogger(__name__)

SOURCE_REPOSITORY = "lamngockhuong/vietnam-3d-map"
SOURCE_COMMIT = "dc6095c45a49279d6c24f4de6cf00f4b2b04a90d"
DEFAULT_BASE_URL = f"https://raw.githubusercontent.com/{SOURCE_REPOSITORY}/{SOURCE_COMMIT}/"
ATTRIBUTION = "Ranh giới: vietnam-3d-map (L. N. Khương, giấy phép MIT), từ dữ liệu gis.vn"
ATTRIBUTION_EN = "Boundaries: vietnam-3d-map (L. N. Khương, MIT licence), from gis.vn data"


def attribution(lang: str = "vi") -> str:
    """Return the credit of the boundary data in ``lang`` ("vi" or "en")."""
    return ATTRIBUTION_EN if lang == "en" else ATTRIBUTION

PROVINCES_FILE = "public/provinces.json"
REGISTRY_FILE = Path(__file__).parent / "data" / "boundary_files.txt"


def commune_file(province_code: str) -> str:
    """Return the relative path of one province's commune file ("01" -> "public/wards/01.json")."""
    return f"public/wards/{province_code}.json"


@lru_cache(maxsize=1)
def registry() -> dict[str, str]:
    """Return the known files and their ``sha256:<hex>`` hashes."""
    entries = {}
    for line in REGISTRY_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, known_hash = line.split()
            entries[name] = known_hash
    return entries


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file as lowercase hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class BoundarySource:
    """A folder of the shared layout, filled on demand when it is a download cache."""

    kind: str  # "download" or "folder"
    location: str  # base URL or folder path, for reports
    root: Path
    mismatched: list[str] = field(default_factory=list)
    verified: set[str] = field(default_factory=set)
    digests: dict[str, str] = field(default_factory=dict)

    @property
    def hashes_verified(self) -> bool:
        """True when every file used so far matched its known SHA-256."""
        return bool(self.verified) and not self.mismatched

    def path(self, name: str) -> Path:
        """Return the local path of ``name``, downloading and verifying it if needed."""
        if self.kind == "download":
            return self._fetch(name)
        return self._local(name)

    def _fetch(self, name: str) -> Path:
        fetcher = _fetcher(self.location, str(self.root))
        try:
            local = Path(fetcher.fetch(name))
        except ValueError as error:
            if "hash" not in str(error).lower():
                raise BoundaryError(
                    f"Không tải được tệp ranh giới {name} từ {self.location}: {error}. "
                    f"Hãy sửa {BOUNDARIES_URL} thành một địa chỉ http:// hoặc https://.",
                    f"Could not download boundary file {name} from {self.location}: {error}. "
                    f"Fix {BOUNDARIES_URL} to an http:// or https:// address.",
                ) from error
            raise BoundaryError(
                f"Tệp ranh giới {name} tải từ {self.location} bị hỏng hoặc đã bị thay đổi: "
                f"mã SHA-256 không khớp ({error}). Tệp hỏng đã bị xóa khỏi bộ nhớ đệm. "
                f"Hãy thử lại, hoặc đặt {BOUNDARIES_DIR} trỏ tới một thư mục có bản đúng.",
                f"Boundary file {name} downloaded from {self.location} is corrupted or was changed: "
                f"SHA-256 mismatch ({error}). The bad file was removed from the cache. "
                f"Retry, or set {BOUNDARIES_DIR} to a folder holding the right files.",
            ) from error
        except (requests.RequestException, ConnectionError) as error:
            raise BoundaryError(
                f"Không tải được tệp ranh giới {name} từ {self.location}: {error}. "
                f"Hãy kiểm tra {BOUNDARIES_URL}; trên mạng nội bộ không có Internet, hãy đặt "
                f"{BOUNDARIES_DIR} trỏ tới thư mục chứa các tệp ranh giới.",
                f"Could not download boundary file {name} from {self.location}: {error}. "
                f"Check {BOUNDARIES_URL}; on a network without Internet access, set {BOUNDARIES_DIR} "
                "to a folder holding the boundary files.",
            ) from error
        except OSError as error:
            raise BoundaryError(
                f"Không ghi được tệp ranh giới {name} vào bộ nhớ đệm {self.root}: {error}. "
                f"Hãy sửa {CACHE_DIR} thành một thư mục ghi được.",
                f"Could not write boundary file {name} to the cache {self.root}: {error}. "
                f"Fix {CACHE_DIR} to a writable folder.",
            ) from error
        self.verified.add(name)
        self.digests[name] = registry()[name].removeprefix("sha256:")
        return local

    def fingerprint(self, names: list[str]) -> str:
        """Return a digest of the given files' contents, fetching them if needed."""
        digest = hashlib.sha256()
        for name in sorted(names):
            self.path(name)
            digest.update(f"{name}={self.digests[name]};".encode())
        return digest.hexdigest()

    def _local(self, name: str) -> Path:
        local = self.root / name
        if not local.is_file():
            raise BoundaryError(
                f"Không tìm thấy tệp ranh giới {local}. Thư mục {self.root} ({BOUNDARIES_DIR}) "
                f"phải có cấu trúc của kho {SOURCE_REPOSITORY}: public/provinces.json và public/wards/<mã tỉnh>.json.",
                f"Boundary file {local} not found. The folder {self.root} ({BOUNDARIES_DIR}) must have "
                f"the layout of {SOURCE_REPOSITORY}: public/provinces.json and public/wards/<province code>.json.",
            )
        self._verify_local(name, local)
        return local

    def _verify_local(self, name: str, local: Path) -> None:
        if name in self.digests:
            return
        actual = file_sha256(local)
        self.digests[name] = actual
        known = registry().get(name)
        if known is None:
            return
        if known == f"sha256:{actual}":
            self.verified.add(name)
            return
        self.mismatched.append(name)
        warnings.warn(
            f"{local}: SHA-256 {actual} differs from the pinned {known}; "
            "the folder holds another version of the boundaries, so the report may differ.",
            stacklevel=3,
        )


@lru_cache(maxsize=4)
def _fetcher(base_url: str, cache_dir: str) -> pooch.Pooch:
    return pooch.create(path=cache_dir, base_url=base_url, registry=registry(), retry_if_failed=1)


def default_cache_dir() -> Path:
    """Return the download cache: ``DXMAP_CACHE_DIR`` or the user's cache folder."""
    return cache_root() / "boundaries" / SOURCE_COMMIT[:12]


def open_source(folder: str | Path | None = None) -> BoundarySource:
    """Open the boundary source: ``folder`` if given, else the configured one.

    Parameters
    ----------
    folder
        A folder of the shared layout. When None, ``DXMAP_BOUNDARIES_DIR`` is used
        if set, else the pinned download (base URL ``DXMAP_BOUNDARIES_URL`` if set).

    Raises
    ------
    BoundaryError
        If a named folder does not exist.
    """
    folder = folder or get_setting(BOUNDARIES_DIR)
    if folder:
        root = Path(folder).expanduser()
        if not root.is_dir():
            raise BoundaryError(
                f"Thư mục ranh giới {root} không tồn tại. Hãy sửa {BOUNDARIES_DIR} "
                "trong biến môi trường hoặc .streamlit/secrets.toml.",
                f"Boundary folder {root} does not exist. Fix {BOUNDARIES_DIR} "
                "in the environment or in .streamlit/secrets.toml.",
            )
        log.info("Boundary source: folder %s", root)
        return BoundarySource(kind="folder", location=str(root), root=root)

    base_url = (get_setting(BOUNDARIES_URL) or DEFAULT_BASE_URL).strip()
    if not base_url.startswith(("http://", "https://")):
        raise BoundaryError(
            f"{BOUNDARIES_URL} = \"{base_url}\" không phải địa chỉ http:// hoặc https://. "
            f"Hãy sửa địa chỉ, hoặc dùng {BOUNDARIES_DIR} cho một thư mục trên máy.",
            f"{BOUNDARIES_URL} = \"{base_url}\" is not an http:// or https:// address. "
            f"Fix the address, or use {BOUNDARIES_DIR} for a local folder.",
        )
    if not base_url.endswith("/"):
        base_url += "/"
    root = default_cache_dir()
    log.info("Boundary source: %s, cached in %s", base_url, root)
    return BoundarySource(kind="download", location=base_url, root=root)
