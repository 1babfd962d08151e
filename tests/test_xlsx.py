"""The xlsx backend on real .xlsx files: one read, one atomic write, text stays text."""

import csv
import io
import json
import os
import re
import shutil
import stat
import subprocess
import threading
import time
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import CLEAN, NOW, context, read_xlsx, workbook, write_xlsx
from helpers import findings as findings_of
from test_cli import flowsync, problems

from sync.backends.xlsx import XlsxWorkbook
from sync.backends.xlsx.package import sheet_entries
from sync.core import Bold, Formula, Wrap
from sync.cycle import check, owned_tabs
from sync.errors import WorkbookChangedError, WorkbookError
from sync.summary import build_summary
from sync.template import template_grids

# Thursday evening: the lead's report (due since Monday 08:00) is not held by the quiet hours.
AS_OF = ("--now", "2026-11-26T18:00")
REPORT_DUE = ("--now", "2026-11-24T18:00")  # the lead's Monday report is due until Tuesday ends


def test_read_returns_every_known_tab_with_real_dates(tmp_path: Path) -> None:
    """Date cells come back as dates; unknown tabs are listed but not read."""
    path = tmp_path / "team.xlsx"
    grids = workbook()
    grids["Weekly Plan"][1][0] = datetime(2026, 11, 17)
    grids["Scratch"] = [["anything"]]
    write_xlsx(path, grids)
    snap = XlsxWorkbook(path).read()
    assert "Scratch" in snap.titles
    assert "Scratch" not in snap.grids
    assert snap.grids["Weekly Plan"][1][0] == datetime(2026, 11, 17)
    assert snap.grids["Goals"][1][:2] == ["B1", "BHAG"]


def test_text_cell_starting_with_equals_reads_as_text(tmp_path: Path) -> None:
    """A text cell whose text starts with '=' is text, not a formula."""
    path = tmp_path / "team.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Retro"
    ws.append(["week", "next_action"])
    ws.append(["2026-W48", None])
    ws["B2"].value = "=stop meetings"
    ws["B2"].data_type = "s"
    book.save(path)
    assert XlsxWorkbook(path).read().grids["Retro"][1] == ["2026-W48", "=stop meetings"]


def test_write_replaces_owned_tab_and_leaves_input_tabs_as_they_were(tmp_path: Path) -> None:
    """Input tabs keep every value and formula; the owned tab is rewritten whole, no stale rows."""
    path = tmp_path / "team.xlsx"
    grids = workbook()
    grids["Key Results"].append(["2026-W48", "M1", "=10+5", 3])
    write_xlsx(path, grids)
    before = read_xlsx(path)
    book = XlsxWorkbook(path)
    book.write(
        {"Findings": [["Code", "Message"], ["LINK001", "a"], ["LINK002", "b"], ["LINK003", "c"]]}
    )
    book.write({"Findings": [["Code", "Message"], ["LINK001", '=HYPERLINK("evil")']]})
    after = read_xlsx(path)
    assert {k: v for k, v in after.items() if k != "Findings"} == before
    assert after["Findings"] == [["Code", "Message"], ["LINK001", '=HYPERLINK("evil")']]
    cell = openpyxl.load_workbook(path)["Findings"]["B2"]
    assert cell.data_type == "s"  # stored as text, never as a formula
    # no temporary file left behind; the lock file beside the workbook stays, empty
    assert sorted(p.name for p in tmp_path.iterdir()) == [".team.xlsx.lock", "team.xlsx"]


def test_only_formula_cells_become_formulas(tmp_path: Path) -> None:
    """flowsync's own Formula cells are formulas; every other string is text."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    XlsxWorkbook(path).write({"Findings": [["n"], [Formula("=1+1")], ["=1+1"]]})
    ws = openpyxl.load_workbook(path)["Findings"]
    assert (ws["A2"].data_type, ws["A3"].data_type) == ("f", "s")


def test_owned_tab_keeps_its_position(tmp_path: Path) -> None:
    """Rewriting an owned tab puts it back where it was among the tabs."""
    path = tmp_path / "team.xlsx"
    grids = {"Findings": [["old"]], **workbook()}
    write_xlsx(path, grids)
    XlsxWorkbook(path).write({"Findings": [["new"]]})
    assert openpyxl.load_workbook(path).sheetnames[0] == "Findings"


def test_a_new_summary_is_the_first_tab_with_bold_titles_and_wrapped_text(tmp_path: Path) -> None:
    """The Weekly Summary, when flowsync creates it, opens first; Bold and Wrap cells are applied."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    grid = [[Bold("Title")], [], [Bold("What"), "x"], ["Verdict", Wrap("a long sentence " * 3)]]
    XlsxWorkbook(path).write({"Weekly Summary": grid, "Findings": [["Code"]]})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Weekly Summary"
    assert book.sheetnames[-1] == "Findings"
    ws = book["Weekly Summary"]
    assert (ws["A1"].font.b, ws["A3"].font.b, ws["B3"].font.b) == (True, True, False)
    assert ws["B4"].alignment.wrap_text
    assert (ws["A4"].alignment.wrap_text, ws["A4"].alignment.vertical) == (None, "top")
    assert ws.row_dimensions[4].height == 30  # two lines of wrapped text
    assert book.active.title == "Weekly Summary"  # a new summary is the tab that opens


