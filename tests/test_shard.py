"""Sharding: every team in exactly one shard, and a team keeps its shard as others come and go."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.shard import Shard, ShardError, parse_shard, shard_from_env, shard_of

names = st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=60, unique=True)


@given(names, st.integers(1, 8))
def test_shards_cover_every_team_exactly_once(teams: list[str], n: int) -> None:
    """For N from 1 to 8 the shards partition the teams."""
    chosen = [t for i in range(n) for t in Shard(i, n).select(teams, lambda x: x)]
    assert sorted(chosen) == sorted(teams)


@given(names, names, st.integers(1, 8))
def test_a_team_keeps_its_shard_when_others_are_added(
    teams: list[str], more: list[str], n: int
) -> None:
    """A team's shard depends only on its name and N."""
    before = {t: shard_of(t, n) for t in teams}
    after = {t: shard_of(t, n) for t in teams + more}
    assert all(after[t] == s for t, s in before.items())


def test_shard_of_is_the_same_in_every_process() -> None:
    """A stable hash (SHA-256 of the name), not Python's salted hash(): fixed values."""
    names = ("영업1팀", "Sales 2", "HR", "Marketing", "컨설팅1팀")
    assert [[shard_of(name, n) for n in (2, 3, 4)] for name in names] == [
        [0, 2, 2],
        [1, 1, 3],
        [1, 2, 3],
        [0, 0, 2],
        [0, 0, 0],
    ]


def test_shard_from_job_engines() -> None:
    """Cloud Run gives index and count; Kubernetes the index, with the count from the config."""
    assert shard_from_env(
        {"CLOUD_RUN_TASK_INDEX": "2", "CLOUD_RUN_TASK_COUNT": "4"}, count=None
    ) == Shard(2, 4)
    assert shard_from_env({"JOB_COMPLETION_INDEX": "1"}, count=3) == Shard(1, 3)
    assert shard_from_env({}, count=3) is None
    with pytest.raises(ValueError, match="--shard-count"):
        shard_from_env({"JOB_COMPLETION_INDEX": "1"}, count=None)


@pytest.mark.parametrize("text", ["4/4", "1", "a/b", "-1/3"])
def test_bad_shard_says_shards_count_from_zero(text: str) -> None:
    """--shard I/N needs 0 <= I < N."""
    with pytest.raises(ValueError, match="I/N"):
        parse_shard(text)


def test_a_bad_shard_is_a_usage_error_in_the_services_locale(demo: Path) -> None:
    from test_cli import flowsync

    code, _, err = flowsync("--config", demo, "run", "--once", "--shard", "4/4")
    assert code == 2
    assert "샤드 4/4: 0 <= I < N인 I/N이어야 합니다" in err
    assert str(ShardError("shard_range", index="4", count="4")) == (
        "shard 4/4: expected I/N with 0 <= I < N"
    )


@pytest.mark.parametrize("name", ["JOB_COMPLETION_INDEX", "CLOUD_RUN_TASK_INDEX"])
def test_an_index_from_the_environment_that_is_no_number_says_so_in_the_services_locale(
    demo: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    from test_cli import flowsync

    monkeypatch.setenv(name, "abc")
    code, _, err = flowsync("--config", demo, "run", "--once", "--shard-count", "3")
    assert code == 2
    assert f"{name}은(는) 0부터 세는 작업 번호나 작업 수인 정수여야 합니다. 받은 값: 'abc'" in err
    assert "invalid literal" not in err
    with pytest.raises(ShardError, match=f"{name} must be a whole number"):
        shard_from_env({name: "abc"}, count=3)
