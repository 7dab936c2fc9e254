"""Start the window: the QApplication, the settings, the sound, the controller.

``run_window`` is what ``backbeat``, ``backbeat gui`` and ``backbeat run FILE`` call.
Sound opens after the window is painted, so the window appears quickly and a missing
device only ever shows up as a message in the banner.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from backbeat import resources
from backbeat.core.clock import MonotonicClock
from backbeat.core.model import Mode
from backbeat.core.plan import PlanOverrides
from backbeat.ui.controller import SessionController
from backbeat.ui.main_window import MainWindow
from backbeat.ui.qt_compat import guard_none_refcount
from backbeat.ui.settings import SettingsStore
from backbeat.ui.sound import SilentSoundSystem, SoundSystem, open_sound_system
from backbeat.ui.svg_shapes import SvgShapeError, SvgShapes, load_svg_shapes
from backbeat.ui.theme import LIGHT

ZONE_DIAGRAM = "back-zones.svg"
#: Set to a file path to keep the settings there instead of the user's (tests, benchmarks).
SETTINGS_ENV = "BACKBEAT_SETTINGS_FILE"
#: "null" runs without touching the sound device (benchmarks, screenshots).
OUTPUT_ENV = "BACKBEAT_AUDIO_OUTPUT"
DEFAULT_SIZE = (1280, 800)


@dataclass
class WindowParts:
    app: QApplication
    window: MainWindow
    controller: SessionController


def create_application() -> QApplication:
    guard_none_refcount()
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
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
) -> WindowParts:
    """Everything but the event loop; the sound is silent until :func:`open_sound_later`."""
    app = create_application()
    shapes, shape_problem = load_zone_shapes()
    window = MainWindow(shapes, LIGHT)
    controller = SessionController(
        window,
        settings_store or default_settings_store(),
        sound or SilentSoundSystem(MonotonicClock()),
        bundled_dir=bundled_dir or resources.bundled_protocols_dir(),
        user_dir=user_dir or resources.user_protocols_dir(),
        protocol_path=protocol_path,
        mode=mode,
        overrides=overrides,
    )
    if shape_problem:
        controller.add_problem(shape_problem)
    window.resize(*DEFAULT_SIZE)
    return WindowParts(app, window, controller)


class SoundOpener(QObject):
    """Opens the device and the voice off the UI thread (loading the Piper model takes
    about a second), then hands the result to the controller on the UI thread."""

    opened = Signal(object)  # a SoundSystem

    def __init__(self, controller: SessionController) -> None:
        super().__init__(controller)
        self.opened.connect(controller.set_sound_system)  # queued: emitted from the worker

    def start(self, kind: str) -> threading.Thread:
        worker = threading.Thread(
            target=lambda: self.opened.emit(open_sound_system(kind)),
            name="backbeat-open-sound",
            daemon=True,
        )
        worker.start()
        return worker


def open_sound_later(controller: SessionController) -> SoundOpener:
    """Open the device and the voice once the window is up, without freezing it."""
    opener = SoundOpener(controller)
    controller.expect_sound_system()
    kind = os.environ.get(OUTPUT_ENV, "auto")
    QTimer.singleShot(0, lambda: opener.start(kind))
    return opener


def run_window(
    protocol_path: Path | None = None,
    mode: Mode | None = None,
    overrides: PlanOverrides | None = None,
) -> int:
    """Show the window and run until it closes (Ctrl+Q or the close button): status 0."""
    parts = build_window(protocol_path, mode, overrides)
    parts.window.show()
    open_sound_later(parts.controller)
    status = int(parts.app.exec())
    _leave_busy_workers(status)
    return status


def _leave_busy_workers(status: int) -> None:
    """Exit at once if a background voice worker is still synthesising.

    Interpreter shutdown while the speech engine's native code runs in a daemon thread
    aborts the process (seen with Piper's onnxruntime when the window is closed within a
    second of opening); the user asked to quit, so skip the shutdown and exit cleanly.
    """
    busy = [t for t in threading.enumerate() if t is not threading.main_thread() and t.is_alive()]
    if busy:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
