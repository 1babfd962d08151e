"""The xlsx backend against the code it replaced and pandas.read_excel, in one run.

    .venv/bin/python benchmarks/bench_xlsx.py [--sizes 1000,10000,100000] [--repeat 3]

For 1k, 10k and 100k plan rows (benchmarks/generate.py; every input tab, sized
in proportion), in one process and on the same files:

- read: flowsync's read of every tab (python-calamine), the old read
  (openpyxl's read-only mode, the code of flowsync 0.1 kept below), and
  pandas.read_excel(sheet_name=None) with its engines openpyxl (the default)
  and calamine (the same Rust reader, with pandas' frames on top);
- write: rewriting the Findings and Weekly Summary tabs and the state tab of
  a workbook that holds all the inputs: flowsync's part-level write (timed
  alone, after the read it belongs to) and the old whole-file openpyxl load
  and save.

Best of ``--repeat`` rounds, the contenders taking turns in each round, so
that a shared machine's drifting load falls on all of them alike. Writes
benchmarks/results/xlsx.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from generate import generate  # noqa: E402

from sync.backends.xlsx import XlsxWorkbook  # noqa: E402

# --------------------------------------------------------------------------- the old backend
# flowsync 0.1's read and write, as they were in sync/backends/xlsx.py, for the comparison.


def old_read(path: Path) -> dict[str, list[list[Any]]]:
    """Every tab through openpyxl's read-only mode with cached values."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        grids = {}
        for ws in book.worksheets:
            ws.reset_dimensions()  # type: ignore[union-attr]
            grids[ws.title] = [list(row) for row in ws.iter_rows(values_only=True)]
        return grids
    finally:
        book.close()


def old_write(path: Path, tabs: Mapping[str, Sequence[Sequence[Any]]]) -> None:
    """Load the whole workbook, replace the owned tabs, save to a temporary file, rename."""
    from openpyxl.styles import Font

    book = openpyxl.load_workbook(path)
    for title, grid in tabs.items():
        index = book.sheetnames.index(title) if title in book.sheetnames else None
        if index is not None:
            book.remove(book[title])
        ws = book.create_sheet(title, index)
        for r, row in enumerate(grid, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(r, c)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
                if r == 1:
                    cell.font = Font(bold=True)
        if grid:
            ws.freeze_panes = "A2"
        if title == "_flowsync":
            ws.sheet_state = "hidden"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        book.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# --------------------------------------------------------------------------- the run


Contender = tuple[Callable[[], object], Callable[[], object]]  # (setup, timed call)


def best_interleaved(contenders: dict[str, Contender], repeat: int) -> dict[str, float]:
    """Best time of each contender, taking turns round by round.

    On a shared machine the load drifts over minutes; running each contender
    once per round lets every one of them meet the same drift.
    """
    fastest = dict.fromkeys(contenders, math.inf)
    for _ in range(repeat):
        for name, (setup, fn) in contenders.items():
            setup()
            start = time.perf_counter()
            fn()
            fastest[name] = min(fastest[name], time.perf_counter() - start)
    return fastest


def _trimmed(row: Sequence[Any]) -> list[Any]:
    out = list(row)
    while out and out[-1] is None:
        out.pop()
    return out


def owned_tabs(size: int) -> dict[str, list[list[Any]]]:
    findings: list[list[Any]] = [["Code", "Severity", "Tab", "Row", "Owner", "Week", "Message"]]
    findings += [
        ["LINK001", "error", "Weekly Plan", i, "owner", "2026-W48", f"Lever {i} is not linked"]
        for i in range(size // 30)
    ]
    summary: list[list[Any]] = [["Weekly Summary"], ["week", "linkage", "levers", "done"]]
    summary += [[f"2026-W{w:02d}", 0.9, 30, 20] for w in range(1, 49)]
    return {
        "Weekly Summary": summary,
        "Findings": findings,
        "_flowsync": [["key", "value"], ["hash:Findings", "0" * 32]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            source = Path(folder) / f"source-{size}.xlsx"
            book = openpyxl.Workbook()
            for ws in book.worksheets:
                book.remove(ws)
            for title, grid in generate(size).items():
                sheet = book.create_sheet(title)
                for row in grid:
                    sheet.append(row)
            book.save(source)
            path = Path(folder) / f"team-{size}.xlsx"
            tabs = owned_tabs(size)

            def fresh(source: Path = source, path: Path = path) -> None:
                shutil.copyfile(source, path)

            fresh()
            workbook = XlsxWorkbook(path)
            new_grids = workbook.read().grids
            old_grids = old_read(path)
            for title, grid in new_grids.items():  # the same cells, but for trailing blanks
                assert list(map(_trimmed, grid)) == list(map(_trimmed, old_grids[title])), title

            def read_then(wb: XlsxWorkbook = workbook) -> None:
                fresh()
                wb.read()

            timings = best_interleaved(
                {
                    "read": (fresh, workbook.read),
                    "old_read": (fresh, lambda path=path: old_read(path)),
                    "pandas_read_excel": (
                        fresh,
                        lambda path=path: pd.read_excel(path, sheet_name=None, engine="openpyxl"),
                    ),
                    "pandas_read_excel_calamine": (
                        fresh,
                        lambda path=path: pd.read_excel(path, sheet_name=None, engine="calamine"),
                    ),
                    "write": (read_then, lambda wb=workbook, t=tabs: wb.write(t)),
                    "old_write": (fresh, lambda path=path, t=tabs: old_write(path, t)),
                },
                args.repeat,
            )
            result: dict[str, float] = {
                "plan_rows": size,
                "file_mb": path.stat().st_size / 1e6,
                **timings,
            }
            result["read_speedup"] = result["old_read"] / result["read"]
            result["write_speedup"] = result["old_write"] / result["write"]
            rows.append(result)
            print(
                f"{size:>8,} rows {result['file_mb']:5.1f} MB  "
                f"read {result['read']:6.3f} s (old {result['old_read']:6.2f} s, "
                f"pandas.read_excel {result['pandas_read_excel']:6.2f} s, "
                f"with calamine {result['pandas_read_excel_calamine']:6.3f} s; x{result['read_speedup']:.1f})  "
                f"write {result['write']:6.3f} s (old {result['old_write']:6.2f} s, x{result['write_speedup']:.1f})",
                flush=True,
            )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "xlsx.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
