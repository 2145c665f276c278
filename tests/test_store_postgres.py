"""Versioned storage on a real PostgreSQL server: imports, processes sharing one database, failed imports.

The tests run when DXMAP_TEST_POSTGRES_URL is a SQLAlchemy URL of a database in which
the user may create schemas, such as
``postgresql+psycopg://dxmap_test:password@127.0.0.1:5432/dxmap_test``; `.ci/run` starts
such a server and sets the variable. Each test works in a new schema of its own, which
it drops afterwards. Without the variable the tests skip, except under ``CI=true``,
where they fail so that CI can't pass without them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from monitoring.dataset import Dataset, Provenance, load_sample
from monitoring.model import FILING, KINDS, PROVINCE_STATUS, SCORES, empty_table, normalise_table
from monitoring.store import Store, VersionNotFoundError, has_imports, metadata

REPO = Path(__file__).resolve().parents[1]
POSTGRES_URL = "DXMAP_TEST_POSTGRES_URL"
PROCESS_TIMEOUT = 120
"""Seconds that a helper process may take before the test fails."""

pytestmark = pytest.mark.skipif(
    not os.environ.get(POSTGRES_URL) and os.environ.get("CI") != "true",
    reason=f"{POSTGRES_URL} is not set: no PostgreSQL server to test against",
)


@pytest.fixture(scope="session")
def server_url() -> sa.engine.URL:
    """The URL of the test database, from DXMAP_TEST_POSTGRES_URL."""
    url = os.environ.get(POSTGRES_URL)
    if not url:
        pytest.fail(
            f"{POSTGRES_URL} is not set, but CI=true requires the PostgreSQL tests. Set it to a URL such as "
            "postgresql+psycopg://user:password@127.0.0.1:5432/database; .ci/run starts a server and sets it."
        )
    return sa.engine.make_url(url)


@pytest.fixture
def new_schema_url(server_url) -> Iterator[Callable[[], str]]:
    """Return a function that creates an empty schema and returns a URL whose connections use it.

    Every schema created this way is dropped when the test ends.
    """
    admin = sa.create_engine(server_url)
    created: list[str] = []

    def create() -> str:
        name = f"dxmap_test_{uuid.uuid4().hex[:12]}"
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{name}"'))
        created.append(name)
        # libpq's "options" sets search_path for each connection, so Store creates its tables in this schema.
        url = server_url.update_query_dict({"options": f"-csearch_path={name}"})
        return url.render_as_string(hide_password=False)

    yield create

    with admin.begin() as connection:
        for name in created:
            connection.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


@pytest.fixture
def schema_url(new_schema_url) -> str:
    return new_schema_url()


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
def store(schema_url, sample) -> Iterator[Store]:
    opened = Store.open(schema_url)
    opened._sample = sample
    yield opened
    opened.engine.dispose()


def row_counts(engine: sa.engine.Engine) -> dict[str, int]:
    """Count the rows of every table of the store."""
    with engine.connect() as connection:
        return {
            table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
        }


def run_monitoring(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT,
    )


# --- the store on PostgreSQL -----------------------------------------------------------


def test_tables_in_own_schema(store, schema_url):
    schema = sa.engine.make_url(schema_url).query["options"].removeprefix("-csearch_path=")
    tables = set(sa.inspect(store.engine).get_table_names(schema=schema))
    assert store.engine.dialect.name == "postgresql"
    assert tables == set(metadata.tables)


def test_empty_store_serves_sample(store, schema_url):
    dataset = store.load()
    assert store.current_version() == 0
    assert store.versions() == []
    assert has_imports(schema_url) is False
    assert len(dataset[PROVINCE_STATUS]) == 2
    assert dataset.provenance[PROVINCE_STATUS].is_sample


def test_import_merges_by_key(store, schema_url):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang"), ("2025-07-15", "79", "xanh")])}, "a.csv")
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh"), ("2025-07-22", "01", "xanh")])}, "b.csv")
    table = store.load()[PROVINCE_STATUS].set_index(["report_date", "province_code"])["status"]
    assert has_imports(schema_url) is True
    assert len(table) == 3
    assert table[(pd.Timestamp("2025-07-15"), "01")] == "xanh"
    assert table[(pd.Timestamp("2025-07-15"), "79")] == "xanh"
    assert table[(pd.Timestamp("2025-07-22"), "01")] == "xanh"


def test_versions_and_provenance(store):
    first = store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, "a.csv", author="an")
    second = store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "tinh.xlsx")
    provenance = store.load().provenance[PROVINCE_STATUS]
    listed = store.versions()
    assert [version.id for version in listed] == [2, 1]
    assert listed[1] == first
    assert (first.action, first.kinds, first.file_name, first.rows, first.author) == ("import", (PROVINCE_STATUS,), "a.csv", 1, "an")
    assert first.created_at.tzinfo is not None
    assert second.created_at >= first.created_at
    assert (provenance.version, provenance.file_name) == (2, "tinh.xlsx")
    assert provenance.imported_at == pd.Timestamp(second.created_at)
    assert list(store.load(first.id)[PROVINCE_STATUS]["status"]) == ["vang"]
    assert store.load().provenance[FILING].is_sample


def test_restore_adds_version(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, "a.csv")
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "b.csv")
    restored = store.restore(1)
    assert (restored.id, restored.action, restored.restored_from) == (3, "restore", 1)
    assert list(store.load()[PROVINCE_STATUS]["status"]) == ["vang"]
    assert list(store.load(2)[PROVINCE_STATUS]["status"]) == ["xanh"]

    store.restore(0)
    assert store.current_version() == 4
    assert store.load().provenance[PROVINCE_STATUS].is_sample
    assert len(store.load()[PROVINCE_STATUS]) == 2


def test_restore_unknown_version(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "a.csv")
    with pytest.raises(VersionNotFoundError) as raised:
        store.restore(99)
    assert raised.value.message("en") == "Version 99 not found: versions run from 0 (the sample) to 1."
    assert store.current_version() == 1


def test_replace_drops_missing_rows(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang"), ("2025-07-15", "79", "xanh")])}, "a.csv")
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")])}, "b.csv", replace=True)
    table = store.load()[PROVINCE_STATUS]
    assert list(table["province_code"]) == ["01"]
    assert list(table["status"]) == ["xanh"]


def test_preview_and_would_change(store):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang"), ("2025-07-15", "79", "xanh")])}, "a.csv")
    new = {PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh"), ("2025-07-15", "79", "xanh"), ("2025-07-22", "01", "xanh")])}
    merge = store.preview(new)[PROVINCE_STATUS]
    assert (merge.added, merge.replaced, merge.unchanged, merge.removed) == (1, 1, 1, 0)
    assert store.would_change({PROVINCE_STATUS: province_table([("2025-07-15", "79", "xanh")])}) is False
    assert store.current_version() == 1


def test_every_kind_round_trips(schema_url):
    """The illustrative sample's five tables come back from PostgreSQL with the same values and dtypes.

    They cover every column type of the store: dates, booleans, integer counts, float
    scores, text and missing values.
    """
    sample = load_sample()
    store = Store.open(schema_url)
    version = store.import_tables({kind: sample[kind] for kind in KINDS}, "sample.csv")
    loaded = store.load()
    store.engine.dispose()

    assert version.rows == sum(len(sample[kind]) for kind in KINDS)
    for kind in KINDS:
        assert loaded.provenance[kind].version == 1, kind
        pd.testing.assert_frame_equal(loaded[kind], sample[kind], obj=kind)


# --- several processes on one database -------------------------------------------------

READER_SCRIPT = """
import json
import sys

