"""The emulator answers every recorded Sheets API request exactly as the real API did.

Each file in tests/emulator/samples (recorded from the real API) is a sequence of (request, response)
pairs from one cassette. The emulator is seeded with the state the cassette
implies (noted per seed), then every request is replayed over real HTTP and
its status and body compared with the recording.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from emulator import Fault, SheetsEmulator

SAMPLES = Path(__file__).resolve().parent / "emulator" / "samples"

Seed = Callable[[SheetsEmulator], None]


def _exclude_hidden(e: SheetsEmulator) -> None:
    book = e.create(
        "19SsaJoNCUcVKkbPg7p_tE0GbuR_Nzb-9i-UxNemn1jw",
        {"Sheet1": [], "finances": [], "gacha": []},
        title="Test SpreadsheetTest test_worksheets_exclude_hidden",
        sheet_ids=[0, 1613166149, 755875121],
    )
    for sheet in book.sheets[1:]:
        sheet.row_count = sheet.column_count = 100
    book.sheets[2].hidden = True


# file -> the seed before each pair (None: the state the previous pair left).
SEEDS: dict[str, list[Seed | None]] = {
    "01_spreadsheets_get_metadata": [_exclude_hidden],
    "02_values_batchGet": [
        lambda e: e.create(
            "1aNvNhBanaHVP93PL4xmzA69TyNmTcfv7CUaCkGmwFMo",
            {"Sheet1": [["A1", "B1"], [], [], ["", "B4", "", "D4"]]},
        ),
        lambda e: e.create(
            "1yXHRaUTFlGV-Axis4vLHtoPvGUj3C_-awA_5sLK8k6g",
            {"🌵 test_values_batch_get 1": [["🍇", "🍉", "🍋"], ["🍐", "🍎", "🍓"]]},
            rows=10,
            columns=10,
        ),
    ],
    "03_values_get_ragged": [
        lambda e: e.create("1M2mlIn8G_4hZYnBE1oh10QU9qUFp9KhiIxBT9oTCKOI", rows=4, columns=4),
        None,
    ],
    "04_values_get_empty_and_clear": [
        lambda e: e.create(
            "1-cggo46qjMCKSmGDfOcz4G-JoY10rGkQD-MvnrnEdac", {"Sheet1": [["a", "b"], ["c"]]}
        ),
        None,
        None,
    ],
    "05_values_get_leading_blanks": [
        lambda e: e.create(
            "1OTHN1HmHhOJ2pfNKmADYflaXj4PtF27xUknxtODBZ0A",
            {"Sheet1": [[], [""] * 9 + ["test_find 1"]]},
        ),
        None,
    ],
    "06_values_get_render_options": [
        lambda e: e.create("1f7zKlUAxEFe6q2jbUe3UNQDbMZyt6EQvoqjs_dxK6Ro", rows=2, columns=4),
        None,
        None,
    ],
    "07_values_update_and_batchUpdate": [
        lambda e: e.create(
            "1HVDGFSRVMTRJbo2n8Vh7TZt7EGFBLOdyNGk1Zb8H_SY", {"🌵 test_values_get 1": []}
        ),
        lambda e: e.create("16LuFWBK_SJz0B1rKNlcuRCJqj6_GbXsshAU9JPnHW3w"),
        None,
    ],
    "08_spreadsheets_batchUpdate_sheets": [
        lambda e: (
            e.create("18q2vbKBaujo2mlHN6mzGFyKkOI4k03FUxpKj2retQJI"),
            e.next_sheet_ids.append(1877059582),
        ),  # type: ignore[func-returns-value]
        None,
        lambda e: e.create("1D-huCbWbhJczzPfxlVr9Zbl6YuC1RbkUXacd2EzNd6c"),
        lambda e: e.create("1zZd5BsyheqLZLClTJlh-wr8ZXYMlg-TZquuJXw3hE7Q", rows=10, columns=4),
        _exclude_hidden,
    ],
    "09_errors": [
        None,  # no spreadsheet "test": 404
        lambda e: setattr(
            e.create("1jIKzPs8LsiZZdLdeMEP-5ZIHw6RkjiOmj1LrJN706Yc"), "forbidden", True
        ),
        lambda e: e.create("1yOY1U4tsuCpKdLXnrrfpGtUtmIFCHLzXbYVJrbLlmCA"),
        lambda e: e.create("1orn99tUtMCpLAObtrSNv8tY-B8UfeJwW7D6NUIx6RMA"),
    ],
    "10_values_append_and_batchClear": [
        lambda e: e.create("1cNWHu1-cVJM0FAmqJH3Pq9NNg29Sgp6jsysikvTkBO0"),
        None,
        lambda e: e.create(
            "1hit0UxyZPEXhx5Tw0nEtzqm7B8ilCnC_19tZtsEkKu4",
            {"Sheet1": [["a", "b"], ["", "", "c", "d", "e"]]},
        ),
    ],
}


def _pairs() -> list[tuple[str, int]]:
    return [(name, i) for name, seeds in SEEDS.items() for i in range(len(seeds))]


def test_every_recorded_sample_has_a_seed() -> None:
    """A new sample file fails here until the replay knows its starting state."""
    assert SAMPLES.is_dir(), f"the recorded samples are missing: {SAMPLES}"
    recorded = {p.stem: len(json.loads(p.read_text())) for p in SAMPLES.glob("*.json")}
    assert recorded == {name: len(seeds) for name, seeds in SEEDS.items()}


@pytest.mark.parametrize("sample", sorted(SEEDS))
def test_emulator_replays_recorded_traffic_exactly(sample: str) -> None:
    """Status and body of each response equal the recording, in cassette order."""
    pairs = json.loads((SAMPLES / f"{sample}.json").read_text())
    with SheetsEmulator() as emulator:
        for seed, pair in zip(SEEDS[sample], pairs, strict=True):
            if seed is not None:
                seed(emulator)
            status, body = _replay(emulator, pair["request"])
            expected = pair["response"]
            assert (status, body) == (expected["status"]["code"], expected["body"]), pair["note"]


def _replay(emulator: SheetsEmulator, request: dict[str, Any]) -> tuple[int, Any]:
    url = request["uri"].replace("https://sheets.googleapis.com", f"http://{emulator.host}")
    body = request["body"]
    response = requests.request(
        request["method"],
        url,
        json=body,
        timeout=10,
        headers={} if body is not None else {"Content-Length": "0"},
    )
    return response.status_code, response.json()


def test_grid_data_read_honours_the_fields_mask() -> None:
    """spreadsheets.get with includeGridData and a fields mask returns titles, sizes and values only."""
    with SheetsEmulator() as emulator:
        emulator.create("s1", {"Plan": [["week", "n"], ["2026-W48", 3]], "Other": []})
        mask = "sheets(properties(title,gridProperties(rowCount,columnCount)),data/rowData/values/effectiveValue)"
        url = f"http://{emulator.host}/v4/spreadsheets/s1?includeGridData=true&fields={mask}"
        body = requests.get(url, timeout=10).json()
    assert body == {
        "sheets": [
            {
                "properties": {
                    "title": "Plan",
                    "gridProperties": {"rowCount": 1000, "columnCount": 26},
                },
                "data": [
                    {
                        "rowData": [
                            {
                                "values": [
                                    {"effectiveValue": {"stringValue": "week"}},
                                    {"effectiveValue": {"stringValue": "n"}},
                                ]
                            },
                            {
                                "values": [
                                    {"effectiveValue": {"stringValue": "2026-W48"}},
                                    {"effectiveValue": {"numberValue": 3}},
                                ]
                            },
                        ]
                    }
                ],
            },
            {
                "properties": {
                    "title": "Other",
                    "gridProperties": {"rowCount": 1000, "columnCount": 26},
                },
                "data": [{}],
            },
        ]
    }


def test_korean_locale_formats_dates_the_korean_way() -> None:
    """A date typed in a ko_KR sheet reads back formatted as 2026. 11. 23, unformatted as its serial."""
    with SheetsEmulator() as emulator:
        emulator.create(
            "ko", {"주간계획": [["주차"], ["2026. 11. 23"]]}, locale="ko_KR", user_entered=True
        )
        assert emulator.values("ko", "주간계획") == [["주차"], ["2026. 11. 23"]]
        assert emulator.values("ko", "주간계획", render="UNFORMATTED_VALUE") == [["주차"], [46349]]


def test_write_outside_the_grid_is_refused() -> None:
    """The API refuses writes past the grid: 'exceeds grid limits'."""
    with SheetsEmulator() as emulator:
        emulator.create("s", rows=2, columns=2)
        url = f"http://{emulator.host}/v4/spreadsheets/s/values:batchUpdate"
        body = {
            "valueInputOption": "RAW",
            "data": [{"range": "'Sheet1'!A1", "values": [["a"], ["b"], ["c"]]}],
        }
        response = requests.post(url, json=body, timeout=10)
    assert response.status_code == 400
    assert "exceeds grid limits. Max rows: 2, max columns: 2" in response.json()["error"]["message"]


def test_faults_are_injected_once_and_calls_counted() -> None:
    """A 429 with Retry-After answers the next call; the one after is served; both are counted."""
    with SheetsEmulator() as emulator:
        emulator.create("s")
        emulator.fail_next(Fault(status=429, retry_after="3"))
        url = f"http://{emulator.host}/v4/spreadsheets/s"
        first = requests.get(url, timeout=10)
        second = requests.get(url, timeout=10)
    assert (first.status_code, first.headers["Retry-After"], second.status_code) == (429, "3", 200)
    assert emulator.calls["spreadsheets.get"] == 2


def test_merge_cells_keeps_the_top_left_value_and_lists_the_merge() -> None:
    """mergeCells (MERGE_ALL) clears all but the top-left value; spreadsheets.get returns `merges`."""
    with SheetsEmulator() as emulator:
        emulator.create("s1", {"Plan": [["week", "n"], ["2026-W48", 1], ["2026-W49", 2]]})
        merge = {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 3, "endColumnIndex": 1}
        url = f"http://{emulator.host}/v4/spreadsheets/s1:batchUpdate"
        answer = requests.post(
            url, json={"requests": [{"mergeCells": {"range": merge}}]}, timeout=10
        )
        again = requests.post(
            url, json={"requests": [{"mergeCells": {"range": merge}}]}, timeout=10
        )
        mask = "sheets(data/rowData/values/effectiveValue,merges)"
        get = f"http://{emulator.host}/v4/spreadsheets/s1?includeGridData=true&fields={mask}"
        body = requests.get(get, timeout=10).json()
    assert answer.status_code == 200
    assert again.status_code == 400  # a merge may not overlap another
    assert body["sheets"][0]["merges"] == [
        {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 3, "endColumnIndex": 1}
    ]
    rows = body["sheets"][0]["data"][0]["rowData"]
    assert [r["values"][0] for r in rows[1:]] == [
        {"effectiveValue": {"stringValue": "2026-W48"}},
        {},
    ]


def _batch_update(emulator: SheetsEmulator, sid: str, *requests_: Any) -> requests.Response:
    url = f"http://{emulator.host}/v4/spreadsheets/{sid}:batchUpdate"
    return requests.post(url, json={"requests": list(requests_)}, timeout=10)


def test_update_cells_sets_values_and_formats_under_its_mask_and_clears_the_rest_of_a_range() -> (
    None
):
    """updateCells: a stringValue stays text, a formulaValue is a formula; bold and wrap are kept
    per cell; with ``range`` every field of the mask is cleared where rows do not reach."""
    with SheetsEmulator() as emulator:
        emulator.create("s", {"Sum": [["old", "old"], ["old"], ["old", "old", "old"]]})
        sheet = emulator.spreadsheets["s"].sheet("Sum")
        sheet.bold |= {(2, 2), (5, 5)}
        sheet.wrap[(1, 0)] = "WRAP"
        fields = "userEnteredValue,userEnteredFormat.textFormat.bold,userEnteredFormat.wrapStrategy"
        bold = {"textFormat": {"bold": True}}
        rows = [
            {"values": [{"userEnteredValue": {"stringValue": "Title"}, "userEnteredFormat": bold}]},
            {
                "values": [
                    {"userEnteredValue": {"stringValue": "=HYPERLINK(1)"}},
                    {"userEnteredValue": {"numberValue": 3}},
                    {
                        "userEnteredValue": {"stringValue": "long"},
                        "userEnteredFormat": {"wrapStrategy": "WRAP"},
                    },
                    {"userEnteredValue": {"formulaValue": "=1+2"}},
                ]
            },
        ]
        update = {"range": {"sheetId": 0}, "rows": rows, "fields": fields}
        answer = _batch_update(emulator, "s", {"updateCells": update})
        assert answer.status_code == 200, answer.text
        assert emulator.values("s", "Sum", render="FORMULA") == [
            ["Title"],
            ["=HYPERLINK(1)", "3", "long", "=1+2"],
        ]
        assert emulator.values("s", "Sum", render="UNFORMATTED_VALUE")[1] == [
            "=HYPERLINK(1)",
            3,
            "long",
            3,
        ]
        sheet = emulator.spreadsheets["s"].sheet("Sum")  # a batchUpdate replaces the sheets whole
        assert (sheet.bold, sheet.wrap) == ({(0, 0)}, {(1, 2): "WRAP"})

        # Only the value in the mask: the formats stay as they are.
        values_only = {
            "start": {"sheetId": 0},
            "rows": [{"values": [{}]}],
            "fields": "userEnteredValue",
        }
        assert _batch_update(emulator, "s", {"updateCells": values_only}).status_code == 200
        assert emulator.values("s", "Sum")[0] == []
        sheet = emulator.spreadsheets["s"].sheet("Sum")
        assert (sheet.bold, sheet.wrap) == ({(0, 0)}, {(1, 2): "WRAP"})


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"start": {"sheetId": 0}, "rows": [], "fields": ""}, "At least one field"),
        ({"start": {"sheetId": 0}, "range": {"sheetId": 0}, "fields": "*"}, "Exactly one of"),
        ({"rows": [], "fields": "*"}, "Exactly one of"),
        ({"start": {"sheetId": 0, "rowIndex": 2}, "rows": [{}], "fields": "*"}, "grid limits"),
        ({"start": {"sheetId": 0}, "rows": [], "fields": "note"}, "Unsupported field mask"),
        (
            {
                "start": {"sheetId": 0},
                "rows": [{"values": [{"userEnteredFormat": {"wrapStrategy": "SOMETIMES"}}]}],
                "fields": "userEnteredFormat.wrapStrategy",
            },
            "wrap_strategy",
        ),
    ],
)
def test_update_cells_refuses_what_the_api_refuses(update: dict[str, Any], message: str) -> None:
    """No fields, both or neither of start and range, past the grid, a bad enum: 400, nothing kept."""
    with SheetsEmulator() as emulator:
        emulator.create("s", {"Sum": [["keep"]]}, rows=2, columns=2)
        answer = _batch_update(emulator, "s", {"updateCells": update})
    assert answer.status_code == 400
    assert message in answer.json()["error"]["message"]
    assert emulator.values("s", "Sum") == [["keep"]]


def test_column_widths_are_kept_per_column() -> None:
    """updateDimensionProperties sets a column's pixelSize; past the grid it is refused."""
    with SheetsEmulator() as emulator:
        emulator.create("s", {"Sum": []}, columns=3)
        span = {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}
        width = {"range": span, "properties": {"pixelSize": 229}, "fields": "pixelSize"}
        assert _batch_update(emulator, "s", {"updateDimensionProperties": width}).status_code == 200
        beyond = {**width, "range": {**span, "endIndex": 4}}
        refused = _batch_update(emulator, "s", {"updateDimensionProperties": beyond})
        assert refused.status_code == 400
        assert emulator.spreadsheets["s"].sheet("Sum").column_pixels == {1: 229}


