"""``--db`` as a clerk writes it: a path, a sqlite:/// URL or a PostgreSQL server's URL —
read the same way everywhere, a server's password never shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fengdu_cli.errors import UsageError
from fengdu_cli.store import Target, target

CASES = [
    # written, a file (path) or a server (shown)
    ("fengdu.db", Path("fengdu.db"), None),
    ("县/台账 2024.db", Path("县/台账 2024.db"), None),
    (r"C:\fengdu\fengdu.db", Path(r"C:\fengdu\fengdu.db"), None),
    ("sqlite:///fengdu.db", Path("fengdu.db"), None),
    ("sqlite:////srv/fengdu/fengdu.db", Path("/srv/fengdu/fengdu.db"), None),
    ("SQLite:///a b.db", Path("a b.db"), None),
    ("postgresql://clerk@db.fd.gov:5432/fengdu", None, "postgresql://clerk@db.fd.gov:5432/fengdu"),
    ("postgres://clerk@localhost/fengdu", None, "postgresql://clerk@localhost/fengdu"),
    ("postgresql+psycopg://clerk@h/fengdu", None, "postgresql://clerk@h/fengdu"),
    ("postgresql://clerk:s3cret@h/fengdu", None, "postgresql://clerk:***@h/fengdu"),
    ("postgresql://clerk:s3cr%40t@h/fengdu", None, "postgresql://clerk:***@h/fengdu"),
    (
        "postgresql://clerk@h/fengdu?password=s3cret",
        None,
        "postgresql://clerk@h/fengdu?password=***",
    ),
    (
        "postgresql://h/fengdu?user=clerk&password=s3cret&sslmode=require",
        None,
        "postgresql://h/fengdu?password=***&sslmode=require&user=clerk",
    ),
]


@pytest.mark.parametrize(("written", "path", "shown"), CASES)
def test_what_db_names(written: str, path: Path | None, shown: str | None) -> None:
    where = target(written)
    assert where.path == path
    assert where.server == (shown is not None)
    if shown is not None:
        assert where.shown == shown
        assert "s3cret" not in where.key and "s3cret" not in where.shown
        assert where.exists()  # a server's database is looked at when it is opened
    else:
        assert where.shown == str(path)


@pytest.mark.parametrize(
    "written",
    [
        "mysql://u@h/db",
        "sqlite://",
        "sqlite:///",
        "postgresql://u@h",
        "oracle://u:pw@h/x",
        "postgresql://u:p@w@h/db",
        "postgresql://u@h/db?password=pw"[:0] + "mysql://h/x?password=pw",
    ],
)
def test_a_database_the_tool_cannot_use_is_a_usage_error(written: str) -> None:
    with pytest.raises(UsageError) as refused:
        target(written)
    assert refused.value.exit_code == 2
    said = refused.value.message("zh")
    assert "pw" not in said and "p@w" not in said and "w@h" not in said


def test_the_same_server_is_one_database_however_written() -> None:
    a = target("postgresql://clerk:one@h:5432/fengdu")
    b = target("postgres://clerk:two@h:5432/fengdu")
    c = target("postgresql://clerk@h:5432/fengdu?password=three")
    assert a.key == b.key == c.key and a.digest == b.digest == c.digest
    assert not {"one", "two", "three"} & set(re.split(r"[^a-z]+", a.key + c.key))
    assert target("postgresql://clerk@h:5432/other").digest != a.digest


def test_a_path_is_kept_as_it_is_given(tmp_path: Path) -> None:
    assert target(tmp_path / "f.db") == Target(path=tmp_path / "f.db")
    assert target(Target(path=Path("x.db"))) == Target(path=Path("x.db"))
    assert target(tmp_path / "f.db").key == str((tmp_path / "f.db").resolve())


def test_a_server_that_cannot_be_reached_is_an_input_error_without_the_password() -> None:
    from typer.testing import CliRunner

    from fengdu_cli.cli import app

    url = "postgresql://clerk:s3cret@127.0.0.1:1/fengdu"  # nothing listens on port 1
    for command in (["ledger", "check"], ["ledger", "show"], ["report", "--year", "2024"]):
        result = CliRunner().invoke(app, [*command, "--db", url])
        assert result.exit_code == 3, result.output
        assert "s3cret" not in result.output and "clerk:***@127.0.0.1:1" in result.output
        assert "Traceback" not in result.output and "服务器地址" in result.output
