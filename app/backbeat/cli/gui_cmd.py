"""``backbeat gui [FILE]``: the window (also what ``backbeat`` with no command opens)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from backbeat.cli.display import require_display
from backbeat.cli.options import add_voice_arguments, voice_options_from_args
from backbeat.core.model import Mode


def register(commands: Any) -> None:
    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.add_argument("file", nargs="?", type=Path, help="a protocol file to open (optional)")
    gui.add_argument(
        "--mode", choices=[m.value for m in Mode], help="relaxing or stimulating to begin with"
    )
    add_output_arguments(gui)
    add_voice_arguments(gui)
    gui.set_defaults(func=run_gui)


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """How the sound is played: shared by ``gui`` and ``run``."""
    parser.add_argument(
        "--output",
        choices=["auto", "portaudio", "simpleaudio"],
        default="auto",
        help="how the sound is played: PortAudio (the default where it loads) or simpleaudio",
    )
    parser.add_argument(
        "--output-device",
        metavar="NAME",
        help="the sound device to play on (default: the system's); a wrong name lists them",
    )


def run_gui(args: argparse.Namespace) -> int:
    require_display()
    # Imported here so the other commands never load Qt.
    from backbeat.cli.native_stderr import quiet_native_stderr
    from backbeat.ui.app import SoundChoice, run_window

    mode = Mode(args.mode) if getattr(args, "mode", None) else None
    choice = SoundChoice(getattr(args, "output", "auto"), getattr(args, "output_device", None))
    voice = voice_options_from_args(args)
    with quiet_native_stderr():
        return run_window(getattr(args, "file", None), mode, output=choice, voice=voice)
