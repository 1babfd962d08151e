"""Raw cell grids -> typed pandas frames, one per input tab.

A grid is what a backend read: a list of rows, each a list of cells, ragged
(the Sheets API drops trailing blanks), with blank rows anywhere. The parser
finds the header row, maps headers to the contract's column keys in either
language, and reads each column by its kind. It never raises on a value: what
it cannot read is recorded as a ``Problem`` for the DATA checks, and the value
becomes empty. Each frame keeps the sheet row number (1-based) in ``row``.

Three rules keep a sheet's habits from becoming findings: a row is blank when
its contract columns are (a checkbox column beside them makes no rows); an
owner is one person however the name is typed, shown as first written; and two
tabs that match one input tab are both named and neither is read.

Every distinct raw value is parsed once per column, so a 100,000-row plan with
a few dozen weeks costs a few dozen week parses.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sync.core import Cell, Grid
from sync.workbook import values as v
from sync.workbook.contract import (
    INPUT_TABS,
    Column,
    Tab,
    column_lookup,
    matching_tabs,
    normalise_name,
)

# A header row is looked for among the first rows, so a title line above it is fine.
_HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True, slots=True)
class Problem:
    """A cell the parser could not read, or a required cell left empty."""

    tab: str
    column: str
    row: int
    value: str
    reason: str  # a key of sync.messages.REASONS
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Frames:
    """Every input tab of one workbook, typed, with what could not be read."""

    tables: Mapping[str, pd.DataFrame]
    titles: Mapping[str, str]
    missing_tabs: tuple[str, ...] = ()
    # Every contract column, required or not, that a tab's header row lacks.
    missing_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    header_rows: Mapping[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    # The header cells that name no contract column: where a renamed column hides.
    other_headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Input tabs matched by more than one title: none of them is read.
    duplicate_tabs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def table(self, tab: str) -> pd.DataFrame:
        """The tab's frame; an empty frame with every contract column when the tab is missing."""
        frame = self.tables.get(tab)
        return frame if frame is not None else empty_frame(tab)

    def usable(self, tab: str, *columns: str) -> bool:
        """True when the tab exists and has every one of ``columns``."""
        if tab not in self.tables:
            return False
        missing = self.missing_columns.get(tab, ())
        return not any(c in missing for c in columns)

    def first_missing(self, reads: Mapping[str, Iterable[str]]) -> tuple[str, str | None] | None:
        """What keeps ``reads`` (tab -> columns) from being read: ``(tab, None)`` for a tab
        that is not there, ``(tab, column)`` for a column; None when every one is there.

        The checks (``runs``) and the Weekly Summary's figures ask the same question, so a
        figure is "not measured" exactly where a check "did not run".
        """
        for tab, columns in reads.items():
            if tab not in self.tables:
                return tab, None
            for column in columns:
                if not self.usable(tab, column):
                    return tab, column
        return None

    def next_action_given(self) -> pd.Series:
        """Per Experiment Log row: the one rule for "an experiment ended with a next action".

        An ended experiment (a result) has a next action when both next_step and
        next_action are filled. A next_step that is filled but not Stop, Start or
        Continue counts as given: it is ACTION003's fault, not a missing action.
        ACTION001 and the Weekly Summary both ask this, and nothing else.
        """
        exps = self.table("experiments")
        invalid = {
            p.row
            for p in self.problems
            if p.tab == "experiments" and p.column == "next_step" and p.reason != "blank"
        }
        step = exps["next_step"].notna() | exps["row"].isin(invalid)
        return step & exps["next_action"].notna()


def empty_frame(tab: str) -> pd.DataFrame:
    spec = next(t for t in INPUT_TABS if t.key == tab)
    frame = pd.DataFrame({"row": pd.Series(dtype="int64")})
    for column in spec.columns:
        frame[column.key] = pd.Series(dtype="float64" if column.kind == "number" else "object")
    return frame


