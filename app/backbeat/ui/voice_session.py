"""Voice commands in the window: turning the setting on (checked first, explained once),
one listener per session, and each command carried to the UI thread.

The listener thread only recognises. What it hears crosses to the UI thread through a
queued Qt signal, and is carried out there through the controller, like a key press:
never from the listener thread or the audio callback, because the player is not
thread-safe. :class:`WindowVoice` is the one owner of the listener: the controller stops it
when a session ends and on quit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from backbeat.listen.commands import WAKE_WORD, Heard
from backbeat.player.session_player import SessionPlayer

if TYPE_CHECKING:  # the microphone module is imported only when voice commands start
    from backbeat.listen.sources import AudioSource
from backbeat.player.voice_commands import (
    NoRecogniser,
    VoiceCommands,
    VoiceOptions,
    VoiceUnavailable,
    usable_input_device,
    voice_commands_problem,
)
from backbeat.ui.session_view import SessionView
from backbeat.ui.settings import AppSettings
from backbeat.ui.view_state import Problem

#: How often the listening indicator shows the microphone's level (the listener reads
#: 100 ms blocks: faster would show nothing new).
LEVEL_INTERVAL_MS = 100

NO_MICROPHONE_TEXT = (
    "Voice commands are off: no microphone could be found or opened. "
    "Connect one, then turn them on again in Settings."
)
NO_RECOGNISER_TEXT = (
    "Voice commands are off: the speech recogniser (pocketsphinx) is not installed. "
    "Reinstall Backbeat to use them."
)
EXPLANATION_TITLE = "Voice commands"
EXPLANATION = (
    "<p>During a session Backbeat can listen to the microphone and obey a few spoken "
    f"commands, so your oily hands stay on the back: say <b>“{WAKE_WORD}, next”</b>, "
    "“pause”, “go on”, “too much”, “lighter”, “stay here”, “how long”…</p>"
    "<p>A soft sound tells you a command was taken, and the window shows what it heard. "
    "What the app itself says is never taken as a command.</p>"
    "<p><b>Nothing is recorded, stored or sent anywhere.</b> The recogniser runs on this "
    "computer, and the sound lives in memory only until it has been listened to.</p>"
    "<p>You can turn this off again in Settings at any time.</p>"
)


class VoiceHost(Protocol):
    """What the window's voice commands ask of the controller."""

    @property
    def settings(self) -> AppSettings: ...
    def update_settings(self, settings: AppSettings) -> None: ...
    def add_problem(self, text: str | Problem, level: str = "warning") -> None: ...
    def act(self, intent: Callable[[SessionPlayer], None]) -> None: ...


@dataclass(frozen=True)
class VoiceSetup:
    """How the window listens. ``forced``: ``--voice-commands`` on the command line (on
    for this run, whatever the settings say, and not saved). ``source`` makes the audio
    source for a device (tests feed recordings); None: the microphone. ``check`` says why
    voice commands cannot run here, before the setting is turned on."""

    forced: VoiceOptions | None = None
    source: Callable[[str | None], AudioSource] | None = None
    check: Callable[[str | None], VoiceUnavailable | None] = voice_commands_problem


def plain_words(error: VoiceUnavailable) -> Problem:
    """The one message the window shows (the technical reason as the tooltip)."""
    text = NO_RECOGNISER_TEXT if isinstance(error, NoRecogniser) else NO_MICROPHONE_TEXT
    return Problem(text, details=str(error))


