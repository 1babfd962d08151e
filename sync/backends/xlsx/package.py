"""The .xlsx package: replace the owned tabs' parts, copy every other part byte for byte.

An .xlsx file is a zip of XML parts. A write puts new worksheet parts in
place of the owned tabs' and edits, as text, the few parts that list the
sheets: the workbook, its relationships and the content types; styles.xml
gains, the first time, a bold font and the cell formats the owned tabs use
(bold, dates, wrapped text, alignment), appended after the existing entries so
that every index a person's cell uses points where it did.

A new tab takes its place in the contract's order (``rank``) among the tabs
already there, which stay where a person put them: the Weekly Summary first,
input tabs after the ones before them, the Findings after those, ``_flowsync``
last. A new Weekly Summary is the tab the workbook opens on; the workbook never
opens on a hidden tab. The tab it opened on before loses its ``tabSelected``
mark then, so that no reader opens two tabs grouped: the one edit of a part
flowsync does not own. Each visible owned tab repeats its first row on every
printed page (a ``_xlnm.Print_Titles`` defined name).
Every other part (input tabs, shared strings, cached formula values, images,
charts, pivots, comments, defined names) is copied compressed, as it was:
nothing flowsync does not own is parsed and serialised again. The zip is
written here rather than with ``zipfile``, which cannot copy an entry
without inflating and deflating it again.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from sync.backends.xlsx.sheet import Dropdown, Look, Styles, sheet_looks, sheet_xml
from sync.core import Grid

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_TYPE = _DOC_REL + "/worksheet"
_WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_DOS_EPOCH = (0 << 9 | 1 << 5 | 1, 0)  # 1980-01-01 00:00: new parts carry no clock
_UTF8_FLAG, _DESCRIPTOR_FLAG = 0x800, 0x08


class PackageError(ValueError):
    """The file is a zip but not a workbook this module can edit; the message says why."""


@dataclass(frozen=True)
class OwnedTab:
    """An owned tab to (re)write whole."""

    grid: Grid
    hidden: bool = False
    dropdowns: Sequence[Dropdown] = ()
    first: bool = False  # a new tab goes first and is the one that opens (the Weekly Summary)


Rank = Callable[[str], int | None]
"""A tab's place in the contract's order, by title; None for a tab flowsync does not know."""


def _unranked(title: str) -> int | None:
    return None


@dataclass(frozen=True)
class SheetEntry:
    name: str
    sheet_id: int
    rel_id: str
    part: str  # the zip name, "xl/worksheets/sheet1.xml"
    hidden: bool


@dataclass
class _Edit:
    """The new content of parts (None removes a part), in the source's order plus new ones."""

    parts: dict[str, bytes | None] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)


_BROKEN = (KeyError, ValueError, ET.ParseError, zipfile.BadZipFile, struct.error)