def test_a_summary_put_first_keeps_each_print_area_on_its_own_tab(tmp_path: Path) -> None:
    """Defined names count tabs by position: each moves with its tab when the summary goes first."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    book = openpyxl.load_workbook(path)
    book["Metrics"].print_area = "A1:C5"
    book.save(path)
    XlsxWorkbook(path).write({"Weekly Summary": [[Bold("Title")]]})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["Weekly Summary", "Goals", "Metrics"]
    assert book["Metrics"].print_area == "'Metrics'!$A$1:$C$5"
    assert not book["Weekly Summary"].print_area


def test_numbers_in_a_summary_table_stand_under_their_own_header(tmp_path: Path) -> None:
    """A table's column of numbers (12, 80%, a sparkline row above them) is right-aligned, header
    and all; the text column after it starts one indent in, so "12" never reads as "1280%"."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    grid = [
        [Bold("Title")],
        [],
        [Bold("Leading indicators")],
        [Bold("Order"), Bold("Metric"), Bold("Actual"), Bold("Rate"), Bold("Trend")],
        [1, "M1 outreach", 12, "80%", "→"],
        [2, "M2 meetings", 4, "120%", "↑"],
        [],
        [Bold("History")],
        [Bold("Week"), Bold("Linkage (%)"), Bold("Levers")],
        ["Trend", "█▇", "▃█"],
        ["2026-W47", 89, 3],
        ["2026-W48", 75, 1],
    ]
    findings = [
        ["Code", "Row", "Owner", "Message"],
        ["LINK001", 27, "Kim", "a"],
        ["RISK002", 3, "Lee", "b"],
    ]
    XlsxWorkbook(path).write({"Weekly Summary": grid, "Findings": findings})
    book = openpyxl.load_workbook(path)
    ws = book["Weekly Summary"]

    def align(ref: str) -> tuple[str | None, float]:
        return ws[ref].alignment.horizontal, ws[ref].alignment.indent

    assert [align(f"{c}4") for c in "ABCDE"] == [
        ("right", 0),
        ("left", 1),
        ("right", 0),
        ("right", 0),
        ("left", 1),
    ]
    assert [align(f"{c}5") for c in "ABCDE"] == [
        ("right", 0),
        ("left", 1),
        ("right", 0),
        ("right", 0),
        ("left", 1),
    ]
    assert (ws["A4"].font.b, ws["C4"].font.b) == (True, True)  # headers stay bold
    assert align("A3") == (None, 0)  # a title is not a table
    assert [align(f"{c}9") for c in "ABC"] == [(None, 0), ("right", 0), ("right", 0)]
    assert [align(f"{c}10") for c in "ABC"] == [(None, 0), ("right", 0), ("right", 0)]
    ws = book["Findings"]
    assert [align(f"{c}1") for c in "ABCD"] == [(None, 0), ("right", 0), ("left", 1), (None, 0)]
    assert [align(f"{c}2") for c in "ABCD"] == [(None, 0), ("right", 0), ("left", 1), (None, 0)]


