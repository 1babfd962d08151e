"""Four `flowsync run --once --shard I/4` processes, 200 teams, one quota, counted at the emulator.

    .venv/bin/python benchmarks/bench_shards.py [--teams 200] [--shards 4] [--per-minute 300]

Checks that every team is read exactly once across the shards and that no
60-second window at the emulator holds more reads, or more writes, than the
configured per-minute quota (each shard paces itself to 1/N of it). Prints
the counts and the time; writes benchmarks/results/shards.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests"), str(HERE)]

from emulator import SheetsEmulator  # noqa: E402
from generate import generate  # noqa: E402

WRITES = ("spreadsheets.batchUpdate", "values.batchUpdate")


def most_in_a_minute(times: list[float]) -> int:
    window: deque[float] = deque()
    most = 0
    for t in sorted(times):
        window.append(t)
        while window[0] <= t - 60:
            window.popleft()
        most = max(most, len(window))
    return most


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument(
        "--per-minute",
        type=int,
        default=300,
        help="reads and writes per minute, all shards together (Google's per-project quota)",
    )
    args = parser.parse_args()
    book = generate(300)
    with SheetsEmulator() as emulator, tempfile.TemporaryDirectory() as folder:
        for i in range(args.teams):
            emulator.create(f"sheet-{i:04d}", book, user_entered=True)
        config = Path(folder) / "flowsync.toml"
        config.write_text(
            f'[service]\nlocale = "en"\nworkers = 4\n'
            f"[quota]\nreads_per_minute = {args.per_minute}\nwrites_per_minute = {args.per_minute}\n"
            + "".join(
                f'[[teams]]\nname = "Team {i:04d}"\nspreadsheet = "sheet-{i:04d}"\n'
                for i in range(args.teams)
            )
        )
        env = {**os.environ, "SHEETS_EMULATOR_HOST": emulator.host}
        start = time.perf_counter()
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "sync",
                    "--config",
                    str(config),
                    "run",
                    "--once",
                    "--shard",
                    f"{i}/{args.shards}",
                    "--format",
                    "json",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=folder,
            )
            for i in range(args.shards)
        ]
        codes = [p.wait() for p in procs]
        seconds = time.perf_counter() - start
        reads = Counter(sid for _, endpoint, sid in emulator.log if endpoint == "spreadsheets.get")
        read_times = [t for t, endpoint, _ in emulator.log if endpoint == "spreadsheets.get"]
        write_times = [t for t, endpoint, _ in emulator.log if endpoint in WRITES]
    result = {
        "teams": args.teams,
        "shards": args.shards,
        "per_minute_quota": args.per_minute,
        "exit_codes": codes,
        "teams_read_once": sum(1 for n in reads.values() if n == 1),
        "teams_read_more_than_once": sum(1 for n in reads.values() if n > 1),
        "most_reads_in_a_minute": most_in_a_minute(read_times),
        "most_writes_in_a_minute": most_in_a_minute(write_times),
        "seconds": seconds,
    }
    print(json.dumps(result, indent=2))
    ok = (
        codes == [0] * args.shards
        and result["teams_read_once"] == args.teams
        and result["most_reads_in_a_minute"] <= args.per_minute
        and result["most_writes_in_a_minute"] <= args.per_minute
    )
    print("OK: every team once, within the quota" if ok else "FAILED")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "shards.json").write_text(json.dumps(result, indent=2))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