def sheet_entries(data: bytes) -> list[SheetEntry]:
    """The sheets a workbook lists, in tab order, with the part each lives in."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            book = _workbook_part(zf)
            return _sheets(zf.read(book), _rels(zf, book), book)
    except PackageError:
        raise
    except _BROKEN as exc:
        raise _broken(exc) from exc


def rebuild(data: bytes, tabs: Mapping[str, OwnedTab], *, rank: Rank = _unranked) -> bytes:
    """The package ``data`` with each owned tab (title -> tab) rewritten or added.

    A new tab goes where ``rank`` puts it among the tabs there (see the module's
    docstring); a tab without a rank goes last.
    """
    try:
        return _rebuild(data, tabs, rank)
    except PackageError:
        raise
    except _BROKEN as exc:
        raise _broken(exc) from exc


def _broken(exc: Exception) -> PackageError:
    return PackageError(f"its structure is not a workbook's ({type(exc).__name__}: {exc})")


def _rebuild(data: bytes, tabs: Mapping[str, OwnedTab], rank: Rank) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        book = _workbook_part(zf)
        book_rels_name = _rels_name(book)
        book_xml = zf.read(book).decode("utf-8")
        rels_xml = zf.read(book_rels_name).decode("utf-8")
        types_xml = zf.read("[Content_Types].xml").decode("utf-8")
        rels = _rels(zf, book)
        entries = _sheets(book_xml.encode("utf-8"), rels, book)
        edit = _Edit()
        styles_part = next(
            (_resolve(book, t) for t, ty in rels.values() if ty.endswith("/styles")), None
        )
        styles: Styles = {}
        if styles_part is not None and styles_part in names:
            looks = set().union(*(sheet_looks(t.grid) for t in tabs.values()))
            new_styles, styles = _ensure_styles(zf.read(styles_part).decode("utf-8"), looks)
            if new_styles is not None:
                edit.parts[styles_part] = new_styles.encode("utf-8")
        by_name = {e.name.casefold(): e for e in entries}  # Excel's tab names ignore case
        order = [e.name for e in entries]  # the tab order, as the edits below leave it
        hidden = {e.name: e.hidden for e in entries}
        owned: dict[str, tuple[str, OwnedTab]] = {}  # title in the workbook -> part, tab
        owned_ids: set[int] = set()
        opens: str | None = None
        next_sheet_id = max((e.sheet_id for e in entries), default=0) + 1
        taken_parts = set(names)
        taken_rids = set(rels)
        for title, tab in tabs.items():
            entry = by_name.get(title.casefold())
            if entry is not None and entry.part not in names:
                raise PackageError(f"its tab {entry.name!r} names a part that is not in the file")
            if entry is not None:
                owned_ids.add(entry.sheet_id)
                owned[entry.name] = (entry.part, tab)
                if _rels_name(entry.part) in names:
                    edit.parts[_rels_name(entry.part)] = None  # its old drawings, links: not ours
                if tab.hidden and not entry.hidden:
                    book_xml = _hide(book_xml, entry.rel_id)
                    hidden[entry.name] = True
                continue
            part = _free_part(book, taken_parts)
            rid = _free_rid(taken_rids)
            taken_parts.add(part)
            taken_rids.add(rid)
            owned[title] = (part, tab)
            edit.added.append(part)
            index = 0 if tab.first else _place(order, title, rank)
            book_xml = _add_sheet(book_xml, title, next_sheet_id, rid, hidden=tab.hidden, at=index)
            order.insert(index, title)
            hidden[title] = tab.hidden
            if tab.first:
                opens = title
            next_sheet_id += 1
            target = posixpath.relpath(part, posixpath.dirname(book))
            rels_xml = _append(
                rels_xml,
                "Relationships",
                f'<Relationship Id="{rid}" Type="{_WORKSHEET_TYPE}" Target="{target}"/>',
            )
            types_xml = _append(
                types_xml,
                "Types",
                f'<Override PartName="/{part}" ContentType="{_WORKSHEET_CONTENT}"/>',
            )
        active = _active_tab(book_xml)
        shown = [i for i, t in enumerate(order) if not hidden[t]]
        opening = order.index(opens) if opens is not None else active
        if shown and (opening >= len(order) or hidden[order[opening]]):
            # Never a hidden tab: the first known tab shown (the summary), else the first shown.
            ranked = sorted((r, i) for i in shown if (r := rank(order[i])) is not None)
            opening = ranked[0][1] if ranked else shown[0]
        if opening != active:
            book_xml, active = _open_on(book_xml, opening), opening
            chosen = next((e.part for e in entries if e.name == order[opening]), None)
            _select_only(zf, entries, owned, names, edit, chosen)
        for title, (part, tab) in owned.items():
            index = order.index(title)
            edit.parts[part] = sheet_xml(
                tab.grid, styles=styles, dropdowns=tab.dropdowns, selected=index == active
            )
            if tab.grid and not hidden[title]:
                book_xml = _print_titles(book_xml, index, title)
        chain = next(
            (
                (rid, _resolve(book, t))
                for rid, (t, ty) in rels.items()
                if ty.endswith("/calcChain")
            ),
            None,
        )
        if chain is not None and chain[1] in names and owned_ids & _chain_sheets(zf.read(chain[1])):
            # The chain would name formulas the owned tab no longer has: Excel rebuilds it.
            edit.parts[chain[1]] = None
            rels_xml = _drop_element(rels_xml, "Relationship", "Id", chain[0])
            types_xml = _drop_element(types_xml, "Override", "PartName", "/" + chain[1])
        edit.parts[book] = book_xml.encode("utf-8")
        edit.parts[book_rels_name] = rels_xml.encode("utf-8")
        edit.parts["[Content_Types].xml"] = types_xml.encode("utf-8")
        return _write_zip(data, infos, edit)


def _place(order: Sequence[str], title: str, rank: Rank) -> int:
    """Where a new tab goes: after the last known tab ranked before it, and before the
    next known tab ranked after it; a person's tabs in between stay where they are."""
    mine = rank(title)
    if mine is None:
        return len(order)
    ranks = [rank(t) for t in order]
    before = [i for i, r in enumerate(ranks) if r is not None and r < mine]
    start = before[-1] + 1 if before else 0
    return next(
        (i for i in range(start, len(order)) if (r := ranks[i]) is not None and r > mine),
        len(order),
    )