import pandas as pd

from monitoring.model import PROVINCE_STATUS, normalise_table
from monitoring.store import Store

store = Store.open(sys.argv[1])
print("ready", flush=True)
# Each line on stdin is a command: "load", or "import CODE DATE FILE".
for line in sys.stdin:
    command, *arguments = line.split()
    if command == "load":
        dataset = store.load()
        table = dataset[PROVINCE_STATUS][["report_date", "province_code", "status"]]
        rows = [] if dataset.provenance[PROVINCE_STATUS].is_sample else [
            [str(day.date()), code, status] for day, code, status in table.itertuples(index=False)
        ]
        print(json.dumps({"version": store.current_version(), "rows": sorted(rows)}), flush=True)
    elif command == "import":
        code, day, file_name = arguments
        frame = pd.DataFrame({"report_date": [pd.Timestamp(day)], "province_code": [code], "status": ["xanh"]})
        version = store.import_tables({PROVINCE_STATUS: normalise_table(PROVINCE_STATUS, frame)}, file_name)
        print(json.dumps({"version": version.id}), flush=True)
"""


def start_reader(url: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", READER_SCRIPT, url],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready", process.stderr.read()
    return process


def ask(process: subprocess.Popen, command: str) -> dict:
    process.stdin.write(command + "\n")
    process.stdin.flush()
    reply = process.stdout.readline()
    assert reply, f"{command!r} failed: {process.stderr.read()}"
    return json.loads(reply)


def finish(process: subprocess.Popen) -> None:
    process.stdin.close()
    errors = process.stderr.read()
    assert process.wait(timeout=PROCESS_TIMEOUT) == 0, errors


def test_processes_see_each_other(schema_url, tmp_path, portal_export):
    """A running app process loads what a command-line import committed, and the other way round."""
    reader = start_reader(schema_url)
    try:
        assert ask(reader, "load") == {"version": 0, "rows": []}

        path = tmp_path / "tinh.csv"
        path.write_text("Ngày báo cáo,Mã tỉnh,Trạng thái\n16/07/2025,01,Đỏ\n", encoding="utf-8")
        imported = run_monitoring("import", str(path), "--json", "--database", schema_url)
        assert imported.returncode == 0, imported.stderr
        assert json.loads(imported.stdout)["version"] == 1
        assert ask(reader, "load") == {"version": 1, "rows": [["2025-07-16", "01", "do"]]}

        assert ask(reader, "import 79 2025-07-17 b.csv") == {"version": 2}
        scores = run_monitoring("import", str(portal_export), "--json", "--database", schema_url)
        assert scores.returncode == 0, scores.stderr
        assert json.loads(scores.stdout)["version"] == 3
        assert ask(reader, "load") == {"version": 3, "rows": [["2025-07-16", "01", "do"], ["2025-07-17", "79", "xanh"]]}
    finally:
        finish(reader)

    listed = run_monitoring("versions", "--json", "--database", schema_url)
    assert listed.returncode == 0, listed.stderr
    assert [(version["id"], version["file_name"]) for version in json.loads(listed.stdout)] == [
        (3, portal_export.name),
        (2, "b.csv"),
        (1, "tinh.csv"),
    ]
    store = Store.open(schema_url)
    loaded = store.load()
    store.engine.dispose()
    assert len(loaded[SCORES]) == json.loads(scores.stdout)["rows"]
    assert loaded.provenance[SCORES].file_name == portal_export.name
    assert len(loaded[PROVINCE_STATUS]) == 2


IMPORT_SCRIPT = """
import sys

