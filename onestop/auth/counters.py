"""Counters every worker shares, kept in the app's own database: `RATELIMIT_STORAGE_URI = "database://"`.

gunicorn runs several processes; counters kept in each process's memory let an attacker spread guesses over them.
The database is shared already, so the default set-up holds with no extra service. A `limits` storage, so
Flask-Limiter uses it too; Redis (`redis://…`) remains a setting away for large sites.
"""
import hashlib
import random
import time

import sqlalchemy as sa
from limits.storage import Storage, storage_from_string
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from .models import RateCounter

SCHEME = "database"
KEY_LENGTH = RateCounter.key.type.length
SWEEP_CHANCE = 0.01  # one increment in a hundred also deletes the expired rows


def clock() -> float:
    """Seconds since the epoch; tests move it."""
    return time.time()


_engines: dict[str, sa.engine.Engine] = {}


def counter_engine() -> sa.engine.Engine:
    """Where the counters live. PostgreSQL: the app's database (each count a short transaction on its own
    connection). SQLite: a file of their own beside the database's. SQLite has one writer per file, and a request
    that writes holds that lock from its first read (onestop.database), so a count written to the same file
    from another connection during the request would wait for the request that waits for it."""
    engine = db.engine
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return engine
    url = engine.url.set(database=database.removesuffix(".db") + "-counters.db")
    key = url.render_as_string(hide_password=False)
    if key not in _engines:
        counters = sa.create_engine(url)
        RateCounter.__table__.create(counters, checkfirst=True)
        _engines[key] = counters
    return _engines[key]


def stored_key(key: str) -> str:
    """Keys fit the column: a longer one is replaced by its digest."""
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class DatabaseStorage(Storage):
    """Fixed-window counters in the `rate_counter` table, each change a short transaction of its own.

    Its own connection, never the request's session: a count must stick even when the request rolls back.
    On SQLite, a file of its own (counter_engine).
    """

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add `amount` and return the count; an expired counter starts again, living `expiry` seconds."""
        now, table = clock(), RateCounter.__table__
        engine = counter_engine()
        dialect = engine.dialect.name
        insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
        expired = table.c.expires_at <= now
        statement = insert(table).values(key=stored_key(key), hits=amount, expires_at=now + expiry)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"hits": sa.case((expired, amount), else_=table.c.hits + amount),
                  "expires_at": sa.case((expired, now + expiry), else_=table.c.expires_at)},
        ).returning(table.c.hits)
        with engine.begin() as connection:
            hits = connection.execute(statement).scalar_one()
            if random.random() < SWEEP_CHANCE:
                connection.execute(sa.delete(table).where(table.c.expires_at <= now))
        return hits

    def decr(self, key: str, amount: int = 1) -> int:
        return self.incr(key, 0, -amount)

    def get(self, key: str) -> int:
        table = RateCounter.__table__
        with counter_engine().connect() as connection:
            hits = connection.scalar(sa.select(table.c.hits).where(table.c.key == stored_key(key),
                                                                   table.c.expires_at > clock()))
        return hits or 0

    def get_expiry(self, key: str) -> float:
        table = RateCounter.__table__
        with counter_engine().connect() as connection:
            expires = connection.scalar(sa.select(table.c.expires_at).where(table.c.key == stored_key(key)))
        now = clock()
        return expires if expires is not None and expires > now else now

    def check(self) -> bool:
        try:
            with counter_engine().connect() as connection:
                connection.execute(sa.select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with counter_engine().begin() as connection:
            return connection.execute(sa.delete(RateCounter.__table__)).rowcount

    def clear(self, key: str) -> None:
        with counter_engine().begin() as connection:
            connection.execute(sa.delete(RateCounter.__table__).where(RateCounter.key == stored_key(key)))


def storage_for(uri: str | None) -> Storage:
    """The counters named by RATELIMIT_STORAGE_URI: the database by default, else what `limits` offers."""
    return DatabaseStorage() if not uri or uri.startswith(f"{SCHEME}://") else storage_from_string(uri)
