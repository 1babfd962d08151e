"""The goal tree: which goals sit under which, so work and metrics roll up to the BHAG.

Work is linked to quarterly goals, so a BHAG counts nothing of its own; a lead
asking "is the big goal moving?" needs each goal's whole subtree. Built from
the Goals frame indexed by id key (``checks.link.goal_index``); faults in the
hierarchy (LINK005) never break it: an unknown parent makes a root, a cycle is
cut where it closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

_LEVEL_RANK = {"bhag": 0, "annual": 1, "quarter": 2}


@dataclass(frozen=True)
class GoalTree:
    """Goal keys with their children, in the order a person reads a plan: BHAG first."""

    roots: tuple[str, ...]
    children: Mapping[str, tuple[str, ...]]

    def walk(self) -> list[tuple[str, int]]:
        """(key, depth) of every goal, each parent before its children, each goal once."""
        out: list[tuple[str, int]] = []
        seen: set[str] = set()

        def visit(key: str, depth: int) -> None:
            if key in seen:
                return
            seen.add(key)
            out.append((key, depth))
            for child in self.children.get(key, ()):
                visit(child, depth + 1)

        for root in self.roots:
            visit(root, 0)
        for key in self.children:  # goals only reachable through a cycle
            visit(key, 0)
        return out

    def subtree(self, key: str) -> frozenset[str]:
        """The goal and every goal under it."""
        found: set[str] = set()
        stack = [key]
        while stack:
            k = stack.pop()
            if k not in found:
                found.add(k)
                stack.extend(self.children.get(k, ()))
        return frozenset(found)


def goal_tree(goals: pd.DataFrame) -> GoalTree:
    """The tree of a Goals frame indexed by id key (with ``parent_id``, ``level``, ``row``)."""
    rows = dict(zip(goals.index, goals["row"].astype(int), strict=True))
    levels = dict(zip(goals.index, goals["level"], strict=True))
    ranked = sorted(goals.index, key=lambda k: (_LEVEL_RANK.get(str(levels[k]), 3), rows[k]))
    children: dict[str, list[str]] = {str(k): [] for k in ranked}
    roots: list[str] = []
    for key in ranked:
        parent = _key(goals.at[key, "parent_id"])
        if parent and parent in children and parent != key:
            children[parent].append(str(key))
        else:
            roots.append(str(key))
    return GoalTree(tuple(roots), {k: tuple(v) for k, v in children.items()})


def _key(value: object) -> str:
    """An id as ``checks.context.id_of`` compares it: trimmed, any case; "" when empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip().casefold()