# ---- Drive v3: what flowsync's change detection asks


DRIVE_LIST_FIELDS = "nextPageToken,files(id,modifiedTime,version)"
SPREADSHEETS_Q = "mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false"


def _ticking(start: float = 1_795_000_000.0) -> Callable[[], float]:
    """A clock the test moves: each call is one second after the last."""
    moment = [start]

    def clock() -> float:
        moment[0] += 1.0
        return moment[0]

    return clock


def test_every_write_moves_drive_version_and_modified_time_reads_do_not() -> None:
    """files.get sees a version bumped by each write (flowsync's or a person's), not by a read."""
    with SheetsEmulator(clock=_ticking()) as emulator:
        emulator.create("s", {"Plan": [["week"]]})
        base = f"http://{emulator.host}"
        url = f"{base}/drive/v3/files/s?fields=id,modifiedTime,version&supportsAllDrives=true"
        first = requests.get(url, timeout=10).json()
        requests.get(f"{base}/v4/spreadsheets/s?includeGridData=true", timeout=10)
        after_read = requests.get(url, timeout=10).json()
        body = {"valueInputOption": "RAW", "data": [{"range": "'Plan'!B1", "values": [["x"]]}]}
        requests.post(f"{base}/v4/spreadsheets/s/values:batchUpdate", json=body, timeout=10)
        after_write = requests.get(url, timeout=10).json()
        emulator.edit("s", "Plan", 1, 0, [["2026-W48"]])
        after_edit = requests.get(url, timeout=10).json()
    assert first == {"id": "s", "modifiedTime": first["modifiedTime"], "version": "1"}
    assert after_read == first
    assert (after_write["version"], after_edit["version"]) == ("2", "3")
    assert first["modifiedTime"] < after_write["modifiedTime"] < after_edit["modifiedTime"]
    assert first["modifiedTime"].endswith("Z")
    assert len(first["modifiedTime"]) == 24
    assert emulator.values("s", "Plan") == [["week", "x"], ["2026-W48"]]
    assert emulator.calls["drive.files.get"] == 4


