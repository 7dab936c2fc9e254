"""The terminal coach: a session by ear, with a live status line and single keys.

Space pauses and resumes, ``n``/``p`` skip, ``q`` quits; with stdin not a terminal it
just plays. A thin front end over the session player: keys in, lines out.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
import time
from collections.abc import Iterator
from typing import TextIO

from backbeat.audio.mixer import SoundSettings
from backbeat.core.durations import format_clock
from backbeat.core.plan import SessionPlan
from backbeat.player.session_player import PlayerFrame, PlayerState, SessionPlayer
from backbeat.player.sound_system import SoundSystem

#: Wake-ups per second: often enough for a smooth countdown and prompt re-renders.
TICK_SECONDS = 0.04
KEYS_HELP = "Space pause/resume · n next · p previous · q quit"


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
        sound: SoundSystem,
        plan: SessionPlan,
        settings: SoundSettings,
        limit: float | None = None,
        out: TextIO | None = None,
    ) -> None:
        self.sound = sound
        self.player = SessionPlayer(plan, sound.session(plan, settings), limit=limit)
        self.out = out or sys.stdout
        self.live = self.out.isatty()
        self._last_line = ""

    def run(self) -> int:
        for message in self.sound.messages:
            self._say(message)
        player = self.player
        try:
            with _keys(sys.stdin) as interactive:
                if interactive:
                    self._say(KEYS_HELP)
                player.start()
                self._loop(interactive)
        finally:
            player.close()
            if self.live and self._last_line:
                self.out.write("\n")
        return 0

    def _loop(self, interactive: bool) -> None:
        player = self.player
        while True:
            if interactive:
                self._obey(_read_key(sys.stdin, TICK_SECONDS))
            else:
                time.sleep(TICK_SECONDS)
            frame = player.frame()
            for notice in frame.notices:
                self._say(notice)
            for cue in frame.cues:
                self._say(f"» {cue.text}")
            if frame.step_changed is not None and not self.live:
                self._say(self._status(frame))
            if frame.stopped_early is not None:
                self._show(self._status(frame))
                return
            self._show(self._status(frame))

    def _obey(self, key: str | None) -> None:
        key = key.lower() if key else None
        player = self.player
        if key == "q":
            player.end()
        elif key == " ":
            player.toggle_pause()
        elif key == "n":
            player.next()
        elif key == "p":
            player.previous()

    def _status(self, frame: PlayerFrame) -> str:
        pos = frame.position
        step = pos.step
        state = {PlayerState.PAUSED: "  [paused]", PlayerState.FINISHED: "  [done]"}
        sound = "  [no sound]" if frame.sound_lost else ""
        return (
            f"{step.block.title} · {step.technique.title} · {format_clock(pos.step_left)} left "
            f"of this · {step.rhythm}/min · session {format_clock(pos.session_time)}"
            f"/{format_clock(self.player.plan.total)}{state.get(frame.state, '')}{sound}"
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
