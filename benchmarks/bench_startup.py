"""What a cheap command costs to start: `status`, `--help` and `init` on the bundled demo.

    .venv/bin/python benchmarks/bench_startup.py [--repeat 5]

For each command, in fresh processes: the wall time of the whole command and
the time Python spent importing (the sum of `python -X importtime`'s top-level
entries), best of --repeat. The baseline is what these commands paid when the
CLI imported the check engine up front: `import pandas` alone, measured the
same way. Runs on a copy of the demo in a temporary folder; writes
benchmarks/results/startup.json.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
DEMO = HERE.parent / "sync" / "demo"
# "import time: self | cumulative | name", a nested module's name indented further.
_TOP_LEVEL = re.compile(r"^import time:\s+\d+ \|\s+(\d+) \| \S", re.M)


def run(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, import seconds) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *argv],
        cwd=cwd, capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    imported = sum(int(m[1]) for m in _TOP_LEVEL.finditer(proc.stderr))
    return wall, imported / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cli = ["-m", "sync.cli", "--config", "flowsync.toml"]
    commands = {
        "flowsync status": [*cli, "status"],
        "flowsync --help": [*cli, "--help"],
        "flowsync init": [*cli, "init"],
        "import pandas (baseline)": ["-c", "import pandas"],
    }
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("flowsync.toml", "demo.xlsx"):
            shutil.copyfile(DEMO / name, folder / name)
        # One dry run first, so that status has a run log to show.
        once = [*cli, "run", "--once", "--dry-run", "--as-of", "2026-11-26"]
        subprocess.run([sys.executable, *once], cwd=folder, capture_output=True, check=True)
        best = dict.fromkeys(commands, (math.inf, math.inf))
        for _ in range(args.repeat):
            for name, argv in commands.items():  # taking turns, so load hits all alike
                wall, imported = run(argv, folder)
                best[name] = (min(best[name][0], wall), min(best[name][1], imported))
    print(f"{'command':<26} {'wall s':>7} {'imports s':>10}")
    for name, (wall, imported) in best.items():
        rows.append({"command": name, "wall_seconds": wall, "import_seconds": imported})
        print(f"{name:<26} {wall:>7.3f} {imported:>10.3f}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "startup.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