import pandas as pd

from monitoring.model import PROVINCE_STATUS, normalise_table
from monitoring.store import Store

url, code = sys.argv[1], sys.argv[2]
store = Store.open(url)
print("ready", flush=True)
sys.stdin.readline()
for day in range(1, 11):
    frame = pd.DataFrame({"report_date": [pd.Timestamp(2025, 7, day)], "province_code": [code], "status": ["xanh"]})
    store.import_tables({PROVINCE_STATUS: normalise_table(PROVINCE_STATUS, frame)}, f"{code}-{day}.csv")
"""


def test_concurrent_imports_separate_versions(schema_url, sample):
    """Two processes import ten times each at the same moment: 20 versions, each building on the one before."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORT_SCRIPT, schema_url, code],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for code in ("01", "79")
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in processes:
        finish(process)

    store = Store.open(schema_url)
    store._sample = sample
    listed = store.versions()
    table = store.load()[PROVINCE_STATUS]
    # Version n contains n rows only if every import merged onto the version committed just before it.
    sizes = {version.id: len(store.load(version.id)[PROVINCE_STATUS]) for version in listed}
    store.engine.dispose()

    assert [version.id for version in listed] == list(range(20, 0, -1))
    assert sorted(version.file_name for version in listed) == sorted(f"{code}-{day}.csv" for code in ("01", "79") for day in range(1, 11))
    assert sizes == {version_id: version_id for version_id in range(1, 21)}
    assert len(table) == 20
    assert sorted(table["province_code"].unique()) == ["01", "79"]


