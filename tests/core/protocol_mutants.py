"""Seeded mutants of the bundled protocols, as a hostile user would write them.

Each mutant starts from one bundled protocol and changes one to three things: a key
deleted, a value replaced by one from :data:`HOSTILE_VALUES` (wrong types, extreme and
non-finite numbers, odd Unicode, escapes, very long text), a value given a YAML tag
(``!!int ''`` and friends, whose constructors raise odd exceptions), a list item copied
many times, or a mapping turned into a list. The same seed always gives the same mutants,
so a failure is reproduced by its number. Used by ``tests/core/test_fuzz.py`` and
``benchmarks/fuzz_protocols.py``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HOSTILE_VALUES: tuple[Any, ...] = (
    None, "", " ", 0, -1, 1, 2, 3, 0.5, 10**30, -(10**30), 5.0e-324, 1.0e308, -1.0e308,
    float("nan"), float("inf"), float("-inf"), True, False, [], {}, [1, 2], {"a": 1},
    "\ud800", "a\udfffb", "\x00", "title\x00", "\x1b]0;PWNED\x07\x1b[2J", "\x1b[31mred",
    "\u202eevil", "\r", "line\nbreak", "\t", "\ufeff", "\U0001f600", "x" * 30_000,
    "\u0663m", "\uff11\uff10s", "\u00b2s", "10s\u00a0", "1e3", "nan", "inf", "-5m", "0s",
    "4h1s", "99999h", "0x10", "1_000", "190:20:30", "spine", "lumbar", "both", "tapping",
    "relaxing", "1.0e+308", "5.0e-324", "12.5", ".5m", "2m30s", "1h", "10s", "3", "9999",
)  # fmt: skip

#: (tag, text) of explicitly tagged scalars: PyYAML's constructors raise odd exceptions
#: (IndexError, ValueError...) on several of them.
YAML_TAGS: tuple[tuple[str, str], ...] = (
    ("int", ""), ("float", ""), ("int", "-"), ("float", "-"), ("int", "+"), ("int", "0x"),
    ("int", "0b"), ("int", ":"), ("float", "."), ("float", "nan"), ("float", "x"),
    ("int", "x"), ("bool", "maybe"), ("null", "x"), ("timestamp", "x"),
    ("timestamp", "2024-13-45"), ("binary", "AAAA"), ("str", "10"), ("int", "1_"),
    ("float", "1e9999"), ("int", "9" * 40), ("int", "0o"), ("float", "-.inf"),
    ("python/object:os.system", ""), ("set", ""), ("!local", "x"),
)  # fmt: skip

#: Numbers at the edge of what floats hold, for numeric places (shares, rhythms, durations).
EXTREME_NUMBERS: tuple[str, ...] = (
    "5.0e-324", "1.0e+308", "-1.0e+308", "1.0e+300", "0.0000001", "1e400", ".nan", ".inf",
    "-0.0", "0", "200", "201", "100000000000000000000", "0x7fffffffffffffff", "0b1", "0o17",
    "1_0", "59:59", "12.", "3",
)  # fmt: skip
#: Optional keys that the bundled protocols seldom use, added where a technique is.
OPTIONAL_KEYS = ("share", "spot_limit", "min_repetitions", "cautions", "zones", "rhythm")

Place = tuple[yaml.Node, int]  # a collection node and the index of one of its values


@dataclass(frozen=True)
class Mutant:
    number: int
    base: str  # the bundled protocol's file name
    changes: tuple[str, ...]
    root: yaml.Node
    #: Mutants that go through the whole file path (text -> reader -> composer -> checks);
    #: the others are checked from their node tree, which is what the composer hands on.
    as_text: bool

    @property
    def source(self) -> str:
        return f"mutant-{self.number}-{self.base}"

    @property
    def text(self) -> str:
        return yaml.serialize(self.root, allow_unicode=self.number % 2 == 0)


def _copy(node: yaml.Node) -> yaml.Node:
    """A copy of the tree that shares the (never changed) marks: deepcopy is 20x slower."""
    if isinstance(node, yaml.MappingNode):
        pairs = [(_copy(key), _copy(value)) for key, value in node.value]
        return yaml.MappingNode(node.tag, pairs, node.start_mark, node.end_mark, node.flow_style)
    if isinstance(node, yaml.SequenceNode):
        items = [_copy(item) for item in node.value]
        return yaml.SequenceNode(node.tag, items, node.start_mark, node.end_mark, node.flow_style)
    return yaml.ScalarNode(node.tag, node.value, node.start_mark, node.end_mark, node.style)


def _node_of(value: Any) -> yaml.Node:
    node = yaml.compose(yaml.safe_dump(value, allow_unicode=True))
    assert node is not None
    return node


_HOSTILE_NODES = tuple(_node_of(value) for value in HOSTILE_VALUES)


def _tagged(tag: str, text: str) -> yaml.ScalarNode:
    full = tag if tag.startswith("!") else f"tag:yaml.org,2002:{tag}"
    return yaml.ScalarNode(full, text, style="'")


def _places(node: yaml.Node) -> Iterator[Place]:
    """Every (collection, index) of a value in the tree; mapping values, not keys."""
    if isinstance(node, yaml.MappingNode):
        for index, (_, value) in enumerate(node.value):
            yield node, index
            yield from _places(value)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            yield node, index
            yield from _places(value)


def _get(parent: yaml.Node, index: int) -> yaml.Node:
    item = parent.value[index]
    return item[1] if isinstance(parent, yaml.MappingNode) else item  # type: ignore[no-any-return]


def _put(parent: yaml.Node, index: int, node: yaml.Node) -> None:
    old = _get(parent, index)
    node.start_mark, node.end_mark = old.start_mark, old.end_mark
    if isinstance(parent, yaml.MappingNode):
        parent.value[index] = (parent.value[index][0], node)
    else:
        parent.value[index] = node


def _mutate(root: yaml.Node, rng: random.Random) -> str:
    parent, index = rng.choice(list(_places(root)))
    old = _get(parent, index)
    kinds = ("delete", "value", "value", "value", "tag", "repeat", "shape", "number", "add")
    kind = rng.choice(kinds)
    where = f"line {old.start_mark.line + 1}"
    if kind == "delete":
        del parent.value[index]
    elif kind == "value":
        _put(parent, index, _copy(rng.choice(_HOSTILE_NODES)))
    elif kind == "number":
        numeric = [
            (p, i)
            for p, i in _places(root)
            if isinstance(_get(p, i), yaml.ScalarNode) and _get(p, i).value[:1].isdigit()
        ]
        parent, index = rng.choice(numeric) if numeric else (parent, index)
        where = f"line {_get(parent, index).start_mark.line + 1}"
        plain = yaml.compose(rng.choice(EXTREME_NUMBERS))
        assert plain is not None
        _put(parent, index, plain)
    elif kind == "add":
        techniques = [
            node
            for p, i in _places(root)
            if isinstance(node := _get(p, i), yaml.MappingNode)
            and any(k.value in ("how", "use") for k, _ in node.value)
        ]
        target = rng.choice(techniques) if techniques else root
        key = yaml.ScalarNode("tag:yaml.org,2002:str", rng.choice(OPTIONAL_KEYS))
        pool = EXTREME_NUMBERS if rng.random() < 0.6 else None
        value = yaml.compose(rng.choice(pool)) if pool else _copy(rng.choice(_HOSTILE_NODES))
        assert value is not None
        key.start_mark = key.end_mark = value.start_mark = value.end_mark = target.end_mark
        target.value = [(k, v) for k, v in target.value if k.value != key.value] + [(key, value)]
        where = f"line {target.start_mark.line + 1} ({key.value})"
    elif kind == "tag":
        _put(parent, index, _tagged(*rng.choice(YAML_TAGS)))
    elif kind == "repeat" and isinstance(parent, yaml.SequenceNode):
        parent.value[index:index] = [_copy(old) for _ in range(rng.choice((1, 5, 40)))]
    elif isinstance(old, yaml.MappingNode):
        _put(parent, index, yaml.SequenceNode("tag:yaml.org,2002:seq", [v for _, v in old.value]))
    elif isinstance(old, yaml.SequenceNode):
        keys = [
            yaml.ScalarNode("tag:yaml.org,2002:str", f"k{i}", v.start_mark, v.end_mark)
            for i, v in enumerate(old.value)
        ]
        _put(
            parent,
            index,
            yaml.MappingNode("tag:yaml.org,2002:map", list(zip(keys, old.value, strict=True))),
        )
    else:
        _put(parent, index, yaml.SequenceNode("tag:yaml.org,2002:seq", [_copy(old)]))
    return f"{kind} at {where}"


def mutants(
    protocols_dir: Path, count: int, seed: int = 10, text_every: int = 16
) -> Iterator[Mutant]:
    """``count`` mutants; every ``text_every``-th one is also written out as YAML text."""
    from backbeat.core.yaml_nodes import compose, read_text

    rng = random.Random(seed)
    bases = sorted(protocols_dir.glob("*.yaml"))
    trees = {path.name: compose(read_text(path), path.name) for path in bases}
    for number in range(count):
        base = bases[number % len(bases)].name
        root = _copy(trees[base])
        changes = tuple(_mutate(root, rng) for _ in range(rng.choice((1, 1, 1, 2, 3))))
        yield Mutant(number, base, changes, root, as_text=number % text_every == 0)


def check_printable(text: str, where: str) -> None:
    """What would reach a terminal or a speech engine: no control characters, surrogates."""
    for char in text:
        code = ord(char)
        bad = (code < 0x20 and char != "\n") or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000
        assert not bad, f"{where}: {char!r} in {text[:80]!r}"


def exercise(mutant: Mutant) -> str:
    """Everything a user could do with the mutant; "refused" or "planned".

    Raises whatever escapes (an exception other than ProtocolError, or an AssertionError
    for a broken rule), so the caller sees the traceback of the first thing that broke.
    """
    import json

    from backbeat.audio.clicks import ClickBank
    from backbeat.audio.mixer import SoundSettings, render_window
    from backbeat.audio.tts import to_int16
    from backbeat.cli.tables import render_plan
    from backbeat.core.model import Mode
    from backbeat.core.plan import build_plan
    from backbeat.core.protocol_io import ProtocolError, parse_protocol
    from backbeat.core.validation import protocol_from_node
    from backbeat.core.yaml_nodes import check_nodes
    from backbeat.core.zones import SPINE

    try:
        if mutant.as_text:
            protocol = parse_protocol(mutant.text, mutant.source)
        else:
            check_nodes(mutant.root, mutant.source)
            protocol = protocol_from_node(mutant.root, mutant.source)
    except ProtocolError as error:
        assert error.problems, "a ProtocolError with no problem in it"
        for problem in error.problems:
            assert problem.path == mutant.source, f"message names {problem.path!r}"
            assert problem.line >= 1 and problem.column >= 1
            assert problem.message.strip()
            check_printable(str(problem), "message")
        return "refused"
    settings = SoundSettings(voice_on=False)
    for mode in Mode:
        plan = build_plan(protocol, mode)
        assert plan.steps[0].start == 0.0
        for step, following in zip(plan.steps, plan.steps[1:], strict=False):
            assert step.end == following.start, "steps are not contiguous"
        for step in plan.steps:
            assert 0 <= step.start < step.end < float("inf"), (step.start, step.end)
            movements = step.duration * step.rhythm / 60.0
            assert movements >= max(3, step.technique.min_repetitions) - 1e-9
            assert SPINE not in {zone.value for zone in step.zones}
        for cue in plan.cues:
            assert 0 <= cue.time <= plan.total + 1e-6, cue
            check_printable(cue.text, "cue")
        json.loads(json.dumps(plan.to_json(), allow_nan=False))
        check_printable(render_plan(plan), "plan table")
    bank = ClickBank(settings.click_sound, 44100)
    count = min(60 * 44100, round(plan.total * 44100))
    samples = to_int16(render_window(plan, 0, count, settings, [], bank))
    assert len(samples) == count
    return "planned"
