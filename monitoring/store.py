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
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from geo.settings import get_secrets_section, get_setting
from monitoring.dataset import Dataset, Provenance, load_sample
from monitoring.model import (
    COLUMNS,
    COMMUNE_STATUS,
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
"""Which version's rows make up each kind in a version (NULL: the sample)."""

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
        sa.Index(f"ix_dx_{kind}_version", "version_id"),
    )


data_tables = {kind: _data_table(kind) for kind in KINDS}


@dataclass(frozen=True)
class Version:
    """One stored version: what changed, from which file, when and by whom."""

    id: int
    created_at: datetime
    action: str
    kinds: tuple[str, ...]
    file_name: str | None
    rows: int
    restored_from: int | None
    author: str | None


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
        Path(database).parent.mkdir(parents=True, exist_ok=True)

    @sa.event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - run by SQLAlchemy
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


class Store:
    """The versioned tables in one database."""

    def __init__(self, engine: Engine, sample: Dataset | None = None) -> None:
        self.engine = engine
        self._sample = sample

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Open the store at ``url`` (default: `database_url`), creating its tables if needed."""
        return cls.attach(sa.create_engine(url or database_url()))

    @classmethod
    def attach(cls, engine: Engine) -> Store:
        """Open the store on an existing engine, such as the one of ``st.connection("sql")``."""
        _prepare_sqlite(engine)
        store = cls(engine)
        store.create()
        return store

    def create(self) -> None:
        """Create the tables that don't exist yet."""
        metadata.create_all(self.engine)
        with self.engine.begin() as connection:
            if connection.execute(sa.select(write_lock.c.id)).first() is None:
                connection.execute(write_lock.insert().values(id=1, counter=0))

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
            raise LookupError(f"Version {version_id} not found: versions run from 0 (the sample) to {latest}")

    def _load_kind(self, connection: Connection, kind: str, data_version: int | None) -> tuple[pd.DataFrame, Provenance]:
        if data_version is None:
            return self.sample[kind], Provenance(kind, "sample")
        table = data_tables[kind]
        query = sa.select(*[table.c[column] for column in COLUMNS[kind]]).where(table.c.version_id == data_version)
        frame = pd.DataFrame(connection.execute(query).all(), columns=list(COLUMNS[kind]))
        info = connection.execute(sa.select(versions).where(versions.c.id == data_version)).mappings().one()
        created = pd.Timestamp(_utc(info["created_at"]))
        return normalise_table(kind, frame), Provenance(kind, "import", data_version, created, info["file_name"])

    # --- writing ------------------------------------------------------------------

    def import_tables(self, tables: dict[str, pd.DataFrame], file_name: str, author: str | None = None) -> Version:
        """Merge validated tables into the current data as one new version, in one transaction."""
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
                merged = self._merge(connection, kind, contents[kind], normalise_table(kind, new_rows))
                self._insert_rows(connection, kind, version_id, merged)
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
        connection.execute(write_lock.update().where(write_lock.c.id == 1).values(counter=write_lock.c.counter + 1))

    def _add_version(self, connection, action, kinds, file_name, rows, restored_from, author) -> int:
        result = connection.execute(
            versions.insert().values(
                created_at=datetime.now(timezone.utc),
                action=action,
                kinds=",".join(kinds),
                file_name=file_name,
                rows=rows,
                restored_from=restored_from,
                author=author,
            )
        )
        return int(result.inserted_primary_key[0])

    def _merge(self, connection: Connection, kind: str, data_version: int | None, new_rows: pd.DataFrame) -> pd.DataFrame:
        if data_version is None:
            return new_rows
        stored, _ = self._load_kind(connection, kind, data_version)
        keys = list(KEYS[kind])
        replaced = pd.MultiIndex.from_frame(stored[keys]).isin(pd.MultiIndex.from_frame(new_rows[keys]))
        return normalise_table(kind, pd.concat([stored[~replaced], new_rows], ignore_index=True))

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
    """Tell whether the database at ``url`` holds a version, without creating anything."""
    parsed = sa.engine.make_url(url or database_url())
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).exists():
            return False
    engine = sa.create_engine(parsed)
    try:
        if not sa.inspect(engine).has_table("dx_versions"):
            return False
        with engine.connect() as connection:
            return (connection.execute(sa.select(sa.func.count()).select_from(versions)).scalar() or 0) > 0
    finally:
        engine.dispose()
