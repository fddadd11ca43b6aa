"""The checked inputs kept between commands (fengdu_cli.input_cache).

Taken again only when the files, the columns.toml, the reference date and the tool are the
same; anything else — a changed, added or removed file, a damaged or foreign entry — reads
the files.  The outputs of reconcile and subsidy are the same either way (the identical-output
test runs subsidy after reconcile on one database, so subsidy takes the rosters, employment
and insurance checked by reconcile).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from fengdu_cli import input_cache
from fengdu_cli.cli import app
from fengdu_cli.io.columns_toml import ColumnsConfig
from tests.test_reconcile import build

ON = dt.date(2024, 6, 30)
runner = CliRunner()


@pytest.fixture
def counted(monkeypatch):
    """How many times the files were really read and checked."""
    calls = []
    real = input_cache.check_paths

    def spy(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(input_cache, "check_paths", spy)
    return calls


def _check(folder, cache, **kw):
    return input_cache.checked([folder], "roster", on=kw.pop("on", ON), cache=cache, **kw)


def _same(a, b):
    assert a.files == b.files
    for name in ("valid", "rejected", "problems", "skipped", "per_file"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert a.gaps == b.gaps and a.notices == b.notices and a.headers == b.headers


def test_the_same_files_are_taken_from_the_cache(tmp_path, counted):
    data, _ = build(tmp_path)
    cache = tmp_path / "db" / input_cache.CACHE_DIR
    first = _check(data / "rosters", cache)
    second = _check(data / "rosters", cache)
    assert counted == ["roster"]  # read once
    _same(first, second)
    entries = list(cache.iterdir())
    assert len(entries) == 1
    assert stat.S_IMODE(entries[0].stat().st_mode) == 0o600  # full IDs: the owner only
    assert not stat.S_IMODE(cache.stat().st_mode) & 0o077


@pytest.mark.parametrize(
    "change",
    ["edit", "add", "remove", "date", "columns", "code"],
)
def test_anything_changed_reads_again(tmp_path, counted, monkeypatch, change):
    data, _ = build(tmp_path)
    rosters = data / "rosters"
    cache = tmp_path / input_cache.CACHE_DIR
    _check(rosters, cache)
    roster = sorted(rosters.iterdir())[0]
    kw = {}
    if change == "edit":  # same size, other content
        raw = bytearray(roster.read_bytes())
        raw[-30] ^= 1
        roster.write_bytes(bytes(raw))
    elif change == "add":
        (rosters / ("copy-" + roster.name)).write_bytes(roster.read_bytes())
    elif change == "remove":
        (rosters / ("copy-" + roster.name)).write_bytes(roster.read_bytes())
        _check(rosters, cache)  # kept with the copy
        (rosters / ("copy-" + roster.name)).unlink()
    elif change == "date":
        kw["on"] = ON + dt.timedelta(days=1)
    elif change == "columns":
        kw["columns"] = ColumnsConfig(path="columns.toml", sha256="0" * 64)
    elif change == "code":
        input_cache.code_digest.cache_clear()
        monkeypatch.setattr(input_cache, "code_digest", lambda: "another version")
    before = len(counted)
    _check(rosters, cache, **kw)
    assert len(counted) == before + 1


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "not_checked"])
def test_a_bad_entry_only_reads_the_files(tmp_path, counted, damage, caplog):
    data, _ = build(tmp_path)
    cache = tmp_path / input_cache.CACHE_DIR
    good = _check(data / "rosters", cache)
    (entry,) = cache.iterdir()
    key, _, body = entry.read_bytes().partition(b"\n")
    if damage == "garbage":
        entry.write_bytes(key + b"\nnot a pickle")
    elif damage == "truncated":
        entry.write_bytes(key + b"\n" + body[: len(body) // 2])
    elif damage == "foreign":  # writable by others: never loaded
        os.chmod(entry, 0o666)
    elif damage == "not_checked":
        import pickle

        entry.write_bytes(key + b"\n" + pickle.dumps({"valid": None}))
    again = _check(data / "rosters", cache)
    assert counted == ["roster", "roster"]
    _same(good, again)


def test_a_kind_with_an_unreadable_file_is_not_kept(tmp_path, counted):
    data, _ = build(tmp_path)
    (data / "rosters" / "broken.xlsx").write_bytes(b"not a workbook")
    cache = tmp_path / input_cache.CACHE_DIR
    assert _check(data / "rosters", cache).unreadable
    assert not cache.exists() or not any(cache.iterdir())


def test_no_cache_always_reads(tmp_path, counted):
    data, _ = build(tmp_path)
    _check(data / "rosters", None)
    _check(data / "rosters", None)
    assert counted == ["roster", "roster"]


def test_subsidy_after_reconcile_reads_only_what_reconcile_did_not(tmp_path, counted):
    data, _ = build(tmp_path)
    db, out = tmp_path / "f.db", tmp_path / "out"
    common = ["--month", "2024-06", "--data", str(data), "--db", str(db), "--out", str(out)]
    reconciled = runner.invoke(app, ["reconcile", *common, "--json"])
    assert reconciled.exit_code == 1, reconciled.output
    assert sorted(counted) == ["employment", "insurance", "roster"]
    paid = runner.invoke(app, ["subsidy", *common, "--json"])
    assert paid.exit_code in (0, 1), paid.output
    assert sorted(counted) == ["employment", "insurance", "roster"]  # nothing read twice
    again = runner.invoke(app, ["subsidy", *common, "--json"])
    assert json.loads(again.output)["totals"] == json.loads(paid.output)["totals"]
    assert (tmp_path / input_cache.CACHE_DIR).is_dir()


def test_a_trial_without_a_database_leaves_no_cache(tmp_path, counted, monkeypatch):
    data, _ = build(tmp_path)
    monkeypatch.chdir(tmp_path)
    common = ["--month", "2024-06", "--data", str(data), "--out", str(tmp_path / "out")]
    result = runner.invoke(app, ["subsidy", *common, "--db", str(tmp_path / "none.db")])
    assert result.exit_code in (0, 1), result.output
    assert not (tmp_path / "none.db").exists()
    assert not (tmp_path / input_cache.CACHE_DIR).exists()


def test_only_the_entries_used_last_are_kept(tmp_path, counted, monkeypatch):
    monkeypatch.setattr(input_cache, "KEEP", 2)
    data, _ = build(tmp_path)
    cache = tmp_path / input_cache.CACHE_DIR
    folders = []
    for month in range(3):  # three months' folders, as a county keeps them
        folder = tmp_path / f"2024-0{month + 4}"
        folder.mkdir()
        for f in (data / "rosters").iterdir():
            (folder / f.name).write_bytes(f.read_bytes())
        folders.append(folder)
    _check(folders[0], cache)
    _check(folders[1], cache)
    entry = {i: cache / input_cache._entry_name([f], "roster") for i, f in enumerate(folders)}
    os.utime(entry[0], (1, 1))  # folder 0 used long ago, folder 1 less long ago
    os.utime(entry[1], (2, 2))
    _check(folders[2], cache)  # a third: the oldest goes
    assert sorted(cache.glob("roster-*.pickle")) == sorted([entry[1], entry[2]])
    before = len(counted)
    _check(folders[1], cache)  # kept: taken from the cache, and now used last
    assert len(counted) == before
    _check(folders[0], cache)  # removed: read again, and kept in place of folder 2's
    assert len(counted) == before + 1
    assert sorted(cache.glob("roster-*.pickle")) == sorted([entry[0], entry[1]])


def test_relative_folders_from_elsewhere_are_read_again(tmp_path, counted, monkeypatch):
    """A check keeps the paths as given: the same relative folder seen from another folder
    is other files, and the ledger must hash the files really used."""
    for where in ("a", "b"):
        build(tmp_path / where)
    monkeypatch.chdir(tmp_path / "a")
    first = _check(Path("data") / "rosters", tmp_path / "cache")
    monkeypatch.chdir(tmp_path / "b")
    second = _check(Path("data") / "rosters", tmp_path / "cache")
    assert counted == ["roster", "roster"]
    assert first.files == second.files  # the same words, other files: never taken for each other


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs /proc/self/mem")
def test_a_file_that_cannot_be_read_is_reported_not_a_crash(tmp_path, counted):
    data, _ = build(tmp_path)
    (data / "rosters" / "zz.xlsx").symlink_to("/proc/self/mem")  # opens, cannot be read
    result = _check(data / "rosters", tmp_path / "cache")
    assert [Path(u.file).name for u in result.unreadable] == ["zz.xlsx"]
    assert not (tmp_path / "cache").exists()


def test_a_file_replaced_while_read_is_not_kept(tmp_path, counted, monkeypatch):
    data, _ = build(tmp_path)
    roster = sorted((data / "rosters").iterdir())[0]
    real = input_cache.check_paths

    def replaced_meanwhile(*args, **kwargs):
        result = real(*args, **kwargs)
        roster.write_bytes(roster.read_bytes() + b"\0")  # a township's new copy lands
        return result

    monkeypatch.setattr(input_cache, "check_paths", replaced_meanwhile)
    cache = tmp_path / "cache"
    _check(data / "rosters", cache)
    assert not cache.exists() or not list(cache.glob("roster-*.pickle"))


def test_entries_left_by_a_killed_run_are_removed(tmp_path, counted):
    data, _ = build(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    old, new = cache / ".tmp-old.pickle", cache / ".tmp-new.pickle"
    old.write_bytes(b"x")
    new.write_bytes(b"x")  # perhaps another run writing now: left alone
    os.utime(old, (1, 1))
    _check(data / "rosters", cache)
    assert not old.exists() and new.exists()