def test_owned_tabs_print_one_page_wide_with_their_first_row_on_every_page(
    tmp_path: Path,
) -> None:
    """Fit to the paper's width, as many pages tall as needed; landscape for wide tabs; row 1
    repeated; and the print titles stay on their tabs when a later write puts a tab first."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    wide = [[Bold("Title")], [Bold(f"Header {i}") for i in range(12)], list(range(12))]
    findings = [["Code", "Message"], ["LINK001", "a"]]
    book = XlsxWorkbook(path)
    book.write({"Findings": findings, "_flowsync": [["key", "value"]]})
    book.write({"Weekly Summary": wide, "Findings": findings})
    out = openpyxl.load_workbook(path)
    for title, orientation in (("Weekly Summary", "landscape"), ("Findings", "portrait")):
        ws = out[title]
        assert ws.sheet_properties.pageSetUpPr.fitToPage, title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), title
        assert ws.page_setup.orientation == orientation, title
        assert ws.print_title_rows == "$1:$1", title
    assert not out["_flowsync"].print_title_rows  # hidden: never printed
    names = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    assert names.count("_xlnm.Print_Titles") == 2
    assert names.count("<definedNames") == 1


def test_new_tabs_take_the_contract_order_and_the_summary_opens(tmp_path: Path) -> None:
    """A run, then init, on a workbook with one tab of the person's: the Weekly Summary first
    and open (the person's tab no longer selected: no two tabs grouped), the input tabs in
    the contract's order, then the Findings, then the hidden _flowsync last."""
    path = tmp_path / "team.xlsx"
    start = openpyxl.Workbook()
    assert start.active is not None
    assert start.active.title == "Sheet"
    start.save(path)
    book = XlsxWorkbook(path)
    book.read()
    book.write({"주간요약": [[Bold("요약")]], "점검결과": [["코드"]], "_flowsync": [["key"]]})
    after_run = openpyxl.load_workbook(path)
    assert after_run.sheetnames == ["주간요약", "Sheet", "점검결과", "_flowsync"]
    assert after_run.active is not None
    assert after_run.active.title == "주간요약"
    assert [ws.title for ws in after_run if ws.sheet_view.tabSelected] == ["주간요약"]

    book.init(template_grids("ko", week="2026-W48"), locale="ko")

    out = openpyxl.load_workbook(path)
    inputs = ["목표", "지표", "주간계획", "핵심결과", "리스크", "실험로그", "회고"]
    assert out.sheetnames == ["주간요약", "Sheet", *inputs, "점검결과", "_flowsync"]
    assert out["_flowsync"].sheet_state == "hidden"
    assert out.active is not None
    assert out.active.title == "주간요약"
    assert [ws.title for ws in out if ws.sheet_view.tabSelected] == ["주간요약"]


def test_a_tab_a_person_moved_stays_where_it_is(tmp_path: Path) -> None:
    """Only new tabs are placed: a Findings tab the person put first stays first, and a new
    input tab goes after the input tabs before it in the contract."""
    path = tmp_path / "team.xlsx"
    grids = workbook()
    order = ["Findings", "Goals", "Metrics", "Weekly Plan", "Retro"]
    write_xlsx(path, {"Findings": [["Code"]], **{t: grids[t] for t in order[1:]}})
    book = XlsxWorkbook(path)
    book.init(template_grids("en", week="2026-W48"), locale="en")
    middle = ["Key Results", "Risks", "Experiment Log"]
    assert openpyxl.load_workbook(path).sheetnames == [*order[:4], *middle, "Retro"]
    book.read()
    book.write({"Weekly Summary": [[Bold("S")]], "Findings": [["Code"]]})
    assert openpyxl.load_workbook(path).sheetnames == [
        "Weekly Summary",
        *order[:4],
        *middle,
        "Retro",
    ]


def test_a_workbook_never_opens_on_a_hidden_tab(tmp_path: Path) -> None:
    """A person unhid _flowsync and left it open: the write hides it again and the workbook
    opens on the Weekly Summary, the one tab selected."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, {"Weekly Summary": [["S"]], **workbook(), "_flowsync": [["key"]]})
    start = openpyxl.load_workbook(path)
    start.active = start["_flowsync"]
    for ws in start:
        ws.sheet_view.tabSelected = ws.title == "_flowsync"
    start.save(path)
    book = XlsxWorkbook(path)
    book.read()
    book.write({"Findings": [["Code"]], "_flowsync": [["key", "value"]]})
    out = openpyxl.load_workbook(path)
    assert out["_flowsync"].sheet_state == "hidden"
    assert out.active is not None
    assert out.active.title == "Weekly Summary"
    assert [ws.title for ws in out if ws.sheet_view.tabSelected] == ["Weekly Summary"]


def test_missing_workbook_is_a_clear_error(tmp_path: Path) -> None:
    """A missing file names the path and how to create it."""
    with pytest.raises(WorkbookError, match=r"does not exist.*flowsync init"):
        XlsxWorkbook(tmp_path / "nope.xlsx").read()


@pytest.mark.parametrize(
    ("content", "en", "ko"),
    [
        (b"", "is empty (0 bytes)", "통합 문서 파일이 비어 있습니다(0바이트)"),
        (
            b"week,owner\n2026-W48,Kim\n",  # a CSV renamed to .xlsx
            "is not an Excel workbook",
            "통합 문서 파일이 Excel 통합 문서(.xlsx)가 아닙니다",
        ),
    ],
)
def test_an_empty_or_non_workbook_file_says_what_it_is_and_how_to_get_it_back(
    tmp_path: Path, content: bytes, en: str, ko: str
) -> None:
    """No library words (CalamineError: Cannot detect file format): what the file is, and what
    to do, in both languages."""
    path = tmp_path / "team.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookError) as caught:
        XlsxWorkbook(path).read()
    assert str(caught.value) == (
        f"workbook {path} {en}: restore it from your cloud drive's version history, or delete "
        "it and run `flowsync init` to start a new one"
    )
    assert caught.value.say("ko") == (
        f"{ko}: {path}. 클라우드 드라이브의 버전 기록에서 복원하거나, 파일을 지우고 "
        "`flowsync init`으로 새로 만들어 주세요"
    )


def test_init_creates_a_workbook_with_every_input_tab_in_korean(tmp_path: Path) -> None:
    """A new workbook gets seven tabs with Korean headers, example rows and dropdowns."""
    path = tmp_path / "new.xlsx"
    written = XlsxWorkbook(path).init(template_grids("ko", week="2026-W48"), locale="ko")
    assert written == ["목표", "지표", "주간계획", "핵심결과", "리스크", "실험로그", "회고"]
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == written
    plan = book["주간계획"]
    assert [c.value for c in plan[1]][:4] == ["주차", "담당자", "흐름", "레버"]
    assert plan["A2"].value == "2026-W48"
    dropdowns = {str(dv.sqref): dv.formula1 for dv in plan.data_validations.dataValidation}
    assert dropdowns["C2:C1000"] == '"비즈니스,학습,관계"'


def test_init_never_touches_a_tab_with_data(tmp_path: Path) -> None:
    """An existing tab with data is left alone; an empty one and the missing ones are filled."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, {"Goals": CLEAN["goals"], "Risks": []})
    written = XlsxWorkbook(path).init(template_grids("en", week="2026-W48"), locale="en")
    assert "Goals" not in written
    assert "Risks" in written
    after = read_xlsx(path)
    assert after["Goals"] == CLEAN["goals"]
    assert after["Risks"][0] == ["week", "owner", "risk", "countermeasure"]


def test_init_adds_tabs_to_a_workbook_part_by_part(tmp_path: Path) -> None:
    """init into an existing workbook adds the missing tabs with dropdowns; the rest stays as is."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, {"Goals": CLEAN["goals"], "Notes": [["anything"]]})
    before = _parts(path)
    written = XlsxWorkbook(path).init(template_grids("ko", week="2026-W48"), locale="ko")
    assert "주간계획" in written
    assert "Goals" not in written
    plan = openpyxl.load_workbook(path)["주간계획"]
    dropdowns = {str(dv.sqref): dv.formula1 for dv in plan.data_validations.dataValidation}
    assert dropdowns["C2:C1000"] == '"비즈니스,학습,관계"'
    assert plan["A1"].font.b
    after = _parts(path)
    assert {n for n in before if before[n] != after[n]} == {*LISTS, "xl/styles.xml"}


# --------------------------------------------------------------------------- a workbook people make

OWNED = ("Weekly Summary", "Findings", "_flowsync")
LISTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml")


def _people_workbook(path: Path) -> None:
    """The clean workbook as people make it: a formula with a cached value, an image, a chart,
    a comment, a defined name, a week merged over three rows, a dropdown, a bold header."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from PIL import Image as Picture

    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, grid in workbook().items():
        ws = book.create_sheet(title)
        for row in grid:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True, color="FF0000")
            cell.fill = PatternFill("solid", fgColor="FFFF00")
    goals, plan, results = book["Goals"], book["Weekly Plan"], book["Key Results"]
    goals["A2"] = '="B"&"1"'  # its cached value, B1, is put in below, as Excel would save it
    goals["D2"].comment = Comment("Board approved in March", "Kim")
    picture = path.with_suffix(".png")
    Picture.new("RGB", (8, 8), "blue").save(picture)
    goals.add_image(Image(str(picture)), "J2")
    plan["A6"] = plan["A7"] = None
    plan.merge_cells("A5:A7")  # 2026-W48 typed once for Kim's three levers
    flows = DataValidation(type="list", formula1='"Business,Learning,People"', allow_blank=True)
    flows.add("C2:C100")
    plan.add_data_validation(flows)
    chart = BarChart()
    chart.add_data(Reference(results, min_col=4, min_row=1, max_row=5), titles_from_data=True)
    results.add_chart(chart, "F2")
    book.defined_names["Actuals"] = DefinedName("Actuals", attr_text="'Key Results'!$D$2:$D$5")
    book.save(path)
    picture.unlink()
    formula = b'<c r="A2"><f>"B"&amp;"1"</f><v /></c>'
    cached = b'<c r="A2" t="str"><f>"B"&amp;"1"</f><v>B1</v></c>'
    _edit_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(formula, cached))


