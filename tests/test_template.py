"""The workbook templates: what init writes, and the files in templates/ that a team can copy."""

from pathlib import Path

import openpyxl
import pytest
from helpers import NOW, context, findings, read_xlsx

from sync.demo.workbooks import NAMES, build
from sync.template import header

TEMPLATES = Path(__file__).parent.parent / "templates"


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_templates_in_the_repository_are_what_init_makes_today(tmp_path: Path, locale: str) -> None:
    """Regenerate with `python -m sync.demo.workbooks` after changing the contract or examples."""
    build(tmp_path)
    name = NAMES[locale]  # type: ignore[index]
    assert read_xlsx(TEMPLATES / name) == read_xlsx(tmp_path / name)


def test_templates_carry_the_new_optional_columns_with_dropdowns() -> None:
    """지표 has 주기 and 순서, 회고 has 다음행동유형, each enumerated column a dropdown."""
    book = openpyxl.load_workbook(TEMPLATES / NAMES["ko"])
    assert book.sheetnames == ["목표", "지표", "주간계획", "핵심결과", "리스크", "실험로그", "회고"]
    metrics = [c.value for c in book["지표"][1]]
    assert metrics[-2:] == ["주기", "순서"]
    assert [c.value for c in book["지표"][2]][-2:] == ["주", 1]
    retro = [c.value for c in book["회고"][1]]
    assert retro[-2:] == ["다음행동유형", "다음행동"]
    lists = {v.formula1 for v in book["회고"].data_validations.dataValidation}
    assert lists == {'"그만,시작,계속"'}
    assert header("metrics", "en")[-2:] == ["cadence", "order"]


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_a_workbook_started_from_a_template_has_no_findings(locale: str) -> None:
    """The examples are linked and complete: a team's first check shows only its own faults."""
    grids = read_xlsx(TEMPLATES / NAMES[locale])  # type: ignore[index]
    assert findings(grids, context(NOW, locale=locale)) == []  # type: ignore[arg-type]
