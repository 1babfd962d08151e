"""The frame helpers every reader of the frames shares: records, text, ids, the goal index."""

from __future__ import annotations

import math

import pandas as pd
from helpers import clean, frames, workbook
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.workbook.frames import goal_index, id_key, id_of, records, text


def test_records_read_rows_by_column_key_with_the_sheet_row() -> None:
    plan = frames(workbook()).table("plan")
    first = next(records(plan))
    assert (first.row, first.owner, first.lever, first.goal_id) == (
        2,
        "Kim",
        "Call 10 clients",
        "Q1",
    )


def test_text_is_none_for_a_missing_value_and_the_string_otherwise() -> None:
    assert [text(v) for v in (None, math.nan, "Kim", 3)] == [None, None, "Kim", "3"]


@settings(deadline=None)  # pandas per example; a busy CI machine is not a failure
@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), max_size=8))
def test_one_id_compares_as_a_column_of_ids_does(values: list[str | None]) -> None:
    column = id_key(pd.Series(values, dtype="object"))
    assert [id_of(v) for v in values] == [k if isinstance(k, str) else "" for k in column]


def test_the_goal_index_is_keyed_by_trimmed_casefolded_id_and_the_first_row_wins() -> None:
    goals = clean("goals")
    goals.append([" q1 ", "Quarter", "A1", "A second Q1", "Lee", None, None, None])
    index = goal_index(frames(workbook(goals=goals)))
    assert list(index.index) == ["b1", "a1", "q1"]
    assert index.loc["q1", "title"] == "Ten proposals in Q4"