def _edit_part(path: Path, name: str, edit: Any) -> None:
    parts = _parts(path)
    assert name in parts
    parts[name] = edit(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, data in parts.items():
            zf.writestr(part, data)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _sheet_parts(path: Path) -> dict[str, str]:
    """Tab title -> its zip part."""
    return {e.name: e.part for e in sheet_entries(path.read_bytes())}


def test_run_keeps_every_part_it_does_not_own_byte_for_byte(
    tmp_path: Path, make_config: Any
) -> None:
    """After `run --once`, only the owned tabs' parts and the sheet lists differ; styles.xml only
    gained entries; `check` finds what it found before, and the cached formula value still reads."""
    path = tmp_path / "team.xlsx"
    _people_workbook(path)
    config = make_config({"A": "team.xlsx"})
    before = _parts(path)
    _, checked_before, _ = flowsync("--config", config, "check", "--format", "json", *AS_OF)

    code, _, err = flowsync("--config", config, "run", "--once", *AS_OF)

    assert (code, problems(err)) == (0, [])
    after = _parts(path)
    tabs = _sheet_parts(path)
    owned = {tabs[t] for t in OWNED}
    assert set(after) - set(before) == owned  # three new sheets; nothing removed
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {*LISTS, "xl/styles.xml"}
    old_styles, new_styles = before["xl/styles.xml"].decode(), after["xl/styles.xml"].decode()
    for block in ("fonts", "cellXfs"):
        old = re.search(rf"<{block}[^>]*>(.*)</{block}>", old_styles, re.S)
        new = re.search(rf"<{block}[^>]*>(.*)</{block}>", new_styles, re.S)
        assert old is not None
        assert new is not None
        assert new.group(1).startswith(old.group(1))  # appended: every old index is unchanged
    for name in owned:
        assert b"sharedStrings" not in after[name]
        assert b't="s"' not in after[name]
    _, checked_after, _ = flowsync("--config", config, "check", "--format", "json", *AS_OF)
    assert json.loads(checked_after) == json.loads(checked_before) == []
    assert XlsxWorkbook(path).read().grids["Goals"][1][0] == "B1"


def test_second_run_changes_no_byte(tmp_path: Path, make_config: Any) -> None:
    """A run on an unchanged workbook writes nothing: the styles were added once, not again."""
    path = tmp_path / "team.xlsx"
    _people_workbook(path)
    config = make_config({"A": "team.xlsx"})
    flowsync("--config", config, "run", "--once", *AS_OF)
    first = path.read_bytes()
    XlsxWorkbook(path).write({"Findings": [["Code"], ["x"]]})
    XlsxWorkbook(path).write({"Findings": [["Code"], ["y"]]})
    styles = _parts(path)["xl/styles.xml"]
    assert styles == zipfile.ZipFile(io.BytesIO(first)).read("xl/styles.xml")


def test_merged_cells_read_as_their_value_on_every_row(tmp_path: Path) -> None:
    """A week typed once over merged rows is the week of each row: no false empty-cell findings."""
    path = tmp_path / "team.xlsx"
    _people_workbook(path)
    plan = XlsxWorkbook(path).read().grids["Weekly Plan"]
    assert [row[0] for row in plan[4:7]] == ["2026-W48"] * 3
    assert findings_of(XlsxWorkbook(path).read().grids) == []


def test_error_cells_read_as_their_text(tmp_path: Path) -> None:
    """A cell holding #REF! reads as "#REF!", so the finding can name it."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    old = b'<c r="A2" t="inlineStr"><is><t>2026-W47</t></is></c>'
    error = b'<c r="A2" t="e"><f>#REF!+1</f><v>#REF!</v></c>'
    sheet = _sheet_parts(path)["Weekly Plan"]
    _edit_part(path, sheet, lambda xml: xml.replace(old, error))
    assert XlsxWorkbook(path).read().grids["Weekly Plan"][1][0] == "#REF!"


# --------------------------------------------------------------------------- owned sheets


def test_owned_tab_added_to_a_workbook_that_lacks_it(tmp_path: Path) -> None:
    """A new owned tab goes last; _flowsync is hidden; the inputs' parts are untouched."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    before = _parts(path)
    XlsxWorkbook(path).write({"Findings": [["Code"], ["LINK001"]], "_flowsync": [["key", "value"]]})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[-2:] == ["Findings", "_flowsync"]
    assert (book["Findings"].sheet_state, book["_flowsync"].sheet_state) == ("visible", "hidden")
    assert book["Findings"]["A1"].font.b
    assert book["Findings"].freeze_panes == "A2"
    after = _parts(path)
    assert {n for n in before if before[n] != after[n]} == {*LISTS, "xl/styles.xml"}


def test_text_round_trips_exactly(tmp_path: Path) -> None:
    """Control characters, XML specials, Excel's own _x0041_ escapes, emoji, Korean, long text."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    texts = [
        "tab\there",
        "line\nbreak",
        "cr\r\nlf",
        "bell\x07 and nul\x00",
        "<b>&amp;</b>",
        "_x0041_ stays",
        "😀 회고 다음행동",
        "x" * 5000,
        " padded ",
        "=HYPERLINK(1)",
        "+82 10",
    ]
    grid: list[list[Any]] = [["text", "n"], *([t, i] for i, t in enumerate(texts))]
    grid.append(["floats", 0.1])
    grid.append([True, 2**40])
    XlsxWorkbook(path).write({"Findings": grid})
    snap = XlsxWorkbook(path).read()
    assert snap.grids["Findings"] == grid
    assert openpyxl.load_workbook(path)["Findings"]["A6"].value == "<b>&amp;</b>"


def test_dates_in_an_owned_tab_are_dates(tmp_path: Path) -> None:
    """A date cell is written as a date with a date format, and reads back as one."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    XlsxWorkbook(path).write({"Findings": [["when"], [datetime(2026, 11, 23)]]})
    cell = openpyxl.load_workbook(path)["Findings"]["A2"]
    assert cell.is_date
    assert cell.value == datetime(2026, 11, 23)


def test_stale_calc_chain_of_an_owned_tab_is_dropped(tmp_path: Path) -> None:
    """Excel's calcChain naming a formula in an owned tab goes (Excel rebuilds it); else it stays."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, {**workbook(), "Findings": [["n"], ["x"]]})
    ids = {e.name: e.sheet_id for e in sheet_entries(path.read_bytes())}
    parts = _parts(path)
    parts["xl/calcChain.xml"] = (
        '<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<c r="A2" i="{ids["Goals"]}"/><c r="B2" i="{ids["Findings"]}"/></calcChain>'
    ).encode()
    rel = (
        '<Relationship Id="rId99" Target="calcChain.xml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/calcChain"/></Relationships>'
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", rel.encode()
    )
    override = (
        '<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.calcChain+xml"/></Types>'
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", override.encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    XlsxWorkbook(path).write({"Weekly Summary": [["n"]]})
    assert "xl/calcChain.xml" in _parts(path)  # it names no owned tab written
    XlsxWorkbook(path).write({"Findings": [["n"]]})
    after = _parts(path)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in after["[Content_Types].xml"]
    assert openpyxl.load_workbook(path)["Findings"]["A1"].value == "n"


# --------------------------------------------------------------------------- the file itself


def test_save_between_read_and_write_is_never_overwritten(tmp_path: Path) -> None:
    """A person's save after flowsync's read: the write raises, writes nothing, keeps the save."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    book = XlsxWorkbook(path)
    book.read()
    plan = workbook()["Weekly Plan"] + [["2026-W48", "Lee", "Business", "New lever", "Q1"]]
    write_xlsx(path, {**workbook(), "Weekly Plan": plan})  # the person's save
    saved = path.read_bytes()

    with pytest.raises(WorkbookChangedError, match=r"saved by someone else during the cycle"):
        book.write({"Findings": [["Code"]]})

    assert path.read_bytes() == saved
    book.read()
    book.write({"Findings": [["Code"]]})  # read again: the write goes through, the save kept
    assert read_xlsx(path)["Weekly Plan"][-1][:2] == ["2026-W48", "Lee"]


def test_same_bytes_saved_again_is_not_a_change(tmp_path: Path) -> None:
    """A sync client rewriting the same bytes (new inode, new mtime) does not stop the write."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    book = XlsxWorkbook(path)
    book.read()
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(path.read_bytes())
    os.replace(copy, path)
    book.write({"Findings": [["Code"]]})
    assert "Findings" in XlsxWorkbook(path).read().titles


def test_mode_owner_and_group_are_kept(tmp_path: Path) -> None:
    """A shared workbook stays 0664 and in its group after a write."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    os.chmod(path, 0o664)
    groups = [g for g in os.getgroups() if g != os.getegid()]
    group = groups[0] if groups else os.getegid()
    if os.geteuid() == 0:
        group = 4321  # root may give the file any group
    os.chown(path, -1, group)
    before = path.stat()
    XlsxWorkbook(path).write({"Findings": [["Code"]]})
    after = path.stat()
    assert stat.S_IMODE(after.st_mode) == 0o664
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)


