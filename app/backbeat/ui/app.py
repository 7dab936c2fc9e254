"""Start the window: the QApplication, the settings, the sound, the controller.

``run_window`` is what ``backbeat``, ``backbeat gui`` and ``backbeat run FILE`` call.
Sound opens after the window is painted, so the window appears quickly and a missing
device only ever shows up as a message in the banner. ``run_window`` owns what it
opens and closes it, in order, when the window closes, on Ctrl+C and on SIGTERM.
"""

from __future__ import annotations

import linecache
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from backbeat import resources
from backbeat.audio.portaudio_output import UnknownDevice
from backbeat.core.model import Mode
from backbeat.core.plan import PlanOverrides
from backbeat.core.prompts import VoiceSpeed
from backbeat.player.sound_system import SoundSystem, open_sound_system, silent_sound_system
from backbeat.player.voice_commands import VoiceOptions
from backbeat.ui.controller import SessionController
from backbeat.ui.main_window import MainWindow
from backbeat.ui.settings import AppSettings, SettingsStore
from backbeat.ui.svg_shapes import SvgShapeError, SvgShapes, load_svg_shapes
from backbeat.ui.theme import LIGHT
from backbeat.ui.voice_session import VoiceSetup

ZONE_DIAGRAM = "back-zones.svg"
#: Set to a file path to keep the settings there instead of the user's (tests, benchmarks).
SETTINGS_ENV = "BACKBEAT_SETTINGS_FILE"
DEFAULT_SIZE = (1280, 800)
#: How often Python gets to look at signals while Qt's event loop runs.
SIGNAL_POLL_MS = 200
#: How soon a busy worker thread hands the interpreter lock back to the UI thread.
UI_SWITCH_INTERVAL_SECONDS = 0.0005


@dataclass(frozen=True)
class SoundChoice:
    """How the window plays sound when the command line says so (else the settings)."""

    output: str = "auto"
    device: str | None = None
    #: The voice is made at this pace (it is part of each prompt's cache key).
    voice_speed: VoiceSpeed = VoiceSpeed.NORMAL

    def over(self, settings: AppSettings) -> SoundChoice:
        """The command line's choice where it made one, the settings' otherwise (the
        voice's speed is always the settings')."""
        output = self.output if self.output != "auto" else settings.output
        device = self.device or settings.output_device or None
        return SoundChoice(output, device, settings.sound.voice_speed)


@dataclass
class WindowParts:
    app: QApplication
    window: MainWindow
    controller: SessionController


def create_application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # A worker thread (the protocol reader, the plan builder, the voice) keeps the
    # interpreter lock for up to the switch interval each time the UI thread asks for it
    # back, and the UI thread asks on nearly every Qt call: at the default 5 ms a
    # keystroke during a plan build took over 100 ms. At 0.5 ms it takes a few.
    sys.setswitchinterval(UI_SWITCH_INTERVAL_SECONDS)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Backbeat")
    app.setOrganizationName("Backbeat")
    # The menu entry's name (packaging/linux/): Wayland shells match windows to it.
    app.setDesktopFileName("io.github.backbeat.backbeat")
    icon = resources.assets_dir() / "icons" / "backbeat.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def load_zone_shapes() -> tuple[SvgShapes, str | None]:
    path = resources.assets_dir() / ZONE_DIAGRAM
    try:
        return load_svg_shapes(path), None
    except SvgShapeError as error:
        from PySide6.QtCore import QRectF

        return SvgShapes(QRectF(0, 0, 400, 630), {}), f"The zone diagram is missing: {error}"


def default_settings_store() -> SettingsStore:
    override = os.environ.get(SETTINGS_ENV)
    return SettingsStore.at_path(Path(override)) if override else SettingsStore.for_user()


def build_window(
    protocol_path: Path | None = None,
    mode: Mode | None = None,
    overrides: PlanOverrides | None = None,
    *,
    settings_store: SettingsStore | None = None,
    sound: SoundSystem | None = None,
    bundled_dir: Path | None = None,
    user_dir: Path | None = None,
    voice: VoiceSetup | None = None,
) -> WindowParts:
    """Everything but the event loop; the sound is silent until :func:`open_sound_later`."""
    app = create_application()
    shapes, shape_problem = load_zone_shapes()
    window = MainWindow(shapes, LIGHT)
    controller = SessionController(
        window,
        settings_store or default_settings_store(),
        sound or silent_sound_system(),
        bundled_dir=bundled_dir or resources.bundled_protocols_dir(),
        user_dir=user_dir or resources.user_protocols_dir(),
        protocol_path=protocol_path,
        mode=mode,
        overrides=overrides,
        voice=voice,
    )
    if shape_problem:
        controller.add_problem(shape_problem)
    window.resize(*DEFAULT_SIZE)
    return WindowParts(app, window, controller)


