"""LINK checks: work linked to goals that exist and are still open."""

from helpers import clean, context, findings, where, workbook

from sync.workbook.contract import TAB


def test_clean_workbook_has_no_findings() -> None:
    """The baseline every other test plants one fault in is itself clean."""
    assert findings(workbook()) == []


def test_lever_without_goal_is_link001_on_its_row() -> None:
    """LINK001: a Weekly Plan row with no goal_id is unlinked work, with its owner and week."""
    plan = clean("plan")
    plan[4][4] = None  # row 5: Kim's W48 Business lever
    found = findings(workbook(plan=plan))
    assert where(found) == [("LINK001", "plan", 5, "Kim", "2026-W48")]
    assert "Call 15 clients" in found[0].message
    assert found[0].severity == "error"


def test_a_renamed_goal_column_is_one_data002_and_no_lever_is_called_unlinked() -> None:
    """People rename 목표 ID to 연결 목표: the LINK checks on the plan do not run, DATA002 says why."""
    plan = clean("plan")
    plan[0] = [TAB["plan"].column(key).name.ko for key in plan[0]]
    plan[0][4] = "연결 목표"
    plan[4][4] = None  # an unlinked lever too: with no goal column it cannot be told apart
    found = findings(workbook("ko", plan=plan), context(locale="ko"))
    assert where(found, "LINK001") == []
    assert where(found) == [("DATA002", "plan", 1, None, None)]
    assert found[0].subject == "goal_id"
    assert found[0].message == (
        "“주간계획” 탭의 머리글 행에 “목표ID”(또는 “goal_id”) 열이 없어 LINK001, LINK002, LINK003"
        " 점검을 하지 않았습니다. “연결 목표” 열이 그 열이라면 이름을 “목표ID” 또는 “goal_id”로"
        " 바꾸고, 아니라면 열을 추가해 주세요."
    )


def test_without_a_goal_id_column_the_experiments_are_still_checked() -> None:
    """A missing column skips the checks for its own tab only."""
    plan = [row[:4] + row[5:] for row in clean("plan")]
    exps = clean("experiments")
    exps[2][3] = None
    found = findings(workbook(plan=plan, experiments=exps))
    assert where(found) == [
        ("LINK004", "experiments", 3, "Kim", "2026-W48"),
        ("DATA002", "plan", 1, None, None),
    ]


def test_unknown_goal_is_link002_in_plan_experiments_and_metrics() -> None:
    """LINK002: a goal_id not in Goals, wherever it is used."""
    plan, exps, metrics = clean("plan"), clean("experiments"), clean("metrics")
    plan[5][4] = "Q9"
    exps[2][3] = "ZZ"
    metrics[2][1] = "X1"
    metrics.append(["M3", "X1", "Calls", "leading", None, 5, "Y"])  # X1 keeps a leading metric
    results = clean("results") + [["2026-W47", "M3", 1, 1], ["2026-W48", "M3", 1, 1]]
    found = findings(workbook(plan=plan, experiments=exps, metrics=metrics, results=results))
    assert where(found, "LINK002") == [
        ("LINK002", "plan", 6, "Kim", "2026-W48"),
        ("LINK002", "experiments", 3, "Kim", "2026-W48"),
        ("LINK002", "metrics", 3, None, None),
        ("LINK002", "metrics", 4, None, None),
    ]


def test_goal_ids_match_across_case_and_spaces() -> None:
    """An id typed ' q1 ' is the goal Q1: no LINK002."""
    plan = clean("plan")
    plan[5][4] = " q1 "
    assert findings(workbook(plan=plan)) == []


def test_work_on_a_done_goal_is_link003() -> None:
    """LINK003: a lever or experiment linked to a goal that is done or dropped."""
    goals = clean("goals")
    goals.append(["Q0", "Quarter", "A1", "Pilot in Q3", "Kim", None, None, "완료"])
    plan, exps = clean("plan"), clean("experiments")
    plan[1][4] = "Q0"
    exps[1][3] = "Q0"
    found = findings(workbook(goals=goals, plan=plan, experiments=exps))
    assert where(found) == [
        ("LINK003", "plan", 2, "Kim", "2026-W47"),
        ("LINK003", "experiments", 2, "Kim", "2026-W47"),
    ]
    assert "Pilot in Q3" in found[0].message


def test_experiment_without_goal_is_link004() -> None:
    """LINK004: an Experiment Log row with no goal_id."""
    exps = clean("experiments")
    exps[2][3] = ""
    assert where(findings(workbook(experiments=exps))) == [
        ("LINK004", "experiments", 3, "Kim", "2026-W48")
    ]


def test_goal_hierarchy_faults_are_link005() -> None:
    """LINK005: a non-BHAG goal with no parent, with an unknown parent, and a cycle."""
    goals = clean("goals") + [
        ["Q2", "Quarter", None, "No parent", None, None, None, None],
        ["Q3", "Quarter", "A9", "Unknown parent", None, None, None, None],
        ["C1", "Annual", "C2", "Loop one", None, None, None, None],
        ["C2", "Quarter", "C1", "Loop two", None, None, None, None],
    ]
    found = findings(workbook(goals=goals))
    assert [(f.code, f.row) for f in found] == [
        ("LINK005", 5),
        ("LINK005", 6),
        ("LINK005", 7),
        ("LINK005", 8),
    ]
    assert "C1 → C2 → C1" in found[2].message


def test_bhag_needs_no_parent() -> None:
    """A BHAG at the top of the tree is not a hierarchy fault."""
    goals = clean("goals") + [["B2", "bhag", None, "Second dream", None, None, None, None]]
    assert findings(workbook(goals=goals)) == []
