"""A team's cycle sends what is due: replays of Monday and Friday on the demo, a webhook receiver, the outbox.

Each moment is replayed with ``run --once --now``, in the team's time zone;
the sends are real: Apprise's generic JSON webhook to a receiver on
127.0.0.1, and .eml files in the outbox parsed back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from conftest import WebhookReceiver
from helpers import workbook, write_xlsx
from test_alerts import read_xlsx
from test_cli import flowsync, problems

from sync.state import read_state

OWNERS = ("김지훈", "박서연", "이민호", "최유나")


def _configure(config: Path, webhook: WebhookReceiver, *, extra: str = "") -> Path:
    """The demo (holidays in Korea) with a team channel and a channel per owner, all to the receiver."""
    owners = "\n".join(f'"{o}" = ["{webhook.url(f"owner/{i}")}"]' for i, o in enumerate(OWNERS))
    config.write_text(
        config.read_text(encoding="utf-8")
        + f'{extra}\n[teams.notify]\nteam = ["{webhook.url("team")}"]\n'
        + f"[teams.notify.owners]\n{owners}\n",
        encoding="utf-8",
    )
    return config


def _run(config: Path, *when: int, code: int = 0) -> tuple[str, str]:
    """``flowsync run --once --now`` at that wall-clock moment in the team's zone; (stdout, stderr)."""
    y, m, d, hh, mm = when
    moment = f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}"
    exit_code, out, err = flowsync("--config", config, "run", "--once", "--now", moment)
    assert exit_code == code, err
    return out, err


def _titled(webhook: WebhookReceiver, word: str) -> list[tuple[str, str]]:
    """(path, message) of every message received whose title has ``word``."""
    return [(h.path, h.body["message"]) for h in webhook.received if word in h.body["title"]]


def _who(path: str) -> str:
    return "team" if path == "/team" else OWNERS[int(path.rsplit("/", 1)[1])]


def test_monday_replay_nudges_exactly_the_owners_without_a_plan_once(
    demo: Path, webhook: WebhookReceiver
) -> None:
    """09:59 nothing; 10:00 최유나 (seen, no plan) on her channel and the team's; again and 12:30 nothing."""
    config = _configure(demo, webhook)
    _run(config, 2026, 11, 23, 9, 59)
    assert _titled(webhook, "계획을 적어") == []
    out, _ = _run(config, 2026, 11, 23, 10, 0)
    nudges = _titled(webhook, "계획을 적어")
    assert [_who(p) for p, _ in nudges] == ["최유나", "team"]
    assert nudges[0][1].startswith(
        "최유나님, 11월 4주차(11.23–11.29) 주간계획이 아직 없습니다. 11월 23일(월) 12:00까지"
    )
    assert "비즈니스" in nudges[0][1]
    assert "학습" in nudges[0][1]
    assert "관계" in nudges[0][1]
    assert "주간계획 32행" in nudges[0][1]  # the row to write in (a local file has no link)
    assert nudges[1][1].startswith("11월 4주차(11.23–11.29) 계획이 아직 없는 분: 최유나.")
    assert out.count("계획 작성 알림 → json://127.0.0.1") == 2
    for moment in ((2026, 11, 23, 10, 0), (2026, 11, 23, 11, 0), (2026, 11, 23, 12, 30)):
        _run(config, *moment)
    assert len(_titled(webhook, "계획을 적어")) == 2


def test_an_owner_who_planned_gets_no_nudge(demo: Path, webhook: WebhookReceiver) -> None:
    """김지훈, 박서연 and 이민호 planned 2026-W48: their channels hear no plan nudge."""
    _run(_configure(demo, webhook), 2026, 11, 23, 10, 0)
    assert {_who(p) for p, _ in _titled(webhook, "계획을 적어")} == {"최유나", "team"}


