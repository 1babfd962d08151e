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
