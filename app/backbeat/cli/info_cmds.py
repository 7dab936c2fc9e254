"""Commands that read protocols and print: validate, plan, list."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from backbeat import __version__, resources
from backbeat.cli.options import add_plan_arguments, plan_from_args
from backbeat.cli.tables import render_plan, render_table
from backbeat.cli.terminal import printable
from backbeat.core.durations import format_clock
from backbeat.core.library import ProtocolSummary, scan_library
from backbeat.core.library_cache import LibraryCache
from backbeat.core.protocol_io import ProtocolError, load_protocol


def register(commands: Any) -> None:
    validate = commands.add_parser("validate", help="check protocol files and report every problem")
    # Plain strings: Path("") would quietly become the current folder.
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(func=run_validate)

    plan = commands.add_parser("plan", help="print the timed plan of a session")
    add_plan_arguments(plan)
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.set_defaults(func=run_plan)

    listing = commands.add_parser("list", help="list the bundled and your own protocols")
    listing.set_defaults(func=run_list)


def run_validate(args: argparse.Namespace) -> int:
    failed = False
    for path in args.files:
        if not path.strip():
            failed = True
            print("backbeat: an empty file name was given; name a protocol file", file=sys.stderr)
            continue
        try:
            protocol = load_protocol(path)
        except ProtocolError as error:
            failed = True
            print(printable(str(error)), file=sys.stderr)
        else:
            ok = f"{path}: ok ({protocol.id}, {format_clock(protocol.total_duration)})"
            print(printable(ok))
    return 1 if failed else 0


def run_plan(args: argparse.Namespace) -> int:
    plan = plan_from_args(args)
    if args.json:
        # Strict JSON: validation keeps every number finite, and allow_nan=False makes
        # sure no NaN or Infinity (which JSON does not have) is ever printed.
        print(json.dumps(plan.to_json(), indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(printable(render_plan(plan)))
    return 0


def run_list(args: argparse.Namespace) -> int:
    user_dir = resources.user_protocols_dir()
    cache = LibraryCache(resources.library_cache_file(), __version__)
    bundled = resources.bundled_protocols_dir()
    try:
        entries = scan_library(bundled, user_dir, cache)
        unreadable = ""
    except OSError as error:
        entries = scan_library(bundled, None, cache)
        unreadable = f"cannot read your protocols folder: {error.strerror or error}"
    summaries = [ProtocolSummary.of(entry) for entry in entries]
    rows = []
    broken = []
    for summary in summaries:
        kind = "bundled" if summary.bundled else "yours"
        if summary.problem:
            rows.append([summary.id, "(does not load, see below)", "", kind])
            broken.append(summary.problem)
        else:
            rows.append([summary.id, summary.title, format_clock(summary.seconds), kind])
    table = render_table(["Id", "Title", "Length", "Kind"], [_shown(r) for r in rows], {2})
    print(table)
    if broken:
        print("\nThese do not load (backbeat validate FILE shows every problem):")
        for problem in broken:
            print(f"  {printable(problem)}")
    if user_dir.exists() and not user_dir.is_dir():
        unreadable = "it is not a folder; move that file away so your protocols can be saved"
    print(f"\nYour protocols live in {printable(str(user_dir))}")
    if unreadable:
        print(f"backbeat: {printable(str(user_dir))}: {unreadable}", file=sys.stderr)
    return 0


def _shown(row: list[str]) -> list[str]:
    return [printable(cell).replace("\n", " ") for cell in row]