def test_friday_replay_nudges_who_planned_and_wrote_no_retro(
    demo: Path, webhook: WebhookReceiver
) -> None:
    """Friday 27 November: all three who planned W48 wrote its retro, so nobody is nudged.
    Friday 4 December at 16:00: 김지훈 planned W49 and wrote no retro; a second run sends nothing."""
    config = _configure(demo, webhook)
    _run(config, 2026, 11, 27, 16, 0)
    assert _titled(webhook, "회고를 적어") == []
    _run(config, 2026, 12, 4, 15, 59)
    assert _titled(webhook, "회고를 적어") == []
    _run(config, 2026, 12, 4, 16, 0)
    retro = _titled(webhook, "회고를 적어")
    assert [_who(p) for p, _ in retro] == ["김지훈", "team"]
    assert retro[0][1].startswith("김지훈님, 12월 1주차(11.30–12.6) 회고가 아직 없습니다.")
    assert retro[-1][1].startswith("12월 1주차(11.30–12.6) 회고가 아직 없는 분: 김지훈.")
    _run(config, 2026, 12, 4, 16, 30)
    assert len(_titled(webhook, "회고를 적어")) == 2


def test_chuseok_sends_nothing(
    tmp_path: Path, webhook: WebhookReceiver, make_config: Callable[..., Path]
) -> None:
    """Friday 2026-09-25 is Chuseok: no retro nudge. The next Friday, an ordinary day, has one."""
    plan: list[list[Any]] = [["week", "owner", "flow", "lever", "goal_id"]]
    plan += [
        [w, "Kim", "Business", "Call clients", "Q1"] for w in ("2026-W38", "2026-W39", "2026-W40")
    ]
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=plan))
    config = make_config({"A": "a.xlsx"})
    config.write_text(
        config.read_text() + f'holidays = "KR"\n[teams.notify]\nteam = ["{webhook.url("team")}"]\n'
    )
    _run(config, 2026, 9, 24, 16, 0)
    _run(config, 2026, 9, 25, 16, 0)
    assert _titled(webhook, "retro") == []
    _run(config, 2026, 10, 2, 16, 0)
    assert [m.splitlines()[0] for _, m in _titled(webhook, "retro")] == [
        "No retro for Sep 28–Oct 4 yet from: Kim. One next action each before the weekend."
    ]


def test_a_failing_channel_is_reported_not_recorded_and_blocks_no_other(
    demo: Path, webhook: WebhookReceiver
) -> None:
    """최유나's channel refuses (nothing listens on port 1); the team channel still gets its nudge.

    The failure is in the report; the next cycle tries only the failed channel again.
    """
    config = demo
    config.write_text(
        config.read_text(encoding="utf-8")
        + f'[teams.notify]\nteam = ["{webhook.url("team")}"]\nattempts = 2\n'
        + '[teams.notify.owners]\n"최유나" = ["json://127.0.0.1:1/down"]\n',
        encoding="utf-8",
    )
    _, err = _run(config, 2026, 11, 23, 10, 0, code=1)  # exit 1: something was not delivered
    assert [_who(p) for p, _ in _titled(webhook, "계획을 적어")] == ["team"]
    [error] = [line for line in problems(err) if "계획 작성 알림" in line]
    assert (
        "계획 작성 알림 → json://127.0.0.1:1: json://127.0.0.1:1: 2번 시도했지만 보내지 못했습니다"
        in error
    )
    state = read_state(read_xlsx(demo.parent / "demo.xlsx")["_flowsync"])
    assert [k for k in state if k.startswith("notify:plan:")] == [
        next(k for k in state if k.startswith("notify:plan:2026-W48:최유나:chan:"))
    ]  # the team channel's, recorded; the failed one, not
    _, err = _run(config, 2026, 11, 23, 10, 5, code=1)
    assert len([line for line in problems(err) if "계획 작성 알림" in line]) == 1
    assert len(_titled(webhook, "계획을 적어")) == 1
    _, out, _ = flowsync("--config", config, "status", "--format", "json")
    [(team, errors)] = json.loads(out)["undelivered"]
    assert team == "컨설팅1팀"
    assert "json://127.0.0.1:1: 2번 시도했지만 보내지 못했습니다" in errors
    _, out, _ = flowsync("--config", config, "status")
    assert "전하지 못한 작성 알림이나 주간 보고가 있는 팀: 1개" in out