class SoundOpener(QObject):
    """Opens the device and the voice off the UI thread (loading the Piper model takes
    about a second), then hands the result to the controller on the UI thread. It owns
    every sound system it opened: :meth:`close` closes them, handed over or not."""

    opened = Signal(object)  # a SoundSystem

    def __init__(
        self,
        controller: SessionController,
        choice: SoundChoice,
        open_system: Callable[[SoundChoice], SoundSystem] | None = None,
    ) -> None:
        super().__init__(controller)
        self._controller = controller
        self._choice = choice
        self._open_system = open_system or _open_or_explain
        self._lock = threading.Lock()
        self._closed = False
        self._pending: list[SoundSystem] = []  # opened, not yet handed over
        self._systems: list[SoundSystem] = []
        self._workers: list[threading.Thread] = []
        self.opened.connect(self._hand_over)  # queued: emitted from the worker
        controller.sound_reopen_requested = self.reopen

    def start(self) -> threading.Thread:
        self._controller.expect_sound_system()
        choice = self._choice.over(self._controller.settings)
        worker = threading.Thread(
            target=self._open, args=(choice,), name="backbeat-open-sound", daemon=True
        )
        self._workers.append(worker)
        worker.start()
        return worker

    def reopen(self) -> None:
        """The settings changed the output, the device or the voice's speed: open the new
        one (the old one is closed once the new one has taken over)."""
        self._choice = SoundChoice()
        self.start()

    def _open(self, choice: SoundChoice) -> None:
        sound = self._open_system(choice)
        with self._lock:
            if not self._closed:
                self._pending.append(sound)
                self.opened.emit(sound)
                return
        sound.close()  # the window closed while this one was opening

    def _hand_over(self, sound: SoundSystem) -> None:
        with self._lock:
            if sound not in self._pending:  # closed already
                return
            self._pending.remove(sound)
        self._systems.append(sound)
        self._controller.set_sound_system(sound)
        forget_module_sources()  # the sound system's imports are done
        while len(self._systems) > 1:  # no session holds the older one any more
            self._systems.pop(0).close()

    def close(self) -> None:
        """Close every sound system opened, those still on their way to the UI thread
        included. A voice still loading is waited for: the process that exits while
        onnxruntime builds its session in another thread aborts (measured: status -6,
        ``std::bad_alloc``, when this wait was bounded to 2 s)."""
        with self._lock:
            self._closed = True
        for worker in self._workers:
            worker.join()
        self._workers = []
        with self._lock:
            systems, self._systems, self._pending = [*self._systems, *self._pending], [], []
        for sound in systems:
            sound.close()


def forget_module_sources() -> None:
    """Drop the source lines Python keeps for tracebacks (about 11 MB here). PySide6's
    import hook reads the source of every module imported after it, with
    ``inspect.getsource``, to see whether it uses PySide6 (PYSIDE-2029), and ``linecache``
    keeps all of it; a traceback reads the lines it needs again."""
    linecache.clearcache()


def _open_or_explain(choice: SoundChoice) -> SoundSystem:
    try:
        return open_sound_system(choice.output, choice.device, voice_speed=choice.voice_speed)
    except UnknownDevice as error:
        fallback = open_sound_system(choice.output, None, voice_speed=choice.voice_speed)
        fallback.output_message = f"{error} Playing on the default device instead."
        fallback.silent = True  # shown in the banner
        return fallback


def open_sound_later(controller: SessionController, choice: SoundChoice) -> SoundOpener:
    """Open the device and the voice once the window is up, without freezing it."""
    opener = SoundOpener(controller, choice)
    controller.expect_sound_system()
    QTimer.singleShot(0, opener.start)
    return opener


@contextmanager
def quit_on_signals(app: QApplication) -> Iterator[None]:
    """SIGTERM, SIGHUP and Ctrl+C close the window like Ctrl+Q, so everything is closed in
    order. Qt's event loop does not run Python code, so a timer lets Python look at the
    signals now and then."""
    handled = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
    saved = {sig: signal.getsignal(sig) for sig in handled}
    for sig in handled:
        signal.signal(sig, lambda *_: app.closeAllWindows())
    poll = QTimer()
    poll.timeout.connect(lambda: None)
    poll.start(SIGNAL_POLL_MS)
    try:
        yield
    finally:
        poll.stop()
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def run_window(
    protocol_path: Path | None = None,
    mode: Mode | None = None,
    overrides: PlanOverrides | None = None,
    output: SoundChoice | None = None,
    voice: VoiceOptions | None = None,
) -> int:
    """Show the window and run until it closes (Ctrl+Q, the close button, a signal).
    ``voice``: ``--voice-commands`` (listen in every session of this run)."""
    parts = build_window(protocol_path, mode, overrides, voice=VoiceSetup(forced=voice))
    parts.window.show()
    opener = open_sound_later(parts.controller, output or SoundChoice())
    with quit_on_signals(parts.app):
        status = int(parts.app.exec())
    parts.controller.shutdown()
    opener.close()
    return status
