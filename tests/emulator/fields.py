"""Google field masks (``fields=sheets(properties(title),data/rowData)``) applied to a JSON response."""

from __future__ import annotations

from typing import Any

Mask = dict[str, "Mask"]  # an empty dict selects the whole value


def parse_mask(text: str) -> Mask:
    """``a,b(c,d/e),f/g`` -> {'a': {}, 'b': {'c': {}, 'd': {'e': {}}}, 'f': {'g': {}}}."""
    mask, rest = _parse(text.replace(" ", ""), 0)
    if rest != len(text.replace(" ", "")):
        raise ValueError(f"unbalanced field mask: {text}")
    return mask


def _parse(text: str, pos: int) -> tuple[Mask, int]:
    mask: Mask = {}
    while pos < len(text) and text[pos] != ")":
        start = pos
        while pos < len(text) and text[pos] not in ",()":
            pos += 1
        path = text[start:pos].replace(".", "/").split("/")  # both separators are accepted
        node = mask
        for part in path[:-1]:
            node = node.setdefault(part, {})
        leaf = node.setdefault(path[-1], {})
        if pos < len(text) and text[pos] == "(":
            sub, pos = _parse(text, pos + 1)
            _merge(leaf, sub)
            pos += 1  # the closing ")"
        if pos < len(text) and text[pos] == ",":
            pos += 1
    return mask, pos


def _merge(into: Mask, other: Mask) -> None:
    for key, sub in other.items():
        _merge(into.setdefault(key, {}), sub)


def apply_mask(value: Any, mask: str | Mask) -> Any:
    """Keep only the masked fields; lists are filtered element by element."""
    tree = parse_mask(mask) if isinstance(mask, str) else mask
    if not tree:
        return value
    if isinstance(value, list):
        return [apply_mask(v, tree) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, sub in tree.items():
        if key == "*":
            return value
        if key in value:
            kept = apply_mask(value[key], sub)
            if kept != {} or value[key] == {}:
                out[key] = kept
    return out
