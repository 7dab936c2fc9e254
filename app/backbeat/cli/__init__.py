"""The ``backbeat`` command line: gui, run, validate, plan, export, list.

Every command reports problems as one clear line per problem and a non-zero exit
status; none of them ever shows a traceback for bad input.
"""

from __future__ import annotations

import argparse
import os
import signal
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


#: Options whose value may look like an option to argparse ("--total -5m"): joined to their
#: value so that the user hears what is wrong with the value, not "expected one argument".
_VALUE_OPTIONS = ("--total", "--set", "--for")


def _join_dashed_values(argv: Sequence[str]) -> list[str]:
    joined: list[str] = []
    items = list(argv)
    index = 0
    while index < len(items):
        item = items[index]
        following = items[index + 1] if index + 1 < len(items) else ""
        if item in _VALUE_OPTIONS and following.startswith("-") and following[1:2].isdigit():
            joined.append(f"{item}={following}")
            index += 2
        else:
            joined.append(item)
            index += 1
    return joined


def _exit_on_signal(signum: int, _frame: object) -> None:
    """SIGTERM and SIGHUP end a command like Ctrl+C does: every ``finally`` runs, so the
    terminal gets its modes back and the sound and the voice are closed in order."""
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on_signal)
    parser = build_parser()
    argv = _join_dashed_values(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *argv])
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
