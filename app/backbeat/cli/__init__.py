"""The ``backbeat`` command line: gui, run, validate, plan, export, list.

Every command reports problems as one clear line per problem and a non-zero exit
status; none of them ever shows a traceback for bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from backbeat import __version__
from backbeat.cli import export_cmd, gui_cmd, info_cmds, run_cmd
from backbeat.cli.options import CliError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backbeat",
        description="A hands-free coach for giving a back massage at home.",
        epilog="With no command, backbeat opens the window on the default protocol.",
    )
    parser.add_argument("--version", action="version", version=f"backbeat {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui_cmd.register(commands)
    run_cmd.register(commands)
    info_cmds.register(commands)
    export_cmd.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *(argv or [])])
    try:
        status: int = args.func(args)
        return status
    except CliError as error:
        for line in str(error).splitlines():
            print(f"backbeat: {line}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`backbeat plan FILE | head`): stop quietly, and keep Python
        # from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def gui_main() -> int:
    """Entry point of the desktop launcher: the window, whatever the arguments."""
    return main(["gui"])
