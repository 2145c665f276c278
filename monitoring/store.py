"""Versioned storage of the status tables through SQLAlchemy.

Every import and every restore adds one version; none is ever changed or deleted.
A version records, per table kind, which version's rows make up that table, so a
restore copies no rows and an import writes only the kinds it changes. A kind that
no import has touched is the illustrative sample (`monitoring.dataset.load_sample`),
and version 0 is "the sample only".

An import merges into the current table: its rows replace stored rows with the same
key (`monitoring.model.KEYS`) and other stored rows stay. The first import of a kind
replaces the sample rows of that kind entirely, so imported and illustrative rows
never mix. Each import or restore runs in one transaction that takes a write lock
first, so two processes that import at once each build on the other's result.

The same code serves SQLite (the default, a file under ``data/store``) and PostgreSQL
(any SQLAlchemy URL); the app passes the engine of ``st.connection("sql")``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from geo.errors import BilingualError
from geo.settings import get_secrets_section, get_setting
from monitoring.dataset import Dataset, Provenance, load_sample
from monitoring.model import (
    COLUMNS,
    CONDITION_KEYS,
    DATE_COLUMNS,
    FILING,
    KEYS,
    KINDS,
    SCORE_KEYS,
    SCORES,
    normalise_table,
)

log = logging.getLogger(__name__)

DATABASE_URL = "DXMAP_DATABASE_URL"
DEFAULT_DATABASE = Path(__file__).resolve().parent.parent / "data" / "store" / "monitoring.sqlite"
SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite connection waits for another process's write lock, in milliseconds."""

metadata = sa.MetaData()

versions = sa.Table(
    "dx_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("kinds", sa.String(200), nullable=False),
    sa.Column("file_name", sa.String(500)),
    sa.Column("rows", sa.Integer, nullable=False, default=0),
    sa.Column("restored_from", sa.Integer),
    sa.Column("author", sa.String(200)),
)

version_tables = sa.Table(
    "dx_version_tables",
    metadata,
    sa.Column("version_id", sa.Integer, sa.ForeignKey("dx_versions.id"), primary_key=True),
    sa.Column("kind", sa.String(32), primary_key=True),
    sa.Column("data_version", sa.Integer, sa.ForeignKey("dx_versions.id")),
)
"""The version whose rows make up each kind in a version (NULL: the sample)."""

write_lock = sa.Table(
    "dx_write_lock",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("counter", sa.Integer, nullable=False),
)
"""One row that every writer updates first, which serialises writers on SQLite and PostgreSQL."""


def _column_type(kind: str, column: str) -> sa.types.TypeEngine:
    if column in DATE_COLUMNS[kind]:
        return sa.Date()
    if column in CONDITION_KEYS:
        return sa.Boolean()
    if kind == FILING and column in ("online", "total"):
        return sa.Integer()
    if kind == SCORES and (column in SCORE_KEYS or column == "total"):
        return sa.Float()
    return sa.Text()


def _data_table(kind: str) -> sa.Table:
    columns = [sa.Column(column, _column_type(kind, column), nullable=column not in KEYS[kind]) for column in COLUMNS[kind]]
    return sa.Table(
        f"dx_{kind}",
        metadata,
        sa.Column("version_id", sa.Integer, sa.ForeignKey("dx_versions.id"), nullable=False),
        *columns,
        sa.Index(f"ix_dx_{kind}_version_key", "version_id", *KEYS[kind]),
    )


data_tables = {kind: _data_table(kind) for kind in KINDS}

_SCHEMA_OBJECTS = sum(1 + len(table.indexes) for table in metadata.tables.values())
"""Number of tables and indexes that `Store.create` creates."""


def _created_concurrently(error: sa.exc.DBAPIError) -> bool:
    """Tell whether a CREATE failed because another process created the same table or index.

    SQLite raises "table … already exists" and PostgreSQL "relation … already exists"
    or, when both CREATE statements run at once, a unique violation in its catalog.
    """
    return isinstance(error, sa.exc.IntegrityError) or "already exists" in str(error.orig).lower()


@dataclass(frozen=True)
class Version:
    """One stored version: the action, the kinds it changed, the source file, the time and the author."""

    id: int
    created_at: datetime
    action: str
    kinds: tuple[str, ...]
    file_name: str | None
    rows: int
    restored_from: int | None
    author: str | None


