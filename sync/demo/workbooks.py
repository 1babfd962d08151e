"""Build the team workbook templates of ``templates/``: ``python -m sync.demo.workbooks [FOLDER]``.

A team that would rather start from a file than run ``flowsync init`` uploads
one of these to Google Drive and opens it as a Google Sheet, or copies it as a
local .xlsx. They are made by init's own code (the xlsx backend's ``init`` over
``template_grids``), so they cannot drift from what init writes; a test says
when they are stale. The example rows are dated in ``WEEK``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sync.backends.xlsx import XlsxWorkbook
from sync.core import Locale
from sync.template import template_grids

WEEK = "2026-W48"
NAMES: dict[Locale, str] = {"ko": "flowsync-team-ko.xlsx", "en": "flowsync-team-en.xlsx"}


def build(folder: Path) -> list[Path]:
    """Write the Korean and the English template into ``folder``; return their paths."""
    paths = []
    for locale, name in NAMES.items():
        path = folder / name
        path.unlink(missing_ok=True)
        XlsxWorkbook(path).init(template_grids(locale, week=WEEK), locale=locale)
        paths.append(path)
    return paths


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "templates"
    for path in build(folder):
        print(path)
