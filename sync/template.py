"""The template of a new workbook: each input tab's header and example rows, per locale."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from sync.core import Grid, Locale
from sync.workbook.contract import INPUT_TABS, TAB
from sync.workbook.values import shift_week


@cache
def _examples() -> dict[str, Any]:
    text = resources.files("sync").joinpath("templates/examples.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def header(key: str, locale: Locale) -> list[str]:
    """The header row of an input tab, in the locale, in contract order."""
    return [column.name(locale) for column in TAB[key].columns]


def template_grids(locale: Locale, *, week: str) -> dict[str, Grid]:
    """Contract key -> header plus example rows, for every input tab."""
    words = {"{week}": week, "{last_week}": shift_week(week, -1)}
    grids: dict[str, Grid] = {}
    for tab in INPUT_TABS:
        rows: list[list[Any]] = [header(tab.key, locale)]
        for example in _examples()[locale].get(tab.key, []):
            rows.append([words.get(v, v) for v in (example.get(c.key) for c in tab.columns)])
        grids[tab.key] = rows
    return grids