class StoreError(BilingualError):
    """An error of the store with its message in Vietnamese and English. ``str()`` returns the English one."""


class VersionNotFoundError(StoreError, LookupError):
    """A version id that the store does not contain."""


class DatabaseOpenError(StoreError):
    """A database URL that is invalid, whose driver is missing, or whose database can't be opened or created."""


def database_url() -> str:
    """Return the database URL: ``DXMAP_DATABASE_URL``, else ``url`` of ``[connections.sql]``
    in ``secrets.toml`` (what ``st.connection("sql")`` reads), else the SQLite file
    ``data/store/monitoring.sqlite``."""
    configured = get_setting(DATABASE_URL)
    if configured:
        return configured
    url = get_secrets_section("connections", "sql").get("url")
    if url:
        return str(url)
    return f"sqlite:///{DEFAULT_DATABASE}"


def _prepare_sqlite(engine: Engine) -> None:
    """Create the SQLite file's folder and use WAL, so readers don't wait for an import."""
    if engine.dialect.name != "sqlite":
        return
    database = engine.url.database
    if database and database != ":memory:":
        folder = Path(database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            redacted = _redacted(engine.url)
            # mkdir reports "File exists" or "Not a directory" when a file has the name of a folder on the path.
            blocked = isinstance(error, (FileExistsError, NotADirectoryError))
            reason_vi = "một phần của đường dẫn là tệp chứ không phải thư mục" if blocked else error.strerror
            reason_en = "part of the path is a file, not a folder" if blocked else error.strerror
            raise DatabaseOpenError(
                f"Không tạo được thư mục {folder} cho cơ sở dữ liệu SQLite {redacted}: {reason_vi}. "
                "Hãy chọn đường dẫn tệp nằm trong một thư mục có quyền ghi.",
                f"Cannot create the folder {folder} of the SQLite database {redacted}: {reason_en}. "
                "Choose a file path in a folder you can write to.",
            ) from error

    locked_error = engine.dialect.loaded_dbapi.OperationalError

    @sa.event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - run by SQLAlchemy
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        _use_wal(cursor, locked_error)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _use_wal(cursor, locked_error: type[Exception]) -> None:
    """Switch the SQLite file to WAL mode, retrying while another connection holds a lock.

    SQLite can reject this PRAGMA with "database is locked" at once, without waiting for
    ``busy_timeout``, when several processes open a new file together. WAL mode is stored
    in the file, so the switch only has to succeed once.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except locked_error as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Store:
    """The versioned tables in one database."""

    def __init__(self, engine: Engine, sample: Dataset | None = None) -> None:
        self.engine = engine
        self._sample = sample

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Open the store at ``url`` (default: `database_url`), creating its tables if needed.

        Raises `DatabaseOpenError` when the URL is invalid, its driver is not installed or
        the database can't be opened or created.
        """
        engine = _create_engine(_parse_url(url or database_url()))
        return cls.attach(engine)

    @classmethod
    def attach(cls, engine: Engine) -> Store:
        """Open the store on an existing engine, such as the one of ``st.connection("sql")``.

        Raises `DatabaseOpenError` when the database can't be opened or created.
        """
        with _opening(engine.url):
            _prepare_sqlite(engine)
            store = cls(engine)
            store.create()
        return store

    @staticmethod
    def check_url(url: str) -> None:
        """Raise `DatabaseOpenError` when ``url`` is invalid or its driver is not installed."""
        _create_engine(_parse_url(url)).dispose()

    def create(self) -> None:
        """Create the tables and the write-lock row that don't exist yet.

        Another process may be creating them at the same moment, such as a second
        ``python -m monitoring import`` on a new database, so both steps tolerate losing
        that race.
        """
        self._create_tables()
        self._add_write_lock_row()

    def _create_tables(self) -> None:
        # `create_all` checks which tables exist and then creates the others, so a
        # concurrent creator can create a table between the check and the CREATE. Each
        # such failure means another process committed one more table or index, which
        # the next check finds, so the attempts are bounded by the number of those.
        attempts = _SCHEMA_OBJECTS + 1
        for attempt in range(1, attempts + 1):
            try:
                metadata.create_all(self.engine)
                return
            except (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.IntegrityError) as error:
                if attempt == attempts or not _created_concurrently(error):
                    raise
                log.info(
                    "Creating the tables of %s collided with another process (%s); checking again, attempt %s of %s",
                    _redacted(self.engine.url),
                    error.orig,
                    attempt + 1,
                    attempts,
                )

    def _add_write_lock_row(self) -> None:
        with self.engine.connect() as connection:
            if connection.execute(sa.select(write_lock.c.id)).first() is not None:
                return
        # The insert runs in a transaction of its own whose first statement is a write,
        # so SQLite waits for a concurrent writer instead of failing its read snapshot.
        try:
            with self.engine.begin() as connection:
                connection.execute(write_lock.insert().values(id=1, counter=0))
        except sa.exc.IntegrityError as error:
            log.info("Another process added the write-lock row of %s first (%s)", _redacted(self.engine.url), error.orig)

    @property
    def sample(self) -> Dataset:
        if self._sample is None:
            self._sample = load_sample()
        return self._sample

    # --- reading ------------------------------------------------------------------

    def current_version(self) -> int:
        """Return the id of the latest version, 0 when nothing was ever imported."""
        with self.engine.connect() as connection:
            return self._current(connection)

    def _current(self, connection: Connection) -> int:
        return connection.execute(sa.select(sa.func.max(versions.c.id))).scalar() or 0

    def versions(self) -> list[Version]:
        """Return every version, newest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(versions).order_by(versions.c.id.desc())).mappings().all()
        return [_version(row) for row in rows]

    def version(self, version_id: int) -> Version | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(versions).where(versions.c.id == version_id)).mappings().first()
        return _version(row) if row else None

    def contents(self, connection: Connection, version_id: int) -> dict[str, int | None]:
        """Return, per kind, the version whose rows make up that kind (None: the sample)."""
        rows = connection.execute(
            sa.select(version_tables.c.kind, version_tables.c.data_version).where(version_tables.c.version_id == version_id)
        ).all()
        contents: dict[str, int | None] = dict.fromkeys(KINDS)
        contents.update({kind: data_version for kind, data_version in rows})
        return contents

    def load(self, version_id: int | None = None) -> Dataset:
        """Load the dataset of ``version_id`` (default: the current version)."""
        with self.engine.connect() as connection:
            if version_id is None:
                version_id = self._current(connection)
            self._check_exists(connection, version_id)
            contents = self.contents(connection, version_id) if version_id else dict.fromkeys(KINDS)
            tables, provenance = {}, {}
            for kind, data_version in contents.items():
                tables[kind], provenance[kind] = self._load_kind(connection, kind, data_version)
        return Dataset(tables, provenance)

    def _check_exists(self, connection: Connection, version_id: int) -> None:
        if version_id == 0:
            return
        found = connection.execute(sa.select(versions.c.id).where(versions.c.id == version_id)).first()
        if found is None:
            latest = self._current(connection)
            raise VersionNotFoundError(
                f"Không tìm thấy phiên bản {version_id}: các phiên bản đánh số từ 0 (dữ liệu mẫu) đến {latest}.",
                f"Version {version_id} not found: versions run from 0 (the sample) to {latest}.",
            )

    def _load_kind(self, connection: Connection, kind: str, data_version: int | None) -> tuple[pd.DataFrame, Provenance]:
        if data_version is None:
            return self.sample[kind], Provenance(kind, "sample")
        table = data_tables[kind]
        query = sa.select(*[table.c[column] for column in COLUMNS[kind]]).where(table.c.version_id == data_version)
        # Plain tuples: with SQLAlchemy Row objects, loading 200,000 filing rows took
        # 3.0 s instead of 1.1 s (2-core EPYC, pandas 3.1).
        rows = [tuple(row) for row in connection.execute(query)]
        frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS[kind]))
        info = connection.execute(sa.select(versions).where(versions.c.id == data_version)).mappings().one()
        created = pd.Timestamp(_utc(info["created_at"]))
        return normalise_table(kind, frame), Provenance(kind, "import", data_version, created, info["file_name"])

    def preview(self, tables: dict[str, pd.DataFrame], replace: bool = False) -> dict[str, Change]:
        """Count, per kind, what importing ``tables`` would do to the current data.

        Another process may import between this preview and `import_tables`, so use the
        counts for messages, not to decide whether to import.
        """
        changes = {}
        with self.engine.connect() as connection:
            current = self._current(connection)
            contents = self.contents(connection, current) if current else dict.fromkeys(KINDS)
            for kind, new_rows in tables.items():
                if contents[kind] is None:
                    stored = self.sample[kind]
                    changes[kind] = Change(len(new_rows), 0, 0, len(stored), replaces_sample=True)
                else:
                    stored, _ = self._load_kind(connection, kind, contents[kind])
                    changes[kind] = _count_changes(kind, stored, normalise_table(kind, new_rows), replace)
        return changes

    def would_change(self, tables: dict[str, pd.DataFrame], replace: bool = False) -> bool:
        """Tell whether importing ``tables`` would change the current data of their kinds."""
        return any(change.changes_data for change in self.preview(tables, replace).values())

    # --- writing ------------------------------------------------------------------

    def import_tables(
        self, tables: dict[str, pd.DataFrame], file_name: str, author: str | None = None, replace: bool = False
    ) -> Version:
        """Merge validated tables into the current data as one new version, in one transaction.

        With ``replace``, each imported kind is replaced whole: stored rows that the file
        doesn't contain are dropped, as when a corrected task list removes a wrong task.
        """
        unknown = sorted(set(tables) - set(KINDS))
        if unknown or not tables:
            raise ValueError(f"Nothing to import, or unknown kinds {unknown}: expected some of {', '.join(KINDS)}")

        with self.engine.begin() as connection:
            self._lock(connection)
            current = self._current(connection)
            contents = self.contents(connection, current) if current else dict.fromkeys(KINDS)
            version_id = self._add_version(connection, "import", sorted(tables), file_name, 0, None, author)

            rows = 0
            for kind, new_rows in tables.items():
                self._insert_rows(connection, kind, version_id, normalise_table(kind, new_rows))
                if contents[kind] is not None and not replace:
                    self._carry_over(connection, kind, contents[kind], version_id)
                contents[kind] = version_id
                rows += len(new_rows)

            self._write_contents(connection, version_id, contents)
            connection.execute(versions.update().where(versions.c.id == version_id).values(rows=rows))
        log.info("Imported %s rows of %s from %s as version %s", rows, ", ".join(sorted(tables)), file_name, version_id)
        return self.version(version_id)

    def restore(self, version_id: int, author: str | None = None) -> Version:
        """Make the data of ``version_id`` current again, as a new version."""
        with self.engine.begin() as connection:
            self._lock(connection)
            self._check_exists(connection, version_id)
            contents = self.contents(connection, version_id) if version_id else dict.fromkeys(KINDS)
            new_id = self._add_version(connection, "restore", list(KINDS), None, 0, version_id, author)
            self._write_contents(connection, new_id, contents)
        log.info("Restored version %s as version %s", version_id, new_id)
        return self.version(new_id)

    def _lock(self, connection: Connection) -> None:
        """Take the write lock, waiting until a concurrent writer's transaction ends.

        On PostgreSQL, each statement after the lock reads what that writer committed only
        at the default isolation level, READ COMMITTED. At REPEATABLE READ or above the
        second writer fails with a serialisation error instead.
        """
        connection.execute(write_lock.update().where(write_lock.c.id == 1).values(counter=write_lock.c.counter + 1))

    def _add_version(self, connection, action, kinds, file_name, rows, restored_from, author) -> int:
        # The id is the next number after the current version rather than a value of the
        # database's sequence, because a PostgreSQL sequence also advances for an import
        # that rolls back, which would leave a gap in the version numbers. The write lock
        # that the caller holds keeps the number unique.
        version_id = self._current(connection) + 1
        connection.execute(
            versions.insert().values(
                id=version_id,
                created_at=datetime.now(timezone.utc),
                action=action,
                kinds=",".join(kinds),
                file_name=file_name,
                rows=rows,
                restored_from=restored_from,
                author=author,
            )
        )
        return version_id

    def _carry_over(self, connection: Connection, kind: str, data_version: int, version_id: int) -> None:
        """Copy into ``version_id`` the rows of ``data_version`` that its new rows don't replace.

        The copy runs inside the database (INSERT … SELECT), so importing a few rows onto
        200,000 stored ones moves no rows through Python.
        """
        table = data_tables[kind]
        old, new = table.alias("old"), table.alias("new")
        replaced = sa.exists().where(new.c.version_id == version_id, *[new.c[key] == old.c[key] for key in KEYS[kind]])
        columns = list(COLUMNS[kind])
        kept = sa.select(sa.literal(version_id), *[old.c[column] for column in columns]).where(
            old.c.version_id == data_version, ~replaced
        )
        connection.execute(table.insert().from_select(["version_id", *columns], kept))

    def _insert_rows(self, connection: Connection, kind: str, version_id: int, table: pd.DataFrame) -> None:
        records = _records(kind, table)
        for record in records:
            record["version_id"] = version_id
        for start in range(0, len(records), 20_000):
            connection.execute(data_tables[kind].insert(), records[start : start + 20_000])

    def _write_contents(self, connection: Connection, version_id: int, contents: dict[str, int | None]) -> None:
        connection.execute(
            version_tables.insert(),
            [{"version_id": version_id, "kind": kind, "data_version": data_version} for kind, data_version in contents.items()],
        )


@dataclass(frozen=True)
class Change:
    """The effect of an import on one kind: rows added, rows replaced by a different row,
    rows whose new copy is identical, and stored rows dropped (only when replacing)."""

    added: int
    replaced: int
    unchanged: int
    removed: int
    replaces_sample: bool = False

    @property
    def changes_data(self) -> bool:
        return self.replaces_sample or bool(self.added or self.replaced or self.removed)


def _comparable(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` as text with missing values as one marker, so that missing equals
    missing whatever the column's dtype (boolean columns take no text fill value)."""
    return table.astype(object).where(table.notna(), "\0").astype(str)


def _count_changes(kind: str, stored: pd.DataFrame, new_rows: pd.DataFrame, replace: bool) -> Change:
    keys = list(KEYS[kind])
    stored_keys = pd.MultiIndex.from_frame(stored[keys])
    new_keys = pd.MultiIndex.from_frame(new_rows[keys])
    existing = new_keys.isin(stored_keys)
    removed = int((~stored_keys.isin(new_keys)).sum()) if replace else 0

    old_matching = stored[stored_keys.isin(new_keys)].set_index(keys).sort_index()
    new_matching = new_rows[existing].set_index(keys).sort_index()
    same = (_comparable(old_matching) == _comparable(new_matching)).all(axis=1)
    unchanged = int(same.sum())
    return Change(int((~existing).sum()), int(existing.sum()) - unchanged, unchanged, removed)


def _records(kind: str, table: pd.DataFrame) -> list[dict]:
    """Convert a table to plain Python records: dates as `date`, missing values as None."""
    out = table.astype(object).where(table.notna(), None)
    for column in DATE_COLUMNS[kind]:
        out[column] = [value.date() if value is not None else None for value in out[column]]
    return out.to_dict("records")


def _utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC time; SQLite returns the stored UTC time without a zone."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _version(row) -> Version:
    return Version(
        id=row["id"],
        created_at=_utc(row["created_at"]),
        action=row["action"],
        kinds=tuple(kind for kind in row["kinds"].split(",") if kind),
        file_name=row["file_name"],
        rows=row["rows"],
        restored_from=row["restored_from"],
        author=row["author"],
    )


def has_imports(url: str | None = None) -> bool:
    """Tell whether the database at ``url`` contains a version, without creating anything."""
    parsed = _parse_url(url or database_url())
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).exists():
            return False
    engine = _create_engine(parsed)
    try:
        with _opening(parsed):
            if not sa.inspect(engine).has_table("dx_versions"):
                return False
            with engine.connect() as connection:
                return (connection.execute(sa.select(sa.func.count()).select_from(versions)).scalar() or 0) > 0
    finally:
        engine.dispose()


