"""The command line: commands, formats, exit codes, and errors without tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import read_xlsx, workbook, write_xlsx

from sync.cli import cli, main

DEMO_CODES = {
    "LINK001", "LINK002", "LINK003", "LINK004", "LINK005",
    "METRIC001", "METRIC002", "METRIC003", "METRIC004",
    "ACTION001", "ACTION002", "ACTION003",
    "FLOW001", "FLOW003", "FLOW004", "RISK002", "PLAN001", "DATA003",
}  # fmt: skip


OWNED_KO = {"주간요약", "점검결과", "_flowsync"}


def problems(err: str) -> list[str]:
    """The stderr lines that are not routine log lines (``level=info``)."""
    return [line for line in err.splitlines() if "level=info" not in line]


def flowsync(*args: str | Path) -> tuple[int, str, str]:
    """Run the console script's main() in-process; return (exit code, stdout, stderr)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        pytest.raises(SystemExit) as exit_,
    ):
        main([str(a) for a in args])
    return int(exit_.value.code or 0), out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", [[], *([name] for name in cli.commands)])
def test_every_command_has_help(command: list[str]) -> None:
    """`flowsync [COMMAND] --help` prints usage and exits 0."""
    code, out, _ = flowsync(*command, "--help")
    assert code == 0
    assert "Usage: flowsync" in out


def test_check_json_on_demo_reports_its_faults_and_exits_1(demo: Path) -> None:
    """The demo's deliberate faults, as JSON with the contract's fields; errors mean exit 1."""
    code, out, _ = flowsync("--config", demo, "check", "--format", "json", "--as-of", "2026-11-26")
    found = json.loads(out)
    assert code == 1
    assert {f["code"] for f in found} == DEMO_CODES
    assert set(found[0]) >= {"team", "code", "severity", "tab", "row", "owner", "week", "message"}
    unlinked = [f for f in found if f["code"] == "LINK001"]
    assert [(f["tab"], f["row"], f["owner"], f["week"]) for f in unlinked] == [
        ("plan", 27, "이민호", "2026-W48")
    ]
    assert unlinked[0]["team"] == "컨설팅1팀"
    assert "회사 블로그 글 2편 쓰기" in unlinked[0]["message"]


def test_check_text_prints_a_headline_and_one_line_per_finding(demo: Path) -> None:
    """Text output: the team's counts, then the findings in Korean."""
    code, out, _ = flowsync("--config", demo, "check", "--as-of", "2026-11-26")
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith("컨설팅1팀: 점검결과 ")
    assert any("LINK001" in line and "주간계획!27" in line for line in lines)


