"""The county folder: ``fengdu init``, its ``fengdu.toml`` and the month run from it, by hand
and as cron runs it (a bare environment, no terminal, no locale)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from fengdu_cli.cli import app, logs

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
# a colour or a cursor movement (a progress bar redrawn) on the captured output, or the words
# of a progress bar
TERMINAL_CODES = re.compile(r"\x1b\[|读取花名册|比对就业与参保|计算补贴|写出")


def invoke(*args: object, env: dict[str, str] | None = None):
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    """``fengdu init DIR --month 2024-06`` and the sample files (``demo --make-data``) in the
    month's data folder: what a clerk has before the first run."""
    folder = tmp_path_factory.mktemp("county")
    made = invoke("init", folder, "--month", "2024-06")
    assert made.exit_code == 0, made.output
    assert (folder / "fengdu.toml").is_file() and (folder / "fengdu.db").is_file()
    assert (folder / "data" / "2024-06" / "rosters").is_dir()
    assert (folder / "data" / "README.txt").is_file()
    sample = invoke("demo", "--make-data", folder / "data" / "2024-06", "--quiet")
    assert sample.exit_code == 0, sample.output
    return folder


def test_init_writes_every_setting_commented(county):
    written = (county / "fengdu.toml").read_text(encoding="utf-8")
    for line in ('data = "data/{month}"', 'out = "out/{month}"', 'db = "fengdu.db"',
                 '# policy = "policy.toml"', '# columns = "columns.toml"'):  # fmt: skip
        assert line in written
    assert "台账数据库" in written  # commented in Chinese
    again = invoke("init", county)  # a second init changes nothing
    assert again.exit_code == 0 and "已建立" not in again.output


def test_the_month_runs_as_cron_runs_it(county):
    """cron: no terminal, PATH=/usr/bin:/bin, HOME, no locale; the command cds into the folder
    and names only the month (fengdu.toml says where the rest is).  Without --quiet, so the
    screens are there to check: no progress bar and no colour in a log."""
    home = county / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONPATH": str(ROOT)}  # this tree
    done = subprocess.run(
        [sys.executable, "-m", "fengdu_cli", "run", "--month", "2024-06"],
        cwd=county, env=env, capture_output=True, timeout=120,
    )  # fmt: skip
    said = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
    assert done.returncode in (0, 1), said
    assert not TERMINAL_CODES.search(said), said
    assert "Traceback" not in said and "UnicodeError" not in said
    assert "2024-06 数据比对" in said  # the screen, in Chinese without a locale
    out = county / "out" / "2024-06"  # out = "out/{month}"
    for name in ("reconcile-2024-06.xlsx", "warnings-2024-06.csv", "payments-2024-06-试算.xlsx",
                 "payments-2024-06-试算.csv", "publicity-2024-06-试算.xlsx"):  # fmt: skip
        assert (out / name).is_file(), name
    assert list((out / "logs").glob("fengdu-run-*.log"))


def test_progress_is_shown_on_a_terminal_only(monkeypatch):
    """A bar on a terminal unless --json or --quiet; none when stderr is a file or a pipe."""
    console = Console(stderr=True)
    for tty, show, shown in ((False, True, False), (True, False, False), (True, True, True)):
        monkeypatch.setattr(sys.stderr, "isatty", lambda tty=tty: tty)
        with logs.progress_for(show, "zh", console) as progress:
            assert (progress is not None) is shown