def test_metrics_count_what_was_and_was_not_delivered() -> None:
    from prometheus_client import generate_latest

    from sync.cycle import TeamReport
    from sync.metrics import Metrics

    metrics = Metrics()
    metrics.team_done(TeamReport(team="A", notified=("a", "b"), notify_errors=("c",)))
    text = generate_latest(metrics.registry).decode()
    assert "flowsync_notifications_sent_total 2.0" in text
    assert "flowsync_notifications_failed_total 1.0" in text


def _outbox(config: Path) -> list[EmailMessage]:
    files = sorted((config.parent / ".flowsync" / "outbox").glob("*.eml"))
    parse = BytesParser(policy=policy.default).parsebytes
    return [parse(f.read_bytes()) for f in files]  # type: ignore[misc]


def _reports(config: Path) -> list[EmailMessage]:
    return [m for m in _outbox(config) if m["X-Flowsync-Week"]]


def test_weekly_report_reaches_each_lead_once_a_week(demo: Path, webhook: WebhookReceiver) -> None:
    """Monday 08:00: one report on the week just lived (W48), safe for Gmail and Outlook; then none till next week."""
    config = _configure(demo, webhook)
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'alert_to = ["lead@example.com"]', 'alert_to = ["lead@example.com", "head@example.com"]'
        ),
        encoding="utf-8",
    )
    _run(config, 2026, 11, 30, 7, 59)
    assert _reports(config) == []
    _run(config, 2026, 11, 30, 8, 0)
    reports = _reports(config)
    assert sorted(str(m["To"]) for m in reports) == ["head@example.com", "lead@example.com"]
    mail = reports[0]
    assert mail["Subject"] == "컨설팅1팀 11월 4주차(11.23–11.29): 목표 미연결 3건 · 계획 없음 1명"
    html = mail.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    plain = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "<svg" not in html.lower()
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    for text in (html, plain):
        assert "회사 블로그 글 2편 쓰기" in text  # unlinked work
        assert "최유나" in text  # no plan
        assert "블로그 주제를 고객 질문에서 뽑기" not in text  # W47's next action, not W48's
        assert "목표 연결률" in text  # the Weekly Summary's verdict
    assert 'bgcolor="#2e7d32"' in html  # this week's linkage bar, a plain table cell
    assert "demo.xlsx" in plain  # where the sheet is, a local file having no link
    [(path, message)] = _titled(webhook, "11월 4주차(11.23–11.29): 목표 미연결")
    assert path == "/team"
    assert "목표 연결률" in message
    for moment in ((2026, 11, 30, 9, 0), (2026, 12, 1, 8, 0), (2026, 12, 6, 23, 0)):
        _run(config, *moment)
    assert len(_reports(config)) == 2
    _run(config, 2026, 12, 7, 8, 0)
    assert len(_reports(config)) == 4


def test_unlinked_work_reaches_the_owners_channel_once(
    demo: Path, webhook: WebhookReceiver
) -> None:
    """이민호's three unlinked items go to his own channel beside his e-mail, with the same fingerprints: once."""
    config = _configure(demo, webhook)
    _run(config, 2026, 11, 26, 18, 0)
    [(path, message)] = _titled(webhook, "목표에 연결되지 않은 일")
    assert _who(path) == "이민호"
    assert message.startswith("이민호님, 아래 일이 아직 어느 목표에도 연결되지 않았습니다.")
    for words in ("회사 블로그 글 2편 쓰기", "파이썬 데이터 분석 강의", "실험 E3", "주간계획 27행"):
        assert words in message
    _run(config, 2026, 11, 26, 19, 0)
    assert len(_titled(webhook, "목표에 연결되지 않은 일")) == 1
    state = read_state(read_xlsx(demo.parent / "demo.xlsx")["_flowsync"])
    fingerprints = {k.split(":")[1] for k in state if k.startswith("alert:")}
    channel = {k.split(":")[2] for k in state if k.startswith("notify:alert:")}
    assert len(channel) == 3
    assert channel == fingerprints  # the e-mail's fingerprints, one per item


