"""The 63 provinces before 1 July 2025 and the 34 provinces they became.

Resolution 202/2025/QH15 of the National Assembly merged 52 of the 63 provinces into 23
new ones from 1 July 2025, and left 11 unchanged. Each new province took the name of
one of its former provinces. It also took the two-digit GSO code of one of them, but
not always of the same one. Lào Cai now has Yên Bái's old code 15, and Tây Ninh has
Long An's old code 80. An old code can therefore belong to a different province
today, so the crosswalk keeps old and new codes in separate columns.

Thừa Thiên Huế counts as unchanged in 2025. It had already become Thành phố Huế, a
centrally-run city, on 1 January 2025, and its code stayed 46.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo.names import PROVINCE_ABBREVIATIONS, NameIndex, lookup_levels, strip_prefixes
from geo.units import province_code, provinces

__all__ = [
    "FORMER_PROVINCE_COUNT",
    "find_former",
    "find_former_codes",
    "formed_from",
    "former_provinces",
]

FORMER_PROVINCE_COUNT = 63

_CSV_PATH = Path(__file__).parent / "data" / "former_provinces.csv"
_CHANGES = ("unchanged", "merged")


@lru_cache(maxsize=1)
def former_provinces() -> pd.DataFrame:
    """Load the crosswalk of the 63 former provinces to the 34 current ones.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``former_code``, the two-digit GSO code a province had before
        1 July 2025. Columns: ``former_name`` (official short name, e.g.
        "Bà Rịa - Vũng Tàu"), ``province_code`` (the current province's two-digit
        code) and ``change`` ("unchanged" or "merged").

    Raises
    ------
    ValueError
        If the CSV file does not have 63 rows, a row names an unknown current
        province, or ``change`` has another value.
    """
    table = pd.read_csv(_CSV_PATH, dtype=str, keep_default_na=False)
    _check_table(table)
    return table.set_index("former_code")


def _check_table(table: pd.DataFrame) -> None:
    if len(table) != FORMER_PROVINCE_COUNT:
        raise ValueError(
            f"{_CSV_PATH}: expected {FORMER_PROVINCE_COUNT} former provinces, found {len(table)}"
        )

    current = set(provinces().index)
    for row_number, row in enumerate(table.itertuples(index=False), start=2):
        if row.province_code not in current:
            raise ValueError(
                f"{_CSV_PATH}, line {row_number}: province_code {row.province_code!r} "
                f"is not one of the 34 current province codes"
            )
        if row.change not in _CHANGES:
            raise ValueError(
                f"{_CSV_PATH}, line {row_number}: change {row.change!r} is invalid, "
                f"expected one of {_CHANGES}"
            )


def formed_from(province: str) -> list[str]:
    """List the names of the former provinces that form a current province.

    Parameters
    ----------
    province : str
        Two-digit GSO code of a current province, e.g. "08" (Tuyên Quang).

    Returns
    -------
    list of str
        Former short names in order of their old codes, e.g. ["Hà Giang",
        "Tuyên Quang"]. An unchanged province lists itself under its pre-2025 name
        (["Thừa Thiên Huế"] for "46").

    Raises
    ------
    ValueError
        If the code is not one of the 34 current province codes.
    """
    code = province if isinstance(province, str) and province.isdecimal() else None
    if code is None or province_code(code) not in provinces().index:
        raise ValueError(
            f"Province code {province!r} not found: expected one of the 34 current "
            f"two-digit codes, e.g. '01' for Hà Nội"
        )
    code = province_code(code)

    table = former_provinces()
    return table.loc[table["province_code"] == code, "former_name"].tolist()


@lru_cache(maxsize=1)
def _former_index() -> NameIndex[str]:
    table = former_provinces()
    codes = dict(zip(table["former_name"], table.index))
    entries = list(codes.items())
    entries += [
        (abbreviation, codes[name])
        for abbreviation, name in PROVINCE_ABBREVIATIONS.items()
        if name in codes
    ]
    return NameIndex(entries)


def find_former_codes(name: str, level: str) -> set[str]:
    """Return the old codes of former provinces whose name equals ``name`` at ``level``.

    ``name`` must already be without prefixes. ``level`` is one of `geo.names.LEVELS`.
    """
    return _former_index().find(name, level)


def find_former(name: str) -> pd.Series | None:
    """Look up a former province by name.

    Parameters
    ----------
    name : str
        A pre-2025 province name as written: "Hà Giang", "tỉnh Bà Rịa-Vũng Tàu",
        "BR-VT", "Thua Thien Hue". Prefixes, tone-mark placement, dashes and case do
        not matter. A name without diacritics is looked up without them.

    Returns
    -------
    pandas.Series or None
        The crosswalk row, with the old code as its ``name`` attribute and the
        fields ``former_name``, ``province_code`` and ``change``, or None when no
        former province, or more than one, has that name.
    """
    table = former_provinces()
    readings = {strip_prefixes(name)[1], strip_prefixes(name, fold=False)[1]}

    for level in lookup_levels(name):
        codes = set().union(*(find_former_codes(text, level) for text in readings))
        if len(codes) == 1:
            return table.loc[codes.pop()]
        if codes:
            return None
    return None
