"""Commands that read protocols and print: validate, plan, list."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from backbeat import resources
from backbeat.cli.options import add_plan_arguments, plan_from_args
from backbeat.cli.tables import render_plan, render_table
from backbeat.core.durations import format_clock
from backbeat.core.library import scan_library
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
            print(error, file=sys.stderr)
        else:
            print(f"{path}: ok ({protocol.id}, {format_clock(protocol.total_duration)})")
    return 1 if failed else 0


def run_plan(args: argparse.Namespace) -> int:
    plan = plan_from_args(args)
    if args.json:
        print(json.dumps(plan.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_plan(plan))
    return 0


def run_list(args: argparse.Namespace) -> int:
    entries = scan_library(resources.bundled_protocols_dir(), resources.user_protocols_dir())
    rows = []
    for entry in entries:
        kind = "bundled" if entry.bundled else "yours"
        if entry.protocol is None:
            rows.append([entry.path.stem, "(does not load: run backbeat validate)", "", kind])
        else:
            p = entry.protocol
            rows.append([p.id, p.title, format_clock(p.total_duration), kind])
    print(render_table(["Id", "Title", "Length", "Kind"], rows, {2}))
    print(f"\nYour protocols live in {resources.user_protocols_dir()}")
    return 0
