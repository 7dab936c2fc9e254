"""The main window: a problem banner above three pages (start, session, summary), and the
keyboard shortcuts, routed to whichever page is showing."""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from backbeat.ui.banner import ProblemBanner
from backbeat.ui.session_view import SessionView
from backbeat.ui.sound_banner import SoundBanner
from backbeat.ui.start_view import StartView
from backbeat.ui.summary_view import SummaryView
from backbeat.ui.svg_shapes import SvgShapes
from backbeat.ui.theme import Theme
from backbeat.ui.view_state import Problem

Key = Qt.Key
#: Every key the window answers, and the action it stands for. Foot pedals usually
#: send Page Up / Page Down or the arrows, so those work too.
KEY_ACTIONS: dict[str, tuple[Key, ...]] = {
    "space": (Key.Key_Space,),
    "enter": (Key.Key_Return, Key.Key_Enter),
    "next": (Key.Key_Right, Key.Key_PageDown),
    "previous": (Key.Key_Left, Key.Key_PageUp),
    "escape": (Key.Key_Escape,),
    "lighter": (Key.Key_L,),
    "end": (Key.Key_E,),
    "metronome": (Key.Key_M,),
    "voice": (Key.Key_V,),
    "louder": (Key.Key_Plus, Key.Key_Equal),
    "quieter": (Key.Key_Minus, Key.Key_Underscore),
}

PAGES = ("start", "session", "summary")


class MainWindow(QMainWindow):
    quit_requested = Signal()
    full_screen_changed = Signal(bool)
    closed = Signal()

    def __init__(self, shapes: SvgShapes, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backbeat")
        self.setMinimumSize(900, 600)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        self.banner = ProblemBanner()
        self.sound_banner = SoundBanner()
        self.stack = QStackedWidget()
        self.start_view = StartView()
        self.session_view = SessionView(shapes, theme)
        self.summary_view = SummaryView()
        for page in (self.start_view, self.session_view, self.summary_view):
            self.stack.addWidget(page)
        layout.addWidget(self.banner)
        layout.addWidget(self.sound_banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._shortcuts: list[QShortcut] = []
        for action, keys in KEY_ACTIONS.items():
            for key in keys:
                self._add_shortcut(QKeySequence(key), lambda a=action: self.dispatch(a))
                # Keypad keys arrive with the keypad modifier: accept them as well.
                keypad = QKeyCombination(Qt.KeyboardModifier.KeypadModifier, key)
                self._add_shortcut(QKeySequence(keypad), lambda a=action: self.dispatch(a))
        # These two also work from the settings window (a window of its own).
        app_wide = Qt.ShortcutContext.ApplicationShortcut
        self._add_shortcut(QKeySequence(Key.Key_F11), self.toggle_full_screen, app_wide)
        self._add_shortcut(QKeySequence("Ctrl+Q"), self.quit_requested.emit, app_wide)
        self.session_view.full_screen_requested.connect(self.toggle_full_screen)
        self.session_view.quit_requested.connect(self.quit_requested)

    def _add_shortcut(
        self,
        sequence: QKeySequence,
        slot: object,
        context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
    ) -> None:
        shortcut = QShortcut(sequence, self)
        shortcut.setContext(context)
        shortcut.activated.connect(slot)
        self._shortcuts.append(shortcut)

    def dispatch(self, action: str) -> bool:
        """Hand a key's action to the page on show; True when it did something."""
        page = self.stack.currentWidget()
        if isinstance(page, StartView | SessionView | SummaryView):
            return page.shortcut(action)
        return False

    def show_page(self, name: str) -> None:
        self.stack.setCurrentIndex(PAGES.index(name))

    def current_page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    def set_problems(self, problems: tuple[Problem, ...]) -> None:
        self.banner.set_problems(problems)

    def set_theme(self, theme: Theme) -> None:
        self.session_view.set_theme(theme)

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.full_screen_changed.emit(self.isFullScreen())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
