"""``backbeat run FILE``: follow a session, in the window or (``--no-gui``) by ear only.

The terminal coach: a live status line, Space to pause and resume, ``n``/``p`` to skip,
``q`` to quit. With stdin not a terminal it just plays. It is a thin front end over the
:class:`~backbeat.player.session_player.SessionPlayer`: keys in, lines out.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from backbeat.cli.display import require_display
from backbeat.cli.gui_cmd import add_output_arguments
from backbeat.cli.options import (
    CliError,
    add_plan_arguments,
    add_sound_arguments,
    add_voice_arguments,
    parse_overrides,
    plan_from_args,
    sound_settings_from_args,
    voice_options_from_args,
)
from backbeat.core.durations import DurationError, parse_duration


def register(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="follow a session: in the window, or by ear only with --no-gui",
        description="Follow a guided session. Without --no-gui this opens the window.",
    )
    add_plan_arguments(run)
    run.add_argument("--no-gui", action="store_true", help="audio only, in this terminal")
    add_sound_arguments(run)
    add_output_arguments(run)
    add_voice_arguments(run)
    run.add_argument(
        "--for",
        dest="for_duration",
        metavar="DURATION",
        help="stop after this much session time, e.g. 30s (with --no-gui)",
    )
    run.set_defaults(func=run_session)


def run_session(args: argparse.Namespace) -> int:
    if not args.no_gui:
        return _open_window(args)
    limit = None
    if args.for_duration is not None:
        try:
            limit = parse_duration(args.for_duration)
        except DurationError as error:
            raise CliError(f"--for {args.for_duration!r}: {error}") from None
    plan = plan_from_args(args)
    # Imported here: list, plan and validate must not need numpy or the sound libraries.
    from backbeat.audio.portaudio_output import UnknownDevice
    from backbeat.cli.native_stderr import quiet_native_stderr
    from backbeat.cli.terminal_coach import TerminalCoach
    from backbeat.player.sound_system import open_sound_system

    settings = sound_settings_from_args(args)
    with quiet_native_stderr():
        try:
            sound = open_sound_system(
                args.output,
                args.output_device,
                with_voice=settings.voice_on,
                voice_speed=settings.voice_speed,
            )
        except UnknownDevice as error:
            raise CliError(f"--output-device: {error}") from None
        try:
            voice = voice_options_from_args(args)
            return TerminalCoach(sound, plan, settings, limit, voice_options=voice).run()
        finally:
            sound.close()


def _open_window(args: argparse.Namespace) -> int:
    from backbeat.core.model import Mode

    if args.for_duration is not None:
        raise CliError("--for only works with --no-gui")
    require_display()
    try:
        from backbeat.cli.native_stderr import quiet_native_stderr
        from backbeat.ui.app import SoundChoice, run_window
    except ImportError as error:
        print(
            f"backbeat: the window cannot open here ({error}). "
            "Use --no-gui for the audio-only coach in this terminal.",
            file=sys.stderr,
        )
        return 1
    overrides = parse_overrides(args.set_blocks, args.total)
    mode = Mode(args.mode) if args.mode else None
    with quiet_native_stderr():
        status: int = run_window(
            protocol_path=args.file,
            mode=mode,
            overrides=overrides,
            output=SoundChoice(args.output, args.output_device),
            voice=voice_options_from_args(args),
        )
    return status
