"""Versioned storage: imports, merges, restores, failed imports, processes writing at once and bad URLs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from monitoring.dataset import Dataset, Provenance
from monitoring.model import FILING, KINDS, PROVINCE_STATUS, empty_table, normalise_table
from monitoring.store import DatabaseOpenError, Store, VersionNotFoundError, data_tables, has_imports

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


def test_unknown_version_message_bilingual(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "a.csv")
    with pytest.raises(VersionNotFoundError) as raised:
        store.restore(99)
    assert raised.value.message("vi") == "Không tìm thấy phiên bản 99: các phiên bản đánh số từ 0 (dữ liệu mẫu) đến 1."
    assert raised.value.message("en") == "Version 99 not found: versions run from 0 (the sample) to 1."
    assert str(raised.value) == raised.value.message("en")


def test_would_change_first_import(store):
    assert store.would_change({PROVINCE_STATUS: province_table(SAMPLE_ROWS)}) is True


def test_would_change_identical_rows(store):
    rows = [("2025-07-15", "01", "vang"), ("2025-07-15", "79", "xanh")]
    store.import_tables({PROVINCE_STATUS: province_table(rows)}, "a.csv")
    assert store.would_change({PROVINCE_STATUS: province_table(rows)}) is False
    assert store.would_change({PROVINCE_STATUS: province_table(rows[:1])}) is False
    assert store.would_change({PROVINCE_STATUS: province_table(list(reversed(rows)))}) is False


def test_would_change_changed_rows(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, "a.csv")
    assert store.would_change({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}) is True
    assert store.would_change({PROVINCE_STATUS: province_table([("2025-07-22", "01", "vang")])}) is True


def test_would_change_other_kind_from_sample(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, "a.csv")
    filing = pd.DataFrame({"date": [pd.Timestamp(2025, 7, 15)], "province_code": ["01"], "online": [5], "total": [10]})
    assert store.would_change({FILING: normalise_table(FILING, filing)}) is True


def test_would_change_writes_nothing(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, "a.csv")
    store.would_change({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])})
    assert store.current_version() == 1
    assert list(store.load()[PROVINCE_STATUS]["status"]) == ["vang"]


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


@pytest.mark.parametrize(
    "url",
    ["not a url", "postgresql://user:pa55word@host:port/db", "postgres ql://user:pa55word@host/db", "nosuchdialect://user:pa55word@host/db"],
)
def test_open_invalid_url(url):
    with pytest.raises(DatabaseOpenError) as raised:
        Store.open(url)
    assert "pa55word" not in raised.value.message("vi")
    assert "pa55word" not in raised.value.message("en")
    assert "sqlite:///" in raised.value.message("en")


def test_open_missing_driver_hides_password():
    url = "postgresql+pg8000://user:secret@127.0.0.1:1/db"
    for opener in (Store.open, has_imports):
        with pytest.raises(DatabaseOpenError) as raised:
            opener(url)
        assert "secret" not in raised.value.message("en")
        assert "postgresql+pg8000://user:***@127.0.0.1:1/db" in raised.value.message("en")
        assert "psycopg" in raised.value.message("vi")


def test_open_file_not_a_database(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("These are notes, not a SQLite database.\n" * 40, encoding="utf-8")
    for opener in (Store.open, has_imports):
        with pytest.raises(DatabaseOpenError, match="file is not a database"):
            opener(f"sqlite:///{path}")


def test_open_folder_blocked_by_file(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(DatabaseOpenError) as raised:
        Store.open(f"sqlite:///{blocker / 'store' / 'monitoring.sqlite'}")
    assert "part of the path is a file" in raised.value.message("en")
    assert "tệp chứ không phải thư mục" in raised.value.message("vi")


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


CREATE_SCRIPT = """
import sys
import pandas as pd
from monitoring.model import PROVINCE_STATUS, normalise_table
from monitoring.store import Store

