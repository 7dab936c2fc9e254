"""Voice commands for a playing session: the listener, the dispatcher and the player
joined, with one owner that closes them. Used by the terminal coach (``run --no-gui
--voice-commands``) and the window (ui/voice_session.py), so it is Qt-free.

The listener thread only recognises; every command is carried out on the front end's
own thread (:meth:`VoiceCommands.poll` for the terminal, :meth:`VoiceCommands.dispatch`
from a queued Qt signal for the window), because the session player is not thread-safe.
"""

from __future__ import annotations

import importlib.util
import queue
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from backbeat.core import prompts
from backbeat.listen.acknowledge import acknowledgement_seconds, acknowledgement_sound
from backbeat.listen.commands import WAKE_WORD, CommandSet, Heard
from backbeat.listen.dispatcher import CommandDispatcher
from backbeat.listen.gate import OwnSoundGate
from backbeat.listen.session_monitor import SessionSoundMonitor
from backbeat.player.session_player import PlayerState, SessionPlayer

if TYPE_CHECKING:
    from backbeat.listen.sources import AudioSource

# The microphone and the recogniser (backbeat.listen.sources, .recogniser, .listener) are
# imported where they are used: their filters import scipy.signal, about half a second the
# window must not pay before its first paint.


class VoiceUnavailable(RuntimeError):
    """Voice commands cannot run here; the message is the one line the user is told."""


class NoMicrophone(VoiceUnavailable):
    """No input device, or it would not open."""


class NoRecogniser(VoiceUnavailable):
    """pocketsphinx is missing or its model does not load."""


def voice_commands_problem(input_device: str | None = None) -> VoiceUnavailable | None:
    """Why voice commands cannot run here, found without opening anything (the settings
    ask before turning them on); None when they can. A named device that is gone is not
    a problem: the default microphone is used instead (see :func:`usable_input_device`)."""
    if importlib.util.find_spec("pocketsphinx") is None:
        return NoRecogniser(
            "Voice commands are off: the speech recogniser (pocketsphinx) is missing."
        )
    from backbeat.listen.sources import input_devices

    if not input_devices():
        return NoMicrophone("Voice commands are off: no microphone was found.")
    return None


def usable_input_device(name: str | None) -> tuple[str | None, str]:
    """The device to listen on for a chosen ``name`` (None: the default), and what to tell
    the user when that name is not connected (then the default is used)."""
    from backbeat.listen.sources import input_devices

    if not name or name in input_devices():
        return name or None, ""
    return None, f"The microphone “{name}” is not connected; listening on the default one."


@dataclass(frozen=True)
class VoiceOptions:
    input_device: str | None = None
    wake_word: bool = True


class PlayerVoiceControls:
    """:class:`~backbeat.listen.dispatcher.SessionControls` over the session player,
    telling the monitor of every sound a command makes, so none is heard as a command."""

    def __init__(self, player: SessionPlayer, monitor: SessionSoundMonitor) -> None:
        self.player = player
        self.monitor = monitor
        self.notices: list[str] = []

    def next(self) -> None:
        self.player.next()

    def previous(self) -> None:
        self.player.previous()

    def pause(self) -> None:
        self.player.pause()

    def resume(self) -> None:
        self.player.resume()

    def too_much(self) -> None:
        self.player.too_much()
        self.monitor.expect(prompts.EASE_OFF)

    def continue_lighter(self) -> None:
        self.player.continue_lighter()

    def end(self) -> None:
        self.player.end()

    def louder(self) -> None:
        self.player.louder()

    def quieter(self) -> None:
        self.player.quieter()

    def repeat_prompt(self) -> None:
        self.player.repeat_prompt()
        self.monitor.expect(self.player.caption)

    def tell_time_left(self) -> None:
        self.player.tell_time_left()
        self.monitor.expect(self.player.caption)

    def stay_longer(self, seconds: float) -> None:
        self.player.stay_longer(seconds)
        self.notices.append(self.player.caption)

    def set_metronome(self, on: bool) -> None:
        self.player.set_metronome(on)

    def acknowledge_command(self) -> None:
        audio = self.player.audio
        audio.overlay(acknowledgement_sound(audio.rate), audio.settings.voice_volume)
        self.monitor.expect(seconds=acknowledgement_seconds(audio.rate))


class VoiceCommands:
    """Owns the microphone, the recogniser and the listener thread for one session."""

    def __init__(
        self,
        player: SessionPlayer,
        options: VoiceOptions = VoiceOptions(),
        source: AudioSource | None = None,
        *,
        deliver: Callable[[Heard], None] | None = None,
        on_level: Callable[[float], None] | None = None,
    ) -> None:
        """``deliver`` is called from the listener thread with each command heard (the
        window queues it onto its own thread and calls :meth:`dispatch` there); without
        it, commands wait for :meth:`poll`. ``on_level``: each block's microphone level,
        also from the listener thread."""
        self.options = options
        self.monitor = SessionSoundMonitor(player.audio)
        self.controls = PlayerVoiceControls(player, self.monitor)
        self._heard: queue.Queue[Heard] = queue.Queue()
        self._lines: list[str] = []
        self.dispatcher = CommandDispatcher(
            self.controls,
            is_paused=lambda: player.state in (PlayerState.PAUSED, PlayerState.TOO_MUCH),
            on_heard=lambda heard: self._lines.append(f"heard: {heard.command.label}"),
        )
        from backbeat.listen.listener import VoiceListener
        from backbeat.listen.recogniser import PocketSphinxRecogniser, RecogniserUnavailable
        from backbeat.listen.sources import MicrophoneSource, MicrophoneUnavailable

        try:
            recogniser = PocketSphinxRecogniser(CommandSet(wake_word=options.wake_word))
        except RecogniserUnavailable as error:
            raise NoRecogniser(f"Voice commands are off: {error}.") from None
        self.listener = VoiceListener(
            source or MicrophoneSource(options.input_device),
            recogniser,
            OwnSoundGate(self.monitor),
            on_heard=deliver or self._heard.put,
            on_level=on_level,
        )
        try:
            self.listener.start()
        except MicrophoneUnavailable as error:
            self.listener.close()
            raise NoMicrophone(f"Voice commands are off: {error}.") from None

    @property
    def hint(self) -> str:
        first = f"“{WAKE_WORD}, next”" if self.options.wake_word else "“next”"
        return (
            f"Listening for voice commands: say {first}, “pause”, “go on”, “too much”… "
            "Nothing is recorded, stored or sent."
        )

    def dispatch(self, heard: Heard) -> list[str]:
        """Carry out one command (on the front end's thread); the lines to show."""
        self.dispatcher.dispatch(heard)
        return self._take_lines()

    def poll(self) -> list[str]:
        """Carry out what was heard since the last call; the lines to print."""
        while True:
            try:
                heard = self._heard.get_nowait()
            except queue.Empty:
                break
            self.dispatcher.dispatch(heard)
        return self._take_lines()

    def _take_lines(self) -> list[str]:
        if self.listener.error is not None:
            self._lines.append(f"Voice commands stopped: {self.listener.error}")
            self.listener.error = None
        lines = self._lines + self.controls.notices
        self._lines, self.controls.notices = [], []
        return lines

    def close(self) -> None:
        self.listener.close()
