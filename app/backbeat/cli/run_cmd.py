"""``backbeat run FILE``: follow a session, in the window or (``--no-gui``) by ear only.

The terminal coach: a live status line, Space to pause and resume, ``n``/``p`` to skip,
``q`` to quit. With stdin not a terminal it just plays.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, TextIO

from backbeat.cli.display import require_display
from backbeat.cli.options import (
    CliError,
    add_plan_arguments,
    add_sound_arguments,
    parse_overrides,
    plan_from_args,
    sound_settings_from_args,
)
from backbeat.core.durations import DurationError, format_clock, parse_duration

#: Wake-ups per second: often enough for a smooth countdown and prompt re-renders.
TICK_SECONDS = 0.04
KEYS_HELP = "Space pause/resume · n next · p previous · q quit"


def register(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="follow a session: in the window, or by ear only with --no-gui",
        description="Follow a guided session. Without --no-gui this opens the window.",
    )
    add_plan_arguments(run)
    run.add_argument("--no-gui", action="store_true", help="audio only, in this terminal")
    add_sound_arguments(run)
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
    sound = sound_settings_from_args(args)
    plan = plan_from_args(args)
    return TerminalCoach(plan, args.no_voice, args.no_metronome, limit, sound).run()


def _open_window(args: argparse.Namespace) -> int:
    from backbeat.core.model import Mode

    if args.for_duration is not None:
        raise CliError("--for only works with --no-gui")
    require_display()
    try:
        from backbeat.ui.app import run_window
    except ImportError as error:
        print(
            f"backbeat: the window cannot open here ({error}). "
            "Use --no-gui for the audio-only coach in this terminal.",
            file=sys.stderr,
        )
        return 1
    overrides = parse_overrides(args.set_blocks, args.total)
    mode = Mode(args.mode) if args.mode else None
    status: int = run_window(protocol_path=args.file, mode=mode, overrides=overrides)
    return status


@contextlib.contextmanager
def _keys(stream: TextIO) -> Iterator[bool]:
    """cbreak mode on a terminal (single key presses, no echo), restored on any exit.
    Yields whether keys can be read at all."""
    if not stream.isatty():
        yield False
        return
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield True
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _read_key(stream: TextIO, timeout: float) -> str | None:
    ready, _, _ = select.select([stream], [], [], timeout)
    if not ready:
        return None
    data = os.read(stream.fileno(), 1)
    return data.decode("utf-8", "replace") if data else None


class TerminalCoach:
    def __init__(
        self,
        plan: Any,
        no_voice: bool,
        no_metronome: bool,
        limit: float | None,
        sound: Any = None,
    ) -> None:
        self.plan = plan
        self.sound = sound
        self.no_voice = no_voice
        self.no_metronome = no_metronome
        self.limit = limit
        self.out = sys.stdout
        self.live = self.out.isatty()
        self._last_line = ""
        self._voice: Any = None
        self._told: Any = None

    def run(self) -> int:
        from backbeat.audio.mixer import SoundSettings
        from backbeat.audio.output import open_output
        from backbeat.audio.session_audio import SessionAudio
        from backbeat.audio.voice import PromptVoice, choose_voice
        from backbeat.core.engine import SessionEngine

        output, problem = open_output()
        if problem:
            self._say(problem)
        settings = replace(
            self.sound or SoundSettings(),
            metronome_on=not self.no_metronome,
            voice_on=not self.no_voice,
        )
        if settings.voice_on:
            voice, status = choose_voice(
                speed=settings.voice_speed
            )  # engines are loaded: "usable" really is
            self._say(status.message)
        else:
            voice = PromptVoice([], None)
        self._voice = voice
        self._told = voice.status
        audio = SessionAudio(self.plan, output, voice, settings)
        engine = SessionEngine(self.plan, audio.clock)
        try:
            with _keys(sys.stdin) as interactive:
                if interactive:
                    self._say(KEYS_HELP)
                engine.start()
                self._play(audio, engine)
                self._loop(engine, audio, interactive)
        finally:
            audio.close()
            voice.close()
            close_output = getattr(output, "close", None)
            if close_output is not None:
                close_output()
            if self.live and self._last_line:
                self.out.write("\n")
        return 0

    def _loop(self, engine: Any, audio: Any, interactive: bool) -> None:
        from backbeat.core.engine import CueDue, EngineState, Finished, StepChanged

        while True:
            key = _read_key(sys.stdin, TICK_SECONDS) if interactive else None
            key = key.lower() if key else None
            if not interactive:
                time.sleep(TICK_SECONDS)
            if key == "q":
                engine.stop()
            elif key == " ":
                if engine.state is EngineState.RUNNING:
                    engine.pause()
                    audio.stop()
                elif engine.state is EngineState.PAUSED:
                    engine.resume()
                    self._play(audio, engine)
            elif key in ("n", "p"):
                engine.next_step() if key == "n" else engine.previous_step()
                if engine.state is EngineState.RUNNING:
                    self._play(audio, engine)
            audio.tick()
            self._tell_voice_change()
            # The stream ends exactly at the limit, where the audio clock stops: allow
            # for the rounding of that last position.
            if self.limit is not None and engine.session_time() >= self.limit - 1e-6:
                engine.stop()
            for event in engine.advance():
                if isinstance(event, CueDue):
                    self._say(f"» {event.cue.text}")
                elif isinstance(event, StepChanged) and not self.live:
                    self._say(self._status(engine))
                elif isinstance(event, Finished):
                    self._show(self._status(engine))
                    return
            self._show(self._status(engine))

    def _tell_voice_change(self) -> None:
        """An engine that fails while speaking hands over to the next: say so, so the
        user is never left believing the first message."""
        status = self._voice.status
        if status != self._told and not self.no_voice:
            self._say(status.message)
        self._told = status

    def _play(self, audio: Any, engine: Any) -> None:
        """Stream from where the engine is; with --for the sound ends exactly there."""
        audio.play_from(engine.session_time(), until=self.limit)

    def _status(self, engine: Any) -> str:
        from backbeat.core.engine import EngineState

        pos = engine.position()
        step = pos.step
        state = {EngineState.PAUSED: "  [paused]", EngineState.FINISHED: "  [done]"}
        return (
            f"{step.block.title} · {step.technique.title} · {format_clock(pos.step_left)} left "
            f"of this · {step.rhythm}/min · session {format_clock(pos.session_time)}"
            f"/{format_clock(self.plan.total)}{state.get(engine.state, '')}"
        )

    def _show(self, line: str) -> None:
        if not self.live or line == self._last_line:
            return
        self.out.write("\r\x1b[2K" + line)
        self.out.flush()
        self._last_line = line

    def _say(self, message: str) -> None:
        """A line of its own above the live status line."""
        if self.live and self._last_line:
            self.out.write("\r\x1b[2K")
        self.out.write(message + "\n")
        if self.live and self._last_line:
            self.out.write(self._last_line)
        self.out.flush()
