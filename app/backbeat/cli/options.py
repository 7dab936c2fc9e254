"""Arguments shared by the commands that build a session plan (plan, export, run)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING

from backbeat.core.durations import DurationError, parse_duration
from backbeat.core.model import Mode, Protocol
from backbeat.core.plan import PlanError, PlanOverrides, SessionPlan, build_plan
from backbeat.core.prompts import VoiceSpeed
from backbeat.core.protocol_io import ProtocolError, load_protocol

if TYPE_CHECKING:
    from backbeat.audio.sound_settings import SoundSettings
    from backbeat.player.voice_commands import VoiceOptions


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


def add_sound_arguments(parser: argparse.ArgumentParser) -> None:
    """The sound settings the window has, under the same names (``--voice-speed`` is
    ``SoundSettings.voice_speed``) and with the same defaults: SoundSettings'."""
    from backbeat.audio.sound_settings import CLICK_SOUNDS, SPOT_REMINDER_STYLES, SoundSettings

    defaults = SoundSettings()
    parser.add_argument("--no-voice", action="store_true", help="clicks only, no spoken prompts")
    parser.add_argument("--no-metronome", action="store_true", help="voice only, no clicks")
    parser.add_argument(
        "--voice-speed",
        choices=[s.value for s in VoiceSpeed],
        default=defaults.voice_speed.value,
        help=f"how fast the coach speaks (default: {defaults.voice_speed.value})",
    )
    parser.add_argument(
        "--voice-volume",
        type=float,
        default=defaults.voice_volume,
        metavar="0..1",
        help=f"the voice's volume (default: {defaults.voice_volume})",
    )
    parser.add_argument(
        "--metronome-volume",
        type=float,
        default=defaults.metronome_volume,
        metavar="0..1",
        help=f"the clicks' volume against the voice (default: {defaults.metronome_volume})",
    )
    parser.add_argument(
        "--click-sound",
        choices=CLICK_SOUNDS,
        default=defaults.click_sound,
        help=f"the metronome's sound (default: {defaults.click_sound})",
    )
    parser.add_argument(
        "--spot-reminder-style",
        choices=SPOT_REMINDER_STYLES,
        default=defaults.spot_reminder_style,
        help="'move to the next spot' as words or as a gentle sound "
        f"(default: {defaults.spot_reminder_style})",
    )
    parser.add_argument(
        "--no-spot-reminders", action="store_true", help="never say when to move to the next spot"
    )


def add_voice_arguments(parser: argparse.ArgumentParser) -> None:
    """Voice commands, for the window and the terminal coach alike."""
    parser.add_argument(
        "--voice-commands",
        action="store_true",
        help="obey spoken commands (“coach, next”, “pause”, “too much”…), offline",
    )
    parser.add_argument(
        "--input-device",
        metavar="NAME",
        help="the microphone for --voice-commands (default: the system's)",
    )
    parser.add_argument(
        "--no-wake-word",
        action="store_true",
        help="with --voice-commands: take “next” alone, without “coach” first (a quiet room)",
    )


def voice_options_from_args(args: argparse.Namespace) -> VoiceOptions | None:
    """What ``--voice-commands`` asks for, or None without it."""
    if not getattr(args, "voice_commands", False):
        return None
    # Imported here: list, plan and validate must not need numpy or the recogniser.
    from backbeat.player.voice_commands import VoiceOptions

    return VoiceOptions(args.input_device, wake_word=not args.no_wake_word)


def sound_settings_from_args(args: argparse.Namespace) -> SoundSettings:
    from backbeat.audio.sound_settings import SoundSettings

    if args.no_voice and args.no_metronome:
        raise CliError("--no-voice and --no-metronome together would leave only silence")
    for name in ("voice_volume", "metronome_volume"):
        value = getattr(args, name)
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            flag = "--" + name.replace("_", "-")
            raise CliError(f"{flag} {value}: give a volume from 0 (silent) to 1 (full)")
    return SoundSettings(
        metronome_on=not args.no_metronome,
        metronome_volume=args.metronome_volume,
        voice_on=not args.no_voice,
        voice_volume=args.voice_volume,
        click_sound=args.click_sound,
        spot_reminders=not args.no_spot_reminders,
        spot_reminder_style=args.spot_reminder_style,
        voice_speed=VoiceSpeed(args.voice_speed),
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
    # The cues are spaced for the voice's speed when the command has one (export, run).
    speed = VoiceSpeed(getattr(args, "voice_speed", VoiceSpeed.NORMAL.value))
    try:
        return build_plan(protocol, mode, overrides, voice_speed=speed)
    except PlanError as error:
        raise CliError(str(error)) from None