# --------------------------------------------------------------------------- reading the lists


def _workbook_part(zf: zipfile.ZipFile) -> str:
    root = ET.fromstring(zf.read("_rels/.rels"))
    for rel in root.iter(f"{{{_RELS_NS}}}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return _resolve("", rel.get("Target", ""))
    raise KeyError("_rels/.rels names no workbook")


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    """A relationship's target as a zip name, from the part that holds the relationship."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (target, type) of a part."""
    try:
        root = ET.fromstring(zf.read(_rels_name(part)))
    except KeyError:
        return {}
    return {
        r.get("Id", ""): (r.get("Target", ""), r.get("Type", ""))
        for r in root.iter(f"{{{_RELS_NS}}}Relationship")
        if r.get("TargetMode") != "External"
    }


def _sheets(book_xml: bytes, rels: Mapping[str, tuple[str, str]], book: str) -> list[SheetEntry]:
    root = ET.fromstring(book_xml)
    out = []
    for el in root.iter():
        if not el.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), "")
        target = rels.get(rid, ("", ""))[0]
        out.append(
            SheetEntry(
                name=el.get("name", ""),
                sheet_id=int(el.get("sheetId", "0")),
                rel_id=rid,
                part=_resolve(book, target) if target else "",
                hidden=el.get("state", "visible") != "visible",
            )
        )
    return out


def _chain_sheets(chain: bytes) -> set[int]:
    """The sheet ids a calcChain names (an entry without ``i`` has its predecessor's)."""
    ids, current = set(), 0
    for el in ET.fromstring(chain):
        current = int(el.get("i", current))
        ids.add(current)
    return ids


# --------------------------------------------------------------------------- text edits


def _prefix(xml: str, element: str) -> str:
    """The namespace prefix the closing tag of ``element`` uses ("" or "x:")."""
    m = re.search(rf"</(\w+:)?{element}>", xml)
    if m is None:
        raise KeyError(f"no </{element}> to add to")
    return m.group(1) or ""


def _append(xml: str, element: str, child: str) -> str:
    """``child`` added as the last child of the (single) ``element``."""
    prefix = _prefix(xml, element)
    if prefix and not re.match(r"<\w+:", child):
        child = "<" + prefix + child[1:]
    close = f"</{prefix}{element}>"
    at = xml.rindex(close)
    return xml[:at] + child + xml[at:]


def _drop_element(xml: str, element: str, attr: str, value: str) -> str:
    pattern = rf"<(\w+:)?{element}\b[^>]*\b{attr}={quoteattr(value)}[^>]*/>"
    return re.sub(pattern, "", xml, count=1)


def _add_sheet(
    book_xml: str, title: str, sheet_id: int, rid: str, *, hidden: bool, at: int | None = None
) -> str:
    """A sheet element for the new tab, at position ``at`` (0: first), or last."""
    m = re.search(rf'xmlns:(\w+)="{re.escape(_DOC_REL)}"', book_xml)
    if m is not None:
        rel = f"{m.group(1)}:id={quoteattr(rid)}"
    else:
        rel = f'xmlns:fsr="{_DOC_REL}" fsr:id={quoteattr(rid)}'
    state = ' state="hidden"' if hidden else ""
    element = f'<sheet name={quoteattr(title)} sheetId="{sheet_id}"{state} {rel}/>'
    return _insert_sheet(book_xml, element, at)


def _insert_sheet(book_xml: str, element: str, at: int | None) -> str:
    """``element`` as the sheet at position ``at``; what names a sheet by position follows it.

    A defined name's ``localSheetId`` and the view's ``activeTab`` and ``firstSheet``
    count sheets by position, so those at ``at`` or after move up by one and still
    mean the same tab.
    """
    prefix = _prefix(book_xml, "sheets")
    if prefix and not re.match(r"<\w+:", element):
        element = "<" + prefix + element[1:]
    opening = re.search(rf"<{prefix}sheets\b[^>]*>", book_xml)
    if at is None or opening is None or opening.group(0).endswith("/>"):
        return _append(book_xml, "sheets", element)
    close = book_xml.index(f"</{prefix}sheets>", opening.end())
    starts = [m.start() for m in re.finditer(rf"<{prefix}sheet\b", book_xml[opening.end() : close])]
    if at >= len(starts):
        return _append(book_xml, "sheets", element)
    pos = opening.end() + starts[at]
    book_xml = book_xml[:pos] + element + book_xml[pos:]

    def shift(m: re.Match[str]) -> str:
        n = int(m.group(2))
        return f'{m.group(1)}="{n + 1 if n >= at else n}"'

    return re.sub(r'\b(localSheetId|activeTab|firstSheet)="(\d+)"', shift, book_xml)


