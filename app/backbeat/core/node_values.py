"""Typed values read from YAML nodes; every mistake is logged at the node it is on."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TypeVar

import yaml

from backbeat.core.durations import DURATION_HELP, DurationError, parse_duration
from backbeat.core.protocol_errors import ProblemLog
from backbeat.core.yaml_nodes import FLOAT, INT, NULL, describe

_ID = re.compile(r"[a-z0-9-]+")
_numbers = yaml.constructor.SafeConstructor()
#: Digits only: int() refuses more than 4,300 of them with a ValueError, which is "too big".
_DIGITS = re.compile(r"[-+]?[0-9_]+", re.ASCII)
#: A plain number of seconds: ASCII digits, with a decimal point at most (no 0x10, 1_000,
#: 1e3 or 59:59, which YAML 1.1 also reads as numbers).
_PLAIN_SECONDS = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)

#: The longest text each kind of field may hold, in characters (docs/protocol-format.md).
#: Every one of them is shown or spoken: a caution of 27,000 characters would talk for
#: half an hour over its technique.
MAX_NAME_LENGTH = 64  # ids, zones, choices, 'use:'
MAX_TITLE_LENGTH = 80
MAX_HOW_LENGTH = 200
MAX_CAUTION_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 1000

#: Characters that change how a terminal or a text view behaves instead of showing:
#: bidirectional overrides and isolates (they reorder what is printed after them) and
#: the Unicode line and paragraph separators. Control characters and lone surrogates
#: are found by their category.
_INVISIBLE_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
)

EnumT = TypeVar("EnumT", bound=StrEnum)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` did you mean 'x'?`` when a choice is close to ``word``, else an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" did you mean {close[0]!r}?" if close else ""


def position(node: yaml.Node) -> str:
    return f"line {node.start_mark.line + 1}"


class Fields:
    """A mapping node's entries by key; unknown, duplicate and non-text keys are logged."""

    def __init__(
        self, node: yaml.MappingNode, allowed: Sequence[str], what: str, log: ProblemLog
    ) -> None:
        self.node = node
        self.what = what
        self._log = log
        self._entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in entries(node, what, log):
            name = key.value
            if name not in allowed:
                log.add(
                    key,
                    f"unknown key {name!r} in {what};{did_you_mean(name, allowed)} "
                    f"allowed keys: {', '.join(allowed)}",
                )
            else:
                self._entries[name] = (key, value)

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def names(self) -> list[str]:
        return list(self._entries)

    def value(self, name: str) -> yaml.Node | None:
        entry = self._entries.get(name)
        return entry[1] if entry else None

    def key(self, name: str) -> yaml.Node | None:
        entry = self._entries.get(name)
        return entry[0] if entry else None

    def require(self, names: Sequence[str]) -> bool:
        """Log each missing key at the mapping's start; True when none is missing."""
        missing = [name for name in names if name not in self._entries]
        for name in missing:
            self._log.add(self.node, f"{self.what} is missing the required key {name!r}")
        return not missing


def entries(
    node: yaml.MappingNode, what: str, log: ProblemLog
) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    """A mapping's (key, value) pairs with text keys, each key once; the rest is logged."""
    seen: dict[str, yaml.Node] = {}
    result: list[tuple[yaml.ScalarNode, yaml.Node]] = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == NULL:
            log.add(key, f"keys in {what} must be names, got {describe(key)}")
        elif key.value in seen:
            log.add(
                key,
                f"duplicate key {key.value!r} in {what} (already given on "
                f"{position(seen[key.value])}); give each key once",
            )
        else:
            seen[key.value] = key
            result.append((key, value))
    return result


def mapping(node: yaml.Node, what: str, log: ProblemLog) -> yaml.MappingNode | None:
    if isinstance(node, yaml.MappingNode):
        return node
    log.add(node, f"{what} must be a mapping of keys and values, got {describe(node)}")
    return None


def sequence(node: yaml.Node, what: str, log: ProblemLog) -> yaml.SequenceNode | None:
    if isinstance(node, yaml.SequenceNode):
        return node
    log.add(node, f"{what} must be a list (one '- item' per line, or [a, b]), got {describe(node)}")
    return None


