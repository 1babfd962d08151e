"""The xlsx backend on real .xlsx files: one read, one atomic write, text stays text."""

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from helpers import CLEAN, read_xlsx, workbook, write_xlsx

from sync.backends.xlsx import XlsxWorkbook
from sync.core import Formula
from sync.errors import WorkbookError
from sync.template import template_grids


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
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


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


def test_missing_workbook_is_a_clear_error(tmp_path: Path) -> None:
    """A missing file names the path and how to create it."""
    with pytest.raises(WorkbookError, match=r"does not exist.*flowsync init"):
        XlsxWorkbook(tmp_path / "nope.xlsx").read()


def test_file_that_is_not_xlsx_is_a_clear_error(tmp_path: Path) -> None:
    """A CSV renamed to .xlsx is reported, not a zipfile traceback."""
    path = tmp_path / "team.xlsx"
    path.write_text("week,owner\n2026-W48,Kim\n")
    with pytest.raises(WorkbookError, match=r"cannot be read as \.xlsx"):
        XlsxWorkbook(path).read()


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