_VIEW = re.compile(r"<(\w+:)?workbookView\b[^>]*>")


def _active_tab(book_xml: str) -> int:
    """The position of the tab the workbook opens on (0 when the file does not say)."""
    view = _VIEW.search(book_xml)
    found = re.search(r'\sactiveTab="(\d+)"', view.group(0)) if view else None
    return int(found.group(1)) if found else 0


def _open_on(book_xml: str, index: int) -> str:
    """The workbook opening on the tab at ``index``, which the tab bar shows."""
    view = _VIEW.search(book_xml)
    if view is None:
        if index == 0:
            return book_xml
        prefix = _prefix(book_xml, "sheets")
        at = re.search(rf"<{prefix}sheets\b", book_xml)
        assert at is not None  # _prefix found </sheets>
        views = (
            f'<{prefix}bookViews><{prefix}workbookView activeTab="{index}"/></{prefix}bookViews>'
        )
        return book_xml[: at.start()] + views + book_xml[at.start() :]
    tag = view.group(0)
    new = re.sub(r'\sactiveTab="\d+"', "", tag)
    new = re.sub(r"^(<(?:\w+:)?workbookView)\b", rf'\1 activeTab="{index}"', new)
    first = re.search(r'\sfirstSheet="(\d+)"', new)
    if first is not None and int(first.group(1)) > index:
        new = new.replace(first.group(0), f' firstSheet="{index}"')
    return book_xml[: view.start()] + new + book_xml[view.end() :]


_SELECTED = re.compile(r'\stabSelected="(?:1|true)"')
_MARK = re.compile(r'\stabSelected="[^"]*"')


def _select_only(
    zf: zipfile.ZipFile,
    entries: Sequence[SheetEntry],
    owned: Mapping[str, tuple[str, OwnedTab]],
    names: set[str],
    edit: _Edit,
    chosen: str | None,
) -> None:
    """The ``tabSelected`` mark on the tabs flowsync does not own: only on ``chosen`` (a part),
    the tab that opens now if it is one of theirs, so that no reader opens two tabs grouped.

    Only a part that says it is selected is edited (LibreOffice writes "false" on the others).
    """
    for entry in entries:
        if entry.name in owned or entry.part not in names or entry.part in edit.parts:
            continue
        xml = zf.read(entry.part).decode("utf-8")
        new = re.sub(r"<(?:\w+:)?sheetView\b[^>]*>", lambda m: _SELECTED.sub("", m.group(0)), xml)
        if entry.part == chosen:

            def select(m: re.Match[str]) -> str:
                tag = _MARK.sub("", m.group(0))
                return re.sub(r"^(<(?:\w+:)?sheetView)\b", r'\1 tabSelected="1"', tag)

            new = re.sub(r"<(?:\w+:)?sheetView\b[^>]*>", select, new, count=1)
        if new != xml:
            edit.parts[entry.part] = new.encode("utf-8")


_TITLES = "_xlnm.Print_Titles"


def _print_titles(book_xml: str, index: int, title: str) -> str:
    """The tab at ``index`` repeating its first row on every printed page."""
    sheet = "'" + title.replace("'", "''") + "'"
    element = (
        f'<definedName name="{_TITLES}" localSheetId="{index}">{escape(sheet)}!$1:$1</definedName>'
    )
    mine = re.compile(
        rf'<(\w+:)?definedName\b(?=[^>]*\bname="{re.escape(_TITLES)}")'
        rf'(?=[^>]*\blocalSheetId="{index}")[^>]*>.*?</\1?definedName>',
        re.S,
    )
    m = mine.search(book_xml)
    if m is not None:
        if m.group(1):
            element = element.replace("<definedName", f"<{m.group(1)}definedName").replace(
                "</definedName", f"</{m.group(1)}definedName"
            )
        return book_xml[: m.start()] + element + book_xml[m.end() :]
    if re.search(r"</(\w+:)?definedNames>", book_xml):
        return _append(book_xml, "definedNames", element)
    prefix = _prefix(book_xml, "sheets")
    if prefix:
        element = element.replace("<definedName", f"<{prefix}definedName").replace(
            "</definedName", f"</{prefix}definedName"
        )
    empty = re.search(r"<(\w+:)?definedNames\s*/>", book_xml)
    if empty is not None:  # <definedNames/>, as openpyxl writes it: there is one list only
        block = f"<{prefix}definedNames>{element}</{prefix}definedNames>"
        return book_xml[: empty.start()] + block + book_xml[empty.end() :]
    after = max(
        m.end()
        for m in re.finditer(
            r"</(?:\w+:)?(?:sheets|functionGroups|externalReferences)>"
            r"|<(?:\w+:)?functionGroups\b[^>]*/>",
            book_xml,
        )
    )
    block = f"<{prefix}definedNames>{element}</{prefix}definedNames>"
    return book_xml[:after] + block + book_xml[after:]


