"""``--lang en``: no Chinese outside data cells, on the screens and in every file written.

The committed sample month (``sample_data/``, 2024-06) is run through the commands with
``--lang en``.  Chinese is allowed only where it is data: a text that occurs in the input
files (a cell value, a header as the clerk typed it, a file or sheet name), or a value of the
vocabulary the clerk types in Chinese (townships, categories and the other choices the tool
lists).  A text the tool itself says in Chinese (a catalogue sentence) is never data, even
when a clerk typed the same word into a file ("合计" on a subtotal row).  Anything else with a
CJK character fails, with the file and the text.
"""

from __future__ import annotations

import csv
import re
import shutil
import tomllib
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from fengdu_cli.cli import app
from fengdu_cli.io.read import read_grids
from fengdu_cli.io.subsidy_files import mask_name
from fengdu_cli.messages import CATALOGUES
from fengdu_cli.schemas import CHOICES
from fengdu_cli.townships import TOWNSHIPS
from fengdu_cli.validate import describe_columns

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
POLICY = ROOT / "fengdu_cli" / "data" / "policy.toml"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
runner = CliRunner()


def policy_texts(node: object) -> set[str]:
    """Every text of the policy file (its programs' names, sources, categories): the county's
    own words, an input like the rosters."""
    if isinstance(node, str):  # a source is shown one document a line
        return {node, *node.split("；")}
    if isinstance(node, dict):
        return set().union(*(policy_texts(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(policy_texts(v) for v in node))
    return set()


def input_texts(folder: Path) -> set[str]:
    """Every text in the input: cell values (as typed and without spaces), file and sheet
    names; and the vocabulary typed in Chinese; less the labels the tool itself writes in Chinese
    (unless a clerk typed the same word as a header, or named a file or sheet with it)."""
    found: set[str] = set(TOWNSHIPS) | {v for values in CHOICES.values() for v in values}
    found |= policy_texts(tomllib.loads(POLICY.read_text(encoding="utf-8")))
    names: set[str] = set()  # a file or sheet name is data even when the tool says the word
    for path in folder.rglob("*"):
        if path.suffix not in (".xlsx", ".xls", ".csv"):
            continue
        names |= {path.name, path.stem}
        for grid in read_grids(path):
            names.add(str(grid.sheet))
            for value in grid.cells.ravel():
                typed = str(value).strip()
                found |= {typed, re.sub(r"\s+", "", typed)}
    said = {
        v
        for k, v in CATALOGUES["zh"].items()
        if k.startswith(("wb_", "title_", "how_", "severity_", "total", "township_unknown"))
    }
    headers = {  # a header the clerk typed is data even when the tool says the same word
        str(h) for c in describe_columns([folder]).values() for h in c.columns["header"]
    }
    return {t for t in found if CJK.search(t) and (t not in said or t in headers)} | {
        t for t in names if CJK.search(t)
    }


# DESIGN §2 names a trial's files with 试算 in both languages: a name, not a sentence
TRIAL_FILES = {
    f"{kind}-2024-06-试算.{ext}" for kind in ("payments", "publicity") for ext in ("xlsx", "csv")
} | {"posts-exit-2024-06-试算.xlsx"}
# a township's lists are named the same in every language (names.py): a name, not a sentence
TOWNSHIP_FILES = {"退回清单-2024-06-", "预警名单-2024-06-", "/退回清单/"}
# a name the screen masks (罗*红: a payee without an account) is data too
ALLOWED = (
    input_texts(SAMPLE) | TRIAL_FILES | TOWNSHIP_FILES | {mask_name(t) for t in input_texts(SAMPLE)}
)
CELLS = {
    str(value).strip()
    for path in SAMPLE.rglob("*")
    if path.suffix in (".xlsx", ".xls", ".csv")
    for grid in read_grids(path)
    for value in grid.cells.ravel()
}
QUOTED = re.compile(r"'([^']+)'")
TOKENS = sorted(ALLOWED, key=len, reverse=True)


def foreign(text: str, data: frozenset[str] = frozenset()) -> str:
    """What is left of ``text`` once every data text (and ``data``) is taken out: '' when no
    CJK is left."""
    allowed = ALLOWED | data
    if not CJK.search(text) or text.strip() in allowed:
        return ""
    if all(part in allowed for part in text.strip().split("、")):
        return ""  # a category as normalised: the values typed, in the policy's own spelling
    for token in sorted(data, key=len, reverse=True) + TOKENS:
        if token in text:
            text = text.replace(token, " ")
    # a value quoted as the list typed it ("the list says '否'") is data, even when the tool
    # has the same word among its own labels
    text = QUOTED.sub(lambda m: " " if m[1] in CELLS else m[0], text)
    return text if CJK.search(text) else ""


def run(*args: object, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "400", **(env or {})})
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """Every command of the month in English: screens by command, the output folder."""
    tmp = tmp_path_factory.mktemp("english")
    out, db = tmp / "out", tmp / "fengdu.db"
    shutil.copytree(SAMPLE, tmp / "data")
    data = tmp / "data"
    en = ("--lang", "en")
    screens = {
        "validate": run("validate", data / "rosters", "--as-of", "2024-06-30",
                        "--report", out / "roster-problems.xlsx", "--return-dir",
                        out / "returns", *en),
        "ingest": run("ingest", data / "rosters", "--as-of", "2024-06-30", "--out", out, *en),
        "reconcile": run("reconcile", "--month", "2024-06", "--data", data, "--out", out,
                         "--db", db, *en),
        "subsidy": run("subsidy", "--month", "2024-06", "--data", data, "--out", out,
                       "--db", db, *en),
    }  # fmt: skip
    with open(out / "payments-2024-06-试算.csv", encoding="utf-8-sig", newline="") as f:
        person = next(r["person_id"] for r in csv.DictReader(f) if r["person_id"])
    screens["explain"] = run("explain", person, "--month", "2024-06", "--data", data,
                             "--db", db, *en)  # fmt: skip
    screens["policy show"] = run("policy", "show", "--month", "2024-06", *en)
    screens["columns"] = run("columns", data / "rosters", data / "employment", *en)
    screens["ledger show"] = run("ledger", "show", "--db", db, *en)
    screens["ledger check"] = run("ledger", "check", "--db", db, *en)
    screens["policy check"] = run("policy", "check", POLICY, *en)
    # the language before the command, and from the environment
    screens["run"] = run("--lang", "en", "run", "--month", "2024-06", "--data", data, "--out",
                         tmp / "run", "--db", db)  # fmt: skip
    county = tmp / "county"
    screens["init"] = run("init", county, "--month", "2024-06", env={"FENGDU_LANG": "en"})
    screens["demo"] = run("demo", "--make-data", county / "data" / "2024-06",
                          env={"FENGDU_LANG": "en"})  # fmt: skip
    return screens, out


def file_texts(path: Path) -> list[str]:
    """Every text a person sees in a written file: sheet names and cells, CSV cells."""
    if path.suffix == ".log":
        return path.read_text(encoding="utf-8").splitlines()
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as f:
            return [cell for row in csv.reader(f) for cell in row]
    book = openpyxl.load_workbook(path, read_only=True)
    texts = []
    for sheet in book.worksheets:
        texts.append(sheet.title)
        # a payment list's basis is written in its printed lines: the breaks are layout
        cells = [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        texts += [v if CJK.search(v) is None else v.replace("\n", "") for v in cells]
    book.close()
    return texts


def chinese_in(texts: list[str], data: frozenset[str] = frozenset()) -> list[str]:
    return list(dict.fromkeys(t for t in texts if foreign(t, data)))


# What a payment line holds as the ledger stores it is data, in every language: the reason
# (basis, DESIGN §2 "a short Chinese reason") and the payee's and person's names as the rules
# made them ("刘静户"), and its key ("学:…@2023-2024").  The CSV carries them column by column.
LEDGER_TEXTS = ("basis", "payee_name", "person_name", "key")


def ledger_texts(out: Path) -> frozenset[str]:
    with open(out / "payments-2024-06-试算.csv", encoding="utf-8-sig", newline="") as f:
        return frozenset(r[c] for r in csv.DictReader(f) for c in LEDGER_TEXTS if CJK.search(r[c]))


# A bank's own list (bank-YYYY-MM.xlsx/.csv, DESIGN §2 "Chinese headers") is meant for the bank:
# it stays Chinese in every language, and is not checked here.
FOR_THE_BANK = re.compile(r"bank-\d{4}-\d{2}")


# Not English yet (the library still words these in Chinese): known, and strict — when one
# of them becomes English the mark must go.
NOT_YET: dict[str, str] = {}


def _mark(name: str):
    reason = NOT_YET.get(name)
    return (
        pytest.param(name, marks=pytest.mark.xfail(reason=reason, strict=True)) if reason else name
    )


SCREENS = ["validate", "ingest", "reconcile", "subsidy", "explain", "policy show",
           "policy check", "ledger show", "ledger check", "columns", "run", "init",
           "demo"]  # fmt: skip


@pytest.mark.parametrize("command", [_mark(c) for c in SCREENS])
def test_the_english_screen_has_no_chinese_outside_data(month, command):
    screens, _ = month
    assert chinese_in(screens[command].splitlines()) == []


FILES = [
    "roster-problems.xlsx", "roster-clean.xlsx", "roster-clean.csv", "reconcile-2024-06.xlsx",
    "warnings-2024-06.csv", "payments-2024-06-试算.xlsx", "payments-2024-06-试算.csv",
    "publicity-2024-06-试算.xlsx", "posts-exit-2024-06-试算.xlsx",
]  # fmt: skip


def test_the_language_before_the_command_and_from_the_environment_is_english(month):
    screens, _ = month
    assert "2024-06 reconcile" in screens["run"] and "Created" in screens["init"]


@pytest.mark.parametrize("name", [_mark(n) for n in FILES])
def test_an_english_file_has_no_chinese_outside_data(month, name):
    _, out = month
    assert chinese_in(file_texts(out / name), ledger_texts(out)) == []


def test_every_file_written_is_checked(month):
    _, out = month
    written = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not FOR_THE_BANK.match(p.name)
    }
    returns = {p for p in written if p.startswith("returns/")}
    logs = {p for p in written if p.startswith("logs/")}
    assert returns and logs and written - returns - logs <= set(FILES) | {"roster-problems.xlsx"}
    for name in sorted(returns | logs):
        assert chinese_in(file_texts(out / name)) == [], name


def test_the_check_finds_a_chinese_header(month):
    """The check can fail: a Chinese header, a Chinese total label, a Chinese separator."""
    assert chinese_in(["问题说明", "合计", "a.xlsx（Sheet1）", "社坛镇", "脱贫人口"]) == [
        "问题说明",
        "合计",
        "a.xlsx（Sheet1）",
    ]
    assert foreign("value '打工' is not one of: 县内务工, 市外务工") == ""
    assert foreign("values: 县内务工、市外务工")
