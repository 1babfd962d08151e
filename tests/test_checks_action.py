"""ACTION checks: results and retrospectives turn into next actions."""

from helpers import clean, findings, where, workbook


def test_experiment_with_result_and_no_next_action_is_action001() -> None:
    """ACTION001: a result but an empty next_action, or an empty next_step."""
    exps = clean("experiments")
    exps[1][9] = None
    exps.append(
        [
            "E3",
            "2026-W48",
            "Lee",
            "Q1",
            "Shorter decks",
            "Cut to 5 pages",
            "실패",
            "Too short",
            None,
            "Try 8",
        ]
    )
    assert where(findings(workbook(experiments=exps))) == [
        ("ACTION001", "experiments", 4, "Lee", "2026-W48"),
        ("ACTION001", "experiments", 2, "Kim", "2026-W47"),
    ]


def test_running_experiment_needs_no_next_action() -> None:
    """An experiment with no result yet is still running: no ACTION001."""
    assert where(findings(workbook()), "ACTION001") == []


def test_retro_without_next_action_is_action002() -> None:
    """ACTION002: a Retro row with no next_action."""
    retro = clean("retro")
    retro[1][5] = "   "
    assert where(findings(workbook(retro=retro))) == [("ACTION002", "retro", 2, "Kim", "2026-W47")]


def test_next_step_outside_stop_start_continue_is_action003_not_data003() -> None:
    """ACTION003: a filled next_step other than Stop, Start or Continue (and not ACTION001)."""
    exps = clean("experiments")
    exps[1][8] = "나중에"
    found = findings(workbook(experiments=exps))
    assert where(found) == [("ACTION003", "experiments", 2, "Kim", "2026-W47")]
    assert "나중에" in found[0].message


def test_next_step_in_korean_or_any_case_is_accepted() -> None:
    """그만, 시작, 계속 and CONTINUE are all valid next steps."""
    exps = clean("experiments")
    exps[1][8] = "계속"
    exps.append(["E3", "2026-W48", "Kim", "Q1", "H", "A", "failure", "L", "STOP", "Drop it"])
    assert findings(workbook(experiments=exps)) == []


def test_a_renamed_next_step_column_never_calls_an_ended_experiment_unfinished() -> None:
    """Without its next_step column ACTION001 cannot tell, so it does not run; DATA002 says so."""
    exps = clean("experiments")
    exps[0][8] = "next move"
    found = findings(workbook(experiments=exps))
    assert where(found, "ACTION001") == []
    assert where(found) == [("DATA002", "experiments", 1, None, None)]
    assert found[0].message == (
        "The tab “Experiment Log” has no column “next_step” (or “다음행동유형”) in its header row,"
        " so ACTION001, ACTION003 did not run. Is “next move” that column? Rename it to"
        " “next_step” or “다음행동유형”, or add the column."
    )


def test_retro_next_step_outside_stop_start_continue_is_action003() -> None:
    """The Retro's optional next_step is checked like the experiment log's."""
    retro = [
        ["week", "owner", "moved_numbers", "next_step", "next_action"],
        ["2026-W47", "Kim", "10 calls", "Start", "Block mornings"],
        ["2026-W48", "Kim", "12 calls", "maybe", "Try afternoons"],
    ]
    found = findings(workbook(retro=retro))
    assert where(found) == [("ACTION003", "retro", 3, "Kim", "2026-W48")]
    assert found[0].message == (
        "Retro of Kim for Nov 23–29 has next step “maybe”: use Stop, Start or Continue."
    )
