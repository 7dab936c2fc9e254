"""A YAML node tree checked and turned into a :class:`Protocol`, every problem at once.

The format is described in ``docs/protocol-format.md``. Checks run on nodes, not on
Python objects, so each problem points at the line and column of the offending key or
value. A problem in one part never stops the rest being checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

import yaml

from backbeat.core import node_values as values
from backbeat.core.durations import MAX_DURATION_SECONDS, format_at_least, format_duration
from backbeat.core.model import Block, Mode, Protocol, Technique
from backbeat.core.protocol_errors import ProblemLog
from backbeat.core.technique_fields import (
    FIELD_HELP,
    LIBRARY_KEYS,
    TECHNIQUE_KEYS,
    USE_KEYS,
    TechniqueDraft,
    read_draft,
    read_zones,
)

PROTOCOL_KEYS = ("id", "title", "description", "default_mode", "techniques", "blocks")
PROTOCOL_REQUIRED = ("id", "title", "description", "default_mode", "blocks")
BLOCK_KEYS = ("id", "title", "duration", "zones", "techniques")
BLOCK_REQUIRED = ("id", "title", "duration", "techniques")

Library = dict[str, TechniqueDraft]
T = TypeVar("T")


@dataclass(frozen=True)
class _Entry:
    """A technique built from one entry of a block, with where it was written."""

    technique: Technique
    node: yaml.Node  # the entry's mapping: its first key
    id_node: yaml.Node  # the key that names it: 'id' or 'use'


def protocol_from_node(root: yaml.Node, source: str) -> Protocol:
    """The protocol described by ``root``; raises ProtocolError listing every problem."""
    log = ProblemLog(source)
    top = values.mapping(root, "the top level of a protocol", log)
    if top is None:
        raise log.error()
    given = values.Fields(top, PROTOCOL_KEYS, "the protocol", log)
    given.require(PROTOCOL_REQUIRED)
    protocol_id = _read(given, "id", lambda n: values.identifier(n, "protocol id", log))
    title = _read(given, "title", lambda n: _title(n, log))
    description = _read(
        given,
        "description",
        lambda n: values.text(n, "description", log, values.MAX_DESCRIPTION_LENGTH, multiline=True),
    )
    mode = _read(given, "default_mode", lambda n: values.choice(n, Mode, "default_mode", log))
    library_node = given.value("techniques")
    library = _read_library(library_node, log) if library_node is not None else {}
    blocks_node = given.value("blocks")
    blocks = _read_blocks(blocks_node, library, log) if blocks_node is not None else ()
    if blocks and blocks_node is not None:
        total = sum(block.duration for block in blocks)
        if total > MAX_DURATION_SECONDS:
            log.add(
                given.key("blocks") or blocks_node,
                f"the blocks add up to {format_duration(total)}; a whole session may last "
                f"at most {format_duration(MAX_DURATION_SECONDS)}",
            )
    if log or protocol_id is None or title is None or description is None or mode is None:
        raise log.error()
    return Protocol(protocol_id, title, description, mode, blocks)


def _title(node: yaml.Node, log: ProblemLog) -> str | None:
    return values.text(node, "title", log, values.MAX_TITLE_LENGTH)


def _read(given: values.Fields, name: str, reader: Callable[[yaml.Node], T | None]) -> T | None:
    node = given.value(name)
    return reader(node) if node is not None else None


def _read_library(node: yaml.Node, log: ProblemLog) -> Library | None:
    """``techniques:`` — reusable techniques keyed by id; they may leave fields out."""
    table = values.mapping(node, "techniques (the library of reusable techniques)", log)
    if table is None:
        return None  # already reported: 'use:' lines are then not checked against it
    library: Library = {}
    for key, value in values.entries(table, "the techniques library", log):
        technique_id = values.identifier(key, "technique id", log)
        fields_node = values.mapping(value, f"library technique {key.value!r}", log)
        if technique_id is None or fields_node is None:
            continue
        what = f"library technique {technique_id!r}"
        draft = read_draft(values.Fields(fields_node, LIBRARY_KEYS, what, log), log)
        library[technique_id] = replace(draft, id=technique_id)
    return library


def _read_blocks(node: yaml.Node, library: Library | None, log: ProblemLog) -> tuple[Block, ...]:
    items = values.sequence(node, "blocks", log)
    if items is None:
        return ()
    if not items.value:
        log.add(node, "a protocol needs at least one block")
        return ()
    blocks: list[Block] = []
    first_with_id: dict[str, yaml.Node] = {}
    for index, item in enumerate(items.value, start=1):
        id_node = _naming_node(item, ("id",))
        duplicate = id_node is not None and id_node.value in first_with_id
        if id_node is not None and duplicate:
            log.add(
                id_node,
                f"duplicate block id {id_node.value!r} (also used on "
                f"{values.position(first_with_id[id_node.value])}); give each block its own id",
            )
        elif id_node is not None:
            first_with_id[id_node.value] = id_node
        # A duplicate is still read, so that its other problems are reported in this pass.
        block = _read_block(item, index, library, log)
        if block is not None and not duplicate:
            blocks.append(block)
    return tuple(blocks)


def _naming_node(node: yaml.Node, keys: tuple[str, ...]) -> yaml.ScalarNode | None:
    """The value of the first of ``keys`` that names this mapping ('id', or 'use')."""
    if isinstance(node, yaml.MappingNode):
        for key in keys:
            for key_node, value in node.value:
                if key_node.value == key and isinstance(value, yaml.ScalarNode) and value.value:
                    return value
    return None


def _read_block(
    node: yaml.Node, index: int, library: Library | None, log: ProblemLog
) -> Block | None:
    fields_node = values.mapping(node, f"block {index}", log)
    if fields_node is None:
        return None
    named = _naming_node(fields_node, ("id",))
    what = f"block {named.value!r}" if named is not None else f"block {index}"
    given = values.Fields(fields_node, BLOCK_KEYS, what, log)
    given.require(BLOCK_REQUIRED)
    block_id = _read(given, "id", lambda n: values.identifier(n, "block id", log))
    title = _read(given, "title", lambda n: _title(n, log))
    duration = _read(given, "duration", lambda n: values.duration(n, "duration", log))
    zones_node = given.value("zones")
    zones = read_zones(zones_node, log) if zones_node is not None else None
    zones_layer = TechniqueDraft(
        zones=zones, invalid=frozenset({"zones"}) if zones_node and zones is None else frozenset()
    )
    where = f"block {block_id!r}" if block_id else f"block {index}"
    techniques_node = given.value("techniques")
    entries = (
        _read_techniques(techniques_node, where, zones_layer, library, log)
        if techniques_node is not None
        else []
    )
    if block_id is None or title is None or duration is None or not entries:
        return None
    block = Block(block_id, title, duration, tuple(entry.technique for entry in entries))
    _check_repetitions(block, entries, log)
    return block


def _read_techniques(
    node: yaml.Node,
    where: str,
    zones_layer: TechniqueDraft,
    library: Library | None,
    log: ProblemLog,
) -> list[_Entry]:
    items = values.sequence(node, f"techniques of {where}", log)
    if items is None:
        return []
    if not items.value:
        log.add(node, f"{where} has no techniques: list at least one")
        return []
    entries: list[_Entry] = []
    for item in items.value:
        entry = _read_technique(item, where, zones_layer, library, log)
        if entry is None:
            continue
        twin = next((e for e in entries if e.technique.id == entry.technique.id), None)
        if twin is not None:
            log.add(
                entry.id_node,
                f"technique id {entry.technique.id!r} is used twice in {where} (also on "
                f"{values.position(twin.id_node)}); give one of them its own 'id'",
            )
        else:
            entries.append(entry)
    return entries


def _read_technique(
    node: yaml.Node,
    where: str,
    zones_layer: TechniqueDraft,
    library: Library | None,
    log: ProblemLog,
) -> _Entry | None:
    fields_node = values.mapping(node, f"a technique in {where}", log)
    if fields_node is None:
        return None
    uses = any(key.value == "use" for key, _ in fields_node.value)
    allowed = USE_KEYS if uses else TECHNIQUE_KEYS
    given = values.Fields(fields_node, allowed, f"a technique in {where}", log)
    own = read_draft(given, log)
    base = TechniqueDraft()
    use_node = given.value("use")
    if use_node is not None:
        used = _look_up(use_node, library, log)
        if used is None:
            return None
        base = used
    draft = own.over(zones_layer.over(base))
    name = f"technique {draft.id!r}" if draft.id else "a technique"
    for missing in draft.missing():
        origin = f" (or in library technique {base.id!r})" if use_node is not None else ""
        log.add(
            fields_node,
            f"{name} in {where} has no {missing!r}: give it {FIELD_HELP[missing]} here{origin}",
        )
    technique = draft.build()
    id_node = given.value("id") or use_node
    if technique is None or id_node is None:
        return None
    return _Entry(technique, fields_node, id_node)


def _look_up(node: yaml.Node, library: Library | None, log: ProblemLog) -> TechniqueDraft | None:
    name = values.text(node, "use", log)
    if name is None or library is None:
        return None
    if name in library:
        return library[name]
    if not library:
        log.add(node, f"'use: {name}' needs a 'techniques:' library at the top of the protocol")
    else:
        log.add(
            node,
            f"no technique {name!r} in the techniques library;"
            f"{values.did_you_mean(name, library)} the library has: {', '.join(library)}",
        )
    return None


def _check_repetitions(block: Block, entries: list[_Entry], log: ProblemLog) -> None:
    """Each step must fit its minimum number of movements, in both modes."""
    nodes = {entry.technique.id: entry.node for entry in entries}
    for short in block.repetition_shortfalls():
        technique = short.technique
        log.add(
            nodes[technique.id],
            f"technique {technique.id!r} is too short in {short.mode.value} mode: its "
            f"{short.seconds:.3g}s of block {block.id!r} give {short.movements:.3g} movements at "
            f"{short.rhythm}/min, fewer than its min_repetitions of {technique.min_repetitions}; "
            f"make the block {format_at_least(short.block_needed)} long or give this technique a "
            "bigger share",
        )
