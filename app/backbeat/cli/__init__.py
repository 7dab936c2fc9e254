"""The ``backbeat`` command line: gui, run, validate, plan, export, list.

Every command reports problems as one clear line per problem and a non-zero exit
status; none of them ever shows a traceback for bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Buffer

from backbeat import __version__
from backbeat.cli import export_cmd, gui_cmd, info_cmds, run_cmd
from backbeat.cli.options import CliError
from backbeat.cli.terminal import printable


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
    if sys.stdout is None and args.command != "gui":
        # Started with stdout closed (`backbeat plan FILE >&-`): print() would quietly
        # write nothing and report success.
        _tell(
            "the standard output is closed, so there is nowhere to write; "
            "give it a terminal, a file or a pipe"
        )
        return 1
    _guard_stdout()
    try:
        status: int = args.func(args)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk shows here, not in Python's exit handler
        return status
    except CliError as error:
        for line in str(error).splitlines():
            _tell(line)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`backbeat plan FILE | head`): stop quietly, and keep Python
        # from complaining again when it flushes stdout at exit.
        _drop_stdout()
        return 1
    except StdoutFailed as error:
        _drop_stdout()
        _tell(f"cannot write to the standard output: {error.strerror or error}")
        return 1


def _tell(line: str) -> None:
    """One line for the user on stderr (nowhere, if stderr is closed too)."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError):
            print(f"backbeat: {printable(line)}", file=sys.stderr, flush=True)


class StdoutFailed(OSError):
    """Writing to stdout failed (``>/dev/full``, a closed or broken descriptor)."""


class _StdoutFile(io.FileIO):
    """fd 1, whose write failures are told apart from those of every other file."""

    def write(self, data: Buffer) -> int:
        try:
            return super().write(data)  # type: ignore[no-any-return]
        except BrokenPipeError:
            raise
        except OSError as error:
            raise StdoutFailed(error.errno, error.strerror) from None


def _guard_stdout() -> None:
    """Put the real stdout (not a test's capture) behind :class:`_StdoutFile`, with the
    same encoding and buffering, so a full disk gets one clear line, not a traceback."""
    stream = sys.stdout
    if stream is None or stream is not sys.__stdout__ or not isinstance(stream, io.TextIOWrapper):
        return
    try:
        fd = stream.fileno()
        stream.flush()
    except (OSError, ValueError):
        return
    raw = _StdoutFile(fd, "w", closefd=False)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering,
        write_through=stream.write_through,
    )


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit does not fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def gui_main() -> int:
    """Entry point of the desktop launcher: the window, whatever the arguments."""
    return main(["gui"])
