"""``backbeat export``: the whole guided session as a WAV file (and its cue sheet)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from backbeat.cli.options import CliError, add_plan_arguments, plan_from_args
from backbeat.cli.output_paths import check_output, refuse_overlaps
from backbeat.cli.terminal import printable
from backbeat.core.safe_files import atomic_write


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help="write the guided session to a WAV file",
        description="Render the whole guided session - clicks and voice - as a 16-bit "
        "44.1 kHz WAV to play from a phone or a speaker.",
    )
    add_plan_arguments(export)
    export.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT.wav", help="the WAV file to write"
    )
    export.add_argument("--no-voice", action="store_true", help="clicks only, no spoken prompts")
    export.add_argument("--no-metronome", action="store_true", help="voice only, no clicks")
    export.add_argument(
        "--cues", type=Path, metavar="PLAN.json", help="also write the plan as a JSON cue sheet"
    )
    export.set_defaults(func=run_export)


class _ProgressLine:
    """A percentage updated in place on a terminal; a few plain lines otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self._last_reported = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = "Preparing the voice" if stage == "voice" else "Rendering"
        percent = 100 * done // max(1, total)
        if self.live:
            self.stream.write(f"\r{label}: {percent:3d}%")
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
    from backbeat.audio.mixer import SoundSettings
    from backbeat.audio.voice import choose_voice

    plan = plan_from_args(args)
    output: Path = args.output
    if output.suffix.lower() != ".wav":
        raise CliError(f"-o {output}: the output is a WAV file; give it a .wav name")
    outputs = [check_output(output, "the output", "session.wav")]
    if args.cues is not None:
        outputs.append(check_output(args.cues, "the cue sheet", "plan.json"))
    refuse_overlaps([(args.file, "the protocol")], outputs)
    wav_target = outputs[0].target
    cues_target = outputs[1].target if len(outputs) > 1 else None
    if args.no_voice and args.no_metronome:
        raise CliError("--no-voice and --no-metronome together would export only silence")
    settings = SoundSettings(metronome_on=not args.no_metronome, voice_on=not args.no_voice)
    voice = choose_voice()[0] if settings.voice_on else None
    progress_line = _ProgressLine(sys.stderr)

    def progress(stage: str, done: int, total: int) -> None:
        progress_line(stage, done, total)
        if stage == "voice" and done >= total and voice is not None:
            # Only now, with every prompt made, is it known which voice really spoke
            # (an engine can fail while speaking and hand over to the next).
            print(voice.status.message, file=sys.stderr)

    try:
        frames = export_session(plan, wav_target, voice, settings, progress=progress)
    except OSError as error:
        raise CliError(f"could not write {output}: {error.strerror or error}") from None
    if cues_target is not None:
        try:
            with atomic_write(cues_target) as stream:
                stream.write(json.dumps(plan.to_json(), indent=2, allow_nan=False) + "\n")
        except OSError as error:
            raise CliError(
                f"wrote {output}, but could not write the cue sheet {args.cues}: "
                f"{error.strerror or error}"
            ) from None
    minutes, seconds = divmod(round(frames / 44100), 60)
    print(printable(f"Wrote {output} ({minutes}:{seconds:02d})"), file=sys.stderr)
    return 0
