"""A set of the five status tables with where each came from."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from monitoring.model import DATE_COLUMNS, KINDS, column_dtypes, empty_table, normalise_table

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"

SAMPLE_FILES = {kind: f"{kind}.csv.gz" for kind in KINDS}

MEMO_ENTRIES = 96
"""Derived results a dataset keeps (`Dataset.memo`); the least recently used go first."""


@dataclass(frozen=True)
class Provenance:
    """The source of one table's rows: the illustrative sample or an import."""

    kind: str
    source: str
    version: int | None = None
    imported_at: pd.Timestamp | None = None
    file_name: str | None = None

    @property
    def is_sample(self) -> bool:
        return self.source == "sample"


@dataclass
class Dataset:
    """The five tables keyed by kind, each with its provenance."""

    tables: dict[str, pd.DataFrame]
    provenance: dict[str, Provenance] = field(default_factory=dict)
    _memo: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False, compare=False)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    def __getitem__(self, kind: str) -> pd.DataFrame:
        return self.tables.get(kind, empty_table(kind))

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """Return ``compute()``, computed once per ``key`` for this dataset.

        A dataset never changes, so what is derived from it (a summary on a date, a
        built map layer) stays valid as long as the dataset lives. Callers share the
        result and must not change it. Two threads asking for the same new key may
        both compute it; the first result stored wins.
        """
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._memo_lock:
            value = self._memo.setdefault(key, value)
            while len(self._memo) > MEMO_ENTRIES:
                self._memo.popitem(last=False)
        return value

    def replace(self, kind: str, table: pd.DataFrame, provenance: Provenance) -> Dataset:
        """Return a copy with ``kind`` replaced."""
        tables = dict(self.tables)
        tables[kind] = table
        origins = dict(self.provenance)
        origins[kind] = provenance
        return Dataset(tables, origins)


def read_table_file(kind: str, path: Path) -> pd.DataFrame:
    """Read one table written by `write_table_file`."""
    frame = pd.read_csv(path, dtype=column_dtypes(kind), keep_default_na=True)
    return normalise_table(kind, frame)


def write_table_file(kind: str, table: pd.DataFrame, path: Path) -> None:
    """Write one table as CSV (gzip-compressed when ``path`` ends in .gz), dates as ISO 8601."""
    out = normalise_table(kind, table)
    for column in DATE_COLUMNS[kind]:
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False, compression={"method": "gzip", "mtime": 0} if path.suffix == ".gz" else None)


def load_sample(folder: Path = SAMPLE_DIR) -> Dataset:
    """Load the illustrative sample shipped in ``data/sample``."""
    tables = {}
    for kind in KINDS:
        path = folder / SAMPLE_FILES[kind]
        if not path.exists():
            raise FileNotFoundError(
                f"Sample table {path} not found: run `python -m monitoring make-sample` to generate it"
            )
        tables[kind] = read_table_file(kind, path)
    provenance = {kind: Provenance(kind, "sample") for kind in KINDS}
    return Dataset(tables, provenance)
