"""Reading input files the user gives: UTF-8 text and YAML, with messages that name the place.

Every problem is a :class:`~algoattr.errors.DataError` whose message starts with the file (and
line where there is one), e.g.::

    scenario.yaml: not UTF-8 text (byte 0xff at offset 3)
    scenario.yaml: line 4, column 9: not valid YAML (mapping values are not allowed here)
    benchmarks.yaml: line 12: unknown key 'aliasses' (did you mean 'aliases'?)

A UTF-8 byte-order mark (as spreadsheets write it) is accepted and dropped.
"""

from __future__ import annotations

import codecs
import difflib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from algoattr.errors import DataError

__all__ = [
    "YamlDocument",
    "close_matches",
    "decode_utf8",
    "did_you_mean",
    "raise_all",
    "read_text",
    "read_yaml",
    "unknown_keys",
]

KeyPath = tuple[Any, ...]


def decode_utf8(data: bytes, label: str | Path) -> str:
    """Decode ``data`` as UTF-8, dropping a byte-order mark.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    label : str or pathlib.Path
        How messages name the file.

    Returns
    -------
    str

    Raises
    ------
    DataError
        ``FILE: not UTF-8 text (byte 0xff at offset 3)`` for bytes that are not UTF-8, and
        ``FILE: binary file (NUL byte at offset N)`` for text with NUL bytes.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{label}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        raise DataError(f"{label}: binary file, not text (NUL byte at offset {nul})")
    return text


def read_text(path: str | Path, label: str | Path | None = None) -> str:
    """Read a UTF-8 text file (see :func:`decode_utf8`); missing or unreadable is a DataError."""
    p = Path(path)
    shown = p if label is None else label
    if p.is_dir():
        raise DataError(f"{shown}: is a folder, expected a file")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{shown}: no such file") from None
    except OSError as exc:
        raise DataError(f"{shown}: cannot read ({exc.strerror})") from None
    return decode_utf8(data, shown)


@dataclass
class YamlDocument:
    """A parsed YAML file with the line of every key and item, for messages.

    Attributes
    ----------
    label : str
        How messages name the file.
    data : object
        The parsed document (``None`` for an empty file).
    lines : dict
        Path (tuple of keys and indices) → 1-based line where that value starts.
    """

    label: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def where(self, path: KeyPath = ()) -> str:
        """``FILE: line N`` of ``path`` (the nearest enclosing value with a known line)."""
        p = tuple(path)
        while p and p not in self.lines:
            p = p[:-1]
        line = self.lines.get(p)
        return self.label if line is None else f"{self.label}: line {line}"

    def error(self, path: KeyPath, message: str) -> DataError:
        """A :class:`DataError` for ``message`` at ``path``."""
        return DataError(f"{self.where(path)}: {message}")


def _record_lines(node: yaml.Node | None, path: KeyPath, out: dict[KeyPath, int]) -> None:
    if node is None:
        return
    if path:  # the document itself has no line worth naming
        out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value if isinstance(key, yaml.ScalarNode) else None
            out[(*path, k)] = key.start_mark.line + 1
            _record_lines(value, (*path, k), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _record_lines(item, (*path, i), out)


def read_yaml(path: str | Path, label: str | Path | None = None) -> YamlDocument:
    """Read a YAML file safely, keeping the line of every value.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    label : str or pathlib.Path, optional
        How messages name the file (default: ``path`` as given).

    Returns
    -------
    YamlDocument

    Raises
    ------
    DataError
        For a missing, unreadable or non-UTF-8 file, or YAML that does not parse (with its
        line and column).
    """
    shown = str(path if label is None else label)
    text = read_text(path, shown)
    try:
        data = yaml.safe_load(text)
        lines: dict[KeyPath, int] = {}
        _record_lines(yaml.compose(text), (), lines)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = "" if mark is None else f": line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError(f"{shown}{where}: not valid YAML ({problem})") from None
    return YamlDocument(shown, data, lines)


def close_matches(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` of ``candidates`` that look like ``name`` (case-insensitive)."""
    pool = {str(c).lower(): str(c) for c in candidates}
    hits = difflib.get_close_matches(str(name).lower(), list(pool), n=n, cutoff=0.6)
    return [pool[h] for h in hits]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the close matches of ``name``, or ``""``."""
    hits = close_matches(name, candidates)
    if not hits:
        return ""
    return " (did you mean " + " or ".join(repr(h) for h in hits) + "?)"


def unknown_keys(
    doc: YamlDocument,
    mapping: Mapping[Any, Any],
    allowed: Collection[str],
    path: KeyPath = (),
    *,
    label: str = "",
) -> list[DataError]:
    """One error per key of ``mapping`` (at ``path`` in ``doc``) that is not in ``allowed``.

    ``label`` (e.g. ``"factor 'x'"``) is put before the message when given.
    """
    prefix = f"{label}: " if label else ""
    return [
        doc.error(
            (*path, key),
            f"{prefix}unknown key {key!r}{did_you_mean(str(key), allowed)}; "
            f"allowed: {', '.join(sorted(allowed))}",
        )
        for key in mapping
        if key not in allowed
    ]


def raise_all(problems: list[DataError]) -> None:
    """Raise nothing for no problems, the problem itself for one, all of them for several."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise DataError(f"{len(problems)} problems:\n" + "\n".join(str(p) for p in problems))
