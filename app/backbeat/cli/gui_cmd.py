"""``backbeat gui``: the window. (Until the window lands, prints the default plan.)"""

from __future__ import annotations

import argparse
from typing import Any

from backbeat import resources
from backbeat.cli.tables import render_plan
from backbeat.core.library import DEFAULT_PROTOCOL_ID
from backbeat.core.plan import build_plan
from backbeat.core.protocol_io import load_protocol


def register(commands: Any) -> None:
    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.set_defaults(func=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    protocol = load_protocol(resources.bundled_protocols_dir() / f"{DEFAULT_PROTOCOL_ID}.yaml")
    print(render_plan(build_plan(protocol, protocol.default_mode)))
    return 0
