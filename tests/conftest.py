"""Shared fixtures: a copy of the bundled demo, and configs for workbooks in tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

DEMO = Path(__file__).parent.parent / "sync" / "demo"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The bundled demo's config, in a fresh copy of its folder."""
    for name in ("flowsync.toml", "demo.xlsx"):
        shutil.copyfile(DEMO / name, tmp_path / name)
    return tmp_path / "flowsync.toml"


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Path]:
    """Write a flowsync.toml in tmp_path for teams given as name -> workbook file name."""

    def make(teams: dict[str, str], *, locale: str = "en", extra: str = "") -> Path:
        lines = [f'[service]\nlocale = "{locale}"\ntimezone = "Asia/Seoul"\n', extra]
        for name, workbook in teams.items():
            lines.append(f'[[teams]]\nname = "{name}"\nworkbook = "{workbook}"\n')
        path = tmp_path / "flowsync.toml"
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    return make
