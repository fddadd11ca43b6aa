"""Which canonical column each header of a sheet is, and how that is known.

For one sheet: every header text is matched by the clerk's columns.toml, an alias or
keywords (:class:`Recogniser.text_matches`); every column's first cells are sampled and
compared with each column's value shape.  Each (column, meaning) pair gets a score:

======================  =========================================  ===========
how                     score                                      share s
======================  =========================================  ===========
columns.toml            1000 (the clerk decided)
alias                   100 + 20·s
keywords                60 + 30·s
values (header silent)  25 + 50·s, only when s ≥ 0.6               of the sample
======================  =========================================  ===========

(s is the share of sampled values that fit the column's shape; 0.5 when the column has
no shape, 0 when the column is empty.)  Meanings are handed out greedily, best score
first.  A header that names a meaning and whose values fit it outranks a silent header
whose values fit.  A second column that scored within :data:`MARGIN` of the winner for
the same meaning is a competitor: ``ambiguous_column``.  For a required column the file cannot be
read; for a column some warning or rule needs, neither is used (the persons are 无法判断
for what needs it); for any other the better one is used and the doubt reported.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from fengdu_cli.cells import text_value
from fengdu_cli.io import shapes
from fengdu_cli.io.columns import REQUIRED, SPECS, Spec, clean_header, resolve_header, strip_note
from fengdu_cli.io.columns_toml import ColumnsConfig
from fengdu_cli.normalise import CATEGORY_FACTS, EMPLOYMENT_TYPE, LABOR, WORK_STATUS
from fengdu_cli.townships import canonical_township

MARGIN = 10.0
# Columns money is paid to: two columns competing for one (社保卡号 and 银行账号, 惠农卡号 and
# 存折账号) leave it unread — the payees listed without an account — never the first guessed.
MONEY_COLUMNS = frozenset({"bank_account"})
# A required column whose sampled values fit its shape this rarely is the wrong column.
RELIABLE_SHAPES = frozenset({"id_number", "credit_code", "period", "date", "amount"})
MISFIT_SHARE = 0.3
MISFIT_SAMPLES = 10
STRONG_SHARE = 0.8  # an unused column whose values fit a needed meaning this well competes


def _differ(body: np.ndarray, j: int, k: int) -> bool:
    """Do two columns say different things in at least one row in ten (of the first rows)?"""
    if not body.size:
        return False
    top = body[: shapes.SAMPLE_ROWS]
    pairs = [(text_value(a), text_value(b)) for a, b in zip(top[:, j], top[:, k], strict=True)]
    filled = [(a, b) for a, b in pairs if a or b]
    return bool(filled) and sum(a != b for a, b in filled) >= max(1, len(filled) // 10)


MIN_VALUES = 3  # sampled cells needed before values alone may name a column
VALUES_SHARE = 0.6
HOWS = ("columns.toml", "alias", "keywords", "values")
_SENTENCE = re.compile(r"[，。；！？,;!?]")
_DIGITS = re.compile(r"\d")
_VALUE_WORDS = (
    frozenset(CATEGORY_FACTS)
    | frozenset(LABOR)
    | frozenset(WORK_STATUS)
    | frozenset(EMPLOYMENT_TYPE)
)


@dataclass(frozen=True)
class ColumnRead:
    """One column of a sheet: its header as typed and what it was recognised as."""

    index: int  # 0-based column of the sheet
    header: str  # as the clerk sees it ('基本信息/身份证号码' for two header rows)
    column: str | None  # canonical column, or None: kept as an extra column
    how: str = ""  # one of HOWS, '' when not recognised
    share: float | None = None  # share of sampled values that fit the column's shape
    score: float = 0.0


@dataclass(frozen=True)
class ColumnGap:
    """A meaning the sheet lacks (``missing``) or holds twice (``ambiguous``)."""

    column: str
    cause: str  # 'missing' | 'ambiguous' | 'values' (a required column whose values do not fit)
    role: str  # 'required' | 'needed' | 'optional'
    headers: tuple[str, ...] = ()  # ambiguous: the competing headers; missing: the closest one
    share: float | None = None  # values: the share of sampled values that fit
    example: str = ""  # values: one sampled value that does not fit


@dataclass(frozen=True)
class Recognition:
    """What every column of one sheet is, and what the sheet lacks."""

    columns: tuple[ColumnRead, ...]
    gaps: tuple[ColumnGap, ...] = field(default_factory=tuple)

    def column_names(self) -> list[str | None]:
        return [c.column for c in self.columns]


def _comparable(spec: Spec) -> Spec:
    """The spec with its key words in the form headers are compared in (NFKC: （ → ()."""
    return replace(
        spec,
        groups=tuple(tuple(clean_header(w) for w in g) for g in spec.groups),
        excludes=tuple(clean_header(w) for w in spec.excludes),
    )


def _role(kind: str, column: str, needed: frozenset[str]) -> str:
    if column in REQUIRED.get(kind, ()):
        return "required"
    return "needed" if column in needed else "optional"


class Recogniser:
    """Recognises the headers of one kind (with a clerk's columns.toml, if any)."""

    def __init__(
        self,
        kind: str,
        config: ColumnsConfig | None = None,
        needed: frozenset[str] = frozenset(),
    ) -> None:
        self.kind = kind
        self.specs: tuple[Spec, ...] = tuple(_comparable(s) for s in SPECS[kind])
        self.config = config or ColumnsConfig()
        self.toml_headers = self.config.headers.get(kind, {})
        self.spellings = self.config.values.get(kind, {})
        self.needed = needed
        self._cache: dict[str, dict[str, str]] = {}

    # ------------------------------------------------------------ header texts

    def text_matches(self, text: object) -> dict[str, str]:
        """The meanings a header text has, each with how: {column: how}.

        ``{'': 'columns.toml'}`` when the clerk's file says the header is not data.
        """
        if not isinstance(text, str):
            return {}
        key = clean_header(text)
        if key not in self._cache:
            self._cache[key] = self._match(key)
        return self._cache[key]

    def _match(self, key: str) -> dict[str, str]:
        if not key:
            return {}
        for form in (key, strip_note(key)):
            if form in self.toml_headers:
                return {self.toml_headers[form]: "columns.toml"}
        alias = resolve_header(self.kind, key)
        if alias and not self._excluded(alias, key):
            return {alias: "alias"}
        if not self._header_like(key):
            return {}
        return {s.column: "keywords" for s in self.specs if self._keywords_fit(s, key)}

    def _excluded(self, column: str, key: str) -> bool:
        """A note or group title that rules the meaning out: 身份证号码（户主） is the
        household head's ID, not the person's."""
        spec = next((s for s in self.specs if s.column == column), None)
        alias_forms = {clean_header(a) for a in spec.aliases} if spec else set()
        return spec is not None and key not in alias_forms and any(w in key for w in spec.excludes)

    @staticmethod
    def _header_like(key: str) -> bool:
        """A header is short and is neither a sentence nor a value (普通劳动力, 虎威镇)."""
        return (
            len(key) <= 24
            and not _SENTENCE.search(key)
            and key not in _VALUE_WORDS
            and canonical_township(key) is None
        )

    @staticmethod
    def _keywords_fit(spec: Spec, key: str) -> bool:
        return (
            bool(spec.groups)
            and all(any(w in key for w in group) for group in spec.groups)
            and not any(w in key for w in spec.excludes)
        )

    def holds_data(self, row: Sequence[object]) -> bool:
        """Does a row hold values rather than headers (numbers, dates, IDs, 普通劳动力 …)?"""
        for cell in row:
            if isinstance(cell, bool) or cell is None:
                continue
            if isinstance(cell, int | float | dt.date | dt.datetime | dt.time):
                return True
            if isinstance(cell, str):
                key = clean_header(cell)
                if len(_DIGITS.findall(key)) >= 5 or key in _VALUE_WORDS:
                    return True
                if canonical_township(key) is not None:
                    return True
        return False

    def named(self, candidates: Sequence[Sequence[str]]) -> set[str]:
        """The distinct meanings a header row names, its columns' texts tried in order
        (to find the header row, and whether a second header row adds to it)."""
        found: set[str] = set()
        for texts in candidates:
            matches = self._first_match(texts)
            if matches and "" not in matches:
                found.add(next(iter(matches)))
        return found

    # ------------------------------------------------------------ one sheet

    def recognise(
        self, texts: Sequence[Sequence[str]], shown: Sequence[str], body: np.ndarray
    ) -> Recognition:
        """Recognise every column of a sheet.

        ``texts[j]``: the header texts to try for column j, best first (two header rows
        give 'lower', 'upper+lower', 'upper'); ``shown[j]`` the header as typed;
        ``body`` the cells below the header.
        """
        width = len(shown)
        matches = [self._first_match(texts[j]) for j in range(width)]
        samples = [shapes.sample(body[:, j]) if body.size else [] for j in range(width)]
        scores: list[dict[str, tuple[float, str, float | None]]] = []
        for j in range(width):
            scores.append(self._scores(matches[j], samples[j], clean_header(shown[j])))
        assigned = self._assign(scores)
        gaps, dropped = self._ambiguities(assigned, scores, shown, body)
        for column in dropped:
            del assigned[column]
        by_index = {j: c for c, j in assigned.items()}
        columns = []
        for j in range(width):
            meaning = by_index.get(j)
            if meaning is not None:
                score, how, share = scores[j][meaning]
                columns.append(ColumnRead(j, shown[j], meaning, how, share, score))
            else:
                columns.append(ColumnRead(j, shown[j], None, "", self._best_share(scores[j])))
        gaps.extend(self._misfits(assigned, scores, shown, samples))
        taken = set(assigned) | {g.column for g in gaps}
        for spec in self.specs:
            role = _role(self.kind, spec.column, self.needed)
            if spec.column not in taken and role != "optional":
                closest = self._closest(spec, shown, set(by_index), samples)
                gaps.append(ColumnGap(spec.column, "missing", role, closest))
        return Recognition(tuple(columns), tuple(gaps))

    def _first_match(self, candidates: Sequence[str]) -> dict[str, str]:
        """The meanings of the first candidate text that has one — unless the upper header
        row rules that meaning out (户主信息 over 身份证号码): then upper+lower decides."""
        for i, text in enumerate(candidates):
            found = self.text_matches(text)
            if found:
                if i == 0 and len(candidates) > 1:
                    combined = clean_header(candidates[1])
                    if any(self._excluded(c, combined) for c in found if c):
                        return self.text_matches(candidates[1])
                return found
        return {}

    def _scores(
        self, matched: dict[str, str], cells: list[object], key: str
    ) -> dict[str, tuple[float, str, float | None]]:
        """{column: (score, how, share)} for one sheet column."""
        if "" in matched:  # columns.toml: not a data column
            return {}
        # a header that names a meaning outright is not also guessed from its values
        explicit = any(h in ("alias", "columns.toml") for h in matched.values())
        out: dict[str, tuple[float, str, float | None]] = {}
        for spec in self.specs:
            how = matched.get(spec.column)
            if how is None and (explicit or not spec.by_values):
                continue
            share = (
                shapes.share(cells, spec.shape, self.spellings.get(spec.column, {}))
                if spec.shape
                else None
            )
            fit = share if share is not None else (0.5 if spec.shape is None else 0.0)
            if how == "columns.toml":
                out[spec.column] = (1000.0, how, share)
            elif how == "alias":
                out[spec.column] = (100 + 20 * fit, how, share)
            elif how == "keywords":
                out[spec.column] = (60 + 30 * fit, how, share)
            elif (
                spec.by_values
                and share is not None
                and share >= VALUES_SHARE
                and len(cells) >= MIN_VALUES
                and not any(w in key for w in spec.excludes)
            ):
                out[spec.column] = (25 + 50 * share, "values", share)
        return out

    def _assign(self, scores: list[dict[str, tuple[float, str, float | None]]]) -> dict[str, int]:
        order = {s.column: i for i, s in enumerate(self.specs)}
        pairs = sorted(
            (
                (score, j, column)
                for j, cand in enumerate(scores)
                for column, (score, _, _) in cand.items()
            ),
            key=lambda p: (-p[0], p[1], order[p[2]]),
        )
        assigned: dict[str, int] = {}
        used: set[int] = set()
        for _, j, column in pairs:
            if column in assigned or j in used:
                continue
            assigned[column] = j
            used.add(j)
        return assigned

    def _ambiguities(
        self,
        assigned: dict[str, int],
        scores: list[dict[str, tuple[float, str, float | None]]],
        shown: Sequence[str],
        body: np.ndarray,
    ) -> tuple[list[ColumnGap], list[str]]:
        """Meanings another column competed for; which of them to drop.

        A rival scored within MARGIN of the winner — or, for a column some rule needs, is an
        unused column that names the meaning and whose values fit it as well but differ (a
        second 类别 column saying something else: which one is right is not ours to guess).
        Two headers the clerk's columns.toml maps to one meaning are rivals too."""
        owner = {j: c for c, j in assigned.items()}
        gaps: list[ColumnGap] = []
        dropped: list[str] = []
        for column, j in assigned.items():
            score, how, _ = scores[j][column]
            role = _role(self.kind, column, self.needed)
            rivals = []
            for k, cand in enumerate(scores):
                if k == j or column not in cand:
                    continue
                k_score, k_how, k_share = cand[column]
                other = owner.get(k)
                if how == "columns.toml":
                    if k_how == "columns.toml":
                        rivals.append(k)
                    continue
                close = k_score > score - MARGIN
                strong = (
                    role == "needed"
                    and other is None
                    and (k_share or 0) >= STRONG_SHARE
                    and _differ(body, j, k)
                )
                if not (close or strong):
                    continue
                if other is not None and scores[k][other][0] >= k_score:
                    continue  # that column is better explained by its own meaning
                rivals.append(k)
            if not rivals:
                continue
            headers = tuple(shown[k] or f"第{k + 1}列" for k in (j, *rivals))
            gaps.append(ColumnGap(column, "ambiguous", role, headers))
            if role == "needed" or column in MONEY_COLUMNS:
                dropped.append(column)
        return gaps, dropped

    def _misfits(
        self,
        assigned: dict[str, int],
        scores: list[dict[str, tuple[float, str, float | None]]],
        shown: Sequence[str],
        samples: list[list[object]],
    ) -> list[ColumnGap]:
        """Required columns named by their header whose values are not of their kind (a
        单位编码 of internal numbers is no credit code): matching on them would silently
        find nothing."""
        out = []
        for column, j in assigned.items():
            spec = next(s for s in self.specs if s.column == column)
            _, how, share = scores[j][column]
            if (
                spec.shape in RELIABLE_SHAPES
                and how in ("alias", "keywords")
                and share is not None
                and len(samples[j]) >= MISFIT_SAMPLES
                and share < MISFIT_SHARE
                and _role(self.kind, column, self.needed) == "required"
            ):
                test = shapes.SHAPES[spec.shape]
                bad = next((v for v in samples[j] if not test(v)), "")
                out.append(
                    ColumnGap(column, "values", "required", (shown[j],), share, text_value(bad))
                )
        return out

    @staticmethod
    def _best_share(cand: dict[str, tuple[float, str, float | None]]) -> float | None:
        shares = [s for _, _, s in cand.values() if s is not None]
        return max(shares) if shares else None

    def _closest(
        self, spec: Spec, shown: Sequence[str], used: set[int], samples: list[list[object]]
    ) -> tuple[str, ...]:
        """The unused header most like ``spec``, by its wording or by its values (for
        'closest: …' in messages)."""
        best, best_score = "", 0.0
        for j, header in enumerate(shown):
            key = clean_header(header)
            if j in used:
                continue
            ratio = (
                max(
                    (
                        difflib.SequenceMatcher(None, key, clean_header(a)).ratio()
                        for a in spec.aliases
                    ),
                    default=0.0,
                )
                if key
                else 0.0
            )
            if spec.groups and key:
                hit = sum(any(w in key for w in g) for g in spec.groups) / len(spec.groups)
                ratio = max(ratio, 0.8 * hit)
            if spec.shape and samples[j]:
                fit = shapes.share(samples[j], spec.shape, self.spellings.get(spec.column, {}))
                ratio = max(ratio, fit or 0.0)
            if ratio > best_score:
                best, best_score = header or f"第{j + 1}列", ratio
        return (best,) if best_score >= 0.4 else ()
