"""The .xlsx package: replace the owned tabs' parts, copy every other part byte for byte.

An .xlsx file is a zip of XML parts. A write puts new worksheet parts in
place of the owned tabs' and edits, as text, the few parts that list the
sheets: the workbook, its relationships and the content types; styles.xml
gains, the first time, a bold font and the cell formats the owned tabs use
(bold, dates, wrapped text), appended after the existing entries so that
every index a person's cell uses points where it did.
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import quoteattr

from sync.backends.xlsx.sheet import Dropdown, Styles, sheet_xml
from sync.core import Grid, Wrap

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
    first: bool = False  # a new tab goes first (the Weekly Summary), not last


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


def rebuild(data: bytes, tabs: Mapping[str, OwnedTab]) -> bytes:
    """The package ``data`` with each owned tab (title -> tab) rewritten or added."""
    try:
        return _rebuild(data, tabs)
    except PackageError:
        raise
    except _BROKEN as exc:
        raise _broken(exc) from exc


def _broken(exc: Exception) -> PackageError:
    return PackageError(f"its structure is not a workbook's ({type(exc).__name__}: {exc})")


def _rebuild(data: bytes, tabs: Mapping[str, OwnedTab]) -> bytes:
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
        styles = Styles()
        if styles_part is not None and styles_part in names:
            needs_date = any(_has_date(t.grid) for t in tabs.values())
            needs_wrap = any(isinstance(c, Wrap) for t in tabs.values() for r in t.grid for c in r)
            new_styles, styles = _ensure_styles(
                zf.read(styles_part).decode("utf-8"), needs_date, needs_wrap=needs_wrap
            )
            if new_styles is not None:
                edit.parts[styles_part] = new_styles.encode("utf-8")
        by_name = {e.name.casefold(): e for e in entries}  # Excel's tab names ignore case
        owned_ids: set[int] = set()
        next_sheet_id = max((e.sheet_id for e in entries), default=0) + 1
        taken_parts = set(names)
        taken_rids = set(rels)
        for title, tab in tabs.items():
            xml = sheet_xml(tab.grid, styles=styles, dropdowns=tab.dropdowns)
            entry = by_name.get(title.casefold())
            if entry is not None and entry.part not in names:
                raise PackageError(f"its tab {entry.name!r} names a part that is not in the file")
            if entry is not None:
                owned_ids.add(entry.sheet_id)
                edit.parts[entry.part] = xml
                if _rels_name(entry.part) in names:
                    edit.parts[_rels_name(entry.part)] = None  # its old drawings, links: not ours
                if tab.hidden and not entry.hidden:
                    book_xml = _hide(book_xml, entry.rel_id)
                continue
            part = _free_part(book, taken_parts)
            rid = _free_rid(taken_rids)
            taken_parts.add(part)
            taken_rids.add(rid)
            edit.parts[part] = xml
            edit.added.append(part)
            book_xml = _add_sheet(
                book_xml, title, next_sheet_id, rid, hidden=tab.hidden, first=tab.first
            )
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


def _has_date(grid: Grid) -> bool:
    return any(isinstance(v, date) for row in grid for v in row)


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
    book_xml: str, title: str, sheet_id: int, rid: str, *, hidden: bool, first: bool = False
) -> str:
    m = re.search(rf'xmlns:(\w+)="{re.escape(_DOC_REL)}"', book_xml)
    if m is not None:
        rel = f"{m.group(1)}:id={quoteattr(rid)}"
    else:
        rel = f'xmlns:fsr="{_DOC_REL}" fsr:id={quoteattr(rid)}'
    state = ' state="hidden"' if hidden else ""
    element = f'<sheet name={quoteattr(title)} sheetId="{sheet_id}"{state} {rel}/>'
    if not first:
        return _append(book_xml, "sheets", element)
    return _prepend_sheet(book_xml, element)


def _prepend_sheet(book_xml: str, element: str) -> str:
    """``element`` as the first sheet; what names a sheet by position follows its sheet.

    A defined name's ``localSheetId`` and the view's ``activeTab`` and ``firstSheet``
    count sheets by position, so each moves up by one and still means the same tab.
    """
    prefix = _prefix(book_xml, "sheets")
    if prefix and not re.match(r"<\w+:", element):
        element = "<" + prefix + element[1:]
    opening = re.search(rf"<{prefix}sheets\b[^>]*>", book_xml)
    if opening is None or opening.group(0).endswith("/>"):
        return _append(book_xml, "sheets", element)
    at = opening.end()
    book_xml = book_xml[:at] + element + book_xml[at:]

    def shift(m: re.Match[str]) -> str:
        return f'{m.group(1)}="{int(m.group(2)) + 1}"'

    return re.sub(r'\b(localSheetId|activeTab|firstSheet)="(\d+)"', shift, book_xml)


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


_BOLD_XF = '<xf numFmtId="0" fontId="{font}" fillId="0" borderId="0"{xf} applyFont="1"/>'
_DATE_XF = '<xf numFmtId="14" fontId="0" fillId="0" borderId="0"{xf} applyNumberFormat="1"/>'
_WRAP_XF = (
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"{xf} applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
)
_TOP_XF = (
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"{xf} applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
)


def _ensure_styles(
    xml: str, needs_date: bool, *, needs_wrap: bool = False
) -> tuple[str | None, Styles]:
    """styles.xml with a bold header format (a date format, wrapped text), appended when missing.

    Returns the new text (None when unchanged) and the cellXfs indexes to use.
    Nothing existing is changed or reordered.
    """
    fonts = _children(xml, "fonts", "font")
    xfs = _children(xml, "cellXfs", "xf")
    if fonts is None or xfs is None or not fonts[1] or not xfs[1]:
        return None, Styles()  # a minimal styles part: the owned tabs go unstyled
    changed = False
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
        xfs = _children(xml, "cellXfs", "xf")
        assert xfs is not None
    has_style_xfs = re.search(r"<(\w+:)?cellStyleXfs\b", xml) is not None
    xf_attr = ' xfId="0"' if has_style_xfs else ""
    wanted = [_BOLD_XF.format(font=font_id, xf=xf_attr)]
    if needs_date:
        wanted.append(_DATE_XF.format(xf=xf_attr))
    if needs_wrap:
        wanted += [_WRAP_XF.format(xf=xf_attr), _TOP_XF.format(xf=xf_attr)]
    indexes = []
    for xf in wanted:
        current = _children(xml, "cellXfs", "xf")
        assert current is not None
        for tag in ("xf", "alignment"):
            xf = xf.replace(f"<{tag}", f"<{current[0]}{tag}").replace(
                f"</{tag}>", f"</{current[0]}{tag}>"
            )
        if xf in current[1]:
            indexes.append(current[1].index(xf))
        else:
            xml, changed = _add_child(xml, "cellXfs", "xf", xf), True
            indexes.append(len(current[1]))
    wrap = indexes[-2:] if needs_wrap else [None, None]
    styles = Styles(
        header=indexes[0], date=indexes[1] if needs_date else None, wrap=wrap[0], top=wrap[1]
    )
    return (xml if changed else None), styles


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