def test_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    """Writing through a symlink replaces its target; the link stays a link."""
    real = tmp_path / "drive" / "team.xlsx"
    real.parent.mkdir()
    write_xlsx(real, workbook())
    link = tmp_path / "team.xlsx"
    link.symlink_to(real)
    book = XlsxWorkbook(link)
    book.read()
    book.write({"Findings": [["Code"]]})
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert "Findings" in openpyxl.load_workbook(real).sheetnames
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drive", "team.xlsx"]


def test_init_creates_a_workbook_with_the_umask_mode(tmp_path: Path) -> None:
    """A new workbook gets the mode any new file gets (0644 under umask 022), not 0600."""
    old = os.umask(0o022)  # restored at once; a worker runs its tests one at a time
    try:
        path = tmp_path / "new.xlsx"
        XlsxWorkbook(path).init(template_grids("en", week="2026-W48"), locale="en")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_leftovers_of_a_killed_run_are_cleaned_at_the_next_write(tmp_path: Path) -> None:
    """A temporary file a killed write left behind goes at the next write; others' files stay."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    leftover = tmp_path / ".team.xlsx.1a2b3c4d.tmp"
    leftover.write_bytes(b"half a zip")
    other = tmp_path / ".other.xlsx.1a2b3c4d.tmp"
    other.write_bytes(b"not ours")
    XlsxWorkbook(path).write({"Findings": [["Code"]]})
    assert not leftover.exists()
    assert other.exists()


def test_encrypted_workbook_says_it_is_password_protected(tmp_path: Path) -> None:
    """An encrypted .xlsx is named as password protected, on read and on write."""
    import msoffcrypto.format.ooxml

    plain = tmp_path / "plain.xlsx"
    write_xlsx(plain, workbook())
    path = tmp_path / "team.xlsx"
    with plain.open("rb") as source, path.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(source).encrypt("s3cret", out)
    with pytest.raises(
        WorkbookError, match=r"team\.xlsx is password protected.*without a password"
    ):
        XlsxWorkbook(path).read()
    with pytest.raises(WorkbookError, match=r"password protected"):
        XlsxWorkbook(path).write({"Findings": [["Code"]]})


def test_old_xls_file_is_named(tmp_path: Path) -> None:
    """A Compound File that is not encrypted is an old .xls: it says so."""
    path = tmp_path / "team.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(WorkbookError, match=r"old Excel 97-2003 workbook \(\.xls\)"):
        XlsxWorkbook(path).read()


def test_check_writable_names_what_stops_the_write(tmp_path: Path) -> None:
    """A read-only file, a folder in the workbook's place: said before any alert goes out."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    XlsxWorkbook(path).check_writable()
    os.chmod(path, 0o444)
    with pytest.raises(WorkbookError, match=r"is read-only.*make it writable"):
        XlsxWorkbook(path).check_writable()
    with pytest.raises(WorkbookError, match=r"is read-only"):
        XlsxWorkbook(path).write({"Findings": [["Code"]]})
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    with pytest.raises(WorkbookError, match=r"is a folder, not a file"):
        XlsxWorkbook(folder).check_writable()
    with pytest.raises(WorkbookError, match=r"is a folder, not a file"):
        XlsxWorkbook(folder).read()