def test_import_waits_for_write_lock(store, schema_url, tmp_path):
    """An import from another process waits while this one holds the write lock, then builds on its version."""
    path = tmp_path / "tinh.csv"
    path.write_text("Ngày báo cáo,Mã tỉnh,Trạng thái\n16/07/2025,79,Xanh\n", encoding="utf-8")
    with store.engine.begin() as connection:
        store._lock(connection)
        command = [sys.executable, "-m", "monitoring", "import", str(path), "--json", "--database", schema_url]
        waiting = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert waiting.poll() is None, waiting.stderr.read()
        version_id = store._add_version(connection, "import", [PROVINCE_STATUS], "held.csv", 1, None, None)
        store._insert_rows(connection, PROVINCE_STATUS, version_id, province_table([("2025-07-15", "01", "vang")]))
        store._write_contents(connection, version_id, {**dict.fromkeys(KINDS), PROVINCE_STATUS: version_id})
    output, errors = waiting.communicate(timeout=PROCESS_TIMEOUT)

    assert waiting.returncode == 0, errors
    assert json.loads(output)["version"] == 2
    table = store.load()[PROVINCE_STATUS]
    assert sorted(table["province_code"]) == ["01", "79"]


CREATE_SCRIPT = """
import sys

import pandas as pd

from monitoring.model import PROVINCE_STATUS, normalise_table
from monitoring.store import Store

code = sys.argv[1]
frame = pd.DataFrame({"report_date": [pd.Timestamp(2025, 7, 1)], "province_code": [code], "status": ["xanh"]})
table = normalise_table(PROVINCE_STATUS, frame)
print("ready", flush=True)
# Each line on stdin is the URL of a new, empty schema that every process opens at once.
for line in sys.stdin:
    store = Store.open(line.strip())
    store.import_tables({PROVINCE_STATUS: table}, f"{code}.csv")
    store.engine.dispose()
    print("done", flush=True)
"""

CREATE_CODES = ("01", "04", "31", "48", "79", "92")
CREATE_ROUNDS = 8


def test_processes_create_tables_at_once(new_schema_url, sample):
    """Several processes create the store's tables in the same empty schema at once, then import.

    PostgreSQL makes a concurrent CREATE TABLE wait for the first creator's transaction and
    then fail with a unique violation in its catalog, which `Store.create` must tolerate.
    """
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", CREATE_SCRIPT, code],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for code in CREATE_CODES
    ]
    urls = [new_schema_url() for _ in range(CREATE_ROUNDS)]
    try:
        assert [process.stdout.readline().strip() for process in processes] == ["ready"] * len(CREATE_CODES)
        for round_number, url in enumerate(urls):
            for process in processes:
                process.stdin.write(url + "\n")
                process.stdin.flush()
            replies = [process.stdout.readline().strip() for process in processes]
            assert replies == ["done"] * len(CREATE_CODES), f"round {round_number}: {replies}"
    finally:
        for process in processes:
            process.stdin.close()
        errors = [process.stderr.read() for process in processes]
        statuses = [process.wait(timeout=PROCESS_TIMEOUT) for process in processes]
    assert statuses == [0] * len(CREATE_CODES), "\n".join(errors)

    for round_number, url in enumerate(urls):
        store = Store.open(url)
        store._sample = sample
        table = store.load()[PROVINCE_STATUS]
        current = store.current_version()
        store.engine.dispose()
        assert current == len(CREATE_CODES), round_number
        assert sorted(table["province_code"]) == sorted(CREATE_CODES), round_number