def test_an_owner_without_a_channel_is_nudged_by_email(demo: Path) -> None:
    """No messenger at all: Friday 16:00, 김지훈's retro nudge arrives as a short e-mail, once."""
    _run(demo, 2026, 12, 4, 16, 0)
    _run(demo, 2026, 12, 4, 17, 0)
    nudges = [m for m in _outbox(demo) if "회고를 적어" in m["Subject"]]
    assert [m["To"].addresses[0].addr_spec for m in nudges] == ["jihoon.kim@example.com"]
    body = nudges[0].get_content()
    assert "12월 1주차(11.30–12.6) 회고가 아직 없습니다" in body
    assert "회고 8행" in body
    assert nudges[0].get_body(preferencelist=("html",)) is None  # a few lines of plain text


def test_email_nudges_can_be_switched_off(demo: Path) -> None:
    demo.write_text(demo.read_text(encoding="utf-8") + "[teams.notify]\nnudge_email = false\n")
    _run(demo, 2026, 12, 4, 16, 0)
    assert [m for m in _outbox(demo) if "회고를 적어" in m["Subject"]] == []


def test_an_owner_named_in_the_config_as_people_type_names_is_found(
    tmp_path: Path, webhook: WebhookReceiver, make_config: Callable[..., Path]
) -> None:
    """`kim ` in [teams.notify.owners] is `Kim` in the sheet, as the workbook compares people."""
    plan: list[list[Any]] = [["week", "owner", "flow", "lever", "goal_id"]]
    plan += [["2026-W47", "Kim", "Business", "Call clients", "Q1"]]
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=plan))
    config = make_config({"A": "a.xlsx"})
    config.write_text(
        config.read_text() + f'[teams.notify.owners]\n"kim " = ["{webhook.url("kim")}"]\n'
    )
    _run(config, 2026, 11, 23, 10, 0)
    assert [p for p, _ in _titled(webhook, "your plan")] == ["/kim"]


def test_a_secret_never_reaches_a_log_an_error_the_sheet_or_the_run_log(
    demo: Path, webhook: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The token of a failing channel, from the environment: nowhere in stdout, stderr, status,
    the _flowsync tab or the run log; a working channel with a token in its URL, likewise."""
    secret, other = "tok-9f8e7d6c5b4a", "tok-0a1b2c3d4e5f"
    monkeypatch.setenv("FAILING_TOKEN", secret)
    monkeypatch.setenv("WORKING_TOKEN", other)
    demo.write_text(
        demo.read_text(encoding="utf-8")
        + "[teams.notify]\nattempts = 1\n"
        + f'team = ["json://flowsync:${{WORKING_TOKEN}}@127.0.0.1:{webhook.port}/t"]\n'
        + '[teams.notify.owners]\n"최유나" = ["json://flowsync:${FAILING_TOKEN}@127.0.0.1:1/x"]\n',
        encoding="utf-8",
    )
    out, err = _run(demo, 2026, 11, 23, 10, 0, code=1)
    _, status, _ = flowsync("--config", demo, "status", "--format", "json")
    assert webhook.received  # the working channel did get its nudge
    files = [demo.parent / "demo.xlsx", *(demo.parent / ".flowsync").rglob("*")]
    stored = b"".join(f.read_bytes() for f in files if f.is_file())
    for token in (secret, other):
        assert token not in out + err + status
        assert token.encode() not in stored


def test_dry_run_says_which_nudges_it_would_send(demo: Path, webhook: WebhookReceiver) -> None:
    config = _configure(demo, webhook)
    code, out, _ = flowsync(
        "--config", config, "run", "--once", "--dry-run", "--now", "2026-11-23T10:00"
    )
    assert code == 0
    assert webhook.received == []
    assert out.count("계획 작성 알림 → json://127.0.0.1") == 2
    assert "(시험 실행: 보내지 않음)" in out


def test_a_team_whose_channel_fails_blocks_no_other_team(
    tmp_path: Path, webhook: WebhookReceiver, make_config: Callable[..., Path]
) -> None:
    """Team A's channel is down, team B's is up: B is nudged, A's failure is reported, both run."""
    plan: list[list[Any]] = [["week", "owner", "flow", "lever", "goal_id"]]
    plan += [["2026-W47", "Kim", "Business", "Call clients", "Q1"]]
    for name in ("a", "b"):
        write_xlsx(tmp_path / f"{name}.xlsx", workbook(plan=plan))
    config = make_config({"A": "a.xlsx"})
    config.write_text(
        config.read_text()
        + '[teams.notify]\nattempts = 1\nteam = ["json://127.0.0.1:1/a"]\n'
        + f'[[teams]]\nname = "B"\nworkbook = "b.xlsx"\n[teams.notify]\nteam = ["{webhook.url("b")}"]\n'
    )
    out, err = _run(config, 2026, 11, 23, 10, 0, code=1)
    assert [p for p, _ in _titled(webhook, "your plan")] == ["/b"]
    assert "flowsync: A: plan nudge to json://127.0.0.1:1" in err
    assert "plan nudge to json://127.0.0.1:" in out  # B's line


def test_an_email_nudge_finds_the_address_however_the_name_is_typed(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """Kim (the Goals tab's kim@example.com) planned last week only: Monday 10:00, one e-mail."""
    plan: list[list[Any]] = [["week", "owner", "flow", "lever", "goal_id"]]
    plan += [["2026-W47", "Kim", "Business", "Call clients", "Q1"]]
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=plan))
    config = make_config({"A": "a.xlsx"})
    _run(config, 2026, 11, 23, 10, 0)
    nudges = [m for m in _outbox(config) if "your plan" in m["Subject"]]
    assert [str(m["To"]) for m in nudges] == ["Kim <kim@example.com>"]
    assert nudges[0].get_content().startswith("Kim, there is no plan of yours for Nov 23–29 yet.")