def _refuse_new_files(folder: Path) -> Callable[[], object]:
    """Make ``folder`` refuse new files (chattr +i, which binds root too; else chmod 555)."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        return lambda: os.chmod(folder, 0o755)
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], check=False).returncode:
        pytest.skip("root writes into any folder, and chattr +i is not available here")
    return lambda: subprocess.run([chattr, "-i", str(folder)], check=True)


def test_check_writable_names_a_folder_that_refuses_new_files(tmp_path: Path) -> None:
    """flowsync replaces the file, so the folder must take a new one: that is what it says,
    before any alert; the write says the same, and leaves the file as it was."""
    path = tmp_path / "team-drive" / "team.xlsx"
    path.parent.mkdir()
    write_xlsx(path, workbook())
    before = path.read_bytes()
    undo = _refuse_new_files(path.parent)
    try:
        with pytest.raises(
            WorkbookError, match=r"team-drive does not accept new files.*No alert was sent"
        ):
            XlsxWorkbook(path).check_writable()
        with pytest.raises(WorkbookError, match=r"team-drive does not accept new files"):
            XlsxWorkbook(path).write({"Findings": [["Code"]]})
    finally:
        undo()
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- another reader

SOFFICE = shutil.which("soffice")
_ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
_NO_SOFFICE = (
    "LibreOffice is not installed (apt-get install libreoffice-calc-nogui provides soffice)"
)


def _soffice(tmp_path: Path, source: Path, target: str) -> Path:
    """Convert ``source`` with LibreOffice headless (its profile in tmp_path); the output folder."""
    assert SOFFICE is not None
    out = tmp_path / f"converted-{len(list(tmp_path.glob('converted-*')))}"
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason=_NO_SOFFICE)
def test_workbook_saved_by_libreoffice_keeps_every_part_it_does_not_own(
    tmp_path: Path, make_config: Any
) -> None:
    """LibreOffice's own dialect (shared strings, its styles): a run changes only the owned tabs,
    the sheet lists and, as the new Weekly Summary opens now, the selected mark of the tab that
    was open; the findings and the cached formula value read the same after."""
    people = tmp_path / "people.xlsx"
    _people_workbook(people)
    saved = _soffice(tmp_path, people, "xlsx:Calc MS Excel 2007 XML") / "people.xlsx"
    path = tmp_path / "team.xlsx"
    shutil.move(saved, path)
    config = make_config({"A": "team.xlsx"})
    before = _parts(path)
    assert "xl/sharedStrings.xml" in before
    _, checked_before, _ = flowsync("--config", config, "check", "--format", "json", *AS_OF)

    code, _, err = flowsync("--config", config, "run", "--once", *AS_OF)

    assert (code, problems(err)) == (0, [])
    after = _parts(path)
    owned = {_sheet_parts(path)[t] for t in OWNED}
    assert set(after) - set(before) == owned
    mark = re.compile(rb'\stabSelected="[^"]*"')
    was_open = {n for n in before if re.search(rb'tabSelected="(1|true)"', before[n])}
    changed = {n for n in before if before[n] != after[n]}
    assert len(was_open) == 1
    assert changed <= {*LISTS, "xl/styles.xml", *was_open}
    for n in was_open:  # the tab that was open keeps everything but its selected mark
        assert b'tabSelected="' not in after[n] or b'tabSelected="false"' in after[n]
        assert mark.sub(b"", after[n]) == mark.sub(b"", before[n])
    _, checked_after, _ = flowsync("--config", config, "check", "--format", "json", *AS_OF)
    assert json.loads(checked_after) == json.loads(checked_before) == []
    assert XlsxWorkbook(path).read().grids["Goals"][1][0] == "B1"
    out = _soffice(tmp_path, path, _ALL_SHEETS_CSV)
    with (out / "team-Findings.csv").open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f))[:2] == ["Code", "Severity"]


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason=_NO_SOFFICE)
def test_written_workbook_opens_in_libreoffice(tmp_path: Path) -> None:
    """LibreOffice converts each owned sheet of a written workbook to CSV, cell for cell."""
    path = tmp_path / "team.xlsx"
    _people_workbook(path)
    owned: dict[str, list[list[Any]]] = {
        "주간요약": [["주간요약 2026-W48"], ["week", "linkage", "levers"], ["2026-W48", 0.75, 12]],
        "Findings": [
            ["Code", "Severity", "Row", "Message"],
            ["LINK001", "error", 5, 'Lever "Call 15 clients" <is> not linked & 담당자 확인'],
            ["DATA003", "warning", None, "line one\nline two"],
            ["FLOW001", "info", 7, "=not a formula"],
        ],
        "_flowsync": [["key", "value"], ["hash:Findings", "0123abcd"]],
    }
    book = XlsxWorkbook(path)
    book.read()
    book.write(owned)
    out = _soffice(tmp_path, path, _ALL_SHEETS_CSV)
    for title, grid in owned.items():
        with (out / f"team-{title}.csv").open(encoding="utf-8", newline="") as f:
            converted = list(csv.reader(f))
        width = max(len(row) for row in grid)
        expected = [
            [("" if v is None else str(v)) for v in row] + [""] * (width - len(row)) for row in grid
        ]
        assert converted == expected, title


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason=_NO_SOFFICE)
def test_demo_summary_and_findings_print_one_page_wide_in_libreoffice(tmp_path: Path) -> None:
    """The demo's Weekly Summary and Findings print as wide as the paper: a few landscape pages
    (they took 27 portrait ones, the summary cut into strips of one or two columns)."""
    demo = XlsxWorkbook(Path(__file__).parent.parent / "sync" / "demo" / "demo.xlsx").read()
    ctx = context(NOW, locale="ko")
    frames, found = check(demo, team="컨설팅1팀", ctx=ctx)
    summary = build_summary(frames, found, ctx, team="컨설팅1팀")
    path = tmp_path / "team.xlsx"
    write_xlsx(path, {"메모": [["memo"]]})
    book = XlsxWorkbook(path)
    book.read()
    book.write(owned_tabs(demo, summary, found, sparklines=False))
    pdf = (_soffice(tmp_path, path, "pdf") / "team.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert 3 <= pages <= 5  # the summary in two or three, the findings in one, the memo
    assert float(boxes[0][0]) > float(boxes[0][1])  # page 1, the summary, is landscape
    assert {round(float(side)) for box in boxes for side in box} == {595, 842}  # A4


# --------------------------------------------------------------------------- a person saving meanwhile


@pytest.mark.slow
def test_concurrent_saves_lose_no_row_and_send_no_alert_twice(tmp_path: Path) -> None:
    """A person appends retro rows with atomic saves while cycles run in a loop: every row is
    there at the end, and the two alerts of the one unlinked lever went out once each."""
    path = tmp_path / "team.xlsx"
    plan = workbook()["Weekly Plan"]
    plan[4][4] = None  # Kim's W48 Business lever is unlinked: an owner alert and a team alert
    write_xlsx(path, {**workbook(), "Weekly Plan": plan})
    config = tmp_path / "flowsync.toml"
    config.write_text(
        '[service]\nlocale = "en"\ntimezone = "Asia/Seoul"\n\n'
        '[[teams]]\nname = "A"\nworkbook = "team.xlsx"\nalert_to = ["lead@example.com"]\n',
        encoding="utf-8",
    )
    saves = 12
    done = threading.Event()
    failures: list[BaseException] = []

    def person() -> None:
        try:
            for i in range(saves):
                book = openpyxl.load_workbook(path)
                book["Retro"].append(["2026-W48", f"Person {i}", "-", "-", "-", f"Next {i}"])
                tmp = path.with_name(f"~$team-{i}.xlsx")
                book.save(tmp)
                os.replace(tmp, path)  # an atomic save, as Excel and sync clients make them
                time.sleep(0.05 + 0.01 * (i % 5))
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            done.set()

    writer = threading.Thread(target=person)
    writer.start()
    cycles = 0
    while not done.is_set() or cycles == 0:
        _, _, err = flowsync("--config", config, "run", "--once", *REPORT_DUE)
        assert "Traceback" not in err
        cycles += 1
    writer.join()
    flowsync("--config", config, "run", "--once", *REPORT_DUE)

    assert failures == []
    retro = read_xlsx(path)["Retro"]
    assert [row[1] for row in retro[2:]] == [f"Person {i}" for i in range(saves)]
    outbox = sorted((tmp_path / ".flowsync" / "outbox").glob("*.eml"))
    assert len(outbox) == 2, [p.name for p in outbox]
    assert cycles > 1


def test_prefixed_xml_as_the_open_xml_sdk_writes_it(tmp_path: Path) -> None:
    """A workbook whose parts name the main namespace with a prefix (<x:sheets>) gets
    prefixed elements: the owned tab is added and every reader still opens the file."""
    path = tmp_path / "team.xlsx"
    write_xlsx(path, workbook())
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    def prefixed(xml: bytes) -> bytes:
        text = re.sub(r"<(/?)(?![?!])(\w+)(?=[\s/>])", r"<\1x:\2", xml.decode())
        return text.replace(f'xmlns="{main}"', f'xmlns:x="{main}"').encode()

    _edit_part(path, "xl/workbook.xml", prefixed)
    _edit_part(path, "xl/styles.xml", prefixed)
    XlsxWorkbook(path).write({"Findings": [["Code"], ["LINK001"]]})
    parts = _parts(path)
    assert b"<x:sheet " in parts["xl/workbook.xml"]
    assert b"<x:b/>" in parts["xl/styles.xml"]
    assert b"<x:x:" not in parts["xl/styles.xml"]
    assert openpyxl.load_workbook(path)["Findings"]["A1"].font.b
    assert XlsxWorkbook(path).read().grids["Findings"] == [["Code"], ["LINK001"]]


def test_both_writers_make_bold_exactly_the_cells_layout_says() -> None:
    """The zip writer's looks and openpyxl's fonts follow ``layout.is_bold``, as Google does:
    the header and ``Bold`` cells that hold something; an empty one stays plain."""
    from openpyxl import Workbook

    from sync.backends.layout import is_bold
    from sync.backends.xlsx import fill_sheet
    from sync.backends.xlsx.sheet import Look, sheet_looks

    grid: list[list[object]] = [["Head", ""], [Bold("x"), Bold(""), "y"]]
    assert sheet_looks(grid) == {Look(bold=True), Look()}
    ws = Workbook().active
    fill_sheet(ws, grid)
    for r, row in enumerate(grid):
        for c, value in enumerate(row, start=1):
            assert ws.cell(r + 1, c).font.b is is_bold(r, value), (r, c, value)
