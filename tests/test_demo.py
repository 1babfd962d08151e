"""The bundled demo: the shipped workbook is what its build script makes."""

from pathlib import Path

from helpers import read_xlsx

from sync.demo.build import build

SHIPPED = Path(__file__).parent.parent / "sync" / "demo" / "demo.xlsx"


def test_shipped_demo_matches_its_build_script(tmp_path: Path) -> None:
    """Regenerate with `python -m sync.demo.build` after changing build.py; this test says when."""
    build(tmp_path / "demo.xlsx")
    assert read_xlsx(tmp_path / "demo.xlsx") == read_xlsx(SHIPPED)


def test_demo_is_korean_and_has_every_input_tab() -> None:
    """Seven Korean input tabs and no owned tab before the first run."""
    assert list(read_xlsx(SHIPPED)) == [
        "목표",
        "지표",
        "주간계획",
        "핵심결과",
        "리스크",
        "실험로그",
        "회고",
    ]