class WindowVoice(QObject):
    heard = Signal(object)  # a Heard, emitted from the listener thread

    def __init__(
        self, host: VoiceHost, view: SessionView, dialog_parent: QWidget, setup: VoiceSetup
    ) -> None:
        super().__init__(dialog_parent)
        self._host = host
        self._view = view
        self._dialog_parent = dialog_parent
        self.setup = setup
        self.commands: VoiceCommands | None = None
        self.explanation: QMessageBox | None = None
        self._level = 0.0  # written by the listener thread, read by the UI thread
        self.heard.connect(self._carry_out, Qt.ConnectionType.QueuedConnection)
        self._level_timer = QTimer(self)
        self._level_timer.setInterval(LEVEL_INTERVAL_MS)
        self._level_timer.timeout.connect(lambda: view.listening.set_state(self._level))

    @property
    def listening(self) -> bool:
        return self.commands is not None

    # -- the setting ----------------------------------------------------------------------
    def review(self, old: AppSettings, new: AppSettings) -> AppSettings:
        """Settings about to be applied. Turning voice commands on is checked first (no
        microphone, or no recogniser: one message, and the setting stays off), and
        explained the first time: it is on once the user has agreed."""
        if not new.voice_commands or old.voice_commands:
            return new
        problem = self.setup.check(new.input_device or None)
        if problem is not None:
            self._host.add_problem(plain_words(problem))
            return replace(new, voice_commands=False)
        if not new.voice_commands_explained:
            self._explain()
            return replace(new, voice_commands=False)
        return new

    def _explain(self) -> None:
        if self.explanation is not None and self.explanation.isVisible():
            return
        box = QMessageBox(self._dialog_parent)
        box.setWindowTitle(EXPLANATION_TITLE)
        box.setIcon(QMessageBox.Icon.Information)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(EXPLANATION)
        turn_on = box.addButton("&Turn on", QMessageBox.ButtonRole.AcceptRole)
        not_now = box.addButton("&Not now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(turn_on)
        box.setEscapeButton(not_now)

        def answered() -> None:
            if box.clickedButton() is turn_on:
                settings = self._host.settings
                self._host.update_settings(
                    replace(settings, voice_commands=True, voice_commands_explained=True)
                )

        box.finished.connect(answered)
        self.explanation = box
        box.open()  # window-modal, not blocking: Enter turns it on, Esc closes it

    # -- the session ----------------------------------------------------------------------
    def options(self) -> VoiceOptions | None:
        if self.setup.forced is not None:
            return self.setup.forced
        settings = self._host.settings
        if not settings.voice_commands:
            return None
        return VoiceOptions(settings.input_device or None, wake_word=settings.wake_word)

    def start(self, player: SessionPlayer) -> None:
        """Listen during ``player``'s session, when voice commands are on."""
        options = self.options()
        if options is None or self.commands is not None:
            return
        device = options.input_device
        if self.setup.source is None:
            device, note = usable_input_device(device)
            if note:
                self._host.add_problem(note)
        source = self.setup.source(device) if self.setup.source is not None else None
        try:
            self.commands = VoiceCommands(
                player,
                replace(options, input_device=device),
                source,
                deliver=self.heard.emit,
                on_level=self._set_level,
            )
        except VoiceUnavailable as error:
            self._host.add_problem(plain_words(error))
            if self.setup.forced is None:
                self._host.update_settings(replace(self._host.settings, voice_commands=False))
            return
        self._view.listening.set_state(0.0)
        self._view.listening.show()
        self._level_timer.start()

    def restart_if_changed(
        self, old: AppSettings, new: AppSettings, player: SessionPlayer | None
    ) -> None:
        """The settings changed during a session: listen as they now say."""
        keys = ("voice_commands", "wake_word", "input_device")
        if all(getattr(old, k) == getattr(new, k) for k in keys):
            return
        self.stop()
        if player is not None:
            self.start(player)

    def stop(self) -> None:
        """Stop listening (the session ended, the setting went off, the window closes)."""
        commands, self.commands = self.commands, None
        self._level_timer.stop()
        self._level = 0.0
        self._view.listening.hide()
        if commands is not None:
            commands.close()

    def _set_level(self, level: float) -> None:
        self._level = level

    def _carry_out(self, heard: Heard) -> None:
        """On the UI thread: the command, through the controller, as a key would."""
        commands = self.commands
        if commands is None:
            return  # the session ended while it was on its way
        lines: list[str] = []
        self._host.act(lambda _player: lines.extend(commands.dispatch(heard)))
        self._view.show_heard(heard.command.label)
        for line in lines:
            if line.startswith("Voice commands stopped"):
                self._host.add_problem(line)
