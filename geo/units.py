"""The official list of provinces and communes, from the `vietnam-provinces` package."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from vietnam_provinces import Province, Ward

PROVINCE_COUNT = 34
COMMUNE_COUNT = 3321

# Prefixes the official list puts before a unit's proper name.
_PROVINCE_PREFIXES = ("Thành phố ", "Tỉnh ")
_COMMUNE_PREFIXES = ("Phường ", "Xã ", "Đặc khu ")


def province_code(value: int | str) -> str:
    """Format a province code as the two-digit GSO string ("1" -> "01")."""
    return f"{int(value):02d}"


def commune_code(value: int | str) -> str:
    """Format a commune code as the five-digit GSO string ("70" -> "00070")."""
    return f"{int(value):05d}"


def _clean_name(name: str) -> str:
    """Collapse runs of spaces, which a few names in the package contain ("Phường  Tân An")."""
    return " ".join(name.split())


def _strip_prefix(name: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@lru_cache(maxsize=1)
def provinces() -> pd.DataFrame:
    """Return the 34 provinces, indexed by two-digit code.

    Columns: ``name`` (official, e.g. "Thành phố Hà Nội"), ``short_name``
    ("Hà Nội"), ``division_type`` ("tỉnh" or "thành phố trung ương").
    """
    rows = [
        {
            "code": province_code(p.code.value),
            "name": _clean_name(p.name),
            "short_name": _strip_prefix(_clean_name(p.name), _PROVINCE_PREFIXES),
            "division_type": p.division_type.value,
        }
        for p in Province.iter_all()
    ]
    return pd.DataFrame(rows).set_index("code").sort_index()


@lru_cache(maxsize=1)
def communes() -> pd.DataFrame:
    """Return the 3,321 communes, indexed by five-digit code.

    Columns: ``name`` (official, e.g. "Phường Hoàn Kiếm"), ``short_name``
    ("Hoàn Kiếm"), ``division_type`` ("xã", "phường" or "đặc khu"),
    ``province_code`` (two digits).
    """
    rows = [
        {
            "code": commune_code(w.code.value),
            "name": _clean_name(w.name),
            "short_name": _strip_prefix(_clean_name(w.name), _COMMUNE_PREFIXES),
            "division_type": w.division_type.value,
            "province_code": province_code(w.province_code.value),
        }
        for w in Ward.iter_all()
    ]
    return pd.DataFrame(rows).set_index("code").sort_index()
