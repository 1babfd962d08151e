"""Four `flowsync run --once --shard I/4` processes over K service accounts, counted at the emulator.

    .venv/bin/python benchmarks/bench_shards.py [--teams 60] [--shards 4] [--accounts 1] [--per-minute 60]

Google counts the Sheets API quota per service account (60 reads and 60
writes a minute by default) and per project (300). Checks that every team is
read exactly once across the shards and that no 60-second window at the
emulator holds more reads, or more writes, of one service account than its
per-minute quota: shards that share an account share its quota. Each account
is a real key (a fresh RSA key) whose token the emulator issues; a team's
account follows from its name as flowsync picks it. Prints the counts and
the time; writes benchmarks/results/shards.json.
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

from emulator import SheetsEmulator, write_service_account_key  # noqa: E402
from generate import generate  # noqa: E402

from sync.shard import shard_of  # noqa: E402

WRITES = ("spreadsheets.batchUpdate", "values.batchUpdate")


def service_account_key(folder: Path, n: int, token_uri: str) -> Path:
    """A service-account JSON key with a fresh RSA key, whose token the emulator issues."""
    return write_service_account_key(
        folder / f"service-account-{n}.json",
        token_uri=token_uri,
        project="flowsync-bench",
        key_id=f"bench-{n}",
        email=f"flowsync-{n}@flowsync-bench.iam.gserviceaccount.com",
        client_id=str(n),
    )


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
    parser.add_argument("--teams", type=int, default=60)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--accounts", type=int, default=1, help="service accounts in the config")
    parser.add_argument(
        "--per-minute",
        type=int,
        default=60,
        help="reads and writes per minute of one service account (Google's default: 60)",
    )
    args = parser.parse_args()
    book = generate(300)
    with SheetsEmulator() as emulator, tempfile.TemporaryDirectory() as folder:
        for i in range(args.teams):
            emulator.create(f"sheet-{i:04d}", book, user_entered=True)
        keys = [
            service_account_key(Path(folder), n, emulator.token_uri) for n in range(args.accounts)
        ]
        # Each shard has a state folder of its own, as each pod of an indexed job has.
        configs = [Path(folder) / f"flowsync-{i}.toml" for i in range(args.shards)]
        body = (
            f"[quota]\nreads_per_minute = {args.per_minute}\nwrites_per_minute = {args.per_minute}\n"
            f"[google]\ncredentials = [{', '.join(json.dumps(str(k)) for k in keys)}]\n"
            + "".join(
                f'[[teams]]\nname = "Team {i:04d}"\nspreadsheet = "sheet-{i:04d}"\n'
                for i in range(args.teams)
            )
        )
        for i, config in enumerate(configs):
            config.write_text(
                f'[service]\nlocale = "en"\nworkers = 4\nstate_dir = "state-{i}"\n' + body
            )
        env = {**os.environ, "SHEETS_EMULATOR_HOST": emulator.host}
        env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
        start = time.perf_counter()
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "sync",
                    "--config",
                    str(configs[i]),
                    "run",
                    "--once",
                    "--shard",
                    f"{i}/{args.shards}",
                    "--format",
                    "json",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                cwd=folder,
            )
            for i in range(args.shards)
        ]
        errors = [p.communicate()[1] for p in procs]
        codes = [p.returncode for p in procs]
        for i, (code, err) in enumerate(zip(codes, errors, strict=True)):
            if code:
                print(f"shard {i} exited {code}:\n{err[-2000:]}", file=sys.stderr)
        seconds = time.perf_counter() - start
        log = list(emulator.log)
        tokens = len(emulator.tokens_issued)
    reads = Counter(sid for _, endpoint, sid in log if endpoint == "spreadsheets.get")
    account = {
        f"sheet-{i:04d}": shard_of(f"Team {i:04d}", args.accounts) for i in range(args.teams)
    }
    per_account = []
    for a in range(args.accounts):
        read_times = [t for t, e, sid in log if e == "spreadsheets.get" and account.get(sid) == a]
        write_times = [t for t, e, sid in log if e in WRITES and account.get(sid) == a]
        per_account.append(
            {
                "account": a,
                "most_reads_in_a_minute": most_in_a_minute(read_times),
                "most_writes_in_a_minute": most_in_a_minute(write_times),
            }
        )
    result = {
        "teams": args.teams,
        "shards": args.shards,
        "accounts": args.accounts,
        "per_minute_quota_per_account": args.per_minute,
        "exit_codes": codes,
        "token_exchanges": tokens,
        "teams_read_once": sum(1 for n in reads.values() if n == 1),
        "teams_read_more_than_once": sum(1 for n in reads.values() if n > 1),
        "per_account": per_account,
        "seconds": seconds,
    }
    print(json.dumps(result, indent=2))
    ok = (
        codes == [0] * args.shards
        and result["teams_read_once"] == args.teams
        and all(a["most_reads_in_a_minute"] <= args.per_minute for a in per_account)
        and all(a["most_writes_in_a_minute"] <= args.per_minute for a in per_account)
    )
    print("OK: every team once, within the quota" if ok else "FAILED")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "shards.json").write_text(json.dumps(result, indent=2))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