def _hide(book_xml: str, rid: str) -> str:
    """The sheet element with relationship ``rid`` marked hidden."""

    def hide(m: re.Match[str]) -> str:
        tag = re.sub(r'\sstate="[^"]*"', "", m.group(0))
        return re.sub(r"^(<(?:\w+:)?sheet)\b", r'\1 state="hidden"', tag)

    pattern = rf"<(?:\w+:)?sheet\b[^>]*:id={quoteattr(rid)}[^>]*/?>"
    return re.sub(pattern, hide, book_xml, count=1)


def _free_part(book: str, taken: set[str]) -> str:
    folder = posixpath.join(posixpath.dirname(book), "worksheets")
    n = 1
    while posixpath.join(folder, f"sheet{n}.xml") in taken:
        n += 1
    return posixpath.join(folder, f"sheet{n}.xml")


def _free_rid(taken: set[str]) -> str:
    n = len(taken) + 1
    while f"rId{n}" in taken:
        n += 1
    return f"rId{n}"


# --------------------------------------------------------------------------- styles


def _xf(look: Look, *, font: int, xf_attr: str) -> str:
    """The cellXfs entry of ``look``; a bold, date, wrap or top look alone is written as
    earlier versions wrote it, so that a workbook they styled gains no second copy."""
    applies = (' applyNumberFormat="1"' if look.date else "") + (
        ' applyFont="1"' if look.bold else ""
    )
    alignment = ""
    if look.align == "right":
        alignment += ' horizontal="right"'
    elif look.align == "indent":
        alignment += ' horizontal="left" indent="1"'
    if look.wrap or look.top:
        alignment += ' vertical="top"'
    if look.wrap:
        alignment += ' wrapText="1"'
    head = (
        f'<xf numFmtId="{14 if look.date else 0}" fontId="{font if look.bold else 0}"'
        f' fillId="0" borderId="0"{xf_attr}{applies}'
    )
    if not alignment:
        return head + "/>"
    return f'{head} applyAlignment="1"><alignment{alignment}/></xf>'


def _ensure_styles(xml: str, looks: set[Look]) -> tuple[str | None, dict[Look, int]]:
    """styles.xml with a bold font and a cell format per look, appended when missing.

    Returns the new text (None when unchanged) and the cellXfs index of each look
    (``Look()``, unstyled, has none). Nothing existing is changed or reordered.
    """
    fonts = _children(xml, "fonts", "font")
    xfs = _children(xml, "cellXfs", "xf")
    if fonts is None or xfs is None or not fonts[1] or not xfs[1]:
        return None, {}  # a minimal styles part: the owned tabs go unstyled
    changed = False
    wanted = sorted(
        (look for look in looks if look != Look()),
        key=lambda k: (k.date, k.wrap, k.top, k.align or "", not k.bold),
    )
    font_id = 0
    if any(look.bold for look in wanted):
        font0 = fonts[1][0]
        if re.search(r"<(\w+:)?b\b", font0):
            bold = font0  # the default font is bold already
        elif font0.endswith("/>"):
            bold = re.sub(r"^<((?:\w+:)?font)\s*/>$", rf"<\1><{fonts[0]}b/></\1>", font0)
        else:
            bold = re.sub(r"^(<(?:\w+:)?font\b[^>]*>)", rf"\1<{fonts[0]}b/>", font0)
        if bold in fonts[1]:
            font_id = fonts[1].index(bold)
        else:
            xml, font_id, changed = _add_child(xml, "fonts", "font", bold), len(fonts[1]), True
    has_style_xfs = re.search(r"<(\w+:)?cellStyleXfs\b", xml) is not None
    xf_attr = ' xfId="0"' if has_style_xfs else ""
    indexes: dict[Look, int] = {}
    for look in wanted:
        xf = _xf(look, font=font_id, xf_attr=xf_attr)
        current = _children(xml, "cellXfs", "xf")
        assert current is not None
        for tag in ("xf", "alignment"):
            xf = xf.replace(f"<{tag}", f"<{current[0]}{tag}").replace(
                f"</{tag}>", f"</{current[0]}{tag}>"
            )
        if xf in current[1]:
            indexes[look] = current[1].index(xf)
        else:
            xml, changed = _add_child(xml, "cellXfs", "xf", xf), True
            indexes[look] = len(current[1])
    return (xml if changed else None), indexes


