"""``backbeat export``: the whole guided session as an audio file (WAV, FLAC, Ogg Vorbis,
Opus or MP3, by the extension of ``-o``) and, if asked, its cue sheet."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from backbeat.cli.options import (
    CliError,
    add_plan_arguments,
    add_sound_arguments,
    plan_from_args,
    sound_settings_from_args,
)
from backbeat.cli.output_paths import check_output, refuse_overlaps
from backbeat.cli.terminal import printable
from backbeat.core.safe_files import atomic_write

#: The formats -o knows, for the help (audio.export_formats has the full list).
_EXTENSIONS = ".wav, .flac, .ogg (Vorbis), .opus, .mp3"
_BAR_WIDTH = 30


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help="write the guided session to an audio file (WAV, FLAC, Ogg, Opus, MP3)",
        description="Render the whole guided session - clicks and voice - to an audio file "
        "to play from a phone or a speaker. The format follows the extension of -o: "
        f"{_EXTENSIONS}. Title, artist and album tags are written, and a chapter mark at "
        "every technique where the format has chapters (all but WAV).",
    )
    add_plan_arguments(export)
    export.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT.ext",
        help=f"the file to write; its extension picks the format: {_EXTENSIONS}",
    )
    add_sound_arguments(export)
    export.add_argument(
        "--cues", type=Path, metavar="PLAN.json", help="also write the plan as a JSON cue sheet"
    )
    export.set_defaults(func=run_export)


class _ProgressLine:
    """A progress bar redrawn in place on a terminal; a few plain lines otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self._last_reported = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = "Preparing the voice" if stage == "voice" else "Rendering"
        percent = 100 * done // max(1, total)
        if self.live:
            filled = _BAR_WIDTH * done // max(1, total)
            bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
            self.stream.write(f"\r{label:<19} [{bar}] {percent:3d}%")
            if done >= total:
                self.stream.write("\n")
        else:
            step = percent // 25
            if step == self._last_reported and done < total:
                return
            self._last_reported = -1 if done >= total else step
            self.stream.write(f"{label}: {percent}%\n")
        self.stream.flush()


def run_export(args: argparse.Namespace) -> int:
    from backbeat.audio.export import export_session
    from backbeat.audio.export_formats import UnknownFormat, format_for
    from backbeat.audio.voice import choose_voice

    output: Path = args.output
    try:
        fmt = format_for(output)
    except UnknownFormat as error:
        raise CliError(f"-o {error}") from None
    outputs = [check_output(output, "the output", f"session{fmt.extension}")]
    if args.cues is not None:
        outputs.append(check_output(args.cues, "the cue sheet", "plan.json"))
    refuse_overlaps([(args.file, "the protocol")], outputs)
    audio_target = outputs[0].target
    cues_target = outputs[1].target if len(outputs) > 1 else None
    settings = sound_settings_from_args(args)
    plan = plan_from_args(args)
    voice = choose_voice(speed=settings.voice_speed)[0] if settings.voice_on else None
    progress_line = _ProgressLine(sys.stderr)

    def progress(stage: str, done: int, total: int) -> None:
        progress_line(stage, done, total)
        if stage == "voice" and done >= total and voice is not None:
            # Only now, with every prompt made, is it known which voice really spoke
            # (an engine can fail while speaking and hand over to the next).
            print(_voice_message(voice, args.cues), file=sys.stderr)

    try:
        result = export_session(plan, audio_target, voice, settings, progress=progress)
    except OSError as error:
        raise CliError(f"could not write {output}: {error.strerror or error}") from None
    if cues_target is not None:
        try:
            with atomic_write(cues_target) as stream:
                stream.write(json.dumps(result.plan.to_json(), indent=2, allow_nan=False) + "\n")
        except OSError as error:
            raise CliError(
                f"wrote {output}, but could not write the cue sheet {args.cues}: "
                f"{error.strerror or error}"
            ) from None
    minutes, seconds = divmod(round(result.seconds), 60)
    print(printable(f"Wrote {output} ({fmt.label}, {minutes}:{seconds:02d})"), file=sys.stderr)
    return 0


def _voice_message(voice: Any, cues: Path | None) -> str:
    """Which voice speaks; with no speech engine, what the file holds instead (a file has
    no text to show) and where the words are."""
    status = voice.status
    if status.engine != "chime":
        return str(status.message)
    words = (
        f"the words are in the cue sheet {cues}"
        if cues is not None
        else "add --cues PLAN.json for a cue sheet with the words and their times"
    )
    reason = str(status.message).split(". A short chime")[0]
    return (
        f"{reason}. The file has no spoken words, only a short chime at each prompt (one for "
        f"a new technique, one for moving to the next spot, one for a caution); {words}."
    )