folder, code = sys.argv[1], sys.argv[2]
frame = pd.DataFrame({"report_date": [pd.Timestamp(2025, 7, 1)], "province_code": [code], "status": ["xanh"]})
table = normalise_table(PROVINCE_STATUS, frame)
print("ready", flush=True)
# Each line on stdin names a round: every process opens the same new database at once.
for line in sys.stdin:
    Store.open(f"sqlite:///{folder}/round-{line.strip()}.sqlite").import_tables({PROVINCE_STATUS: table}, f"{code}.csv")
    print("done", flush=True)
"""

CREATE_CODES = ("01", "04", "31", "48", "79", "92")
CREATE_ROUNDS = 25


def test_processes_create_new_database_at_once(tmp_path, sample):
    """Several processes create the same new SQLite database and import into it at the same moment.

    The processes load their modules first and then start each round together, so table
    creation and the first writes overlap. Some races show up in only a few rounds out of
    many, hence the repeats.
    """
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", CREATE_SCRIPT, str(tmp_path), code],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for code in CREATE_CODES
    ]
    try:
        assert [process.stdout.readline().strip() for process in processes] == ["ready"] * len(CREATE_CODES)
        for round_number in range(CREATE_ROUNDS):
            for process in processes:
                process.stdin.write(f"{round_number}\n")
                process.stdin.flush()
            replies = [process.stdout.readline().strip() for process in processes]
            assert replies == ["done"] * len(CREATE_CODES), f"round {round_number}: {replies}"
    finally:
        for process in processes:
            process.stdin.close()
        errors = [process.stderr.read() for process in processes]
        statuses = [process.wait(timeout=60) for process in processes]
    assert statuses == [0] * len(CREATE_CODES), "\n".join(errors)

    for round_number in range(CREATE_ROUNDS):
        store = Store.open(f"sqlite:///{tmp_path / f'round-{round_number}.sqlite'}")
        store._sample = sample
        table = store.load()[PROVINCE_STATUS]
        assert store.current_version() == len(CREATE_CODES), round_number
        assert sorted(table["province_code"]) == sorted(CREATE_CODES), round_number


def test_replace_drops_missing_rows(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang"), ("2025-07-15", "79", "xanh")])}, "a.csv")
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "b.csv", replace=True)
    table = store.load()[PROVINCE_STATUS]
    assert list(table["province_code"]) == ["01"]
    assert list(table["status"]) == ["xanh"]


def test_preview_counts_changes(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang"), ("2025-07-15", "79", "xanh")])}, "a.csv")
    new = {PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh"), ("2025-07-15", "79", "xanh"), ("2025-07-22", "01", "xanh")])}
    merge = store.preview(new)[PROVINCE_STATUS]
    replace = store.preview({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, replace=True)[PROVINCE_STATUS]
    assert (merge.added, merge.replaced, merge.unchanged, merge.removed) == (1, 1, 1, 0)
    assert (replace.added, replace.replaced, replace.unchanged, replace.removed) == (0, 0, 1, 1)
    assert replace.changes_data


def test_preview_first_import_replaces_sample(store):
    change = store.preview({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])})[PROVINCE_STATUS]
    assert change.replaces_sample
    assert change.removed == 2


def test_preview_commune_conditions_twice(store):
    from monitoring.model import COMMUNE_STATUS, CONDITION_KEYS

    row = {"report_date": pd.Timestamp("2025-07-15"), "commune_code": "00004", "status": None}
    row.update(dict.fromkeys(CONDITION_KEYS, True))
    row["seal"] = None
    table = normalise_table(COMMUNE_STATUS, pd.DataFrame([row]))
    store.import_tables({COMMUNE_STATUS: table}, "xa.csv")

    change = store.preview({COMMUNE_STATUS: table})[COMMUNE_STATUS]
    assert (change.added, change.replaced, change.unchanged) == (0, 0, 1)
