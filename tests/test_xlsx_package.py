"""The package edit on bytes: any owned grid written as parts reads back cell for cell."""

import io
from pathlib import Path
from typing import Any

import pytest
from helpers import workbook, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.backends.xlsx.package import OwnedTab, PackageError, rebuild, sheet_entries
from sync.backends.xlsx.reader import read_snapshot

_EXCEL_ESCAPES = st.sampled_from(["_x0041_", "_x000D_", "_X0041_", "__x1234_", "_x005F_x0041_"])
_TEXT = st.one_of(
    st.text(min_size=1, max_size=40),
    _EXCEL_ESCAPES,
    st.text(alphabet="\x00\x01\t\r\n _x0", min_size=1),
)
_CELL = st.one_of(
    st.none(),
    _TEXT,
    st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("package") / "team.xlsx"
    write_xlsx(path, workbook())
    return path.read_bytes()


def _trimmed(grid: Any) -> list[list[Any]]:
    """Rows without trailing blanks, and no blank rows at the end: what a grid holds."""
    rows = []
    for row in grid:
        cells = [None if c == "" else c for c in row]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return rows


@settings(max_examples=60, deadline=None)
@given(grid=st.lists(st.lists(_CELL, max_size=6), min_size=1, max_size=8))
def test_any_grid_reads_back_as_written(base: bytes, grid: list[list[Any]]) -> None:
    """Text of every kind (control characters, Excel's own escapes), numbers and booleans."""
    expected = [[None if c == "" else c for c in row] for row in grid]
    data = rebuild(base, {"Findings": OwnedTab(grid)})
    assert _trimmed(read_snapshot(data).grids["Findings"]) == _trimmed(expected)


def test_every_part_but_the_lists_is_copied_compressed_as_it_was(base: bytes) -> None:
    """Not only the content: the compressed bytes of each part not owned are the same."""
    import zipfile

    def raw(data: bytes) -> dict[str, bytes]:
        out = {}
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                h = info.header_offset
                n, m = (
                    int.from_bytes(data[h + 26 : h + 28], "little"),
                    int.from_bytes(data[h + 28 : h + 30], "little"),
                )
                out[info.filename] = data[h + 30 + n + m : h + 30 + n + m + info.compress_size]
        return out

    after = rebuild(base, {"Findings": OwnedTab([["Code"]])})
    old, new = raw(base), raw(after)
    lists = {
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
        "xl/styles.xml",
    }
    assert {n for n in old if old[n] != new[n]} == lists
    assert zipfile.ZipFile(io.BytesIO(after)).testzip() is None


def test_a_tab_whose_part_is_missing_is_named(base: bytes, tmp_path: Path) -> None:
    """A workbook listing a sheet whose part is gone is refused, not made worse."""
    import zipfile

    part = {e.name: e.part for e in sheet_entries(base)}["Goals"]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info))
    with pytest.raises(
        PackageError, match=r"^its tab 'Goals' names a part that is not in the file"
    ):
        rebuild(out.getvalue(), {"Goals": OwnedTab([["x"]])})
