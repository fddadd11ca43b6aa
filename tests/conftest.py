"""Shared test settings: fixed console width, no colour, a fixed 'today', a state folder
of their own; and the databases a test of the store runs on.

``db_url`` runs a test once on a SQLite file and once on PostgreSQL: a schema of its own in
the server ``FENGDU_TEST_PG`` names (a URL whose user may create schemas), dropped after.
Without that variable the PostgreSQL runs are skipped, saying why — unless
``FENGDU_REQUIRE_PG`` is set (CI sets it), when they fail instead: CI never skips them.
"""

import contextlib
import datetime as dt
import os
import tempfile
import uuid
from collections.abc import Iterator

import pytest

os.environ["COLUMNS"] = "120"
os.environ["NO_COLOR"] = "1"
os.environ.pop("FORCE_COLOR", None)
# the ledger's second head record goes to the user's state folder: the tests' own
os.environ["FENGDU_STATE_DIR"] = tempfile.mkdtemp(prefix="fengdu-state-")

AS_OF = dt.date(2024, 6, 30)


@pytest.fixture
def as_of() -> dt.date:
    return AS_OF


from tests.test_subsidy import world  # noqa: E402,F401  (the hand-built month, for every test file)


def pg_server() -> str:
    """The PostgreSQL server the tests may use, else skip (or fail, where it is required)."""
    url = os.environ.get("FENGDU_TEST_PG", "")
    if url:
        return url
    if os.environ.get("FENGDU_REQUIRE_PG"):
        pytest.fail("FENGDU_REQUIRE_PG is set but FENGDU_TEST_PG names no PostgreSQL server")
    pytest.skip("no PostgreSQL server: set FENGDU_TEST_PG=postgresql://user@host:port/db "
                "(.ci/run starts one)")  # fmt: skip


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A URL of a new, empty PostgreSQL schema on the test server, dropped after."""
    import sqlalchemy

    server = pg_server()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(
        sqlalchemy.engine.make_url(server).set(drivername="postgresql+psycopg"),
        poolclass=sqlalchemy.pool.NullPool,
    )
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in server else "?"
    try:
        yield f"{server}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL of an empty PostgreSQL schema of this test's own, dropped after it."""
    with pg_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """Where a test's database is: a SQLite file, then a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        return str(tmp_path / "fengdu.db")
    return request.getfixturevalue("pg_url")
