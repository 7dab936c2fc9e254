"""Arguments shared by the commands that build a session plan (plan, export, run)."""

from __future__ import annotations

import argparse
from pathlib import Path

from backbeat.core.durations import DurationError, parse_duration
from backbeat.core.model import Mode, Protocol
from backbeat.core.plan import PlanError, PlanOverrides, SessionPlan, build_plan
from backbeat.core.protocol_io import ProtocolError, load_protocol


class CliError(Exception):
    """A problem with what the user typed or pointed at; printed without a traceback."""


def add_plan_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a protocol file (YAML)")
    parser.add_argument(
        "--mode",
        choices=[m.value for m in Mode],
        help="relaxing (slow rhythm) or stimulating (fast); default: the protocol's own",
    )
    parser.add_argument(
        "--set",
        dest="set_blocks",
        action="append",
        default=[],
        metavar="BLOCK=DURATION",
        help="give a block a new duration, e.g. --set kneading=8m (repeatable)",
    )
    parser.add_argument(
        "--total",
        metavar="DURATION",
        help="scale the other blocks so the whole session lasts this long, e.g. 15m",
    )


def load_protocol_or_fail(path: Path) -> Protocol:
    try:
        return load_protocol(path)
    except ProtocolError as error:
        raise CliError(str(error)) from None


def parse_overrides(set_blocks: list[str], total: str | None) -> PlanOverrides:
    durations: dict[str, float] = {}
    for item in set_blocks:
        block_id, sep, value = item.partition("=")
        if not sep or not block_id.strip() or not value.strip():
            raise CliError(f"--set {item!r}: write it as BLOCK=DURATION, for example kneading=8m")
        try:
            durations[block_id.strip()] = parse_duration(value)
        except DurationError as error:
            raise CliError(f"--set {item!r}: {error}") from None
    total_seconds = None
    if total is not None:
        try:
            total_seconds = parse_duration(total)
        except DurationError as error:
            raise CliError(f"--total {total!r}: {error}") from None
    return PlanOverrides(durations, total_seconds)


def plan_from_args(args: argparse.Namespace) -> SessionPlan:
    protocol = load_protocol_or_fail(args.file)
    mode = Mode(args.mode) if args.mode else protocol.default_mode
    overrides = parse_overrides(args.set_blocks, args.total)
    try:
        return build_plan(protocol, mode, overrides)
    except PlanError as error:
        raise CliError(str(error)) from None