def _report_at(config: Path, spec: str) -> Path:
    """The demo with its lead's report set to ``spec``."""
    config.write_text(
        config.read_text(encoding="utf-8") + f'[teams.notify]\nreport = "{spec}"\n',
        encoding="utf-8",
    )
    return config


def test_a_report_on_two_days_goes_once_a_week(demo: Path) -> None:
    """ "tue,wed 09:00", first cycle on Wednesday 10:00: both times are due, one report goes."""
    config = _report_at(demo, "tue,wed 09:00")
    out, _ = _run(config, 2026, 11, 25, 10, 0)
    assert [str(m["To"]) for m in _reports(config)] == ["lead@example.com"]
    assert out.count("주간 보고 → lead@example.com") == 1
    _run(config, 2026, 11, 25, 11, 0)
    assert len(_reports(config)) == 1


def test_a_report_set_inside_the_quiet_hours_goes_when_they_end(demo: Path) -> None:
    """ "sun 22:00" with quiet hours 21:00-08:00: nothing Sunday night, the report Monday 08:00,
    about the week just lived, though Monday is already the next week."""
    config = _report_at(demo, "sun 22:00")
    _run(config, 2026, 11, 29, 22, 0)
    assert _reports(config) == []
    _run(config, 2026, 11, 30, 8, 0)
    [mail] = _reports(config)
    assert mail["X-Flowsync-Week"] == "2026-W48"
    assert mail["Date"] == "Mon, 30 Nov 2026 08:00:00 +0900"


def test_a_first_cycle_on_friday_sends_no_stale_report(demo: Path) -> None:
    """The Monday 08:00 report was due until Tuesday ended: Friday's first cycle sends none."""
    _run(demo, 2026, 11, 27, 18, 0)
    assert _reports(demo) == []


def test_a_report_after_a_down_monday_goes_on_tuesday_without_the_stale_row(demo: Path) -> None:
    """The worker was down on Monday: Tuesday 09:00 still sends the report on last week (W47),
    without "this week's plans so far", whose deadline passed on Monday at 12:00."""
    _run(demo, 2026, 11, 24, 9, 0)
    [mail] = _reports(demo)
    assert mail["X-Flowsync-Week"] == "2026-W47"
    plain = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "목표 연결률" in plain
    assert "계획 현황" not in plain


def test_no_report_on_a_week_nobody_planned(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """A new team's sheet with no plan rows for the week just lived: no report about nothing."""
    plan: list[list[Any]] = [["week", "owner", "flow", "lever", "goal_id"]]
    plan += [["2026-W40", "Kim", "Business", "Call clients", "Q1"]]
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=plan))
    config = make_config({"A": "a.xlsx"})
    config.write_text(config.read_text() + 'alert_to = ["lead@example.com"]\n')
    _run(config, 2026, 11, 30, 8, 0)
    assert _reports(config) == []
