"""Reading a protocol file into a YAML node tree, safely, whatever the file holds.

Validation works on nodes rather than on Python objects because every node keeps the
line and column it came from. Nothing here ever builds an arbitrary Python object:
files are composed (not constructed) with PyYAML's safe loader, and every tag outside
plain text, numbers, lists and mappings is refused.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from backbeat.core.protocol_errors import ProblemLog, ProtocolError

#: Protocols are a few kilobytes; anything much bigger is not a protocol.
MAX_FILE_BYTES = 1024 * 1024
#: Nodes visited with aliases expanded; stops "billion laughs" alias bombs.
MAX_NODES = 50_000
#: Lists and mappings nested deeper than this are refused before they exhaust the stack.
MAX_DEPTH = 50

YAML_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (YAML_TAG + name for name in ("str", "int", "float", "bool", "null"))
SEQ, MAP, TIMESTAMP, MERGE = (YAML_TAG + name for name in ("seq", "map", "timestamp", "merge"))
_ALLOWED_TAGS = frozenset({STR, INT, FLOAT, BOOL, NULL, SEQ, MAP, TIMESTAMP})


class _DepthLimitedLoader(yaml.SafeLoader):
    """The pure-Python safe loader, refusing files too deep or with too many values.

    The composer is recursive, so a file of ten thousand ``[`` would otherwise end in a
    RecursionError; stopping early gives a message with a position instead. Counting
    values as they are read stops a megabyte of tiny list items within a second.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_DEPTH or self._nodes > MAX_NODES:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                too_many = f"the file holds more than {MAX_NODES} values; a protocol is far smaller"
                too_deep = f"lists and mappings are nested more than {MAX_DEPTH} levels deep"
                raise yaml.MarkedYAMLError(
                    problem=too_deep if self._depth > MAX_DEPTH else too_many,
                    problem_mark=event.start_mark,
                )
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1


def read_text(path: str | os.PathLike[str]) -> str:
    """The file's text, or a ProtocolError saying plainly why it cannot be read."""
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ProtocolError.single(name, "no such file") from None
    except OSError as error:
        raise ProtocolError.single(name, f"cannot read the file: {error.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ProtocolError.single(name, "this is a folder, not a protocol file")
    if not stat.S_ISREG(info.st_mode):
        raise ProtocolError.single(name, "this is not a regular file")
    limit = _size_limit_text()
    if info.st_size > MAX_FILE_BYTES:
        raise ProtocolError.single(name, f"the file is too big for a protocol ({limit})")
    try:
        with Path(path).open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)  # never more, even if the file grew
    except OSError as error:
        raise ProtocolError.single(name, f"cannot read the file: {error.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ProtocolError.single(name, f"the file is too big for a protocol ({limit})")
    return decode_text(data, name)


def _size_limit_text() -> str:
    return f"a protocol file may be at most {MAX_FILE_BYTES // 1024} KiB"


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text from bytes; binary data or another encoding gets a clear message."""
    if b"\0" in data:
        line, column = _position_of_byte(data, data.index(b"\0"))
        raise ProtocolError.single(
            name, "this is binary data, not a protocol (a YAML text file)", line, column
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _position_of_byte(data, error.start)
        raise ProtocolError.single(
            name,
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read); "
            "save it as UTF-8",
            line,
            column,
        ) from None


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return before.count(b"\n") + 1, column


def compose(text: str, source: str) -> yaml.Node:
    """The single YAML document in ``text`` as a node tree, checked for size and tags."""
    if len(text.encode("utf-8", errors="replace")) > MAX_FILE_BYTES:
        raise ProtocolError.single(
            source, f"the text is too big for a protocol ({_size_limit_text()})"
        )
    try:
        root = yaml.compose(text, Loader=_DepthLimitedLoader)
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, source) from None
    except yaml.reader.ReaderError as error:
        line, column = _position_of_char(text, error.position)
        code = error.character if isinstance(error.character, int) else ord(error.character)
        raise ProtocolError.single(
            source,
            f"the control character U+{code:04X} is not allowed in a YAML file; remove it",
            line,
            column,
        ) from None
    except (yaml.YAMLError, RecursionError) as error:
        raise ProtocolError.single(source, f"not valid YAML: {error}") from None
    if root is None:
        raise ProtocolError.single(
            source,
            "the file is empty: a protocol needs id, title, description, default_mode and blocks",
        )
    check_nodes(root, source)
    return root


def _syntax_error(error: yaml.MarkedYAMLError, source: str) -> ProtocolError:
    mark = error.problem_mark or error.context_mark
    what = error.problem or "syntax error"
    if error.context:
        what += f" ({error.context})"
    if "'\\t'" in what:
        what += "; indent with spaces, not tabs"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return ProtocolError.single(source, f"not valid YAML: {what}", line, column)


def _position_of_char(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def check_nodes(root: yaml.Node, source: str) -> None:
    """Walk the tree with aliases expanded: refuse alias bombs and tags that build objects.

    Aliases make the node tree a graph, so a small file can stand for billions of
    nodes (or loop back on itself). Counting visits bounds all later walks.
    """
    problems = ProblemLog(source)
    reported: set[int] = set()
    pending: list[yaml.Node] = [root]
    visited = 0
    while pending:
        node = pending.pop()
        visited += 1
        if visited > MAX_NODES:
            raise ProtocolError.single(
                source,
                f"the file expands to more than {MAX_NODES} values (too many aliases, "
                "or an alias that refers to itself); a protocol is far smaller",
            )
        if node.tag not in _ALLOWED_TAGS and id(node) not in reported:
            reported.add(id(node))
            problems.add(node, _tag_message(node.tag))
        if isinstance(node, yaml.SequenceNode):
            pending.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                pending.extend((value, key))
    if problems:
        raise problems.error()


def _tag_message(tag: str) -> str:
    if tag == MERGE:
        return (
            "merge keys (<<) are not supported: put shared techniques under 'techniques:' "
            "and reuse them with 'use:'"
        )
    short = "!!" + tag.removeprefix(YAML_TAG) if tag.startswith(YAML_TAG) else tag
    return (
        f"the tag {short} is not allowed: a protocol holds only text, numbers, lists and mappings"
    )


def describe(node: yaml.Node) -> str:
    """What kind of value a node holds, in words, for 'expected X, got Y' messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kinds = {
        STR: "text",
        INT: "a whole number",
        FLOAT: "a number",
        BOOL: "true/false",
        NULL: "nothing",
        TIMESTAMP: "a date",
    }
    kind = kinds.get(node.tag, "a value")
    value = str(node.value)
    shown = value if len(value) <= 40 else value[:37] + "..."
    return kind if node.tag == NULL else f"{kind} ({shown!r})"
