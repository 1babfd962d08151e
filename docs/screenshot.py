"""Re-render docs/weekly-summary-monday.png: the demo's 주간요약 on Monday 08:00, by LibreOffice.

    .venv/bin/python docs/screenshot.py

Needs `soffice` and `pdftoppm` (poppler-utils). Runs one cycle on a copy of the
bundled demo at 2026-11-30T08:00, keeps only the Weekly Summary, prints its
first 29 rows and 8 columns on one landscape page, and crops the page to its
ink, 1,650 pixels wide.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from PIL import Image, ImageOps

HERE = Path(__file__).parent
DEMO = HERE.parent / "sync" / "demo"
OUT = HERE / "weekly-summary-monday.png"
WIDTH = 1650


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("flowsync.toml", "demo.xlsx"):
            shutil.copyfile(DEMO / name, folder / name)
        flowsync = [sys.executable, "-m", "sync", "--config", "flowsync.toml"]
        subprocess.run([*flowsync, "run", "--once", "--now", "2026-11-30T08:00"], cwd=folder)
        book = openpyxl.load_workbook(folder / "demo.xlsx")
        for sheet in book.worksheets[1:]:
            book.remove(sheet)
        summary = book.worksheets[0]
        summary.print_area = "A1:H29"
        summary.page_setup.orientation = "landscape"
        summary.page_setup.fitToWidth = summary.page_setup.fitToHeight = 1
        summary.sheet_properties.pageSetUpPr.fitToPage = True
        book.save(folder / "summary.xlsx")
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "summary.xlsx"],
            cwd=folder, check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            ["pdftoppm", "-f", "1", "-l", "1", "-r", "300", "-png", "summary.pdf", "page"],
            cwd=folder, check=True,
        )  # fmt: skip
        page = Image.open(next(folder.glob("page*.png"))).convert("L")
        left, top, right, bottom = ImageOps.invert(page).getbbox() or (0, 0, *page.size)
        margin = 40
        crop = page.crop((left - margin, top - margin, right + margin, bottom + margin))
        crop.resize((WIDTH, round(crop.height * WIDTH / crop.width))).save(OUT, optimize=True)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
