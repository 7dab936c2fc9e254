"""Loading and saving protocol files (YAML, described in ``docs/protocol-format.md``).

Loading never builds Python objects from the file: it composes a YAML node tree with
the safe loader, checks it (:mod:`backbeat.core.validation`) and reports every problem
at once as ``path:line:column: message``. Saving writes readable YAML atomically.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from backbeat.core.durations import format_duration
from backbeat.core.model import DEFAULT_MIN_REPETITIONS, Block, Protocol, Technique
from backbeat.core.protocol_errors import Problem, ProtocolError
from backbeat.core.safe_files import atomic_write
from backbeat.core.validation import protocol_from_node
from backbeat.core.yaml_nodes import compose, read_text

__all__ = [
    "Problem",
    "ProtocolError",
    "dump_protocol",
    "load_protocol",
    "parse_protocol",
    "save_protocol",
]

_NO_SOURCE = "<string>"


def parse_protocol(text: str, source: str = _NO_SOURCE) -> Protocol:
    """The protocol written in ``text``; problems name ``source`` as their path."""
    protocol = protocol_from_node(compose(text, source), source)
    return replace(protocol, source=None if source == _NO_SOURCE else source)


def load_protocol(path: str | os.PathLike[str]) -> Protocol:
    """The protocol in the file at ``path``; raises ProtocolError with every problem."""
    return parse_protocol(read_text(path), str(path))


def dump_protocol(protocol: Protocol) -> str:
    """The protocol as readable YAML, every technique written out in full."""
    document = {
        "id": protocol.id,
        "title": protocol.title,
        "description": protocol.description,
        "default_mode": protocol.default_mode.value,
        "blocks": [_block_document(block) for block in protocol.blocks],
    }
    return yaml.dump(
        document,
        Dumper=_ReadableDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=88,
    )


def save_protocol(protocol: Protocol, path: str | os.PathLike[str]) -> None:
    """Write the protocol to ``path`` atomically: the old file stays whole on any failure.

    The text is checked by loading it back before anything is written, so a protocol
    that could not be loaded again (say, a block stretched past the longest allowed
    duration) is refused with the same messages ``load_protocol`` would give.
    """
    target = Path(path)
    text = dump_protocol(protocol)
    parse_protocol(text, str(target))
    try:
        with atomic_write(target) as stream:
            stream.write(text)
    except OSError as error:
        reason = error.strerror or str(error)
        if isinstance(error, FileNotFoundError) and not target.parent.is_dir():
            reason = f"the folder {str(target.parent)!r} does not exist"
        raise ProtocolError.single(str(target), f"cannot save the protocol: {reason}") from None


def _block_document(block: Block) -> dict[str, Any]:
    return {
        "id": block.id,
        "title": block.title,
        "duration": _seconds_document(block.duration),
        "techniques": [_technique_document(technique) for technique in block.techniques],
    }


def _technique_document(technique: Technique) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": technique.id,
        "title": technique.title,
        "how": technique.how,
        "hands": technique.hands.value,
        "path": technique.path.value,
        "direction": technique.direction.value,
        "zones": _Flow(zone.value for zone in technique.zones),
        "pressure": technique.pressure.value,
        "rhythm": _FlowMapping(
            relaxing=technique.rhythm.relaxing, stimulating=technique.rhythm.stimulating
        ),
    }
    if technique.spot_limit is not None:
        document["spot_limit"] = _seconds_document(technique.spot_limit)
    if technique.min_repetitions != DEFAULT_MIN_REPETITIONS:
        document["min_repetitions"] = technique.min_repetitions
    if technique.cautions:
        document["cautions"] = list(technique.cautions)
    if technique.share != 1.0:
        share = technique.share
        document["share"] = int(share) if share.is_integer() else share
    return document


def _seconds_document(seconds: float) -> str | float:
    """``2m30s`` for whole seconds; otherwise the exact number, so reloading is exact."""
    return format_duration(seconds) if float(seconds).is_integer() else float(seconds)


class _Flow(list[str]):
    """A short list written on one line: ``[lumbar, sides]``."""


class _FlowMapping(dict[str, int]):
    """A short mapping written on one line: ``{relaxing: 20, stimulating: 40}``."""


class _ReadableDumper(yaml.SafeDumper):
    """Block-style YAML; text with line breaks is written as a ``|`` block."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as people write them by hand.
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, items: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


def _represent_flow_mapping(dumper: yaml.SafeDumper, items: _FlowMapping) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", items, flow_style=True)


_ReadableDumper.add_representer(str, _represent_text)
_ReadableDumper.add_representer(_Flow, _represent_flow_list)
_ReadableDumper.add_representer(_FlowMapping, _represent_flow_mapping)
