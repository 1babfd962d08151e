"""E-mail alerts: digests through a real SMTP server on loopback, never the same alert twice."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from conftest import SmtpServer
from emulator import SheetsEmulator
from helpers import clean, context, frames, read_xlsx, workbook, write_xlsx
from test_cli import flowsync, problems

from sync.alerts import AlertPolicy, Digest, build_digests
from sync.alerts.digest import fingerprint
from sync.checks import run_checks
from sync.config import ALERT_DEFAULT

# Thursday evening: the lead's report (due since Monday 08:00) is not held by the quiet hours.
AS_OF = ("--now", "2026-11-24T18:00")  # the Monday report is due until Tuesday ends
DEFAULT = AlertPolicy(owner_codes=frozenset(ALERT_DEFAULT))


def _with_smtp(
    config: Path,
    server: SmtpServer,
    *,
    security: str = "none",
    auth: bool = False,
    attempts: int = 3,
) -> Path:
    lines = [
        "[email]",
        'sender = "flowsync@example.com"',
        f'smtp_host = "{server.host}"',
        f"smtp_port = {server.port}",
        f'security = "{security}"',
        f"attempts = {attempts}",
    ]
    if auth:
        lines += ['username = "flowsync"', 'password_env = "TEST_SMTP_PASSWORD"']
    if server.ca_file:
        lines.append(f'tls_ca_file = "{server.ca_file}"')
    text = config.read_text(encoding="utf-8")
    head, _, teams = text.partition("[[teams]]")
    config.write_text(head + "\n".join(lines) + "\n\n[[teams]]" + teams, encoding="utf-8")
    return config


def _parts(message: object) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return plain, html


def _digests(grids: dict[str, list[list[Any]]], policy_: AlertPolicy = DEFAULT) -> list[Digest]:
    f = frames(grids)
    found = [replace(x, team="T") for x in run_checks(f, context())]
    return build_digests(found, f, policy_, team="T", weeks=("2026-W48", "2026-W47"), locale="en")


def test_owner_digest_lists_only_their_unlinked_work_and_goals_to_link_to() -> None:
    """Kim's unlinked lever goes to Kim (from Goals' email) with the active goals; the lead hears weekly."""
    plan = clean("plan")
    plan[4][4] = None
    digests = _digests(workbook(plan=plan))
    assert [(d.kind, d.recipient, d.name) for d in digests] == [
        ("owner", "kim@example.com", "Kim"),
    ]
    owner = digests[0]
    assert [i.finding.code for i in owner.items] == ["LINK001"]
    assert owner.goals[0] == ("Q1", "Ten proposals in Q4")


def test_owner_without_address_gets_no_digest() -> None:
    """Park has no e-mail anywhere: no digest (the lead's weekly report names Park instead)."""
    plan = clean("plan") + [["2026-W48", "Park", "Business", "Unlinked", None]]
    assert _digests(workbook(plan=plan)) == []


def test_an_owner_in_the_config_is_found_however_the_sheet_types_the_name() -> None:
    """[teams.people] says “kim ”; the sheet says Kim, once with a zero-width space."""
    plan = clean("plan")
    plan[4][1], plan[4][4] = "Kim\u200b", None
    people = AlertPolicy(owner_codes=DEFAULT.owner_codes, people={"kim ": "minsu@example.com"})
    digests = _digests(workbook(plan=plan), people)
    assert [(d.kind, d.recipient, d.name) for d in digests] == [
        ("owner", "minsu@example.com", "Kim"),
    ]  # the lead hears in the weekly report, not in a team digest


def test_codes_that_alert_are_configurable() -> None:
    """With RISK002 for owners, a risk without countermeasure alerts its owner, and nothing else does."""
    risks, plan = clean("risks"), clean("plan")
    risks[1][3] = None
    plan[4][4] = None
    custom = AlertPolicy(owner_codes=frozenset({"RISK002"}))
    digests = _digests(workbook(risks=risks, plan=plan), custom)
    assert [(d.recipient, [i.finding.code for i in d.items]) for d in digests] == [
        ("kim@example.com", ["RISK002"])
    ]


def test_fingerprint_survives_inserted_rows() -> None:
    """Inserting rows above a fault moves it, but its alert identity stays the same."""
    plan = clean("plan")
    plan[4][4] = None
    moved = plan[:1] + [["2026-W30", "Old", "Business", "x", "Q1"]] * 3 + plan[1:]
    before, after = _digests(workbook(plan=plan)), _digests(workbook(plan=moved))
    assert before[0].items[0].finding.row != after[0].items[0].finding.row
    assert fingerprint(before[0].items[0].finding) == fingerprint(after[0].items[0].finding)


def test_demo_run_delivers_one_digest_per_recipient_then_nothing(
    demo: Path, smtp_server: SmtpServer
) -> None:
    """Owner and lead each get one Korean message listing exactly the unlinked work; a second run sends none."""
    config = _with_smtp(demo, smtp_server)
    code, out, err = flowsync("--config", config, "run", "--once", *AS_OF)
    assert (code, problems(err)) == (0, [])
    by_recipient = {tuple(r.recipients): r.message for r in smtp_server.received}
    assert set(by_recipient) == {("minho.lee@example.com",), ("lead@example.com",)}
    owner = by_recipient[("minho.lee@example.com",)]
    # The week as the Weekly Summary says it, not the ISO week.
    assert (
        owner["Subject"]
        == "[flowsync] 컨설팅1팀 · 11월 4주차(11.23–11.29): 목표에 연결되지 않은 일 3건"
    )
    assert owner["To"] == "이민호 <minho.lee@example.com>"
    plain, html = _parts(owner)
    assert "이민호님, 안녕하세요." in plain
    assert "회사 블로그 글 2편 쓰기" in plain
    assert "파이썬 데이터 분석 강의" in plain
    assert "실험 E3" in plain
    assert "- Q1: 4분기 신규 제안 10건" in plain
    assert "주간계획 27행" in html
    # No team digest: the lead gets this week's report (on the week before, 11월 3주차), once.
    lead = by_recipient[("lead@example.com",)]
    assert lead["Subject"].startswith("컨설팅1팀 11월 3주차(11.16–11.22): 목표 미연결")
    assert "e-mail" in out or "이메일" in out
    smtp_server.received.clear()
    code, _, _ = flowsync("--config", config, "run", "--once", *AS_OF)
    assert (code, smtp_server.received) == (0, [])


@pytest.mark.parametrize("smtp_server", ["starttls+auth"], indirect=True)
def test_starttls_and_login_with_password_from_the_environment(
    demo: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STARTTLS against a server that requires it, AUTH with the password from the named variable."""
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret")
    config = _with_smtp(demo, smtp_server, security="starttls", auth=True)
    code, out, err = flowsync("--config", config, "run", "--once", *AS_OF)
    assert (code, problems(err)) == (0, [])
    assert len(smtp_server.received) == 2
    assert "s3cret" not in out


@pytest.mark.parametrize("smtp_server", ["ssl"], indirect=True)
def test_implicit_tls(demo: Path, smtp_server: SmtpServer) -> None:
    """security = "ssl" speaks TLS from the first byte."""
    code, _, err = flowsync(
        "--config", _with_smtp(demo, smtp_server, security="ssl"), "run", "--once", *AS_OF
    )
    assert (code, problems(err), len(smtp_server.received)) == (0, [], 2)


def test_fixed_then_broken_again_alerts_again(
    tmp_path: Path, smtp_server: SmtpServer, make_config: Callable[..., Path]
) -> None:
    """An alert fixed in the sheet leaves the state; when the fault returns it is sent again."""
    plan = clean("plan")
    plan[4][4] = None
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=plan))
    config = _with_smtp(make_config({"A": "a.xlsx"}), smtp_server)
    for goal, expected in ((None, 1), ("Q1", 0), (None, 1), (None, 0)):
        plan[4][4] = goal
        owned = {
            k: v
            for k, v in read_xlsx(tmp_path / "a.xlsx").items()
            if k in ("_flowsync", "Findings", "Weekly Summary")
        }
        write_xlsx(tmp_path / "a.xlsx", {**workbook(plan=plan), **owned})
        smtp_server.received.clear()
        code, _, _ = flowsync("--config", config, "run", "--once", *AS_OF)
        assert (code, len(smtp_server.received)) == (0, expected), goal


def test_refused_send_stays_unsent_and_goes_out_next_cycle(
    demo: Path, smtp_server: SmtpServer
) -> None:
    """A 451 on the only attempt: reported (exit 1), not recorded; the next cycle delivers it."""
    config = _with_smtp(demo, smtp_server, attempts=1)
    smtp_server.refuse.append("451 4.3.0 Try again later")
    code, _, err = flowsync("--config", config, "run", "--once", *AS_OF)
    assert code == 1
    assert "451" in err
    assert "알림 1건을 보내지 못했습니다. 다음 주기에 다시 보냅니다" in err
    assert "보내지 않은 것으로 남겨 다음 주기에 다시 보냅니다" in err
    assert len(smtp_server.received) == 1  # the other recipient got theirs
    flowsync("--config", config, "run", "--once", *AS_OF)
    assert len(smtp_server.received) == 2


def test_on_monday_morning_the_owner_alert_and_the_lead_report_name_the_week_lived(
    demo: Path, smtp_server: SmtpServer
) -> None:
    """Monday 2026-11-30 08:00: 이민호's unlinked levers are W48's, and so is the lead's report.

    Both subjects, received by the SMTP server, name that week as the Weekly Summary does.
    """
    config = _with_smtp(demo, smtp_server)
    code, _, err = flowsync("--config", config, "run", "--once", "--now", "2026-11-30T08:00")
    assert (code, problems(err)) == (0, [])
    subjects = {r.recipients[0]: r.message["Subject"] for r in smtp_server.received}
    assert subjects == {
        "minho.lee@example.com": "[flowsync] 컨설팅1팀 · 11월 4주차(11.23–11.29): 목표에 연결되지 않은 일 3건",
        "lead@example.com": "컨설팅1팀 11월 4주차(11.23–11.29): 목표 미연결 3건 · 계획 없음 1명",
    }
    owner = next(
        r.message for r in smtp_server.received if r.recipients == ["minho.lee@example.com"]
    )
    plain, html = _parts(owner)
    for text in (plain, html):
        assert "컨설팅1팀의 11월 4주차(11.23–11.29) 계획에서" in text
        assert "2026-W48" not in text


def test_an_english_owner_alert_names_the_week_as_people_say_it(
    tmp_path: Path, smtp_server: SmtpServer, make_config: Callable[..., Path]
) -> None:
    plan = clean("plan")
    plan[4][4] = None  # Kim's W48 Business lever, unlinked
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=plan))
    config = _with_smtp(make_config({"A": "a.xlsx"}), smtp_server)
    flowsync("--config", config, "run", "--once", *AS_OF)
    [received] = smtp_server.received
    assert (
        received.message["Subject"]
        == "[flowsync] A · Nov 23–29: 1 piece(s) of your work linked to no goal"
    )
    plain, _ = _parts(received.message)
    assert "A's plan for Nov 23–29 has 1 piece(s) of your work" in plain


def test_names_with_line_breaks_cannot_add_headers(
    tmp_path: Path, smtp_server: SmtpServer, make_config: Callable[..., Path]
) -> None:
    """An owner named 'Kim\\r\\nBcc: evil@example.com' gets one clean To header and no Bcc."""
    plan, goals = clean("plan"), clean("goals")
    evil = "Kim\r\nBcc: evil@example.com"
    for row in plan[1:]:
        row[1] = evil
    plan[4][4] = None
    goals[1][4] = evil
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=plan, goals=goals))
    flowsync(
        "--config", _with_smtp(make_config({"A": "a.xlsx"}), smtp_server), "run", "--once", *AS_OF
    )
    [received] = smtp_server.received
    assert received.recipients == ["kim@example.com"]
    assert received.message["Bcc"] is None
    assert received.message["To"] == '"Kim Bcc: evil@example.com" <kim@example.com>'


def test_a_korean_subject_keeps_every_space_where_it_is_folded(
    demo: Path, smtp_server: SmtpServer
) -> None:
    """Python before 3.13 drops the space between two folded encoded words ("목표에연결되지")."""
    config = _with_smtp(demo, smtp_server)
    config.write_text(config.read_text(encoding="utf-8").replace("컨설팅1팀", "영업2팀"))
    code, _, err = flowsync("--config", config, "run", "--once", *AS_OF)
    assert (code, problems(err)) == (0, [])
    subjects = sorted(r.message["Subject"] for r in smtp_server.received)
    assert (
        subjects[0] == "[flowsync] 영업2팀 · 11월 4주차(11.23–11.29): 목표에 연결되지 않은 일 3건"
    )
    assert re.fullmatch(
        r"영업2팀 11월 3주차\(11\.16–11\.22\): 목표 미연결 \d+건 · 계획 없음 \d+명", subjects[1]
    )
    raw = [line for r in smtp_server.received for line in r.raw.splitlines()]
    assert all(len(line) <= 78 for line in raw if line.startswith((b"Subject:", b" =?")))


def test_bad_address_in_goals_is_a_finding_not_a_crash(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """An e-mail cell without an @ is DATA003 on its row, and nobody is mailed there."""
    goals = clean("goals")
    goals[1][5] = "kim at example dot com"
    write_xlsx(tmp_path / "a.xlsx", workbook(goals=goals))
    code, out, _ = flowsync(
        "--config", make_config({"A": "a.xlsx"}), "check", "--format", "json", *AS_OF
    )
    assert '"code": "DATA003"' in out
    assert '"row": 2' in out
    assert code == 0


def test_without_smtp_the_outbox_gets_readable_eml_files(demo: Path) -> None:
    """No smtp_host: .eml files in the state folder's outbox, and run says where."""
    code, out, _ = flowsync("--config", demo, "run", "--once", *AS_OF)
    outbox = demo.parent / ".flowsync" / "outbox"
    files = sorted(outbox.glob("*.eml"))
    assert code == 0
    assert len(files) == 2
    assert str(files[0]) in out
    messages = [BytesParser(policy=policy.default).parsebytes(f.read_bytes()) for f in files]
    assert {m["To"].addresses[0].addr_spec for m in messages} == {
        "minho.lee@example.com",
        "lead@example.com",
    }


def test_dry_run_sends_nothing_and_says_what_it_would_send(
    demo: Path, smtp_server: SmtpServer
) -> None:
    """--dry-run prints each message it would send; the server receives nothing."""
    code, out, _ = flowsync(
        "--config", _with_smtp(demo, smtp_server), "run", "--once", "--dry-run", *AS_OF
    )
    assert code == 0
    assert smtp_server.received == []
    assert out.count("(시험 실행: 보내지 않음)") == 2


def test_google_alerts_link_to_the_exact_row(
    tmp_path: Path, sheets: SheetsEmulator, smtp_server: SmtpServer
) -> None:
    """From a Google sheet the link opens the tab at the row: #gid=...&range=A5."""
    plan = clean("plan")
    plan[4][4] = None
    book = sheets.create("team-a", workbook(plan=plan))
    gid = book.sheet("Weekly Plan").sheet_id
    config = tmp_path / "flowsync.toml"
    config.write_text(
        '[service]\nlocale = "en"\n[google]\nlease_settle_seconds = 0\n'
        '[[teams]]\nname = "A"\nspreadsheet = "team-a"\n'
    )
    flowsync("--config", _with_smtp(config, smtp_server), "run", "--once", *AS_OF)
    plain, html = _parts(smtp_server.received[0].message)
    link = f"https://docs.google.com/spreadsheets/d/team-a/edit#gid={gid}&range=A5"
    assert link in plain
    assert f'href="{link.replace("&", "&amp;")}"' in html


def test_a_renamed_goal_column_sends_no_alert_about_the_plan(demo: Path) -> None:
    """목표 ID renamed 연결 목표 in the demo's plan: no lever is e-mailed as unlinked; the
    experiment that really is unlinked (E3) still is, and DATA002 is in the Findings. The
    lead's weekly report says the linkage was not measured, naming the tab, not "0%"."""
    import openpyxl

    book = openpyxl.load_workbook(demo.parent / "demo.xlsx")
    sheet = book["주간계획"]
    header = {cell.value: cell for cell in sheet[1]}
    header["목표ID"].value = "연결 목표"
    book.save(demo.parent / "demo.xlsx")
    code, _, _ = flowsync("--config", demo, "run", "--once", *AS_OF)
    assert code == 0
    outbox = demo.parent / ".flowsync" / "outbox"
    messages = [
        BytesParser(policy=policy.default).parsebytes(f.read_bytes())
        for f in sorted(outbox.glob("*.eml"))
    ]
    bodies = [_parts(m)[0] for m in messages]
    assert not [body for body in bodies if re.search(r"주간계획 \d+행|LINK001", body)]
    assert any("실험 E3" in body for body in bodies)
    report = next(body for body in bodies if "주간 보고" in body)
    assert "목표 연결률: “주간계획” 탭에서 “목표ID” 열을 찾을 수 없어" in report
    tabs = read_xlsx(demo.parent / "demo.xlsx")
    codes = [row[0] for row in tabs["점검결과"][1:]]
    assert "LINK001" not in codes
    assert "DATA002" in codes


def test_a_header_renamed_and_put_back_sends_no_alert_twice(demo: Path) -> None:
    """While 목표ID is renamed, LINK001 cannot run and finds nothing: that must not forget
    the alert already sent, or putting the header back mails the owner the same levers again."""
    import openpyxl

    def rename(old: str, new: str) -> None:
        book = openpyxl.load_workbook(demo.parent / "demo.xlsx")
        header = {cell.value: cell for cell in book["주간계획"][1]}
        header[old].value = new
        book.save(demo.parent / "demo.xlsx")

    outbox = demo.parent / ".flowsync" / "outbox"

    def mails_to_owner() -> int:
        return sum(b"minho.lee@example.com" in f.read_bytes() for f in outbox.glob("*.eml"))

    flowsync("--config", demo, "run", "--once", "--now", "2026-11-26T18:00")
    assert mails_to_owner() == 1
    rename("목표ID", "연결 목표")
    flowsync("--config", demo, "run", "--once", "--now", "2026-11-26T18:10")
    rename("연결 목표", "목표ID")
    code, out, _ = flowsync("--config", demo, "run", "--once", "--now", "2026-11-26T18:20")
    assert code == 0
    assert "minho.lee@example.com" not in out
    assert mails_to_owner() == 1


def test_an_alert_names_the_weeks_of_the_items_it_carries(
    demo: Path, smtp_server: SmtpServer
) -> None:
    """W48's levers sent at 10:00; LINK003 added, the 11:00 alert carries only a W47 lever.

    Its week is that lever's, not the latest week of everything the owner has (already sent).
    """
    config = _with_smtp(demo, smtp_server)
    flowsync("--config", config, "run", "--once", "--now", "2026-11-25T10:00")
    before = len(smtp_server.received)
    text = config.read_text(encoding="utf-8")
    text += '\n[teams.alerts]\nowner_codes = ["LINK001", "LINK002", "LINK003", "LINK004"]\n'
    config.write_text(text, encoding="utf-8")
    code, _, err = flowsync("--config", config, "run", "--once", "--now", "2026-11-25T11:00")
    assert (code, problems(err)) == (0, [])
    [owner] = [
        r.message for r in smtp_server.received[before:] if "목표에 연결" in r.message["Subject"]
    ]
    plain, html = _parts(owner)
    assert "11월 3주차(11.16–11.22)" in owner["Subject"]
    assert "11.23" not in owner["Subject"]
    for body in (plain, html):
        assert "11월 3주차(11.16–11.22) 계획에서" in body


@pytest.mark.parametrize(
    ("locale", "words"),
    [("en", "Nov 16–22 and Nov 23–29"), ("ko", "11월 3주차(11.16–11.22)·11월 4주차(11.23–11.29)")],
)
def test_an_alert_with_items_of_two_weeks_names_both(locale: str, words: str) -> None:
    from datetime import UTC, datetime

    from sync.alerts.message import render_message

    plan = clean("plan")
    plan[4][4] = None
    [digest] = _digests(workbook(plan=plan))
    [item] = digest.items
    older = replace(item, finding=replace(item.finding, week="2026-W47", row=9), fingerprint="x")
    digest = replace(digest, items=(older, item), locale=locale)
    msg = render_message(digest, sender="f@example.com", now=datetime(2026, 11, 26, tzinfo=UTC))
    assert words in msg["Subject"]
    for body in _parts(msg):
        assert words in body