def _children(xml: str, container: str, child: str) -> tuple[str, list[str]] | None:
    """The prefix and the child elements, as text, of a container element in ``xml``."""
    m = re.search(rf"<(\w+:)?{container}\b[^>]*?(/>|>(.*?)</\1?{container}>)", xml, re.S)
    if m is None:
        return None
    prefix = m.group(1) or ""
    body = m.group(3) or ""
    items = [
        c.group(0)
        for c in re.finditer(rf"<{prefix}{child}\b[^>]*?(?:/>|>.*?</{prefix}{child}>)", body, re.S)
    ]
    return prefix, items


def _add_child(xml: str, container: str, tag: str, child: str) -> str:
    """``child`` (a ``tag`` element) appended to ``container``, whose count attribute follows."""
    found = _children(xml, container, tag)
    assert found is not None
    count = len(found[1]) + 1
    xml = _append(xml, container, child)

    def recount(m: re.Match[str]) -> str:
        tag = m.group(0)
        if re.search(r'\scount="\d*"', tag):
            return re.sub(r'\scount="\d*"', f' count="{count}"', tag)
        return tag

    return re.sub(rf"<(\w+:)?{container}\b[^>]*>", recount, xml, count=1)


# --------------------------------------------------------------------------- the zip


def _write_zip(data: bytes, infos: Sequence[zipfile.ZipInfo], edit: _Edit) -> bytes:
    out = io.BytesIO()
    central: list[bytes] = []
    done: set[str] = set()

    def add(
        name: str, raw: bytes, crc: int, size: int, method: int, flags: int, when: tuple[int, int]
    ) -> None:
        encoded = name.encode("utf-8")
        flags = (flags & ~_DESCRIPTOR_FLAG) | (_UTF8_FLAG if not name.isascii() else 0)
        offset = out.tell()
        if max(offset, len(raw), size) >= 0xFFFFFFFF:
            raise PackageError("it is larger than 4 GB; keep a plan that big in Google Sheets")
        common = struct.pack("<HHHHHLLL", 20, flags, method, when[1], when[0], crc, len(raw), size)
        out.write(b"PK\x03\x04" + common + struct.pack("<HH", len(encoded), 0) + encoded + raw)
        central.append(
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + common
            + struct.pack("<HHHHHLL", len(encoded), 0, 0, 0, 0, 0, offset)
            + encoded
        )

    def add_new(name: str, content: bytes) -> None:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        raw = packer.compress(content) + packer.flush()
        add(name, raw, zlib.crc32(content), len(content), zipfile.ZIP_DEFLATED, 0, _DOS_EPOCH)

    for info in infos:
        name = info.filename
        if name in done:
            continue
        done.add(name)
        if name in edit.parts:
            content = edit.parts[name]
            if content is not None:
                add_new(name, content)
            continue
        h = info.header_offset
        if data[h : h + 4] != b"PK\x03\x04":
            raise PackageError(f"the zip entry {name} has no local header")
        n, m = struct.unpack("<HH", data[h + 26 : h + 30])
        start = h + 30 + n + m
        raw = data[start : start + info.compress_size]
        y, mo, d, hh, mi, s = info.date_time
        when = ((y - 1980) << 9 | mo << 5 | d, hh << 11 | mi << 5 | s // 2)
        add(name, raw, info.CRC, info.file_size, info.compress_type, info.flag_bits, when)
    for name in edit.added:
        content = edit.parts[name]
        assert content is not None
        add_new(name, content)
    if len(central) >= 0xFFFF:
        raise PackageError("it has more than 65,535 parts; save it again with Excel")
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    count = len(central)
    out.write(
        struct.pack("<4sHHHHLLH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
    )
    return out.getvalue()
