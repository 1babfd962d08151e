"""A deterministic workbook generator for the benchmarks: N plan rows, proportional the rest.

Rows look like real ones: weeks in mixed forms, Korean and English values, a
few faults of every kind (about 3% unlinked levers, some unknown goals,
missing counterparts), so the checks do real work.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sync.template import header

Grid = list[list[Any]]

FLOWS = ("Business", "학습", "People")


def generate(plan_rows: int, *, seed: int = 48) -> dict[str, Grid]:
    """Title -> grid for a workbook whose Weekly Plan has ``plan_rows`` rows.

    Headers are the contract's English ones; the rows fill its columns in order.
    """
    rng = random.Random(seed)
    owners = [f"owner{i:04d}" for i in range(max(plan_rows // 150, 3))]
    weeks = 52
    first_monday = date(2025, 12, 1)
    goal_count = max(plan_rows // 500, 6)
    goals: Grid = [header("goals", "en")]
    goals.append(
        ["B1", "BHAG", None, "Double revenue", owners[0], "o0@example.com", "2028-12-31", None]
    )
    for i in range(1, goal_count):
        level, parent = ("Annual", "B1") if i < 3 else ("Quarter", f"G{1 + i % 2}")
        status = "done" if i % 17 == 0 else "active"
        goals.append([f"G{i}", level, parent, f"Goal {i}", rng.choice(owners), None, None, status])
    goal_ids = [row[0] for row in goals[1:]]

    metrics: Grid = [header("metrics", "en")]
    for i in range(1, 7):
        metrics.append(
            [
                f"M{i}",
                rng.choice(goal_ids),
                f"Metric {i}",
                rng.choice(["leading", "후행"]),
                "건",
                10,
                "Y",
            ]
        )

    plan: Grid = [header("plan", "en")]
    for n in range(plan_rows):
        monday = first_monday + timedelta(weeks=(n * weeks) // plan_rows)
        week = rng.choice(
            [monday.isoformat(), f"{monday.year}. {monday.month}. {monday.day}.", _iso(monday)]
        )
        flow = FLOWS[n % 3]
        goal = (
            None
            if rng.random() < 0.03
            else ("Q404" if rng.random() < 0.005 else rng.choice(goal_ids))
        )
        plan.append(
            [
                week,
                owners[(n // 3) % len(owners)],
                flow,
                f"Lever {n}: {'=HYPERLINK' if n % 997 == 0 else 'call'} clients",
                goal,
                rng.choice([None, 10, "1,200", "30%"]),
                rng.choice([None, 5, "8건"]),
                rng.choice(["done", "계획", "partial", None]),
                "deck" if rng.random() < 0.9 else None,
                "client" if rng.random() < 0.95 else None,
            ]
        )
    results: Grid = [header("results", "en")]
    for w in range(weeks):
        for i in range(1, 7):
            results.append(
                [_iso(first_monday + timedelta(weeks=w)), f"M{i}", 10, rng.randint(0, 12)]
            )
    exps: Grid = [header("experiments", "en")]
    for i in range(max(plan_rows // 50, 10)):
        monday = first_monday + timedelta(weeks=i % weeks)
        result = rng.choice([None, "success", "실패", "inconclusive"])
        goal = rng.choice([*goal_ids, None])
        step, action = rng.choice(["Continue", "그만", None]), rng.choice(["next", None])
        exps.append(
            [
                f"E{i}",
                _iso(monday),
                rng.choice(owners),
                goal,
                f"H{i}",
                "act",
                result,
                "ok",
                step,
                action,
            ]
        )
    risks: Grid = [header("risks", "en")]
    for i in range(max(plan_rows // 20, 10)):
        risks.append(
            [
                _iso(first_monday + timedelta(weeks=i % weeks)),
                rng.choice(owners),
                f"Risk {i}",
                rng.choice(["plan", None]),
            ]
        )
    retro: Grid = [header("retro", "en")]
    for i in range(max(plan_rows // 30, 10)):
        retro.append(
            [
                _iso(first_monday + timedelta(weeks=i % weeks)),
                rng.choice(owners),
                "x",
                "y",
                "z",
                rng.choice(["do", None]),
            ]
        )
    return {
        "Goals": goals,
        "Metrics": metrics,
        "Weekly Plan": plan,
        "Key Results": results,
        "Risks": risks,
        "Experiment Log": exps,
        "Retro": retro,
    }


def _iso(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