def test_files_list_filters_by_modified_time_and_pages() -> None:
    """A q with modifiedTime > T returns the spreadsheets changed after T, a page at a time."""
    with SheetsEmulator(clock=_ticking()) as emulator:
        for sid in ("a", "b", "c", "d"):
            emulator.create(sid)
        url = f"http://{emulator.host}/drive/v3/files"
        since = requests.get(f"{url}/b?fields=modifiedTime", timeout=10).json()["modifiedTime"]
        emulator.edit("a", "Sheet1", 0, 0, [["x"]])
        q = f"{SPREADSHEETS_Q} and modifiedTime > '{since}'"
        params = {"q": q, "fields": DRIVE_LIST_FIELDS, "pageSize": 2}
        page1 = requests.get(url, params=params, timeout=10).json()
        page2 = requests.get(
            url, params={**params, "pageToken": page1["nextPageToken"]}, timeout=10
        ).json()
    assert [f["id"] for f in page1["files"]] == ["a", "c"]
    assert [f["id"] for f in page2["files"]] == ["d"]
    assert "nextPageToken" not in page2
    assert set(page1["files"][0]) == {"id", "modifiedTime", "version"}
    assert page1["files"][0]["version"] == "2"
    assert emulator.calls["drive.files.list"] == 2


def test_drive_refuses_a_token_without_a_drive_scope_and_a_disabled_api() -> None:
    """403s as Google sends them: insufficient scopes, or the Drive API not enabled."""
    with SheetsEmulator() as emulator:
        emulator.create("s")
        emulator.tokens_issued.append({"scope": "https://www.googleapis.com/auth/spreadsheets"})
        url = f"http://{emulator.host}/drive/v3/files/s"
        scoped = requests.get(
            url, headers={"Authorization": "Bearer flowsync-emulator-1"}, timeout=10
        )
        emulator.drive_enabled = False
        disabled = requests.get(url, timeout=10)
        emulator.drive_enabled = True
        bad_q = requests.get(
            f"http://{emulator.host}/drive/v3/files", params={"q": "name contains 'x'"}, timeout=10
        )
    assert scoped.status_code == 403
    assert scoped.json()["error"]["message"] == "Request had insufficient authentication scopes."
    assert scoped.json()["error"]["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    assert disabled.status_code == 403
    assert disabled.json()["error"]["errors"][0]["reason"] == "accessNotConfigured"
    assert (bad_q.status_code, bad_q.json()["error"]["message"]) == (400, "Invalid Value")


def test_spreadsheets_get_with_ranges_returns_only_those_tabs() -> None:
    """ranges= names whole tabs: the others are not sent; an unknown title is a 400."""
    with SheetsEmulator() as emulator:
        emulator.create("s", {"Plan": [["week"]], "Raw": [["x"] * 20] * 50, "Goals": [["id"]]})
        url = f"http://{emulator.host}/v4/spreadsheets/s"
        params = {
            "includeGridData": "true",
            "ranges": ["'Goals'", "'Plan'"],
            "fields": "sheets(properties/title,data/rowData/values/effectiveValue)",
        }
        body = requests.get(url, params=params, timeout=10).json()
        missing = requests.get(url, params={"ranges": ["'Gone'"]}, timeout=10)
    assert [s["properties"]["title"] for s in body["sheets"]] == ["Plan", "Goals"]
    assert body["sheets"][1]["data"][0]["rowData"] == [
        {"values": [{"effectiveValue": {"stringValue": "id"}}]}
    ]
    assert (missing.status_code, missing.json()["error"]["message"]) == (
        400,
        "Unable to parse range: 'Gone'",
    )