# --- opening a database URL ---------------------------------------------------------

_URL_FORMS_VI = "sqlite:///đường/dẫn/tệp.sqlite hoặc postgresql+psycopg://user:password@host:5432/database"
_URL_FORMS_EN = "sqlite:///path/to/file.sqlite or postgresql+psycopg://user:password@host:5432/database"
_URL_SOURCES_VI = "--database, biến môi trường DXMAP_DATABASE_URL hoặc url của [connections.sql] trong secrets.toml"
_URL_SOURCES_EN = "--database, the DXMAP_DATABASE_URL environment variable or url of [connections.sql] in secrets.toml"


def _parse_url(url: str) -> sa.engine.URL:
    try:
        return sa.engine.make_url(url)
    except (sa.exc.ArgumentError, ValueError) as error:
        redacted = _redacted_text(url)
        raise DatabaseOpenError(
            f"URL cơ sở dữ liệu không hợp lệ: {redacted}. URL cần có dạng {_URL_FORMS_VI}. "
            f"Hãy sửa giá trị đặt qua {_URL_SOURCES_VI}.",
            f"Invalid database URL {redacted}: expected the form {_URL_FORMS_EN}. "
            f"Fix the value set with {_URL_SOURCES_EN}.",
        ) from error


def _create_engine(url: sa.engine.URL) -> Engine:
    redacted = _redacted(url)
    try:
        return sa.create_engine(url)
    except sa.exc.NoSuchModuleError as error:
        raise DatabaseOpenError(
            f"Không hỗ trợ loại cơ sở dữ liệu {url.drivername} trong URL {redacted}. Hãy dùng URL dạng {_URL_FORMS_VI}.",
            f"Unsupported database type {url.drivername} in URL {redacted}: use a URL of the form {_URL_FORMS_EN}.",
        ) from error
    except ModuleNotFoundError as error:
        raise DatabaseOpenError(
            f"Chưa cài trình điều khiển (driver) cho cơ sở dữ liệu {redacted}: thiếu mô-đun Python {error.name}. "
            "Hãy cài gói cung cấp mô-đun này vào môi trường Python của ứng dụng "
            '(với postgresql+psycopg: pip install "psycopg[binary]") hoặc dùng URL khác.',
            f"The driver for the database {redacted} is not installed: Python module {error.name} is missing. "
            "Install the package that provides it in the app's Python environment "
            '(for postgresql+psycopg: pip install "psycopg[binary]") or use another URL.',
        ) from error


