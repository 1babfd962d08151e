"""Check engine throughput: parse + every check on 1k, 10k and 100k Weekly Plan rows.

    .venv/bin/python benchmarks/bench_checks.py [--sizes 1000,10000,100000] [--repeat 3]

Prints a table and writes benchmarks/results/checks.json. Each size runs in a
fresh subprocess so peak memory (ru_maxrss) is that size's alone; the time is
the best of --repeat runs of parse + checks (generation excluded). The growth
exponent between sizes is log(t2/t1)/log(n2/n1): 1.0 is linear.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import platform
import resource
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def measure(size: int, repeat: int) -> dict[str, float]:
    from generate import generate

    from sync.checks import CheckContext, run_checks
    from sync.workbook.parse import parse_workbook

    grids = generate(size)
    ctx = CheckContext(now=datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Seoul")), locale="ko")
    best, findings = math.inf, 0
    parse_best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        frames = parse_workbook(grids)
        parsed = time.perf_counter()
        findings = len(run_checks(frames, ctx))
        best = min(best, time.perf_counter() - start)
        parse_best = min(parse_best, parsed - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "plan_rows": size,
        "seconds": best,
        "parse_seconds": parse_best,
        "findings": findings,
        "peak_mb": peak_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.repeat)))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--repeat", str(args.repeat)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        rows.append(json.loads(out.stdout))
    for prev, cur in itertools.pairwise(rows):
        cur["exponent"] = math.log(cur["seconds"] / prev["seconds"]) / math.log(
            cur["plan_rows"] / prev["plan_rows"]
        )
    head = ("plan rows", "parse+checks s", "of which parse s", "findings", "peak MB", "growth")
    print("{:>10} {:>15} {:>17} {:>9} {:>8} {:>7}".format(*head))
    for r in rows:
        growth = f"{r['exponent']:.2f}" if "exponent" in r else "-"
        print(
            f"{r['plan_rows']:>10,} {r['seconds']:>15.3f} {r['parse_seconds']:>17.3f} "
            f"{r['findings']:>9,} {r['peak_mb']:>8.0f} {growth:>7}"
        )
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    machine = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor(),
    }
    (out_dir / "checks.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
