"""Versioned storage: imports, merges, restores, failed imports and two processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from monitoring.dataset import Dataset, Provenance
from monitoring.model import FILING, KINDS, PROVINCE_STATUS, empty_table, normalise_table
from monitoring.store import Store, data_tables, has_imports

REPO = Path(__file__).resolve().parents[1]


def province_table(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["report_date", "province_code", "status"])
    frame["report_date"] = pd.to_datetime(frame["report_date"])
    return normalise_table(PROVINCE_STATUS, frame)


SAMPLE_ROWS = [("2025-07-01", "01", "vang"), ("2025-07-01", "79", "xanh")]


@pytest.fixture
def sample() -> Dataset:
    tables = {kind: empty_table(kind) for kind in KINDS}
    tables[PROVINCE_STATUS] = province_table(SAMPLE_ROWS)
    return Dataset(tables, {kind: Provenance(kind, "sample") for kind in KINDS})


@pytest.fixture
def store(tmp_path, sample) -> Store:
    opened = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    opened._sample = sample
    return opened


def test_empty_store_serves_sample(store):
    dataset = store.load()
    assert store.current_version() == 0
    assert len(dataset[PROVINCE_STATUS]) == 2
    assert dataset.provenance[PROVINCE_STATUS].is_sample


def test_first_import_replaces_sample(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "a.csv")
    table = store.load()[PROVINCE_STATUS]
    assert list(table["province_code"]) == ["01"]
    assert list(table["status"]) == ["xanh"]


def test_import_merges_by_key(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang"), ("2025-07-15", "79", "xanh")])}, "a.csv")
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh"), ("2025-07-22", "01", "xanh")])}, "b.csv")
    table = store.load()[PROVINCE_STATUS].set_index(["report_date", "province_code"])["status"]
    assert len(table) == 3
    assert table[(pd.Timestamp("2025-07-15"), "01")] == "xanh"
    assert table[(pd.Timestamp("2025-07-15"), "79")] == "xanh"


def test_provenance_names_file(store):
    version = store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "tinh.xlsx")
    provenance = store.load().provenance
    assert provenance[PROVINCE_STATUS].file_name == "tinh.xlsx"
    assert provenance[PROVINCE_STATUS].version == version.id
    assert provenance[FILING].is_sample


def test_earlier_versions_kept(store):
    first = store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, "a.csv")
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "b.csv")
    assert list(store.load(first.id)[PROVINCE_STATUS]["status"]) == ["vang"]
    assert [version.id for version in store.versions()] == [2, 1]


def test_restore_adds_version(store):
    first = store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, "a.csv")
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "b.csv")
    restored = store.restore(first.id)
    assert restored.id == 3
    assert restored.restored_from == first.id
    assert list(store.load()[PROVINCE_STATUS]["status"]) == ["vang"]
    assert len(store.versions()) == 3


def test_restore_sample(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "a.csv")
    store.restore(0)
    assert store.load().provenance[PROVINCE_STATUS].is_sample
    assert len(store.load()[PROVINCE_STATUS]) == 2


def test_restore_unknown_version(store):
    with pytest.raises(LookupError, match="Version 7 not found"):
        store.restore(7)


def test_failed_import_changes_nothing(store, monkeypatch):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, "a.csv")
    before = store.load()[PROVINCE_STATUS]

    def fail(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_write_contents", fail)
    with pytest.raises(RuntimeError):
        store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "b.csv")
    monkeypatch.undo()

    assert store.current_version() == 1
    pd.testing.assert_frame_equal(store.load()[PROVINCE_STATUS], before)
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(sa.func.count()).select_from(data_tables[PROVINCE_STATUS])).scalar()
    assert rows == 1


def test_data_survives_reopen(tmp_path, sample):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    Store.open(url).import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "a.csv")
    reopened = Store.open(url)
    reopened._sample = sample
    assert reopened.current_version() == 1
    assert list(reopened.load()[PROVINCE_STATUS]["status"]) == ["xanh"]


def test_has_imports_creates_nothing(tmp_path):
    path = tmp_path / "absent.sqlite"
    assert has_imports(f"sqlite:///{path}") is False
    assert not path.exists()


IMPORT_SCRIPT = """
import sys
import pandas as pd
from monitoring.model import PROVINCE_STATUS, normalise_table
from monitoring.store import Store

url, code = sys.argv[1], sys.argv[2]
store = Store.open(url)
for day in range(1, 11):
    frame = pd.DataFrame({"report_date": [pd.Timestamp(2025, 7, day)], "province_code": [code], "status": ["xanh"]})
    store.import_tables({PROVINCE_STATUS: normalise_table(PROVINCE_STATUS, frame)}, f"{code}-{day}.csv")
"""


def test_two_processes_import_at_once(tmp_path, sample):
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    Store.open(url)
    processes = [
        subprocess.Popen([sys.executable, "-c", IMPORT_SCRIPT, url, code], cwd=REPO) for code in ("01", "79")
    ]
    assert [process.wait(timeout=120) for process in processes] == [0, 0]

    store = Store.open(url)
    store._sample = sample
    table = store.load()[PROVINCE_STATUS]
    assert store.current_version() == 20
    assert len(table) == 20
    assert sorted(table["province_code"].unique()) == ["01", "79"]