def text(
    node: yaml.Node,
    what: str,
    log: ProblemLog,
    max_length: int = MAX_NAME_LENGTH,
    *,
    multiline: bool = False,
) -> str | None:
    """Any non-empty scalar, as written (so a title may well be ``2024`` or ``yes``), at
    most ``max_length`` characters, printable, on one line unless ``multiline``."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL:
        log.add(node, f"{what} must be text, got {describe(node)}")
        return None
    value = str(node.value).strip()
    if not value:
        log.add(node, f"{what} must not be empty")
        return None
    bad = unprintable(value, multiline=multiline)
    if bad is not None:
        index, char = bad
        if char == "\n":
            log.add(node, f"{what} must be on one line; remove the line break")
        else:
            log.add(
                node,
                f"{what} holds {_char_name(char)} (character {index + 1}), which cannot be "
                "shown or spoken; remove it",
            )
        return None
    if len(value) > max_length:
        log.add(
            node,
            f"{what} is {len(value)} characters long; it may be at most {max_length} "
            "(it is shown and spoken): shorten it",
        )
        return None
    return value


def unprintable(value: str, *, multiline: bool) -> tuple[int, str] | None:
    """The first character of ``value`` that must not be shown or spoken, with its index:
    control characters (line breaks only where ``multiline``), lone surrogates (they
    cannot even be written as UTF-8) and the invisible layout controls."""
    for index, char in enumerate(value):
        if char == "\n" and multiline:
            continue
        if char in _INVISIBLE_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            return index, char
    return None


def _char_name(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code < 0xE000:
        return f"a lone surrogate U+{code:04X} (not a real character)"
    if char == "\0":
        return "a NUL character U+0000"
    name = unicodedata.name(char, "")
    return f"the control character U+{code:04X}" + (f" ({name.lower()})" if name else "")


def identifier(node: yaml.Node, what: str, log: ProblemLog) -> str | None:
    value = text(node, what, log)
    if value is not None and not _ID.fullmatch(value):
        log.add(
            node,
            f"{what} {value!r} may only use lowercase letters, digits and hyphens "
            "(for example 'planar-stroking')",
        )
        return None
    return value


def choice(node: yaml.Node, kind: type[EnumT], what: str, log: ProblemLog) -> EnumT | None:
    allowed = [member.value for member in kind]
    value = text(node, what, log)
    if value is None:
        return None
    if value not in allowed:
        log.add(
            node,
            f"unknown {what} {value!r};{did_you_mean(value, allowed)} "
            f"allowed: {', '.join(allowed)}",
        )
        return None
    return kind(value)


def number(node: yaml.Node, what: str, log: ProblemLog) -> float | None:
    """A finite int or float scalar; anything else is logged."""
    if isinstance(node, yaml.ScalarNode) and node.tag in (INT, FLOAT):
        try:
            if node.tag == INT:
                return float(_numbers.construct_yaml_int(node))
            value = float(_numbers.construct_yaml_float(node))
        except (ArithmeticError, LookupError, TypeError, ValueError) as error:
            # int() refuses more than 4,300 digits with a ValueError: that is "too big".
            # PyYAML's constructors assume the resolver's patterns: an explicit tag such
            # as ``!!int ''`` or ``!!float '-'`` reaches them with text they index blindly.
            too_big = isinstance(error, OverflowError) or bool(_DIGITS.fullmatch(node.value))
            log.add(
                node,
                f"{what} is too big a number"
                if too_big
                else f"{what} must be a number, got {describe(node)}",
            )
            return None
        if math.isfinite(value):
            return value
        log.add(node, f"{what} must be a finite number, got {node.value!r}")
        return None
    log.add(node, f"{what} must be a number, got {describe(node)}")
    return None


def whole_number(node: yaml.Node, what: str, log: ProblemLog, low: int, high: int) -> int | None:
    """An integer in ``low..high``; the message says the allowed range."""
    allowed = f"from {low} to {high}"
    if isinstance(node, yaml.ScalarNode) and node.tag == FLOAT:
        log.add(node, f"{what} must be a whole number ({allowed}), got {node.value!r}")
        return None
    value = number(node, what, log)
    if value is None:
        return None
    if not value.is_integer():
        log.add(node, f"{what} must be a whole number ({allowed}), got {node.value!r}")
        return None
    if not low <= value <= high:
        shown = f"{value:.0f}" if abs(value) < 1e15 else f"{value:.3g}"
        log.add(node, f"{what} must be {allowed}, got {shown}")
        return None
    return int(value)


def duration(node: yaml.Node, what: str, log: ProblemLog) -> float | None:
    """Seconds from ``90s``/``4m``/``2m30s`` or a plain number of seconds."""
    if isinstance(node, yaml.ScalarNode) and node.tag in (INT, FLOAT):
        if not _PLAIN_SECONDS.fullmatch(str(node.value).strip()):
            log.add(
                node,
                f"{what} must be {DURATION_HELP}, written with the digits 0-9; "
                f"got {describe(node)}",
            )
            return None
        raw: str | float | None = number(node, what, log)
        if raw is None:
            return None
    elif isinstance(node, yaml.ScalarNode) and node.tag != NULL:
        raw = str(node.value)
    else:
        log.add(node, f"{what} must be a duration such as 90s, 4m or 2m30s, got {describe(node)}")
        return None
    try:
        return parse_duration(raw)
    except DurationError as error:
        log.add(node, f"{what}: {error}")
        return None
