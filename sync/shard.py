"""Splitting the teams across workers: a stable hash of the team's name picks its shard.

A team's shard depends only on its own name and the shard count, so adding
or removing other teams never moves it. Shards are numbered from 0, as
Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX) and Cloud Run jobs
(CLOUD_RUN_TASK_INDEX) number their tasks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sync.core import Locale

T = TypeVar("T")


class ShardError(ValueError):
    """A shard that cannot be: ``str()`` in English, ``say(locale)`` as the CLI prints it."""

    def __init__(self, key: str, **params: str) -> None:
        self.key, self.params = key, params
        super().__init__(self.say("en"))

    def say(self, locale: Locale) -> str:
        from sync.messages import ui

        return ui(self.key, locale, **self.params)


@dataclass(frozen=True)
class Shard:
    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise ShardError("shard_range", index=str(self.index), count=str(self.count))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def owns(self, name: str) -> bool:
        return shard_of(name, self.count) == self.index

    def select(self, items: Sequence[T], name: Callable[[T], str]) -> list[T]:
        """The items whose name falls in this shard, in their order."""
        return [item for item in items if self.owns(name(item))]


def shard_of(name: str, count: int) -> int:
    """The shard of a team name: the same on every machine and in every process."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % count


def parse_shard(text: str) -> Shard:
    """``--shard I/N``."""
    index, sep, count = text.partition("/")
    if not sep or not index.strip().isdigit() or not count.strip().isdigit():
        raise ShardError("shard_syntax", text=repr(text))
    return Shard(int(index), int(count))


def shard_from_env(environ: Mapping[str, str], *, count: int | None) -> Shard | None:
    """The shard a job engine assigned: Cloud Run's task index and count, or a Kubernetes
    Indexed Job's completion index with the count from the config or --shard-count."""
    if "CLOUD_RUN_TASK_INDEX" in environ:
        return Shard(
            _number(environ, "CLOUD_RUN_TASK_INDEX"), _number(environ, "CLOUD_RUN_TASK_COUNT", "1")
        )
    if "JOB_COMPLETION_INDEX" in environ:
        if count is None:
            raise ShardError("shard_count")
        return Shard(_number(environ, "JOB_COMPLETION_INDEX"), count)
    return None


def _number(environ: Mapping[str, str], name: str, default: str | None = None) -> int:
    """A whole number from the environment; else a ShardError that names the variable,
    not Python's ``invalid literal for int()``."""
    value = environ.get(name, default) or ""
    if not value.strip().isdigit():
        raise ShardError("shard_env", name=name, value=repr(value))
    return int(value)
