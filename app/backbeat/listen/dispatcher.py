"""Recognised commands onto the session player: the third front end beside the window
and the terminal coach."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from backbeat.listen.commands import STAY_LONGER_SECONDS, Command, Heard


class SessionControls(Protocol):
    """What voice commands ask of the session player (the player implements it)."""

    def next(self) -> None: ...
    def previous(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def too_much(self) -> None: ...
    def continue_lighter(self) -> None: ...
    def end(self) -> None: ...
    def louder(self) -> None: ...
    def quieter(self) -> None: ...
    def repeat_prompt(self) -> None: ...
    def tell_time_left(self) -> None: ...
    def stay_longer(self, seconds: float) -> None: ...
    def set_metronome(self, on: bool) -> None: ...
    def acknowledge_command(self) -> None:
        """Play the soft acknowledgement sound (not speech)."""
        ...


class CommandDispatcher:
    """Maps a heard command onto the player. A command that changes nothing in the
    current state ("pause" while paused, "go on" while running) is shown as heard but
    not acknowledged, so the user can trust the sound: it means something happened.

    ``is_paused`` is asked at each command (the keyboard may have paused meanwhile);
    ``on_heard`` gets every taken command, for ``heard: next`` lines and the window."""

    def __init__(
        self,
        controls: SessionControls,
        is_paused: Callable[[], bool],
        on_heard: Callable[[Heard], None] | None = None,
    ) -> None:
        self.controls = controls
        self._is_paused = is_paused
        self._on_heard = on_heard

    def dispatch(self, heard: Heard) -> bool:
        """Act on ``heard``; returns whether it did anything."""
        action = self._action(heard.command)
        if action is not None:
            self.controls.acknowledge_command()
            action()
        if self._on_heard is not None:
            self._on_heard(heard)
        return action is not None

    def _action(self, command: Command) -> Callable[[], None] | None:
        c = self.controls
        paused = self._is_paused()
        if command is Command.PAUSE:
            return None if paused else c.pause
        if command is Command.RESUME:
            return c.resume if paused else None
        simple: dict[Command, Callable[[], None]] = {
            Command.NEXT: c.next,
            Command.PREVIOUS: c.previous,
            Command.TOO_MUCH: c.too_much,
            Command.LIGHTER: c.continue_lighter,
            Command.END: c.end,
            Command.LOUDER: c.louder,
            Command.QUIETER: c.quieter,
            Command.REPEAT: c.repeat_prompt,
            Command.TIME_LEFT: c.tell_time_left,
            Command.STAY_LONGER: lambda: c.stay_longer(STAY_LONGER_SECONDS),
            Command.METRONOME_OFF: lambda: c.set_metronome(False),
            Command.METRONOME_ON: lambda: c.set_metronome(True),
        }
        return simple[command]