def test_check_exits_0_when_no_finding_is_an_error(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """A clean workbook: no findings, exit 0, and check writes nothing."""
    write_xlsx(tmp_path / "a.xlsx", workbook())
    before = (tmp_path / "a.xlsx").read_bytes()
    code, out, _ = flowsync(
        "--config", make_config({"A": "a.xlsx"}), "check", "--as-of", "2026-11-26"
    )
    assert (code, out.splitlines()[0]) == (0, "A: 0 findings (error 0 · warning 0 · info 0)")
    assert (tmp_path / "a.xlsx").read_bytes() == before


def test_run_once_writes_findings_tab_and_leaves_input_tabs(demo: Path) -> None:
    """run --once writes the Findings tab (점검결과) and no input cell changes."""
    before = read_xlsx(demo.with_name("demo.xlsx"))
    code, out, _ = flowsync("--config", demo, "run", "--once", "--as-of", "2026-11-26")
    after = read_xlsx(demo.with_name("demo.xlsx"))
    assert code == 0
    assert "점검결과" in out
    assert {k: v for k, v in after.items() if k not in OWNED_KO} == before
    assert after["주간요약"][0][0] == "컨설팅1팀 · 주간요약 · 11월 4주차(11.23–11.29) · 2026-W48"
    assert after["점검결과"][0] == ["코드", "심각도", "탭", "행", "담당자", "주차", "내용"]
    assert ["LINK001", "오류", "주간계획", 27, "이민호", "2026-W48"] in [
        row[:6] for row in after["점검결과"]
    ]


def test_run_once_dry_run_writes_nothing(demo: Path) -> None:
    """--dry-run checks and reports but leaves the file byte for byte."""
    before = demo.with_name("demo.xlsx").read_bytes()
    code, out, _ = flowsync("--config", demo, "run", "--once", "--dry-run", "--as-of", "2026-11-26")
    assert code == 0
    assert "LINK001" in out
    assert demo.with_name("demo.xlsx").read_bytes() == before


def test_failing_team_does_not_stop_the_others(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """A missing workbook fails its team with a clear line; the next team still runs; exit 1."""
    write_xlsx(tmp_path / "b.xlsx", workbook())
    config = make_config({"A": "missing.xlsx", "B": "b.xlsx"})
    code, out, err = flowsync("--config", config, "run", "--once", "--as-of", "2026-11-26")
    assert code == 1
    (line,) = [line for line in err.splitlines() if "does not exist" in line]
    assert 'msg="team done" team=A ' in line  # the log line says it; stderr does not repeat it
    assert "B: 0 findings" in out
    assert "Findings" in read_xlsx(tmp_path / "b.xlsx")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[service]\nlocale = "fr"\n', 'service.locale: expected "en" or "ko"'),
        (
            '[[teams]]\nname = "영업2팀"\nworkbook = "a.xlsx"\nalert_to = "lead@example.com"\n',
            "teams[0] (영업2팀).alert_to: expected a list of e-mail addresses,"
            ' such as alert_to = ["lead@example.com"]',
        ),
        (
            '[service]\nworkers = "four"\n',
            'service.workers: expected a whole number from 1 to 32, such as workers = 4; got "four"',
        ),
    ],
)
def test_bad_config_exits_2_with_one_line_and_no_traceback(
    tmp_path: Path, text: str, expected: str
) -> None:
    """A config fault is one line naming file and key and what was expected; exit 2."""
    config = tmp_path / "flowsync.toml"
    config.write_text(text, encoding="utf-8")
    code, _, err = flowsync("--config", config, "check")
    assert code == 2
    assert err.strip().count("\n") == 0
    assert err.startswith(f"flowsync: {config}: {expected}")
    assert "Traceback" not in err


def test_unknown_team_is_a_usage_error(demo: Path) -> None:
    """--team with a name not in the config exits 2 and lists the known teams."""
    code, _, err = flowsync("--config", demo, "check", "--team", "nobody")
    assert code == 2
    assert "컨설팅1팀" in err


def test_run_without_once_points_to_the_worker(demo: Path) -> None:
    """`run` alone is a usage error that says what to use."""
    code, _, err = flowsync("--config", demo, "run")
    assert code == 2
    assert "--once" in err