# --- failed imports ---------------------------------------------------------------------


def filing_table(online: int, total: int) -> pd.DataFrame:
    frame = pd.DataFrame({"date": [pd.Timestamp(2025, 7, 15)], "unit_code": ["01"], "online": [online], "total": [total]})
    return normalise_table(FILING, frame)


def test_failed_import_changes_nothing(store):
    """An import that PostgreSQL rejects after some of its rows are written leaves no trace.

    The filing counts are INTEGER columns, so a count above 2**31 - 1 fails on PostgreSQL
    (SQLite would store it) after the province rows of the same import went in.
    """
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, "a.csv")
    versions_before = store.versions()
    counts_before = row_counts(store.engine)
    table_before = store.load()[PROVINCE_STATUS]

    tables = {PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh")]), FILING: filing_table(2**40, 2**41)}
    with pytest.raises(sa.exc.DataError, match="out of range"):
        store.import_tables(tables, "b.csv")

    assert store.current_version() == 1
    assert store.versions() == versions_before
    assert row_counts(store.engine) == counts_before
    pd.testing.assert_frame_equal(store.load()[PROVINCE_STATUS], table_before)
    assert store.load().provenance[FILING].is_sample
    # The rolled-back import leaves no gap in the version numbers.
    assert store.import_tables({FILING: filing_table(5, 10)}, "c.csv").id == 2


def test_failed_import_after_rows_written(store, monkeypatch):
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, "a.csv")
    versions_before = store.versions()
    counts_before = row_counts(store.engine)

    def fail(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_write_contents", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "xanh"), ("2025-07-16", "79", "do")])}, "b.csv")
    monkeypatch.undo()

    assert store.current_version() == 1
    assert store.versions() == versions_before
    assert row_counts(store.engine) == counts_before
    assert list(store.load()[PROVINCE_STATUS]["status"]) == ["vang"]


KILLED_SCRIPT = """
import sys
import time

import pandas as pd

from monitoring.model import PROVINCE_STATUS, normalise_table
from monitoring.store import Store

store = Store.open(sys.argv[1])


def wait_forever(*_args, **_kwargs):
    print("rows written", flush=True)
    time.sleep(600)


# The import stops after writing its version and rows, holding the write lock, until killed.
store._write_contents = wait_forever
frame = pd.DataFrame({"report_date": [pd.Timestamp(2025, 7, 16)], "province_code": ["79"], "status": ["do"]})
store.import_tables({PROVINCE_STATUS: normalise_table(PROVINCE_STATUS, frame)}, "killed.csv")
"""


def test_killed_import_changes_nothing(store, schema_url, tmp_path):
    """A process killed in the middle of an import changes nothing and releases the write lock."""
    store.import_tables({PROVINCE_STATUS: province_table([("2025-07-15", "01", "vang")])}, "a.csv")
    versions_before = store.versions()
    counts_before = row_counts(store.engine)

    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_SCRIPT, schema_url], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().strip() == "rows written", process.stderr.read()
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=PROCESS_TIMEOUT)

    path = tmp_path / "tinh.csv"
    path.write_text("Ngày báo cáo,Mã tỉnh,Trạng thái\n16/07/2025,48,Xanh\n", encoding="utf-8")
    # This import waits for the write lock until PostgreSQL notices the dead client and rolls its transaction back.
    after = run_monitoring("import", str(path), "--json", "--database", schema_url)

    assert process.returncode == -signal.SIGKILL
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["version"] == 2
    assert store.versions()[1:] == versions_before
    counts = row_counts(store.engine)
    assert counts["dx_versions"] == counts_before["dx_versions"] + 1
    assert counts["dx_province_status"] == counts_before["dx_province_status"] + 2
    assert sorted(store.load()[PROVINCE_STATUS]["province_code"]) == ["01", "48"]