def parse_workbook(grids: Mapping[str, Grid]) -> Frames:
    """Parse every input tab found among ``grids`` (title -> grid)."""
    matches = matching_tabs(grids)
    titles = {key: found[0] for key, found in matches.items() if len(found) == 1}
    tables: dict[str, pd.DataFrame] = {}
    missing_columns: dict[str, tuple[str, ...]] = {}
    header_rows: dict[str, int] = {}
    other_headers: dict[str, tuple[str, ...]] = {}
    problems: list[Problem] = []
    missing_tabs: list[str] = []
    duplicate_tabs: dict[str, tuple[str, ...]] = {}
    for tab in INPUT_TABS:
        found = matches.get(tab.key, ())
        if len(found) > 1:
            duplicate_tabs[tab.key] = found
        title = titles.get(tab.key)
        if title is None:
            if not found:
                missing_tabs.append(tab.key)
            continue
        parsed = parse_tab(tab, grids[title])
        tables[tab.key] = parsed.frame
        header_rows[tab.key] = parsed.header_row
        if parsed.missing:
            missing_columns[tab.key] = parsed.missing
        if parsed.other_headers:
            other_headers[tab.key] = parsed.other_headers
        problems.extend(parsed.problems)
    return Frames(
        tables=_one_spelling_per_person(tables),
        titles=titles,
        missing_tabs=tuple(missing_tabs),
        missing_columns=missing_columns,
        header_rows=header_rows,
        problems=tuple(problems),
        other_headers=other_headers,
        duplicate_tabs=duplicate_tabs,
    )