@contextmanager
def _opening(url: sa.engine.URL) -> Iterator[None]:
    """Raise `DatabaseOpenError` when the database at ``url`` can't be connected to, read or created."""
    try:
        yield
    except sa.exc.DatabaseError as error:
        redacted = _redacted(url)
        # psycopg's messages span several lines ("…Connection refused\n\tIs the server running…?"),
        # and the message is shown as one line.
        reason = " ".join(str(error.orig).split())
        if url.password:
            reason = reason.replace(str(url.password), "***")
        if url.get_backend_name() == "sqlite":
            fix_vi = "Hãy kiểm tra đường dẫn trỏ tới một tệp SQLite (hoặc một tệp chưa có) trong thư mục có quyền ghi."
            fix_en = "Check that the path is a SQLite database file, or a file not created yet, in a folder you can write to."
        else:
            fix_vi = "Hãy kiểm tra máy chủ cơ sở dữ liệu đang chạy và chấp nhận người dùng, mật khẩu và tên cơ sở dữ liệu trong URL."
            fix_en = "Check that the database server is running and accepts the user, password and database name in the URL."
        end = "" if reason.endswith((".", "?", "!")) else "."
        raise DatabaseOpenError(
            f"Không mở được cơ sở dữ liệu {redacted}: {reason}{end} {fix_vi}",
            f"Cannot open the database {redacted}: {reason}{end} {fix_en}",
        ) from error


def _redacted(url: sa.engine.URL) -> str:
    return url.render_as_string(hide_password=True)


def _redacted_text(url: str) -> str:
    """Mask the password of a URL that `make_url` can't parse, keeping ``user:***@host``."""
    head, at, host = url.rpartition("@")
    if not at:
        return url
    scheme, separator, user_info = head.partition("://")
    if not separator:
        scheme, user_info = "", head
    user, colon, _password = user_info.partition(":")
    return f"{scheme}{separator}{user}{colon}{'***' if colon else ''}@{host}"