def ledger_named(folder: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """The ledger a command would use, as its error names it (none of them exists)."""
    here = Path.cwd()
    os.chdir(folder)
    try:
        result = invoke("ledger", "show", *args, env=env)
    finally:
        os.chdir(here)
    assert result.exit_code == 3, result.output
    return result.output


def test_an_option_beats_the_environment_beats_fengdu_toml_beats_the_default(tmp_path):
    assert "fengdu.db" in ledger_named(tmp_path)  # the default
    (tmp_path / "fengdu.toml").write_text('db = "ledgers/toml.db"\n', encoding="utf-8")
    assert str(tmp_path / "ledgers" / "toml.db") in ledger_named(tmp_path)
    env = {"FENGDU_DB": "env.db"}
    assert "env.db" in ledger_named(tmp_path, env=env)
    said = ledger_named(tmp_path, "--db", "option.db", env=env)
    assert "option.db" in said and "env.db" not in said
    # FENGDU_CONFIG and --config name a file elsewhere; its paths are relative to it
    other = tmp_path / "other"
    other.mkdir()
    (other / "county.toml").write_text('db = "other.db"\n', encoding="utf-8")
    said = ledger_named(tmp_path, env={"FENGDU_CONFIG": str(other / "county.toml")})
    assert str(other / "other.db") in said
    said = ledger_named(tmp_path, "--config", str(other / "county.toml"))
    assert str(other / "other.db") in said


def test_month_is_filled_in_and_the_data_folder_is_not_needed(tmp_path):
    (tmp_path / "fengdu.toml").write_text('data = "in/{month}"\nlang = "en"\n', encoding="utf-8")
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = invoke("reconcile", "--month", "2024-07", "--db", tmp_path / "x.db")
    finally:
        os.chdir(here)
    assert result.exit_code == 3
    assert str(Path("in") / "2024-07") in result.output  # the month's folder, said in English
    assert "No such" in result.output


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ('db = "x.db"\nbank = "icbc"\n', "bank"),  # a key the tool does not know
        ('db = "x.db\n', "fengdu.toml"),  # not TOML
        ("db = 3\n", "db"),  # not a text
        ('out = "out/{year}"\n', "out"),  # a placeholder other than {month}
        ('lang = "fr"\n', "lang"),
    ],
)
def test_a_bad_fengdu_toml_is_a_usage_error_naming_the_file_and_key(tmp_path, written, named):
    config = tmp_path / "fengdu.toml"
    config.write_text(written, encoding="utf-8")
    result = invoke("ledger", "show", "--config", config)
    assert result.exit_code == 2, result.output
    assert str(config) in result.output and named in result.output
    assert "Traceback" not in result.output


def test_a_missing_config_file_and_a_bad_language_are_usage_errors(tmp_path):
    result = invoke("ledger", "show", env={"FENGDU_CONFIG": str(tmp_path / "none.toml")})
    assert result.exit_code == 2 and "none.toml" in result.output
    result = invoke("ledger", "show", env={"FENGDU_LANG": "fr"})
    assert result.exit_code == 2 and "FENGDU_LANG" in result.output


def test_bash_completes_commands_and_options():
    script = runner.invoke(app, ["--show-completion", "bash"], prog_name="fengdu")
    assert script.exit_code == 0 and "complete -o default -F _fengdu_completion fengdu" in (
        script.output
    )
    for words, cword, expected in (
        ("fengdu re", "1", "reconcile"),
        ("fengdu run --mo", "2", "--month"),
    ):
        env = {"_FENGDU_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
        done = runner.invoke(app, [], env=env, prog_name="fengdu")
        assert expected in done.output.split(), done.output


def test_the_readme_crontab_line_is_what_cron_can_run():
    """The README's line: five time fields, cd into the folder, the venv's full path, every %
    escaped, --quiet, a log; its month, as cron's sh computes it, is last month's YYYY-MM."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"```crontab\n(.+)\n```", readme)[1]  # type: ignore[index]
    fields = line.split(None, 5)
    assert len(fields) == 6 and fields[2] != "*" and int(fields[2]) <= 28
    command = fields[5]
    assert command.startswith("cd ") and " && /" in command and "/bin/fengdu run " in command
    assert "--quiet" in command and ">>" in command and "2>&1" in command
    assert re.search(r"(?<!\\)%", command) is None  # a bare % would end the command
    month = re.search(r'"(\$\(date [^"]+\))"', command)[1].replace("\\%", "%")  # type: ignore[index]
    env = {"PATH": "/usr/bin:/bin", "HOME": "/"}
    said = subprocess.run(["/bin/sh", "-c", f"echo {month}"], env=env, capture_output=True)
    assert re.fullmatch(rb"\d{4}-\d{2}\n", said.stdout), said


def test_a_county_folder_on_a_postgresql_server(tmp_path, pg_url):
    """``fengdu init --db postgresql://…`` writes the URL into fengdu.toml and makes the
    server's tables; every command run in the folder then works on the server, a month
    included — nothing is made beside the folder but the outputs."""
    folder = tmp_path / "county"
    made = invoke("init", folder, "--month", "2024-06", "--db", pg_url)
    assert made.exit_code == 0, made.output
    assert f'db = "{pg_url}"' in (folder / "fengdu.toml").read_text(encoding="utf-8")
    assert not (folder / "fengdu.db").exists()
    data = folder / "data" / "2024-06"
    assert invoke("demo", "--make-data", data, "--quiet").exit_code == 0
    here = Path.cwd()
    os.chdir(folder)
    try:
        month = invoke("run", "--month", "2024-06", "--commit", "--no-history", "--quiet")
        assert month.exit_code in (0, 1), month.output
        check = invoke("ledger", "check", "--json")
        assert check.exit_code == 0 and '"ok": true' in check.output, check.output
        shown = invoke("ledger", "show")
        assert "2024-06-B1" in shown.output and "postgresql://" in shown.output
    finally:
        os.chdir(here)
    assert not (folder / "fengdu.db").exists() and not list(folder.glob("*.db"))
