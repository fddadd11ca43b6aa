"""Where the database is: ``--db`` as a path, a ``sqlite:///`` URL or a ``postgresql://`` URL.

One clerk on one machine keeps a SQLite file (a path, the default); a county office whose
clerks share the work points every machine at its PostgreSQL server.  :func:`target` turns
what the clerk wrote into a :class:`Target`, which every part of the store works from; its
:attr:`Target.shown` never carries the password.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from fengdu_cli.errors import UsageError

_SERVER_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True)
class Target:
    """A database the tool can open: a SQLite file (``path``) or a PostgreSQL server (``url``)."""

    path: Path | None = None
    url: URL | None = None

    @property
    def server(self) -> bool:
        """Is it a database server (PostgreSQL), rather than a file?"""
        return self.url is not None

    @property
    def shown(self) -> str:
        """What a person is told: the file's path, or the URL as the clerk writes it
        (``postgresql://``, not the driver the tool picks) without its password."""
        if self.url is not None:
            url = self.url.set(drivername="postgresql")
            if "password" in url.query:  # ?password=…, which libpq also takes
                url = url.update_query_dict({"password": "***"})
            return url.render_as_string(hide_password=True).replace("%2A%2A%2A", "***")
        return str(self.path)

    @property
    def key(self) -> str:
        """The same text for the same database, whoever wrote it how (a file's full path; a
        server's user, host, port and database, never the password): names its state files."""
        if self.url is not None:
            url = self.url._replace(password=None).set(drivername="postgresql")  # set: None keeps
            return url.difference_update_query(["password"]).render_as_string(hide_password=True)
        assert self.path is not None
        return str(self.path.resolve())

    @property
    def digest(self) -> str:
        """A short name for the database (state files, advisory lock keys)."""
        return hashlib.sha256(self.key.encode()).hexdigest()[:32]

    def sqlalchemy_url(self) -> URL:
        """The URL SQLAlchemy opens (PostgreSQL through psycopg 3)."""
        if self.url is not None:
            return self.url
        return URL.create("sqlite", database=str(self.path))

    def exists(self) -> bool:
        """Is there a database here?  (A server's is looked at when it is opened.)"""
        return self.server or (self.path is not None and self.path.exists())


def target(db: str | Path | Target) -> Target:
    """The database ``--db`` names: a path (the default, SQLite), ``sqlite:///path``, or
    ``postgresql://user@host:port/database`` (``postgres://`` too).  Another scheme is a usage
    error (exit 2), never a file of that odd name."""
    if isinstance(db, Target):
        return db
    if isinstance(db, Path):
        return Target(path=db)
    text = str(db).strip()
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if not scheme:
        return Target(path=Path(text))
    base = scheme.split("+", 1)[0]
    if base == "sqlite":
        rest = text.split("://", 1)[1]
        if not rest.startswith("/") or rest == "/":
            raise UsageError("db_url_unknown", url=text)
        return Target(path=Path(rest[1:]))  # sqlite:///a.db, sqlite:////srv/a.db
    if base not in _SERVER_SCHEMES:
        raise UsageError("db_url_unknown", url=_no_password(text))
    try:
        url = make_url(text)
    except ArgumentError:
        raise UsageError("db_url_unknown", url=_no_password(text)) from None
    if not url.database:
        raise UsageError("db_url_unknown", url=_no_password(text))
    if "@" in (url.host or "") or "@" in (url.database or ""):
        # a password holding '@' must be written %40: else part of it is taken for the host
        raise UsageError("db_url_at", url=_no_password(text))
    return Target(url=url.set(drivername="postgresql+psycopg"))


def _no_password(text: str) -> str:
    """A URL as said back to the clerk: whatever stood between the user's ':' and the last
    '@' is hidden, and so is a ``password=`` option."""
    text = re.sub(r"(?i)(password=)[^&]*", r"\1***", text)
    head, sep, tail = text.rpartition("@")
    if not sep or "://" not in head:
        return text
    scheme, _, userinfo = head.partition("://")
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}{':***' if ':' in userinfo else ''}@{tail}"