def _one_spelling_per_person(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every person column, each name as first written in the workbook (tab order, then rows).

    ``Kim`` in Goals and ``kim`` in the plan are one owner, shown as ``Kim``.
    """
    people = [
        (t.key, c.key)
        for t in INPUT_TABS
        if t.key in tables
        for c in t.columns
        if c.kind == "person"
    ]
    first: dict[str, str] = {}
    for tab, column in people:
        for name in tables[tab][column].dropna().unique():
            first.setdefault(v.person_key(name), name)
    out = dict(tables)
    for tab, column in people:
        names = out[tab][column]
        spelling = {name: first[v.person_key(name)] for name in names.dropna().unique()}
        if any(name != spelled for name, spelled in spelling.items()):
            out[tab] = out[tab].assign(**{column: names.map(spelling.get, na_action="ignore")})
    return out


@dataclass(frozen=True)
class ParsedTab:
    frame: pd.DataFrame
    header_row: int
    missing: tuple[str, ...]
    problems: list[Problem]
    other_headers: tuple[str, ...] = ()


def find_header(tab: Tab, grid: Grid) -> tuple[int, dict[int, str]]:
    """The 0-based index of the header row and its column index -> column key map.

    The header is the first row among the first few that names a contract
    column; failing that, the first non-blank row. The first of two columns
    with the same name wins.
    """
    lookup = column_lookup(tab)
    fallback: int | None = None
    for index, cells in enumerate(grid[:_HEADER_SEARCH_ROWS]):
        mapping: dict[int, str] = {}
        for position, cell in enumerate(cells):
            key = lookup.get(normalise_name(cell)) if not v.is_blank(cell) else None
            if key is not None and key not in mapping.values():
                mapping[position] = key
        if mapping:
            return index, mapping
        if fallback is None and any(not v.is_blank(c) for c in cells):
            fallback = index
    return (fallback if fallback is not None else 0), {}


def _blank_in_row(key: object) -> bool:
    """A cell that does not make a row: blank, or an unticked checkbox (FALSE)."""
    cell = _cell_of(key)
    return (
        cell is False
        or v.is_blank(cell)
        or (isinstance(cell, str) and cell.strip().upper() == "FALSE")
    )


def _blank_rows(columns: Iterable[list[object]], count: int) -> np.ndarray:
    """Per row: blank in every contract column, whatever the others hold.

    A checkbox column (FALSE down to row 300) or a fill-down formula beside the
    contract's columns does not make a row, and neither does an unticked
    checkbox in one of them (the active column of Metrics, say).
    """
    blank = np.ones(count, dtype=bool)
    for keys in columns:
        if not blank.any():
            break
        flags = {key: _blank_in_row(key) for key in dict.fromkeys(keys)}
        blank &= np.fromiter(map(flags.__getitem__, keys), dtype=bool, count=count)
    return blank


def parse_tab(tab: Tab, grid: Grid) -> ParsedTab:
    """One tab's grid -> its typed frame, the missing columns, and problems."""
    header_index, mapping = find_header(tab, grid)
    header = grid[header_index] if header_index < len(grid) else []
    other = tuple(
        v.display(cell)
        for pos, cell in enumerate(header)
        if pos not in mapping and not v.is_blank(cell)
    )
    body = grid[header_index + 1 :]
    keyed = _keyed_columns(body, mapping)
    blank = _blank_rows(keyed.values(), len(body))
    kept = np.flatnonzero(~blank).tolist()
    if len(kept) < len(body):
        keyed = {key: [keys[i] for i in kept] for key, keys in keyed.items()}
    rows = [index + header_index + 2 for index in kept]
    missing = tuple(c.key for c in tab.columns if c.key not in keyed)
    problems: list[Problem] = []
    columns: dict[str, Any] = {"row": pd.Series(rows, dtype="int64")}
    for column in tab.columns:
        if column.key in keyed:
            columns[column.key] = _read_column(tab.key, column, keyed[column.key], rows, problems)
        else:
            dtype = "float64" if column.kind == "number" else "object"
            columns[column.key] = pd.Series([None] * len(rows), dtype=dtype)
    return ParsedTab(pd.DataFrame(columns), header_index + 1, missing, problems, other)


def _keyed_columns(body: Grid, mapping: Mapping[int, str]) -> dict[str, list[object]]:
    """The contract's columns of ``body`` (column key -> cell keys), in sheet order."""
    # Columns out of rows in one C-level pass; a ragged row's missing cells are None.
    by_position = list(itertools.zip_longest(*body))
    empty = (None,) * len(body)
    return {
        key: _keys(by_position[pos] if pos < len(by_position) else empty)
        for pos, key in sorted(mapping.items())
    }


def _keys(cells: Iterable[Cell]) -> list[object]:
    """Each cell as a dictionary key: a str or None is its own; any other value is keyed
    with its type, as True, 1 and 1.0 hash alike but read differently."""
    return [cell if type(cell) is str or cell is None else (type(cell), cell) for cell in cells]


def _cell_of(key: object) -> Cell:
    return key[1] if type(key) is tuple else key  # type: ignore[return-value]


def _reader(column: Column) -> Callable[[Cell], Any]:
    if column.kind == "week":
        return v.parse_week
    if column.kind == "number":
        return v.parse_number
    if column.kind == "date":
        return v.parse_date
    if column.kind == "email":
        return v.parse_email
    if column.kind == "person":
        return v.parse_person
    if column.kind == "enum":
        assert column.enum is not None
        enum, table = column.enum, column.enum.lookup()
        return lambda cell: v.parse_enum(cell, enum, table)
    return v.parse_text


def _read_one(read: Callable[[Cell], Any], key: object) -> tuple[Any, v.Unreadable | None] | None:
    """One distinct cell read: None when blank, else (value, None) or (None, why not)."""
    cell = _cell_of(key)
    if v.is_blank(cell):
        return None
    try:
        return read(cell), None
    except v.Unreadable as exc:
        return None, exc


def _read_column(
    tab: str, column: Column, keys: list[object], rows: list[int], problems: list[Problem]
) -> pd.Series:
    """Read one column of cell keys (``_keys``), parsing each distinct value once."""
    read = _reader(column)
    default = column.enum.default if column.enum is not None else None
    hits = {key: _read_one(read, key) for key in dict.fromkeys(keys)}
    blank_is_problem = column.required and not column.blank_ok
    bad = {k for k, hit in hits.items() if (hit[1] is not None if hit else blank_is_problem)}
    for key, row in zip(keys, rows, strict=True) if bad else ():
        if key not in bad:
            continue
        hit = hits[key]
        if hit is None:
            problems.append(Problem(tab, column.key, row, "", "blank"))
        elif (error := hit[1]) is not None:
            value = v.display(_cell_of(key))
            problems.append(Problem(tab, column.key, row, value, error.reason, error.params))
    out = [default if hit is None else hit[0] for hit in map(hits.__getitem__, keys)]
    if column.kind == "number":
        return pd.Series(out, dtype="float64")
    return pd.Series(out, dtype="object")
