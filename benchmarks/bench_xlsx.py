"""The xlsx backend: read and write time for 1k, 10k and 100k plan rows, against pandas.read_excel.

    .venv/bin/python benchmarks/bench_xlsx.py [--sizes 1000,10000,100000]

flowsync's read is every tab, in one pass of openpyxl's read-only mode;
pandas.read_excel(sheet_name=None) reads the same tabs into DataFrames (with
openpyxl underneath). The write rewrites the Findings tab of a workbook that
holds all the input tabs (openpyxl loads and saves the whole file). Best of 3.
Writes benchmarks/results/xlsx.json.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import openpyxl
import pandas as pd

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from generate import generate  # noqa: E402

from sync.backends.xlsx import XlsxWorkbook  # noqa: E402


def best(fn: Callable[[], object], repeat: int) -> float:
    times = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times = min(times, time.perf_counter() - start)
    return times


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
            path = Path(folder) / f"team-{size}.xlsx"
            book = openpyxl.Workbook()
            for ws in book.worksheets:
                book.remove(ws)
            for title, grid in generate(size).items():
                sheet = book.create_sheet(title)
                for row in grid:
                    sheet.append(row)
            book.save(path)
            workbook = XlsxWorkbook(path)
            findings = [["Code", "Severity", "Tab", "Row", "Owner", "Week", "Message"]] + [
                [
                    "LINK001",
                    "error",
                    "Weekly Plan",
                    i,
                    "owner",
                    "2026-W48",
                    f"Lever {i} is not linked",
                ]
                for i in range(size // 30)
            ]
            result = {
                "plan_rows": size,
                "flowsync_read": best(workbook.read, args.repeat),
                "pandas_read_excel": best(
                    partial(pd.read_excel, path, sheet_name=None), args.repeat
                ),
                "flowsync_write": best(
                    partial(workbook.write, {"Findings": findings}), args.repeat
                ),
                "file_mb": path.stat().st_size / 1e6,
            }
            rows.append(result)
            print(
                f"{size:>8,} rows  read {result['flowsync_read']:6.2f} s  pandas.read_excel {result['pandas_read_excel']:6.2f} s"
                f"  write {result['flowsync_write']:6.2f} s  ({result['file_mb']:.1f} MB)",
                flush=True,
            )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "xlsx.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