def test_init_then_check_finds_nothing_in_the_template(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """init creates the workbook from the template; the examples are themselves clean."""
    config = make_config({"New": "new.xlsx"}, locale="ko")
    code, out, _ = flowsync("--config", config, "init")
    assert code == 0
    assert "주간계획" in out
    code, out, _ = flowsync("--config", config, "check", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = flowsync("--config", config, "init")
    assert "이미 데이터가 있어" in out


@pytest.mark.parametrize(
    ("locale", "created", "nothing"),
    [
        (
            "ko",
            "영업2팀: {path}에 목표, 지표, 주간계획, 핵심결과, 리스크, 실험로그, 회고 탭을 만들었습니다",
            "영업2팀: {path}의 입력 탭에 모두 이미 데이터가 있어 아무것도 쓰지 않았습니다",
        ),
        (
            "en",
            "영업2팀: created the tabs Goals, Metrics, Weekly Plan, Key Results, Risks, "
            "Experiment Log, Retro in {path}",
            "영업2팀: nothing written to {path}: every input tab already has data",
        ),
    ],
)
def test_init_says_in_a_sentence_which_tabs_it_created_or_why_none(
    tmp_path: Path, make_config: Callable[..., Path], locale: str, created: str, nothing: str
) -> None:
    config = make_config({"영업2팀": "sales2.xlsx"}, locale=locale)
    path = tmp_path / "sales2.xlsx"
    assert flowsync("--config", config, "init") == (0, created.format(path=path) + "\n", "")
    assert flowsync("--config", config, "init") == (0, nothing.format(path=path) + "\n", "")


def test_console_script_runs_as_a_module(demo: Path) -> None:
    """`python -m sync` is the console script: a real process, real exit code, no traceback."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sync",
            "--config",
            str(demo),
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-11-26",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert {f["code"] for f in json.loads(proc.stdout)} == DEMO_CODES
    assert proc.stderr == ""


def test_run_writes_the_builders_summary_and_a_rerun_changes_nothing(demo: Path) -> None:
    """The Summary tab holds exactly the builder's grid; the same week again leaves the file as is."""
    from datetime import UTC, date, datetime

    from sync.backends.xlsx import XlsxWorkbook
    from sync.config import load_settings
    from sync.cycle import check, end_of_day, team_context
    from sync.summary import build_summary, summary_grid

    code, _, _ = flowsync("--config", demo, "run", "--once", "--as-of", "2026-11-26")
    assert code == 0
    settings = load_settings(demo)
    ctx = team_context(
        settings, settings.teams[0], now=datetime.now(UTC), wall=end_of_day(date(2026, 11, 26))
    )
    frames_, found = check(
        XlsxWorkbook(demo.with_name("demo.xlsx")).read(), team="컨설팅1팀", ctx=ctx
    )
    expected = summary_grid(build_summary(frames_, found, ctx, team="컨설팅1팀"), sparklines=False)
    written = read_xlsx(demo.with_name("demo.xlsx"))["주간요약"]

    def cells(grid: Any) -> list[list[object]]:
        rows = [[c for c in row if c is not None] for row in grid]
        while rows and not rows[-1]:
            rows.pop()
        return rows

    assert cells(written) == cells(expected)
    before = demo.with_name("demo.xlsx").read_bytes()
    flowsync("--config", demo, "run", "--once", "--as-of", "2026-11-26")
    assert demo.with_name("demo.xlsx").read_bytes() == before


def test_summary_command_prints_text_json_and_html(demo: Path) -> None:
    """`flowsync summary` prints the same summary in three forms and writes nothing."""
    before = demo.with_name("demo.xlsx").read_bytes()
    code, text, _ = flowsync("--config", demo, "summary", "--as-of", "2026-11-26")
    assert code == 0
    assert text.startswith("컨설팅1팀 · 주간요약 · 11월 4주차(11.23–11.29) · 2026-W48")
    _, data, _ = flowsync("--config", demo, "summary", "--as-of", "2026-11-26", "--format", "json")
    assert json.loads(data)["history"]["weeks"][-1] == "2026-W48"
    _, page, _ = flowsync("--config", demo, "summary", "--team", "컨설팅1팀", "--format", "html")
    assert page.startswith("<!doctype html>")
    assert demo.with_name("demo.xlsx").read_bytes() == before


@pytest.mark.parametrize("command", ["check", "summary", "run"])
def test_a_team_failing_unexpectedly_is_one_line_not_a_traceback(demo: Path, command: str) -> None:
    """A bug inside one team's cycle reaches the terminal as one line naming the team, in every
    command. The bug is injected (nothing real fails this way), in a process of its own so that
    what reaches its stderr is what a user would see."""
    script = (
        "import sys, sync.cycle\n"
        "def bug(*a, **k): raise RuntimeError('boom')\n"
        "sync.cycle.run_checks = bug\n"
        "from sync.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    args = ["--once"] if command == "run" else []
    env = {k: v for k, v in os.environ.items() if k != "FLOWSYNC_DEBUG"}
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "--config",
            str(demo),
            command,
            *args,
            "--as-of",
            "2026-11-26",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    said = [line for line in proc.stderr.splitlines() if "예상하지 못한 오류 RuntimeError" in line]
    if command == "run":  # without a terminal, the team's log line says it (see the test above)
        assert len(said) == 1
        assert "team=컨설팅1팀 " in said[0]
    else:
        assert said == [
            "flowsync: 컨설팅1팀: 예상하지 못한 오류 RuntimeError: boom (flowsync의 버그입니다. 알려 주세요)"
        ]


_BACKENDS = ("pandas", "openpyxl", "gspread")


@pytest.mark.parametrize(
    ("command", "unloaded"),
    [
        (["--help"], _BACKENDS),
        (["status"], _BACKENDS),
        (["check", "--help"], _BACKENDS),
        (["init"], ("pandas", "gspread")),  # an .xlsx team's init writes with openpyxl
    ],
)
def test_cheap_commands_do_not_load_pandas(
    demo: Path, command: list[str], unloaded: tuple[str, ...]
) -> None:
    """`status`, `init` and `--help` do little: they must not pay for pandas (about a second)."""
    script = (
        "import sys\n"
        "from sync.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "finally:\n"
        f"    heavy = sorted(m for m in {unloaded!r} if m in sys.modules)\n"
        "    print('loaded:', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, "--config", str(demo), *command],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "loaded: []" in proc.stderr, proc.stderr


def test_a_state_dir_that_cannot_be_made_says_so_not_a_bug(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """[service] state_dir under a regular file: one line naming the run log and the key."""
    write_xlsx(tmp_path / "a.xlsx", workbook())
    (tmp_path / "a-file").write_text("not a folder")
    config = make_config({"A": "a.xlsx"}, extra='state_dir = "a-file/state"\n')
    code, _, err = flowsync("--config", config, "run", "--once", "--as-of", "2026-11-26")
    assert code == 1
    assert "a-file/state/runs.sqlite cannot be opened or written" in err
    assert "set [service] state_dir to a folder this user can write" in err
    assert "bug" not in err


def test_notify_test_sends_one_message_per_channel_and_says_which_worked(
    demo: Path, webhook: Any
) -> None:
    """A live webhook and a dead one (nothing on port 1): one message arrives; exit 1 names the dead one."""
    demo.write_text(
        demo.read_text(encoding="utf-8")
        + f'[teams.notify]\nteam = ["{webhook.url("team")}"]\nattempts = 1\n'
        + '[teams.notify.owners]\n"최유나" = ["json://127.0.0.1:1/dead"]\n',
        encoding="utf-8",
    )
    code, out, err = flowsync("--config", demo, "notify", "--test", "--team", "컨설팅1팀")
    assert code == 1
    assert out.strip() == f"컨설팅1팀: json://127.0.0.1:{webhook.port}: 보냄"
    assert (
        "컨설팅1팀: json://127.0.0.1:1: 보내지 못함: json://127.0.0.1:1: 1번 시도했지만 보내지 못했습니다"
        in err
    )
    [hook] = webhook.received
    assert hook.body["title"] == "[flowsync] 테스트 메시지"
    assert "컨설팅1팀" in hook.body["message"]


def test_notify_test_without_channels_says_how_to_add_one(demo: Path) -> None:
    code, _, err = flowsync("--config", demo, "notify", "--test")
    assert code == 1
    assert "컨설팅1팀: [teams.notify]에 채널이 없습니다" in err
    code, _, err = flowsync("--config", demo, "notify")
    assert code == 2
    assert "notify에는 --test가 필요합니다" in err


# English sentences a command used to print to a Korean team, whatever its locale.
ENGLISH = (
    "last cycle",
    "failing teams",
    "not served in",
    "unsent alerts",
    "not delivered",
    "no run log yet",
    "alerts were not sent",
    "dry run",
    "needs --",
    "give --as-of",
    "no team named",
)


def test_status_speaks_korean_for_a_korean_service(demo: Path) -> None:
    """Before any run, then after one: every line of `status` in the service's locale."""
    code, out, err = flowsync("--config", demo, "status")
    assert code == 1
    assert "flowsync: 아직 실행 기록이 없습니다" in err
    assert "`flowsync run --once`나 `flowsync worker`를 실행해 주세요" in err
    flowsync("--config", demo, "run", "--once", "--as-of", "2026-11-26")
    code, out, _ = flowsync("--config", demo, "status")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("마지막 주기: #1 once, 시작 ")
    assert lines[0].endswith(". 팀 1개, 실패 0개")
    # The run log keeps UTC; a Seoul service reads its own clock.
    moment = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+09:00"
    assert re.search(f"시작 {moment}, 끝 {moment}\\.", lines[0]), lines[0]
    assert lines[1:] == [
        "실패한 팀: 0개",
        "8일 동안 처리되지 않은 팀: 0개",
        "보내지 못한 알림이 있는 팀: 0개",
        "전하지 못한 작성 알림이나 주간 보고가 있는 팀: 0개",
    ]
    assert not [e for e in ENGLISH if e in out]


def test_a_korean_dry_run_says_in_korean_what_it_would_send(demo: Path) -> None:
    code, out, err = flowsync(
        "--config", demo, "run", "--once", "--dry-run", "--now", "2026-11-30T08:00"
    )
    assert (code, problems(err)) == (0, [])
    assert "  이메일 minho.lee@example.com: [flowsync] 컨설팅1팀 · 11월 4주차(11.23–11.29)" in out
    assert "(시험 실행: 보내지 않음)" in out
    assert "  주간 보고 → lead@example.com (시험 실행: 보내지 않음)" in out
    assert not [e for e in ENGLISH if e in out + err]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["run"], "run에는 --once가 필요합니다"),
        (
            ["check", "--as-of", "2026-11-26", "--now", "2026-11-26T10:00"],
            "--as-of와 --now 중 하나만 주세요",
        ),
        (
            ["summary", "--team", "영업2팀"],
            "teams: 이름이 '영업2팀'인 팀이 없습니다(있는 팀: 컨설팅1팀)",
        ),
        (["notify"], "notify에는 --test가 필요합니다"),
    ],
)
def test_usage_errors_speak_the_services_locale(demo: Path, args: list[str], said: str) -> None:
    code, _, err = flowsync("--config", demo, *args)
    assert code == 2
    assert said in err
    assert not [e for e in ENGLISH if e in err]


def test_init_and_summary_speak_korean(demo: Path) -> None:
    code, out, _ = flowsync("--config", demo, "init")
    assert (code, out) == (
        0,
        f"컨설팅1팀: {demo.parent / 'demo.xlsx'}의 입력 탭에 모두 이미 데이터가 있어 아무것도 쓰지 "
        "않았습니다\n",
    )
    code, out, _ = flowsync("--config", demo, "summary", "--now", "2026-11-30T08:00")
    assert code == 0
    assert out.startswith("컨설팅1팀 · 주간요약 · 11월 4주차(11.23–11.29) · 2026-W48")


def test_a_bug_is_one_line_in_the_services_locale(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sync.terminal

    def bug(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(sync.terminal, "status_text", bug)
    flowsync("--config", demo, "run", "--once", "--as-of", "2026-11-26")
    code, _, err = flowsync("--config", demo, "status")
    assert code == 1
    assert err.splitlines()[-1] == (
        "flowsync: 예상하지 못한 오류 RuntimeError: boom. flowsync의 버그입니다. "
        "FLOWSYNC_DEBUG=1을 켜고 다시 실행해 traceback과 함께 알려 주세요."
    )


def test_an_english_service_speaks_english(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    write_xlsx(tmp_path / "a.xlsx", workbook())
    config = make_config({"A": "a.xlsx"})
    code, _, err = flowsync("--config", config, "status")
    assert (code, err.strip()) == (
        1,
        f"flowsync: no run log yet at {tmp_path / '.flowsync' / 'runs.sqlite'}; "
        "run `flowsync run --once` or `flowsync worker`",
    )
    code, out, _ = flowsync(
        "--config", config, "run", "--once", "--dry-run", "--as-of", "2026-11-26"
    )
    assert (code, out.splitlines()[0]) == (0, "A: 0 findings (error 0 · warning 0 · info 0)")
    flowsync("--config", config, "run", "--once", "--as-of", "2026-11-26")
    code, out, _ = flowsync("--config", config, "status")
    assert code == 0
    assert out.splitlines()[0].startswith("last cycle: #1 once started ")
    assert out.splitlines()[1:] == [
        "failing teams: 0",
        "not served in 8 days: 0",
        "teams with unsent alerts: 0",
        "nudges or reports not delivered: 0",
    ]
    code, _, err = flowsync("--config", config, "run")
    assert (code, err.splitlines()[-1]) == (
        2,
        "Error: run needs --once; the scheduled loop is `flowsync worker`",
    )


def _mail_texts(path: Path) -> tuple[str, str]:
    """The plain-text and HTML parts of an .eml, decoded ("" where there is none)."""
    from email import message_from_bytes, policy

    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    return (
        plain.get_content() if plain is not None else "",  # type: ignore[attr-defined]
        html.get_content() if html is not None else "",  # type: ignore[attr-defined]
    )


def test_the_leads_report_and_a_nudge_give_a_local_workbooks_absolute_path(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the config's folder, as a person does: the e-mails name the file so it opens."""
    monkeypatch.chdir(demo.parent)
    code, _out, _ = flowsync(
        "--config", "flowsync.toml", "run", "--once", "--now", "2026-11-30T10:00"
    )
    assert code == 0
    path = demo.parent / "demo.xlsx"
    outbox = sorted((demo.parent / ".flowsync" / "outbox").glob("*.eml"))
    texts = [_mail_texts(eml) for eml in outbox]
    (report,) = [(p, h) for p, h in texts if "주간 보고" in p or "시트 열기" in p]
    assert f"시트 열기: {path}\n" in report[0]
    assert f'시트 열기: <a href="{path.as_uri()}">{path}</a>' in report[1]
    nudges = [p for p, _ in texts if "주간계획이 아직 없습니다" in p]
    assert len(nudges) == 2
    for plain in nudges:
        assert f"\n{path}의 주간계획 " in plain


@pytest.mark.parametrize("content", [b"", b"<html>not a workbook</html>"])
@pytest.mark.parametrize("command", [["run", "--once"], ["check"], ["summary"]])
def test_an_empty_or_non_workbook_file_is_said_once_in_the_teams_language(
    demo: Path, command: list[str], content: bytes
) -> None:
    """What the file is and what to do, once on stderr, with no library words."""
    demo.with_name("demo.xlsx").write_bytes(content)
    code, out, err = flowsync("--config", demo, *command, "--as-of", "2026-11-26")
    assert code == 1
    said = "비어 있습니다(0바이트)" if not content else "Excel 통합 문서(.xlsx)가 아닙니다"
    lines = [line for line in err.splitlines() if said in line]
    assert len(lines) == 1, err
    assert (
        "버전 기록에서 복원하거나, 파일을 지우고 `flowsync init`으로 새로 만들어 주세요" in lines[0]
    )
    assert "Calamine" not in err + out


@pytest.mark.slow
@pytest.mark.parametrize(("held", "timeout", "code"), [(0.5, 5, 0), (3.0, 1, 1)])
def test_run_says_once_what_it_waits_for_then_writes_or_gives_up(
    demo: Path, monkeypatch: pytest.MonkeyPatch, held: float, timeout: int, code: int
) -> None:
    """Another process holds the workbook's lock: one sentence, in the team's language, says what
    the run waits for and for how long at most, and the same time ends the wait."""
    import threading
    import time

    import filelock

    import sync.backends.xlsx.files as files

    monkeypatch.setattr(files, "LOCK_TIMEOUT_SECONDS", timeout)
    taken, waiting = threading.Event(), threading.Event()
    said = files._lock_wait

    def spy(path: Path, seconds: float) -> Any:
        waiting.set()
        return said(path, seconds)

    monkeypatch.setattr(files, "_lock_wait", spy)

    def hold() -> None:
        """Held until the run waits for it (however long a loaded machine takes to get there)."""
        with filelock.FileLock(demo.with_name(".demo.xlsx.lock")):
            taken.set()
            waiting.wait(60)
            time.sleep(held)

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    result = flowsync("--config", demo, "run", "--once", "--now", "2026-11-26T18:00")
    thread.join()
    assert result[0] == code
    waits = [line for line in result[2].splitlines() if "기다립니다" in line]
    assert len(waits) == 1
    assert (
        'msg="team waiting" team=컨설팅1팀 why="다른 flowsync 프로세스가 통합 문서를 쓰느라 '
        in waits[0]
    )
    assert f"최대 {timeout}초 기다립니다: {demo.with_name('demo.xlsx')}" in waits[0]
    if code:
        assert f"잠금을 {timeout}초째 잡고 있습니다" in result[2]
    else:
        assert "주간요약" in read_xlsx(demo.with_name("demo.xlsx"))


def test_a_wait_is_said_once_above_the_progress_bar(capsys: pytest.CaptureFixture[str]) -> None:
    """On a terminal the log lines are off: the bar itself says what the run waits for."""
    from sync.terminal import ProgressBar

    with ProgressBar(1) as bar:
        bar.team_waiting("영업2팀", "최대 60초 기다립니다: /srv/sales2.xlsx")
    err = capsys.readouterr().err
    assert err.count("flowsync: 영업2팀: 최대 60초 기다립니다: /srv/sales2.xlsx") == 1


def test_a_run_speaks_its_own_config_s_language_not_the_run_before_s(
    demo: Path, tmp_path: Path
) -> None:
    """In one process (as the worker's host or these tests): a Korean run, then an English one
    whose usage error comes early, before any team is read. The locale lives in the run's
    click context, so the second says it in English."""
    code, _, err = flowsync("--config", demo, "run")
    assert (code, "--once가 필요합니다" in err) == (2, True)
    english = tmp_path / "en" / "flowsync.toml"
    english.parent.mkdir()
    english.write_text(
        '[service]\nlocale = "en"\n\n[[teams]]\nname = "A"\nworkbook = "a.xlsx"\n', encoding="utf-8"
    )
    both = ("--as-of", "2026-11-26", "--now", "2026-11-26T10:00")
    code, _, err = flowsync("--config", english, "check", *both)
    assert code == 2
    assert "give --as-of or --now, not both" in err
    code, _, err = flowsync("--config", tmp_path / "en" / "missing.toml", "check")
    assert code == 2
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in err), err
