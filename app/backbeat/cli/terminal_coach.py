"""The terminal coach: a session by ear, with a live status line and single keys.

Space pauses and resumes, ``n``/``p`` skip, ``s`` stays 30 s longer on the technique,
``q`` quits; with stdin not a terminal it just plays. A thin front end over the session player: keys in, lines out.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from backbeat.audio.mixer import SoundSettings
from backbeat.cli.terminal import is_terminal, printable
from backbeat.cli.terminal import key_mode as _keys
from backbeat.cli.terminal import read_key as _read_key
from backbeat.core.durations import format_clock
from backbeat.core.plan import SessionPlan
from backbeat.player.session_player import PlayerFrame, PlayerState, SessionPlayer
from backbeat.player.sound_system import SoundSystem
from backbeat.player.voice_commands import VoiceCommands, VoiceOptions, VoiceUnavailable

#: Wake-ups per second: often enough for a smooth countdown and prompt re-renders.
TICK_SECONDS = 0.04
KEYS_HELP = "Space pause/resume · n next · p previous · s stay 30 s longer · q quit"


class TerminalCoach:
    def __init__(
        self,
        sound: SoundSystem,
        plan: SessionPlan,
        settings: SoundSettings,
        limit: float | None = None,
        out: TextIO | None = None,
        voice_options: VoiceOptions | None = None,
    ) -> None:
        self.sound = sound
        self.player = SessionPlayer(plan, sound.session(plan, settings), limit=limit)
        self.out = out or sys.stdout
        self.live = is_terminal(self.out)
        self._last_line = ""
        self.voice_options = voice_options
        self.voice: VoiceCommands | None = None

    def run(self) -> int:
        for message in self.sound.messages:
            self._say(message)
        player = self.player
        try:
            self._start_voice_commands()
            with _keys(sys.stdin) as interactive:
                if interactive:
                    self._say(KEYS_HELP)
                player.start()
                self._loop(interactive)
        finally:
            if self.voice is not None:
                self.voice.close()
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
            if self.voice is not None:
                for line in self.voice.poll():
                    self._say(line)
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

    def _start_voice_commands(self) -> None:
        """With --voice-commands: listen, or say in one line why not and go on without."""
        if self.voice_options is None:
            return
        try:
            self.voice = VoiceCommands(self.player, self.voice_options)
        except VoiceUnavailable as error:
            self._say(str(error))
            return
        self._say(self.voice.hint)

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
        elif key == "s" and player.stay_longer():
            self._say(player.caption)

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
        self.out.write("\r\x1b[2K" + printable(line))
        self.out.flush()
        self._last_line = line

    def _say(self, message: str) -> None:
        """A line of its own above the live status line."""
        if self.live and self._last_line:
            self.out.write("\r\x1b[2K")
        self.out.write(printable(message) + "\n")
        if self.live and self._last_line:
            self.out.write(self._last_line)
        self.out.flush()
